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
    assert_eq!(c.get("/static/../Cargo.toml").await.status, 404);
}
