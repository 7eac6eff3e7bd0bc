//! The register import, audited reads, and the worklist.

use super::*;

#[tokio::test]
async fn the_register_import_is_idempotent_and_audited() {
    let db = TestDb::new().await;
    let records: Vec<_> = (0..1_203)
        .map(|i| {
            record(
                10_000_000 + i * 13,
                &format!("Jansen{i}"),
                &format!("hh{}", i / 2),
            )
        })
        .collect();
    let s = db
        .store
        .import_register(&IMPORT, &records, NOW, &|_| {})
        .await
        .unwrap();
    assert_eq!((s.written, s.unchanged), (1_203, 0));
    let again = db
        .store
        .import_register(&IMPORT, &records, NOW, &|_| {})
        .await
        .unwrap();
    assert_eq!((again.written, again.unchanged), (0, 1_203));
    let mut changed = records.clone();
    changed[7].address = Address::new("Kerkweg", "3", "b", "", "4321 ZX", "Wegwijzerveen").unwrap();
    let third = db
        .store
        .import_register(&IMPORT, &changed, NOW, &|_| {})
        .await
        .unwrap();
    assert_eq!((third.written, third.unchanged), (1, 1_202));
    assert_eq!(db.store.count_residents().await.unwrap(), 1_203);
    let v = db.store.verify_audit().await.unwrap();
    assert_eq!((v.entries, v.breaks.len()), (1_204, 0));
    // Staff may not write the register.
    let staff = org_with_staff(&db.store, "Gemeente A", Role::Admin).await;
    assert!(matches!(
        db.store
            .import_register(&Actor::Staff(staff), &records, NOW, &|_| {})
            .await,
        Err(StoreError::Denied(Denied::Role))
    ));
}

#[tokio::test]
async fn an_import_that_dies_halfway_leaves_nothing_behind() {
    let db = TestDb::new().await;
    let records: Vec<_> = (0..1_500)
        .map(|i| record(20_000_000 + i * 17, "Bakker", &format!("hh{i}")))
        .collect();
    let store = db.store.clone();
    let crashed = tokio::spawn(async move {
        store
            .import_register(&IMPORT, &records, NOW, &|done| {
                if done > 600 {
                    panic!("simulated crash after {done} records");
                }
            })
            .await
    })
    .await;
    assert!(
        crashed.is_err_and(|e| e.is_panic()),
        "the import should have died"
    );
    assert_eq!(db.store.count_residents().await.unwrap(), 0);
    assert_eq!(db.store.verify_audit().await.unwrap().entries, 0);
}

#[tokio::test]
async fn reading_a_resident_follows_the_policy_and_is_always_logged() {
    let db = TestDb::new().await;
    let ids = import(
        &db.store,
        &[
            record(30_000_000, "Visser", "a"),
            record(30_000_100, "Smit", "b"),
        ],
    )
    .await;
    let worker = org_with_staff(&db.store, "Gemeente A", Role::Caseworker).await;
    let outsider = org_with_staff(&db.store, "Gemeente B", Role::Caseworker).await;
    let me = Actor::Staff(worker);
    let r = ids[0];
    assert!(matches!(
        db.store.read_resident(&me, r, Purpose::Casework, NOW).await,
        Err(StoreError::Denied(Denied::NoWorkRelation))
    ));
    db.store
        .open_work(&IMPORT, worker.org_id, r, WorkKind::Hulpvraag, NOW)
        .await
        .unwrap();
    let got = db
        .store
        .read_resident(&me, r, Purpose::Casework, NOW)
        .await
        .unwrap();
    assert_eq!(got.name().unwrap().achternaam, "Visser");
    assert_eq!(got.address().unwrap().postcode.to_string(), "1234 AB");
    assert!(
        db.store
            .read_resident(&Actor::Staff(outsider), r, Purpose::Casework, NOW)
            .await
            .is_err_and(|e| crate::refused(&e, Denied::NoWorkRelation))
    );
    assert!(
        db.store
            .read_resident(&Actor::Resident(r), r, Purpose::OwnView, NOW)
            .await
            .is_ok()
    );
    assert!(
        db.store
            .read_resident(&Actor::Resident(ids[1]), r, Purpose::OwnView, NOW)
            .await
            .is_err_and(|e| crate::refused(&e, Denied::NotOwnData))
    );
    let log = db.store.audit_page(0, 100, None).await.unwrap();
    let reads: Vec<_> = log
        .iter()
        .filter(|e| e.action == "inwoner-bekeken")
        .map(|e| e.outcome.as_str())
        .collect();
    assert_eq!(
        reads,
        [
            "geweigerd:geen-werkrelatie",
            "toegestaan",
            "geweigerd:geen-werkrelatie",
            "toegestaan",
            "geweigerd:niet-eigen-gegevens"
        ]
    );
    // The log names actors and residents by id, never by name or BSN.
    let bsn = got.bsn().unwrap().expose();
    assert!(
        log.iter()
            .all(|e| !format!("{e:?}").contains("Visser") && !format!("{e:?}").contains(&bsn))
    );
}

#[tokio::test]
async fn the_worklist_shows_own_work_and_logs_each_resident() {
    let db = TestDb::new().await;
    let ids = import(
        &db.store,
        &[
            record(40_000_000, "Mulder", "a"),
            record(40_000_200, "Bos", "b"),
            record(40_000_400, "Vos", "c"),
        ],
    )
    .await;
    let worker = org_with_staff(&db.store, "Gemeente A", Role::Caseworker).await;
    let other = org_with_staff(&db.store, "Gemeente B", Role::Caseworker).await;
    let lead = Staff {
        role: Role::TeamLead,
        ..worker
    };
    db.store
        .open_work(&IMPORT, worker.org_id, ids[0], WorkKind::Hulpvraag, NOW)
        .await
        .unwrap();
    let w = db
        .store
        .open_work(&IMPORT, worker.org_id, ids[1], WorkKind::Traject, NOW + 1)
        .await
        .unwrap();
    db.store
        .open_work(&IMPORT, other.org_id, ids[2], WorkKind::Signaal, NOW)
        .await
        .unwrap();
    let before = db.store.verify_audit().await.unwrap().entries;
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
        .unwrap();
    let names: Vec<_> = list
        .lines
        .iter()
        .map(|w| w.name.achternaam.as_str())
        .collect();
    assert_eq!(names, ["Mulder", "Bos"]);
    // One entry per view, pointing to the list kept once: each resident on
    // it finds it in their own extract; the third does not.
    db.store
        .worklist(
            &Actor::Staff(worker),
            &crate::all_work(),
            None,
            crate::today(),
            NOW + 1,
        )
        .await
        .unwrap();
    let check = db.store.verify_audit().await.unwrap();
    assert_eq!((check.entries, check.breaks), (before + 2, vec![]));
    let raw = db.raw().await;
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_list_members")
        .fetch_one(&raw)
        .await
        .unwrap();
    assert_eq!(kept, 2, "the same list twice is kept once");
    for (i, shown) in [(0, true), (1, true), (2, false)] {
        let me = Actor::Resident(ids[i]);
        let extract = db
            .store
            .own_audit_extract(&me, ids[i], None, NOW)
            .await
            .unwrap();
        assert_eq!(
            extract.iter().any(|v| v.action == "werklijst-bekeken"),
            shown,
            "resident {i}"
        );
    }
    // The list is covered by the chain: a member taken away breaks both
    // views of it.
    sqlx::query("DELETE FROM audit_list_members WHERE resident_id = $1")
        .bind(ids[1].0)
        .execute(&raw)
        .await
        .unwrap();
    let broken = db.store.verify_audit().await.unwrap().breaks;
    assert!(
        matches!(
            broken.as_slice(),
            [
                wegwijs_store::audit::Break::Subjects { .. },
                wegwijs_store::audit::Break::Subjects { .. }
            ]
        ),
        "{broken:?}"
    );
    let admin = Staff {
        role: Role::Admin,
        ..worker
    };
    assert!(matches!(
        db.store
            .worklist(
                &Actor::Staff(admin),
                &crate::all_work(),
                None,
                crate::today(),
                NOW
            )
            .await,
        Err(StoreError::Denied(_))
    ));
    let done = (wegwijs_domain::work::Outcome::Afgerond, "");
    assert!(
        db.store
            .finish_work(&Actor::Staff(other), (w, 0), done, NOW)
            .await
            .is_err_and(|e| crate::refused(&e, Denied::NoWorkRelation))
    );
    db.store
        .finish_work(&Actor::Staff(worker), (w, 0), done, NOW + 2)
        .await
        .unwrap();
    let figures = db
        .store
        .team_figures(&Actor::Staff(lead), crate::today())
        .await
        .unwrap();
    let open: Vec<(&str, i64)> = figures
        .by_kind
        .iter()
        .map(|(k, n)| (k.code(), *n))
        .collect();
    assert_eq!(
        open,
        WorkKind::ALL
            .iter()
            .map(|k| (k.code(), i64::from(*k == WorkKind::Hulpvraag)))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        (figures.residents_with_open_work, figures.closed_total),
        (1, 1)
    );
    assert!(
        db.store
            .team_figures(&Actor::Staff(worker), crate::today())
            .await
            .is_err_and(|e| crate::refused(&e, Denied::Role))
    );
}
