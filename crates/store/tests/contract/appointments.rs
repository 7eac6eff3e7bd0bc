//! Afspraken: hours, booking once per time, moving and cancelling with the
//! reminder, and the outbox.

use super::signal_work::setup;
use super::*;
use wegwijs_domain::appointment::{Hours, Mode};
use wegwijs_domain::help::{HelpRoute, HelpTopic};
use wegwijs_store::appointments::{Booking, Notes};
use wegwijs_store::outbox::Message;

fn hours() -> Hours {
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
    let route = HelpRoute::validate(
        HelpTopic::Geld,
        worker.org_id,
        "Geldzaken",
        "3",
        "0570 123 456",
    )
    .unwrap();
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
        vec![at]
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
            .is_err()
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
            .is_err()
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
    let route = HelpRoute::validate(
        HelpTopic::Geld,
        worker.org_id,
        "Geldzaken",
        "3",
        "0570 123 456",
    )
    .unwrap();
    let me = Actor::Resident(ids[0]);
    let booking = Booking {
        topic: HelpTopic::Geld,
        starts_at: NOW + 3600,
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
    // Less than a day ahead: the reminder is due at once.
    assert_eq!(
        db.store.own_mail(&me, ids[0], NOW).await.unwrap()[0].due_at,
        NOW
    );
    db.store
        .cancel_appointment(&me, ids[0], id, &c, NOW)
        .await
        .unwrap();
    assert_eq!(db.store.send_due_mail(true, NOW + 10).await.unwrap(), 0);
    assert_eq!(
        db.store.own_mail(&me, ids[0], NOW).await.unwrap()[0].status,
        "vervallen"
    );
}
