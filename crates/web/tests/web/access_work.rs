//! Who may reach the one worklist's actions, the dossier's forms and the
//! admin's teams (the rest of the matrix in `access.rs`).

use crate::access::{DONE, LOGIN, Row};
use crate::harness::TestApp;

pub(crate) fn rows(app: &TestApp) -> Vec<Row> {
    let (a, b) = (app.resident_a.0, app.resident_b.0);
    let (wa, wb, team) = (app.work_a, app.work_b, app.team_a);
    vec![
        // The caseworker takes a's work first; the lead then finds it
        // taken. Changes name a version nobody saw: the line "changed
        // meanwhile" once the policy allows; another organisation's line
        // is not found.
        (
            "/werk/{id}/oppakken",
            "POST",
            format!("/werk/{wa}/oppakken"),
            [LOGIN, DONE, 409, 403, 403, 403, 404, 403],
        ),
        (
            "/werk/{id}/oppakken",
            "POST",
            format!("/werk/{wb}/oppakken"),
            [LOGIN, 404, 404, 403, 403, 403, DONE, 403],
        ),
        (
            "/werk/{id}/toewijzen",
            "POST",
            format!("/werk/{wa}/toewijzen"),
            [LOGIN, 409, 409, 403, 403, 403, 404, 403],
        ),
        (
            "/werk/{id}/toewijzen",
            "POST",
            format!("/werk/{wb}/toewijzen"),
            [LOGIN, 404, 404, 403, 403, 403, 409, 403],
        ),
        (
            "/werk/{id}/status",
            "POST",
            format!("/werk/{wa}/status"),
            [LOGIN, 409, 409, 403, 403, 403, 404, 403],
        ),
        (
            "/werk/{id}/status",
            "POST",
            format!("/werk/{wb}/status"),
            [LOGIN, 404, 404, 403, 403, 403, 409, 403],
        ),
        // An outcome the work's kind does not have: named, once allowed.
        (
            "/werk/{id}/afronden",
            "POST",
            format!("/werk/{wa}/afronden"),
            [LOGIN, 422, 422, 403, 403, 403, 404, 403],
        ),
        (
            "/werk/{id}/afronden",
            "POST",
            format!("/werk/{wb}/afronden"),
            [LOGIN, 404, 404, 403, 403, 403, 422, 403],
        ),
        // Many lines at once: the team lead's; nothing ticked is named.
        (
            "/werk/toewijzen",
            "POST",
            "/werk/toewijzen".into(),
            [LOGIN, 403, 422, 403, 403, 403, 403, 403],
        ),
        (
            "/beheer/teams",
            "GET",
            "/beheer/teams".into(),
            [LOGIN, 403, 403, 403, 200, 403, 403, 200],
        ),
        (
            "/beheer/teams",
            "POST",
            "/beheer/teams".into(),
            [LOGIN, 403, 403, 403, 422, 403, 403, 422],
        ),
        (
            "/beheer/teams/{id}/leden",
            "POST",
            format!("/beheer/teams/{team}/leden"),
            [LOGIN, 403, 403, 403, DONE, 403, 403, 404],
        ),
        (
            "/beheer/teams/route",
            "POST",
            "/beheer/teams/route".into(),
            [LOGIN, 403, 403, 403, DONE, 403, 403, 404],
        ),
        // A contact with nothing filled in: the fields named, on the
        // resident's page, where it may be seen.
        (
            "/werk/inwoner/{id}/contact",
            "POST",
            format!("/werk/inwoner/{a}/contact"),
            [LOGIN, 422, 422, 403, 403, 403, 404, 403],
        ),
        (
            "/werk/inwoner/{id}/contact",
            "POST",
            format!("/werk/inwoner/{b}/contact"),
            [LOGIN, 404, 404, 403, 403, 403, 422, 403],
        ),
        (
            "/werk/inwoner/{id}/aanpassingen",
            "POST",
            format!("/werk/inwoner/{a}/aanpassingen"),
            [LOGIN, DONE, DONE, 403, 403, 403, 404, 403],
        ),
        (
            "/werk/inwoner/{id}/aanpassingen",
            "POST",
            format!("/werk/inwoner/{b}/aanpassingen"),
            [LOGIN, 404, 404, 403, 403, 403, DONE, 403],
        ),
    ]
}
