//! The privacy officer's log over HTTP: in words, searchable, the search
//! itself in the resident's own log, bad input named, the file, signals.

use crate::harness::TestApp;

#[tokio::test]
async fn the_officer_searches_in_words_and_the_resident_sees_the_search() {
    let app = TestApp::start(true).await;
    let a = app.resident_a;
    let bsn = app.bsn_of(a).await;
    // Gemeente A's caseworker looks at resident a.
    let mut mw = app.as_role("medewerker").await;
    mw.get(&format!("/werk/inwoner/{}", a.0)).await;

    let mut fg = app.as_role("privacy").await;
    let page = fg.get("/privacy/logboek").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Test medewerker"), "staff by name");
    assert!(!page.body.contains("medewerker:"), "no raw actor codes");
    assert!(page.body.contains("Inwoner bekeken") || page.body.contains("bekeken"));

    // A BSN without a reason: named, what was typed kept, nothing searched.
    let r = fg.get(&format!("/privacy/logboek?inwoner={bsn}")).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#veld-reden\""), "{}", r.body);
    assert!(r.body.contains(&format!(r#"value="{bsn}""#)));
    let r = fg
        .get("/privacy/logboek?inwoner=12345&reden=controle")
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#veld-inwoner\""));
    let r = fg.get("/privacy/logboek?van=gisteren&actie=iets").await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("href=\"#veld-periode-van\"") && r.body.contains("href=\"#veld-actie\"")
    );

    // By BSN with a reason: the caseworker's read, by name.
    let r = fg
        .get(&format!("/privacy/logboek?inwoner={bsn}&reden=avg-verzoek"))
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Test medewerker"));
    assert!(r.body.contains(&format!("(nummer {})", a.0)));
    // The file for the AVG request: every line, in words, no resident data.
    let file = fg
        .get(&format!(
            "/privacy/logboek.csv?inwoner={bsn}&reden=avg-verzoek"
        ))
        .await;
    assert_eq!(file.status, 200);
    assert!(
        file.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(file.body.contains("Test medewerker") && file.body.contains("Toegestaan"));
    assert!(
        !file.body.contains(&bsn),
        "the officer's access shows no resident data"
    );
    let name = &app.people[0].geslachtsnaam;
    assert!(!file.body.contains(name.as_str()));

    // The resident sees that the log was searched for them, and why.
    let mut me = app.as_role("inwoner").await;
    let log = me.get("/mijn/logboek").await;
    assert!(
        log.body
            .contains("De privacy-functionaris zocht in het logboek naar uw gegevens")
    );
    assert!(
        log.body
            .contains("Om te controleren of iedereen goed met uw gegevens omgaat")
    );
}

#[tokio::test]
async fn signals_with_their_thresholds() {
    let app = TestApp::start(true).await;
    let mut fg = app.as_role("privacy").await;
    let page = fg.get("/privacy/signalen").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains(r#"name="per_uur" type="text" inputmode="numeric" value="100""#)
    );
    let r = fg.get("/privacy/signalen?per_uur=veel&nacht_van=25").await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("href=\"#veld-per-uur\"") && r.body.contains("href=\"#veld-nacht-van\"")
    );
    assert!(r.body.contains(r#"value="veel""#), "what was typed is kept");
    // Every read counts with a threshold of 0 per hour.
    let mut mw = app.as_role("medewerker").await;
    mw.get(&format!("/werk/inwoner/{}", app.resident_a.0)).await;
    let r = fg.get("/privacy/signalen?per_uur=0").await;
    assert!(r.body.contains("Test medewerker opende"), "{}", r.body);
    assert!(r.body.contains("logboek?medewerker="));
}
