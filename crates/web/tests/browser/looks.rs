//! What the eye sees and axe does not check: Dutch dates as written
//! ("maandag 7 december", never "Maandag 7 December"), cards in a list
//! without a bullet hanging beside them, every card with a gap to what
//! stands above and below it, and form fields of a finger's height.

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
    let appointment = format!("/mijn/afspraak/{}", app.appointment_a);
    for page in ["/mijn", "/mijn/berichten", "/", &appointment] {
        d.goto(&format!("{}{page}", app.base)).await;
        problems.extend(card_problems(&d, page).await);
    }
    for page in [
        "/mijn/hulp",
        "/mijn/regeling/wet_op_de_zorgtoeslag/klopt-niet",
    ] {
        d.goto(&format!("{}{page}", app.base)).await;
        problems.extend(small_fields(&d, page).await);
    }
    // A field the error summary names is marked on the page too.
    d.goto(&format!("{}/mijn/hulp", app.base)).await;
    d.type_into("#veld-uw-telefoon", "0612abc").await;
    d.click("main form button[type=submit]").await;
    let border = d
        .script(
            "return getComputedStyle(document.querySelector('#veld-uw-telefoon')).borderTopWidth;",
        )
        .await;
    if border.as_str() != Some("3px") {
        problems.push(format!(
            "/mijn/hulp: the refused phone field's border is {border}"
        ));
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

/// Cards on the current page that show a bullet, or touch what stands
/// above or below them (a card, a list, a button).
async fn card_problems(d: &Driver, page: &str) -> Vec<String> {
    let cards = d
        .script(
            "const shown = e => e && e.offsetHeight > 0 ? e : null; \
             return Array.from(document.querySelectorAll('main .ww-card')).map(c => { \
               const r = c.getBoundingClientRect(); \
               const prev = shown(c.previousElementSibling); \
               const next = shown(c.nextElementSibling); \
               return [c.tagName === 'LI' ? getComputedStyle(c).listStyleType : 'none', \
                 prev ? r.top - prev.getBoundingClientRect().bottom : null, \
                 next ? next.getBoundingClientRect().top - r.bottom : null]; });",
        )
        .await;
    let cards = cards.as_array().unwrap();
    let mut out = Vec::new();
    if cards.is_empty() {
        out.push(format!("{page}: no cards to judge"));
    }
    for (i, c) in cards.iter().enumerate() {
        if c[0].as_str() != Some("none") {
            out.push(format!("{page}: card {i} has a bullet ({})", c[0]));
        }
        for (side, gap) in [("above", &c[1]), ("below", &c[2])] {
            if let Some(gap) = gap.as_f64()
                && gap < 8.0
            {
                out.push(format!(
                    "{page}: card {i} is {gap}px from what is {side} it"
                ));
            }
        }
    }
    out
}

/// Text, phone and e-mail fields lower than a finger (44 px).
async fn small_fields(d: &Driver, page: &str) -> Vec<String> {
    let fields = d
        .script(
            "return Array.from(document.querySelectorAll('main input:not([type=hidden]):not([type=radio]):not([type=checkbox]):not([type=file])')) \
               .map(i => [i.id, i.getBoundingClientRect().height]);",
        )
        .await;
    let fields = fields.as_array().unwrap();
    let mut out = Vec::new();
    if fields.is_empty() {
        out.push(format!("{page}: no fields to judge"));
    }
    for f in fields {
        if f[1].as_f64().unwrap_or(0.0) < 44.0 {
            out.push(format!("{page}: field {} is {}px high", f[0], f[1]));
        }
    }
    out
}
