//! The schrijfhulp: a text checked for plain language, without and with
//! the script, in Dutch and English; nothing of the text kept or logged.

use crate::harness::{self, TestApp, stable};

const LETTER: &str = "Geachte heer, mevrouw,\n\nDerhalve wordt u verzocht het verschuldigde bedrag \
m.b.t. de aanslag binnen veertien dagen te voldoen. Uw klantmanager belt u.";

#[tokio::test]
async fn a_text_is_marked_without_javascript_and_kept_in_the_form() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("medewerker").await;
    let empty = c.get("/schrijfhulp").await;
    assert_eq!(empty.status, 200);
    assert!(empty.body.contains("<textarea id=\"tekst\" name=\"tekst\""));
    assert!(empty.body.contains("Er is nog geen tekst"));
    // Scripts only from this site, never inline.
    let csp = |r: &harness::Resp| {
        r.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string()
    };
    assert!(csp(&empty).contains("script-src 'self'"));
    assert!(!csp(&c.get("/werk").await).contains("unsafe-inline"));

    let r = c
        .post("/schrijfhulp", &[("tekst", LETTER), ("vorm", "plain")])
        .await;
    assert_eq!(r.status, 200);
    // The text stays in the form, escaped.
    assert!(
        r.body
            .contains("Geachte heer, mevrouw,\n\nDerhalve wordt u verzocht")
    );
    for expected in [
        "<mark class=\"ww-mark--woord-advies\">Derhalve</mark>",
        "Formeel woord",
        "daarom",
        "Lijdende vorm",
        "Afkorting",
        "href=\"#punt-1\"",
        "id=\"punt-1\"",
        // The municipality's own word, next to the shipped list.
        "uw vaste contactpersoon",
        "Woorden per zin, gemiddeld",
    ] {
        assert!(r.body.contains(expected), "{expected} in the result");
    }
    // Dutch figures have a decimal comma.
    let avg = r.body.split("Woorden per zin, gemiddeld").nth(1).unwrap();
    assert!(avg[..80].contains(','), "{}", &avg[..80]);
    insta::assert_snapshot!("schrijfhulp_result_nl", stable(&r.body));

    c.get("/taal/en?terug=/schrijfhulp").await;
    let en = c
        .post("/schrijfhulp", &[("tekst", LETTER), ("vorm", "plain")])
        .await;
    for expected in [
        "Formal word",
        "There is a more common word",
        "<p lang=\"nl\">&#x27;derhalve&#x27; is een moeilijk",
        "Words per sentence, on average",
    ] {
        assert!(
            en.body.contains(expected),
            "{expected} in the English result"
        );
    }
}

#[tokio::test]
async fn the_script_gets_the_result_alone() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("teamleider").await;
    c.get("/schrijfhulp").await;
    let r = c
        .post(
            "/schrijfhulp/resultaat",
            &[("tekst", LETTER), ("vorm", "plain")],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(!r.body.contains("<html") && !r.body.contains("<textarea"));
    assert!(r.body.contains("data-summary=\"Niveau ") && r.body.contains("Formeel woord"));
    let empty = c
        .post(
            "/schrijfhulp/resultaat",
            &[("tekst", "  "), ("vorm", "plain")],
        )
        .await;
    assert!(empty.body.contains("Er is nog geen tekst"));
    let html = c
        .post(
            "/schrijfhulp/resultaat",
            &[
                ("tekst", "<p>Indien u vragen heeft, belt u ons.</p>"),
                ("vorm", "html"),
            ],
        )
        .await;
    assert!(
        html.body
            .contains("<mark class=\"ww-mark--woord-advies\">Indien</mark>")
    );
    assert!(html.body.contains("&lt;p&gt;"), "markup is shown as text");
    let script = c.get("/static/schrijfhulp.js").await;
    assert!(
        script.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
}

#[tokio::test]
async fn bad_input_names_the_field_and_keeps_the_text() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("beheerder").await;
    c.get("/schrijfhulp").await;
    let long = "Wij helpen u. ".repeat(4_000);
    let r = c
        .post("/schrijfhulp", &[("tekst", &long), ("vorm", "plain")])
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("Uw tekst heeft 56000 tekens")
            || r.body.contains("Uw tekst heeft 56.000 tekens")
    );
    assert!(r.body.contains("href=\"#tekst\""));
    assert!(r.body.contains(&long), "the text is kept");
    let live = c
        .post(
            "/schrijfhulp/resultaat",
            &[("tekst", &long), ("vorm", "plain")],
        )
        .await;
    assert!(
        live.body.contains("data-summary=\"Uw tekst heeft"),
        "the script announces it"
    );
    // Browsers send line breaks as CRLF but count them as one character.
    let lines = "a\r\n".repeat(10_000);
    let r = c
        .post(
            "/schrijfhulp/resultaat",
            &[("tekst", &lines), ("vorm", "plain")],
        )
        .await;
    assert!(
        !r.body.contains("Uw tekst heeft") && r.body.contains("data-summary=\"Niveau"),
        "20,000 characters as the browser counts them"
    );
    let r = c
        .post(
            "/schrijfhulp",
            &[("tekst", "Wij helpen u."), ("vorm", "pdf")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("Kies een soort tekst uit de lijst") && r.body.contains("href=\"#vorm\"")
    );
    assert!(r.body.contains(">Wij helpen u.</textarea>"));
}

#[tokio::test]
async fn the_text_never_reaches_the_logs() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("privacy").await;
    c.get("/schrijfhulp").await;
    let secret =
        "Mevrouw Zeldzaamheidsnaam woont aan de Oosterbinnenkade 17 en heeft BSN 999990019.";
    assert_eq!(
        c.post("/schrijfhulp", &[("tekst", secret)]).await.status,
        200
    );
    let live = c.post("/schrijfhulp/resultaat", &[("tekst", secret)]).await;
    assert_eq!(live.status, 200);
    assert!(
        live.body.contains("Zeldzaamheidsnaam"),
        "the text came back"
    );
    let log = app.log_text();
    for part in ["Zeldzaamheidsnaam", "Oosterbinnenkade", "999990019"] {
        assert!(!log.contains(part), "{part} in the log");
    }
}

/// The pages a resident sees, run through the same checker: nothing that
/// blocks, no formal words, the reader addressed as "u".
#[tokio::test]
async fn resident_pages_pass_the_plain_language_check() {
    let app = TestApp::start(true).await;
    let mut r = app.client();
    let mut pages = vec![
        ("/", r.get("/").await.body),
        ("/inwoner/inloggen", r.get("/inwoner/inloggen").await.body),
        ("/bestaat-niet", r.get("/bestaat-niet").await.body),
    ];
    // Request a is done, so the resident is asked how it was.
    let worker = wegwijs_domain::Actor::Staff(wegwijs_domain::Staff {
        user_id: app.users["medewerker"],
        org_id: app
            .store
            .org_by_name("Gemeente A")
            .await
            .unwrap()
            .unwrap()
            .id,
        role: wegwijs_domain::Role::Caseworker,
    });
    let m = wegwijs_store::outbox::Message {
        subject: "Uw vraag is klaar".into(),
        body: "Wij hebben u gebeld.".into(),
    };
    let done = (wegwijs_domain::help::RequestStatus::Afgerond, "");
    app.store
        .answer_request(
            &worker,
            app.request_a,
            done,
            &m,
            wegwijs_domain::Clock::now(app.clock.as_ref()).unix_timestamp(),
        )
        .await
        .unwrap();
    r.resident_login(0).await;
    pages.push(("/mijn", r.get("/mijn").await.body));
    pages.push(("/mijn/logboek", r.get("/mijn/logboek").await.body));
    pages.push((
        "/mijn/toestemmingen",
        r.get("/mijn/toestemmingen").await.body,
    ));
    for path in [
        "/mijn/hulp".to_string(),
        format!("/mijn/vraag/{}?nieuw=1", app.request_a),
        "/mijn/berichten".to_string(),
        "/mijn/afspraak".to_string(),
        "/mijn/afspraak?onderwerp=geld&vorm=video".to_string(),
        format!("/mijn/afspraak/{}", app.appointment_a),
        format!("/mijn/afspraak/{}/verzetten", app.appointment_a),
        "/mijn/post".to_string(),
        "/geldcheck".to_string(),
        format!("/mijn/hoe-was-het/hulpvraag/{}", app.request_a),
        format!(
            "/mijn/afspraak/{}/voorbereiden/onderwerp",
            app.appointment_a
        ),
        format!("/mijn/afspraak/{}/voorbereiden/brieven", app.appointment_a),
        format!("/mijn/afspraak/{}/voorbereiden/lastig", app.appointment_a),
        format!("/mijn/afspraak/{}/voorbereiden/klaar", app.appointment_a),
        format!("/mijn/afspraak/{}/voorbereiden/mee", app.appointment_a),
        "/mijn/regeling/wet_op_de_zorgtoeslag/klopt-niet".to_string(),
        "/geldcheck/versturen".to_string(),
        format!("/mijn/afspraak/{}/afzeggen", app.appointment_a),
    ] {
        let page = r.get(&path).await;
        assert_eq!(page.status, 200, "{path}");
        pages.push((Box::leak(path.into_boxed_str()), page.body));
    }
    let empty = r.post("/mijn/hulp", &[("onderwerp", "anders")]).await;
    assert_eq!(empty.status, 422);
    pages.push(("/mijn/hulp (fout)", empty.body));
    let gc = r
        .post(
            "/geldcheck",
            &[
                ("aanmaning", "deurwaarder"),
                ("lenen", "soms"),
                ("overzicht", "nee"),
                ("buffer", "nee"),
                ("toeslagen", "nee"),
                ("zorgen", "vaak"),
            ],
        )
        .await;
    pages.push(("/geldcheck (advies)", gc.body));
    let mut anonymous = app.client();
    anonymous.get("/geldcheck").await;
    let advice = anonymous.post("/geldcheck", &[("lenen", "soms")]).await;
    pages.push(("/geldcheck (advies, niet ingelogd)", advice.body));
    let unsure = r
        .post(
            "/mijn/regeling/wet_op_de_zorgtoeslag/klopt-niet",
            &[("juist", ""), ("telefoon", "0612abc")],
        )
        .await;
    assert_eq!(unsure.status, 422);
    pages.push(("/mijn/regeling/…/klopt-niet (fout)", unsure.body));
    pages.push(("/werk", r.get("/werk").await.body));
    // Every resident page of the router (`Routes::page`) is read too, so a
    // new one is checked without a line here.
    for route in wegwijs_web::route_list() {
        let resident_page =
            route.page_for == Some(wegwijs_domain::policy::Capability::ResidentPortal);
        if resident_page
            && !pages
                .iter()
                .any(|(p, _)| p.split('?').next() == Some(route.path))
        {
            let page = r.get(route.path).await;
            assert_eq!(page.status, 200, "{}", route.path);
            pages.push((route.path, page.body));
        }
    }
    let mut problems = Vec::new();
    for (path, html) in &pages {
        let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
        let report = wegwijs_taal::check(main, wegwijs_taal::Format::Html);
        for f in &report.findings {
            if f.severity == wegwijs_taal::Severity::Blokkerend
                || matches!(f.kind, "formeel-woord" | "aanspreekvorm" | "lijdende-vorm")
            {
                problems.push(format!(
                    "{path}: {} {:?}: {}",
                    f.kind,
                    &main[f.start..f.end],
                    f.message
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
