//! The keyed audit chain and its witness: an unkeyed chain switches to the
//! key and stays verifiable; editing, deleting in the middle or at the end,
//! deleting everything and re-hashing are each found.

use super::signals::{signal, take_in};
use super::*;
use sqlx::Row;
use wegwijs_store::audit::AuditKey;
use wegwijs_store::audit::witness::Seal;

/// A chain of 6 unkeyed entries, then the switch (7), then 6 keyed ones
/// (8-13), an account (14) and a signal import (15), checkpointed: the store sealed
/// with its key and witness, and the folder the witness is in.
async fn sealed_chain(db: &TestDb) -> (Store, Seal, tempfile::TempDir) {
    let plain: Vec<_> = (0..6)
        .map(|i| record(51_000_000 + i * 100, "Bakker", "p"))
        .collect();
    import(&db.store, &plain).await;
    let dir = tempfile::tempdir().unwrap();
    let seal = Seal {
        key: AuditKey::generate(),
        witness: dir.path().join("audit-witness"),
    };
    let store = Store::connect_sealed(&db.url, seal.clone()).await.unwrap();
    store.migrate().await.unwrap();
    let keyed: Vec<_> = (0..6)
        .map(|i| record(52_000_000 + i * 100, "Visser", "k"))
        .collect();
    import(&store, &keyed).await;
    let staff = org_with_staff(&store, "Gemeente Zegel", Role::Caseworker).await;
    take_in(
        &store,
        staff.org_id,
        &[signal("Z1", "Huur", None, "Visser", "100")],
        1,
    )
    .await;
    assert_eq!(store.audit_checkpoint().await.unwrap().unwrap().count, 15);
    (store, seal, dir)
}

async fn run(raw: &sqlx::AnyPool, sql: &str) {
    sqlx::query(sql).execute(raw).await.unwrap();
}

#[tokio::test]
async fn a_switched_chain_verifies_and_an_edit_or_a_gap_is_found() {
    let db = TestDb::new().await;
    let (store, _seal, _dir) = sealed_chain(&db).await;
    let clean = store.verify_audit().await.unwrap();
    assert_eq!((clean.entries, clean.breaks.clone()), (15, vec![]));
    assert_eq!(clean.checkpoint.map(|c| c.count), Some(15));
    let page = store.audit_page(0, 100, None).await.unwrap();
    assert_eq!(page[6].action, "auditsleutel-ingesteld");
    assert_eq!(
        page[6].prev_hash, page[5].hash,
        "the switch carries the old head"
    );
    assert_ne!(
        page[8].hash,
        page[8].expected_hash(None),
        "keyed, not plain"
    );
    assert!(store.audit_key_fits().await.unwrap());

    let raw = db.raw().await;
    run(&raw, "UPDATE audit_log SET detail = 'gewist' WHERE seq = 9").await;
    assert_eq!(
        store.verify_audit().await.unwrap().breaks,
        vec![Break::Changed { seq: 9 }]
    );
    run(&raw, "DELETE FROM audit_log WHERE seq = 9").await;
    assert_eq!(
        store.verify_audit().await.unwrap().breaks,
        vec![Break::Missing { after: 8, next: 10 }]
    );
    raw.close().await;
}

#[tokio::test]
async fn removing_the_last_entries_or_all_of_them_is_found() {
    let db = TestDb::new().await;
    let (store, seal, _dir) = sealed_chain(&db).await;
    let raw = db.raw().await;
    run(&raw, "DELETE FROM audit_log WHERE seq > 12").await;
    // No new checkpoint blesses the shortened chain.
    let witnessed = std::fs::read_to_string(&seal.witness).unwrap();
    assert!(matches!(
        store.audit_checkpoint().await,
        Err(StoreError::Witness(..))
    ));
    assert_eq!(std::fs::read_to_string(&seal.witness).unwrap(), witnessed);
    assert_eq!(
        store.verify_audit().await.unwrap().breaks,
        vec![Break::Shortened {
            checkpoint: 15,
            entries: 12
        }]
    );
    run(&raw, "DELETE FROM audit_list_members").await;
    run(&raw, "DELETE FROM audit_lists").await;
    run(&raw, "DELETE FROM audit_log").await;
    assert_eq!(
        store.verify_audit().await.unwrap().breaks,
        vec![Break::Shortened {
            checkpoint: 15,
            entries: 0
        }]
    );
    raw.close().await;
}

/// Whoever can write the database but lacks the key deletes entries and
/// computes every hash again, unkeyed, with the switch and its record
/// gone: the chain then links up, and only the witness shows it.
#[tokio::test]
async fn a_chain_hashed_again_after_deleting_is_found() {
    let db = TestDb::new().await;
    let (store, _seal, _dir) = sealed_chain(&db).await;
    let raw = db.raw().await;
    // Keep the switch: re-hashing its successors without the key fails.
    run(&raw, "DELETE FROM audit_log WHERE seq > 10").await;
    rehash_plain(&store, &raw).await;
    let breaks = store.verify_audit().await.unwrap().breaks;
    for seq in [7, 8, 9, 10] {
        assert!(
            breaks.contains(&Break::Changed { seq }),
            "{seq}: {breaks:?}"
        );
    }
    assert!(breaks.contains(&Break::Shortened {
        checkpoint: 15,
        entries: 10
    }));
    // Remove the switch and the record of it too: a plain chain that
    // links up, which the witness's checkpoint still contradicts.
    run(&raw, "DELETE FROM audit_log WHERE seq > 6").await;
    run(&raw, "DELETE FROM meta WHERE key = 'audit_keyed_since'").await;
    rehash_plain(&store, &raw).await;
    assert_eq!(
        store.verify_audit().await.unwrap().breaks,
        vec![Break::Shortened {
            checkpoint: 15,
            entries: 6
        }]
    );
    raw.close().await;
}

/// Recomputes every entry's links and hashes unkeyed, as someone without
/// the key would.
async fn rehash_plain(store: &Store, raw: &sqlx::AnyPool) {
    let mut prev = wegwijs_store::audit::GENESIS_HASH.to_string();
    for mut e in store.audit_page(0, 1000, None).await.unwrap() {
        e.prev_hash = prev;
        e.hash = e.expected_hash(None);
        sqlx::query("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3")
            .bind(&e.prev_hash)
            .bind(&e.hash)
            .bind(e.seq)
            .execute(raw)
            .await
            .unwrap();
        prev = e.hash;
    }
}

#[tokio::test]
async fn the_witness_and_the_key_are_required() {
    let db = TestDb::new().await;
    let (store, seal, _dir) = sealed_chain(&db).await;
    // A missing or forged witness is a break.
    let text = std::fs::read_to_string(&seal.witness).unwrap();
    std::fs::remove_file(&seal.witness).unwrap();
    assert_eq!(
        store.verify_audit().await.unwrap().breaks,
        vec![Break::WitnessMissing]
    );
    let forged = text.replacen("15 ", "6 ", 1);
    std::fs::write(&seal.witness, forged).unwrap();
    assert_eq!(
        store.verify_audit().await.unwrap().breaks,
        vec![Break::WitnessAltered { line: 1 }]
    );
    // Without the key the keyed chain is neither extended nor verified;
    // with another key it does not fit.
    let unkeyed = Store::connect(&db.url).await.unwrap();
    assert!(matches!(
        unkeyed.migrate().await,
        Err(StoreError::AuditKeyNeeded)
    ));
    assert!(matches!(
        unkeyed.verify_audit().await,
        Err(StoreError::AuditKeyNeeded)
    ));
    let other = Seal {
        key: AuditKey::generate(),
        witness: seal.witness.clone(),
    };
    let wrong = Store::connect_sealed(&db.url, other).await.unwrap();
    assert!(!wrong.audit_key_fits().await.unwrap());
    // The switch happened once.
    let raw = db.raw().await;
    let switches: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'auditsleutel-ingesteld'")
            .fetch_one(&raw)
            .await
            .unwrap()
            .get("n");
    assert_eq!(switches, 1);
    raw.close().await;
}
