//! Resident login with (demo) DigiD, and production mode.

use crate::harness::{TestApp, field_value};
use wegwijs_domain::Bsn;

#[tokio::test]
async fn residents_log_in_with_digid_and_see_only_their_own_data() {
    let app = TestApp::start(true).await;
    let mut c = app.client();
    let r = c.resident_login(0).await;
    assert_eq!(r.location.as_deref(), Some("/mijn"));
    let page = c.get("/mijn").await;
    let me = &app.people[0];
    assert!(
        page.body.contains(&me.bsn) && page.body.contains(&me.geslachtsnaam),
        "own data shown"
    );
    assert!(
        app.people[1..].iter().all(|p| !page.body.contains(&p.bsn)),
        "nobody else's"
    );
    assert_eq!(
        c.get(&format!("/werk/inwoner/{}", app.resident_b.0))
            .await
            .status,
        403
    );
    let log = app.store.audit_page(0, 10_000, None).await.unwrap();
    // The whole overview is one entry that names every part it read.
    assert!(log.iter().any(|e| e.action == "overzicht-bekeken"
        && e.detail.starts_with("gegevens, signalen")
        && e.actor == format!("inwoner:{}", app.resident_a.0)));

    // Demo-DigiD logs in only the made-up residents it offers: neither a
    // resident of the register it did not list nor an unknown BSN, and the
    // refusal is logged without the BSN.
    let mut stranger = app.client();
    let start = stranger.get("/inwoner/inloggen/digid").await;
    let page = stranger.get(start.location.as_deref().unwrap()).await;
    let offered = crate::harness::field_values(&page.body, "bsn");
    let request = field_value(&page.body, "request").unwrap();
    let unlisted = app
        .people
        .iter()
        .map(|p| p.bsn.clone())
        .find(|b| !offered.contains(b))
        .expect("the register holds more residents than the demo offers");
    let unknown = (10_000_000..).find_map(Bsn::from_prefix).unwrap().expose();
    for bsn in [&unlisted, &unknown] {
        let r = stranger
            .post(
                "/demo-digid/authorize",
                &[("request", &request), ("bsn", bsn)],
            )
            .await;
        assert_eq!(r.status, 404, "not offered: {bsn}");
        assert!(r.location.is_none(), "no code issued");
    }
    let log = app.store.audit_page(0, 10_000, None).await.unwrap();
    let refused: Vec<_> = log
        .iter()
        .filter(|e| e.actor == "systeem:demo-digid" && e.action == "ingelogd")
        .collect();
    assert_eq!(refused.len(), 2, "each refusal logged");
    assert!(refused.iter().all(|e| e.resident_id.is_none()
        && !e.detail.contains(&unlisted)
        && !e.detail.contains(&unknown)));

    // A callback with someone else's state is refused.
    let mut attacker = app.client();
    let start = attacker.get("/inwoner/inloggen/digid").await;
    let page = attacker.get(start.location.as_deref().unwrap()).await;
    let request = field_value(&page.body, "request").unwrap();
    let cb = attacker
        .post(
            "/demo-digid/authorize",
            &[("request", &request), ("bsn", &app.people[0].bsn)],
        )
        .await;
    let mut victim = app.client();
    victim.get("/inwoner/inloggen/digid").await;
    let r = victim.get(cb.location.as_deref().unwrap()).await;
    assert_eq!(r.status, 401, "state mismatch");
    assert!(!victim.cookies.contains_key("wegwijs_sessie"));
}

#[tokio::test]
async fn production_mode_has_no_demo_login_and_no_banner() {
    let app = TestApp::start(false).await;
    let mut c = app.client();
    let home = c.get("/").await;
    assert!(!home.body.contains("Dit is een demo"));
    for path in [
        "/demo-digid/.well-known/openid-configuration",
        "/demo-digid/jwks",
        "/demo-digid/authorize",
    ] {
        let r = c.get(path).await;
        assert_eq!(r.status, 403, "{path}");
        assert!(r.body.contains("Demo-inloggen staat uit"));
    }
    let r = c.get("/inwoner/inloggen/digid").await;
    assert_eq!(r.status, 503);
    assert!(r.body.contains("Inloggen met DigiD is niet gelukt"));
}

#[tokio::test]
async fn caseworkers_see_what_the_rules_scan_found_for_their_own_work_only() {
    let app = TestApp::start(true).await;
    let a = app.resident_a.0;
    let mut c = app.as_role("medewerker").await;
    let list = c.get("/werk").await;
    assert!(
        list.body.contains("Mogelijk recht"),
        "the work kind on the worklist"
    );
    let page = c.get(&format!("/werk/inwoner/{a}")).await;
    assert_eq!(page.status, 200);
    for shown in [
        "Mogelijk recht",
        "Wet op de zorgtoeslag",
        "ongeveer € 670,04 per jaar",
        "Regeling zonder bron",
        "of het huishouden dit al krijgt, weten we niet",
        "geen besluit",
    ] {
        assert!(page.body.contains(shown), "{shown:?} on the page");
    }
    c.get("/taal/en?terug=/werk").await;
    let en = c.get(&format!("/werk/inwoner/{a}")).await;
    assert!(en.body.contains("Possible entitlement") && en.body.contains("about € 670,04 a year"));
    // The other organisation's caseworker has no work about a: no page.
    let mut other = app.as_role("medewerker-b").await;
    assert_eq!(other.get(&format!("/werk/inwoner/{a}")).await.status, 404);
    let log = app.store.audit_page(0, 10_000, None).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "mogelijk-recht-bekeken" && e.resident_id == Some(a))
    );
}

#[tokio::test]
async fn a_resident_sees_who_looked_by_organisation_and_role_and_downloads_everything() {
    let app = TestApp::start(true).await;
    // A caseworker with work about resident A looks at their details.
    let mut staff = app.as_role("medewerker").await;
    let looked = staff
        .get(&format!("/werk/inwoner/{}", app.resident_a.0))
        .await;
    assert_eq!(looked.status, 200);
    let mut c = app.client();
    c.resident_login(0).await;
    let page = c.get("/mijn").await;
    assert!(page.body.contains("href=\"/mijn/logboek\""));
    let log = c.get("/mijn/logboek").await;
    assert_eq!(log.status, 200);
    for expected in [
        "Wie heeft uw gegevens bekeken?",
        "Een medewerker van Gemeente A",
        "Uw gegevens bekeken",
        "Om u te helpen",
        "Wanneer u zelf keek",
        "keer gekeken.",
    ] {
        assert!(log.body.contains(expected), "{expected} on the log page");
    }
    assert!(
        !log.body.contains("Test medewerker") && !log.body.contains("medewerker:"),
        "never the staff member's name or account"
    );
    let all = c.get("/mijn/alles").await;
    assert_eq!(all.status, 200);
    for expected in [
        app.people[0].bsn.as_str(),
        "Al uw gegevens",
        "Mijn gegevens delen met de schuldhulp",
        "Een medewerker van Gemeente A",
        "Gemaakt op",
        "Ingelogd met DigiD",
        "Uzelf",
    ] {
        assert!(
            all.body.contains(expected),
            "{expected} on the page with everything"
        );
    }
    assert!(!all.body.contains("Test medewerker"));
    let download = c.get("/mijn/gegevens.json").await;
    assert_eq!(download.status, 200);
    assert!(
        download.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("attachment")
    );
    let json: serde_json::Value = serde_json::from_str(&download.body).unwrap();
    assert_eq!(json["gegevens"]["bsn"], app.people[0].bsn.as_str());
    assert_eq!(
        json["toestemmingen"]["topics"].as_array().unwrap().len(),
        9,
        "the consents too"
    );
    // Requests, appointments, messages and e-mail too (AVG inzage: all).
    assert_eq!(
        json["vragen"][0]["own_words"],
        "Ik kan de huur niet betalen."
    );
    assert_eq!(json["afspraken"][0]["id"], app.appointment_a);
    assert!(!json["berichten"].as_array().unwrap().is_empty());
    assert_eq!(json["email_en_sms"][0]["address"], "inwoner@example.nl");
    let prep = &json["voorbereidingen"][0];
    assert_eq!(prep["antwoorden"]["onderwerp"], "De brief over de huur");
    assert_eq!(prep["brieven"][0]["name"], "huur.pdf");
    assert!(all.body.contains("Ik kan de huur niet betalen."));
    assert!(all.body.contains("dinsdag 24 november 2026 om 09:00"));
    let lines = json["logboek"].as_array().unwrap();
    assert!(lines.iter().any(|l| l["by"]["organisation"] == "Gemeente A"
        && l["by"]["role"] == "medewerker"
        && l["action"] == "inwoner-bekeken"));
    assert!(!download.body.contains("Test medewerker"));
    assert!(
        app.people[1..]
            .iter()
            .all(|p| !download.body.contains(&p.bsn)),
        "nobody else's data"
    );
    // Resident B's log does not show A's visitors.
    let mut b = app.client();
    b.resident_login(1).await;
    let other = b.get("/mijn/logboek").await;
    assert_eq!(other.status, 200);
    assert!(other.body.contains("Wie heeft uw gegevens bekeken?"));
    assert!(
        !other.body.contains("Een medewerker van Gemeente A"),
        "B's own log only"
    );

    c.get("/taal/en?terug=/mijn/logboek").await;
    let en = c.get("/mijn/logboek").await;
    assert!(
        en.body.contains("Who has looked at your details?")
            && en.body.contains("A staff member of Gemeente A")
    );
}

#[tokio::test]
async fn a_resident_gives_withdraws_and_pauses_at_once() {
    let app = TestApp::start(true).await;
    let mut c = app.client();
    c.resident_login(0).await;
    let page = c.get("/mijn/toestemmingen").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Mijn gegevens delen met de schuldhulp"));
    assert!(page.body.contains("U heeft hier nog niets gekozen."));
    let r = c
        .post(
            "/mijn/toestemmingen",
            &[("onderwerp", "delen-schuldhulp"), ("keuze", "ja")],
        )
        .await;
    assert_eq!(
        r.location.as_deref(),
        Some("/mijn/toestemmingen?gelukt=keuze")
    );
    let after = c.get("/mijn/toestemmingen?gelukt=keuze").await;
    assert!(
        after
            .body
            .contains("Uw keuze is opgeslagen. Dit geldt meteen.")
    );
    let card = after
        .body
        .split("Mijn gegevens delen met de schuldhulp</h3>")
        .nth(1)
        .unwrap();
    assert!(
        card[..900].contains("Nu: ja, dat mag.") && card[..900].contains("Nee, dat mag niet meer")
    );

    // Bad input names the field and changes nothing.
    let bad = c
        .post(
            "/mijn/toestemmingen",
            &[("onderwerp", "alles"), ("keuze", "ja")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body
            .contains("Toestemming: kies een van de mogelijkheden.")
    );
    let bad = c
        .post("/mijn/toestemmingen/pauze", &[("periode", "4")])
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("Periode: kies een van de mogelijkheden.")
            && bad.body.contains("href=\"#veld-periode\"")
    );

    let r = c
        .post("/mijn/toestemmingen/pauze", &[("periode", "6")])
        .await;
    assert_eq!(r.status, 303);
    let paused = c.get("/mijn/toestemmingen").await;
    assert!(
        paused
            .body
            .contains("De gemeente neemt geen contact met u op tot en met"),
        "the end date is shown"
    );
    c.post("/mijn/toestemmingen/pauze", &[("stoppen", "ja")])
        .await;
    let resumed = c.get("/mijn/toestemmingen").await;
    assert!(!resumed.body.contains("tot en met") && resumed.body.contains("id=\"veld-periode\""));
    // The changes are in the resident's own log.
    let log = c.get("/mijn/logboek").await;
    assert!(log.body.contains("Een toestemming veranderd"));

    c.get("/taal/en?terug=/mijn/toestemmingen").await;
    let en = c.get("/mijn/toestemmingen").await;
    assert!(
        en.body.contains("Share my details with debt counselling")
            && en.body.contains("No, not any more")
    );
}

/// Every action the store writes to the audit log has words in the
/// resident's log extract, in both languages (else it reads "Iets gedaan
/// met uw gegevens").
#[test]
fn every_audit_action_has_words_for_the_resident() {
    use wegwijs_store::audit::Action;
    assert!(Action::ALL.len() > 50, "{} actions", Action::ALL.len());
    let mut missing = Vec::new();
    for file in ["nl.ftl", "en.ftl"] {
        let ftl = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("i18n")
                .join(file),
        )
        .unwrap();
        for a in Action::ALL {
            if !ftl.contains(&format!("\nlog-action-{} = ", a.code())) {
                missing.push(format!("{file}: log-action-{}", a.code()));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// Every Dutch text a resident reads passes the plain-language check
/// (`wegwijs_taal`, as the schrijfhulp runs it): nothing that should not
/// go out, no sentence too long, no passive voice.
#[test]
fn resident_texts_pass_the_plain_language_check() {
    use wegwijs_taal::{Format, Severity, check};
    const RESIDENT: &[&str] = &[
        "problem-",
        "error-",
        "home-",
        "resident-login",
        "resident-not-found",
        "gc-",
        "prep-",
        "help-",
        "request-",
        "correction-",
        "portal-",
        "appointment-",
        "log-",
        "consent-",
        "feedback-",
        "who-",
        "msg-",
        "all-",
        "session-",
        "mail-",
        "lead-gives-",
    ];
    const NOT_OUT: &[&str] = &["zeer-lange-zin", "lange-zin", "lijdende-vorm"];
    let ftl = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("i18n/nl.ftl"),
    )
    .unwrap();
    let mut checked = 0;
    let mut found = Vec::new();
    for (key, text) in ftl.lines().filter_map(|l| l.split_once(" = ")) {
        if !RESIDENT.iter().any(|p| key.starts_with(p)) {
            continue;
        }
        // Placeholders ({ $team }) read as a word.
        let text: String = text.chars().filter(|c| !"{}$".contains(*c)).collect();
        checked += 1;
        for f in check(&text, Format::Plain).findings {
            if f.severity == Severity::Blokkerend || NOT_OUT.contains(&f.kind) {
                found.push(format!("{key}: {} in {text:?}", f.kind));
            }
        }
    }
    assert!(checked > 400, "{checked} texts");
    assert!(found.is_empty(), "{}", found.join("\n"));
}
