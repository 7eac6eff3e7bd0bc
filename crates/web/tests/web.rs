//! The web app through HTTP, as browsers and other servers use it.

mod harness;

use harness::{PASSWORD, TestApp, field_value};
use wegwijs_domain::Bsn;

const ROLES: [&str; 7] = [
    "anoniem",
    "medewerker",
    "teamleider",
    "privacy",
    "beheerder",
    "inwoner",
    "medewerker-b",
];

/// (route as registered, method, path, expected status per role in ROLES order)
fn matrix(app: &TestApp) -> Vec<(&'static str, &'static str, String, [u16; 7])> {
    let a = app.resident_a.0;
    let b = app.resident_b.0;
    let mw = app.users["medewerker"];
    let mwb = app.users["medewerker-b"];
    vec![
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
            "/mijn",
            "GET",
            "/mijn".into(),
            [303, 403, 403, 403, 403, 200, 403],
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
            "/static/wegwijs.css",
            "GET",
            "/static/wegwijs.css".into(),
            [200; 7],
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
        ("/uitloggen", "POST", "/uitloggen".into(), [303; 7]),
    ]
}

/// Form fields for the POST routes: valid CSRF, but otherwise harmless.
/// The wrong-password login uses a username per role, so the rate limit
/// (five failures per username) does not kick in here.
fn form_for(path: &str, role: &str) -> Vec<(&'static str, String)> {
    match path {
        p if p.ends_with("/status") => vec![("active", "1".into())],
        p if p.ends_with("/wachtwoord") => vec![("password", "kort".into())],
        "/inloggen" => vec![
            ("username", format!("onbekend-{role}")),
            ("password", "fout".into()),
        ],
        "/demo-digid/token" => vec![("grant_type", "password".into())],
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
    // Every route the router registers is in the table.
    let source = include_str!("../src/lib.rs");
    for part in source.split(".route(\"").skip(1) {
        let route = &part[..part.find('"').unwrap()];
        assert!(
            table.iter().any(|(r, _, _, _)| *r == route),
            "route {route} is missing from the access matrix"
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
            if *method == "GET" && path.starts_with("/beheer") {
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
            if method != "POST" || path == "/demo-digid/token" {
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

#[tokio::test]
async fn staff_login_is_rate_limited_and_rotates_the_session() {
    let app = TestApp::start(true).await;
    let mut c = app.client();
    c.get("/inloggen").await;
    let r = c
        .post(
            "/inloggen",
            &[("username", "medewerker"), ("password", "fout")],
        )
        .await;
    assert_eq!(r.status, 401);
    assert!(
        r.body
            .contains("De gebruikersnaam of het wachtwoord klopt niet")
    );
    assert!(
        r.body.contains("value=\"medewerker\""),
        "the username stays filled in"
    );
    for _ in 0..4 {
        c.post(
            "/inloggen",
            &[("username", "medewerker"), ("password", "fout")],
        )
        .await;
    }
    let r = c
        .post(
            "/inloggen",
            &[("username", "medewerker"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, 429, "locked even with the right password");
    assert!(r.body.contains("Wacht 15 minuten"));
    app.clock.advance(time::Duration::minutes(16));
    let before = c.cookies.get("wegwijs_sessie").cloned();
    let r = c
        .post(
            "/inloggen",
            &[("username", "medewerker"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!((r.status, r.location.as_deref()), (303, Some("/werk")));
    let session = c.cookies.get("wegwijs_sessie").cloned().unwrap();
    assert_ne!(Some(session.clone()), before);
    // Logging in again gives a new session and ends the old one.
    let mut old = app.client();
    old.cookies.insert("wegwijs_sessie".into(), session.clone());
    c.get("/werk").await; // forms of a logged-in person carry the session's token
    let r = c
        .post(
            "/inloggen",
            &[("username", "teamleider"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_ne!(c.cookies.get("wegwijs_sessie"), Some(&session));
    assert_eq!(
        old.get("/werk").await.status,
        303,
        "the old session no longer works"
    );
    // Logout ends the session.
    c.get("/team").await;
    assert_eq!(
        c.post("/uitloggen", &[]).await.location.as_deref(),
        Some("/?uitgelogd=1")
    );
    assert_eq!(c.get("/team").await.status, 303);
    // Sessions expire after the idle time.
    let mut d = app.as_role("privacy").await;
    app.clock.advance(time::Duration::minutes(31));
    assert_eq!(d.get("/privacy/logboek").await.status, 303);
}

#[tokio::test]
async fn admins_manage_accounts_and_forms_keep_what_was_typed() {
    let app = TestApp::start(true).await;
    let mut admin = app.as_role("beheerder").await;
    let r = admin
        .post(
            "/beheer/gebruikers",
            &[
                ("name", "Nieuwe Collega"),
                ("username", "nieuwe collega"),
                ("role", "medewerker"),
                ("password", "kort"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("Gebruikersnaam bevat tekens die niet mogen"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("Wachtwoord is te kort. Gebruik minstens 12 tekens.")
    );
    assert!(
        r.body.contains("value=\"Nieuwe Collega\"") && r.body.contains("value=\"nieuwe collega\""),
        "typed values are kept"
    );
    let r = admin
        .post(
            "/beheer/gebruikers",
            &[
                ("name", "Dubbel"),
                ("username", "medewerker"),
                ("role", "medewerker"),
                ("password", "lang genoeg wachtwoord"),
            ],
        )
        .await;
    assert!(r.body.contains("Gebruikersnaam bestaat al"));
    let r = admin
        .post(
            "/beheer/gebruikers",
            &[
                ("name", "Nieuwe Collega"),
                ("username", "n.collega"),
                ("role", "teamleider"),
                ("password", "lang genoeg wachtwoord"),
            ],
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some("/beheer/gebruikers?gelukt=toegevoegd&naam=n.collega")
    );
    let page = admin
        .get("/beheer/gebruikers?gelukt=toegevoegd&naam=n.collega")
        .await;
    assert!(page.body.contains("De gebruiker n.collega is toegevoegd."));
    let mut new = app.client();
    new.get("/inloggen").await;
    let r = new
        .post(
            "/inloggen",
            &[
                ("username", "n.collega"),
                ("password", "lang genoeg wachtwoord"),
            ],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/team"));
    // Blocking ends the new colleague's session at once.
    let (id, _) = app
        .store
        .credentials("n.collega")
        .await
        .unwrap()
        .map(|(u, h)| (u.id, h))
        .unwrap();
    admin.get("/beheer/gebruikers").await;
    assert_eq!(
        admin
            .post(
                &format!("/beheer/gebruikers/{id}/status"),
                &[("active", "0")]
            )
            .await
            .status,
        303
    );
    assert_eq!(new.get("/team").await.status, 303);
    // An admin cannot block themselves.
    let me = app.users["beheerder"];
    admin.get("/beheer/gebruikers").await;
    let r = admin
        .post(
            &format!("/beheer/gebruikers/{me}/status"),
            &[("active", "0")],
        )
        .await;
    assert!(r.body.contains("U kunt uw eigen account niet blokkeren."));
    // A new password works and the admin sees no resident data anywhere.
    admin
        .get(&format!("/beheer/gebruikers/{id}/wachtwoord"))
        .await;
    let r = admin
        .post(
            &format!("/beheer/gebruikers/{id}/wachtwoord"),
            &[("password", "een ander lang wachtwoord")],
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some("/beheer/gebruikers?gelukt=wachtwoord")
    );
    let body = admin.get("/beheer/gebruikers").await.body;
    assert!(app.people.iter().all(|p| !body.contains(&p.bsn)));
}

#[tokio::test]
async fn residents_log_in_with_digid_and_see_only_their_own_data() {
    let app = TestApp::start(true).await;
    let mut c = app.client();
    let r = c.resident_login(0).await;
    assert_eq!(r.location.as_deref(), Some("/mijn"));
    let page = c.get("/mijn").await;
    let me = &app.people[0];
    assert!(
        page.body.contains(&me.bsn) && page.body.contains(&me.geslachtsnaam),
        "own data shown"
    );
    assert!(
        app.people[1..].iter().all(|p| !page.body.contains(&p.bsn)),
        "nobody else's"
    );
    assert_eq!(
        c.get(&format!("/werk/inwoner/{}", app.resident_b.0))
            .await
            .status,
        403
    );
    let log = app.store.audit_page(0, 10_000, None).await.unwrap();
    assert!(log.iter().any(
        |e| e.action == "inwoner-bekeken" && e.actor == format!("inwoner:{}", app.resident_a.0)
    ));

    // A BSN that is not in the register gets a clear refusal.
    let mut stranger = app.client();
    let start = stranger.get("/inwoner/inloggen/digid").await;
    let page = stranger.get(start.location.as_deref().unwrap()).await;
    let request = field_value(&page.body, "request").unwrap();
    let unknown = (10_000_000..).find_map(Bsn::from_prefix).unwrap().expose();
    let cb = stranger
        .post(
            "/demo-digid/authorize",
            &[("request", &request), ("bsn", &unknown)],
        )
        .await;
    let r = stranger.get(cb.location.as_deref().unwrap()).await;
    assert_eq!(r.status, 403);
    assert!(
        r.body
            .contains("Wij kennen u niet als inwoner van deze gemeente")
    );
    assert!(
        !cb.location.unwrap().contains(&unknown),
        "the BSN never travels in a URL"
    );

    // A callback with someone else's state is refused.
    let mut attacker = app.client();
    let start = attacker.get("/inwoner/inloggen/digid").await;
    let page = attacker.get(start.location.as_deref().unwrap()).await;
    let request = field_value(&page.body, "request").unwrap();
    let cb = attacker
        .post(
            "/demo-digid/authorize",
            &[("request", &request), ("bsn", &app.people[0].bsn)],
        )
        .await;
    let mut victim = app.client();
    victim.get("/inwoner/inloggen/digid").await;
    let r = victim.get(cb.location.as_deref().unwrap()).await;
    assert_eq!(r.status, 401, "state mismatch");
    assert!(!victim.cookies.contains_key("wegwijs_sessie"));
}

#[tokio::test]
async fn production_mode_has_no_demo_login_and_no_banner() {
    let app = TestApp::start(false).await;
    let mut c = app.client();
    let home = c.get("/").await;
    assert!(!home.body.contains("Dit is een demo"));
    for path in [
        "/demo-digid/.well-known/openid-configuration",
        "/demo-digid/jwks",
        "/demo-digid/authorize",
    ] {
        let r = c.get(path).await;
        assert_eq!(r.status, 403, "{path}");
        assert!(r.body.contains("Demo-inloggen staat uit"));
    }
    let r = c.get("/inwoner/inloggen/digid").await;
    assert_eq!(r.status, 503);
    assert!(r.body.contains("Inloggen met DigiD is niet gelukt"));
}

#[tokio::test]
async fn pages_speak_dutch_then_english_and_carry_the_demo_banner() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("medewerker").await;
    let nl = c.get("/werk").await;
    assert!(
        nl.body.contains("<html lang=\"nl\">")
            && nl.body.contains("Dit is een demo")
            && nl.body.contains("Werklijst")
    );
    let r = c.get("/taal/en?terug=/werk").await;
    assert_eq!(r.location.as_deref(), Some("/werk"));
    let en = c.get("/werk").await;
    assert!(
        en.body.contains("<html lang=\"en\">")
            && en.body.contains("This is a demo")
            && en.body.contains("Worklist")
    );
    // The language switch never sends people to another site.
    for evil in ["//evil.example", "https://evil.example", "/\\evil.example"] {
        let r = c
            .get(&format!(
                "/taal/nl?terug={}",
                evil.replace('/', "%2F").replace('\\', "%5C")
            ))
            .await;
        assert_eq!(r.location.as_deref(), Some("/"), "{evil}");
    }
    // An English browser gets English on a first visit.
    let mut fresh = app.client();
    let r = fresh.get("/").await;
    assert!(r.body.contains("lang=\"nl\""));
    let headers = &r.headers;
    assert_eq!(headers["x-frame-options"], "DENY");
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
    assert_eq!(headers["cache-control"], "no-store");
    let metrics = c.get("/metrics").await.body;
    assert!(
        metrics
            .contains("wegwijs_http_requests_total{method=\"GET\",route=\"/werk\",status=\"200\"}"),
        "{metrics}"
    );
    assert!(metrics.contains("wegwijs_logins_total{kind=\"staff\",outcome=\"ok\"}"));
}

#[tokio::test]
async fn logs_never_contain_bsns_names_or_addresses() {
    let app = TestApp::start(true).await;
    let mut r = app.client();
    r.resident_login(0).await;
    r.get("/mijn").await;
    let mut c = app.as_role("medewerker").await;
    c.get("/werk").await;
    c.get(&format!("/werk/inwoner/{}", app.resident_a.0)).await;
    c.get(&format!("/werk/inwoner/{}", app.resident_b.0)).await;
    let mut bad = app.client();
    bad.get("/inloggen").await;
    bad.post(
        "/inloggen",
        &[("username", "medewerker"), ("password", "fout")],
    )
    .await;
    let log = String::from_utf8(harness::log_buffer().lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("staff logged in") && log.contains("resident logged in"),
        "the flows did log"
    );
    for p in &app.people {
        let street = format!("{} {}", p.straat, p.huisnummer);
        for secret in [
            &p.bsn,
            &street,
            &format!("{} {}", p.voornamen, p.geslachtsnaam),
        ] {
            assert!(
                !log.contains(secret.as_str()),
                "personal data in the log: {secret}"
            );
        }
    }
}
