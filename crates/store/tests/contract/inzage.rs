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
        .open_work(&IMPORT, worker.org_id, r, WorkKind::Aanmelding, NOW)
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
    let extract = db.store.own_audit_extract(&me, r, NOW + 10).await.unwrap();
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
            .own_audit_extract(&Actor::Resident(other), r, NOW + 11)
            .await,
        Err(StoreError::Denied(_))
    ));
    assert!(
        db.store
            .own_audit_extract(&Actor::Staff(worker), r, NOW + 12)
            .await
            .is_err_and(|e| crate::refused(&e, Denied::Purpose))
    );
    let again = db.store.own_audit_extract(&me, r, NOW + 13).await.unwrap();
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
