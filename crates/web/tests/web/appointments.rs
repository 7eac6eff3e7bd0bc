//! Afspraak: booking, moving and cancelling, the reminder in the demo
//! mailbox, and the admin's consultation hours.

use crate::harness::TestApp;

#[tokio::test]
async fn a_resident_books_a_time_with_a_reminder() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("inwoner").await;
    let start = c.get("/mijn/afspraak").await;
    assert!(start.body.contains("Waarover wilt u praten?"));
    assert!(start.body.contains("Team Geldzaken"));
    // A subject without hours: said on the first step.
    let none = c.get("/mijn/afspraak?onderwerp=werk&vorm=balie").await;
    assert_eq!(none.status, 422);
    assert!(none.body.contains("href=\"#veld-onderwerp\""));
    let times = c.get("/mijn/afspraak?onderwerp=geld&vorm=telefoon").await;
    assert_eq!(times.status, 200);
    assert!(times.body.contains("Wat kunt u verwachten?"));
    assert!(times.body.contains("30 minuten"));
    assert!(times.body.contains("Op welk nummer bellen wij u?"));
    // The two seeded appointments took Tuesday 09:00 and 09:30.
    assert!(times.body.contains("maandag 23 november 2026"));
    let taken = app
        .store
        .taken_times(wegwijs_domain::help::HelpTopic::Geld, 0)
        .await
        .unwrap();
    assert_eq!(taken.len(), 2);
    for (t, _) in &taken {
        assert!(!times.body.contains(&format!("value=\"{t}\"")));
    }
    assert!(times.body.contains(">10:00<"));
    // Wednesday: more than a day ahead, so a reminder is made.
    let slot = |body: &str, time: &str| {
        let wednesday = body
            .find("<legend>woensdag 25 november 2026</legend>")
            .unwrap();
        let at = wednesday + body[wednesday..].find(&format!(">{time}<")).unwrap();
        let id = body[..at].rfind("value=\"").unwrap() + 7;
        body[id..id + body[id..].find('"').unwrap()].to_string()
    };
    let ten = slot(&times.body, "10:00");
    // No time, a bad number: both said, the choices kept.
    let bad = c
        .post(
            "/mijn/afspraak",
            &[
                ("onderwerp", "geld"),
                ("vorm", "telefoon"),
                ("contact", "06-12"),
                ("herinnering", "sms"),
                ("adres", "06 1234 5678"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("href=\"#veld-tijd\""));
    assert!(bad.body.contains("href=\"#veld-contact\""));
    assert!(bad.body.contains("value=\"06-12\""));
    assert!(bad.body.contains("value=\"sms\" checked"));
    // A time someone else has: refused with a plain message.
    let monday_nine = taken[0].0.to_string();
    let taken = c
        .post(
            "/mijn/afspraak",
            &[
                ("onderwerp", "geld"),
                ("vorm", "balie"),
                ("tijd", &monday_nine),
            ],
        )
        .await;
    assert_eq!(taken.status, 422);
    assert!(taken.body.contains("Deze tijd is niet meer vrij."));
    let ok = c
        .post(
            "/mijn/afspraak",
            &[
                ("onderwerp", "geld"),
                ("vorm", "telefoon"),
                ("tijd", &ten),
                ("contact", "06 1234 5678"),
                ("herinnering", "sms"),
                ("adres", "06 1234 5678"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let page = c.get(ok.location.as_deref().unwrap()).await;
    assert!(page.body.contains("Uw afspraak staat vast."));
    assert!(page.body.contains("woensdag 25 november 2026 om 10:00"));
    assert!(page.body.contains("Wij bellen u op 06 1234 5678."));
    assert!(page.body.contains("Ja, per sms"));
    assert!(page.body.contains("Verzetten of afzeggen kost niets."));
    // The reminder waits in the demo mailbox until the day before.
    let post = c.get("/mijn/post").await;
    assert!(post.body.contains("Sms aan 06 1234 5678"));
    assert!(post.body.contains("Morgen heeft u een afspraak"));
    assert!(post.body.contains("Gaat weg op"));
    let messages = c.get("/mijn/berichten").await;
    assert!(messages.body.contains("Uw afspraak staat vast"));
}

#[tokio::test]
async fn moving_and_cancelling_take_one_step_and_free_the_time() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("inwoner").await;
    let id = app.appointment_a;
    let page = c.get(&format!("/mijn/afspraak/{id}/verzetten")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("Uw afspraak is nu op dinsdag 24 november 2026 om 09:00.")
    );
    // The resident's own time is among the choices; b's is not.
    let mut taken = app
        .store
        .taken_times(wegwijs_domain::help::HelpTopic::Geld, 0)
        .await
        .unwrap();
    taken.sort_unstable();
    assert!(page.body.contains(&format!("value=\"{}\"", taken[0].0)));
    assert!(!page.body.contains(&format!("value=\"{}\"", taken[1].0)));
    let tuesday = page
        .body
        .find("<legend>dinsdag 24 november 2026</legend>")
        .unwrap();
    let at = tuesday + page.body[tuesday..].find(">11:00<").unwrap();
    let v = page.body[..at].rfind("value=\"").unwrap() + 7;
    let eleven = page.body[v..v + page.body[v..].find('"').unwrap()].to_string();
    let moved = c
        .post(
            &format!("/mijn/afspraak/{id}/verzetten"),
            &[("vorm", "balie"), ("tijd", &eleven)],
        )
        .await;
    assert_eq!(moved.status, 303);
    let shown = c.get(moved.location.as_deref().unwrap()).await;
    assert!(shown.body.contains("Uw afspraak is verzet."));
    assert!(shown.body.contains("om 11:00"));
    // The reminder moved along.
    let post = c.get("/mijn/post").await;
    assert!(post.body.contains("om 11:00"), "{}", post.body);
    // Cancel: the appointment's page asks first (a link, not a button that
    // cancels at once); the question page names the appointment.
    let page = c.get(&format!("/mijn/afspraak/{id}")).await;
    assert!(
        page.body
            .contains(&format!("href=\"/mijn/afspraak/{id}/afzeggen\""))
    );
    assert!(
        !page.body.contains("action=\"/mijn/afspraak/"),
        "no form that cancels at once"
    );
    let ask = c.get(&format!("/mijn/afspraak/{id}/afzeggen")).await;
    assert_eq!(ask.status, 200);
    assert!(ask.body.contains("Afspraak afzeggen?"));
    assert!(ask.body.contains("om 11:00"), "{}", ask.body);
    assert!(ask.body.contains("Nee, ik houd de afspraak"));
    let cancel = c.post(&format!("/mijn/afspraak/{id}/afzeggen"), &[]).await;
    assert_eq!(cancel.status, 303);
    let shown = c.get(cancel.location.as_deref().unwrap()).await;
    assert!(shown.body.contains("U heeft deze afspraak afgezegd."));
    assert!(!shown.body.contains("/afzeggen"));
    let post = c.get("/mijn/post").await;
    assert!(
        post.body
            .contains("Niet verstuurd, want de afspraak is afgezegd of verzet.")
    );
    let free = c.get("/mijn/afspraak?onderwerp=geld&vorm=balie").await;
    assert!(free.body.contains(&format!("value=\"{eleven}\"")));
    assert!(free.body.contains(&format!("value=\"{}\"", taken[0].0)));
    // Cancelled cannot be moved.
    assert_eq!(
        c.get(&format!("/mijn/afspraak/{id}/verzetten"))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn the_admin_sets_consultation_hours() {
    let app = TestApp::start(true).await;
    let mut admin = app.as_role("beheerder").await;
    admin.get("/beheer/hulp").await;
    let bad = admin
        .post(
            "/beheer/hulp/spreekuur",
            &[
                ("onderwerp", "wonen"),
                ("begintijd", "14:00"),
                ("eindtijd", "13"),
                ("duur", "5"),
                ("plaats", "Wijkcentrum De Brug"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    for id in [
        "uur-dagen-wonen",
        "uur-eindtijd-wonen",
        "uur-duur-wonen",
        "uur-vorm-wonen",
    ] {
        assert!(bad.body.contains(&format!("href=\"#{id}\"")), "{id}");
    }
    assert!(bad.body.contains("value=\"Wijkcentrum De Brug\""));
    assert!(
        bad.body
            .contains("is geen tijd. Schrijf de tijd zo: 09:30.")
    );
    let ok = admin
        .post(
            "/beheer/hulp/spreekuur",
            &[
                ("onderwerp", "wonen"),
                ("dag3", "ja"),
                ("begintijd", "13:00"),
                ("eindtijd", "15:00"),
                ("duur", "45"),
                ("vorm_balie", "ja"),
                ("plaats", "Wijkcentrum De Brug"),
                ("meenemen", "Uw huurcontract"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    let page = admin.get(ok.location.as_deref().unwrap()).await;
    assert!(
        page.body
            .contains("Het spreekuur voor &quot;Wonen&quot; is opgeslagen.")
    );
    let hours = app.store.appointment_hours().await.unwrap();
    let wonen = hours.iter().find(|h| h.topic.code() == "wonen").unwrap();
    assert_eq!((wonen.weekdays.clone(), wonen.slot_minutes), (vec![3], 45));
    // No route for "wonen": residents do not see it until there is one.
    let mut me = app.as_role("inwoner").await;
    assert!(
        !me.get("/mijn/afspraak")
            .await
            .body
            .contains("veld-onderwerp-wonen")
    );
    // Nobody else sets hours.
    let mut mw = app.as_role("medewerker").await;
    mw.get("/werk").await;
    assert_eq!(
        mw.post("/beheer/hulp/spreekuur", &[("onderwerp", "wonen")])
            .await
            .status,
        403
    );
}

/// The first step sent with nothing chosen says what to choose, and keeps
/// what was chosen.
#[tokio::test]
async fn an_empty_first_step_says_what_to_choose() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("inwoner").await;
    let page = c.get("/mijn/afspraak").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"stap\" value=\"kies\""));
    assert!(!page.body.contains("Kies een antwoord"), "nothing sent yet");
    let empty = c.get("/mijn/afspraak?stap=kies").await;
    assert_eq!(empty.status, 422);
    assert!(
        empty
            .body
            .contains("Kies een antwoord bij: Waarover wilt u praten?")
    );
    assert!(
        empty
            .body
            .contains("Kies een antwoord bij: Hoe wilt u praten?")
    );
    assert!(
        empty.body.contains("href=\"#veld-onderwerp\"")
            && empty.body.contains("href=\"#veld-vorm\"")
    );
    let half = c.get("/mijn/afspraak?stap=kies&onderwerp=geld").await;
    assert_eq!(half.status, 422);
    assert!(
        !half.body.contains("Waarover wilt u praten?</a>"),
        "the subject was chosen"
    );
    assert!(
        half.body
            .contains("Kies een antwoord bij: Hoe wilt u praten?")
    );
    assert!(half.body.contains("value=\"geld\" checked"));
}

/// What to bring is for a meeting at the desk; a call or a video call asks
/// to have the papers at hand instead (not "Neem mee: uw legitimatie").
#[tokio::test]
async fn a_call_asks_for_papers_at_hand_not_what_to_bring() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("inwoner").await;
    let desk = c.get("/mijn/afspraak?onderwerp=geld&vorm=balie").await;
    assert!(desk.body.contains("<dt>Neem mee</dt>"));
    for way in ["telefoon", "video"] {
        let call = c
            .get(&format!("/mijn/afspraak?onderwerp=geld&vorm={way}"))
            .await;
        assert_eq!(call.status, 200, "{way}");
        assert!(!call.body.contains("<dt>Neem mee</dt>"), "{way}");
        assert!(
            call.body.contains(
                "<dt>Leg klaar</dt><dd>De brieven en papieren waar u over wilt praten.</dd>"
            ),
            "{way}"
        );
    }
}

/// Preparing a call asks who listens in, not who comes along; at the desk
/// it asks who comes along. The caseworker reads the question as asked.
#[tokio::test]
async fn preparing_a_call_asks_who_listens_in() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("inwoner").await;
    let times = c.get("/mijn/afspraak?onderwerp=geld&vorm=telefoon").await;
    let slot = crate::harness::field_value(&times.body, "tijd").unwrap();
    let booked = c
        .post(
            "/mijn/afspraak",
            &[
                ("onderwerp", "geld"),
                ("vorm", "telefoon"),
                ("tijd", &slot),
                ("contact", "06 1234 5678"),
                ("herinnering", "geen"),
            ],
        )
        .await;
    assert_eq!(booked.status, 303, "{}", booked.body);
    let id: i64 = booked
        .location
        .unwrap()
        .trim_start_matches("/mijn/afspraak/")
        .split(['?', '/'])
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let call = c
        .get(&format!("/mijn/afspraak/{id}/voorbereiden/mee"))
        .await;
    assert!(call.body.contains("Wie mag er meeluisteren of meepraten?"));
    assert!(!call.body.contains("mee naar het gesprek"));
    c.post(
        &format!("/mijn/afspraak/{id}/voorbereiden/mee"),
        &[("mee", "Mijn zus"), ("actie", "volgende")],
    )
    .await;
    let summary = c
        .get(&format!("/mijn/afspraak/{id}/voorbereiden/klaar"))
        .await;
    assert!(
        summary
            .body
            .contains("Wie mag er meeluisteren of meepraten?")
    );
    let desk = c
        .get(&format!(
            "/mijn/afspraak/{}/voorbereiden/mee",
            app.appointment_a
        ))
        .await;
    assert!(desk.body.contains("Wie mag er mee naar het gesprek?"));
}
