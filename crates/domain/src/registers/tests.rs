use super::*;
use crate::signal::priority::WEIGHTS;

fn config() -> Config {
    Config {
        controller: "Gemeente Wegwijzerveen".into(),
        purposes: Purpose::ALL.to_vec(),
        orgs: vec![
            ("Gemeente Wegwijzerveen".into(), OrgKind::Gemeente),
            ("UWV".into(), OrgKind::Uwv),
            ("Schuldhulp Oost".into(), OrgKind::Schuldhulp),
        ],
        retention: vec![Term {
            data: "signalen-niet-opgepakt",
            amount: 6,
            unit: "maanden",
            org: Some("Gemeente Wegwijzerveen".into()),
            job: "signalen-bewaartermijn",
        }],
        weights: WEIGHTS,
        laws: vec!["Wet op de zorgtoeslag".into()],
    }
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap()
}

/// The registers follow the configuration: a changed retention term,
/// purpose or priority weight changes them.
#[test]
fn the_registers_follow_the_configuration() {
    let base = config();
    let processing = json(&processing_register(&base));
    let algorithms = json(&algorithm_register(&base));

    let mut longer = config();
    longer.retention[0].amount = 9;
    assert_ne!(json(&processing_register(&longer)), processing);
    assert!(json(&processing_register(&longer)).contains(r#""amount":9"#));

    let mut fewer = config();
    fewer.purposes.retain(|p| *p != Purpose::Statistics);
    let changed = json(&processing_register(&fewer));
    assert!(processing.contains("verantwoording-cbs") && !changed.contains("verantwoording-cbs"));

    let mut heavier = config();
    heavier.weights.crisis = 150;
    let changed = json(&algorithm_register(&heavier));
    assert_ne!(changed, algorithms);
    assert!(changed.contains("crisis 150") && algorithms.contains("crisis 100"));
}

#[test]
fn recipients_are_what_the_policy_shows() {
    let r = processing_register(&config());
    let uwv = r.recipients.iter().find(|r| r.kind == "uwv").unwrap();
    assert_eq!(
        uwv.own_work,
        ["identiteit", "contact", "hulpvragen-afspraken", "dossier"]
    );
    assert_eq!(uwv.consent, Some("delen-uwv"));
    assert!(uwv.with_consent.contains(&"inkomen-vermogen"));
    let gemeente = r.recipients.iter().find(|r| r.kind == "gemeente").unwrap();
    assert_eq!(gemeente.own_work.len(), FieldGroup::ALL.len());
    assert_eq!(gemeente.consent, None);
    // Every purpose has a legal basis and its subjects.
    for a in &r.activities {
        assert!(!a.legal_basis.is_empty() && !a.subjects.is_empty(), "{a:?}");
    }
}

/// The publication standard's limits on its fields.
#[test]
fn algorithm_entries_fit_the_publication_standard() {
    for e in algorithm_register(&config()) {
        assert!(e.naam.chars().count() < 100);
        assert!(e.korte_omschrijving.chars().count() < 350, "{}", e.naam);
        assert!(e.organisatie.chars().count() < 100);
        for long in [
            &e.doel_en_impact,
            &e.afwegingen,
            &e.menselijke_tussenkomst,
            &e.risicobeheer,
            &e.wettelijke_basis,
            &e.gegevens,
        ] {
            assert!(!long.is_empty() && long.chars().count() < 2500);
        }
        assert!(e.technische_werking.chars().count() < 5000);
        assert!(e.titel_van_wettelijke_basis.chars().count() < 100);
        assert!(["In gebruik", "In ontwikkeling", "Buiten gebruik"].contains(&e.status.as_str()));
        assert_eq!((e.taal.as_str(), e.schema.as_str()), ("nld", "1.0.0"));
        assert!(e.menselijke_tussenkomst.contains("beslist"));
    }
}
