//! The case file's notes on both databases: written once, corrected by a
//! new note, each organisation its own, only where the dossier is shown.

use super::signal_work::setup;
use super::*;
use wegwijs_domain::note::NewNote;

#[tokio::test]
async fn notes_are_kept_per_organisation_and_corrected_not_changed() {
    let (db, worker, ids) = setup().await;
    let me = Actor::Staff(worker);
    let system = Actor::System("test");
    db.store
        .open_work(&system, worker.org_id, ids[0], WorkKind::Hulpvraag, NOW)
        .await
        .unwrap();
    let note = |body: &str, corrects: &str| NewNote::validate("gesprek", body, corrects).unwrap();
    let first = db
        .store
        .add_note(&me, ids[0], &note("Huur besproken.", ""), NOW)
        .await
        .unwrap();
    let fix = db
        .store
        .add_note(
            &me,
            ids[0],
            &note("Het ging om april.", &first.to_string()),
            NOW + 1,
        )
        .await
        .unwrap();
    let notes = db.store.notes_for(&me, ids[0], NOW + 2).await.unwrap();
    assert_eq!(
        notes.iter().map(|n| n.id).collect::<Vec<_>>(),
        vec![fix, first]
    );
    assert_eq!(notes[0].corrects, Some(first));
    assert_eq!(notes[1].corrected_by, vec![fix]);
    assert_eq!(
        notes[1].body, "Huur besproken.",
        "the corrected note stays as written"
    );

    // A correction of a note of another dossier is refused, nothing written.
    db.store
        .open_work(&system, worker.org_id, ids[1], WorkKind::Hulpvraag, NOW)
        .await
        .unwrap();
    let wrong = db
        .store
        .add_note(&me, ids[1], &note("Verkeerd.", &first.to_string()), NOW + 3)
        .await;
    assert!(
        matches!(&wrong, Err(StoreError::Invalid(e)) if e.field == "corrigeert"),
        "{wrong:?}"
    );
    assert!(
        db.store
            .notes_for(&me, ids[1], NOW + 4)
            .await
            .unwrap()
            .is_empty()
    );

    // Another organisation with work of its own keeps its own notes and
    // sees none of the municipality's; one without work is refused, logged.
    let uwv_org = db
        .store
        .create_org("UWV Test", OrgKind::Uwv, NOW)
        .await
        .unwrap();
    let uwv_id = db
        .store
        .create_user(
            &system,
            NewUser {
                org_id: uwv_org,
                username: "uwv-mw",
                display_name: "Test UWV",
                role: Role::Caseworker,
                password_hash: "x".into(),
            },
            NOW,
        )
        .await
        .unwrap();
    let uwv = Actor::Staff(Staff {
        user_id: uwv_id,
        org_id: uwv_org,
        role: Role::Caseworker,
    });
    let refused = db
        .store
        .add_note(&uwv, ids[0], &note("Mag niet.", ""), NOW + 5)
        .await;
    assert!(
        matches!(refused, Err(StoreError::Denied(Denied::NoWorkRelation))),
        "{refused:?}"
    );
    assert!(db.store.notes_for(&uwv, ids[0], NOW + 5).await.is_err());
    db.store
        .open_work(&system, uwv_org, ids[0], WorkKind::Hulpvraag, NOW + 6)
        .await
        .unwrap();
    db.store
        .add_note(&uwv, ids[0], &note("Eigen notitie.", ""), NOW + 7)
        .await
        .unwrap();
    let theirs = db.store.notes_for(&uwv, ids[0], NOW + 8).await.unwrap();
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0].body, "Eigen notitie.");
    let log = db.store.audit_page(0, 10_000, None).await.unwrap();
    assert!(log.iter().any(|e| e.action == "notitie-geschreven"
        && e.outcome == "geweigerd:geen-werkrelatie"
        && e.resident_id == Some(ids[0].0)));
    assert!(log.iter().any(|e| e.action == "notitie-geschreven"
        && e.detail == format!("notitie {fix}, corrigeert notitie {first}")));
}
