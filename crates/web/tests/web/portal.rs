//! Mijn overzicht and hulp vragen: what the resident sees, asks and gets
//! back, what the caseworker answers, and the admin's routing table.

use crate::harness::{TestApp, stable};

/// The id in a redirect to /mijn/vraag/{id}?nieuw=1.
fn request_id(location: Option<&str>) -> i64 {
    let l = location.expect("a redirect");
    let rest = l.strip_prefix("/mijn/vraag/").expect("to the request page");
    rest[..rest.find('?').unwrap()].parse().unwrap()
}

#[tokio::test]
async fn the_overview_shows_leads_signals_requests_and_messages() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("inwoner").await;
    let page = c.get("/mijn").await;
    assert_eq!(page.status, 200);
    let body = &page.body;
    // What the scan found, named by what it gives (not the law's name),
    // with the amount and a way to ask for it.
    assert!(
        body.contains("<h3 id=\"regeling-1\">Zorgtoeslag</h3>"),
        "{body}"
    );
    assert!(body.contains("Ongeveer € 670,04 per jaar"), "{body}");
    assert!(body.contains("Ik wil dit aanvragen"));
    assert!(body.contains("Bel mij hierover"));
    // The explanation comes from the explainer, in a details element.
    assert!(body.contains("<details class=\"ww-explanation\">"));
    assert!(body.contains("U heeft waarschijnlijk recht op deze regeling."));
    // Its first line is the law's id, which the heading replaces.
    assert!(!body.contains("<p>wet_op_de_zorgtoeslag</p>"));
    // The open question with its next step and whom to call.
    assert!(body.contains("Vraag over: Geld en rekeningen"));
    assert!(body.contains("Team Geldzaken van Gemeente A"));
    assert!(body.contains("tel:0570123456"));
    // The confirmation message.
    assert!(body.contains("Wij hebben uw vraag"));
    // The appointment, with a way to change it.
    assert!(body.contains("dinsdag 24 november 2026 om 09:00"));
    assert!(body.contains(&format!("href=\"/mijn/afspraak/{}\"", app.appointment_a)));
    let main = &body[body.find("<main").unwrap()..body.find("</main>").unwrap()];
    insta::assert_snapshot!("portal_overview_nl", stable(main));
}

#[tokio::test]
async fn asking_about_a_lead_places_a_request_once() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("inwoner").await;
    // A wrong number: the overview again, the number kept, the field named.
    let bad = c
        .post(
            "/mijn/regeling",
            &[
                ("regeling", "wet_op_de_zorgtoeslag"),
                ("soort", "terugbellen"),
                ("telefoon", "06-12"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("value=\"06-12\""));
    assert!(
        bad.body
            .contains("href=\"#telefoon-wet_op_de_zorgtoeslag\"")
    );
    assert!(bad.body.contains(
        "Telefoonnummer heeft te weinig of te veel cijfers. Een telefoonnummer heeft 10 tot 15 cijfers"
    ));
    // An empty number is not "between 10 and 15", and letters are not told
    // to use letters.
    for (typed, said) in [
        ("", "Vul dit in: Telefoonnummer"),
        (
            "0612abc",
            "Telefoonnummer: gebruik alleen cijfers, spaties en streepjes. Bijvoorbeeld 06 12345678.",
        ),
    ] {
        let r = c
            .post(
                "/mijn/regeling",
                &[
                    ("regeling", "wet_op_de_zorgtoeslag"),
                    ("soort", "terugbellen"),
                    ("telefoon", typed),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "{typed:?}");
        assert!(r.body.contains(said), "{typed:?}");
        assert!(!r.body.contains("tussen 10 en 15"), "{typed:?}");
    }
    // Another law than one of the resident's own leads is not found.
    let other = c
        .post(
            "/mijn/regeling",
            &[("regeling", "participatiewet"), ("soort", "aanvragen")],
        )
        .await;
    assert_eq!(other.status, 404);
    c.get("/mijn").await;
    let ok = c
        .post(
            "/mijn/regeling",
            &[
                ("regeling", "wet_op_de_zorgtoeslag"),
                ("soort", "terugbellen"),
                ("telefoon", "06 1234 5678"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    let id = request_id(ok.location.as_deref());
    let page = c.get(ok.location.as_deref().unwrap()).await;
    assert!(page.body.contains("Bellen over: Zorgtoeslag"));
    assert!(page.body.contains("Team Geldzaken van Gemeente A belt u."));
    assert!(page.body.contains("Wij bellen u op 06 1234 5678."));
    let overview = c.get("/mijn").await.body;
    assert!(overview.contains("Wij bellen u hierover."));
    assert!(overview.contains(&format!("href=\"/mijn/vraag/{id}\"")));
    // The caseworker of the municipality sees it, with the number.
    let mut mw = app.as_role("medewerker").await;
    let staff = mw.get(&format!("/werk/inwoner/{}", app.resident_a.0)).await;
    assert!(staff.body.contains("Bellen over: Zorgtoeslag"));
    assert!(staff.body.contains("06 1234 5678"));
}

#[tokio::test]
async fn a_question_goes_where_the_table_says_and_keeps_what_was_typed() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("inwoner").await;
    assert!(
        c.get("/mijn/hulp")
            .await
            .body
            .contains("Waar wilt u hulp bij?")
    );
    let words = "Mijn buurman <b>helpt</b> mij niet meer.";
    let missing = c.post("/mijn/hulp", &[("woorden", words)]).await;
    assert_eq!(missing.status, 422);
    assert!(missing.body.contains("href=\"#veld-onderwerp-geld\""));
    assert!(
        missing
            .body
            .contains("Mijn buurman &lt;b&gt;helpt&lt;&#x2f;b&gt; mij niet meer.")
    );
    let empty = c.post("/mijn/hulp", &[("onderwerp", "anders")]).await;
    assert_eq!(empty.status, 422);
    assert!(empty.body.contains("href=\"#veld-woorden\""));
    assert!(empty.body.contains("value=\"anders\" checked"));
    // No way to reach them: said, naming both fields; a bad number and
    // e-mail address each named, with what was typed kept.
    assert!(empty.body.contains("href=\"#veld-uw-telefoon\""));
    assert!(
        empty
            .body
            .contains("Vul uw telefoonnummer of uw e-mailadres in, of allebei.")
    );
    let bad = c
        .post(
            "/mijn/hulp",
            &[
                ("onderwerp", "werk"),
                ("woorden", words),
                ("telefoon", "0612abc"),
                ("email", "geen-email"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("href=\"#veld-uw-email\""));
    assert!(bad.body.contains("value=\"0612abc\""));
    assert!(bad.body.contains("value=\"geen-email\""));
    // Work has no route of its own: it goes to the team of "iets anders".
    let sent = c
        .post(
            "/mijn/hulp",
            &[
                ("onderwerp", "werk"),
                ("woorden", words),
                ("telefoon", "06 1234 5678"),
                ("email", "ik@voorbeeld.nl"),
            ],
        )
        .await;
    assert_eq!(sent.status, 303);
    let page = c.get(sent.location.as_deref().unwrap()).await;
    assert!(
        page.body
            .contains("Wij hebben uw vraag. U krijgt ook een bericht")
    );
    assert!(page.body.contains("Team Wijk van Gemeente A"));
    assert!(
        page.body.contains("op 25 november 2026 of eerder"),
        "three working days"
    );
    assert!(page.body.contains("Mijn buurman &lt;b&gt;"));
    assert!(page.body.contains("Zo nemen wij contact met u op"));
    assert!(page.body.contains("ik@voorbeeld.nl"));
    // The next question starts with what they gave, and the log says why
    // it was looked up.
    let next = c.get("/mijn/hulp").await;
    assert!(next.body.contains("value=\"06 1234 5678\""));
    assert!(next.body.contains("value=\"ik@voorbeeld.nl\""));
    // (The log page folds the resident's own looking into a count per
    // day; the page with everything has every line.)
    let log = c.get("/mijn/alles").await;
    assert!(
        log.body
            .contains("Uw telefoonnummer en e-mailadres opgezocht")
    );
    // The caseworker sees how to reach them.
    let mut mw = app.as_role("medewerker").await;
    let staff = mw.get(&format!("/werk/inwoner/{}", app.resident_a.0)).await;
    assert!(staff.body.contains("E-mailadres van de inwoner"));
    assert!(staff.body.contains("ik@voorbeeld.nl"));
    // Another resident's question is not found.
    let theirs = c.get(&format!("/mijn/vraag/{}", app.request_b)).await;
    assert_eq!(theirs.status, 404);
}

/// "Wie helpt u?" names, per subject in the routing table, the team, its
/// number and how soon it answers; in the menu, and only for the resident.
#[tokio::test]
async fn the_resident_sees_who_helps_with_what() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("inwoner").await;
    let page = c.get("/mijn/wie-helpt").await;
    assert_eq!(page.status, 200);
    let main = &page.body[page.body.find("<main").unwrap()..];
    let geld = main.find("Geld en rekeningen").expect("the money subject");
    let anders = main.find("Iets anders").expect("the other subject");
    assert!(geld < anders, "in the order of the question form");
    assert!(main.contains("Team Geldzaken van Gemeente A helpt u."));
    assert!(main.contains("Team Wijk van Gemeente A helpt u."));
    assert!(main.contains("<a href=\"tel:0570123456\">0570 123 456</a>"));
    assert!(main.contains("U krijgt binnen 3 werkdagen antwoord."));
    // Wonen has no team of its own: the form sends it to "iets anders".
    let wonen = main
        .find("<h2 class=\"ww-small-heading\">Wonen</h2>")
        .expect("every subject");
    assert!(
        main[wonen..].find("Team Wijk van Gemeente A helpt u.") < main[wonen..].find("</li>"),
        "Wonen goes to the team of iets anders"
    );
    assert_eq!(
        main.matches("<li class=\"ww-card\">").count(),
        5,
        "every subject"
    );
    assert!(main.contains("href=\"/mijn/hulp\""));
    let nav = &page.body[page.body.find("<nav").unwrap()..page.body.find("</nav>").unwrap()];
    assert!(
        nav.contains("aria-current=\"page\">Wie helpt u?</a>"),
        "in the menu, as the current page: {nav}"
    );
    c.get("/taal/en?terug=/mijn/wie-helpt").await;
    let en = c.get("/mijn/wie-helpt").await;
    assert!(en.body.contains("You get an answer within 3 working days."));
    let staff = app.as_role("medewerker").await.get("/mijn/wie-helpt").await;
    assert_eq!(staff.status, 403);
}

#[tokio::test]
async fn the_caseworker_answers_and_the_resident_reads_it() {
    let app = TestApp::start(true).await;
    let mut mw = app.as_role("medewerker").await;
    let page = format!("/werk/inwoner/{}", app.resident_a.0);
    let staff = mw.get(&page).await;
    assert!(staff.body.contains("Ik kan de huur niet betalen."));
    let answer = format!("/werk/hulpvraag/{}", app.request_a);
    let long = "x".repeat(1001);
    let bad = mw
        .post(&answer, &[("status", "in-behandeling"), ("bericht", &long)])
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains(&long), "what was typed is kept");
    assert!(
        bad.body
            .contains(&format!("href=\"#veld-bericht-{}\"", app.request_a))
    );
    let ok = mw
        .post(
            &answer,
            &[
                ("status", "in-behandeling"),
                ("bericht", "Ik bel u dinsdag om 10 uur."),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    // The caseworker is told it is saved, and reads the statuses in their
    // own words, not the resident's.
    let to = ok.location.as_deref().unwrap();
    assert!(to.ends_with(&format!("#vraag-{}", app.request_a)), "{to}");
    let after = mw.get(to).await;
    // The notice stands with the request it is about.
    let card = &after.body[after
        .body
        .find(&format!("id=\"vraag-{}\"", app.request_a))
        .unwrap()..];
    assert!(
        card[..card.find("</article>").unwrap()]
            .contains("Uw antwoord is opgeslagen. De inwoner ziet het in Mijn berichten.")
    );
    // The appointment in the caseworker's words, not the resident's.
    assert!(after.body.contains("De inwoner komt naar Stadhuisplein 1"));
    assert!(!after.body.contains("U komt naar"));
    // The same status again without a message: refused, nothing sent twice.
    let same = mw
        .post(&answer, &[("status", "in-behandeling"), ("bericht", "")])
        .await;
    assert_eq!(same.status, 422);
    assert!(
        same.body
            .contains("de vraag heeft deze stand al, en er is geen bericht")
    );
    assert!(same.body.contains(&format!(
        "id=\"veld-status-{}\" name=\"status\" aria-invalid=\"true\"",
        app.request_a
    )));
    let requests = &after.body[after.body.find("id=\"hulpvragen\"").unwrap()..];
    assert!(requests.contains("<dd>In behandeling</dd>"));
    assert!(
        !requests.contains("Wij zijn ermee bezig") && !requests.contains("Wij hebben uw vraag")
    );
    let mut me = app.as_role("inwoner").await;
    let q = me.get(&format!("/mijn/vraag/{}", app.request_a)).await;
    assert!(q.body.contains("Wij zijn ermee bezig"));
    assert!(q.body.contains("Ik bel u dinsdag om 10 uur."));
    let messages = me.get("/mijn/berichten").await;
    assert_eq!(messages.body.matches("Nieuws over uw vraag").count(), 1);
    // Done: the question leaves the open list (the store's tests show the
    // work closing with it).
    mw.get(&page).await;
    let done = mw
        .post(&answer, &[("status", "afgerond"), ("bericht", "")])
        .await;
    assert_eq!(done.status, 303);
    let overview = me.get("/mijn").await.body;
    assert!(overview.contains("U heeft 1 vraag die klaar is."));
    let log = app.store.audit_page(0, 10_000, None).await.unwrap();
    assert!(log.iter().all(|e| !e.detail.contains("dinsdag")));
}

#[tokio::test]
async fn the_admin_keeps_the_routing_table() {
    let app = TestApp::start(true).await;
    let mut admin = app.as_role("beheerder").await;
    let page = admin.get("/beheer/hulp").await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.body
            .matches("<form method=\"post\" action=\"/beheer/hulp\"")
            .count(),
        5
    );
    assert!(page.body.contains("Nog niet ingesteld."));
    let orgs = app.store.orgs().await.unwrap();
    let b = orgs.iter().find(|o| o.name == "Gemeente B").unwrap().id;
    // Gemeente B's admin made the team; the routing table names it.
    let admin_b = wegwijs_domain::Actor::Staff(wegwijs_domain::Staff {
        user_id: app.users["beheerder-b"],
        org_id: b,
        role: wegwijs_domain::Role::Admin,
    });
    let wmo = app
        .store
        .create_team(&admin_b, b, "Wmo-loket", 0)
        .await
        .unwrap()
        .to_string();
    let bad = admin
        .post(
            "/beheer/hulp",
            &[
                ("onderwerp", "zorg"),
                ("team", &wmo),
                ("werkdagen", "60"),
                ("telefoon", "14 0570"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("href=\"#veld-werkdagen-zorg\""));
    assert!(bad.body.contains("href=\"#veld-telefoonnummer-zorg\""));
    assert!(
        bad.body.contains(&format!(
            "<option value=\"{wmo}\" selected>Wmo-loket (Gemeente B)"
        )),
        "the chosen team stays chosen"
    );
    // No team chosen: the field is named.
    let none = admin
        .post(
            "/beheer/hulp",
            &[
                ("onderwerp", "zorg"),
                ("team", ""),
                ("werkdagen", "5"),
                ("telefoon", "0570 765 432"),
            ],
        )
        .await;
    assert_eq!(none.status, 422);
    assert!(none.body.contains("href=\"#veld-team-zorg\""));
    let ok = admin
        .post(
            "/beheer/hulp",
            &[
                ("onderwerp", "zorg"),
                ("team", &wmo),
                ("werkdagen", "5"),
                ("telefoon", "0570 765 432"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    let saved = admin.get(ok.location.as_deref().unwrap()).await;
    assert!(
        saved
            .body
            .contains("De route voor &quot;Zorg&quot; is opgeslagen."),
        "{}",
        saved.body
    );
    let routes = app.store.help_routes().await.unwrap();
    assert!(
        routes
            .iter()
            .any(|r| r.route.team == "Wmo-loket" && r.org_name == "Gemeente B")
    );
    // A question about care now reaches Gemeente B's team.
    let mut me = app.as_role("inwoner").await;
    me.get("/mijn/hulp").await;
    let sent = me
        .post("/mijn/hulp", &[("onderwerp", "zorg"), ("email", "a@b.nl")])
        .await;
    let page = me.get(sent.location.as_deref().unwrap()).await;
    assert!(page.body.contains("Wmo-loket van Gemeente B"));
}

#[tokio::test]
async fn after_a_contact_the_resident_says_how_it_was() {
    let app = TestApp::start(true).await;
    let mut mw = app.as_role("medewerker").await;
    mw.get(&format!("/werk/inwoner/{}", app.resident_a.0)).await;
    let done = mw
        .post(
            &format!("/werk/hulpvraag/{}", app.request_a),
            &[("status", "afgerond"), ("bericht", "")],
        )
        .await;
    assert_eq!(done.status, 303);
    let mut me = app.as_role("inwoner").await;
    let overview = me.get("/mijn").await.body;
    let href = format!("/mijn/hoe-was-het/hulpvraag/{}", app.request_a);
    assert!(overview.contains(&format!("href=\"{href}\"")));
    let page = me.get(&href).await;
    assert!(
        page.body
            .contains("Hoe makkelijk was het om dit te regelen?")
    );
    let bad = me.post(&href, &[("opmerking", "Duurde lang.")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("href=\"#veld-cijfer\""));
    assert!(bad.body.contains("Duurde lang."));
    let ok = me
        .post(&href, &[("cijfer", "2"), ("opmerking", "Duurde lang.")])
        .await;
    assert_eq!(ok.location.as_deref(), Some("/mijn?bedankt=1"));
    let after = me.get("/mijn?bedankt=1").await.body;
    assert!(after.contains("Dank u wel."));
    assert!(!after.contains(&format!("href=\"{href}\"")));
    assert_eq!(me.get(&href).await.status, 404, "asked once");
    // The team lead sees totals only from five answers on: one answer
    // shows only that there is one, so it cannot be traced back.
    let mut lead = app.as_role("teamleider").await;
    let team = lead.get("/team").await.body;
    assert!(team.contains("1 inwoner gaf een cijfer."), "{team}");
    assert!(!team.contains("Duurde lang.") && !team.contains("Gemiddeld"));
}

/// "Klopt een gegeven niet? Zeg het ons" leads to a form whose request
/// reaches the team, which sees what the resident wrote.
#[tokio::test]
async fn a_wrong_fact_reaches_the_team() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("inwoner").await;
    let overview = c.get("/mijn").await;
    assert!(
        overview
            .body
            .contains("href=\"/mijn/regeling/wet_op_de_zorgtoeslag/klopt-niet\"")
    );
    let path = "/mijn/regeling/wet_op_de_zorgtoeslag/klopt-niet";
    let form = c.get(path).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("Klopt een gegeven niet? (Zorgtoeslag)"));
    let empty = c
        .post(path, &[("juist", " "), ("telefoon", ""), ("email", "")])
        .await;
    assert_eq!(empty.status, 422);
    assert!(empty.body.contains("href=\"#veld-juist\""));
    assert!(empty.body.contains("href=\"#veld-uw-telefoon\""));
    let text = "Mijn inkomen is nu 1.400 euro per maand.";
    let sent = c
        .post(path, &[("juist", text), ("telefoon", "06 1234 5678")])
        .await;
    assert_eq!(sent.status, 303);
    let page = c.get(sent.location.as_deref().unwrap()).await;
    assert!(page.body.contains("Gegeven klopt niet: Zorgtoeslag"));
    assert!(page.body.contains("rekent opnieuw"));
    let overview = c.get("/mijn").await;
    assert!(
        overview
            .body
            .contains("U zei dat een gegeven niet klopt. Wij kijken ernaar en rekenen opnieuw.")
    );
    let mut mw = app.as_role("medewerker").await;
    let staff = mw.get(&format!("/werk/inwoner/{}", app.resident_a.0)).await;
    assert!(staff.body.contains("Gegeven klopt niet: Zorgtoeslag"));
    assert!(staff.body.contains(text));
    // A law that is not one of the resident's leads is not found.
    let other = c.get("/mijn/regeling/participatiewet/klopt-niet").await;
    assert_eq!(other.status, 404);
}

/// A request's topic is shown in the reader's language (it is stored in
/// Dutch for the team).
#[tokio::test]
async fn request_topics_speak_the_readers_language() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("inwoner").await;
    c.get("/mijn/hulp").await;
    let sent = c
        .post(
            "/mijn/hulp",
            &[("onderwerp", "geld"), ("telefoon", "06 1234 5678")],
        )
        .await;
    let path = sent.location.unwrap();
    assert!(
        c.get(&path)
            .await
            .body
            .contains("Vraag over: Geld en rekeningen")
    );
    c.get("/taal/en?terug=/mijn").await;
    let en = c.get(&path).await;
    assert!(
        en.body.contains("Question about: Money and bills"),
        "{}",
        en.body
    );
    let all = c.get("/mijn").await;
    assert!(all.body.contains("Question about: Money and bills"));
}

/// A resident finds a request again: from its card, from a message about
/// it, and from the count of finished ones.
#[tokio::test]
async fn messages_and_cards_lead_to_their_request() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("inwoner").await;
    let to_request = format!("href=\"/mijn/vraag/{}\"", app.request_a);
    let overview = c.get("/mijn").await;
    assert!(overview.body.contains(&to_request), "the card links");
    let messages = c.get("/mijn/berichten").await;
    assert!(messages.body.contains(&to_request), "the message links");
    assert!(messages.body.contains("Bekijk uw vraag"));
    let own = c.get(&format!("/mijn/vraag/{}", app.request_a)).await;
    assert!(!own.body.contains(&to_request), "not to itself");
}
