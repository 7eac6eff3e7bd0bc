//! Teams and the one worklist on both databases: work goes to the team its
//! route names; the list filters, searches and pages in the database and
//! counts as the team lead's figures do (acting on it: `work_actions.rs`).

use super::signal_work::setup;
use super::*;
use sqlx::Row;
use wegwijs_domain::work::{KindRoute, Sort, Stage, Who, WorkFilter, WorkSearch};

pub(super) fn admin_of(org: i64) -> Actor {
    Actor::Staff(Staff {
        user_id: 0,
        org_id: org,
        role: Role::Admin,
    })
}

pub(super) async fn colleague(db: &TestDb, org: i64, name: &str, role: Role) -> Staff {
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
pub(super) async fn lines_of(store: &Store, me: &Actor, f: &WorkFilter, day: time::Date) -> i64 {
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

pub(super) fn who(who: Who) -> WorkFilter {
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
