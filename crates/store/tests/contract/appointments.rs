//! Afspraken: hours, booking once per time, moving and cancelling with the
//! reminder, and the outbox.

use super::requests::route;
use super::signal_work::setup;
use super::*;
use sqlx::Row;
use wegwijs_domain::appointment::{Hours, Mode};
use wegwijs_domain::help::HelpTopic;
use wegwijs_store::appointments::{Booking, Notes};
use wegwijs_store::outbox::Message;

/// Weekday mornings, half-hour meetings, at the desk or by phone.
pub(super) fn hours() -> Hours {
    Hours::validate(
        HelpTopic::Geld,
        &["1".into(), "2".into(), "3".into(), "4".into(), "5".into()],
        ("09:00", "12:00", "30"),
        &["balie".into(), "telefoon".into()],
        ("Stadhuisplein 1", "Uw brieven"),
    )
    .unwrap()
}

fn m(subject: &str) -> Message {
    Message {
        subject: subject.into(),
        body: "Tot dan.".into(),
    }
}

#[tokio::test]
async fn a_time_is_booked_once_and_moves_and_lapses_with_its_reminder() {
    let (db, worker, ids) = setup().await;
    let admin = {
        let new = NewUser {
            org_id: worker.org_id,
            username: "beheer",
            display_name: "Beheer",
            role: Role::Admin,
            password_hash: "x".into(),
        };
        let id = db
            .store
            .create_user(&Actor::System("t"), new, NOW)
            .await
            .unwrap();
        Actor::Staff(Staff {
            user_id: id,
            org_id: worker.org_id,
            role: Role::Admin,
        })
    };
    assert!(matches!(
        db.store
            .set_appointment_hours(&Actor::Staff(worker), &hours(), NOW)
            .await,
        Err(StoreError::Denied(Denied::Role))
    ));
    db.store
        .set_appointment_hours(&admin, &hours(), NOW)
        .await
        .unwrap();
    assert_eq!(db.store.appointment_hours().await.unwrap(), vec![hours()]);
    let route = route(&db.store, HelpTopic::Geld, worker.org_id).await;
    let at = NOW + 3 * 24 * 3600;
    let booking = Booking {
        topic: HelpTopic::Geld,
        starts_at: at,
        mode: Mode::Balie,
        contact: None,
        reminder: Some(("email", "jansen@example.nl".into())),
    };
    let (me, other) = (Actor::Resident(ids[0]), Actor::Resident(ids[1]));
    let notes = || Notes {
        confirmation: &CONFIRM,
        reminder: Some(&REMIND),
    };
    static CONFIRM: std::sync::LazyLock<Message> = std::sync::LazyLock::new(|| m("Uw afspraak"));
    static REMIND: std::sync::LazyLock<Message> =
        std::sync::LazyLock::new(|| m("Morgen uw afspraak"));
    let id = db
        .store
        .book_appointment(&me, ids[0], (&booking, &route, &hours()), notes(), NOW)
        .await
        .unwrap();
    // The time is taken now, for anyone.
    assert_eq!(
        db.store.taken_times(HelpTopic::Geld, NOW).await.unwrap(),
        vec![(at, 30)]
    );
    let again = db
        .store
        .book_appointment(&other, ids[1], (&booking, &route, &hours()), notes(), NOW)
        .await;
    assert!(
        matches!(again, Err(StoreError::Duplicate("tijd"))),
        "{again:?}"
    );
    // The caseworker's organisation has work about Jansen now.
    db.store
        .read_resident(&Actor::Staff(worker), ids[0], Purpose::Casework, NOW)
        .await
        .unwrap();
    let mine = db.store.own_appointments(&me, ids[0], NOW).await.unwrap();
    assert_eq!(
        (mine[0].id, mine[0].mode, mine[0].minutes),
        (id, "balie", 30)
    );
    assert!(
        db.store
            .own_appointments(&other, ids[0], NOW)
            .await
            .is_err_and(|e| crate::refused(&e, Denied::NotOwnData))
    );
    // The reminder waits until a day before; only the demo "sends" it.
    assert_eq!(db.store.send_due_mail(true, NOW).await.unwrap(), 0);
    assert!(
        db.store.own_mail(&me, ids[0], NOW).await.unwrap()[0]
            .sent_at
            .is_none()
    );
    // Another resident cannot move or cancel it.
    let later = at + 3600;
    assert!(matches!(
        db.store
            .move_appointment(
                &other,
                ids[1],
                (id, later, Mode::Video, Some("jansen@example.nl".into())),
                notes(),
                NOW
            )
            .await,
        Err(StoreError::NotFound)
    ));
    db.store
        .move_appointment(
            &me,
            ids[0],
            (id, later, Mode::Video, Some("jansen@example.nl".into())),
            notes(),
            NOW + 1,
        )
        .await
        .unwrap();
    let mail = db.store.own_mail(&me, ids[0], NOW).await.unwrap();
    assert_eq!(mail[0].due_at, later - 24 * 3600);
    assert_eq!(mail[0].address, "jansen@example.nl");
    assert_eq!(
        db.store.send_due_mail(false, later).await.unwrap(),
        0,
        "production waits"
    );
    assert_eq!(
        db.store
            .send_due_mail(true, later - 24 * 3600)
            .await
            .unwrap(),
        1
    );
    // Cancel: the time is free, the work closed, a portal message.
    db.store
        .cancel_appointment(&me, ids[0], id, &m("Afgezegd"), NOW + 2)
        .await
        .unwrap();
    assert!(
        db.store
            .taken_times(HelpTopic::Geld, NOW)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        db.store
            .read_resident(&Actor::Staff(worker), ids[0], Purpose::Casework, NOW)
            .await
            .is_err_and(|e| crate::refused(&e, Denied::NoWorkRelation))
    );
    let messages = db.store.own_messages(&me, ids[0], NOW + 3).await.unwrap();
    assert_eq!(messages[0].subject, "Afgezegd");
    assert!(matches!(
        db.store
            .cancel_appointment(&me, ids[0], id, &m("x"), NOW + 4)
            .await,
        Err(StoreError::NotFound)
    ));
    // The time can be booked again.
    db.store
        .book_appointment(
            &other,
            ids[1],
            (&booking, &route, &hours()),
            notes(),
            NOW + 5,
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_reminder_for_a_cancelled_appointment_is_never_sent() {
    let (db, worker, ids) = setup().await;
    let route = route(&db.store, HelpTopic::Geld, worker.org_id).await;
    let me = Actor::Resident(ids[0]);
    let booking = Booking {
        topic: HelpTopic::Geld,
        starts_at: NOW + 2 * 24 * 3600,
        mode: Mode::Telefoon,
        contact: Some("06 1234 5678".into()),
        reminder: Some(("sms", "06 1234 5678".into())),
    };
    let (c, r) = (m("Uw afspraak"), m("Straks uw afspraak"));
    let id = db
        .store
        .book_appointment(
            &me,
            ids[0],
            (&booking, &route, &hours()),
            Notes {
                confirmation: &c,
                reminder: Some(&r),
            },
            NOW,
        )
        .await
        .unwrap();
    assert_eq!(
        db.store.own_mail(&me, ids[0], NOW).await.unwrap()[0].due_at,
        NOW + 24 * 3600
    );
    db.store
        .cancel_appointment(&me, ids[0], id, &c, NOW)
        .await
        .unwrap();
    assert_eq!(
        db.store
            .send_due_mail(true, NOW + 3 * 24 * 3600)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        db.store.own_mail(&me, ids[0], NOW).await.unwrap()[0].status,
        "vervallen"
    );
}

#[tokio::test]
async fn taken_past_and_foreign_appointments_stay_as_they_are() {
    let (db, worker, ids) = setup().await;
    let route = route(&db.store, HelpTopic::Geld, worker.org_id).await;
    let (me, other) = (Actor::Resident(ids[0]), Actor::Resident(ids[1]));
    let c = m("Uw afspraak");
    let notes = || Notes {
        confirmation: &c,
        reminder: None,
    };
    let book = |_who: ResidentId, at: i64| Booking {
        topic: HelpTopic::Geld,
        starts_at: at,
        mode: Mode::Balie,
        contact: None,
        reminder: None,
    };
    let day = 24 * 3600;
    let (mine_at, theirs_at) = (NOW + 2 * day, NOW + 3 * day);
    let mine = db
        .store
        .book_appointment(
            &me,
            ids[0],
            (&book(ids[0], mine_at), &route, &hours()),
            notes(),
            NOW,
        )
        .await
        .unwrap();
    db.store
        .book_appointment(
            &other,
            ids[1],
            (&book(ids[1], theirs_at), &route, &hours()),
            notes(),
            NOW,
        )
        .await
        .unwrap();
    // Moving onto their time, or into it (overlapping), is refused.
    for at in [theirs_at, theirs_at + 15 * 60] {
        let moved = db
            .store
            .move_appointment(&me, ids[0], (mine, at, Mode::Balie, None), notes(), NOW)
            .await;
        assert!(matches!(moved, Err(StoreError::Duplicate("tijd"))), "{at}");
    }
    // A booking that overlaps is refused too.
    let overlapping = db
        .store
        .book_appointment(
            &me,
            ids[0],
            (&book(ids[0], theirs_at - 15 * 60), &route, &hours()),
            notes(),
            NOW,
        )
        .await;
    assert!(matches!(overlapping, Err(StoreError::Duplicate("tijd"))));
    // Two planned on one subject at most.
    db.store
        .book_appointment(
            &me,
            ids[0],
            (&book(ids[0], NOW + 4 * day), &route, &hours()),
            notes(),
            NOW,
        )
        .await
        .unwrap();
    let third = db
        .store
        .book_appointment(
            &me,
            ids[0],
            (&book(ids[0], NOW + 5 * day), &route, &hours()),
            notes(),
            NOW,
        )
        .await;
    assert!(matches!(third, Err(StoreError::Duplicate("afspraak"))));
    // Someone else's: not found, and the attempt is in the log.
    let raw = db.raw().await;
    let cancelled = db
        .store
        .cancel_appointment(&other, ids[1], mine, &c, NOW)
        .await;
    assert!(matches!(cancelled, Err(StoreError::NotFound)));
    let refused: i64 = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE action = 'afspraak-afgezegd' AND outcome <> 'toegestaan'")
        .fetch_one(&raw)
        .await
        .unwrap()
        .get(0);
    assert_eq!(refused, 1);
    // Once it has taken place it cannot be cancelled or moved, and a day
    // later the team's access ends.
    let after = mine_at + 31 * 60;
    assert!(matches!(
        db.store
            .cancel_appointment(&me, ids[0], mine, &c, after)
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        db.store.finish_past_appointments(after).await.unwrap(),
        0,
        "notes day"
    );
    assert_eq!(
        db.store
            .finish_past_appointments(after + day)
            .await
            .unwrap(),
        1
    );
    let statuses: Vec<String> = db
        .store
        .own_appointments(&me, ids[0], after + day)
        .await
        .unwrap()
        .iter()
        .map(|a| a.status.clone())
        .collect();
    assert_eq!(statuses, ["geweest", "gepland"]);
    // Jansen still has the second appointment: the team keeps access for it.
    db.store
        .read_resident(
            &Actor::Staff(worker),
            ids[0],
            Purpose::Casework,
            after + day,
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_moved_reminder_is_made_again_when_the_old_one_went_out() {
    let (db, worker, ids) = setup().await;
    let route = route(&db.store, HelpTopic::Geld, worker.org_id).await;
    let me = Actor::Resident(ids[0]);
    let (c, r) = (m("Uw afspraak"), m("Morgen uw afspraak"));
    let day = 24 * 3600;
    let booking = Booking {
        topic: HelpTopic::Geld,
        starts_at: NOW + 2 * day,
        mode: Mode::Balie,
        contact: None,
        reminder: Some(("email", "jansen@example.nl".into())),
    };
    let notes = || Notes {
        confirmation: &c,
        reminder: Some(&r),
    };
    let id = db
        .store
        .book_appointment(&me, ids[0], (&booking, &route, &hours()), notes(), NOW)
        .await
        .unwrap();
    // The reminder goes out; then the resident moves the meeting a week on.
    assert_eq!(db.store.send_due_mail(true, NOW + day).await.unwrap(), 1);
    db.store
        .move_appointment(
            &me,
            ids[0],
            (id, NOW + 9 * day, Mode::Balie, None),
            notes(),
            NOW + day + 60,
        )
        .await
        .unwrap();
    let mail = db.store.own_mail(&me, ids[0], NOW).await.unwrap();
    assert_eq!(mail.len(), 2);
    assert_eq!(
        (
            mail[0].due_at,
            mail[0].status.as_str(),
            mail[0].address.as_str()
        ),
        (NOW + 8 * day, "wacht", "jansen@example.nl")
    );
}
