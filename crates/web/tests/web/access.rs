//! Who may reach which route, and CSRF on every form.

use crate::harness::TestApp;

const ROLES: [&str; 8] = [
    "anoniem",
    "medewerker",
    "teamleider",
    "privacy",
    "beheerder",
    "inwoner",
    "medewerker-b",
    "beheerder-b",
];

/// A redirect to a login page: refused until one logs in.
pub(crate) const LOGIN: u16 = 3031;
/// A redirect elsewhere: done, on to the next page.
pub(crate) const DONE: u16 = 3032;

/// A response's status, with a 303 told apart by where it goes, so that
/// "refused, log in" and "done" never look alike.
fn outcome(status: u16, location: Option<&str>) -> u16 {
    match (status, location) {
        (303, Some(l)) if l.starts_with("/inloggen") || l.starts_with("/inwoner/inloggen") => LOGIN,
        (303, _) => DONE,
        (s, _) => s,
    }
}

/// (route as registered, method, path, expected status per role in ROLES
/// order; see [`LOGIN`] and [`DONE`])
pub(crate) type Row = (&'static str, &'static str, String, [u16; 8]);

/// Staff and account routes here; signals in `access_signals.rs`, the resident's portal in
/// `access_portal.rs`.
fn matrix(app: &TestApp) -> Vec<Row> {
    let a = app.resident_a.0;
    let b = app.resident_b.0;
    let mw = app.users["medewerker"];
    let mwb = app.users["medewerker-b"];
    let mut rows = vec![
        (
            "/",
            "GET",
            "/".into(),
            [200, DONE, DONE, DONE, DONE, DONE, DONE, DONE],
        ),
        (
            "/inloggen",
            "GET",
            "/inloggen".into(),
            [200, DONE, DONE, DONE, DONE, DONE, DONE, DONE],
        ),
        (
            "/werk",
            "GET",
            "/werk".into(),
            [LOGIN, 200, 200, 403, 403, 403, 200, 403],
        ),
        (
            "/werk/inwoner/{id}",
            "GET",
            format!("/werk/inwoner/{a}"),
            [LOGIN, 200, 200, 403, 403, 403, 404, 403],
        ),
        (
            "/werk/inwoner/{id}",
            "GET",
            format!("/werk/inwoner/{b}"),
            [LOGIN, 404, 404, 403, 403, 403, 200, 403],
        ),
        (
            "/werk/inwoner/{id}/notitie",
            "POST",
            format!("/werk/inwoner/{a}/notitie"),
            [LOGIN, DONE, DONE, 403, 403, 403, 404, 403],
        ),
        (
            "/werk/inwoner/{id}/notitie",
            "POST",
            format!("/werk/inwoner/{b}/notitie"),
            [LOGIN, 404, 404, 403, 403, 403, DONE, 403],
        ),
        (
            "/werk/inwoner/{id}",
            "GET",
            "/werk/inwoner/999999".into(),
            [LOGIN, 404, 404, 403, 403, 403, 404, 403],
        ),
        (
            "/team",
            "GET",
            "/team".into(),
            [LOGIN, 403, 200, 403, 403, 403, 403, 403],
        ),
        (
            "/beheer/gebruikers",
            "GET",
            "/beheer/gebruikers".into(),
            [LOGIN, 403, 403, 403, 200, 403, 403, 200],
        ),
        (
            "/beheer/gebruikers/{id}/wachtwoord",
            "GET",
            format!("/beheer/gebruikers/{mw}/wachtwoord"),
            [LOGIN, 403, 403, 403, 200, 403, 403, 404],
        ),
        (
            "/beheer/gebruikers/{id}/wachtwoord",
            "GET",
            format!("/beheer/gebruikers/{mwb}/wachtwoord"),
            [LOGIN, 403, 403, 403, 404, 403, 403, 200],
        ),
        (
            "/inloggen/stap",
            "GET",
            "/inloggen/stap".into(),
            [LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN],
        ),
        (
            "/account/wachtwoord",
            "GET",
            "/account/wachtwoord".into(),
            [LOGIN, 200, 200, 200, 200, 403, 200, 200],
        ),
        (
            "/privacy/logboek",
            "GET",
            "/privacy/logboek".into(),
            [LOGIN, 403, 403, 200, 403, 403, 403, 403],
        ),
        (
            "/privacy/logboek.csv",
            "GET",
            "/privacy/logboek.csv?uitkomst=geweigerd".into(),
            [LOGIN, 403, 403, 200, 403, 403, 403, 403],
        ),
        (
            "/privacy/signalen",
            "GET",
            "/privacy/signalen".into(),
            [LOGIN, 403, 403, 200, 403, 403, 403, 403],
        ),
        (
            "/privacy/registers",
            "GET",
            "/privacy/registers".into(),
            [LOGIN, 403, 403, 200, 403, 403, 403, 403],
        ),
        (
            "/privacy/verwerkingsregister.json",
            "GET",
            "/privacy/verwerkingsregister.json".into(),
            [LOGIN, 403, 403, 200, 403, 403, 403, 403],
        ),
        (
            "/privacy/algoritmeregister.json",
            "GET",
            "/privacy/algoritmeregister.json".into(),
            [LOGIN, 403, 403, 200, 403, 403, 403, 403],
        ),
        (
            "/inwoner/inloggen",
            "GET",
            "/inwoner/inloggen".into(),
            [200, 200, 200, 200, 200, DONE, 200, 200],
        ),
        (
            "/inwoner/inloggen/digid",
            "GET",
            "/inwoner/inloggen/digid".into(),
            [DONE; 8],
        ),
        (
            "/inwoner/terug",
            "GET",
            "/inwoner/terug".into(),
            [401, 401, 401, 401, 401, 401, 401, 401],
        ),
        ("/taal/{lang}", "GET", "/taal/nl?terug=/".into(), [DONE; 8]),
        (
            "/taal/{lang}",
            "GET",
            "/taal/xx".into(),
            [404, 404, 404, 404, 404, 404, 404, 404],
        ),
        (
            "/demo-digid/.well-known/openid-configuration",
            "GET",
            "/demo-digid/.well-known/openid-configuration".into(),
            [200, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "/demo-digid/jwks",
            "GET",
            "/demo-digid/jwks".into(),
            [200, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "/demo-digid/authorize",
            "GET",
            "/demo-digid/authorize".into(),
            [400, 400, 400, 400, 400, 400, 400, 400],
        ),
        (
            "/static/{file}",
            "GET",
            "/static/wegwijs.css".into(),
            [200, 200, 200, 200, 200, 200, 200, 200],
        ),
        ("/favicon.ico", "GET", "/favicon.ico".into(), [307; 8]),
        (
            "/static/{file}",
            "GET",
            "/static/favicon.svg".into(),
            [200; 8],
        ),
        (
            "/static/{file}",
            "GET",
            "/static/geheim.txt".into(),
            [404, 404, 404, 404, 404, 404, 404, 404],
        ),
        (
            "/healthz",
            "GET",
            "/healthz".into(),
            [200, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "/readyz",
            "GET",
            "/readyz".into(),
            [200, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "/metrics",
            "GET",
            "/metrics".into(),
            // Only with the scraper's token (pages.rs); not found without.
            [404, 404, 404, 404, 404, 404, 404, 404],
        ),
        (
            "/bestaat-niet",
            "GET",
            "/bestaat-niet".into(),
            [404, 404, 404, 404, 404, 404, 404, 404],
        ),
        (
            "/inloggen",
            "POST",
            "/inloggen".into(),
            [401, 401, 401, 401, 401, 401, 401, 401],
        ),
        (
            "/beheer/gebruikers",
            "POST",
            "/beheer/gebruikers".into(),
            [LOGIN, 403, 403, 403, 422, 403, 403, 422],
        ),
        (
            "/beheer/gebruikers/{id}/status",
            "POST",
            format!("/beheer/gebruikers/{mw}/status"),
            [LOGIN, 403, 403, 403, DONE, 403, 403, 404],
        ),
        (
            "/beheer/gebruikers/{id}/status",
            "POST",
            format!("/beheer/gebruikers/{mwb}/status"),
            [LOGIN, 403, 403, 403, 404, 403, 403, DONE],
        ),
        (
            "/beheer/gebruikers/{id}/wachtwoord",
            "POST",
            format!("/beheer/gebruikers/{mw}/wachtwoord"),
            [LOGIN, 403, 403, 403, 422, 403, 403, 404],
        ),
        (
            "/beheer/gebruikers/{id}/tweede-stap",
            "POST",
            format!("/beheer/gebruikers/{mw}/tweede-stap"),
            [LOGIN, 403, 403, 403, DONE, 403, 403, 404],
        ),
        (
            "/beheer/gebruikers/{id}/tweede-stap",
            "POST",
            format!("/beheer/gebruikers/{mwb}/tweede-stap"),
            [LOGIN, 403, 403, 403, 404, 403, 403, DONE],
        ),
        // No login waits between its steps: back to the start.
        (
            "/inloggen/stap",
            "POST",
            "/inloggen/stap".into(),
            [LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN],
        ),
        // A demo has no second step, so no recovery codes to renew.
        (
            "/account/herstelcodes",
            "POST",
            "/account/herstelcodes".into(),
            [LOGIN, 404, 404, 404, 404, 403, 404, 404],
        ),
        // The current password is missing.
        (
            "/account/wachtwoord",
            "POST",
            "/account/wachtwoord".into(),
            [LOGIN, 422, 422, 422, 422, 403, 422, 422],
        ),
        (
            "/privacy/logboek/controleren",
            "POST",
            "/privacy/logboek/controleren".into(),
            [LOGIN, 403, 403, 200, 403, 403, 403, 403],
        ),
        (
            "/demo-digid/authorize",
            "POST",
            "/demo-digid/authorize".into(),
            [400, 400, 400, 400, 400, 400, 400, 400],
        ),
        (
            "/demo-digid/token",
            "POST",
            "/demo-digid/token".into(),
            [400, 400, 400, 400, 400, 400, 400, 400],
        ),
        (
            "/schrijfhulp",
            "GET",
            "/schrijfhulp".into(),
            [LOGIN, 200, 200, 200, 200, 403, 200, 200],
        ),
        (
            "/schrijfhulp",
            "POST",
            "/schrijfhulp".into(),
            [LOGIN, 200, 200, 200, 200, 403, 200, 200],
        ),
        (
            "/schrijfhulp/resultaat",
            "POST",
            "/schrijfhulp/resultaat".into(),
            [LOGIN, 200, 200, 200, 200, 403, 200, 200],
        ),
        (
            "/static/{file}",
            "GET",
            "/static/schrijfhulp.js".into(),
            [200, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "/sessie/verlengen",
            "POST",
            "/sessie/verlengen".into(),
            [LOGIN, DONE, DONE, DONE, DONE, DONE, DONE, DONE],
        ),
        (
            "/static/{file}",
            "GET",
            "/static/sessie.js".into(),
            [200, 200, 200, 200, 200, 200, 200, 200],
        ),
        ("/uitloggen", "POST", "/uitloggen".into(), [DONE; 8]),
    ];
    // Logging out stays last: every row before it runs in the session.
    let logout = rows.pop().unwrap();
    assert_eq!(logout.0, "/uitloggen");
    rows.extend(crate::access_portal::rows(app));
    rows.extend(crate::access_work::rows(app));
    rows.extend(crate::access_signals::rows(app));
    rows.extend(crate::access_selfscan::rows(app));
    let derived: Vec<Row> = page_rows()
        .into_iter()
        .filter(|d| !rows.iter().any(|r| r.0 == d.0 && r.1 == "GET"))
        .collect();
    rows.extend(derived);
    rows.push(logout);
    rows
}

/// Rows the router's pages give by themselves (`Routes::page`): whoever
/// the policy allows the page's capability opens it, an anonymous visitor
/// is sent to log in, anyone else is refused. A new page needs no row here.
fn page_rows() -> Vec<Row> {
    wegwijs_web::route_list()
        .into_iter()
        .filter_map(|r| Some((r.path, r.page_for?)))
        .map(|(path, capability)| {
            let expected = ROLES.map(|role| match crate::harness::actor_of(role) {
                None => LOGIN,
                Some(a) if wegwijs_domain::policy::may(&a, capability) => 200,
                Some(_) => 403,
            });
            (path, "GET", path.to_string(), expected)
        })
        .collect()
}

/// Form fields for the POST routes: valid CSRF, but otherwise harmless.
/// The wrong-password login uses a username per role, so the rate limit
/// (five failures per username) does not kick in here.
fn form_for(app: &TestApp, path: &str, role: &str) -> Vec<(&'static str, String)> {
    // A colleague of one's own organisation (b's only caseworker is b).
    let colleague = match role {
        "medewerker-b" => app.users["medewerker-b"],
        _ => app.users["collega-1"],
    };
    match path {
        p if p.starts_with("/werk/") && p.ends_with("/toewijzen") && p != "/werk/toewijzen" => {
            vec![("versie", "999".into()), ("aan", colleague.to_string())]
        }
        p if p.starts_with("/werk/") && p.ends_with("/status") => vec![
            ("versie", "999".into()),
            ("status", "wacht-op-inwoner".into()),
        ],
        p if p.ends_with("/afronden") => vec![
            ("versie", "999".into()),
            ("soort", "doorverwijzing".into()),
            ("uitkomst", "afgerond".into()),
        ],
        "/beheer/teams/route" => vec![
            ("soort", "signaal".into()),
            ("team", app.team_a.to_string()),
            ("werkdagen", "5".into()),
        ],
        p if p.ends_with("/status") => vec![("active", "1".into())],
        p if p.ends_with("/wachtwoord") => vec![("password", "kort".into())],
        p if p.ends_with("/koppelen") => vec![("inwoner", "999999".into())],
        p if p.starts_with("/schrijfhulp") => vec![("tekst", "Derhalve betaalt u.".into())],
        p if p.ends_with("/notitie") => vec![
            ("doel", "gesprek".into()),
            ("notitie", "Gesproken over de huur.".into()),
        ],
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
    // A page's own row, where the table has one, says what the policy says.
    for (path, _, _, derived) in page_rows() {
        for (p, m, url, expected) in &table {
            if *p == path && *m == "GET" && url == path {
                assert_eq!(expected, &derived, "{path}: the row and the policy differ");
            }
        }
    }
    let failures = walk(&app, &table).await;
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Tries every row of `table` as every role; returns what differed from
/// the row's expectation.
async fn walk(app: &TestApp, table: &[Row]) -> Vec<String> {
    let mut failures = Vec::new();
    for (i, role) in ROLES.iter().enumerate() {
        let mut c = app.as_role(role).await;
        for (_, method, path, expected) in table {
            let fields = form_for(app, path, role);
            let r = if *method == "GET" {
                c.get(path).await
            } else {
                c.post(path, &borrowed(&fields)).await
            };
            let got = outcome(r.status, r.location.as_deref());
            if got != expected[i] {
                failures.push(format!(
                    "{role} {method} {path}: got {got} ({:?}), expected {}",
                    r.location, expected[i]
                ));
            }
            if *method == "GET" && (path.starts_with("/beheer") || path.starts_with("/signalen")) {
                c.get("/").await; // keep a page with a CSRF token as the last one
            }
        }
    }
    failures
}

/// Every route as every role: what the query-plan test watches the app do.
pub(crate) async fn walk_every_route(app: &TestApp) {
    let failures = walk(app, &matrix(app)).await;
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
            let owned = form_for(&app, &path, role);
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
