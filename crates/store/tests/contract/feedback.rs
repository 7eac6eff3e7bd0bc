//! Hoe was het?: which contacts may be rated, once, and the team's totals.

use super::appointments::hours;
use super::requests::{route, staff_of};
use super::signal_work::setup;
use super::*;
use wegwijs_domain::appointment::Mode;
use wegwijs_domain::feedback::Feedback;
use wegwijs_domain::help::{HelpTopic, RequestKind, RequestStatus};
use wegwijs_store::appointments::{Booking, Notes};
use wegwijs_store::outbox::Message;
use wegwijs_store::requests::NewRequest;

#[tokio::test]
async fn a_resident_rates_each_contact_once_and_the_team_sees_totals() {
    let (db, worker, ids) = setup().await;
    let lead = Actor::Staff(staff_of(&db.store, worker.org_id, "teamleider", Role::TeamLead).await);
    let route = route(&db.store, HelpTopic::Geld, worker.org_id).await;
    let m = Message {
        subject: "s".into(),
        body: "b".into(),
    };
    let me = Actor::Resident(ids[0]);
    let q = NewRequest {
        kind: RequestKind::Hulpvraag,
        topic: "geld".into(),
        topic_name: "Geld en rekeningen".into(),
        own_words: String::new(),
        reach: wegwijs_domain::contact::ContactWays::default(),
    };
    let by = time::macros::date!(2026 - 11 - 25);
    let request = db
        .store
        .place_request(&me, ids[0], &q, (&route, by), &m, NOW)
        .await
        .unwrap();
    let hours = hours();
    let booking = Booking {
        topic: HelpTopic::Geld,
        starts_at: NOW + 3600,
        mode: Mode::Balie,
        contact: None,
        reminder: None,
    };
    let notes = Notes {
        confirmation: &m,
        reminder: None,
    };
    let appointment = db
        .store
        .book_appointment(&me, ids[0], (&booking, &route, &hours), notes, NOW)
        .await
        .unwrap();
    // Nothing to rate while the request is open and the meeting to come.
    assert!(
        db.store
            .contacts_to_rate(&me, ids[0], NOW)
            .await
            .unwrap()
            .is_empty()
    );
    db.store
        .answer_request(
            &Actor::Staff(worker),
            request,
            (RequestStatus::Afgerond, ""),
            &m,
            NOW + 10,
        )
        .await
        .unwrap();
    let later = NOW + 2 * 3600;
    let open = db.store.contacts_to_rate(&me, ids[0], later).await.unwrap();
    let abouts: Vec<_> = open.iter().map(|c| c.about.clone()).collect();
    assert_eq!(
        abouts,
        [
            format!("afspraak:{appointment}"),
            format!("hulpvraag:{request}")
        ]
    );
    // Someone else cannot rate them, and nobody rates what is not theirs.
    let good = Feedback::validate("4", "Vriendelijk geholpen.").unwrap();
    assert!(
        db.store
            .give_feedback(&Actor::Resident(ids[1]), ids[0], &abouts[0], &good, later)
            .await
            .is_err_and(|e| crate::refused(&e, Denied::NotOwnData))
    );
    assert!(matches!(
        db.store
            .give_feedback(&Actor::Resident(ids[1]), ids[1], &abouts[0], &good, later)
            .await,
        Err(StoreError::NotFound)
    ));
    db.store
        .give_feedback(&me, ids[0], &abouts[0], &good, later)
        .await
        .unwrap();
    assert!(matches!(
        db.store
            .give_feedback(&me, ids[0], &abouts[0], &good, later)
            .await,
        Err(StoreError::Duplicate(_))
    ));
    let hard = Feedback::validate("1", "").unwrap();
    db.store
        .give_feedback(&me, ids[0], &abouts[1], &hard, later)
        .await
        .unwrap();
    assert!(
        db.store
            .contacts_to_rate(&me, ids[0], later)
            .await
            .unwrap()
            .is_empty()
    );
    // Two answers: the team sees only that there are two.
    let t = db.store.team_feedback(&lead).await.unwrap();
    assert_eq!((t.count, t.enough, t.average_tenths), (2, false, None));
    assert!(t.comments.is_empty() && t.per_score == [0; 5]);
    // Four more (other residents, here written directly): 4+1+5+5+5+5 = 25
    // over 6 is 4,1666…, shown as 4,2 (half up, where floor gives 4,1).
    let raw = db.raw().await;
    for (i, score) in [5, 5, 5, 5].iter().enumerate() {
        sqlx::query("INSERT INTO feedback (resident_id, org_id, about, score, comment, at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(ids[1].0)
            .bind(worker.org_id)
            .bind(format!("afspraak:{}", 1000 + i))
            .bind(*score as i64)
            .bind(if i == 0 { "Alles goed." } else { "" })
            .bind(later)
            .execute(&raw)
            .await
            .unwrap();
    }
    let t = db.store.team_feedback(&lead).await.unwrap();
    assert_eq!(
        (t.count, t.enough, t.average_tenths, t.per_score),
        (6, true, Some(42), [1, 0, 0, 1, 4])
    );
    // Comments in the order of their text, not of time.
    assert_eq!(
        t.comments,
        [
            (5, "Alles goed.".to_string()),
            (4, "Vriendelijk geholpen.".to_string())
        ]
    );
    // Thirty days on, nothing is asked any more.
    let month = 31 * 24 * 3600;
    let old = Booking {
        topic: HelpTopic::Geld,
        starts_at: NOW + 7200,
        mode: Mode::Balie,
        contact: None,
        reminder: None,
    };
    db.store
        .book_appointment(
            &me,
            ids[0],
            (&old, &route, &hours),
            Notes {
                confirmation: &m,
                reminder: None,
            },
            NOW,
        )
        .await
        .unwrap();
    assert_eq!(
        db.store
            .contacts_to_rate(&me, ids[0], NOW + 4 * 3600)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        db.store
            .contacts_to_rate(&me, ids[0], NOW + 7200 + month)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        db.store
            .team_feedback(&Actor::Staff(worker))
            .await
            .is_err_and(|e| crate::refused(&e, Denied::Role)),
        "team leads only"
    );
}
