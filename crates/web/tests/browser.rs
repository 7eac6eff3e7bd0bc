//! Real headless Chromium drives the app: log in as each role through the
//! forms, run axe-core (WCAG 2.0–2.2 A and AA rules) on every page, and check
//! that no page scrolls sideways on a 320-pixel screen.
//!
//! Needs Chromium, ChromeDriver and axe-core (`.ci/run` installs them). Set
//! WEGWIJS_SKIP_BROWSER=1 to skip. The WebDriver calls are a handful of JSON
//! requests over the HTTP client the app already has; a WebDriver crate
//! would have pulled a second TLS stack with a C build into the tree.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;

use harness::{PASSWORD, TestApp};
use std::time::Duration;

#[path = "browser/driver.rs"]
mod driver;
#[path = "browser/keyboard.rs"]
mod keyboard;
#[path = "browser/looks.rs"]
mod looks;
#[path = "browser/selfscan_steps.rs"]
mod selfscan_steps;
#[path = "browser/steps.rs"]
mod steps;
#[path = "browser/walk.rs"]
mod walk;

use driver::{Driver, ELEMENT, tools};
use steps::{SCHRIJFHULP_TEXT, asked_about_a_lead, trust_states};
use walk::{landed, run_step, walk};

/// Logs in as `role` through the login forms, as a person would.
async fn log_in(d: &Driver, app: &TestApp, role: &str) {
    d.forget_cookies().await;
    match role {
        "anoniem" => d.goto(&format!("{}/", app.base)).await,
        "inwoner" | "kind" => {
            d.goto(&format!("{}/inwoner/inloggen", app.base)).await;
            d.click("main a.ww-button").await;
            if role == "kind" {
                let (_, _, child) = app.signal_household().await;
                let bsn = app.bsn_of(child).await;
                d.script(&format!(
                    "document.querySelector(\"main input[value='{bsn}']\").checked = true; return true;"
                ))
                .await;
            }
            d.click("main form button[type=submit]").await;
            assert!(
                d.url().await.ends_with("/mijn"),
                "resident login ended at {}",
                d.url().await
            );
            if role == "kind" {
                d.goto(&format!("{}/mijn/toestemmingen", app.base)).await;
                // A child of 13 is offered no choice to make.
                let forms = d
                    .script("return document.querySelectorAll('main .ww-consent form').length;")
                    .await;
                assert_eq!(forms.as_i64(), Some(0), "logged in as the child");
            }
        }
        staff => {
            d.goto(&format!("{}/inloggen", app.base)).await;
            d.type_into("#gebruikersnaam", staff).await;
            d.type_into("#wachtwoord", PASSWORD).await;
            d.click("main form button[type=submit]").await;
            if d.url().await.ends_with("/inloggen") {
                let text = d
                    .script("return document.querySelector('main').innerText;")
                    .await;
                panic!("{staff} could not log in: {text}");
            }
        }
    }
}

/// Every page state the walk's written steps visit, over all roles: a step
/// that is lost or added shows here (the router's pages come on top).
const PAGE_STATES: usize = 154;

const ROLES: [&str; 8] = [
    "anoniem",
    "medewerker",
    "teamleider",
    "privacy",
    "beheerder",
    "inwoner",
    "uwv-medewerker",
    "kind",
];

/// The page's POST forms to routes marked `.once()` that lack the one-time
/// token field.
async fn forms_without_once(d: &Driver) -> Vec<String> {
    let forms = d
        .script(
            "return [...document.querySelectorAll('form[method=post]')]\
             .map(f => [new URL(f.action).pathname, !!f.querySelector('input[name=eenmalig]')]);",
        )
        .await;
    let once: Vec<&str> = wegwijs_web::route_list()
        .into_iter()
        .filter(|r| r.once)
        .map(|r| r.path)
        .collect();
    forms
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f[1].as_bool() == Some(false))
        .filter_map(|f| f[0].as_str())
        .filter(|path| once.iter().any(|pattern| matches_pattern(pattern, path)))
        .map(str::to_string)
        .collect()
}

/// Does `path` fit a route pattern such as `/mijn/vraag/{id}`?
fn matches_pattern(pattern: &str, path: &str) -> bool {
    let (p, q): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), path.split('/').collect());
    p.len() == q.len()
        && p.iter()
            .zip(&q)
            .all(|(a, b)| a == b || (a.starts_with('{') && !b.is_empty()))
}

#[tokio::test(flavor = "multi_thread")]
async fn every_page_passes_axe_and_fits_a_320_pixel_screen() {
    if std::env::var("WEGWIJS_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!(
            "SKIPPED: browser tests (WEGWIJS_SKIP_BROWSER=1): no page was checked with Chromium and axe-core"
        );
        return;
    }
    let tools = tools().unwrap_or_else(|e| panic!("{e}"));
    let app = TestApp::start(true).await;
    let rated = asked_about_a_lead(&app).await;
    trust_states(&app).await;

    let desktop = Driver::start(&tools, None).await;
    let mut violations = Vec::new();
    let mut astray = Vec::new();
    let mut unguarded = Vec::new();
    let (mut pages, mut written_steps) = (0, 0);
    for role in ROLES {
        log_in(&desktop, &app, role).await;
        let (steps, written) = walk(&app, role, rated);
        written_steps += written;
        for step in steps {
            run_step(&desktop, &step).await;
            let url = desktop.url().await;
            pages += 1;
            let expected = step.lands();
            let actual = landed(&desktop).await;
            if !expected.as_ref().is_some_and(|e| e.fits(&actual)) {
                astray.push(format!(
                    "{role} step {pages}: expected {expected:?}, at {actual:?} ({url})"
                ));
            }
            for v in desktop.axe(&tools.axe).await {
                violations.push(format!("{role} {url}: {v}"));
            }
            for action in forms_without_once(&desktop).await {
                unguarded.push(format!("{role} {url}: form to {action}"));
            }
        }
    }
    assert!(
        unguarded.is_empty(),
        "forms to routes that create something, without a one-time token (once_field()):\n{}",
        unguarded.join("\n")
    );
    assert!(
        astray.is_empty(),
        "steps that did not land where they should:\n{}",
        astray.join("\n")
    );
    assert_eq!(
        written_steps, PAGE_STATES,
        "the walk's number of written page states changed"
    );
    desktop.quit().await;
    assert!(
        violations.is_empty(),
        "axe-core found WCAG 2.2 AA violations:\n{}",
        violations.join("\n")
    );

    let phone = Driver::start(&tools, Some(320)).await;
    let mut overflow = Vec::new();
    for role in ROLES {
        log_in(&phone, &app, role).await;
        for step in walk(&app, role, rated).0 {
            run_step(&phone, &step).await;
            let widths = phone
                .script("return [document.documentElement.scrollWidth, window.innerWidth];")
                .await;
            let (scroll, inner) = (
                widths[0].as_i64().unwrap_or(0),
                widths[1].as_i64().unwrap_or(0),
            );
            if inner != 320 || scroll > inner {
                overflow.push(format!(
                    "{role} {}: page is {scroll}px wide in a {inner}px window",
                    phone.url().await
                ));
            }
        }
    }
    phone.quit().await;
    assert!(
        overflow.is_empty(),
        "pages that do not fit 320 pixels:\n{}",
        overflow.join("\n")
    );
    eprintln!(
        "browser: {pages} page states ({written_steps} written, {} from the router's pages) passed axe-core (WCAG 2.2 AA) and fit 320 pixels",
        pages - written_steps
    );
}

/// Outside demo mode a staff login has more steps: setting up the second
/// factor (QR code, the key to type), a wrong code, the recovery codes,
/// and the code asked at the next login. Each passes axe and fits 320
/// pixels.
#[tokio::test(flavor = "multi_thread")]
async fn the_second_login_step_passes_axe_on_a_phone() {
    if std::env::var("WEGWIJS_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("SKIPPED: browser tests (WEGWIJS_SKIP_BROWSER=1)");
        return;
    }
    let tools = tools().unwrap_or_else(|e| panic!("{e}"));
    let app = TestApp::start(false).await;
    let d = Driver::start(&tools, Some(320)).await;
    let mut problems = Vec::new();
    let mut check = async |d: &Driver, what: &str| {
        for v in d.axe(&tools.axe).await {
            problems.push(format!("{what}: {v}"));
        }
        let w = d
            .script("return [document.documentElement.scrollWidth, window.innerWidth];")
            .await;
        if w[0].as_i64() > w[1].as_i64() {
            problems.push(format!("{what}: {} px wide in {} px", w[0], w[1]));
        }
    };
    log_in(&d, &app, "medewerker").await;
    assert!(
        d.url().await.ends_with("/inloggen/stap"),
        "{}",
        d.url().await
    );
    check(&d, "setup").await;
    d.type_into("#code", "000000").await;
    d.click("main form button[type=submit]").await;
    check(&d, "setup, wrong code").await;
    let secret = d
        .script("return document.querySelector('.ww-secret code').innerText;")
        .await;
    let code = {
        use totp_rs::{Algorithm, Secret, TOTP};
        use wegwijs_domain::Clock;
        let bytes = Secret::Encoded(secret.as_str().unwrap().replace(' ', ""))
            .to_bytes()
            .unwrap();
        TOTP::new(Algorithm::SHA1, 6, 0, 30, bytes)
            .unwrap()
            .generate(app.clock.now().unix_timestamp() as u64)
    };
    d.type_into("#code", &code).await;
    d.click("main form button[type=submit]").await;
    let codes = d
        .script("return document.querySelectorAll('.ww-codes li').length;")
        .await;
    assert_eq!(codes.as_i64(), Some(10), "the recovery codes are shown");
    check(&d, "recovery codes").await;
    log_in(&d, &app, "medewerker").await;
    check(&d, "code").await;
    d.quit().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// With its script, the schrijfhulp follows the text while it is typed,
/// without loading a page, and the updated result passes axe too.
#[tokio::test(flavor = "multi_thread")]
async fn the_schrijfhulp_updates_while_typing() {
    if std::env::var("WEGWIJS_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("SKIPPED: browser tests (WEGWIJS_SKIP_BROWSER=1)");
        return;
    }
    let tools = tools().unwrap_or_else(|e| panic!("{e}"));
    let app = TestApp::start(true).await;
    let d = Driver::start(&tools, None).await;
    log_in(&d, &app, "medewerker").await;
    d.goto(&format!("{}/taal/nl?terug=/schrijfhulp", app.base))
        .await;
    let live = d
        .script("return !document.getElementById('schrijfhulp-live').hidden;")
        .await;
    assert_eq!(
        live.as_bool(),
        Some(true),
        "the script ran under the page's CSP"
    );
    d.script("window.__wegwijsSamePage = true; return true;")
        .await;
    d.type_into("#tekst", SCHRIJFHULP_TEXT).await;
    let mut shown = String::new();
    for _ in 0..200 {
        shown = d
            .script("return document.getElementById('resultaat').innerText;")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string();
        if shown.contains("Formeel woord") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(shown.contains("Formeel woord"), "no live result: {shown}");
    let same = d.script("return window.__wegwijsSamePage === true;").await;
    assert_eq!(same.as_bool(), Some(true), "no page was loaded");
    let status = d
        .script("return document.getElementById('schrijfhulp-status').textContent;")
        .await;
    assert!(
        status.as_str().unwrap_or_default().starts_with("Niveau "),
        "the summary is announced: {status}"
    );
    let violations = d.axe(&tools.axe).await;
    d.quit().await;
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

/// Two minutes before a session ends the page warns, with the focus on
/// "Ingelogd blijven"; the button extends the session without leaving the
/// page (WCAG 2.2.1). Sessions here end after 125 seconds without use, so
/// the warning comes after 5.
#[tokio::test(flavor = "multi_thread")]
async fn the_session_warning_comes_in_time_and_the_button_extends() {
    if std::env::var("WEGWIJS_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("SKIPPED: browser tests (WEGWIJS_SKIP_BROWSER=1)");
        return;
    }
    let tools = tools().unwrap_or_else(|e| panic!("{e}"));
    let app = TestApp::start_with_idle(true, 125).await;
    let d = Driver::start(&tools, None).await;
    log_in(&d, &app, "inwoner").await;
    d.goto(&format!("{}/taal/nl?terug=/mijn/toestemmingen", app.base))
        .await;
    d.script("window.__wegwijsSamePage = true; return true;")
        .await;
    let visible = "return !document.getElementById('ww-sessie').hidden;";
    let mut shown = false;
    for _ in 0..400 {
        if d.script(visible).await.as_bool() == Some(true) {
            shown = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(shown, "no warning within 10 seconds");
    let focused = d.script("return document.activeElement.textContent;").await;
    assert_eq!(
        focused.as_str(),
        Some("Ingelogd blijven"),
        "the focus is on the button"
    );
    let violations = d.axe(&tools.axe).await;
    d.script("document.querySelector('#ww-sessie button').click(); return true;")
        .await;
    let mut hidden = false;
    for _ in 0..200 {
        if d.script(visible).await.as_bool() == Some(false) {
            hidden = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let same = d.script("return window.__wegwijsSamePage === true;").await;
    d.quit().await;
    assert!(hidden, "the warning went away");
    assert_eq!(same.as_bool(), Some(true), "no page was loaded");
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}
