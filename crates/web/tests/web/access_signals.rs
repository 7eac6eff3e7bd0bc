//! The access matrix's rows for signal intake and casework: the
//! caseworker's cases and queue, the municipality's signal settings,
//! quarantine and partner tokens, and the partners' API, each tried with
//! the own municipality's ids and the other's.

use crate::access::{LOGIN, Row};
use crate::harness::TestApp;

pub(crate) fn rows(app: &TestApp) -> Vec<Row> {
    let (zaak, wacht, qr) = (app.signal_case, app.queued_signal, app.quarantined);
    vec![
        (
            "/signalen",
            "GET",
            "/signalen".into(),
            [LOGIN, 200, 200, 403, 403, 403, 200, 403],
        ),
        (
            "/signalen/export",
            "GET",
            "/signalen/export?formaat=csv".into(),
            [LOGIN, 200, 200, 403, 403, 403, 200, 403],
        ),
        (
            "/signalen/export",
            "GET",
            "/signalen/export?formaat=pdf".into(),
            [LOGIN, 400, 400, 403, 403, 403, 400, 403],
        ),
        (
            "/signalen/zaak/{id}",
            "GET",
            format!("/signalen/zaak/{zaak}"),
            [LOGIN, 200, 200, 403, 403, 403, 404, 403],
        ),
        (
            "/signalen/zaak/{id}/contact",
            "POST",
            format!("/signalen/zaak/{zaak}/contact"),
            [LOGIN, 422, 422, 403, 403, 403, 404, 403],
        ),
        (
            "/signalen/zaak/{id}/afsluiten",
            "POST",
            format!("/signalen/zaak/{zaak}/afsluiten"),
            [LOGIN, 422, 422, 403, 403, 403, 404, 403],
        ),
        (
            "/signalen/wachtrij",
            "GET",
            "/signalen/wachtrij".into(),
            [LOGIN, 200, 200, 403, 403, 403, 200, 403],
        ),
        (
            "/signalen/wachtrij/{id}",
            "GET",
            format!("/signalen/wachtrij/{wacht}"),
            [LOGIN, 200, 200, 403, 403, 403, 404, 403],
        ),
        (
            "/signalen/wachtrij/{id}/koppelen",
            "POST",
            format!("/signalen/wachtrij/{wacht}/koppelen"),
            [LOGIN, 404, 404, 403, 403, 403, 404, 403],
        ),
        (
            "/signalen/wachtrij/{id}/terzijde",
            "POST",
            format!("/signalen/wachtrij/{wacht}/terzijde"),
            [LOGIN, 400, 400, 403, 403, 403, 400, 403],
        ),
        (
            "/beheer/signalen",
            "GET",
            "/beheer/signalen".into(),
            [LOGIN, 403, 403, 403, 200, 403, 403, 200],
        ),
        (
            "/beheer/signalen",
            "POST",
            "/beheer/signalen".into(),
            [LOGIN, 403, 403, 403, 422, 403, 403, 422],
        ),
        (
            "/beheer/signalen/tokens",
            "POST",
            "/beheer/signalen/tokens".into(),
            [LOGIN, 403, 403, 403, 422, 403, 403, 422],
        ),
        (
            "/beheer/signalen/tokens/{id}/intrekken",
            "POST",
            "/beheer/signalen/tokens/999999/intrekken".into(),
            [LOGIN, 403, 403, 403, 404, 403, 403, 404],
        ),
        (
            "/beheer/signalen/quarantaine",
            "GET",
            "/beheer/signalen/quarantaine".into(),
            [LOGIN, 403, 403, 403, 200, 403, 403, 200],
        ),
        (
            "/beheer/signalen/quarantaine/{id}",
            "GET",
            format!("/beheer/signalen/quarantaine/{qr}"),
            [LOGIN, 403, 403, 403, 200, 403, 403, 404],
        ),
        (
            "/beheer/signalen/quarantaine/{id}",
            "POST",
            format!("/beheer/signalen/quarantaine/{qr}"),
            [LOGIN, 403, 403, 403, 422, 403, 403, 404],
        ),
        (
            "/beheer/signalen/quarantaine/{id}/verwijderen",
            "POST",
            "/beheer/signalen/quarantaine/999999/verwijderen".into(),
            [LOGIN, 403, 403, 403, 404, 403, 403, 404],
        ),
        (
            "/api/signalen",
            "POST",
            "/api/signalen".into(),
            [401, 401, 401, 401, 401, 401, 401, 401],
        ),
        (
            "/api/signalen/terugkoppeling",
            "POST",
            "/api/signalen/terugkoppeling".into(),
            [401, 401, 401, 401, 401, 401, 401, 401],
        ),
    ]
}
