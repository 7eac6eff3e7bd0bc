//! Contacts with begrijpen/willen/kunnen and accommodations on both
//! databases: kept in the organisation's dossier, read only where it is
//! shown, seen by the resident, and applied where Wegwijs can — a longer
//! appointment, a reminder by text, a call after a letter — with the
//! household's consent first.

use super::appointments::hours;
use super::requests::route;
use super::signal_work::{first_case, setup};
use super::signals::{TODAY, signal, take_in};
use super::*;
use sqlx::Row;
use wegwijs_domain::accommodation::{Accommodation, Noted};
use wegwijs_domain::appointment::Mode;
use wegwijs_domain::bwk::{ContactRecord, Reading, TypedContact};
use wegwijs_domain::consent::Topic;
use wegwijs_domain::help::HelpTopic;
use wegwijs_store::appointments::{Booking, Notes};
use wegwijs_store::consents::Change;
use wegwijs_store::outbox::Message;

fn contact(day: &str, willen: &str) -> ContactRecord {
    let typed = TypedContact {
        datum: day.into(),
        vorm: "telefoon".into(),
        besproken: "De huur besproken.".into(),
        begrijpen: "ja".into(),
        willen: willen.into(),
        kunnen: "niet-besproken".into(),
        kunnen_notitie: "Volgende keer.".into(),
        ..TypedContact::default()
    };
    ContactRecord::validate(&typed, today()).unwrap()
}

#[tokio::test]
async fn contacts_and_accommodations_are_the_organisations_dossier() {
    let (db, worker, ids) = setup().await;
    let me = Actor::Staff(worker);
    // No open work: no dossier to write in; the refusal is logged.
    assert!(
        db.store
            .record_contact(&me, ids[0], &contact("2026-09-18", "ja"), NOW)
            .await
            .is_err_and(|e| refused(&e, Denied::NoWorkRelation))
    );
    db.store
        .open_work(&IMPORT, worker.org_id, ids[0], WorkKind::Hulpvraag, NOW)
        .await
        .unwrap();
    db.store
        .record_contact(&me, ids[0], &contact("2026-09-14", "nee"), NOW)
        .await
        .unwrap();
    db.store
        .record_contact(&me, ids[0], &contact("2026-09-18", "deels"), NOW + 1)
        .await
        .unwrap();
    let seen = db.store.contacts_for(&me, ids[0], NOW + 2).await.unwrap();
    let course: Vec<Reading> = seen.iter().map(|c| c.pillars[1].1).collect();
    assert_eq!(course, [Reading::Deels, Reading::Nee], "newest first");
    assert_eq!(seen[0].pillars[2].2, "Volgende keer.");
    assert_eq!(seen[0].by, "Test Persoon");

    let noted = Noted(vec![Accommodation::Tolk, Accommodation::ExtraTijd]);
    db.store
        .set_accommodations(&me, ids[0], &noted, NOW)
        .await
        .unwrap();
    assert_eq!(
        db.store
            .accommodations_for(&me, ids[0], NOW)
            .await
            .unwrap()
            .0,
        [Accommodation::Tolk, Accommodation::ExtraTijd]
    );
    // The resident sees what was noted, by whom; another resident cannot.
    let own = db
        .store
        .own_accommodations(&Actor::Resident(ids[0]), ids[0], NOW)
        .await
        .unwrap();
    assert_eq!(own.len(), 1);
    let mut sorted = noted.clone();
    sorted.0.sort_unstable();
    assert_eq!(
        (own[0].org_name.as_str(), &own[0].noted),
        ("Gemeente Test", &sorted)
    );
    assert!(
        db.store
            .own_accommodations(&Actor::Resident(ids[1]), ids[0], NOW)
            .await
            .is_err_and(|e| refused(&e, Denied::NotOwnData))
    );
    // Another organisation without work sees none of it.
    let other = Actor::Staff(org_with_staff(&db.store, "Gemeente Anders", Role::Caseworker).await);
    assert!(
        db.store
            .contacts_for(&other, ids[0], NOW)
            .await
            .is_err_and(|e| refused(&e, Denied::NoWorkRelation))
    );
    let raw = db.raw().await;
    let logged: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('contact-vastgelegd', 'contacten-gelezen', \
         'aanpassingen-gewijzigd', 'aanpassingen-gelezen')",
    )
    .fetch_one(&raw)
    .await
    .unwrap();
    assert!(
        logged >= 8,
        "each write, read and refusal is logged: {logged}"
    );
}

static CONFIRM: std::sync::LazyLock<Message> = std::sync::LazyLock::new(|| Message {
    subject: "Uw afspraak".into(),
    body: "Tot dan.".into(),
});
static REMIND: std::sync::LazyLock<Message> = std::sync::LazyLock::new(|| Message {
    subject: "Morgen uw afspraak".into(),
    body: "Tot morgen.".into(),
});

#[tokio::test]
async fn more_time_makes_a_longer_appointment_and_a_text_reminder_follows_consent() {
    let (db, worker, ids) = setup().await;
    let me = Actor::Staff(worker);
    let admin = Actor::Staff(Staff {
        user_id: 0,
        org_id: worker.org_id,
        role: Role::Admin,
    });
    db.store
        .set_appointment_hours(&admin, &hours(), NOW)
        .await
        .unwrap();
    let route = route(&db.store, HelpTopic::Geld, worker.org_id).await;
    for r in &ids {
        db.store
            .open_work(&IMPORT, worker.org_id, *r, WorkKind::Hulpvraag, NOW)
            .await
            .unwrap();
    }
    let both = Noted(vec![
        Accommodation::ExtraTijd,
        Accommodation::HerinneringSms,
    ]);
    for r in &ids {
        db.store
            .set_accommodations(&me, *r, &both, NOW)
            .await
            .unwrap();
    }
    // Resident 1's household said no to text messages.
    db.store
        .change_consent(
            &Actor::Resident(ids[1]),
            ids[1],
            Change::Set(Topic::Sms, false),
            NOW,
        )
        .await
        .unwrap();
    let free = hours().free_slots(time::OffsetDateTime::from_unix_timestamp(NOW).unwrap(), &[]);
    let notes = || Notes {
        confirmation: &CONFIRM,
        reminder: Some(&REMIND),
    };
    let mut booked = Vec::new();
    for (i, r) in ids.iter().enumerate() {
        let booking = Booking {
            topic: HelpTopic::Geld,
            starts_at: free[10 + 4 * i],
            mode: Mode::Telefoon,
            contact: Some("06 12345678".into()),
            reminder: Some(("email", "jansen@example.nl".into())),
        };
        booked.push(
            db.store
                .book_appointment(
                    &Actor::Resident(*r),
                    *r,
                    (&booking, &route, &hours()),
                    notes(),
                    NOW,
                )
                .await
                .unwrap(),
        );
    }
    let raw = db.raw().await;
    for (i, id) in booked.iter().enumerate() {
        let minutes: i64 = sqlx::query_scalar("SELECT minutes FROM appointments WHERE id = $1")
            .bind(*id)
            .fetch_one(&raw)
            .await
            .unwrap();
        assert_eq!(minutes, 60, "a double slot with more time");
        let reminder = sqlx::query(
            "SELECT channel, address FROM outbox WHERE about = $1 AND subject = 'Morgen uw afspraak'",
        )
        .bind(format!("afspraak:{id}"))
        .fetch_one(&raw)
        .await
        .unwrap();
        let got: (String, String) = (reminder.get("channel"), reminder.get("address"));
        let want = if i == 0 {
            ("sms", "06 12345678")
        } else {
            ("email", "jansen@example.nl") // text refused: the resident's own choice
        };
        assert_eq!((got.0.as_str(), got.1.as_str()), want);
    }
    // The next half hour is taken too.
    let taken = db.store.taken_times(HelpTopic::Geld, NOW).await.unwrap();
    assert!(taken.contains(&(free[10], 60)));
}

#[tokio::test]
async fn a_letter_is_followed_by_a_call_unless_the_phone_is_not_wanted() {
    let (db, worker, ids) = setup().await;
    take_in(
        &db.store,
        worker.org_id,
        &[signal("S1", "Huur", None, "Jansen", "90000")],
        1,
    )
    .await;
    let me = Actor::Staff(worker);
    let case = first_case(&db, &me).await;
    let letter = wegwijs_domain::signal::ContactAttempt::new(
        "brief",
        "2026-11-27",
        "ochtend",
        "nee",
        TODAY,
        time::macros::date!(2026 - 11 - 27),
    )
    .unwrap();
    let raw = db.raw().await;
    let calls = || {
        let raw = raw.clone();
        async move {
            sqlx::query("SELECT due_on FROM outreach_tasks WHERE case_id = $1 AND step = -2 AND status = 'open'")
                .bind(case)
                .fetch_all(&raw)
                .await
                .unwrap()
                .iter()
                .map(|r| r.get::<String, _>(0))
                .collect::<Vec<_>>()
        }
    };
    // Without the accommodation a letter is only a letter.
    db.store
        .record_contact_attempt(&me, case, &letter, NOW)
        .await
        .unwrap();
    assert!(calls().await.is_empty());
    let call = Noted(vec![Accommodation::BelNaBrief]);
    db.store
        .set_accommodations(&me, ids[0], &call, NOW)
        .await
        .unwrap();
    db.store
        .record_contact_attempt(&me, case, &letter, NOW + 1)
        .await
        .unwrap();
    // Friday 27 November: the call is due on Monday.
    assert_eq!(calls().await, ["2026-11-30"]);
    // "Liever geen telefoon" holds it back.
    sqlx::query("UPDATE outreach_tasks SET status = 'gedaan' WHERE case_id = $1 AND step = -2")
        .bind(case)
        .execute(&raw)
        .await
        .unwrap();
    let both = Noted(vec![
        Accommodation::BelNaBrief,
        Accommodation::LieverGeenTelefoon,
    ]);
    db.store
        .set_accommodations(&me, ids[0], &both, NOW)
        .await
        .unwrap();
    db.store
        .record_contact_attempt(&me, case, &letter, NOW + 2)
        .await
        .unwrap();
    assert!(calls().await.is_empty());
}

#[tokio::test]
async fn the_retention_term_removes_the_dossier_with_the_case() {
    use wegwijs_domain::note::NewNote;
    let (db, worker, ids) = setup().await;
    let org = worker.org_id;
    take_in(
        &db.store,
        org,
        &[
            signal("S1", "Huur", None, "Jansen", "100"),
            signal("S2", "Water", None, "Bakker", "100"),
        ],
        2,
    )
    .await;
    let me = Actor::Staff(worker);
    let note = NewNote::validate("gesprek", "Huur besproken.", "").unwrap();
    for r in &ids {
        db.store.add_note(&me, *r, &note, NOW).await.unwrap();
        db.store
            .record_contact(&me, *r, &contact("2026-09-18", "ja"), NOW)
            .await
            .unwrap();
    }
    // Bakker also asked a question: that work keeps the dossier.
    db.store
        .open_work(&IMPORT, org, ids[1], WorkKind::Hulpvraag, NOW)
        .await
        .unwrap();
    let raw = db.raw().await;
    let rows = |table: &'static str, r: ResidentId| {
        let raw = raw.clone();
        async move {
            let n: i64 = sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM {table} WHERE resident_id = $1"
            ))
            .bind(r.0)
            .fetch_one(&raw)
            .await
            .unwrap();
            n
        }
    };
    // Neither case was picked up: seven months on both go, with their work.
    let runs = db
        .store
        .apply_retention(time::macros::date!(2027 - 06 - 23), NOW)
        .await
        .unwrap();
    assert_eq!(runs[0].1.cases, 2);
    let signal_work: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM work_items WHERE kind = 'signaal'")
            .fetch_one(&raw)
            .await
            .unwrap();
    assert_eq!(signal_work, 0, "no line of a case that is gone");
    for table in ["case_notes", "contact_records"] {
        assert_eq!(rows(table, ids[0]).await, 0, "{table} of Jansen");
        assert_eq!(
            rows(table, ids[1]).await,
            1,
            "{table} of Bakker, with open work"
        );
    }
}

#[tokio::test]
async fn contact_details_are_given_once_and_fill_every_form() {
    use wegwijs_domain::contact::{ContactDetails, Preferred};
    let (db, worker, ids) = setup().await;
    let me = Actor::Resident(ids[0]);
    let d = ContactDetails::validate(
        "06 12345678",
        "jansen@example.nl",
        "sms",
        "niet voor 10 uur",
    )
    .unwrap();
    db.store
        .set_contact_details(&me, ids[0], &d, NOW)
        .await
        .unwrap();
    let own = db
        .store
        .contact_details(&me, ids[0], NOW)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (own.preferred, own.avoid.as_str()),
        (Preferred::Sms, "niet voor 10 uur")
    );
    // Every form that asks how to reach the resident starts from them.
    let known = db.store.known_contact_ways(&me, ids[0], NOW).await.unwrap();
    assert_eq!(known.email.as_deref(), Some("jansen@example.nl"));
    // Nobody else sets or reads them; staff where they may see the contact.
    assert!(
        db.store
            .set_contact_details(&Actor::Resident(ids[1]), ids[0], &d, NOW)
            .await
            .is_err_and(|e| refused(&e, Denied::NotOwnData))
    );
    let staff = Actor::Staff(worker);
    assert!(
        db.store
            .contact_details(&staff, ids[0], NOW)
            .await
            .is_err_and(|e| refused(&e, Denied::NoWorkRelation))
    );
    db.store
        .open_work(&IMPORT, worker.org_id, ids[0], WorkKind::Hulpvraag, NOW)
        .await
        .unwrap();
    let seen = db
        .store
        .contact_details(&staff, ids[0], NOW)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(seen.ways.phone.as_deref(), Some("06 12345678"));
    // Changed once more: the newest holds.
    let post = ContactDetails::validate("", "jansen@example.nl", "brief", "").unwrap();
    db.store
        .set_contact_details(&me, ids[0], &post, NOW + 1)
        .await
        .unwrap();
    let own = db
        .store
        .contact_details(&me, ids[0], NOW)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((own.preferred, own.ways.phone), (Preferred::Brief, None));
}
