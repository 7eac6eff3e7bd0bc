//! Teams and the one worklist on both databases: work goes to the team its
//! route names; the list filters, searches and pages in the database and
//! counts as the team lead's figures do; taking, giving and finishing are
//! decided by the policy, logged, and end in one result when two people
//! act at once.

use super::signal_work::setup;
use super::signals::{TODAY, signal, take_in};
use super::*;
use sqlx::Row;
use wegwijs_domain::work::{KindRoute, Outcome, Sort, Stage, Who, WorkFilter, WorkSearch};
use wegwijs_store::Conflict;

fn admin_of(org: i64) -> Actor {
    Actor::Staff(Staff {
        user_id: 0,
        org_id: org,
        role: Role::Admin,
    })
}

async fn colleague(db: &TestDb, org: i64, name: &str, role: Role) -> Staff {
    let new = NewUser {
        org_id: org,
        username: name,
        display_name: name,
        role,
        password_hash: "x".into(),
    };
    let id = db
        .store
        .create_user(&Actor::System("test"), new, NOW)
        .await
        .unwrap();
    Staff {
        user_id: id,
        org_id: org,
        role,
    }
}

/// Every line a filter finds, page after page.
async fn lines_of(store: &Store, me: &Actor, f: &WorkFilter, day: time::Date) -> i64 {
    let (mut n, mut after) = (0, None::<String>);
    loop {
        let page = store
            .worklist(me, f, after.as_deref(), day, NOW)
            .await
            .unwrap();
        n += page.lines.len() as i64;
        match page.next {
            Some(next) => after = Some(next),
            None => return n,
        }
    }
}

fn who(who: Who) -> WorkFilter {
    WorkFilter {
        who,
        ..WorkFilter::default()
    }
}

#[tokio::test]
async fn teams_are_kept_by_the_admin_and_work_goes_to_the_routed_team() {
    let (db, worker, ids) = setup().await;
    let org = worker.org_id;
    let admin = admin_of(org);
    let geld = db
        .store
        .create_team(&admin, org, "Geldzaken", NOW)
        .await
        .unwrap();
    assert!(matches!(
        db.store.create_team(&admin, org, "geldzaken", NOW).await,
        Err(StoreError::Duplicate("teamnaam"))
    ));
    assert!(
        db.store
            .create_team(&Actor::Staff(worker), org, "Wijkteam", NOW)
            .await
            .is_err_and(|e| refused(&e, Denied::Role))
    );
    let elsewhere = org_with_staff(&db.store, "Gemeente Anders", Role::Caseworker).await;
    assert!(
        db.store
            .set_team_members(&admin_of(elsewhere.org_id), geld, &[worker.user_id], NOW)
            .await
            .is_err_and(|e| refused(&e, Denied::NoWorkRelation))
    );
    // Only the organisation's own staff can be members.
    assert!(matches!(
        db.store
            .set_team_members(&admin, geld, &[elsewhere.user_id], NOW)
            .await,
        Err(StoreError::NotFound)
    ));
    db.store
        .set_team_members(&admin, geld, &[worker.user_id], NOW)
        .await
        .unwrap();
    assert_eq!(db.store.my_teams(worker.user_id).await.unwrap(), [geld]);

    // Work of a kind without a route has no team until one is chosen;
    // then the open work of that kind goes to it.
    let before = db
        .store
        .open_work(&IMPORT, org, ids[0], WorkKind::MogelijkRecht, NOW)
        .await
        .unwrap();
    let me = Actor::Staff(worker);
    let listed = |f: WorkFilter| {
        let store = &db.store;
        async move {
            store
                .worklist(&me, &f, None, today(), NOW)
                .await
                .unwrap()
                .lines
                .iter()
                .map(|l| l.work_id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(listed(who(Who::NoTeam)).await, [before]);
    let route = KindRoute::validate(WorkKind::MogelijkRecht, &geld.to_string(), "5").unwrap();
    db.store.set_kind_route(&admin, &route, NOW).await.unwrap();
    assert_eq!(listed(who(Who::NoTeam)).await, Vec::<i64>::new());
    let after = db
        .store
        .open_work(&IMPORT, org, ids[1], WorkKind::MogelijkRecht, NOW)
        .await
        .unwrap();
    // Due in five working days, before the first (ten by default).
    assert_eq!(listed(who(Who::MyTeamsOpen)).await, [after, before]);
    let line = db
        .store
        .worklist(&me, &who(Who::Team(geld)), None, today(), NOW)
        .await
        .unwrap()
        .lines
        .into_iter()
        .find(|l| l.work_id == after)
        .unwrap();
    assert_eq!(line.team, Some((geld, "Geldzaken".to_string())));
    // Five working days from Monday 21 September.
    assert_eq!(line.due_on, time::macros::date!(2026 - 09 - 28));
    assert_eq!(db.store.kind_routes(org).await.unwrap(), [route]);
}

#[tokio::test]
async fn the_list_filters_searches_pages_and_counts_as_the_figures_do() {
    let (db, worker, ids) = setup().await;
    let org = worker.org_id;
    let lead = Actor::Staff(Staff {
        role: Role::TeamLead,
        ..worker
    });
    let me = Actor::Staff(worker);
    // 120 lines of three kinds about the two residents.
    let kinds = [
        WorkKind::Traject,
        WorkKind::Doorverwijzing,
        WorkKind::Hulpvraag,
    ];
    let mut opened = Vec::new();
    for i in 0..120 {
        let kind = kinds[i % 3];
        let w = db
            .store
            .open_work(&IMPORT, org, ids[i % 2], kind, NOW + i as i64)
            .await
            .unwrap();
        opened.push(w);
    }
    // Pages of 50 in due order (the same day: by id), each line once.
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = db
            .store
            .worklist(&me, &all_work(), after.as_deref(), today(), NOW)
            .await
            .unwrap();
        seen.extend(page.lines.iter().map(|l| l.work_id));
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert_eq!(seen, opened);
    // Newest first, paged the same way.
    let newest = WorkFilter {
        sort: Sort::Newest,
        ..all_work()
    };
    let first = db
        .store
        .worklist(&me, &newest, None, today(), NOW)
        .await
        .unwrap();
    let second = db
        .store
        .worklist(&me, &newest, first.next.as_deref(), today(), NOW)
        .await
        .unwrap();
    let mut expected = opened.clone();
    expected.reverse();
    let both: Vec<i64> = first
        .lines
        .iter()
        .chain(&second.lines)
        .map(|l| l.work_id)
        .collect();
    assert_eq!(both, expected[..100]);

    // Every figure is the total of the list with the same filter.
    let figures = db.store.team_figures(&lead, today()).await.unwrap();
    for (kind, n) in &figures.by_kind {
        let f = WorkFilter {
            kind: Some(*kind),
            ..all_work()
        };
        let total = lines_of(&db.store, &me, &f, today()).await;
        assert_eq!(total, *n, "{kind:?}");
    }
    assert_eq!(figures.by_kind.iter().map(|(_, n)| n).sum::<i64>(), 120);
    // Late: due before today; a day after the due date it all is.
    let late = WorkFilter {
        overdue: true,
        ..all_work()
    };
    let due = first.lines[0].due_on;
    let count = |day| {
        let (store, late) = (&db.store, late.clone());
        async move { lines_of(store, &me, &late, day).await }
    };
    assert_eq!(count(due).await, 0);
    assert_eq!(count(due + time::Duration::days(1)).await, 120);
    assert_eq!(figures.overdue, 0);

    // A search finds by BSN, surname or address, and the whole household.
    let search = |s: &str| WorkFilter {
        search: Some(WorkSearch::parse(s).unwrap()),
        ..all_work()
    };
    let bakker_bsn = (20_000_000..).find_map(Bsn::from_prefix).unwrap().expose();
    let by_bsn = db
        .store
        .worklist(&me, &search(&bakker_bsn), None, today(), NOW)
        .await
        .unwrap();
    assert_eq!(
        lines_of(&db.store, &me, &search(&bakker_bsn), today()).await,
        60
    );
    assert!(by_bsn.lines.iter().all(|l| l.resident == ids[1]));
    for s in ["van der Jansen", "JANSEN", "1234 AB 12"] {
        let want = if s.contains("AB") { 120 } else { 60 };
        assert_eq!(
            lines_of(&db.store, &me, &search(s), today()).await,
            want,
            "{s}"
        );
    }
    assert_eq!(
        lines_of(&db.store, &me, &search("Pietersen"), today()).await,
        0
    );
    // The search is logged by what it searched by, never the value.
    let raw = db.raw().await;
    let details: Vec<String> = sqlx::query(
        "SELECT detail FROM audit_log WHERE action = 'werklijst-bekeken' AND detail LIKE 'gezocht%'",
    )
    .fetch_all(&raw)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect();
    assert!(details.iter().any(|d| d.starts_with("gezocht op bsn;")));
    assert!(
        details
            .iter()
            .all(|d| !d.contains(&bakker_bsn) && !d.contains("Jansen"))
    );

    // Filters by kind, stage and wijk.
    let f = WorkFilter {
        kind: Some(WorkKind::Doorverwijzing),
        stage: Some(Stage::Nieuw),
        wijk: Some("Centrum".into()),
        ..all_work()
    };
    assert_eq!(lines_of(&db.store, &me, &f, today()).await, 40);
    let elsewhere = WorkFilter {
        wijk: Some("Noord".into()),
        ..all_work()
    };
    assert_eq!(lines_of(&db.store, &me, &elsewhere, today()).await, 0);
}

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
