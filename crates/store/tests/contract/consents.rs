//! A resident's consents, and their effect on outreach.

use super::signal_work::{first_case, setup};
use super::signals::{TODAY, signal, take_in};
use super::*;
use time::macros::date;
use wegwijs_domain::consent::Topic;
use wegwijs_domain::work::EntitlementLead;
use wegwijs_store::consents::Change;

/// Jansen's household (HH-1) with an arrears case at the test municipality.
async fn with_a_case() -> (TestDb, Staff, Vec<ResidentId>) {
    let (db, worker, ids) = setup().await;
    let signals = [signal("S1", "Huur", None, "Jansen", "90000")];
    take_in(&db.store, worker.org_id, &signals, 1).await;
    (db, worker, ids)
}

#[tokio::test]
async fn a_resident_gives_and_withdraws_and_only_they_can() {
    let (db, worker, ids) = setup().await;
    let me = Actor::Resident(ids[0]);
    let before = db
        .store
        .own_consents(&me, ids[0], TODAY, NOW)
        .await
        .unwrap();
    let state = |c: &wegwijs_store::consents::Consents, t: Topic| {
        c.topics
            .iter()
            .find(|s| s.topic == t.code())
            .unwrap()
            .clone()
    };
    assert!(
        !state(&before, Topic::DelenSchuldhulp).given
            && !state(&before, Topic::DelenSchuldhulp).chosen
    );
    assert!(
        state(&before, Topic::ProactiefBenaderen).given,
        "the default"
    );
    db.store
        .change_consent(
            &me,
            ids[0],
            Change::Set(Topic::DelenSchuldhulp, true),
            NOW + 1,
        )
        .await
        .unwrap();
    db.store
        .change_consent(
            &me,
            ids[0],
            Change::Set(Topic::DelenSchuldhulp, false),
            NOW + 2,
        )
        .await
        .unwrap();
    let after = db
        .store
        .own_consents(&me, ids[0], TODAY, NOW + 3)
        .await
        .unwrap();
    let s = state(&after, Topic::DelenSchuldhulp);
    assert!(
        !s.given
            && s.chosen
            && s.text_version.as_deref() == Some(wegwijs_domain::consent::TEXT_VERSION)
    );
    // Nobody else reads or changes them; each attempt is logged.
    for other in [Actor::Resident(ids[1]), Actor::Staff(worker)] {
        assert!(
            db.store
                .own_consents(&other, ids[0], TODAY, NOW)
                .await
                .is_err_and(|e| crate::refused_any(&e))
        );
        assert!(
            db.store
                .change_consent(&other, ids[0], Change::Set(Topic::Sms, true), NOW)
                .await
                .is_err_and(|e| crate::refused_any(&e))
        );
    }
    let raw = db.raw().await;
    let history: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM consent_history WHERE resident_id = $1")
            .bind(ids[0].0)
            .fetch_one(&raw)
            .await
            .unwrap();
    assert_eq!(history, 2, "every choice kept, refused ones not");
    let log = db.store.audit_page(0, 1000, None).await.unwrap();
    let changes: Vec<&str> = log
        .iter()
        .filter(|e| e.action == "toestemming-gewijzigd")
        .map(|e| e.outcome.as_str())
        .collect();
    assert_eq!(changes.iter().filter(|o| **o == "toegestaan").count(), 2);
    assert_eq!(changes.len(), 4);
    raw.close().await;
}

#[tokio::test]
async fn a_pause_or_a_no_stops_outreach_at_once_and_ends() {
    let (db, worker, ids) = with_a_case().await;
    let org = worker.org_id;
    let me = Actor::Resident(ids[0]);
    db.store
        .change_consent(&me, ids[0], Change::Pause(date!(2026 - 12 - 31)), NOW)
        .await
        .unwrap();
    let c = db
        .store
        .own_consents(&me, ids[0], TODAY, NOW)
        .await
        .unwrap();
    assert_eq!(c.paused_until, Some(date!(2026 - 12 - 31)));
    assert_eq!(
        db.store.plan_outreach(TODAY, NOW).await.unwrap(),
        0,
        "paused"
    );
    // Nor does the scan open work for them.
    let lead = EntitlementLead {
        resident: ids[0],
        law: "zorgtoeslag".into(),
        law_name: "Zorgtoeslag".into(),
        cents_per_year: Some(100_000),
        voorziening: None,
    };
    let system = Actor::System("scan");
    let opened = db
        .store
        .open_entitlement_work(&system, org, TODAY, std::slice::from_ref(&lead), NOW)
        .await
        .unwrap();
    assert_eq!(opened.work_opened, 0, "{opened:?}");

    db.store
        .change_consent(&me, ids[0], Change::EndPause, NOW + 1)
        .await
        .unwrap();
    assert_eq!(
        db.store.plan_outreach(TODAY, NOW).await.unwrap(),
        1,
        "resumed"
    );
    db.store
        .change_consent(
            &me,
            ids[0],
            Change::Set(Topic::ProactiefBenaderen, false),
            NOW + 2,
        )
        .await
        .unwrap();
    let later = date!(2026 - 12 - 02);
    assert_eq!(db.store.plan_outreach(later, NOW).await.unwrap(), 0, "a no");
    let opened = db
        .store
        .open_entitlement_work(&system, org, later, &[lead], NOW)
        .await
        .unwrap();
    assert_eq!(opened.work_opened, 0);
}

#[tokio::test]
async fn a_pause_ends_by_its_date_and_holds_for_the_whole_household() {
    let db = TestDb::new().await;
    let worker = org_with_staff(&db.store, "Gemeente Test", Role::Caseworker).await;
    let ids = import(
        &db.store,
        &[
            record(10_000_000, "Jansen", "HH-1"),
            record(11_000_000, "Bakker", "HH-1"),
        ],
    )
    .await;
    take_in(
        &db.store,
        worker.org_id,
        &[signal("S1", "Huur", None, "Jansen", "90000")],
        1,
    )
    .await;
    // The partner pauses; the household's case gets no tasks.
    let partner = Actor::Resident(ids[1]);
    db.store
        .change_consent(&partner, ids[1], Change::Pause(date!(2026 - 11 - 30)), NOW)
        .await
        .unwrap();
    assert_eq!(db.store.plan_outreach(TODAY, NOW).await.unwrap(), 0);
    let raw = db.raw().await;
    let cases: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM signal_cases")
        .fetch_one(&raw)
        .await
        .unwrap();
    assert_eq!(
        cases, 1,
        "the household has a case; the pause kept its tasks back"
    );
    raw.close().await;
    // After its last day the pause holds no more, by date alone.
    let after = date!(2026 - 12 - 01);
    let c = db
        .store
        .own_consents(&partner, ids[1], after, NOW)
        .await
        .unwrap();
    assert_eq!(c.paused_until, None);
    assert_eq!(
        db.store
            .own_consents(&partner, ids[1], date!(2026 - 11 - 30), NOW)
            .await
            .unwrap()
            .paused_until,
        Some(date!(2026 - 11 - 30)),
        "the last day still counts"
    );
    assert!(
        db.store.plan_outreach(after, NOW).await.unwrap() > 0,
        "outreach resumes"
    );
}

#[tokio::test]
async fn a_channel_no_leaves_its_steps_out_and_open_ones_lapse() {
    let (db, worker, ids) = with_a_case().await;
    let me = Actor::Resident(ids[0]);
    let staff = Actor::Staff(worker);
    // Day 3: letter and phone call are open tasks.
    let day3 = date!(2026 - 11 - 26);
    assert_eq!(db.store.plan_outreach(day3, NOW).await.unwrap(), 2);
    db.store
        .change_consent(&me, ids[0], Change::Set(Topic::Telefoon, false), NOW)
        .await
        .unwrap();
    let case = first_case(&db, &staff).await;
    let view = db.store.signal_case(&staff, case, NOW).await.unwrap();
    let status = |kind: &str| {
        view.tasks
            .iter()
            .find(|t| t.kind.code() == kind)
            .map(|t| t.status.clone())
    };
    assert_eq!(
        status("telefoon").as_deref(),
        Some("vervallen"),
        "the open call lapses at once"
    );
    assert_eq!(status("brief").as_deref(), Some("open"), "the letter stays");
    // Day 10: the visit comes; with a no to visits it would not.
    db.store
        .change_consent(&me, ids[0], Change::Set(Topic::Huisbezoek, false), NOW)
        .await
        .unwrap();
    assert_eq!(
        db.store
            .plan_outreach(date!(2026 - 12 - 03), NOW)
            .await
            .unwrap(),
        0
    );
    db.store
        .change_consent(&me, ids[0], Change::Set(Topic::Huisbezoek, true), NOW)
        .await
        .unwrap();
    assert_eq!(
        db.store
            .plan_outreach(date!(2026 - 12 - 03), NOW)
            .await
            .unwrap(),
        1
    );
}

/// Found in review: the plan counted from the case's opening, so after a
/// pause longer than its window a case never got outreach again.
#[tokio::test]
async fn after_a_long_pause_the_plan_runs_again_from_its_end() {
    let (db, worker, ids) = with_a_case().await;
    assert_eq!(
        db.store.plan_outreach(TODAY, NOW).await.unwrap(),
        1,
        "the letter"
    );
    let me = Actor::Resident(ids[0]);
    let end = date!(2027 - 11 - 22);
    db.store
        .change_consent(&me, ids[0], Change::Pause(end), NOW)
        .await
        .unwrap();
    let staff = Actor::Staff(worker);
    let case = first_case(&db, &staff).await;
    let open = |db: &TestDb| {
        let store = db.store.clone();
        async move {
            store
                .signal_case(&staff, case, NOW)
                .await
                .unwrap()
                .tasks
                .iter()
                .filter(|t| t.status == "open")
                .map(|t| (t.kind.code().to_string(), t.due_on))
                .collect::<Vec<_>>()
        }
    };
    assert!(
        open(&db).await.is_empty(),
        "the letter lapsed with the pause"
    );
    assert_eq!(
        db.store.plan_outreach(end, NOW).await.unwrap(),
        0,
        "its last day"
    );
    let restart = date!(2027 - 11 - 23);
    assert_eq!(db.store.plan_outreach(restart, NOW).await.unwrap(), 1);
    assert_eq!(
        open(&db).await,
        [("brief".to_string(), restart)],
        "the letter again, due the day after"
    );
    assert_eq!(
        db.store
            .plan_outreach(date!(2027 - 11 - 26), NOW)
            .await
            .unwrap(),
        1,
        "the call three days later"
    );
}
