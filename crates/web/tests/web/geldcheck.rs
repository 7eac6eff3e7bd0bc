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
    // The caseworker reads the answers in words.
    let mut mw = app.as_role("medewerker").await;
    let staff = mw.get(&format!("/werk/inwoner/{}", app.resident_a.0)).await;
    assert!(
        staff
            .body
            .contains("Heeft u rekeningen die u te laat betaalt? Ja, meer dan één")
    );
}
