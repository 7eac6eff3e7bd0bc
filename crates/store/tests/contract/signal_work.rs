//! Signal casework: the worklist and household view (audited, own
//! municipality only), contact attempts, outreach tasks, end results,
//! objections and linking by hand.

use super::signals::{TODAY, signal, take_in};
use super::*;
use sqlx::Row;
use time::macros::date;
use wegwijs_domain::signal::{Closing, ContactAttempt, PartnerType, SignalStatus};
use wegwijs_store::signals::{CaseFilter, StatusFilter};

pub(super) async fn setup() -> (TestDb, Staff, Vec<ResidentId>) {
    let db = TestDb::new().await;
    let worker = org_with_staff(&db.store, "Gemeente Test", Role::Caseworker).await;
    let ids = import(
        &db.store,
        &[
            record(10_000_000, "Jansen", "HH-1"),
            record(20_000_000, "Bakker", "HH-2"),
        ],
    )
    .await;
    (db, worker, ids)
}

pub(super) async fn actions(
    pool: &sqlx::AnyPool,
    since: i64,
) -> Vec<(String, String, Option<i64>)> {
    sqlx::query("SELECT action, purpose, resident_id FROM audit_log WHERE seq > $1 ORDER BY seq")
        .bind(since)
        .fetch_all(pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

pub(super) async fn last_seq(pool: &sqlx::AnyPool) -> i64 {
    sqlx::query("SELECT COALESCE(MAX(seq), 0) FROM audit_log")
        .fetch_one(pool)
        .await
        .unwrap()
        .get(0)
}

/// The highest-priority open case the caseworker sees.
pub(super) async fn first_case(db: &TestDb, me: &Actor) -> i64 {
    db.store
        .signal_worklist(me, &CaseFilter::default(), 10, TODAY, NOW)
        .await
        .unwrap()[0]
        .id
}

#[tokio::test]
async fn the_worklist_orders_filters_and_audits_and_stays_in_the_municipality() {
    let (db, worker, _) = setup().await;
    let org = worker.org_id;
    take_in(
        &db.store,
        org,
        &[
            signal("S1", "Huur", None, "Jansen", "90000"),
            signal("S2", "Energie", None, "Jansen", "20000"),
            signal("S3", "Water", None, "Bakker", "5000"),
        ],
        3,
    )
    .await;
    let me = Actor::Staff(worker);
    let raw = db.raw().await;
    let seq = last_seq(&raw).await;
    let all = db
        .store
        .signal_worklist(&me, &CaseFilter::default(), 100, TODAY, NOW)
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    assert!(all[0].score >= all[1].score);
    assert_eq!(all[0].signals, 2, "the household with two creditors first");
    assert_eq!(all[0].total, Money::from_cents(110_000));
    assert_eq!(all[0].partners, [PartnerType::Energie, PartnerType::Huur]);
    // One entry for the view, pointing to the list of the two contacts.
    let logged = actions(&raw, seq).await;
    assert_eq!(logged.len(), 1);
    assert!(
        logged
            .iter()
            .all(|(a, p, r)| a == "signalenlijst-bekeken" && p == "dienstverlening" && r.is_none())
    );
    let listed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_list_members m JOIN audit_log a ON a.list_digest = m.digest \
         WHERE a.seq > $1",
    )
    .bind(seq)
    .fetch_one(&raw)
    .await
    .unwrap();
    assert_eq!(listed, 2);

    let water = CaseFilter {
        partner: Some(PartnerType::Water),
        ..Default::default()
    };
    let only = db
        .store
        .signal_worklist(&me, &water, 100, TODAY, NOW)
        .await
        .unwrap();
    assert_eq!(only.len(), 1);
    let elsewhere = CaseFilter {
        wijk: Some("Noord".into()),
        ..Default::default()
    };
    assert!(
        db.store
            .signal_worklist(&me, &elsewhere, 100, TODAY, NOW)
            .await
            .unwrap()
            .is_empty()
    );
    let old = CaseFilter {
        min_age_days: Some(3),
        ..Default::default()
    };
    assert!(
        db.store
            .signal_worklist(&me, &old, 100, TODAY, NOW)
            .await
            .unwrap()
            .is_empty()
    );
    let closed = CaseFilter {
        status: StatusFilter::Closed,
        ..Default::default()
    };
    assert!(
        db.store
            .signal_worklist(&me, &closed, 100, TODAY, NOW)
            .await
            .unwrap()
            .is_empty()
    );

    // The household view: members, signals, all audited.
    let case = db.store.signal_case(&me, all[0].id, NOW).await.unwrap();
    assert_eq!(case.signals.len(), 2);
    assert_eq!(case.members.len(), 1);
    assert!(!format!("{:?}", case.signals[0]).contains("Jansen"));

    // Another municipality's caseworker sees nothing, and the refusal is logged.
    let other = Actor::Staff(org_with_staff(&db.store, "Gemeente Anders", Role::Caseworker).await);
    assert!(
        db.store
            .signal_worklist(&other, &CaseFilter::default(), 100, TODAY, NOW)
            .await
            .unwrap()
            .is_empty()
    );
    let seq = last_seq(&raw).await;
    let refused = db.store.signal_case(&other, all[0].id, NOW).await;
    assert!(matches!(
        refused,
        Err(StoreError::Denied(Denied::NoWorkRelation))
    ));
    assert_eq!(actions(&raw, seq).await.len(), 1);
    // Admins and privacy officers have no signal work.
    for role in [Role::Admin, Role::PrivacyOfficer] {
        let a = Actor::Staff(Staff { role, ..worker });
        assert!(
            db.store
                .signal_worklist(&a, &CaseFilter::default(), 10, TODAY, NOW)
                .await
                .is_err_and(|e| crate::refused(&e, Denied::Role))
        );
        assert!(
            db.store
                .signal_case(&a, all[0].id, NOW)
                .await
                .is_err_and(|e| crate::refused(&e, Denied::Role))
        );
    }
    raw.close().await;
}

#[tokio::test]
async fn outreach_attempts_and_end_results() {
    let (db, worker, ids) = setup().await;
    let org = worker.org_id;
    take_in(
        &db.store,
        org,
        &[signal("S1", "Huur", None, "Jansen", "90000")],
        1,
    )
    .await;
    let me = Actor::Staff(worker);
    let raw = db.raw().await;
    let case = first_case(&db, &me).await;

    // The plan (letter day 0, phone day 3, visit day 10) makes tasks as days come.
    assert_eq!(db.store.plan_outreach(TODAY, NOW).await.unwrap(), 1);
    assert_eq!(
        db.store.plan_outreach(TODAY, NOW).await.unwrap(),
        0,
        "once a day is enough"
    );
    let later = date!(2026 - 12 - 02);
    assert_eq!(db.store.plan_outreach(later, NOW).await.unwrap(), 2);

    let attempt =
        ContactAttempt::new("huisbezoek", "2026-12-02", "middag", "nee", TODAY, later).unwrap();
    db.store
        .record_contact_attempt(&me, case, &attempt, NOW)
        .await
        .unwrap();
    let view = db.store.signal_case(&me, case, NOW).await.unwrap();
    assert_eq!(view.picked_up_on, Some(later));
    assert_eq!(view.attempts.len(), 1);
    let statuses: Vec<(&str, &str)> = view
        .tasks
        .iter()
        .map(|t| (t.kind.code(), t.status.as_str()))
        .collect();
    assert!(statuses.contains(&("huisbezoek", "gedaan")));
    assert!(
        statuses.contains(&("kaartje", "open")),
        "nobody home: leave a card"
    );

    // Another municipality cannot record on this case.
    let other = Actor::Staff(org_with_staff(&db.store, "Gemeente Anders", Role::Caseworker).await);
    assert!(
        db.store
            .record_contact_attempt(&other, case, &attempt, NOW)
            .await
            .is_err_and(|e| crate::refused(&e, Denied::NoWorkRelation))
    );

    // Help accepted: the case becomes a trajectory, and the caseworker may read the resident.
    let closing = Closing::new("vervolghulp-financieel", false, "", later).unwrap();
    db.store
        .close_signal_case(&me, case, &closing, later, NOW)
        .await
        .unwrap();
    let view = db.store.signal_case(&me, case, NOW).await.unwrap();
    assert_eq!(
        view.line.result,
        Some(wegwijs_domain::signal::EndResult::VervolghulpFinancieel)
    );
    assert_eq!(view.trajectory_on, Some(later));
    // The case's own work closed with it; the help after it is new work.
    let open: Vec<(String, String)> = sqlx::query(
        "SELECT kind, status FROM work_items WHERE kind IN ('signaal', 'traject') ORDER BY id",
    )
    .fetch_all(&raw)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect();
    let pair = |k: &str, s: &str| (k.to_string(), s.to_string());
    assert_eq!(open, [pair("signaal", "closed"), pair("traject", "open")]);
    assert!(
        db.store
            .read_resident(&me, ids[0], Purpose::Casework, NOW)
            .await
            .is_ok()
    );
    let open_tasks: i64 = sqlx::query("SELECT COUNT(*) FROM outreach_tasks WHERE status = 'open'")
        .fetch_one(&raw)
        .await
        .unwrap()
        .get(0);
    assert_eq!(open_tasks, 0);
    assert!(
        db.store
            .close_signal_case(&me, case, &closing, later, NOW)
            .await
            .is_err_and(|e| crate::not_found(&e))
    );
    raw.close().await;
}

#[tokio::test]
async fn a_refusal_with_an_objection_keeps_the_household_out_of_new_cases() {
    let (db, worker, _) = setup().await;
    let org = worker.org_id;
    take_in(
        &db.store,
        org,
        &[signal("S1", "Huur", None, "Bakker", "90000")],
        1,
    )
    .await;
    let me = Actor::Staff(worker);
    let case = first_case(&db, &me).await;
    let closing = Closing::new("geen-hulp-nodig", true, "2027-05-22", TODAY).unwrap();
    db.store
        .close_signal_case(&me, case, &closing, TODAY, NOW)
        .await
        .unwrap();
    let s = take_in(
        &db.store,
        org,
        &[
            signal("S2", "Huur", None, "Bakker", "95000"),
            signal("S3", "Energie", None, "Bakker", "10000"),
        ],
        2,
    )
    .await;
    assert_eq!(
        (s.objected, s.cases_opened),
        (1, 1),
        "same arrears: not again; other arrears: yes"
    );
}

#[tokio::test]
async fn queued_signals_are_linked_by_hand_to_a_candidate_only() {
    let (db, worker, ids) = setup().await;
    let org = worker.org_id;
    // Nobody by that name at this address: the queue.
    take_in(
        &db.store,
        org,
        &[signal("S1", "Huur", None, "Pietersen", "90000")],
        1,
    )
    .await;
    let me = Actor::Staff(worker);
    assert_eq!(db.store.signal_queue_len(org).await.unwrap(), 1);
    let queue = db.store.signal_queue(&me, 50, NOW).await.unwrap();
    assert_eq!(queue.len(), 1);
    let (s, candidates) = db.store.queued_signal(&me, queue[0].id, NOW).await.unwrap();
    assert_eq!(candidates.len(), 2, "both residents at the address");
    // A resident who is not a candidate cannot be chosen.
    let stranger = import(
        &db.store,
        &[{
            let mut r = record(30_000_000, "Visser", "HH-3");
            r.address = Address::new("Kerkweg", "1", "", "", "9999 ZZ", "Elders").unwrap();
            r
        }],
    )
    .await;
    let far = *stranger.iter().find(|i| !ids.contains(i)).unwrap();
    assert!(
        db.store
            .link_signal(&me, s.id, far, TODAY, NOW)
            .await
            .is_err_and(|e| crate::not_found(&e))
    );
    let other = Actor::Staff(org_with_staff(&db.store, "Gemeente Anders", Role::Caseworker).await);
    assert!(
        db.store
            .link_signal(&other, s.id, ids[1], TODAY, NOW)
            .await
            .is_err_and(|e| crate::not_found(&e))
    );
    let case = db
        .store
        .link_signal(&me, s.id, ids[1], TODAY, NOW)
        .await
        .unwrap();
    assert_eq!(db.store.signal_queue_len(org).await.unwrap(), 0);
    let view = db.store.signal_case(&me, case, NOW).await.unwrap();
    assert_eq!(view.signals[0].match_code, "hand");
    assert!(view.line.score > 0, "priority computed on linking");

    take_in(
        &db.store,
        org,
        &[signal("S2", "Water", None, "Onbekend", "100")],
        1,
    )
    .await;
    let q = db.store.signal_queue(&me, 50, NOW).await.unwrap();
    db.store
        .set_signal_aside(&me, q[0].id, SignalStatus::GeenInwoner, NOW)
        .await
        .unwrap();
    assert_eq!(db.store.signal_queue_len(org).await.unwrap(), 0);
    assert!(
        db.store
            .set_signal_aside(&me, q[0].id, SignalStatus::GeenInwoner, NOW)
            .await
            .is_err_and(|e| crate::not_found(&e))
    );
}
