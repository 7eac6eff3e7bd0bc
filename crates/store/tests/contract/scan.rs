//! The register read as households for the rules scan.

use super::*;
use wegwijs_domain::Voorziening;
use wegwijs_domain::work::EntitlementLead;

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

fn lead(resident: ResidentId, law: &str, cents: Option<i64>) -> EntitlementLead {
    EntitlementLead {
        resident,
        law: law.into(),
        law_name: format!("Wet {law}"),
        cents_per_year: cents,
        voorziening: (law == "zorgtoeslag").then_some(Voorziening::Zorgtoeslag),
    }
}

#[tokio::test]
async fn leads_become_work_once_for_the_operator_only_and_show_to_their_own_organisation() {
    let db = TestDb::new().await;
    let ids = import(
        &db.store,
        &[
            record(200_000, "Jansen", "HH-1"),
            record(200_100, "Bakker", "HH-2"),
        ],
    )
    .await;
    let (a, b) = (ids[0], ids[1]);
    let worker = org_with_staff(&db.store, "Gemeente A", Role::Caseworker).await;
    let other = org_with_staff(&db.store, "Gemeente B", Role::Caseworker).await;
    let day = time::macros::date!(2025 - 06 - 01);
    let system = Actor::System("rules-scan");
    let first = [
        lead(a, "zorgtoeslag", Some(67_004)),
        lead(b, "kwijtschelding", None),
    ];

    let refused = db
        .store
        .open_entitlement_work(&Actor::Staff(worker), worker.org_id, day, &first, NOW)
        .await;
    assert!(
        matches!(refused, Err(StoreError::Denied(Denied::Role))),
        "{refused:?}"
    );
    assert_eq!(db.store.count_work(worker.org_id).await.unwrap(), 0);

    let opened = db
        .store
        .open_entitlement_work(&system, worker.org_id, day, &first, NOW)
        .await
        .unwrap();
    assert_eq!(
        (opened.work_opened, opened.leads_added, opened.leads_known),
        (2, 2, 0)
    );
    // A rescan finds the same and one more law for a: nothing twice.
    let again = [
        lead(a, "zorgtoeslag", Some(67_004)),
        lead(a, "kwijtschelding", None),
        lead(b, "kwijtschelding", None),
    ];
    let rescan = db
        .store
        .open_entitlement_work(&system, worker.org_id, day, &again, NOW + 1)
        .await
        .unwrap();
    assert_eq!(
        (rescan.work_opened, rescan.leads_added, rescan.leads_known),
        (0, 1, 2)
    );

    let list = db
        .store
        .worklist(
            &Actor::Staff(worker),
            &crate::all_work(),
            None,
            crate::today(),
            NOW,
        )
        .await
        .unwrap()
        .lines;
    assert_eq!(list.len(), 2);
    assert!(list.iter().all(|w| w.kind == WorkKind::MogelijkRecht));
    // b said no: the work is closed, and a scan within the year does not
    // offer it again; a year on it does.
    let work_b = list.iter().find(|w| w.resident == b).unwrap().work_id;
    let declines = (wegwijs_domain::work::Outcome::WilNiet, "");
    db.store
        .finish_work(&Actor::Staff(worker), (work_b, 0), declines, NOW + 2)
        .await
        .unwrap();
    let b_again = [lead(b, "kwijtschelding", None)];
    let soon = db
        .store
        .open_entitlement_work(&system, worker.org_id, day, &b_again, NOW + 3)
        .await
        .unwrap();
    assert_eq!(
        (soon.work_opened, soon.leads_added, soon.leads_known),
        (0, 0, 1)
    );
    let year = 366 * 24 * 3600;
    let later = db
        .store
        .open_entitlement_work(&system, worker.org_id, day, &b_again, NOW + year)
        .await
        .unwrap();
    assert_eq!(
        (later.work_opened, later.leads_added, later.leads_known),
        (1, 1, 0)
    );
    let seen = db
        .store
        .entitlement_leads(&Actor::Staff(worker), a, NOW)
        .await
        .unwrap();
    let laws: Vec<(&str, Option<i64>, Option<Voorziening>)> = seen
        .iter()
        .map(|l| (l.law.as_str(), l.cents_per_year, l.voorziening))
        .collect();
    assert_eq!(
        laws,
        [
            ("zorgtoeslag", Some(67_004), Some(Voorziening::Zorgtoeslag)),
            ("kwijtschelding", None, None)
        ]
    );
    assert_eq!(seen[0].found_on, "2025-06-01");
    // Another organisation's caseworker sees none of it; a resident or a
    // privacy officer may not ask.
    assert!(
        db.store
            .entitlement_leads(&Actor::Staff(other), a, NOW)
            .await
            .unwrap()
            .is_empty()
    );
    let officer = org_with_staff(&db.store, "Gemeente C", Role::PrivacyOfficer).await;
    for actor in [Actor::Resident(a), Actor::Staff(officer)] {
        let r = db.store.entitlement_leads(&actor, a, NOW).await;
        assert!(matches!(r, Err(StoreError::Denied(Denied::Role))), "{r:?}");
    }

    let log = db.store.audit_page(0, 100, None).await.unwrap();
    let opened: Vec<(Option<i64>, &str)> = log
        .iter()
        .filter(|e| e.action == "mogelijk-recht-geopend")
        .map(|e| (e.resident_id, e.outcome.as_str()))
        .collect();
    assert_eq!(
        opened,
        [
            (None, "geweigerd:rol"),
            (Some(a.0), "toegestaan"),
            (Some(b.0), "toegestaan"),
            (Some(a.0), "toegestaan"),
            (Some(b.0), "toegestaan")
        ]
    );
    assert!(log.iter().any(|e| e.action == "mogelijk-recht-bekeken"
        && e.resident_id == Some(a.0)
        && e.purpose == "dienstverlening"));
    assert!(
        log.iter()
            .all(|e| !e.detail.contains("67") && !e.detail.contains("Jansen"))
    );
}
