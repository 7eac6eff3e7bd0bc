//! "Wie heeft mijn gegevens bekeken?" after a year of daily use: what
//! others did first, a page at a time; the resident's own looking one line
//! per day; filters by organisation and period; a page that stays small;
//! the download keeps every line.

use crate::harness::{TestApp, actor_of};
use time::Duration;
use wegwijs_domain::clock::Clock;
use wegwijs_domain::person::format_date;
use wegwijs_domain::{Actor, Purpose};

/// The log's lines on a page (the filter form is a card too, not a line).
fn lines(body: &str) -> usize {
    body.matches("<li class=\"ww-card\">").count()
}

#[tokio::test]
async fn a_year_of_daily_use_is_a_small_page_with_others_first() {
    let app = TestApp::start(true).await;
    let me = app.resident_a;
    let now = app.clock.now();
    let resident = Actor::Resident(me);
    let staff = actor_of("medewerker").unwrap();
    // Seven looks a day for a year; a caseworker's look once a week.
    for d in (1..=365).rev() {
        let at = (now - Duration::days(d)).unix_timestamp();
        for k in 0..7 {
            let read = app
                .store
                .read_resident(&resident, me, Purpose::OwnView, at + k * 60);
            read.await.unwrap();
        }
        if d % 7 == 0 {
            let read = app
                .store
                .read_resident(&staff, me, Purpose::Casework, at + 3600);
            read.await.unwrap();
        }
    }
    let mut c = app.client();
    c.resident_login(0).await;
    let log = c.get("/mijn/logboek").await;
    assert_eq!(log.status, 200);
    eprintln!(
        "the log page after a year of daily use: {} bytes of HTML",
        log.body.len()
    );
    assert!(log.body.len() < 30_000, "{} bytes of HTML", log.body.len());
    assert_eq!(lines(&log.body), 25, "one page of what others did");
    assert!(log.body.contains("Een medewerker van Gemeente A"));
    assert!(log.body.contains("pagina=2\">Oudere regels"));
    assert!(!log.body.contains("Nieuwere regels"));
    // The newest 31 days of own looking, one line each.
    assert!(log.body.matches("u heeft zelf 7 keer gekeken.").count() >= 30);
    assert!(log.body.contains("U ziet de laatste 31 dagen."));

    let older = c.get("/mijn/logboek?pagina=2").await;
    assert_eq!(lines(&older.body), 25);
    assert!(older.body.contains("pagina=1\">Nieuwere regels"));

    // A week two weeks ago: one caseworker's look, seven days of own looking.
    let day = |d: i64| format_date((now - Duration::days(d)).date());
    let (van, tot) = (day(14), day(8));
    let week = c.get(&format!("/mijn/logboek?van={van}&tot={tot}")).await;
    assert_eq!(lines(&week.body), 1, "the one look by staff that week");
    assert_eq!(week.body.matches("u heeft zelf 7 keer gekeken.").count(), 7);
    assert!(
        week.body.contains(&format!("value=\"{van}\"")),
        "the filter stays filled in"
    );
    assert!(week.body.contains("Weer alles laten zien"));

    // One organisation: only its lines; the resident's own looking is not theirs.
    let org = option_value(&log.body);
    let theirs = c.get(&format!("/mijn/logboek?organisatie={org}")).await;
    assert!(lines(&theirs.body) > 0);
    assert!(!theirs.body.contains("Wanneer u zelf keek"));
    assert!(theirs.body.contains(" selected>"));

    // The download keeps every line: 2,555 own looks and 52 by staff, at least.
    let download = c.get("/mijn/gegevens.json").await;
    let json: serde_json::Value = serde_json::from_str(&download.body).unwrap();
    let logged = json["logboek"].as_array().map_or(0, Vec::len);
    assert!(logged > 2_555 + 52, "{logged} lines in the download");
}

/// The first organisation the filter offers.
fn option_value(body: &str) -> String {
    let select = &body[body.find("id=\"veld-organisatie\"").unwrap()..];
    select
        .split("<option value=\"")
        .nth(2)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_filter_typed_wrong_is_named_and_kept() {
    let app = TestApp::start(true).await;
    let mut c = app.client();
    c.resident_login(0).await;
    let r = c
        .get("/mijn/logboek?organisatie=UWV&van=1-11-2026&tot=2026-13-01")
        .await;
    assert_eq!(r.status, 200);
    for expected in [
        "Organisatie: kies een van de mogelijkheden.",
        "Vanaf (datum) is geen datum.",
        "Tot en met (datum) is geen datum.",
        "value=\"1-11-2026\"",
        "aria-invalid=\"true\"",
        "href=\"#veld-periode-van\"",
    ] {
        assert!(r.body.contains(expected), "{expected} on the page");
    }
    // The log is still there, unfiltered.
    assert!(r.body.contains("Wanneer u zelf keek"));
    let r = c.get("/mijn/logboek?van=2026-11-20&tot=2026-11-01").await;
    assert!(
        r.body
            .contains("Tot en met (datum) moet later zijn dan het begin.")
    );
}
