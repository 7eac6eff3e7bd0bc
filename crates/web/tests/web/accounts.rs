//! Staff login, sessions, and account management.

use crate::harness::{PASSWORD, Resp, TestApp};

/// One login attempt from the client address `ip` (behind the test's
/// trusted proxy).
async fn login_from(app: &TestApp, ip: &str, user: &str, password: &str) -> Resp {
    let mut c = app.client().seen_from(ip);
    c.get("/inloggen").await;
    c.post("/inloggen", &[("username", user), ("password", password)])
        .await
}

/// Someone tries passwords for an account, from a few addresses; the
/// account's owner, elsewhere, still logs in; the attacker's addresses are
/// slowed, for that account and (past the address limit) for every one.
#[tokio::test]
async fn an_account_under_attack_still_opens_for_its_owner_elsewhere() {
    use wegwijs_domain::policy::{MAX_FAILURES_ACCOUNT, MAX_FAILURES_ADDRESS};
    let app = TestApp::start(true).await;
    let attacker = "203.0.113.66";
    for _ in 0..MAX_FAILURES_ACCOUNT {
        let r = login_from(&app, attacker, "medewerker", "raden-maar").await;
        assert_eq!(r.status, 401);
    }
    let r = login_from(&app, attacker, "medewerker", "raden-maar").await;
    assert_eq!(r.status, 429);
    assert!(r.body.contains("Wacht 15 minuten"));
    // The attacker with the right password is not let in from there either.
    let r = login_from(&app, attacker, "medewerker", PASSWORD).await;
    assert_eq!(r.status, 429);
    // A forged entry before the proxy's own changes nothing: the test's
    // clients come from the loopback, the trusted proxy, and the entry it
    // appended is what counts.
    let forged = format!("198.51.100.1, {attacker}");
    let r = login_from(&app, &forged, "medewerker", PASSWORD).await;
    assert_eq!(r.status, 429);
    // The owner, from home.
    let r = login_from(&app, "198.51.100.23", "medewerker", PASSWORD).await;
    assert_eq!((r.status, r.location.as_deref()), (303, Some("/werk")));
    // An address that fails for many accounts is slowed for all of them.
    for i in 0..MAX_FAILURES_ADDRESS {
        let user = format!("gebruiker-{i}");
        let r = login_from(&app, "2001:db8:77:1::5", &user, "x").await;
        assert_eq!(r.status, 401);
    }
    // Another address of the same /64 network counts as the same.
    let r = login_from(&app, "2001:db8:77:1::6", "teamleider", PASSWORD).await;
    assert_eq!(
        r.status, 429,
        "the address is slowed even for an account it never tried"
    );
    let r = login_from(&app, "2001:db8:77:2::6", "teamleider", PASSWORD).await;
    assert_eq!(r.status, 303, "the next /64 is another address");
}

/// A session cookie left from an ended session (a closed laptop, a
/// restart) does not stand in the way of logging in again.
#[tokio::test]
async fn a_stale_session_cookie_does_not_spoil_the_next_login() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("medewerker").await;
    let old = c.cookies["wegwijs_sessie"].clone();
    // The session lapses (idle longer than allowed) while a login page
    // stands open in another tab; the browser still has the old cookie
    // when that form is sent.
    app.clock.advance(time::Duration::hours(11));
    c.get("/inloggen").await;
    c.cookies.insert("wegwijs_sessie".into(), old);
    let r = c
        .post(
            "/inloggen",
            &[("username", "medewerker"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!((r.status, r.location.as_deref()), (303, Some("/werk")));
    let session_cookies = r
        .headers
        .get_all("set-cookie")
        .iter()
        .filter(|v| v.to_str().unwrap().starts_with("wegwijs_sessie="))
        .count();
    assert_eq!(session_cookies, 1, "only the new session cookie is set");
    assert_eq!(c.get("/werk").await.status, 200, "still logged in");
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
async fn pages_of_a_logged_in_person_warn_before_the_session_ends() {
    let app = TestApp::start(true).await;
    let mut anon = app.client();
    let page = anon.get("/").await;
    assert!(!page.body.contains("ww-sessie") && !page.body.contains("sessie.js"));
    for role in ["medewerker", "inwoner"] {
        let mut c = app.as_role(role).await;
        let start = if role == "inwoner" { "/mijn" } else { "/werk" };
        let page = c.get(start).await;
        assert!(
            page.body.contains("data-left=\"1800\"") || page.body.contains("data-left=\"17"),
            "{role}"
        );
        assert!(page.body.contains("<script src=\"/static/sessie.js?v="));
        assert!(page.body.contains("Ingelogd blijven"));
        // The script asks for the seconds left; without it, back to the page.
        let r = c
            .post_with_header(
                "/sessie/verlengen",
                &[("terug", start)],
                ("accept", "application/json"),
            )
            .await;
        let json: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert!(
            json["seconds_left"].as_i64().unwrap() > 1700,
            "{role}: {}",
            r.body
        );
        let r = c.post("/sessie/verlengen", &[("terug", start)]).await;
        assert_eq!(r.location.as_deref(), Some(start));
        let r = c
            .post("/sessie/verlengen", &[("terug", "https://evil.example")])
            .await;
        assert_eq!(r.location.as_deref(), Some("/"), "only back to this site");
    }
}

/// A damaged form-token cookie (right length, not a token) is replaced, so
/// the next form works instead of every form being refused for good.
#[tokio::test]
async fn a_damaged_form_token_cookie_is_replaced() {
    let app = TestApp::start(true).await;
    let mut c = app.client();
    c.cookies.insert("wegwijs_csrf".into(), "z".repeat(64));
    let form = c.get("/inloggen").await;
    assert_eq!(form.status, 200);
    assert_ne!(c.cookies["wegwijs_csrf"], "z".repeat(64), "a new token");
    let r = c
        .post(
            "/inloggen",
            &[("username", "medewerker"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status, 303, "the login form works");
    assert_eq!(r.location.as_deref(), Some("/werk"));
}

/// A page opened before logging in (a link from a colleague, a bookmark)
/// is where staff land after the login; only pages on this site.
#[tokio::test]
async fn staff_land_on_the_page_they_asked_for() {
    let app = TestApp::start(true).await;
    let asked = format!("/werk/inwoner/{}?van=mail", app.resident_a.0);
    let mut c = app.client();
    let r = c.get(&asked).await;
    assert_eq!(r.status, 303);
    let login = r.location.unwrap();
    assert_eq!(
        login,
        format!(
            "/inloggen?terug=%2Fwerk%2Finwoner%2F{}%3Fvan%3Dmail",
            app.resident_a.0
        )
    );
    let form = c.get(&login).await;
    assert!(form.body.contains("name=\"terug\""));
    // As the browser sends it: the page escapes the slashes.
    let terug = crate::harness::field_value(&form.body, "terug")
        .unwrap()
        .replace("&#x2f;", "/")
        .replace("&amp;", "&");
    let r = c
        .post(
            "/inloggen",
            &[
                ("username", "medewerker"),
                ("password", PASSWORD),
                ("terug", &terug),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location.as_deref(), Some(asked.as_str()));
    // Somewhere else than this site: the start page instead.
    for evil in [
        "//evil.example/werk",
        "https://evil.example/",
        "/\\evil.example",
    ] {
        let mut c = app.client();
        c.get("/inloggen").await;
        let r = c
            .post(
                "/inloggen",
                &[
                    ("username", "teamleider"),
                    ("password", PASSWORD),
                    ("terug", evil),
                ],
            )
            .await;
        assert_eq!(r.location.as_deref(), Some("/team"), "{evil}");
    }
    // Residents go to their own login, which brings them back too.
    let r = app.client().get("/mijn").await;
    assert_eq!(
        r.location.as_deref(),
        Some("/inwoner/inloggen?terug=%2Fmijn")
    );
}

/// The language switch comes back to the same page with its query: on
/// the demo DigiD page, the login request is kept.
#[tokio::test]
async fn switching_language_keeps_the_page_and_its_query() {
    let app = TestApp::start(true).await;
    let mut c = app.client();
    let start = c.get("/inwoner/inloggen/digid").await;
    let authorize = start.location.unwrap();
    // "openid" once (it was sent twice).
    assert!(authorize.contains("&scope=openid&"), "{authorize}");
    let page = c.get(&authorize).await;
    let at = page.body.find("href=\"/taal/en?terug=").unwrap() + 6;
    let href = &page.body[at..at + page.body[at..].find('"').unwrap()];
    // As a browser reads the attribute.
    let back = c.get(&href.replace("&#x2f;", "/")).await;
    assert_eq!(back.location.as_deref(), Some(authorize.as_str()));
    let en = c.get(&authorize).await;
    assert_eq!(en.status, 200);
    assert!(en.body.contains("lang=\"en\""));
    assert!(en.body.contains("name=\"request\""));
}

/// Reached over https: HSTS, and every cookie with the `__Host-` prefix
/// (Secure, the whole site, this host only); over http neither.
#[tokio::test]
async fn under_https_cookies_are_host_only_and_hsts_is_sent() {
    let app = crate::harness::TestApp::start_https().await;
    let mut c = app.client();
    let home = c.get("/inloggen").await;
    let hsts = home.headers.get("strict-transport-security").unwrap();
    assert_eq!(hsts, "max-age=31536000; includeSubDomains");
    let r = c
        .post(
            "/inloggen",
            &[
                ("username", "medewerker"),
                ("password", crate::harness::PASSWORD),
            ],
        )
        .await;
    let cookies: Vec<String> = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let session = cookies
        .iter()
        .find(|c| c.starts_with("__Host-wegwijs_sessie="))
        .unwrap_or_else(|| panic!("{cookies:?}"));
    assert!(
        session.contains("Secure") && session.contains("Path=/") && !session.contains("Domain")
    );
    assert_eq!(
        c.get("/werk").await.status,
        200,
        "the prefixed cookie is read back"
    );
    let plain = app_plain_headers().await;
    assert!(plain.0.is_none(), "no HSTS over http");
    assert!(plain.1.iter().all(|c| !c.starts_with("__Host-")));
}

async fn app_plain_headers() -> (Option<String>, Vec<String>) {
    let app = crate::harness::TestApp::start(true).await;
    let r = app.client().get("/inloggen").await;
    (
        r.headers
            .get("strict-transport-security")
            .map(|v| v.to_str().unwrap().to_string()),
        r.headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect(),
    )
}
