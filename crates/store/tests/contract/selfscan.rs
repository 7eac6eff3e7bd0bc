//! Drempels slechten: the instrument's versions, one's own runs (seen by
//! nobody else), drafts that lapse, team rounds that show aggregates only
//! from three members and only once closed, and action points.

use super::requests::staff_of;
use super::*;
use wegwijs_domain::selfscan::{Answer, NewAction, Section, SectionEdit, Text};

use sqlx::Row;

const DAY: i64 = 24 * 3600;

fn action(what: &str, due: &str) -> NewAction {
    NewAction::validate(what, "Anouk", due).unwrap()
}

async fn setup() -> (TestDb, Staff) {
    let db = TestDb::new().await;
    let worker = org_with_staff(&db.store, "Gemeente Test", Role::Caseworker).await;
    (db, worker)
}

/// Every statement of `version` answered with `n` (and "nvt" for the
/// general ones).
async fn answer_all(store: &Store, who: &Actor, run: i64, n: u8) {
    let r = store.selfscan_run(who, run).await.unwrap();
    let i = store
        .selfscan_instrument_version(who, r.version)
        .await
        .unwrap();
    let all = i.answer_each(|_, e, _| match e {
        Some(_) => Answer::Scale(n),
        None => Answer::NotApplicable,
    });
    store
        .save_selfscan_answers(who, run, r.version, &all, NOW)
        .await
        .unwrap();
}

/// A member fills in the round: `n` on the scale, "n.v.t." for the general ones.
async fn fill(store: &Store, who: &Actor, round: i64, n: u8) {
    let answer = |_, e: Option<_>, _: &_| match e {
        Some(_) => Answer::Scale(n),
        None => Answer::NotApplicable,
    };
    store
        .fill_in_selfscan(who, Some(round), answer, NOW + 10)
        .await
        .unwrap();
}

fn invalid_field(e: StoreError) -> &'static str {
    match e {
        StoreError::Invalid(v) => v.field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_run_is_the_professionals_own_all_or_nothing_and_its_content_never_logged() {
    let (db, worker) = setup().await;
    let me = Actor::Staff(worker);
    let other = Actor::Staff(staff_of(&db.store, worker.org_id, "collega", Role::Caseworker).await);
    let run = db.store.start_selfscan(&me, None, NOW).await.unwrap();
    // Asking again gives the same draft: progress is kept.
    assert_eq!(
        db.store.start_selfscan(&me, None, NOW + 5).await.unwrap(),
        run
    );
    let first = vec![
        ("bb1".to_string(), Answer::Scale(2)),
        ("bb2".to_string(), Answer::NotApplicable),
    ];
    db.store
        .save_selfscan_answers(&me, run, 1, &first, NOW)
        .await
        .unwrap();
    // A colleague cannot read or write it, and cannot tell it exists.
    assert!(matches!(
        db.store.selfscan_run(&other, run).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        db.store
            .save_selfscan_answers(&other, run, 1, &first, NOW)
            .await,
        Err(StoreError::NotFound)
    ));
    // Another version, or a statement the version lacks: nothing is kept.
    let later = vec![("bb1".to_string(), Answer::Scale(5))];
    let e = db
        .store
        .save_selfscan_answers(&me, run, 2, &later, NOW)
        .await
        .unwrap_err();
    assert_eq!(invalid_field(e), "versie");
    let strange = vec![
        ("bb1".to_string(), Answer::Scale(5)),
        ("zz1".to_string(), Answer::Scale(5)),
    ];
    let e = db
        .store
        .save_selfscan_answers(&me, run, 1, &strange, NOW)
        .await
        .unwrap_err();
    assert_eq!(invalid_field(e), "vraag");
    let kept = db.store.selfscan_run(&me, run).await.unwrap();
    assert_eq!(kept.answers.get("bb1"), Some(&Answer::Scale(2)));
    assert_eq!(kept.answers.len(), 2);
    // Not finished while statements are open.
    let e = db.store.finish_selfscan(&me, run, NOW).await.unwrap_err();
    assert_eq!(invalid_field(e), "antwoorden");
    answer_all(&db.store, &me, run, 4).await;
    db.store.finish_selfscan(&me, run, NOW + 60).await.unwrap();
    // Finishing twice (two tabs) is one finish, logged once.
    assert!(matches!(
        db.store.finish_selfscan(&me, run, NOW + 61).await,
        Err(StoreError::Duplicate(_))
    ));
    assert!(matches!(
        db.store
            .save_selfscan_answers(&me, run, 1, &first, NOW)
            .await,
        Err(StoreError::Duplicate(_))
    ));
    let mine = db.store.own_selfscan_runs(&me).await.unwrap();
    assert_eq!((mine.len(), mine[0].finished_at), (1, Some(NOW + 60)));
    assert!(db.store.own_selfscan_runs(&other).await.unwrap().is_empty());
    // The log says a run was finished, on which version; nothing answered.
    let log = db.store.audit_latest(worker.org_id, 5).await.unwrap();
    assert_eq!(log[0].action, "zelfscan-afgerond");
    assert_eq!(log[0].detail, "versie 1");
    assert!(
        log.iter()
            .all(|e| !e.detail.contains("bb1") && !e.detail.contains("nvt"))
    );
    // Residents and admins have no runs.
    let admin = Actor::Staff(staff_of(&db.store, worker.org_id, "beheer", Role::Admin).await);
    assert!(matches!(
        db.store.start_selfscan(&admin, None, NOW).await,
        Err(StoreError::Denied(_))
    ));
    let resident = Actor::Resident(ResidentId(1));
    assert!(matches!(
        db.store.own_selfscan_runs(&resident).await,
        Err(StoreError::Denied(_))
    ));
}

#[tokio::test]
async fn a_draft_left_alone_is_removed_after_its_term() {
    let (db, worker) = setup().await;
    let me = Actor::Staff(worker);
    let run = db.store.start_selfscan(&me, None, NOW).await.unwrap();
    let one = vec![("kg1".to_string(), Answer::Scale(3))];
    db.store
        .save_selfscan_answers(&me, run, 1, &one, NOW)
        .await
        .unwrap();
    let done = db
        .store
        .start_selfscan(
            &Actor::Staff(staff_of(&db.store, worker.org_id, "klaar", Role::Caseworker).await),
            None,
            NOW,
        )
        .await
        .unwrap();
    let _ = done;
    assert_eq!(
        db.store
            .remove_stale_selfscan_drafts(NOW + 29 * DAY)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        db.store
            .remove_stale_selfscan_drafts(NOW + 31 * DAY)
            .await
            .unwrap(),
        2
    );
    assert!(matches!(
        db.store.selfscan_run(&me, run).await,
        Err(StoreError::NotFound)
    ));
    let pool = db.raw().await;
    let left: i64 = sqlx::query("SELECT COUNT(*) FROM selfscan_answers")
        .fetch_one(&pool)
        .await
        .unwrap()
        .get(0);
    assert_eq!(left, 0);
}

#[tokio::test]
async fn an_admin_makes_a_new_version_and_old_runs_keep_theirs() {
    let (db, worker) = setup().await;
    let me = Actor::Staff(worker);
    let admin = Actor::Staff(staff_of(&db.store, worker.org_id, "beheer", Role::Admin).await);
    let draft = db.store.start_selfscan(&me, None, NOW).await.unwrap();
    let v1 = db.store.selfscan_instrument(&admin).await.unwrap();
    let section = Section::General;
    let (why, tips, items) = v1.section_texts(section).unwrap();
    let edit = SectionEdit {
        why: why.clone(),
        tips: tips.to_vec(),
        items: items.iter().map(|i| i.text.clone()).collect(),
        new_item: Text {
            nl: "Ik bespreek lastige gesprekken met een collega.".into(),
            en: "I discuss hard conversations.".into(),
        },
    };
    let v2 = v1.edited(section, &edit).unwrap();
    assert!(matches!(
        db.store.publish_selfscan_version(&me, &v2, NOW).await,
        Err(StoreError::Denied(_))
    ));
    db.store
        .publish_selfscan_version(&admin, &v2, NOW)
        .await
        .unwrap();
    // Saving the same change twice (two tabs): the second finds version 2 taken.
    assert!(matches!(
        db.store.publish_selfscan_version(&admin, &v2, NOW).await,
        Err(StoreError::Duplicate(_))
    ));
    assert_eq!(db.store.selfscan_instrument(&me).await.unwrap().version, 2);
    let versions = db.store.selfscan_versions(&admin).await.unwrap();
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        [2, 1]
    );
    assert_eq!(versions[0].created_by.as_deref(), Some("Test Persoon"));
    // The draft started on version 1 stays on it; the new statement is unknown there.
    let new = vec![("al4".to_string(), Answer::Scale(4))];
    let e = db
        .store
        .save_selfscan_answers(&me, draft, 1, &new, NOW)
        .await
        .unwrap_err();
    assert_eq!(invalid_field(e), "vraag");
    answer_all(&db.store, &me, draft, 3).await;
    db.store.finish_selfscan(&me, draft, NOW).await.unwrap();
    let next = db.store.start_selfscan(&me, None, NOW + 1).await.unwrap();
    assert_eq!(db.store.selfscan_run(&me, next).await.unwrap().version, 2);
    db.store
        .save_selfscan_answers(&me, next, 2, &new, NOW)
        .await
        .unwrap();
    // Another organisation still has the shipped version.
    let elsewhere = org_with_staff(&db.store, "Gemeente Elders", Role::Caseworker).await;
    assert_eq!(
        db.store
            .selfscan_instrument(&Actor::Staff(elsewhere))
            .await
            .unwrap()
            .version,
        1
    );
}

#[tokio::test]
async fn two_answers_show_nothing_three_show_the_team_figures_once_closed() {
    let (db, worker) = setup().await;
    let lead_staff = staff_of(&db.store, worker.org_id, "lead", Role::TeamLead).await;
    let lead = Actor::Staff(lead_staff);
    let mut members = vec![Actor::Staff(worker)];
    for name in ["bram", "cato", "daan"] {
        members.push(Actor::Staff(
            staff_of(&db.store, worker.org_id, name, Role::Caseworker).await,
        ));
    }
    let outsider =
        Actor::Staff(staff_of(&db.store, worker.org_id, "buiten", Role::Caseworker).await);
    let ids: Vec<i64> = members
        .iter()
        .map(|m| match m {
            Actor::Staff(s) => s.user_id,
            _ => 0,
        })
        .collect();
    let e = db
        .store
        .open_selfscan_round(&lead, "Team Geld", &ids[..2], NOW)
        .await
        .unwrap_err();
    assert_eq!(invalid_field(e), "teamleden");
    let e = db
        .store
        .open_selfscan_round(&lead, "Team Geld", &[ids[0], ids[1], 999], NOW)
        .await
        .unwrap_err();
    assert_eq!(invalid_field(e), "teamleden");
    assert!(matches!(
        db.store
            .open_selfscan_round(&members[0], "Team Geld", &ids, NOW)
            .await,
        Err(StoreError::Denied(_))
    ));

    // Round one: two of four answer.
    let first = db
        .store
        .open_selfscan_round(&lead, "Team Geld", &ids, NOW)
        .await
        .unwrap();
    assert!(matches!(
        db.store.start_selfscan(&outsider, Some(first), NOW).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        db.store.selfscan_round(&outsider, first).await,
        Err(StoreError::NotFound)
    ));
    for (m, n) in members.iter().zip([2, 4]) {
        fill(&db.store, m, first, n).await;
    }
    let drafting = db
        .store
        .start_selfscan(&members[2], Some(first), NOW)
        .await
        .unwrap();
    db.store
        .close_selfscan_round(&lead, first, NOW + DAY)
        .await
        .unwrap();
    let r = db.store.selfscan_team_result(&lead, first).await.unwrap();
    assert_eq!((r.finished, r.cells.is_none()), (2, true));
    // The unfinished run went with the round; the round takes no more answers.
    assert!(matches!(
        db.store.selfscan_run(&members[2], drafting).await,
        Err(StoreError::NotFound)
    ));
    let e = db
        .store
        .start_selfscan(&members[2], Some(first), NOW)
        .await
        .unwrap_err();
    assert_eq!(invalid_field(e), "ronde");
    db.store
        .add_selfscan_action(
            &lead,
            first,
            &action("Brieven samen herschrijven", "2026-12-15"),
            NOW,
        )
        .await
        .unwrap();

    // Round two: three answer. Nothing shows while it is open.
    let second = db
        .store
        .open_selfscan_round(&lead, "Team Geld", &ids, NOW + 2 * DAY)
        .await
        .unwrap();
    for (m, n) in members.iter().zip([1, 3, 5]) {
        fill(&db.store, m, second, n).await;
    }
    assert!(
        db.store
            .selfscan_team_result(&lead, second)
            .await
            .unwrap()
            .cells
            .is_none()
    );
    assert!(matches!(
        db.store
            .close_selfscan_round(&members[0], second, NOW)
            .await,
        Err(StoreError::Denied(_))
    ));
    db.store
        .close_selfscan_round(&lead, second, NOW + 3 * DAY)
        .await
        .unwrap();
    let r = db.store.selfscan_team_result(&lead, second).await.unwrap();
    let cells = r.cells.unwrap();
    assert_eq!(
        (r.finished, cells[0].mean_x100, cells[0].spread_x100),
        (3, Some(300), Some(163))
    );
    // One of the three sees the mean, not the spread: with their own
    // answers it would give away the other two's.
    let r = db
        .store
        .selfscan_team_result(&members[1], second)
        .await
        .unwrap();
    let cells = r.cells.unwrap();
    assert_eq!(
        (cells[0].mean_x100, cells[0].spread_x100),
        (Some(300), None)
    );
    let round = db.store.selfscan_round(&lead, second).await.unwrap();
    assert_eq!((round.members, round.finished, round.member), (4, 3, false));
    // The action points of round one come back in round two, and can be ticked off.
    let (now, before) = db
        .store
        .selfscan_actions(&members[0], second)
        .await
        .unwrap();
    assert!(now.is_empty());
    assert_eq!(
        (before[0].what.as_str(), before[0].due.as_str()),
        ("Brieven samen herschrijven", "2026-12-15")
    );
    db.store
        .mark_selfscan_action(&members[0], before[0].id, true, NOW + 4 * DAY)
        .await
        .unwrap();
    assert!(matches!(
        db.store
            .mark_selfscan_action(&outsider, before[0].id, true, NOW)
            .await,
        Err(StoreError::NotFound)
    ));
    let (_, before) = db.store.selfscan_actions(&lead, second).await.unwrap();
    assert_eq!(before[0].done_at, Some(NOW + 4 * DAY));
    // Another organisation's lead sees none of it.
    let elsewhere = org_with_staff(&db.store, "Gemeente Elders", Role::TeamLead).await;
    assert!(matches!(
        db.store
            .selfscan_team_result(&Actor::Staff(elsewhere), second)
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(db.store.selfscan_rounds(&lead).await.unwrap().len(), 2);
    assert!(
        db.store
            .selfscan_rounds(&outsider)
            .await
            .unwrap()
            .is_empty()
    );
    // Someone new to the team sees no points of a round they were not in.
    let outsider_id = match outsider {
        Actor::Staff(s) => s.user_id,
        _ => 0,
    };
    let third = db
        .store
        .open_selfscan_round(
            &lead,
            "Team Geld",
            &[ids[1], ids[2], outsider_id],
            NOW + 5 * DAY,
        )
        .await
        .unwrap();
    let (_, before) = db.store.selfscan_actions(&outsider, third).await.unwrap();
    assert!(before.is_empty());
    let (_, before) = db.store.selfscan_actions(&members[1], third).await.unwrap();
    assert!(before.is_empty(), "round two had no points of its own");
}
