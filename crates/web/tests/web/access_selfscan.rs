//! The access matrix's rows for Drempels slechten: one's own runs are the
//! professional's only (not the team lead's, not another organisation's);
//! rounds are for their members and the organisation's team leads; the
//! instrument for admins.

use crate::access::{DONE, LOGIN, Row};
use crate::harness::TestApp;

pub(crate) fn rows(app: &TestApp) -> Vec<Row> {
    let run = app.selfscan_run;
    let round = app.selfscan_round;
    let action = app.selfscan_action;
    vec![
        (
            "/zelfscan",
            "GET",
            "/zelfscan".into(),
            [LOGIN, 200, 200, 403, 403, 403, 200, 403],
        ),
        (
            "/zelfscan/beginnen",
            "POST",
            "/zelfscan/beginnen".into(),
            [LOGIN, DONE, DONE, 403, 403, 403, DONE, 403],
        ),
        (
            "/zelfscan/invullen/{id}/{part}",
            "GET",
            format!("/zelfscan/invullen/{run}/begrijpen"),
            [LOGIN, DONE, 404, 403, 403, 403, 404, 403],
        ),
        (
            "/zelfscan/invullen/{id}/{part}",
            "POST",
            format!("/zelfscan/invullen/{run}/willen"),
            [LOGIN, DONE, 404, 403, 403, 403, 404, 403],
        ),
        (
            "/zelfscan/invullen/{id}/{part}",
            "GET",
            format!("/zelfscan/invullen/{run}/onbekend"),
            [LOGIN, 404, 404, 403, 403, 403, 404, 403],
        ),
        (
            "/zelfscan/controle/{id}",
            "GET",
            format!("/zelfscan/controle/{run}"),
            [LOGIN, DONE, 404, 403, 403, 403, 404, 403],
        ),
        (
            "/zelfscan/afronden/{id}",
            "POST",
            format!("/zelfscan/afronden/{run}"),
            [LOGIN, DONE, 404, 403, 403, 403, 404, 403],
        ),
        // The team lead never sees a member's own result.
        (
            "/zelfscan/uitslag/{id}",
            "GET",
            format!("/zelfscan/uitslag/{run}"),
            [LOGIN, 200, 404, 403, 403, 403, 404, 403],
        ),
        (
            "/zelfscan/uitslag/{id}/csv",
            "GET",
            format!("/zelfscan/uitslag/{run}/csv"),
            [LOGIN, 200, 404, 403, 403, 403, 404, 403],
        ),
        (
            "/zelfscan/rondes",
            "GET",
            "/zelfscan/rondes".into(),
            [LOGIN, 403, 200, 403, 403, 403, 403, 403],
        ),
        (
            "/zelfscan/rondes",
            "POST",
            "/zelfscan/rondes".into(),
            [LOGIN, 403, 422, 403, 403, 403, 403, 403],
        ),
        (
            "/zelfscan/ronde/{id}",
            "GET",
            format!("/zelfscan/ronde/{round}"),
            [LOGIN, 200, 200, 403, 403, 403, 404, 403],
        ),
        (
            "/zelfscan/ronde/{id}",
            "GET",
            "/zelfscan/ronde/999999".into(),
            [LOGIN, 404, 404, 403, 403, 403, 404, 403],
        ),
        (
            "/zelfscan/ronde/{id}/csv",
            "GET",
            format!("/zelfscan/ronde/{round}/csv"),
            [LOGIN, 200, 200, 403, 403, 403, 404, 403],
        ),
        (
            "/zelfscan/ronde/{id}/actiepunten",
            "POST",
            format!("/zelfscan/ronde/{round}/actiepunten"),
            [LOGIN, 422, 422, 403, 403, 403, 404, 403],
        ),
        (
            "/zelfscan/actiepunt/{id}",
            "POST",
            format!("/zelfscan/actiepunt/{action}"),
            [LOGIN, DONE, DONE, 403, 403, 403, 404, 403],
        ),
        (
            "/zelfscan/ronde/{id}/sluiten",
            "POST",
            format!("/zelfscan/ronde/{round}/sluiten"),
            [LOGIN, 403, DONE, 403, 403, 403, 403, 403],
        ),
        (
            "/beheer/zelfscan",
            "GET",
            "/beheer/zelfscan".into(),
            [LOGIN, 403, 403, 403, 200, 403, 403, 200],
        ),
        (
            "/beheer/zelfscan/{section}",
            "GET",
            "/beheer/zelfscan/willen-ontvangst".into(),
            [LOGIN, 403, 403, 403, 200, 403, 403, 200],
        ),
        (
            "/beheer/zelfscan/{section}",
            "GET",
            "/beheer/zelfscan/onbekend".into(),
            [LOGIN, 403, 403, 403, 404, 403, 403, 404],
        ),
        (
            "/beheer/zelfscan/{section}",
            "POST",
            "/beheer/zelfscan/algemeen".into(),
            [LOGIN, 403, 403, 403, 422, 403, 403, 422],
        ),
    ]
}
