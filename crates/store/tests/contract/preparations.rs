//! Gesprek voorbereiden: answers and letters, the resident's own only, seen
//! by the team's caseworker once sent.

use super::appointments::hours;
use super::requests::{route, staff_of};
use super::signal_work::setup;
use super::*;
use wegwijs_domain::appointment::Mode;
use wegwijs_domain::help::HelpTopic;
use wegwijs_domain::preparation::{Preparation, Step};
use wegwijs_domain::upload::{FileKind, MAX_FILES};
use wegwijs_store::appointments::{Booking, Notes};
use wegwijs_store::outbox::Message;

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n";

#[tokio::test]
async fn a_prepared_conversation_reaches_the_caseworker_once_sent() {
    let (db, worker, ids) = setup().await;
    let colleague = staff_of(&db.store, worker.org_id, "tweede", Role::Caseworker).await;
    let elsewhere = org_with_staff(&db.store, "Gemeente Elders", Role::Caseworker).await;
    let route = route(&db.store, HelpTopic::Geld, worker.org_id).await;
    let hours = hours();
    let m = Message {
        subject: "s".into(),
        body: "b".into(),
    };
    let me = Actor::Resident(ids[0]);
    let booking = Booking {
        topic: HelpTopic::Geld,
        starts_at: NOW + 3 * 24 * 3600,
        mode: Mode::Balie,
        contact: None,
        reminder: None,
    };
    let id = db
        .store
        .book_appointment(
            &me,
            ids[0],
            (&booking, &route, &hours),
            Notes {
                confirmation: &m,
                reminder: None,
            },
            NOW,
        )
        .await
        .unwrap();
    let empty = db
        .store
        .own_preparation(&me, ids[0], id, NOW)
        .await
        .unwrap();
    assert!(empty.answers.is_empty() && empty.sent_at.is_none());
    let mut answers = Preparation::default();
    answers
        .set(Step::Onderwerp, |_| Some("De brief van de huur"), &[])
        .unwrap();
    db.store
        .save_preparation(&me, ids[0], (id, &answers, false), NOW)
        .await
        .unwrap();
    let upload = db
        .store
        .add_upload(&me, ids[0], (id, "huur.pdf", FileKind::Pdf), PDF, NOW)
        .await
        .unwrap();
    // Another resident reaches none of it.
    let bakker = Actor::Resident(ids[1]);
    assert!(
        db.store
            .own_preparation(&bakker, ids[1], id, NOW)
            .await
            .is_err_and(|e| crate::not_found(&e))
    );
    assert!(
        db.store
            .save_preparation(&bakker, ids[1], (id, &answers, true), NOW)
            .await
            .is_err_and(|e| crate::not_found(&e))
    );
    assert!(
        db.store
            .add_upload(&bakker, ids[1], (id, "x.pdf", FileKind::Pdf), PDF, NOW)
            .await
            .is_err_and(|e| crate::not_found(&e))
    );
    assert!(
        db.store
            .remove_upload(&bakker, ids[1], upload, NOW)
            .await
            .is_err_and(|e| crate::not_found(&e))
    );
    assert!(
        db.store
            .upload_file(&bakker, upload, NOW)
            .await
            .is_err_and(|e| crate::refused(&e, Denied::NotOwnData))
    );
    // A draft is the resident's: the caseworker sees nothing yet.
    let staff = Actor::Staff(worker);
    assert!(
        db.store
            .org_preparation(&staff, ids[0], id, NOW)
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        db.store.upload_file(&staff, upload, NOW).await,
        Err(StoreError::Denied(_))
    ));
    db.store
        .save_preparation(&me, ids[0], (id, &answers, true), NOW + 1)
        .await
        .unwrap();
    let seen = db
        .store
        .org_preparation(&staff, ids[0], id, NOW + 2)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(seen.answers.onderwerp, "De brief van de huur");
    assert_eq!((seen.uploads.len(), seen.sent_at), (1, Some(NOW + 1)));
    let file = db.store.upload_file(&staff, upload, NOW + 2).await.unwrap();
    assert_eq!(
        (file.name.as_str(), file.kind, file.bytes.as_slice()),
        ("huur.pdf", FileKind::Pdf, PDF)
    );
    // A colleague of the same team too; another organisation not.
    db.store
        .org_preparation(&Actor::Staff(colleague), ids[0], id, NOW)
        .await
        .unwrap();
    // Another organisation's caseworker reads nothing (and nothing is logged).
    assert!(
        db.store
            .org_preparation(&Actor::Staff(elsewhere), ids[0], id, NOW)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        db.store
            .upload_file(&Actor::Staff(elsewhere), upload, NOW)
            .await
            .is_err_and(|e| crate::refused(&e, Denied::NoWorkRelation))
    );
    // A change after sending keeps it sent; five letters at most.
    answers.set(Step::Mee, |_| Some("Mijn zus"), &[]).unwrap();
    db.store
        .save_preparation(&me, ids[0], (id, &answers, false), NOW + 3)
        .await
        .unwrap();
    let seen = db
        .store
        .org_preparation(&staff, ids[0], id, NOW + 4)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (seen.answers.mee.as_str(), seen.sent_at),
        ("Mijn zus", Some(NOW + 1))
    );
    for _ in 1..MAX_FILES {
        db.store
            .add_upload(&me, ids[0], (id, "b.pdf", FileKind::Pdf), PDF, NOW)
            .await
            .unwrap();
    }
    let sixth = db
        .store
        .add_upload(&me, ids[0], (id, "c.pdf", FileKind::Pdf), PDF, NOW)
        .await;
    assert!(matches!(sixth, Err(StoreError::Duplicate("bestanden"))));
    assert_eq!(
        db.store
            .remove_upload(&me, ids[0], upload, NOW)
            .await
            .unwrap(),
        id
    );
    // Bakker's attempts are in the log under Bakker, never in Jansen's.
    let raw = db.raw().await;
    let tried: Vec<(Option<i64>, String)> = sqlx::query(
        "SELECT resident_id, outcome FROM audit_log WHERE actor = $1 AND action IN ('brief-bekeken', 'brief-verwijderd', 'brief-toegevoegd')",
    )
    .bind(format!("inwoner:{}", ids[1].0))
    .fetch_all(&raw)
    .await
    .unwrap()
    .iter()
    .map(|r| (sqlx::Row::get(r, 0), sqlx::Row::get(r, 1)))
    .collect();
    assert_eq!(tried.len(), 3, "{tried:?}");
    assert!(
        tried
            .iter()
            .all(|(r, o)| *r == Some(ids[1].0) && o != "toegestaan")
    );
    // The log names the file's size and kind, never its name or words.
    let details: Vec<String> = sqlx::query("SELECT detail FROM audit_log")
        .fetch_all(&raw)
        .await
        .unwrap()
        .iter()
        .map(|r| sqlx::Row::get(r, 0))
        .collect();
    assert!(
        details
            .iter()
            .all(|d| !d.contains("huur") && !d.contains("zus"))
    );
}
