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
    // Actions and purposes in words, not codes.
    assert!(
        page.body.contains("<td>Uw gegevens bekeken"),
        "the read in words"
    );
    assert!(
        page.body
            .contains("<td>Dienstverlening (hulp in een zaak)</td>")
    );
    assert!(!page.body.contains(">inwoner-bekeken<") && !page.body.contains(">dienstverlening<"));

    // A BSN without a reason: named, what was typed kept, nothing searched.
    let r = fg.get(&format!("/privacy/logboek?inwoner={bsn}")).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("Pas eerst de zoekopdracht aan"),
        "no lines of another search"
    );
    assert!(!r.body.contains("Download deze regels"));
    assert!(r.body.contains("href=\"#veld-reden\""), "{}", r.body);
    assert!(r.body.contains(&format!(r#"value="{bsn}""#)));
    // The file of a search typed wrong leads back to the search, named.
    let r = fg
        .get("/privacy/logboek.csv?inwoner=12345&reden=controle")
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        r.location.as_deref(),
        Some("/privacy/logboek?inwoner=12345&reden=controle")
    );
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

/// The registers are made from the settings when opened: a municipality
/// that changes a retention term finds it changed in the register.
#[tokio::test]
async fn the_registers_follow_the_settings() {
    let app = TestApp::start(true).await;
    let mut fg = app.as_role("privacy").await;
    let page = fg.get("/privacy/registers").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("Signalen die niet zijn opgepakt, na binnenkomst: 6 maanden (Gemeente A)")
    );
    assert!(page.body.contains("Menselijke tussenkomst"));
    let json = fg.get("/privacy/verwerkingsregister.json").await;
    let register: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(register["controller"], "Gemeente A, Gemeente B");
    assert!(register["activities"].as_array().unwrap().len() >= 12);

    // The admin sets 9 months: the register says 9 at once.
    let admin = wegwijs_domain::Actor::Staff(wegwijs_domain::Staff {
        user_id: app.users["beheerder"],
        org_id: 1,
        role: wegwijs_domain::Role::Admin,
    });
    let mut settings = app.store.signal_settings(1).await.unwrap();
    settings.retention = wegwijs_domain::signal::Retention::new(9, 12).unwrap();
    let now = wegwijs_domain::Clock::now(app.clock.as_ref()).unix_timestamp();
    app.store
        .save_signal_settings(&admin, &settings, now)
        .await
        .unwrap();
    let page = fg.get("/privacy/registers").await;
    assert!(
        page.body
            .contains("Signalen die niet zijn opgepakt, na binnenkomst: 9 maanden (Gemeente A)")
    );
    let json = fg.get("/privacy/algoritmeregister.json").await;
    let entries: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(entries.as_array().unwrap().len(), 2);
    assert_eq!(entries[0]["schema"], "1.0.0");
    assert!(
        entries[0]["technische_werking"]
            .as_str()
            .unwrap()
            .contains("crisis 100")
    );
}
