//! The access matrix's rows for Drempels slechten: one's own runs are the
//! professional's only (not the team lead's, not another organisation's);
//! rounds are for their members and the organisation's team leads; the
//! instrument for admins.

use crate::access::Row;
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
            [303, 200, 200, 403, 403, 403, 200],
        ),
        (
            "/zelfscan/beginnen",
            "POST",
            "/zelfscan/beginnen".into(),
            [303, 303, 303, 403, 403, 403, 303],
        ),
        (
            "/zelfscan/invullen/{id}/{part}",
            "GET",
            format!("/zelfscan/invullen/{run}/begrijpen"),
            [303, 303, 404, 403, 403, 403, 404],
        ),
        (
            "/zelfscan/invullen/{id}/{part}",
            "POST",
            format!("/zelfscan/invullen/{run}/willen"),
            [303, 303, 404, 403, 403, 403, 404],
        ),
        (
            "/zelfscan/invullen/{id}/{part}",
            "GET",
            format!("/zelfscan/invullen/{run}/onbekend"),
            [303, 404, 404, 403, 403, 403, 404],
        ),
        (
            "/zelfscan/controle/{id}",
            "GET",
            format!("/zelfscan/controle/{run}"),
            [303, 303, 404, 403, 403, 403, 404],
        ),
        (
            "/zelfscan/afronden/{id}",
            "POST",
            format!("/zelfscan/afronden/{run}"),
            [303, 303, 404, 403, 403, 403, 404],
        ),
        // The team lead never sees a member's own result.
        (
            "/zelfscan/uitslag/{id}",
            "GET",
            format!("/zelfscan/uitslag/{run}"),
            [303, 200, 404, 403, 403, 403, 404],
        ),
        (
            "/zelfscan/uitslag/{id}/csv",
            "GET",
            format!("/zelfscan/uitslag/{run}/csv"),
            [303, 200, 404, 403, 403, 403, 404],
        ),
        (
            "/zelfscan/rondes",
            "GET",
            "/zelfscan/rondes".into(),
            [303, 403, 200, 403, 403, 403, 403],
        ),
        (
            "/zelfscan/rondes",
            "POST",
            "/zelfscan/rondes".into(),
            [303, 403, 422, 403, 403, 403, 403],
        ),
        (
            "/zelfscan/ronde/{id}",
            "GET",
            format!("/zelfscan/ronde/{round}"),
            [303, 200, 200, 403, 403, 403, 404],
        ),
        (
            "/zelfscan/ronde/{id}",
            "GET",
            "/zelfscan/ronde/999999".into(),
            [303, 404, 404, 403, 403, 403, 404],
        ),
        (
            "/zelfscan/ronde/{id}/csv",
            "GET",
            format!("/zelfscan/ronde/{round}/csv"),
            [303, 200, 200, 403, 403, 403, 404],
        ),
        (
            "/zelfscan/ronde/{id}/actiepunten",
            "POST",
            format!("/zelfscan/ronde/{round}/actiepunten"),
            [303, 422, 422, 403, 403, 403, 404],
        ),
        (
            "/zelfscan/actiepunt/{id}",
            "POST",
            format!("/zelfscan/actiepunt/{action}"),
            [303, 303, 303, 403, 403, 403, 404],
        ),
        (
            "/zelfscan/ronde/{id}/sluiten",
            "POST",
            format!("/zelfscan/ronde/{round}/sluiten"),
            [303, 403, 303, 403, 403, 403, 403],
        ),
        (
            "/beheer/zelfscan",
            "GET",
            "/beheer/zelfscan".into(),
            [303, 403, 403, 403, 200, 403, 403],
        ),
        (
            "/beheer/zelfscan/{section}",
            "GET",
            "/beheer/zelfscan/willen-ontvangst".into(),
            [303, 403, 403, 403, 200, 403, 403],
        ),
        (
            "/beheer/zelfscan/{section}",
            "GET",
            "/beheer/zelfscan/onbekend".into(),
            [303, 403, 403, 403, 404, 403, 403],
        ),
        (
            "/beheer/zelfscan/{section}",
            "POST",
            "/beheer/zelfscan/algemeen".into(),
            [303, 403, 403, 403, 422, 403, 403],
        ),
    ]
}
