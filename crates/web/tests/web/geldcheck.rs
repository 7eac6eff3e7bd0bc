//! Geldcheck: advice for anyone, nothing kept unless the resident sends it.

use crate::harness::TestApp;

#[tokio::test]
async fn anyone_gets_advice_and_nothing_is_kept() {
    let app = TestApp::start(true).await;
    let mut c = app.client();
    let form = c.get("/geldcheck").await;
    assert_eq!(form.status, 200);
    assert_eq!(form.body.matches("<fieldset").count(), 10);
    let before = app.store.audit_page(0, 100_000, None).await.unwrap().len();
    let result = c
        .post(
            "/geldcheck",
            &[
                ("aanmaning", "deurwaarder"),
                ("zorgen", "vaak"),
                ("over", "nee"),
            ],
        )
        .await;
    assert_eq!(result.status, 200);
    assert!(result.body.contains("Wacht niet langer. Vraag nu hulp."));
    assert!(result.body.contains("Post van een deurwaarder"));
    assert!(result.body.contains("Inkomen en uitgaven op een rij"));
    // Anonymous: log in to send, or call.
    assert!(result.body.contains("Log in met DigiD."));
    assert!(result.body.contains("tel:0570123456"));
    assert!(!result.body.contains("/geldcheck/sturen"));
    let after = app.store.audit_page(0, 100_000, None).await.unwrap().len();
    assert_eq!(before, after, "nothing about the check is written");
    // An answer the form never offers: the question is named, choices kept.
    let bad = c
        .post("/geldcheck", &[("lenen", "altijd"), ("over", "soms")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("href=\"#vraag-lenen\""));
    assert!(bad.body.contains("value=\"soms\" checked"));
    // Nothing answered: said so, no advice made up.
    let empty = c.post("/geldcheck", &[]).await;
    assert!(empty.body.contains("U heeft geen vragen beantwoord."));
    // …and nothing to send or keep.
    assert!(!empty.body.contains("/geldcheck/bewaren"));
    let kept = c.post("/geldcheck/bewaren", &[]).await;
    assert_eq!(kept.location.as_deref(), Some("/geldcheck"));
}

#[tokio::test]
async fn a_resident_sends_the_answers_and_is_called() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("inwoner").await;
    c.get("/geldcheck").await;
    let answers = [("achterstand", "meer"), ("toeslagen", "weet-niet")];
    let result = c.post("/geldcheck", &answers).await;
    assert!(result.body.contains("Stuur mijn antwoorden en bel mij"));
    // The advice about schemes reads as whole sentences.
    assert!(result.body.contains(
        "Denk aan zorgtoeslag en huurtoeslag. Of misschien hoeft u de gemeentelijke belastingen niet te betalen."
    ));
    assert!(result.body.contains("name=\"achterstand\" value=\"meer\""));
    let mut with_phone: Vec<(&str, &str)> = answers.to_vec();
    with_phone.push(("telefoon", "06-1"));
    let bad = c.post("/geldcheck/sturen", &with_phone).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("value=\"06-1\""));
    assert!(bad.body.contains("href=\"#veld-telefoon\""));
    with_phone.pop();
    with_phone.push(("telefoon", "06 1234 5678"));
    let sent = c.post("/geldcheck/sturen", &with_phone).await;
    assert_eq!(sent.status, 303);
    let page = c.get(sent.location.as_deref().unwrap()).await;
    assert!(page.body.contains("Geldcheck: bel mij"));
    assert!(page.body.contains("Wij bellen u op 06 1234 5678."));
    // The caseworker reads the answers in words, named as answers.
    let mut mw = app.as_role("medewerker").await;
    let staff = mw.get(&format!("/werk/inwoner/{}", app.resident_a.0)).await;
    assert!(
        staff
            .body
            .contains("Heeft u rekeningen die u te laat betaalt? — Ja, meer dan één")
    );
    assert!(staff.body.contains("<dt>Antwoorden op de Geldcheck</dt>"));
}

/// Someone not logged in keeps their answers across the DigiD login: on
/// the server, never in a URL, and lands on the send step.
#[tokio::test]
async fn the_answers_survive_the_login_and_are_sent_once() {
    let app = TestApp::start(true).await;
    let mut c = app.client();
    c.get("/geldcheck").await;
    let answers = [("achterstand", "meer"), ("toeslagen", "weet-niet")];
    let result = c.post("/geldcheck", &answers).await;
    assert!(result.body.contains("action=\"/geldcheck/bewaren\""));
    assert!(result.body.contains("Inloggen met DigiD en versturen"));
    let held = c.post("/geldcheck/bewaren", &answers).await;
    assert_eq!(held.status, 303);
    let login = held.location.unwrap();
    assert_eq!(
        login,
        "/inwoner/inloggen/digid?terug=%2Fgeldcheck%2Fversturen"
    );
    let back = c.resident_login_from(&login, 0).await;
    assert_eq!(back.location.as_deref(), Some("/geldcheck/versturen"));
    let step = c.get("/geldcheck/versturen").await;
    assert_eq!(step.status, 200);
    assert!(step.body.contains("Stuur mijn antwoorden en bel mij"));
    assert!(step.body.contains("name=\"achterstand\" value=\"meer\""));
    assert!(step.body.contains("name=\"toeslagen\" value=\"weet-niet\""));
    let token = crate::harness::field_value(&step.body, "eenmalig").unwrap();
    let mut form: Vec<(&str, &str)> = answers.to_vec();
    form.push(("telefoon", "06 1234 5678"));
    form.push(("eenmalig", &token));
    let sent = c.post("/geldcheck/sturen", &form).await;
    assert_eq!(sent.status, 303);
    assert!(
        sent.headers
            .get_all("set-cookie")
            .iter()
            .any(|h| h.to_str().unwrap().starts_with("wegwijs_geldcheck=;")),
        "the kept answers' cookie goes"
    );
    // Sent: the answers are no longer kept; the page says so.
    let again = c.get("/geldcheck/versturen").await;
    assert!(again.body.contains("Heeft u ze al gestuurd?"));
    // Once, as a warning (the layout's green notice is for something done).
    assert_eq!(
        again.body.matches("Er staan geen antwoorden klaar").count(),
        1
    );
    assert!(!again.body.contains("ww-alert--ok"));
    assert!(!again.body.contains("value=\"meer\" checked"));
    // The answers reached the team once.
    let me = app.resident_a;
    let requests = app
        .store
        .own_requests(&wegwijs_domain::Actor::Resident(me), me, 0)
        .await
        .unwrap();
    let geldcheck = requests.iter().filter(|r| r.kind == "geldcheck").count();
    assert_eq!(geldcheck, 1);
}

#[tokio::test]
async fn kept_answers_last_an_hour() {
    let app = TestApp::start(true).await;
    let mut c = app.client();
    c.get("/geldcheck").await;
    let held = c.post("/geldcheck/bewaren", &[("lenen", "soms")]).await;
    app.clock.advance(time::Duration::seconds(3601));
    c.resident_login_from(held.location.as_deref().unwrap(), 0)
        .await;
    let step = c.get("/geldcheck/versturen").await;
    assert!(
        step.body
            .contains("Er staan geen antwoorden klaar om te sturen.")
    );
}

/// A resident who opens a page of theirs before logging in lands on it
/// after the login.
#[tokio::test]
async fn a_resident_deep_link_survives_the_login() {
    let app = TestApp::start(true).await;
    let mut c = app.client();
    let asked = c.get("/mijn/afspraak?onderwerp=geld").await;
    assert_eq!(
        asked.location.as_deref(),
        Some("/inwoner/inloggen?terug=%2Fmijn%2Fafspraak%3Fonderwerp%3Dgeld")
    );
    let page = c.get(asked.location.as_deref().unwrap()).await;
    // (minijinja writes "/" as "&#x2f;" in a value; browsers read it back)
    let start = "href=\"&#x2f;inwoner&#x2f;inloggen&#x2f;digid?terug=%2Fmijn%2Fafspraak%3Fonderwerp%3Dgeld\"";
    assert!(page.body.contains(start), "{}", page.body);
    let back = c
        .resident_login_from(
            "/inwoner/inloggen/digid?terug=%2Fmijn%2Fafspraak%3Fonderwerp%3Dgeld",
            0,
        )
        .await;
    assert_eq!(
        back.location.as_deref(),
        Some("/mijn/afspraak?onderwerp=geld")
    );
    // Another site is never a place to return to.
    let away = c
        .resident_login_from("/inwoner/inloggen/digid?terug=https://elders.nl/", 0)
        .await;
    assert_eq!(away.location.as_deref(), Some("/mijn"));
}
