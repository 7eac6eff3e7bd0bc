//! Who may reach which route, and CSRF on every form.

use crate::harness::TestApp;

const ROLES: [&str; 7] = [
    "anoniem",
    "medewerker",
    "teamleider",
    "privacy",
    "beheerder",
    "inwoner",
    "medewerker-b",
];

/// (route as registered, method, path, expected status per role in ROLES
/// order)
pub(crate) type Row = (&'static str, &'static str, String, [u16; 7]);

/// Staff, account and signal routes here; the resident's portal in
/// `access_portal.rs`.
fn matrix(app: &TestApp) -> Vec<Row> {
    let a = app.resident_a.0;
    let b = app.resident_b.0;
    let mw = app.users["medewerker"];
    let mwb = app.users["medewerker-b"];
    let (zaak, wacht, qr) = (app.signal_case, app.queued_signal, app.quarantined);
    let mut rows = vec![
        ("/", "GET", "/".into(), [200, 303, 303, 303, 303, 303, 303]),
        (
            "/inloggen",
            "GET",
            "/inloggen".into(),
            [200, 303, 303, 303, 303, 303, 303],
        ),
        (
            "/werk",
            "GET",
            "/werk".into(),
            [303, 200, 200, 403, 403, 403, 200],
        ),
        (
            "/werk/inwoner/{id}",
            "GET",
            format!("/werk/inwoner/{a}"),
            [303, 200, 200, 403, 403, 403, 403],
        ),
        (
            "/werk/inwoner/{id}",
            "GET",
            format!("/werk/inwoner/{b}"),
            [303, 403, 403, 403, 403, 403, 200],
        ),
        (
            "/werk/inwoner/{id}",
            "GET",
            "/werk/inwoner/999999".into(),
            [303, 403, 403, 403, 403, 403, 403],
        ),
        (
            "/team",
            "GET",
            "/team".into(),
            [303, 403, 200, 403, 403, 403, 403],
        ),
        (
            "/beheer/gebruikers",
            "GET",
            "/beheer/gebruikers".into(),
            [303, 403, 403, 403, 200, 403, 403],
        ),
        (
            "/beheer/gebruikers/{id}/wachtwoord",
            "GET",
            format!("/beheer/gebruikers/{mw}/wachtwoord"),
            [303, 403, 403, 403, 200, 403, 403],
        ),
        (
            "/beheer/gebruikers/{id}/wachtwoord",
            "GET",
            format!("/beheer/gebruikers/{mwb}/wachtwoord"),
            [303, 403, 403, 403, 404, 403, 403],
        ),
        (
            "/privacy/logboek",
            "GET",
            "/privacy/logboek".into(),
            [303, 403, 403, 200, 403, 403, 403],
        ),
        (
            "/inwoner/inloggen",
            "GET",
            "/inwoner/inloggen".into(),
            [200, 200, 200, 200, 200, 303, 200],
        ),
        (
            "/inwoner/inloggen/digid",
            "GET",
            "/inwoner/inloggen/digid".into(),
            [303; 7],
        ),
        ("/inwoner/terug", "GET", "/inwoner/terug".into(), [401; 7]),
        ("/taal/{lang}", "GET", "/taal/nl?terug=/".into(), [303; 7]),
        ("/taal/{lang}", "GET", "/taal/xx".into(), [404; 7]),
        (
            "/demo-digid/.well-known/openid-configuration",
            "GET",
            "/demo-digid/.well-known/openid-configuration".into(),
            [200; 7],
        ),
        (
            "/demo-digid/jwks",
            "GET",
            "/demo-digid/jwks".into(),
            [200; 7],
        ),
        (
            "/demo-digid/authorize",
            "GET",
            "/demo-digid/authorize".into(),
            [400; 7],
        ),
        (
            "/static/{file}",
            "GET",
            "/static/wegwijs.css".into(),
            [200; 7],
        ),
        (
            "/static/{file}",
            "GET",
            "/static/geheim.txt".into(),
            [404; 7],
        ),
        ("/healthz", "GET", "/healthz".into(), [200; 7]),
        ("/readyz", "GET", "/readyz".into(), [200; 7]),
        ("/metrics", "GET", "/metrics".into(), [200; 7]),
        ("/bestaat-niet", "GET", "/bestaat-niet".into(), [404; 7]),
        ("/inloggen", "POST", "/inloggen".into(), [401; 7]),
        (
            "/beheer/gebruikers",
            "POST",
            "/beheer/gebruikers".into(),
            [303, 403, 403, 403, 422, 403, 403],
        ),
        (
            "/beheer/gebruikers/{id}/status",
            "POST",
            format!("/beheer/gebruikers/{mw}/status"),
            [303, 403, 403, 403, 303, 403, 403],
        ),
        (
            "/beheer/gebruikers/{id}/status",
            "POST",
            format!("/beheer/gebruikers/{mwb}/status"),
            [303, 403, 403, 403, 404, 403, 403],
        ),
        (
            "/beheer/gebruikers/{id}/wachtwoord",
            "POST",
            format!("/beheer/gebruikers/{mw}/wachtwoord"),
            [303, 403, 403, 403, 422, 403, 403],
        ),
        (
            "/privacy/logboek/controleren",
            "POST",
            "/privacy/logboek/controleren".into(),
            [303, 403, 403, 200, 403, 403, 403],
        ),
        (
            "/demo-digid/authorize",
            "POST",
            "/demo-digid/authorize".into(),
            [400; 7],
        ),
        (
            "/demo-digid/token",
            "POST",
            "/demo-digid/token".into(),
            [400; 7],
        ),
        (
            "/signalen",
            "GET",
            "/signalen".into(),
            [303, 200, 200, 403, 403, 403, 200],
        ),
        (
            "/signalen/export",
            "GET",
            "/signalen/export?formaat=csv".into(),
            [303, 200, 200, 403, 403, 403, 200],
        ),
        (
            "/signalen/export",
            "GET",
            "/signalen/export?formaat=pdf".into(),
            [303, 400, 400, 403, 403, 403, 400],
        ),
        (
            "/signalen/zaak/{id}",
            "GET",
            format!("/signalen/zaak/{zaak}"),
            [303, 200, 200, 403, 403, 403, 403],
        ),
        (
            "/signalen/zaak/{id}/contact",
            "POST",
            format!("/signalen/zaak/{zaak}/contact"),
            [303, 422, 422, 403, 403, 403, 403],
        ),
        (
            "/signalen/zaak/{id}/afsluiten",
            "POST",
            format!("/signalen/zaak/{zaak}/afsluiten"),
            [303, 422, 422, 403, 403, 403, 403],
        ),
        (
            "/signalen/wachtrij",
            "GET",
            "/signalen/wachtrij".into(),
            [303, 200, 200, 403, 403, 403, 200],
        ),
        (
            "/signalen/wachtrij/{id}",
            "GET",
            format!("/signalen/wachtrij/{wacht}"),
            [303, 200, 200, 403, 403, 403, 404],
        ),
        (
            "/signalen/wachtrij/{id}/koppelen",
            "POST",
            format!("/signalen/wachtrij/{wacht}/koppelen"),
            [303, 404, 404, 403, 403, 403, 404],
        ),
        (
            "/signalen/wachtrij/{id}/terzijde",
            "POST",
            format!("/signalen/wachtrij/{wacht}/terzijde"),
            [303, 400, 400, 403, 403, 403, 400],
        ),
        (
            "/beheer/signalen",
            "GET",
            "/beheer/signalen".into(),
            [303, 403, 403, 403, 200, 403, 403],
        ),
        (
            "/beheer/signalen",
            "POST",
            "/beheer/signalen".into(),
            [303, 403, 403, 403, 422, 403, 403],
        ),
        (
            "/beheer/signalen/tokens",
            "POST",
            "/beheer/signalen/tokens".into(),
            [303, 403, 403, 403, 422, 403, 403],
        ),
        (
            "/beheer/signalen/tokens/{id}/intrekken",
            "POST",
            "/beheer/signalen/tokens/999999/intrekken".into(),
            [303, 403, 403, 403, 404, 403, 403],
        ),
        (
            "/beheer/signalen/quarantaine",
            "GET",
            "/beheer/signalen/quarantaine".into(),
            [303, 403, 403, 403, 200, 403, 403],
        ),
        (
            "/beheer/signalen/quarantaine/{id}",
            "GET",
            format!("/beheer/signalen/quarantaine/{qr}"),
            [303, 403, 403, 403, 200, 403, 403],
        ),
        (
            "/beheer/signalen/quarantaine/{id}",
            "POST",
            format!("/beheer/signalen/quarantaine/{qr}"),
            [303, 403, 403, 403, 422, 403, 403],
        ),
        (
            "/beheer/signalen/quarantaine/{id}/verwijderen",
            "POST",
            "/beheer/signalen/quarantaine/999999/verwijderen".into(),
            [303, 403, 403, 403, 404, 403, 403],
        ),
        ("/api/signalen", "POST", "/api/signalen".into(), [401; 7]),
        (
            "/api/signalen/terugkoppeling",
            "POST",
            "/api/signalen/terugkoppeling".into(),
            [401; 7],
        ),
        (
            "/schrijfhulp",
            "GET",
            "/schrijfhulp".into(),
            [303, 200, 200, 200, 200, 403, 200],
        ),
        (
            "/schrijfhulp",
            "POST",
            "/schrijfhulp".into(),
            [303, 200, 200, 200, 200, 403, 200],
        ),
        (
            "/schrijfhulp/resultaat",
            "POST",
            "/schrijfhulp/resultaat".into(),
            [303, 200, 200, 200, 200, 403, 200],
        ),
        (
            "/static/{file}",
            "GET",
            "/static/schrijfhulp.js".into(),
            [200; 7],
        ),
        (
            "/sessie/verlengen",
            "POST",
            "/sessie/verlengen".into(),
            [303; 7],
        ),
        (
            "/static/{file}",
            "GET",
            "/static/sessie.js".into(),
            [200; 7],
        ),
        ("/uitloggen", "POST", "/uitloggen".into(), [303; 7]),
    ];
    // Logging out stays last: every row before it runs in the session.
    let logout = rows.pop().unwrap();
    assert_eq!(logout.0, "/uitloggen");
    rows.extend(crate::access_portal::rows(app));
    rows.extend(crate::access_selfscan::rows(app));
    rows.push(logout);
    rows
}

/// Form fields for the POST routes: valid CSRF, but otherwise harmless.
/// The wrong-password login uses a username per role, so the rate limit
/// (five failures per username) does not kick in here.
fn form_for(path: &str, role: &str) -> Vec<(&'static str, String)> {
    match path {
        p if p.ends_with("/status") => vec![("active", "1".into())],
        p if p.ends_with("/wachtwoord") => vec![("password", "kort".into())],
        p if p.ends_with("/koppelen") => vec![("inwoner", "999999".into())],
        p if p.starts_with("/schrijfhulp") => vec![("tekst", "Derhalve betaalt u.".into())],
        p if p.starts_with("/werk/hulpvraag/") => vec![
            ("status", "in-behandeling".into()),
            ("bericht", "Ik bel u.".into()),
        ],
        "/mijn/regeling" => vec![
            ("regeling", "wet_op_de_zorgtoeslag".into()),
            ("soort", "terugbellen".into()),
            ("telefoon", "12".into()),
        ],
        "/inloggen" => vec![
            ("username", format!("onbekend-{role}")),
            ("password", "fout".into()),
        ],
        "/demo-digid/token" => vec![("grant_type", "password".into())],
        p if p.starts_with("/zelfscan/actiepunt/") => vec![("klaar", "1".into())],
        _ => vec![],
    }
}

fn borrowed<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[tokio::test]
async fn every_route_for_every_role() {
    let app = TestApp::start(true).await;
    let table = matrix(&app);
    // Every method and route the router registers is in the table, and
    // the table names none it does not.
    let routes = wegwijs_web::route_list();
    assert!(
        routes.len() > 80,
        "the router lists {} routes",
        routes.len()
    );
    for r in &routes {
        assert!(
            table
                .iter()
                .any(|(p, m, _, _)| *p == r.path && *m == r.method),
            "{} {} is missing from the access matrix",
            r.method,
            r.path
        );
    }
    for (p, m, path, _) in &table {
        assert!(
            routes.iter().any(|r| r.path == *p && r.method == *m) || *p == "/bestaat-niet",
            "the access matrix tries {m} {path} as {p}, which the router does not have"
        );
    }
    let mut failures = Vec::new();
    for (i, role) in ROLES.iter().enumerate() {
        let mut c = app.as_role(role).await;
        for (_, method, path, expected) in &table {
            let fields = form_for(path, role);
            let r = if *method == "GET" {
                c.get(path).await
            } else {
                c.post(path, &borrowed(&fields)).await
            };
            if r.status != expected[i] {
                failures.push(format!(
                    "{role} {method} {path}: got {}, expected {}",
                    r.status, expected[i]
                ));
            }
            if *method == "GET" && (path.starts_with("/beheer") || path.starts_with("/signalen")) {
                c.get("/").await; // keep a page with a CSRF token as the last one
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn every_form_post_needs_the_csrf_token() {
    let app = TestApp::start(true).await;
    for role in ["anoniem", "beheerder", "privacy", "inwoner"] {
        let mut c = app.as_role(role).await;
        for (_, method, path, _) in matrix(&app) {
            if method != "POST" || path == "/demo-digid/token" || path.starts_with("/api/") {
                continue;
            }
            let owned = form_for(&path, role);
            let mut fields = borrowed(&owned);
            let r = c.post_raw(&path, &fields).await;
            assert_eq!(r.status, 403, "{role} {path} without token");
            fields.push((
                "csrf",
                "0000000000000000000000000000000000000000000000000000000000000000",
            ));
            assert_eq!(
                c.post_raw(&path, &fields).await.status,
                403,
                "{role} {path} with a wrong token"
            );
            assert!(
                r.body.contains("Het formulier is verlopen"),
                "{role} {path}: the page says what to do"
            );
        }
    }
}
