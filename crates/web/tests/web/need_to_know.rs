//! Need-to-know over HTTP: per field group, the resident page of a staff
//! member shows it or says why not, and the audit entry names what was
//! shown. The household's choices: who decides, where staff see them, and
//! a contact attempt by a refused channel. (No staff page exports or
//! serves a resident as JSON yet; the resident's own download is theirs.)

use crate::harness::TestApp;
use wegwijs_domain::{Actor, Clock, OrgKind, Purpose, ResidentId, WorkKind};

/// The label and value of each field group the resident page can show.
struct Shown {
    bsn: String,
    street: String,
    income: String,
}

async fn facts_of(app: &TestApp, id: ResidentId) -> Shown {
    let now = app.clock.now().unix_timestamp();
    let me = app
        .store
        .read_resident(&Actor::Resident(id), id, Purpose::OwnView, now)
        .await
        .unwrap();
    Shown {
        bsn: app.bsn_of(id).await,
        street: me.address().unwrap().street_line(),
        income: me.money().unwrap().0.to_string(),
    }
}

fn last_read(log: &[wegwijs_store::audit::Entry], resident: ResidentId) -> String {
    log.iter()
        .rev()
        .find(|e| e.action == "inwoner-bekeken" && e.resident_id == Some(resident.0))
        .map(|e| e.detail.clone())
        .unwrap()
}

#[tokio::test]
async fn another_organisation_sees_what_its_work_needs_until_the_resident_shares() {
    let app = TestApp::start(true).await;
    let a = app.resident_a;
    app.other_org(OrgKind::Uwv, "uwv-medewerker", WorkKind::Hulpvraag, a)
        .await;
    let facts = facts_of(&app, a).await;
    let mut uwv = app.as_role("uwv-medewerker").await;
    let page = uwv.get(&format!("/werk/inwoner/{}", a.0)).await;
    assert_eq!(page.status, 200);
    // Identiteit and contact: shown.
    assert!(page.body.contains(&facts.bsn) && page.body.contains(&facts.street));
    // Household, income and assets, benefits: hidden, and said why.
    for (label, group) in [
        ("Rol in het huishouden", "Huishouden"),
        ("Netto inkomen per maand", "Inkomen en vermogen"),
        (
            "Uitkeringen en toeslagen</dt>",
            "Uitkeringen, toeslagen en mogelijke regelingen",
        ),
    ] {
        assert!(!page.body.contains(label), "{label} hidden");
        assert!(
            page.body.contains(&format!(
                "<strong>{group}</strong>: niet gedeeld met UWV. De inwoner gaf daar geen toestemming voor."
            )),
            "{group} named as not shared"
        );
    }
    assert!(!page.body.contains(&facts.income));
    assert!(
        page.body
            .contains("<strong>Betalingsachterstanden</strong>: niet nodig voor het werk")
    );
    assert!(page.body.contains("Delen met UWV: nee."));
    let log = app.store.audit_page(0, 10_000, None).await.unwrap();
    assert_eq!(
        last_read(&log, a),
        "getoond: identiteit, contact, hulpvragen-afspraken, dossier"
    );

    // The resident says yes to sharing with UWV: UWV sees what the text says.
    let mut me = app.as_role("inwoner").await;
    let r = me
        .post(
            "/mijn/toestemmingen",
            &[("onderwerp", "delen-uwv"), ("keuze", "ja")],
        )
        .await;
    assert_eq!(r.status, 303);
    let page = uwv.get(&format!("/werk/inwoner/{}", a.0)).await;
    for label in [
        "Rol in het huishouden",
        "Netto inkomen per maand",
        "Uitkeringen en toeslagen</dt>",
    ] {
        assert!(page.body.contains(label), "{label} shown once shared");
    }
    assert!(page.body.contains(&facts.income));
    assert!(!page.body.contains("niet gedeeld met UWV"));
    assert!(page.body.contains("Delen met UWV: ja."));
    let log = app.store.audit_page(0, 10_000, None).await.unwrap();
    assert_eq!(
        last_read(&log, a),
        "getoond: identiteit, contact, huishouden, inkomen-vermogen, voorzieningen, hulpvragen-afspraken, dossier"
    );

    // Sharing with UWV shows nothing more to debt counselling.
    app.other_org(
        OrgKind::Schuldhulp,
        "schuldhulp-1",
        WorkKind::Doorverwijzing,
        a,
    )
    .await;
    let mut sh = app.as_role("schuldhulp-1").await;
    let page = sh.get(&format!("/werk/inwoner/{}", a.0)).await;
    assert!(!page.body.contains(&facts.income));
    assert!(
        page.body
            .contains("<strong>Inkomen en vermogen</strong>: niet gedeeld met de schuldhulp.")
    );
}

#[tokio::test]
async fn the_municipality_sees_what_its_own_work_needs() {
    let app = TestApp::start(true).await;
    let a = app.resident_a;
    let facts = facts_of(&app, a).await;
    // Gemeente A has a request and a possible entitlement about a: no
    // arrears signals (no signal case), the rest for the entitlement.
    let mut c = app.as_role("medewerker").await;
    let page = c.get(&format!("/werk/inwoner/{}", a.0)).await;
    assert!(page.body.contains(&facts.income) && page.body.contains("Wet op de zorgtoeslag"));
    assert!(
        page.body
            .contains("<strong>Betalingsachterstanden</strong>: niet nodig voor het werk")
    );
    assert!(!page.body.contains("niet gedeeld met"));
}

#[tokio::test]
async fn a_young_childs_choice_does_not_stop_the_household_and_staff_see_what_holds() {
    let app = TestApp::start(true).await;
    let (adult, teen, child) = app.signal_household().await;
    let case = format!("/signalen/zaak/{}", app.signal_case);

    // The 13-year-old sees what holds and who decides, and cannot choose.
    let mut kid = app.client();
    kid.resident_login_bsn(&app.bsn_of(child).await).await;
    let page = kid.get("/mijn/toestemmingen").await;
    assert!(page.body.contains("U bent jonger dan 16 jaar."));
    assert!(!page.body.contains("Nee, dat mag niet meer"));
    let r = kid
        .post(
            "/mijn/toestemmingen",
            &[("onderwerp", "proactief-benaderen"), ("keuze", "nee")],
        )
        .await;
    assert_eq!(r.status, 404, "refused as every refused write is");
    let log = app.store.audit_page(0, 10_000, None).await.unwrap();
    assert!(log.iter().any(|e| e.action == "toestemming-gewijzigd"
        && e.resident_id == Some(child.0)
        && e.outcome == "geweigerd:leeftijd"));
    let mut staff = app.as_role("medewerker").await;
    // The resident's page links to the household's case (the arrears are
    // shown to the municipality's signal work).
    let page = staff.get(&format!("/werk/inwoner/{}", adult.0)).await;
    assert!(
        page.body
            .contains(&format!("/signalen/zaak/{}\"", app.signal_case))
    );
    let page = staff.get(&case).await;
    assert!(!page.body.contains("wil geen contact op initiatief"));

    // The 17-year-old decides: no home visits holds for the household, and
    // the caseworker sees it and cannot record a visit.
    let mut seventeen = app.client();
    seventeen.resident_login_bsn(&app.bsn_of(teen).await).await;
    seventeen.get("/mijn/toestemmingen").await;
    let r = seventeen
        .post(
            "/mijn/toestemmingen",
            &[("onderwerp", "kanaal-huisbezoek"), ("keuze", "nee")],
        )
        .await;
    assert_eq!(r.status, 303);
    let page = staff.get(&case).await;
    assert!(
        page.body
            .contains("Niet benaderen met een huisbezoek of kaartje.")
    );
    let today = wegwijs_domain::person::format_date(app.clock.today());
    let attempt = |kind: &'static str| {
        [
            ("soort", kind),
            ("datum", today.clone().leak() as &str),
            ("dagdeel", "ochtend"),
            ("bereikt", "ja"),
        ]
    };
    let r = staff
        .post(&format!("{case}/contact"), &attempt("huisbezoek"))
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("dit huishouden wil geen contact op deze manier")
    );
    assert!(
        r.body.contains(r#"<option value="huisbezoek" selected>"#),
        "what was typed is kept"
    );
    // A phone call is fine.
    let r = staff
        .post(&format!("{case}/contact"), &attempt("telefoon"))
        .await;
    assert_eq!(r.status, 303);

    // An adult's pause holds for all; the other adult sees it, without
    // the name unless the chooser allows it.
    let mut parent = app.client();
    parent.resident_login_bsn(&app.bsn_of(adult).await).await;
    parent.get("/mijn/toestemmingen").await;
    let r = parent
        .post("/mijn/toestemmingen/pauze", &[("periode", "3")])
        .await;
    assert_eq!(r.status, 303);
    let page = staff.get(&case).await;
    assert!(page.body.contains("liever niet benaderd tot en met"));
    let r = staff
        .post(&format!("{case}/contact"), &attempt("telefoon"))
        .await;
    assert_eq!(r.status, 422, "no calls during a pause");
    let page = seventeen.get("/mijn/toestemmingen").await;
    assert!(
        page.body
            .contains("Iemand in uw huis wil liever geen contact tot en met")
    );
    // The other adult sees the 17-year-old's "no" too, and the child of
    // 13 sees what holds for the household.
    let page = parent.get("/mijn/toestemmingen").await;
    assert!(
        page.body
            .contains("Iemand in uw huis wil geen contact met een bezoek aan huis.")
    );
    let page = kid.get("/mijn/toestemmingen").await;
    assert!(
        page.body
            .contains("Iemand in uw huis wil liever geen contact tot en met")
    );
    assert!(
        page.body
            .contains("Iemand in uw huis wil geen contact met een bezoek aan huis.")
    );
    parent
        .post(
            "/mijn/toestemmingen",
            &[("onderwerp", "naam-tonen-huishouden"), ("keuze", "ja")],
        )
        .await;
    let page = seventeen.get("/mijn/toestemmingen").await;
    assert!(page.body.contains("wil liever geen contact tot en met"));
    assert!(
        !page
            .body
            .contains("Iemand in uw huis wil liever geen contact")
    );
}
