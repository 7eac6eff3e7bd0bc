//! Acting on the one worklist on both databases: taking, giving and
//! finishing are decided by the policy, logged, and end in one result
//! when two people act at once; a signal case's line follows the case.

use super::signal_work::setup;
use super::signals::{TODAY, signal, take_in};
use super::teams_work::{admin_of, colleague, who};
use super::*;
use wegwijs_domain::work::{KindRoute, Outcome, Sort, Stage, Who, WorkFilter};
use wegwijs_store::Conflict;

#[tokio::test]
async fn taking_giving_and_finishing_end_in_one_result_when_two_act_at_once() {
    let (db, worker, ids) = setup().await;
    let org = worker.org_id;
    let admin = admin_of(org);
    let team = db
        .store
        .create_team(&admin, org, "Wijkteam", NOW)
        .await
        .unwrap();
    let anna = colleague(&db, org, "anna", Role::Caseworker).await;
    let bram = colleague(&db, org, "bram", Role::Caseworker).await;
    let outsider = colleague(&db, org, "cas", Role::Caseworker).await;
    let lead = colleague(&db, org, "lies", Role::TeamLead).await;
    db.store
        .set_team_members(&admin, team, &[anna.user_id, bram.user_id], NOW)
        .await
        .unwrap();
    let route = KindRoute::validate(WorkKind::Traject, &team.to_string(), "3").unwrap();
    db.store.set_kind_route(&admin, &route, NOW).await.unwrap();
    let w = db
        .store
        .open_work(&IMPORT, org, ids[0], WorkKind::Traject, NOW)
        .await
        .unwrap();
    let (a, b) = (Actor::Staff(anna), Actor::Staff(bram));

    // Someone outside the team may not take it; the refusal is logged.
    assert!(
        db.store
            .take_work(&Actor::Staff(outsider), w, NOW)
            .await
            .is_err_and(|e| refused(&e, Denied::NoWorkRelation))
    );
    // Both take at once: one has it, the other is told who.
    let (ra, rb) = tokio::join!(
        db.store.take_work(&a, w, NOW),
        db.store.take_work(&b, w, NOW)
    );
    let (winner, loser) = match (&ra, &rb) {
        (Ok(()), Err(_)) => ("anna", rb),
        (Err(_), Ok(())) => ("bram", ra),
        other => panic!("one should win: {other:?}"),
    };
    assert!(
        matches!(&loser, Err(StoreError::Conflict(Conflict::TakenBy(n))) if n == winner),
        "{loser:?}"
    );
    let mine = |s: &Staff| {
        let me = Actor::Staff(*s);
        let store = &db.store;
        async move {
            store
                .worklist(&me, &who(Who::Mine), None, today(), NOW)
                .await
                .unwrap()
                .lines
        }
    };
    let (holder, other) = if winner == "anna" {
        (anna, bram)
    } else {
        (bram, anna)
    };
    let line = mine(&holder).await.pop().unwrap();
    assert_eq!(line.stage, Stage::InBehandeling, "taken is in progress");
    let seen = line.version;

    // The holder gives it to the other while the lead sets a status on
    // the version both saw: one of the two goes through.
    let (h, l) = (Actor::Staff(holder), Actor::Staff(lead));
    let (given, staged) = tokio::join!(
        db.store.assign_work(&h, (w, seen), other.user_id, NOW),
        db.store
            .set_work_stage(&l, (w, seen), Stage::WachtOpInwoner, NOW)
    );
    assert!(
        given.is_ok() != staged.is_ok(),
        "exactly one: {given:?} {staged:?}"
    );
    let first_given = i64::from(given.is_ok());
    let conflict = given.err().or(staged.err()).unwrap();
    assert!(matches!(conflict, StoreError::Conflict(_)), "{conflict:?}");

    // Given only within the team.
    let now = db
        .store
        .worklist(&Actor::Staff(lead), &all_work(), None, today(), NOW)
        .await
        .unwrap()
        .lines
        .pop()
        .unwrap();
    assert!(
        db.store
            .assign_work(&Actor::Staff(lead), (w, now.version), outsider.user_id, NOW)
            .await
            .is_err_and(|e| refused(&e, Denied::NoWorkRelation))
    );
    // Finished twice at once: one finishes, the other is told.
    let done = (Outcome::Afgerond, "");
    let actor = match &now.assignee {
        Some((id, _)) if *id == anna.user_id => a,
        Some(_) => b,
        None => Actor::Staff(lead),
    };
    let lead_actor = Actor::Staff(lead);
    let (f1, f2) = tokio::join!(
        db.store.finish_work(&actor, (w, now.version), done, NOW),
        db.store
            .finish_work(&lead_actor, (w, now.version), done, NOW)
    );
    assert!(f1.is_ok() != f2.is_ok(), "{f1:?} {f2:?}");
    assert!(matches!(
        f1.err().or(f2.err()).unwrap(),
        StoreError::Conflict(Conflict::Closed | Conflict::Changed)
    ));
    // A kind's outcomes only; sending back needs a reason (the domain
    // checks the reason, the store the kind).
    let referral = db
        .store
        .open_work(&IMPORT, org, ids[1], WorkKind::Doorverwijzing, NOW)
        .await
        .unwrap();
    let wrong = db
        .store
        .finish_work(&lead_actor, (referral, 0), (Outcome::Gehouden, ""), NOW)
        .await;
    assert!(matches!(&wrong, Err(StoreError::Invalid(e)) if e.field == "uitkomst"));
    db.store
        .finish_work(
            &lead_actor,
            (referral, 0),
            (Outcome::Teruggestuurd, "Niet voor ons"),
            NOW,
        )
        .await
        .unwrap();

    // Many at once, by the team lead only; what cannot go is left.
    let more: Vec<i64> = {
        let mut v = Vec::new();
        for r in &ids {
            v.push(
                db.store
                    .open_work(&IMPORT, org, *r, WorkKind::Traject, NOW)
                    .await
                    .unwrap(),
            );
        }
        v
    };
    assert!(
        db.store
            .assign_many(&a, &more, bram.user_id, NOW)
            .await
            .is_err_and(|e| refused(&e, Denied::Role))
    );
    let mut asked = more.clone();
    asked.push(referral); // closed: left
    let given = db
        .store
        .assign_many(&lead_actor, &asked, bram.user_id, NOW)
        .await
        .unwrap();
    assert_eq!(given, 2);
    assert_eq!(mine(&bram).await.len(), 2);
    let figures = db.store.team_figures(&lead_actor, today()).await.unwrap();
    let bram_has: Vec<_> = figures
        .by_person
        .iter()
        .filter(|(_, _, n)| *n > 0)
        .collect();
    assert_eq!(bram_has, [&(bram.user_id, "bram".to_string(), 2)]);
    assert!(
        figures
            .by_person
            .iter()
            .any(|(id, _, n)| *id == anna.user_id && *n == 0),
        "everyone who works cases is listed, also with nothing taken"
    );

    // Each action is in the log with its purpose; refusals too.
    let raw = db.raw().await;
    let count = |action: &'static str, outcome: &'static str| {
        let raw = raw.clone();
        async move {
            let n: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND outcome LIKE $2",
            )
            .bind(action)
            .bind(outcome)
            .fetch_one(&raw)
            .await
            .unwrap();
            n
        }
    };
    assert_eq!(count("werk-opgepakt", "toegestaan").await, 1);
    assert!(count("werk-opgepakt", "geweigerd%").await >= 1);
    assert_eq!(
        count("werk-toegewezen", "toegestaan").await,
        2 + first_given
    );
}

#[tokio::test]
async fn a_signal_case_is_work_that_follows_the_case() {
    let (db, worker, _) = setup().await;
    let org = worker.org_id;
    take_in(
        &db.store,
        org,
        &[
            signal("S1", "Huur", None, "Jansen", "90000"),
            signal("S2", "Energie", None, "Jansen", "20000"),
        ],
        2,
    )
    .await;
    let me = Actor::Staff(worker);
    let signals = WorkFilter {
        kind: Some(WorkKind::Signaal),
        sort: Sort::Priority,
        ..all_work()
    };
    let lines = db
        .store
        .worklist(&me, &signals, None, TODAY, NOW)
        .await
        .unwrap()
        .lines;
    assert_eq!(lines.len(), 1);
    let case = lines[0].subject.unwrap();
    let cases = db
        .store
        .signal_worklist(&me, &Default::default(), 10, TODAY, NOW)
        .await
        .unwrap();
    assert_eq!(cases[0].id, case);
    assert_eq!(lines[0].priority, cases[0].score);
    assert_eq!(lines[0].reasons, cases[0].reasons);
    assert_eq!(lines[0].stage, Stage::Nieuw);
    // A signal more raises the priority of the same line.
    take_in(
        &db.store,
        org,
        &[signal("S3", "Water", None, "Jansen", "5000")],
        1,
    )
    .await;
    let again = db
        .store
        .worklist(&me, &signals, None, TODAY, NOW)
        .await
        .unwrap()
        .lines;
    assert_eq!(again.len(), 1);
    assert!(again[0].priority >= lines[0].priority);
    // The plan's tasks give the due date; a contact attempt puts it in
    // progress; the case's end closes it.
    db.store.plan_outreach(TODAY, NOW + 5).await.unwrap();
    let planned = db
        .store
        .worklist(&me, &signals, None, TODAY, NOW)
        .await
        .unwrap()
        .lines;
    assert_eq!(
        planned[0].due_on, TODAY,
        "the letter is due the day the case opened"
    );
    let attempt = wegwijs_domain::signal::ContactAttempt::new(
        "brief",
        "2026-11-22",
        "ochtend",
        "nee",
        TODAY,
        TODAY,
    )
    .unwrap();
    db.store
        .record_contact_attempt(&me, case, &attempt, NOW + 6)
        .await
        .unwrap();
    let worked = db
        .store
        .worklist(&me, &signals, None, TODAY, NOW)
        .await
        .unwrap()
        .lines;
    assert_eq!(worked[0].stage, Stage::InBehandeling);
    let closing = wegwijs_domain::signal::Closing::new("geen-contact", false, "", TODAY).unwrap();
    db.store
        .close_signal_case(&me, case, &closing, TODAY, NOW + 7)
        .await
        .unwrap();
    assert!(
        db.store
            .worklist(&me, &signals, None, TODAY, NOW)
            .await
            .unwrap()
            .lines
            .is_empty()
    );
}
