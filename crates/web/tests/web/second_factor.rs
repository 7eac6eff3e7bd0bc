//! Staff authentication outside demo mode: a one-time password replaced at
//! the first login, the second factor set up with a QR code and recovery
//! codes, each code accepted once, an admin's reset, and the own password.

use crate::harness::{Client, PASSWORD, TestApp, field_value};
use totp_rs::{Algorithm, Secret, TOTP};
use wegwijs_domain::Clock;

/// The code an authenticator app would show now for the secret on the
/// setup page.
fn code_now(app: &TestApp, secret: &str) -> String {
    let bytes = Secret::Encoded(secret.replace(' ', "")).to_bytes().unwrap();
    let totp = TOTP::new(Algorithm::SHA1, 6, 0, 30, bytes).unwrap();
    totp.generate(app.clock.now().unix_timestamp() as u64)
}

/// The text inside `<code>` after `marker`.
fn code_after(html: &str, marker: &str) -> String {
    let at = html.find(marker).expect(marker);
    let rest = &html[at..];
    let start = rest.find("<code>").unwrap() + 6;
    let end = rest[start..].find("</code>").unwrap();
    rest[start..start + end].to_string()
}

async fn password_step(c: &mut Client, user: &str, password: &str) -> String {
    c.get("/inloggen").await;
    let r = c
        .post("/inloggen", &[("username", user), ("password", password)])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    r.location.unwrap()
}

#[tokio::test]
async fn a_staff_login_sets_up_and_then_asks_for_the_second_step() {
    let app = TestApp::start(false).await;
    let mut c = app.client();
    assert_eq!(
        password_step(&mut c, "medewerker", PASSWORD).await,
        "/inloggen/stap"
    );
    // No session before the second step: pages still ask to log in.
    assert_eq!(
        c.get("/werk").await.location.as_deref(),
        Some("/inloggen?terug=%2Fwerk")
    );
    let setup = c.get("/inloggen/stap").await;
    assert_eq!(setup.status, 200);
    assert!(
        setup.body.contains("<svg") && setup.body.contains("role=\"img\""),
        "a QR code"
    );
    let secret = code_after(&setup.body, "ww-secret");
    // A wrong code keeps the step, names the field.
    let r = c.post("/inloggen/stap", &[("code", "000000")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#code\"") && r.body.contains("klopt niet"));
    assert_eq!(
        code_after(&r.body, "ww-secret"),
        secret,
        "the same secret until confirmed"
    );
    let code = code_now(&app, &secret);
    let done = c.post("/inloggen/stap", &[("code", &code)]).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Uw herstelcodes"));
    let recovery: Vec<String> = done
        .body
        .split("<li><code>")
        .skip(1)
        .map(|s| s[..s.find("</code>").unwrap()].to_string())
        .collect();
    assert_eq!(recovery.len(), 10);
    assert_eq!(c.get("/werk").await.status, 200, "logged in");
    // Codes lost (a reload, a double click): new ones, after the password.
    let own = c.get("/account/wachtwoord").await;
    assert!(
        own.body.contains("U heeft nog 10 herstelcodes"),
        "{}",
        own.body
    );
    let r = c.post("/account/herstelcodes", &[("huidig", "fout")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#huidig-codes\""));
    let r = c
        .post("/account/herstelcodes", &[("huidig", PASSWORD)])
        .await;
    assert_eq!(r.status, 200);
    let renewed: Vec<String> = r
        .body
        .split("<li><code>")
        .skip(1)
        .map(|s| s[..s.find("</code>").unwrap()].to_string())
        .collect();
    assert_eq!(renewed.len(), 10);
    let mut stale = app.client();
    password_step(&mut stale, "medewerker", PASSWORD).await;
    let r = stale
        .post("/inloggen/stap", &[("code", &recovery[1])])
        .await;
    assert_eq!(r.status, 422, "the old codes stop working");
    let recovery = renewed;

    // The next login asks for the code; the one just used is refused.
    let mut again = app.client();
    assert_eq!(
        password_step(&mut again, "medewerker", PASSWORD).await,
        "/inloggen/stap"
    );
    let page = again.get("/inloggen/stap").await;
    assert!(page.body.contains("Typ de code uit uw app") && !page.body.contains("<svg"));
    let r = again.post("/inloggen/stap", &[("code", &code)]).await;
    assert_eq!(r.status, 422, "a code is accepted once");
    app.clock.advance(time::Duration::seconds(30));
    let r = again
        .post("/inloggen/stap", &[("code", &code_now(&app, &secret))])
        .await;
    assert_eq!(r.location.as_deref(), Some("/werk"), "{}", r.body);

    // A recovery code works once, written in capitals with spaces too.
    let mut third = app.client();
    password_step(&mut third, "medewerker", PASSWORD).await;
    let typed = recovery[0].to_uppercase().replace('-', " ");
    let r = third.post("/inloggen/stap", &[("code", &typed)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut fourth = app.client();
    password_step(&mut fourth, "medewerker", PASSWORD).await;
    let r = fourth
        .post("/inloggen/stap", &[("code", &recovery[0])])
        .await;
    assert_eq!(r.status, 422, "used already");
    let log = app.store.audit_page(0, 10_000, None).await.unwrap();
    for action in ["tweede-stap-ingesteld", "herstelcode-gebruikt"] {
        assert!(log.iter().any(|e| e.action == action), "{action} logged");
    }

    // Guessing codes is throttled like guessing passwords.
    let mut guesser = app.client();
    password_step(&mut guesser, "medewerker", PASSWORD).await;
    let mut last = 0;
    for _ in 0..6 {
        last = guesser
            .post("/inloggen/stap", &[("code", "123456")])
            .await
            .status;
    }
    assert_eq!(last, 429);
}

#[tokio::test]
async fn an_admins_password_is_replaced_and_a_lost_phone_reset() {
    let app = TestApp::start(false).await;
    // The admin (in with the second step) sets a one-time password.
    let mut admin = app.client();
    password_step(&mut admin, "beheerder", PASSWORD).await;
    let setup = admin.get("/inloggen/stap").await;
    let secret = code_after(&setup.body, "ww-secret");
    admin
        .post("/inloggen/stap", &[("code", &code_now(&app, &secret))])
        .await;
    let mw = app.users["collega-1"];
    admin
        .get(&format!("/beheer/gebruikers/{mw}/wachtwoord"))
        .await;
    let weak = admin
        .post(
            &format!("/beheer/gebruikers/{mw}/wachtwoord"),
            &[("password", "password1234")],
        )
        .await;
    assert_eq!(weak.status, 422);
    assert!(weak.body.contains("te makkelijk te raden"), "{}", weak.body);
    admin
        .get(&format!("/beheer/gebruikers/{mw}/wachtwoord"))
        .await;
    let one_time = "tijdelijk paars fietsje 7";
    let r = admin
        .post(
            &format!("/beheer/gebruikers/{mw}/wachtwoord"),
            &[("password", one_time)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);

    // Its owner must choose their own first; the same one is refused.
    let mut c = app.client();
    password_step(&mut c, "collega-1", one_time).await;
    let page = c.get("/inloggen/stap").await;
    assert!(page.body.contains("Kies uw eigen wachtwoord"));
    let r = c
        .post(
            "/inloggen/stap",
            &[("wachtwoord", one_time), ("herhaling", one_time)],
        )
        .await;
    assert_eq!(r.status, 422);
    let r = c
        .post(
            "/inloggen/stap",
            &[
                ("wachtwoord", "mijn eigen groene kano"),
                ("herhaling", "mijn eigen groene kajak"),
            ],
        )
        .await;
    assert!(r.body.contains("href=\"#herhaling\""), "{}", r.body);
    let own = "mijn eigen groene kano";
    let r = c
        .post("/inloggen/stap", &[("wachtwoord", own), ("herhaling", own)])
        .await;
    assert_eq!(r.location.as_deref(), Some("/inloggen/stap"));
    let setup = c.get("/inloggen/stap").await;
    let secret = code_after(&setup.body, "ww-secret");
    let r = c
        .post("/inloggen/stap", &[("code", &code_now(&app, &secret))])
        .await;
    assert_eq!(r.status, 200);
    // The one-time password no longer works.
    let mut old = app.client();
    old.get("/inloggen").await;
    let r = old
        .post(
            "/inloggen",
            &[("username", "collega-1"), ("password", one_time)],
        )
        .await;
    assert_eq!(r.status, 401);

    // A lost phone: the admin resets it (logged); the next login sets up anew.
    admin.get("/beheer/gebruikers").await;
    let r = admin
        .post(&format!("/beheer/gebruikers/{mw}/tweede-stap"), &[])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        c.get("/werk").await.location.as_deref(),
        Some("/inloggen?terug=%2Fwerk"),
        "its sessions ended"
    );
    let mut next = app.client();
    password_step(&mut next, "collega-1", own).await;
    assert!(next.get("/inloggen/stap").await.body.contains("<svg"));
    let log = app.store.audit_page(0, 10_000, None).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "tweede-stap-hersteld" && e.detail == format!("account {mw}"))
    );
}

#[tokio::test]
async fn staff_change_their_own_password_and_demo_staff_skip_the_second_step() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("medewerker").await;
    let page = c.get("/account/wachtwoord").await;
    assert_eq!(page.status, 200);
    let csrf = field_value(&page.body, "csrf").unwrap();
    assert!(!csrf.is_empty());
    let r = c
        .post(
            "/account/wachtwoord",
            &[("huidig", "fout"), ("wachtwoord", "x"), ("herhaling", "x")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#huidig\""));
    let r = c
        .post(
            "/account/wachtwoord",
            &[
                ("huidig", PASSWORD),
                ("wachtwoord", "aaaaaaaaaaaa"),
                ("herhaling", "aaaaaaaaaaaa"),
            ],
        )
        .await;
    assert!(r.body.contains("te makkelijk te raden"));
    let new = "een ander lang wachtwoord vol bomen";
    let r = c
        .post(
            "/account/wachtwoord",
            &[
                ("huidig", PASSWORD),
                ("wachtwoord", new),
                ("herhaling", new),
            ],
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some("/account/wachtwoord?gewijzigd=1")
    );
    assert!(
        c.get("/account/wachtwoord?gewijzigd=1")
            .await
            .body
            .contains("Uw wachtwoord is veranderd")
    );
    // Demo staff log in with the password alone, and the page says so.
    let mut d = app.client();
    let login = d.get("/inloggen").await;
    assert!(login.body.contains("Dit is een demo"));
    let r = d
        .post(
            "/inloggen",
            &[("username", "medewerker"), ("password", new)],
        )
        .await;
    assert_eq!(r.location.as_deref(), Some("/werk"));
}
