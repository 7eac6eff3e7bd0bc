//! Signal casework: the worklist and household view (audited, own
//! municipality only), contact attempts, outreach tasks, end results,
//! objections, linking by hand, quarantine retries, partner tokens,
//! retention and the DDAS report.

use super::signals::{TODAY, count, signal, source, take_in};
use super::*;
use sqlx::Row;
use time::macros::date;
use wegwijs_domain::signal::{
    Closing, ContactAttempt, PartnerType, Signal, SignalFields, SignalStatus,
};
use wegwijs_store::signals::{
    CaseFilter, Quarantined, ReportIdentity, ReportPeriod, SignalSource, SourceKind, StatusFilter,
};

async fn setup() -> (TestDb, Staff, Vec<ResidentId>) {
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

async fn actions(pool: &sqlx::AnyPool, since: i64) -> Vec<(String, String, Option<i64>)> {
    sqlx::query("SELECT action, purpose, resident_id FROM audit_log WHERE seq > $1 ORDER BY seq")
        .bind(since)
        .fetch_all(pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

async fn last_seq(pool: &sqlx::AnyPool) -> i64 {
    sqlx::query("SELECT COALESCE(MAX(seq), 0) FROM audit_log")
        .fetch_one(pool)
        .await
        .unwrap()
        .get(0)
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
    let logged = actions(&raw, seq).await;
    assert_eq!(logged.len(), 2);
    assert!(
        logged
            .iter()
            .all(|(a, p, r)| a == "signalenlijst-bekeken" && p == "dienstverlening" && r.is_some())
    );

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
                .is_err()
        );
        assert!(db.store.signal_case(&a, all[0].id, NOW).await.is_err());
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
    let case = db
        .store
        .signal_worklist(&me, &CaseFilter::default(), 10, TODAY, NOW)
        .await
        .unwrap()[0]
        .id;

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
            .is_err()
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
    let work: i64 =
        sqlx::query("SELECT COUNT(*) FROM work_items WHERE kind = 'signaal' AND status = 'open'")
            .fetch_one(&raw)
            .await
            .unwrap()
            .get(0);
    assert_eq!(work, 1);
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
            .is_err()
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
    let case = db
        .store
        .signal_worklist(&me, &CaseFilter::default(), 10, TODAY, NOW)
        .await
        .unwrap()[0]
        .id;
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
            .is_err()
    );
    let other = Actor::Staff(org_with_staff(&db.store, "Gemeente Anders", Role::Caseworker).await);
    assert!(
        db.store
            .link_signal(&other, s.id, ids[1], TODAY, NOW)
            .await
            .is_err()
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
            .is_err()
    );
}

fn fields_of(values: &[(usize, &str)]) -> Vec<String> {
    let mut f = vec![String::new(); 20];
    for (i, v) in values {
        f[*i] = v.to_string();
    }
    f
}

#[tokio::test]
async fn a_corrected_quarantined_row_is_taken_in_once() {
    let (db, worker, _) = setup().await;
    let org = worker.org_id;
    let mut import = db
        .store
        .begin_signal_import(&IMPORT, org, &source(), 1, NOW, TODAY)
        .await
        .unwrap();
    import
        .quarantine(&[Quarantined {
            line: 2,
            fields: fields_of(&[
                (0, "Q1"),
                (1, "Huur"),
                (6, "Jansen"),
                (7, "1980-05-31"),
                (9, "12"),
                (11, "1234 XX!"),
                (15, "100"),
                (16, "2026-06-01"),
                (17, "2026-11-01"),
            ]),
            problems: vec![wegwijs_domain::ValidationError::new(
                "Postcode",
                wegwijs_domain::Problem::PostcodeFormat,
            )],
        }])
        .await
        .unwrap();
    import.commit().await.unwrap();
    let admin = Actor::Staff(Staff {
        role: Role::Admin,
        ..worker
    });
    let rows = db.store.quarantine_rows(&admin, 100, NOW).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].problems[0].1, "postcode-format");
    assert!(
        db.store
            .quarantine_rows(&Actor::Staff(worker), 100, NOW)
            .await
            .is_err()
    );
    let mut fixed = rows[0].fields.clone();
    fixed[11] = "1234 AB".into();
    let refs: Vec<&str> = fixed.iter().map(String::as_str).collect();
    let signal = Signal::validate(&SignalFields(refs.try_into().unwrap()), TODAY).unwrap();
    let corrected = SignalSource {
        kind: SourceKind::Correction,
        name: "regel 2".into(),
        sha256: None,
        token: None,
    };
    let mut retry = db
        .store
        .begin_signal_import(&admin, org, &corrected, 1, NOW, TODAY)
        .await
        .unwrap();
    retry.push(std::slice::from_ref(&signal)).await.unwrap();
    retry.resolve_quarantined(rows[0].id).await.unwrap();
    let s = retry.commit().await.unwrap();
    assert_eq!((s.new, s.matched_name), (1, 1));
    assert!(
        db.store
            .quarantine_rows(&admin, 100, NOW)
            .await
            .unwrap()
            .is_empty()
    );
    let mut again = db
        .store
        .begin_signal_import(&admin, org, &corrected, 1, NOW, TODAY)
        .await
        .unwrap();
    assert!(
        again.resolve_quarantined(rows[0].id).await.is_err(),
        "resolved rows stay resolved"
    );
}

#[tokio::test]
async fn partners_hear_only_picked_up_or_not_about_their_own_signals() {
    let (db, worker, _) = setup().await;
    let org = worker.org_id;
    let admin = Actor::Staff(org_with_staff(&db.store, "Gemeente Test Beheer", Role::Admin).await);
    // The admin of another municipality makes tokens for that one; use the own admin.
    let admin = match admin {
        Actor::Staff(s) => Actor::Staff(Staff { org_id: org, ..s }),
        a => a,
    };
    let t1 = db
        .store
        .create_partner_token(&admin, "Woonstad", PartnerType::Huur, "hash-1", NOW)
        .await
        .unwrap();
    let t2 = db
        .store
        .create_partner_token(&admin, "Stroom BV", PartnerType::Energie, "hash-2", NOW)
        .await
        .unwrap();
    assert!(
        db.store
            .create_partner_token(&Actor::Staff(worker), "x", PartnerType::Huur, "hash-3", NOW)
            .await
            .is_err()
    );
    let key1 = db
        .store
        .partner_by_token("hash-1", NOW)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (key1.token_id, key1.org, key1.partner),
        (t1, org, PartnerType::Huur)
    );
    assert!(
        db.store
            .partner_by_token("nope", NOW)
            .await
            .unwrap()
            .is_none()
    );

    let api = |token| SignalSource {
        kind: SourceKind::Api,
        name: "api".into(),
        sha256: None,
        token: Some(token),
    };
    for (token, s) in [
        (t1, signal("H1", "Huur", None, "Jansen", "100")),
        (t2, signal("E1", "Energie", None, "Bakker", "100")),
    ] {
        let mut i = db
            .store
            .begin_signal_import(&IMPORT, org, &api(token), 1, NOW, TODAY)
            .await
            .unwrap();
        i.push(&[s]).await.unwrap();
        i.commit().await.unwrap();
    }
    let ids = vec!["H1".to_string(), "E1".to_string(), "X".to_string()];
    assert_eq!(
        db.store.partner_feedback(&key1, &ids, NOW).await.unwrap(),
        [("H1".to_string(), false)]
    );
    let me = Actor::Staff(worker);
    let case = db
        .store
        .signal_worklist(&me, &CaseFilter::default(), 10, TODAY, NOW)
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.partners == [PartnerType::Huur])
        .unwrap()
        .id;
    let attempt =
        ContactAttempt::new("brief", "2026-11-22", "ochtend", "nee", TODAY, TODAY).unwrap();
    db.store
        .record_contact_attempt(&me, case, &attempt, NOW)
        .await
        .unwrap();
    assert_eq!(
        db.store.partner_feedback(&key1, &ids, NOW).await.unwrap(),
        [("H1".to_string(), true)]
    );

    assert_eq!(db.store.partner_tokens(&admin).await.unwrap().len(), 2);
    db.store
        .revoke_partner_token(&admin, t1, NOW)
        .await
        .unwrap();
    assert!(
        db.store
            .partner_by_token("hash-1", NOW)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        db.store
            .revoke_partner_token(&admin, t1, NOW)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn retention_deletes_by_term_and_keeps_counts_only() {
    let (db, worker, _) = setup().await;
    let org = worker.org_id;
    take_in(
        &db.store,
        org,
        &[
            signal("S1", "Huur", None, "Jansen", "100"),
            signal("S2", "Huur", None, "Nobody", "100"),
        ],
        2,
    )
    .await;
    let me = Actor::Staff(worker);
    let raw = db.raw().await;
    // Five months on: nothing is due yet.
    let runs = db
        .store
        .apply_retention(date!(2027 - 04 - 22), NOW)
        .await
        .unwrap();
    assert_eq!(runs[0].1.signals, 0);
    // Seven months on, nothing was picked up: both signals and the case go.
    let runs = db
        .store
        .apply_retention(date!(2027 - 06 - 23), NOW)
        .await
        .unwrap();
    assert_eq!((runs[0].1.signals, runs[0].1.cases), (2, 1));
    assert_eq!(count(&raw, "signals").await, 0);

    // A picked-up case stays until twelve months after it closed.
    take_in(
        &db.store,
        org,
        &[signal("S3", "Huur", None, "Bakker", "100")],
        1,
    )
    .await;
    let case = db
        .store
        .signal_worklist(&me, &CaseFilter::default(), 10, TODAY, NOW)
        .await
        .unwrap()[0]
        .id;
    let attempt =
        ContactAttempt::new("telefoon", "2026-11-22", "ochtend", "ja", TODAY, TODAY).unwrap();
    db.store
        .record_contact_attempt(&me, case, &attempt, NOW)
        .await
        .unwrap();
    let closing = Closing::new("advies", false, "", TODAY).unwrap();
    db.store
        .close_signal_case(&me, case, &closing, TODAY, NOW)
        .await
        .unwrap();
    let runs = db
        .store
        .apply_retention(date!(2027 - 11 - 21), NOW)
        .await
        .unwrap();
    assert_eq!(runs[0].1.signals, 0);
    let runs = db
        .store
        .apply_retention(date!(2027 - 11 - 23), NOW)
        .await
        .unwrap();
    assert_eq!((runs[0].1.signals, runs[0].1.cases), (1, 1));
    assert_eq!(count(&raw, "contact_attempts").await, 0);
    let detail: String = sqlx::query("SELECT detail FROM audit_log WHERE action = 'bewaartermijn-toegepast' ORDER BY seq DESC LIMIT 1")
        .fetch_one(&raw)
        .await
        .unwrap()
        .get(0);
    assert!(detail.contains("1 signalen"), "{detail}");
    assert_eq!(count(&raw, "signal_retention_runs").await, 4);
    raw.close().await;
}

#[tokio::test]
async fn the_ddas_report_covers_the_period() {
    let (db, worker, _) = setup().await;
    let org = worker.org_id;
    take_in(
        &db.store,
        org,
        &[
            signal("S1", "Huur", None, "Jansen", "45050"),
            signal("S2", "Water", None, "Nobody", "100"),
        ],
        2,
    )
    .await;
    let me = Actor::Staff(worker);
    let case = db
        .store
        .signal_worklist(&me, &CaseFilter::default(), 10, TODAY, NOW)
        .await
        .unwrap()[0]
        .id;
    let attempt =
        ContactAttempt::new("telefoon", "2026-11-22", "avond", "ja", TODAY, TODAY).unwrap();
    db.store
        .record_contact_attempt(&me, case, &attempt, NOW)
        .await
        .unwrap();
    let id = ReportIdentity {
        gemeentecode: "0518".into(),
        ..Default::default()
    };
    let period = ReportPeriod {
        from: date!(2026 - 11 - 01),
        to: date!(2026 - 11 - 30),
    };
    let system = Actor::System("ddas-export");
    assert!(
        db.store
            .ddas_report(&me, org, &id, period, "X", "2026-12-01T10:00:00Z", NOW)
            .await
            .is_err()
    );
    let r = db
        .store
        .ddas_report(
            &system,
            org,
            &id,
            period,
            "WEGWIJS",
            "2026-12-01T10:00:00Z",
            NOW,
        )
        .await
        .unwrap();
    let l = &r.leveringen[0];
    assert_eq!(l.gemeentecode, "0518");
    assert_eq!(l.vroegsignalen.len(), 2);
    assert_eq!(l.vroegsignalen[0].bedrag, 451, "whole euros");
    assert_eq!(l.vroegsignaalzaken.len(), 1);
    assert_eq!(l.vroegsignaalzaken[0].contactpogingen[0].soort, "Telefoon");
    assert_eq!(
        l.vroegsignaalzaken[0].datum_opgepakt.as_deref(),
        Some("2026-11-22")
    );
    let none = ReportPeriod {
        from: date!(2026 - 10 - 01),
        to: date!(2026 - 10 - 31),
    };
    let r = db
        .store
        .ddas_report(
            &system,
            org,
            &id,
            none,
            "WEGWIJS",
            "2026-12-01T10:00:00Z",
            NOW,
        )
        .await
        .unwrap();
    assert!(r.leveringen[0].vroegsignalen.is_empty());
    let missing = ReportIdentity::default();
    assert!(
        db.store
            .ddas_report(
                &system,
                org,
                &missing,
                period,
                "W",
                "2026-12-01T10:00:00Z",
                NOW
            )
            .await
            .is_err()
    );
}
