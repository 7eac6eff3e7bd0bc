//! The register read as households for the rules scan.

use super::*;
use wegwijs_domain::Voorziening;

#[tokio::test]
async fn households_are_read_whole_for_the_operator_only_and_always_logged() {
    let db = TestDb::new().await;
    let mut records = Vec::new();
    // 3 households; the second has a partner and a child.
    for (i, (household, role, income, v)) in [
        ("HH-1", HouseholdRole::Referentiepersoon, 100_000, vec![]),
        (
            "HH-2",
            HouseholdRole::Referentiepersoon,
            120_000,
            vec![Voorziening::Zorgtoeslag],
        ),
        ("HH-2", HouseholdRole::Partner, 30_000, vec![]),
        (
            "HH-2",
            HouseholdRole::Kind,
            5_000,
            vec![Voorziening::Bijstand],
        ),
        ("HH-3", HouseholdRole::Referentiepersoon, 0, vec![]),
    ]
    .into_iter()
    .enumerate()
    {
        let mut r = record(100_000 + i as u32 * 17, "Jansen", household);
        r.rol_in_huishouden = role;
        r.finances.netto_inkomen_maand = Money::from_cents(income);
        r.finances.vermogen = Money::from_cents(1_000);
        r.finances.voorzieningen = v;
        if role == HouseholdRole::Kind {
            r.geboortedatum = time::macros::date!(2015 - 01 - 01);
        }
        records.push(r);
    }
    import(&db.store, &records).await;
    let today = time::macros::date!(2025 - 06 - 01);

    let staff = org_with_staff(&db.store, "Gemeente A", Role::TeamLead).await;
    let refused = db
        .store
        .scan_households(&Actor::Staff(staff), today, NOW)
        .await;
    assert!(
        matches!(refused, Err(StoreError::Denied(Denied::Role))),
        "{refused:?}"
    );

    let hh = db
        .store
        .scan_households(&Actor::System("rules-scan"), today, NOW)
        .await
        .unwrap();
    assert_eq!(hh.len(), 3);
    let two = &hh[1];
    assert!(two.heeft_partner && two.heeft_kinderen);
    assert_eq!(
        two.netto_inkomen_maand, 150_000,
        "the adults' income, not the child's"
    );
    assert_eq!(two.vermogen, 3_000);
    assert!(two.receives(Voorziening::Bijstand) && two.receives(Voorziening::Zorgtoeslag));
    assert!(!hh[0].heeft_partner && !hh[2].heeft_kinderen);
    // Pages of 2 rows split the second household; it is still read whole.
    let paged = db
        .store
        .scan_households_in_pages(&Actor::System("rules-scan"), today, NOW, 2)
        .await
        .unwrap();
    assert_eq!(paged, hh);

    let log = db.store.audit_page(0, 100, None).await.unwrap();
    let scans: Vec<(&str, &str, Option<i64>)> = log
        .iter()
        .filter(|e| e.action == "register-doorgerekend")
        .map(|e| (e.purpose.as_str(), e.outcome.as_str(), e.resident_id))
        .collect();
    assert_eq!(
        scans,
        [
            ("proactieve-dienstverlening", "geweigerd:rol", None),
            ("proactieve-dienstverlening", "toegestaan", None),
            ("proactieve-dienstverlening", "toegestaan", None)
        ]
    );
    assert!(log.iter().all(|e| !e.detail.contains("Jansen")));
}
