//! Language, banner, headers, metrics, and what reaches the logs.

use crate::harness::{self, TestApp, stable};

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
    for evil in [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "/\r\nSet-Cookie:x=1",
        "/werk\u{7f}",
    ] {
        let r = c
            .get(&format!(
                "/taal/nl?terug={}",
                serde_urlencoded::to_string([("x", evil)])
                    .unwrap()
                    .trim_start_matches("x=")
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
    // /metrics only with the scraper's token: otherwise not there at all.
    assert_eq!(c.get("/metrics").await.status, 404);
    let wrong = c
        .get_with_headers("/metrics", &[("authorization", "Bearer fout")])
        .await;
    assert_eq!(wrong.status, 404);
    let bearer = format!("Bearer {}", crate::harness::METRICS_TOKEN);
    let metrics = c
        .get_with_headers("/metrics", &[("authorization", &bearer)])
        .await
        .body;
    assert!(
        metrics
            .contains("wegwijs_http_requests_total{method=\"GET\",route=\"/werk\",status=\"200\"}"),
        "{metrics}"
    );
    assert!(metrics.contains("wegwijs_logins_total{kind=\"staff\",outcome=\"ok\"}"));
}

/// Flows that log, also failures and errors with personal data typed or
/// delivered, leave no BSN, name or address in this app's own log, in any
/// form the app prints them: BSN, formal and informal name, surname, street
/// and number, postcode with and without space.
#[tokio::test]
async fn logs_never_contain_bsns_names_or_addresses() {
    use wegwijs_domain::person::PersonName;
    let app = TestApp::start(true).await;
    let a = &app.people[0];
    let mut r = app.client();
    r.resident_login(0).await;
    for path in [
        "/mijn",
        "/mijn/alles",
        "/mijn/gegevens.json",
        "/mijn/logboek",
    ] {
        assert_eq!(r.get(path).await.status, 200, "{path}");
    }
    let question = format!("Ik ben {} en woon op {}.", a.voornamen, a.straat);
    r.post(
        "/mijn/hulp",
        &[("onderwerp", "geld"), ("woorden", &question)],
    )
    .await;
    let mut c = app.as_role("medewerker").await;
    c.get("/werk").await;
    c.get(&format!("/werk/inwoner/{}", app.resident_a.0)).await;
    c.get(&format!("/werk/inwoner/{}", app.resident_b.0)).await;
    // A failed staff login with a resident's name and BSN typed in.
    let mut bad = app.client();
    bad.get("/inloggen").await;
    bad.post(
        "/inloggen",
        &[("username", &a.geslachtsnaam), ("password", &a.bsn)],
    )
    .await;
    // A resident login with a BSN the register does not have.
    let unknown = (90_000_000..)
        .filter_map(wegwijs_domain::Bsn::from_prefix)
        .find(|b| !app.people.iter().any(|p| p.bsn == b.expose()))
        .unwrap()
        .expose();
    let mut stranger = app.client();
    let start = stranger.get("/inwoner/inloggen/digid").await;
    let page = stranger.get(start.location.as_deref().unwrap()).await;
    let request = harness::field_value(&page.body, "request").unwrap();
    let back = stranger
        .post(
            "/demo-digid/authorize",
            &[("request", request.as_str()), ("bsn", unknown.as_str())],
        )
        .await;
    assert_eq!(back.status, 404, "a BSN the demo did not offer");
    let log = app.log_text();
    for flow in [
        "resident logged in",
        "staff login failed",
        "demo login refused",
    ] {
        assert!(log.contains(flow), "the flow {flow:?} did log:\n{log}");
    }
    let mut forms = vec![unknown];
    for p in &app.people {
        let name = PersonName::new(&p.voornamen, &p.voorvoegsel, &p.geslachtsnaam).unwrap();
        let surname = format!("{} {}", p.voorvoegsel, p.geslachtsnaam);
        let postcode = wegwijs_domain::Postcode::parse(&p.postcode).unwrap();
        forms.extend([
            p.bsn.clone(),
            name.formal(),
            name.informal(),
            surname.trim().to_string(),
            format!("{} {}", p.straat, p.huisnummer),
            postcode.to_string(),
            postcode.compact(),
        ]);
    }
    for secret in forms {
        assert!(!log.contains(&secret), "personal data in the log: {secret}");
    }
}

#[tokio::test]
async fn pages_render_as_recorded() {
    let app = TestApp::start(true).await;
    let mut c = app.client();
    insta::assert_snapshot!("home_nl", stable(&c.get("/").await.body));
    insta::assert_snapshot!("login_failed_nl", {
        c.get("/inloggen").await;
        stable(
            &c.post("/inloggen", &[("username", "iemand"), ("password", "fout")])
                .await
                .body,
        )
    });
    insta::assert_snapshot!("not_found_nl", stable(&c.get("/bestaat-niet").await.body));
    c.get("/taal/en?terug=/").await;
    insta::assert_snapshot!("home_en", stable(&c.get("/").await.body));
}

#[tokio::test]
async fn pages_are_compressed_and_assets_kept_by_version() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("medewerker").await;
    let header = |r: &harness::Resp, name: &str| {
        r.headers.get(name).map(|v| v.to_str().unwrap().to_string())
    };
    for (accept, used) in [
        ("br", Some("br")),
        ("gzip", Some("gzip")),
        ("identity", None),
    ] {
        let r = c
            .get_with_headers("/werk", &[("accept-encoding", accept)])
            .await;
        assert_eq!(r.status, 200, "{accept}");
        assert_eq!(header(&r, "content-encoding").as_deref(), used, "{accept}");
    }
    let page = c.get("/werk").await;
    assert!(page.body.contains("Werklijst"));
    let start = page.body.find("/static/wegwijs.css?v=").unwrap();
    let href = &page.body[start..start + page.body[start..].find('"').unwrap()];
    let css = c.get(href).await;
    assert_eq!(css.status, 200);
    assert!(css.body.contains("--ww-"), "the stylesheet itself");
    assert!(
        css.headers.get("set-cookie").is_none(),
        "a static file makes no session or cookie"
    );
    assert_eq!(
        header(&css, "cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    let etag = header(&css, "etag").unwrap();
    let again = c
        .get_with_headers(href, &[("if-none-match", etag.as_str())])
        .await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    for unversioned in ["/static/wegwijs.css", "/static/wegwijs.css?v=oud"] {
        let r = c.get(unversioned).await;
        assert_eq!(r.status, 200);
        assert_eq!(
            header(&r, "cache-control").as_deref(),
            Some("public, max-age=300"),
            "{unversioned}"
        );
    }
    for outside in ["/static/Cargo.toml", "/static/%2e%2e%2fCargo.toml"] {
        assert_eq!(c.get(outside).await.status, 404, "{outside}");
    }
}
