//! One-time form tokens and forms kept across a login.

use super::*;
use wegwijs_store::forms::{Claim, FORM_USE_SECS, HELD_FORM_SECS};

#[tokio::test]
async fn a_form_token_is_claimed_once_per_owner() {
    let db = TestDb::new().await;
    let s = &db.store;
    assert_eq!(s.claim_form("s:a", "t1", NOW).await.unwrap(), Claim::First);
    let running = Claim::Again {
        result: None,
        finished: false,
    };
    assert_eq!(s.claim_form("s:a", "t1", NOW).await.unwrap(), running);
    // Another owner's token of the same value is theirs alone.
    assert_eq!(s.claim_form("s:b", "t1", NOW).await.unwrap(), Claim::First);
    s.finish_form("s:a", "t1", Some("/mijn/vraag/7?nieuw=1"), NOW + 1)
        .await
        .unwrap();
    assert_eq!(
        s.claim_form("s:a", "t1", NOW + 2).await.unwrap(),
        Claim::Again {
            result: Some("/mijn/vraag/7?nieuw=1".into()),
            finished: true
        }
    );
    // Refused input releases the token: the corrected form claims it.
    s.release_form("s:b", "t1").await.unwrap();
    assert_eq!(s.claim_form("s:b", "t1", NOW).await.unwrap(), Claim::First);
    // After a day the token is gone.
    assert_eq!(
        s.delete_old_forms(NOW + FORM_USE_SECS).await.unwrap(),
        2,
        "both claims"
    );
    assert_eq!(s.form_use("s:a", "t1").await.unwrap(), None);
}

#[tokio::test]
async fn kept_answers_last_an_hour_and_only_for_their_form() {
    let db = TestDb::new().await;
    let s = &db.store;
    let fields = vec![
        ("achterstand".to_string(), "meer".to_string()),
        ("toeslagen".to_string(), "weet-niet".to_string()),
    ];
    s.hold_form("h1", "geldcheck", &fields, NOW).await.unwrap();
    assert_eq!(
        s.held_form("h1", "geldcheck", NOW + 60).await.unwrap(),
        Some(fields.clone())
    );
    assert_eq!(s.held_form("h1", "ander", NOW).await.unwrap(), None);
    assert_eq!(s.held_form("h2", "geldcheck", NOW).await.unwrap(), None);
    assert_eq!(
        s.held_form("h1", "geldcheck", NOW + HELD_FORM_SECS)
            .await
            .unwrap(),
        None
    );
    // Kept again: replaced, with a new hour.
    s.hold_form("h1", "geldcheck", &fields[..1], NOW + 10)
        .await
        .unwrap();
    assert_eq!(
        s.held_form("h1", "geldcheck", NOW + 20).await.unwrap(),
        Some(fields[..1].to_vec())
    );
    s.drop_held_form("h1").await.unwrap();
    assert_eq!(
        s.held_form("h1", "geldcheck", NOW + 20).await.unwrap(),
        None
    );
    s.hold_form("h3", "geldcheck", &fields, NOW).await.unwrap();
    assert_eq!(s.delete_old_forms(NOW + HELD_FORM_SECS).await.unwrap(), 1);
}
