//! What the eye sees and axe does not check: Dutch dates as written
//! ("maandag 7 december", never "Maandag 7 December"), and cards in a list
//! without a bullet hanging beside them, with a gap between them.

use super::{Driver, TestApp, log_in, tools};

#[tokio::test(flavor = "multi_thread")]
async fn dates_stay_lower_case_and_cards_stand_apart() {
    if std::env::var("WEGWIJS_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("SKIPPED: browser tests (WEGWIJS_SKIP_BROWSER=1)");
        return;
    }
    let tools = tools().unwrap_or_else(|e| panic!("{e}"));
    let app = TestApp::start(true).await;
    let d = Driver::start(&tools, Some(360)).await;
    log_in(&d, &app, "inwoner").await;
    d.goto(&format!("{}/taal/nl?terug=/mijn", app.base)).await;
    d.goto(&format!(
        "{}/mijn/afspraak?onderwerp=geld&vorm=telefoon",
        app.base
    ))
    .await;
    let legends = d
        .script(
            "return Array.from(document.querySelectorAll('.ww-day legend')).map(l => l.innerText);",
        )
        .await;
    let legends: Vec<String> = legends
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().trim().to_string())
        .collect();
    assert!(!legends.is_empty(), "the booking page shows days");
    let weekdays = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag"];
    for l in &legends {
        assert!(
            weekdays.iter().any(|w| l.starts_with(w)),
            "a day as written in Dutch: {l:?}"
        );
        assert_eq!(l, &l.to_lowercase(), "no capitals in a Dutch date: {l:?}");
    }
    let mut problems = Vec::new();
    for page in ["/mijn", "/mijn/berichten"] {
        d.goto(&format!("{}{page}", app.base)).await;
        problems.extend(card_problems(&d, page).await);
    }
    d.goto(&format!("{}/geldcheck", app.base)).await;
    d.script(
        "document.querySelector('#vraag-achterstand-meer').click(); \
         document.querySelector('#vraag-zorgen-vaak').click(); return true;",
    )
    .await;
    d.click("main form button[type=submit]").await;
    problems.extend(card_problems(&d, "/geldcheck (advies)").await);
    d.quit().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Cards in a list on the current page that show a bullet, or touch the
/// card before them.
async fn card_problems(d: &Driver, page: &str) -> Vec<String> {
    let cards = d
        .script(
            "return Array.from(document.querySelectorAll('li.ww-card')).map(c => { \
               const r = c.getBoundingClientRect(); \
               const prev = c.previousElementSibling; \
               const gap = prev && prev.classList.contains('ww-card') \
                 ? r.top - prev.getBoundingClientRect().bottom : null; \
               return [getComputedStyle(c).listStyleType, gap]; });",
        )
        .await;
    let cards = cards.as_array().unwrap();
    let mut out = Vec::new();
    if cards.len() < 2 {
        out.push(format!(
            "{page}: fewer than two cards to judge ({})",
            cards.len()
        ));
    }
    for (i, c) in cards.iter().enumerate() {
        if c[0].as_str() != Some("none") {
            out.push(format!("{page}: card {i} has a bullet ({})", c[0]));
        }
        if let Some(gap) = c[1].as_f64()
            && gap < 8.0
        {
            out.push(format!("{page}: card {i} is {gap}px from the one before"));
        }
    }
    out
}
