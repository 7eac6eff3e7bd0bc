//! Vroegsignalering through the web: the worklist explains its order, a
//! caseworker records contact (forms keep what was typed), lists export,
//! and a partner delivers with its own token and hears back only
//! "opgepakt" or "niet opgepakt".

use crate::harness::{TestApp, field_value, stable};
use openidconnect::reqwest;

#[tokio::test]
async fn a_caseworker_works_a_household_from_the_worklist() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("medewerker").await;
    let list = c.get("/signalen").await;
    assert_eq!(list.status, 200);
    assert!(
        list.body.contains("huurachterstand 5 maanden"),
        "{}",
        list.body
    );
    assert!(list.body.contains("1 signaal wacht op koppeling"));
    let case = format!("/signalen/zaak/{}", app.signal_case);
    let page = c.get(&case).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Gekoppeld op BSN"));

    // A date in the future is refused, and what was typed stays.
    let bad = c
        .post(
            &format!("{case}/contact"),
            &[
                ("soort", "telefoon"),
                ("datum", "2030-01-01"),
                ("dagdeel", "middag"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("Datum ligt in de toekomst."),
        "{}",
        bad.body
    );
    assert!(bad.body.contains(r#"<option value="middag" selected>"#));
    assert!(bad.body.contains("Inwoner bereikt?"));
    // An empty date is said, and stays empty: not refilled with today.
    let empty = c
        .post(
            &format!("{case}/contact"),
            &[("soort", "telefoon"), ("datum", ""), ("dagdeel", "middag")],
        )
        .await;
    assert_eq!(empty.status, 422);
    assert!(empty.body.contains("Vul dit in: Datum"), "{}", empty.body);
    assert!(
        empty
            .body
            .contains(r#"name="datum" type="date" max="2026-11-22" value="""#),
        "{}",
        empty.body
    );
    let ok = c
        .post(
            &format!("{case}/contact"),
            &[
                ("soort", "telefoon"),
                ("datum", "2026-11-22"),
                ("dagdeel", "middag"),
                ("bereikt", "ja"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    let page = c.get(&format!("{case}?gelukt=contact")).await;
    assert!(page.body.contains("De contactpoging is opgeslagen."));
    assert!(page.body.contains("In contact"));

    // Exports carry the same list.
    let csv = c.get("/signalen/export?formaat=csv&status=open").await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(csv.body.contains("huurachterstand 5 maanden"));
    let xlsx = c.get("/signalen/export?formaat=xlsx").await;
    assert_eq!(xlsx.status, 200);
    assert!(xlsx.body.starts_with("PK"), "an XLSX is a zip file");

    // The end result: help accepted.
    let closed = c
        .post(&format!("{case}/afsluiten"), &[("resultaat", "advies")])
        .await;
    assert_eq!(closed.status, 303);
    let page = c.get(&case).await;
    assert!(page.body.contains("(Budget)advies"));
    assert!(
        !page.body.contains("Contactpoging opslaan"),
        "a closed case takes no more attempts"
    );

    // Another municipality sees nothing of it.
    let mut b = app.as_role("medewerker-b").await;
    assert_eq!(b.get(&case).await.status, 404);
    let list = b.get("/signalen").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Signalen van betalingsachterstanden"));
    assert!(!list.body.contains("huurachterstand"));
}

#[tokio::test]
async fn partners_deliver_with_their_own_token() {
    let app = TestApp::start(true).await;
    let mut admin = app.as_role("beheerder").await;
    let made = admin
        .post(
            "/beheer/signalen/tokens",
            &[("label", "Woonstad"), ("partner", "huur")],
        )
        .await;
    assert_eq!(made.status, 200);
    let start = made.body.find("wwp_").expect("the token is shown once");
    let token: String = made.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let http = reqwest::Client::new();
    let post = |path: &str, ct: &str, body: String, token: &str| {
        http.post(format!("{}{path}", app.base))
            .bearer_auth(token)
            .header("content-type", ct)
            .body(body)
            .send()
    };
    let header = wegwijs_domain::signal::COLUMNS.join(",");
    let good =
        "P-1,Huur,,,,,Pietersen,1970-01-01,,3,,9999 ZZ,,,,5000,2026-09-01,2026-11-01,nee,nee";
    let wrong_partner =
        "P-2,Energie,,,,,Pietersen,1970-01-01,,3,,9999 ZZ,,,,5000,2026-09-01,2026-11-01,nee,nee";
    let r = post(
        "/api/signalen",
        "text/csv",
        format!("{header}\n{good}\n{wrong_partner}\n"),
        &token,
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 422);
    let body: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(body["ontvangen"], 0);
    assert_eq!(body["fouten"][0]["veld"], "signaalpartner");
    assert_eq!(body["fouten"][0]["regel"], 3);

    let r = post(
        "/api/signalen",
        "text/csv",
        format!("{header}\n{good}\n"),
        &token,
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(body["ontvangen"], 1);
    let r = post(
        "/api/signalen/terugkoppeling",
        "application/json",
        r#"{"ID":["P-1","T-1"]}"#.into(),
        &token,
    )
    .await
    .unwrap();
    let body: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
    assert_eq!(
        body["signalen"],
        serde_json::json!([{ "ID": "P-1", "status": "niet opgepakt" }]),
        "only its own signals: {body}"
    );

    assert_eq!(
        post("/api/signalen", "text/csv", String::new(), "wrong")
            .await
            .unwrap()
            .status(),
        401
    );
    // Revoked: refused at once.
    let settings = admin.get("/beheer/signalen").await;
    let id = settings
        .body
        .split("/beheer/signalen/tokens/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    assert_eq!(
        admin
            .post(&format!("/beheer/signalen/tokens/{id}/intrekken"), &[])
            .await
            .status,
        303
    );
    assert_eq!(
        post(
            "/api/signalen",
            "text/csv",
            format!("{header}\n{good}\n"),
            &token
        )
        .await
        .unwrap()
        .status(),
        401
    );
}

#[tokio::test]
async fn an_admin_corrects_a_refused_row() {
    let app = TestApp::start(true).await;
    let mut admin = app.as_role("beheerder").await;
    let path = format!("/beheer/signalen/quarantaine/{}", app.quarantined);
    let page = admin.get(&path).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Postcode is geen Nederlandse postcode."),
        "the stored problem is shown: {}",
        page.body
    );
    let mut fields: Vec<(String, String)> = (0..20)
        .map(|i| {
            (
                format!("kolom{i}"),
                field_value(&page.body, &format!("kolom{i}")).unwrap_or_default(),
            )
        })
        .collect();
    fields[11].1 = "1234 XX!".into();
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let still = admin.post(&path, &borrowed).await;
    assert_eq!(still.status, 422);
    assert!(still.body.contains("1234 XX!"), "what was typed stays");
    fields[11].1 = "1234 AB".into();
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let done = admin.post(&path, &borrowed).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(admin.get(&path).await.status, 404);
}

/// The signal pages as a caseworker and an admin see them, in Dutch and
/// (the household view) in English.
#[tokio::test]
async fn signal_pages_render_as_recorded() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("medewerker").await;
    insta::assert_snapshot!(
        "signals_worklist_nl",
        stable(&c.get("/signalen").await.body)
    );
    let case = format!("/signalen/zaak/{}", app.signal_case);
    insta::assert_snapshot!("signals_case_nl", stable(&c.get(&case).await.body));
    insta::assert_snapshot!(
        "signals_queue_nl",
        stable(&c.get("/signalen/wachtrij").await.body)
    );
    let queued = format!("/signalen/wachtrij/{}", app.queued_signal);
    insta::assert_snapshot!("signals_queued_nl", stable(&c.get(&queued).await.body));
    c.get("/taal/en?terug=/").await;
    insta::assert_snapshot!("signals_case_en", stable(&c.get(&case).await.body));
    let mut admin = app.as_role("beheerder").await;
    insta::assert_snapshot!(
        "signals_admin_nl",
        stable(&admin.get("/beheer/signalen").await.body)
    );
    let row = format!("/beheer/signalen/quarantaine/{}", app.quarantined);
    insta::assert_snapshot!(
        "signals_quarantined_nl",
        stable(&admin.get(&row).await.body)
    );
}

/// The worklist's download links work as they are on the page, and an
/// address the app cannot read (a repeated field, a word where an id goes,
/// a form's address opened again) is a page in the visitor's language with
/// a way back, never axum's own English text.
#[tokio::test]
async fn download_links_work_and_bad_addresses_are_pages() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("medewerker").await;
    let list = c.get("/signalen?status=open&ouder-dan=3").await;
    assert_eq!(list.status, 200);
    for format in ["csv", "xlsx"] {
        let marker = format!("formaat={format}\"");
        let end = list.body.find(&marker).expect("the link") + marker.len() - 1;
        let start = list.body[..end].rfind("href=\"").unwrap() + 6;
        let href = list.body[start..end].replace("&amp;", "&");
        assert_eq!(href.matches("formaat=").count(), 1, "{href}");
        let r = c.get(&href).await;
        assert_eq!(r.status, 200, "{href}");
    }
    let base = app.base.clone();
    for (path, status, title) in [
        (
            "/signalen/export?formaat=csv&formaat=csv",
            400,
            "Dit verzoek klopt niet",
        ),
        ("/signalen/zaak/abc", 400, "Dit verzoek klopt niet"),
        ("/werk/inwoner/12abc", 400, "Dit verzoek klopt niet"),
        (
            &format!("/signalen/zaak/{}/contact", app.signal_case),
            405,
            "Deze pagina kunt u zo niet openen",
        ),
    ] {
        let r = c
            .get_with_headers(path, &[("referer", &format!("{base}/signalen"))])
            .await;
        assert_eq!(r.status, status, "{path}");
        assert!(r.body.contains(title), "{path}: {}", r.body);
        assert!(
            r.body
                .contains("href=\"&#x2f;signalen\">Terug naar de vorige pagina"),
            "{path}: a way back"
        );
        for framework in ["Failed to", "Invalid URL", "Cannot parse", "deserialize"] {
            assert!(!r.body.contains(framework), "{path}: {framework}");
        }
    }
    let mut r = app.as_role("inwoner").await;
    r.get("/taal/en?terug=/mijn").await;
    let en = r.get("/mijn/vraag/abc").await;
    assert_eq!(en.status, 400);
    assert!(en.body.contains("This request is not right"));
    // A way back only to this site.
    let elsewhere = r
        .get_with_headers(
            "/mijn/vraag/abc",
            &[("referer", "https://evil.example/mijn")],
        )
        .await;
    assert!(!elsewhere.body.contains("evil.example"));
}

/// "At least this many days old" with something that is not a number of
/// days says so, keeps what was typed, and filters nothing by age.
#[tokio::test]
async fn a_wrong_number_of_days_is_said_not_ignored() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("medewerker").await;
    let all = c.get("/signalen").await;
    assert_eq!(all.status, 200);
    assert!(!all.body.contains("aria-invalid"));
    for typed in ["abc", "-5", "99999"] {
        let r = c.get(&format!("/signalen?ouder-dan={typed}")).await;
        assert_eq!(r.status, 422, "{typed}");
        assert!(
            r.body.contains(
                "Minstens zoveel dagen oud: vul een aantal dagen in, een heel getal van 0 tot 3650"
            ),
            "{typed}"
        );
        assert!(r.body.contains("href=\"#ouder-dan\""));
        let field = &r.body[r.body.find("id=\"ouder-dan\"").unwrap()..];
        let field = &field[..field.find('>').unwrap()];
        assert!(
            field.contains(&format!("value=\"{typed}\" aria-invalid=\"true\"")),
            "{typed} kept: {field}"
        );
    }
    let fine = c.get("/signalen?ouder-dan=0").await;
    assert_eq!(fine.status, 200);
}

/// The report's contact person gets the same checks as a resident's
/// contact details: "geen-email" is not an e-mail address.
#[tokio::test]
async fn the_report_contact_is_checked_like_any_contact() {
    let app = TestApp::start(true).await;
    let mut admin = app.as_role("beheerder").await;
    let page = admin.get("/beheer/signalen").await;
    assert_eq!(page.status, 200);
    // Every field of the form as the page fills it in.
    let form = &page.body[page.body.find("action=\"/beheer/signalen\"").unwrap()..];
    let form = &form[..form.find("</form>").unwrap()];
    let mut fields: Vec<(String, String)> = Vec::new();
    for tag in form.split('<').skip(1) {
        let attr = |name: &str| {
            let key = format!("{name}=\"");
            tag.find(&key).map(|i| {
                let rest = &tag[i + key.len()..];
                rest[..rest.find('"').unwrap()].replace("&#x2f;", "/")
            })
        };
        if tag.starts_with("input") && attr("type").as_deref() != Some("radio") {
            if let (Some(n), v) = (attr("name"), attr("value")) {
                fields.push((n, v.unwrap_or_default()));
            }
        } else if tag.starts_with("select") {
            fields.push((attr("name").unwrap(), String::new()));
        } else if tag.starts_with("option") && tag.contains(" selected") {
            fields.last_mut().unwrap().1 = attr("value").unwrap();
        } else if tag.starts_with("input") && tag.contains(" checked") {
            fields.push((attr("name").unwrap(), attr("value").unwrap()));
        }
    }
    let set = |fields: &mut Vec<(String, String)>, k: &str, v: &str| {
        fields.retain(|(n, _)| n != k && n != "csrf");
        fields.push((k.to_string(), v.to_string()));
    };
    set(&mut fields, "contact-email", "geen-email");
    set(&mut fields, "contact-telefoon", "0570abc");
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = admin.post("/beheer/signalen", &borrowed).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains(
        "E-mail contactpersoon: dit is geen goed e-mailadres. Schrijf het zo: naam@voorbeeld.nl."
    ));
    assert!(
        r.body
            .contains("Telefoon contactpersoon: gebruik alleen cijfers, spaties en streepjes.")
    );
    assert!(
        r.body.contains("value=\"geen-email\""),
        "what was typed is kept"
    );
    set(&mut fields, "contact-email", "cbs-contact@gemeente.nl");
    set(&mut fields, "contact-telefoon", "0570 123 456");
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let saved = admin.post("/beheer/signalen", &borrowed).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
}

/// Closing with an objection too far ahead says how far it may be, in
/// months; a step of the outreach plan that is wrong is named by number.
#[tokio::test]
async fn closing_and_plan_problems_say_the_unit_and_the_step() {
    let app = TestApp::start(true).await;
    let mut c = app.as_role("medewerker").await;
    let case = format!("/signalen/zaak/{}", app.signal_case);
    c.get(&case).await;
    let r = c
        .post(
            &format!("{case}/afsluiten"),
            &[
                ("resultaat", "geen-hulp-nodig"),
                ("bezwaar", "ja"),
                ("tot", "2031-01-01"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains(
            "Niet benaderen tot ligt te ver weg. Kies een datum binnen 24 maanden vanaf vandaag."
        ),
        "{}",
        r.body
    );
    assert!(!r.body.contains("tussen 1 en 24"));

    let mut admin = app.as_role("beheerder").await;
    admin.get("/beheer/signalen").await;
    let r = admin
        .post(
            "/beheer/signalen",
            &[
                ("dag0", "3"),
                ("soort0", "telefoon"),
                ("dag1", "400"),
                ("soort1", "telefoon"),
                ("niet-opgepakt", "6"),
                ("na-afsluiting", "18"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("Stap 2: Dag na binnenkomst moet een getal van 0 tot en met 90 zijn."),
        "{}",
        r.body
    );
    assert!(r.body.contains("href=\"#veld-dag1\""));
}
