//! The resident's own extract of the audit log.

use super::*;
use wegwijs_store::inzage::ViewedBy;

#[tokio::test]
async fn a_resident_sees_who_looked_by_organisation_and_role_only() {
    let db = TestDb::new().await;
    let ids = import(
        &db.store,
        &[
            record(31_000_000, "Visser", "a"),
            record(31_000_100, "Smit", "b"),
        ],
    )
    .await;
    let (r, other) = (ids[0], ids[1]);
    let worker = org_with_staff(&db.store, "Gemeente A", Role::Caseworker).await;
    let outsider = org_with_staff(&db.store, "Gemeente B", Role::Caseworker).await;
    db.store
        .open_work(&IMPORT, worker.org_id, r, WorkKind::Hulpvraag, NOW)
        .await
        .unwrap();
    db.store
        .read_resident(&Actor::Staff(worker), r, Purpose::Casework, NOW + 1)
        .await
        .unwrap();
    let _ = db
        .store
        .read_resident(&Actor::Staff(outsider), r, Purpose::Casework, NOW + 2)
        .await;
    let _ = db
        .store
        .read_resident(&Actor::Staff(worker), other, Purpose::Casework, NOW + 3)
        .await;

    let me = Actor::Resident(r);
    let extract = db
        .store
        .own_audit_extract(&me, r, None, NOW + 10)
        .await
        .unwrap();
    // Newest first; only entries about this resident.
    assert!(extract.windows(2).all(|w| w[0].at >= w[1].at));
    let read = |org: &str| {
        extract
            .iter()
            .find(|v| {
                v.action == "inwoner-bekeken"
                    && matches!(&v.by, ViewedBy::Staff { organisation, .. } if organisation == org)
            })
            .unwrap()
    };
    let by_a = read("Gemeente A");
    assert!(by_a.allowed && by_a.purpose == "dienstverlening" && by_a.at == NOW + 1);
    assert_eq!(
        by_a.by,
        ViewedBy::Staff {
            organisation: "Gemeente A".into(),
            role: "medewerker".into()
        }
    );
    assert!(
        !read("Gemeente B").allowed,
        "a refused attempt is shown too"
    );
    assert!(
        extract.iter().any(|v| v.by == ViewedBy::System),
        "the import"
    );
    assert_eq!(
        extract.iter().filter(|v| v.at == NOW + 3).count(),
        0,
        "not another's"
    );
    // No staff member's name or account anywhere in what the resident gets.
    let json = serde_json::to_string(&extract).unwrap();
    // The staff member's display name ("Test Persoon"), username
    // ("gemeente-a-medewerker") and account ("medewerker:ID") never appear.
    assert!(
        !json.contains("medewerker:")
            && !json.contains("Test Persoon")
            && !json.contains("gemeente-a-"),
        "{json}"
    );
    assert!(json.contains("Gemeente A"), "the organisation does");

    // Only the resident may read it, and every reading is logged.
    assert!(matches!(
        db.store
            .own_audit_extract(&Actor::Resident(other), r, None, NOW + 11)
            .await,
        Err(StoreError::Denied(_))
    ));
    assert!(
        db.store
            .own_audit_extract(&Actor::Staff(worker), r, None, NOW + 12)
            .await
            .is_err_and(|e| crate::refused(&e, Denied::Purpose))
    );
    let again = db
        .store
        .own_audit_extract(&me, r, None, NOW + 13)
        .await
        .unwrap();
    let readings: Vec<bool> = again
        .iter()
        .filter(|v| v.action == "logboek-ingezien")
        .map(|v| v.allowed)
        .collect();
    assert_eq!(
        readings,
        [false, false, true],
        "refused, refused, the first reading"
    );
    assert!(db.store.verify_audit().await.unwrap().breaks.is_empty());
}

#[tokio::test]
async fn the_log_page_puts_others_first_a_page_at_a_time_and_folds_own_looking_per_day() {
    use wegwijs_store::inzage::{LogQuery, PAGE};
    let db = TestDb::new().await;
    let ids = import(&db.store, &[record(32_000_000, "Visser", "a")]).await;
    let r = ids[0];
    let worker = org_with_staff(&db.store, "Gemeente A", Role::Caseworker).await;
    db.store
        .open_work(&IMPORT, worker.org_id, r, WorkKind::Hulpvraag, NOW)
        .await
        .unwrap();
    let me = Actor::Resident(r);
    let day = 24 * 3600;
    // Thirty staff reads on the first day; own looks: 2 on the first day, 3 on the next.
    let staff = Actor::Staff(worker);
    for k in 0..30 {
        let read = db
            .store
            .read_resident(&staff, r, Purpose::Casework, NOW + 10 + k);
        read.await.unwrap();
    }
    for at in [
        NOW + 100,
        NOW + 200,
        NOW + day + 100,
        NOW + day + 200,
        NOW + day + 300,
    ] {
        db.store
            .read_resident(&me, r, Purpose::OwnView, at)
            .await
            .unwrap();
    }
    let all = LogQuery {
        page: 1,
        ..LogQuery::default()
    };
    let first = db
        .store
        .own_log_page(&me, r, &all, NOW + 2 * day)
        .await
        .unwrap();
    assert_eq!(first.others.len(), PAGE as usize);
    assert!(first.more);
    assert!(
        first
            .others
            .iter()
            .all(|v| !matches!(v.by, ViewedBy::Resident))
    );
    assert_eq!(
        first.own_days.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
        [3, 2]
    );
    assert!(
        first.own_days[0].0 > first.own_days[1].0,
        "newest day first"
    );
    assert_eq!(first.orgs, [(worker.org_id, "Gemeente A".to_string())]);
    let second = LogQuery {
        page: 2,
        ..all.clone()
    };
    let second = db
        .store
        .own_log_page(&me, r, &second, NOW + 2 * day)
        .await
        .unwrap();
    // The rest of the staff reads, the opening of the work and the import.
    assert_eq!(second.others.len(), 30 + 2 - PAGE as usize);
    assert!(!second.more);
    // One organisation: the resident's own looking is not among its lines.
    let theirs = LogQuery {
        org: Some(worker.org_id),
        ..all.clone()
    };
    let theirs = db
        .store
        .own_log_page(&me, r, &theirs, NOW + 2 * day)
        .await
        .unwrap();
    assert!(theirs.own_days.is_empty());
    // A period: the second day only.
    let later = LogQuery {
        from: Some(NOW + day),
        until: Some(NOW + 2 * day),
        ..all.clone()
    };
    let later = db
        .store
        .own_log_page(&me, r, &later, NOW + 2 * day)
        .await
        .unwrap();
    assert!(later.others.is_empty());
    assert_eq!(later.own_days.len(), 1);
    assert_eq!(later.own_days[0].1, 3);
    // Someone else may not read it; the refusal is logged like every reading.
    let refused = db
        .store
        .own_log_page(&Actor::Staff(worker), r, &all, NOW + 2 * day)
        .await;
    assert!(matches!(refused, Err(StoreError::Denied(_))));
    let extract = db
        .store
        .own_audit_extract(&me, r, None, NOW + 3 * day)
        .await
        .unwrap();
    let readings = extract
        .iter()
        .filter(|v| v.action == "logboek-ingezien")
        .count();
    assert_eq!(readings, 5, "four readings and the refusal");
}
