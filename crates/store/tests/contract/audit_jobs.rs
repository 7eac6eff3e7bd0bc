//! The audit chain, background job leases, and backup.

use super::*;

#[tokio::test]
async fn audit_verification_finds_changed_removed_and_reordered_entries() {
    let db = TestDb::new().await;
    let ids = import(
        &db.store,
        &(0..6)
            .map(|i| record(50_000_000 + i * 100, "Dekker", "h"))
            .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(ids.len(), 6);
    let clean = db.store.verify_audit().await.unwrap();
    assert_eq!((clean.entries, clean.breaks.clone()), (6, vec![]));
    assert_eq!(clean.head.as_ref().map(|h| h.0), Some(6));
    let raw = db.raw().await;
    sqlx::query("UPDATE audit_log SET detail = 'gewist' WHERE seq = 2")
        .execute(&raw)
        .await
        .unwrap();
    assert_eq!(
        db.store.verify_audit().await.unwrap().breaks,
        vec![Break::Changed { seq: 2 }]
    );
    sqlx::query("UPDATE audit_log SET detail = '' WHERE seq = 2")
        .execute(&raw)
        .await
        .unwrap();
    sqlx::query("DELETE FROM audit_log WHERE seq = 4")
        .execute(&raw)
        .await
        .unwrap();
    assert_eq!(
        db.store.verify_audit().await.unwrap().breaks,
        vec![Break::Missing { after: 3, next: 5 }]
    );
    // Swap entries 5 and 6 wholesale (seq numbers kept in place).
    sqlx::query("UPDATE audit_log SET seq = -5 WHERE seq = 5")
        .execute(&raw)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET seq = 5 WHERE seq = 6")
        .execute(&raw)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET seq = 6 WHERE seq = -5")
        .execute(&raw)
        .await
        .unwrap();
    let breaks = db.store.verify_audit().await.unwrap().breaks;
    assert!(
        breaks.contains(&Break::Changed { seq: 5 }) && breaks.contains(&Break::Changed { seq: 6 }),
        "{breaks:?}"
    );
}

#[tokio::test]
async fn concurrent_appends_keep_one_unbroken_chain() {
    let db = TestDb::new().await;
    let ids = import(&db.store, &[record(60_000_000, "Meijer", "h")]).await;
    let r = ids[0];
    let worker = org_with_staff(&db.store, "Gemeente A", Role::Caseworker).await;
    db.store
        .open_work(&IMPORT, worker.org_id, ids[0], WorkKind::Hulpvraag, NOW)
        .await
        .unwrap();
    let before = db.store.verify_audit().await.unwrap().entries;
    let store = Arc::new(db.store.clone());
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .read_resident(&Actor::Staff(worker), r, Purpose::Casework, NOW + i)
                    .await
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let v = db.store.verify_audit().await.unwrap();
    assert_eq!((v.entries, v.breaks), (before + 40, vec![]));
}

#[tokio::test]
async fn a_due_job_is_leased_to_exactly_one_instance() {
    let db = TestDb::new().await;
    db.store.ensure_job("opruimen", NOW).await.unwrap();
    db.store.ensure_job("opruimen", NOW + 999).await.unwrap();
    assert!(
        !db.store
            .claim_job("opruimen", "a", NOW - 1, 60)
            .await
            .unwrap(),
        "not due yet"
    );
    let store = Arc::new(db.store.clone());
    let claims: Vec<_> = (0..8)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .claim_job("opruimen", &format!("instance-{i}"), NOW, 60)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut winners = 0;
    for c in claims {
        winners += c.await.unwrap() as i32;
    }
    assert_eq!(winners, 1);
    // A crashed owner's lease runs out and another instance takes over.
    assert!(
        !db.store
            .claim_job("opruimen", "late", NOW + 59, 60)
            .await
            .unwrap()
    );
    assert!(
        db.store
            .claim_job("opruimen", "late", NOW + 60, 60)
            .await
            .unwrap()
    );
    assert!(
        !db.store
            .finish_job("opruimen", "instance-0", NOW + 61, NOW + 3600, "ok")
            .await
            .unwrap()
    );
    assert!(
        db.store
            .finish_job("opruimen", "late", NOW + 61, NOW + 3600, "ok")
            .await
            .unwrap()
    );
    assert!(
        !db.store
            .claim_job("opruimen", "a", NOW + 62, 60)
            .await
            .unwrap(),
        "next run is an hour later"
    );
    assert_eq!(
        db.store.jobs().await.unwrap(),
        vec![("opruimen".into(), NOW + 3600, Some("ok".into()))]
    );
}

#[tokio::test]
async fn a_sqlite_backup_holds_the_same_data() {
    let db = TestDb::new().await;
    if db.store.backend() != wegwijs_store::Backend::Sqlite {
        return; // PostgreSQL is backed up with pg_dump, outside wegwijs.
    }
    import(&db.store, &[record(70_000_000, "Peters", "h")]).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.db");
    db.store.backup_to(&file).await.unwrap();
    let copy = Store::connect(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    copy.migrate().await.unwrap();
    assert_eq!(copy.count_residents().await.unwrap(), 1);
    assert_eq!(copy.verify_audit().await.unwrap().breaks, vec![]);
}

/// Reads log through the group-committing writer: many at once are each in
/// the log, once, in one unbroken chain, before their data is returned; a
/// refused read is logged the same way.
#[tokio::test]
async fn many_reads_at_once_each_get_their_entry_in_one_chain() {
    let db = TestDb::new().await;
    let ids = import(
        &db.store,
        &[
            record(50_000_000, "Dekker", "h1"),
            record(50_000_100, "Smit", "h2"),
        ],
    )
    .await;
    let before = db.store.audit_page(0, 100_000, None).await.unwrap().len();
    let mut reads = tokio::task::JoinSet::new();
    for i in 0..64 {
        let store = db.store.clone();
        let me = ids[0];
        reads.spawn(async move {
            store
                .own_messages(&Actor::Resident(me), me, NOW + i)
                .await
                .map(|_| ())
        });
    }
    while let Some(done) = reads.join_next().await {
        done.unwrap().unwrap();
    }
    let refused = db
        .store
        .own_messages(&Actor::Resident(ids[1]), ids[0], NOW + 100)
        .await;
    assert!(refused.is_err());
    let log = db.store.audit_page(0, 100_000, None).await.unwrap();
    assert_eq!(log.len(), before + 65);
    let mine: Vec<_> = log[before..]
        .iter()
        .filter(|e| e.action == "berichten-bekeken")
        .collect();
    assert_eq!(mine.len(), 65);
    assert_eq!(
        mine.iter()
            .filter(|e| e.outcome.starts_with("geweigerd"))
            .count(),
        1
    );
    let check = db.store.verify_audit().await.unwrap();
    assert_eq!(check.breaks, vec![]);
    assert_eq!(check.entries as usize, before + 65);
}
