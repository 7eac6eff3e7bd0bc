//! The privacy officer's search of the log, on both databases: by
//! resident (the search logged under them), staff member, outcome and
//! period, paged newest first; the officer's scope; the file; the signals.

use super::*;
use wegwijs_domain::oversight::{LogSearch, ResidentQuery, Signal, Thresholds};
use wegwijs_store::oversight::ResidentMatch;

/// 2026-09-21 13:33 in Dutch time is NOW; an hour.
const HOUR: i64 = 3600;

async fn staff_of(store: &Store, org: i64, name: &str, role: Role) -> Staff {
    let new = NewUser {
        org_id: org,
        username: name,
        display_name: &format!("Test {name}"),
        role,
        password_hash: "x".into(),
    };
    let id = store.create_user(&IMPORT, new, NOW).await.unwrap();
    Staff {
        user_id: id,
        org_id: org,
        role,
    }
}

struct World {
    db: TestDb,
    worker: Actor,
    officer: Actor,
    uwv_worker: Actor,
    uwv_officer: Actor,
    ids: Vec<ResidentId>,
}

/// Gemeente Test's caseworker reads Jansen three times (one at night);
/// UWV's caseworker is refused Bakker eleven times in a row.
async fn world() -> World {
    let db = TestDb::new().await;
    let gemeente = db
        .store
        .create_org("Gemeente Test", OrgKind::Gemeente, NOW)
        .await
        .unwrap();
    let uwv = db
        .store
        .create_org("UWV Test", OrgKind::Uwv, NOW)
        .await
        .unwrap();
    let ids = import(
        &db.store,
        &[
            record(10_000_000, "Jansen", "HH-1"),
            record(20_000_000, "Bakker", "HH-2"),
        ],
    )
    .await;
    let worker = Actor::Staff(staff_of(&db.store, gemeente, "gem-mw", Role::Caseworker).await);
    let officer = Actor::Staff(staff_of(&db.store, gemeente, "gem-fg", Role::PrivacyOfficer).await);
    let uwv_worker = Actor::Staff(staff_of(&db.store, uwv, "uwv-mw", Role::Caseworker).await);
    let uwv_officer = Actor::Staff(staff_of(&db.store, uwv, "uwv-fg", Role::PrivacyOfficer).await);
    db.store
        .open_work(&IMPORT, gemeente, ids[0], WorkKind::Hulpvraag, NOW)
        .await
        .unwrap();
    for at in [NOW + HOUR, NOW + 2 * HOUR, NOW + 10 * HOUR] {
        db.store
            .read_resident(&worker, ids[0], Purpose::Casework, at)
            .await
            .unwrap();
    }
    for i in 0..11 {
        let refused = db
            .store
            .read_resident(&uwv_worker, ids[1], Purpose::Casework, NOW + 3 * HOUR + i)
            .await;
        assert!(refused.is_err());
    }
    World {
        db,
        worker,
        officer,
        uwv_worker,
        uwv_officer,
        ids,
    }
}

fn user(a: &Actor) -> i64 {
    match a {
        Actor::Staff(s) => s.user_id,
        other => panic!("not staff: {other:?}"),
    }
}

#[tokio::test]
async fn the_officer_finds_who_looked_at_a_resident_and_the_search_is_logged() {
    let w = world().await;
    let store = &w.db.store;
    let bsn = record(10_000_000, "Jansen", "HH-1").bsn;
    let search = LogSearch {
        resident: Some(ResidentQuery::Bsn(bsn)),
        reason: Some("avg-verzoek"),
        ..Default::default()
    };
    let found = store
        .find_for_oversight(&w.officer, &search, NOW + 20 * HOUR)
        .await
        .unwrap();
    assert_eq!(found, ResidentMatch::Found(vec![w.ids[0]]));
    let page = store
        .search_log(&w.officer, &search, &[w.ids[0]], None, 50)
        .await
        .unwrap();
    let reads: Vec<_> = page
        .lines
        .iter()
        .filter(|l| l.action == "inwoner-bekeken")
        .collect();
    assert_eq!(reads.len(), 3);
    assert_eq!(reads[0].at, NOW + 10 * HOUR, "newest first");
    assert_eq!(reads[0].staff_name.as_deref(), Some("Test gem-mw"));
    assert_eq!(reads[0].org_name.as_deref(), Some("Gemeente Test"));
    // The search itself is in the resident's log, with the officer's reason.
    let search_line = page
        .lines
        .iter()
        .find(|l| l.action == "logboek-doorzocht")
        .expect("the search is logged under the resident");
    assert_eq!(search_line.purpose, "toezicht-privacy");
    assert_eq!(search_line.detail, "inwoner: bsn; reden: avg-verzoek");
    assert!(!search_line.detail.contains(bsn.expose().as_str()));

    // By surname, with or without the prefix, in any case.
    for typed in ["Jansen", "van der jansen", "JANSEN"] {
        let s = LogSearch {
            resident: Some(ResidentQuery::Surname(typed.into(), None)),
            reason: Some("controle"),
            ..Default::default()
        };
        assert_eq!(
            store.find_for_oversight(&w.officer, &s, NOW).await.unwrap(),
            ResidentMatch::Found(vec![w.ids[0]]),
            "{typed}"
        );
    }
    let nobody = LogSearch {
        resident: Some(ResidentQuery::Surname("de Jansen".into(), None)),
        reason: Some("controle"),
        ..Default::default()
    };
    assert_eq!(
        store
            .find_for_oversight(&w.officer, &nobody, NOW)
            .await
            .unwrap(),
        ResidentMatch::None
    );
    // A search that finds nobody is in the log too.
    let log = store.audit_page(0, 10_000, None).await.unwrap();
    assert!(log.iter().any(|e| e.action == "logboek-doorzocht"
        && e.resident_id.is_none()
        && e.detail == "inwoner: achternaam; reden: controle (niemand gevonden)"));
    // With the date of birth: only that one.
    let born = LogSearch {
        resident: Some(ResidentQuery::Surname(
            "Jansen".into(),
            Some(time::macros::date!(1980 - 05 - 31)),
        )),
        reason: Some("controle"),
        ..Default::default()
    };
    assert_eq!(
        store
            .find_for_oversight(&w.officer, &born, NOW)
            .await
            .unwrap(),
        ResidentMatch::Found(vec![w.ids[0]])
    );
    let other_day = LogSearch {
        resident: Some(ResidentQuery::Surname(
            "Jansen".into(),
            Some(time::macros::date!(1980 - 06 - 01)),
        )),
        reason: Some("controle"),
        ..Default::default()
    };
    assert_eq!(
        store
            .find_for_oversight(&w.officer, &other_day, NOW)
            .await
            .unwrap(),
        ResidentMatch::None
    );
    // Only the privacy officer searches.
    assert!(
        store
            .find_for_oversight(&w.worker, &search, NOW)
            .await
            .is_err()
    );
    assert!(
        store
            .search_log(&w.worker, &search, &[w.ids[0]], None, 5)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn by_staff_member_outcome_and_period_a_page_at_a_time_in_scope() {
    let w = world().await;
    let store = &w.db.store;
    let by_uwv = LogSearch {
        staff: Some(user(&w.uwv_worker)),
        refused_only: true,
        ..Default::default()
    };
    let first = store
        .search_log(&w.officer, &by_uwv, &[], None, 4)
        .await
        .unwrap();
    assert_eq!(first.lines.len(), 4);
    assert!(
        first
            .lines
            .iter()
            .all(|l| l.outcome == "geweigerd:geen-werkrelatie")
    );
    let mut seen: Vec<i64> = first.lines.iter().map(|l| l.seq).collect();
    let mut older = first.older;
    while let Some(cursor) = older {
        let next = store
            .search_log(&w.officer, &by_uwv, &[], Some(cursor), 4)
            .await
            .unwrap();
        seen.extend(next.lines.iter().map(|l| l.seq));
        older = next.older;
    }
    let mut sorted = seen.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    sorted.dedup();
    assert_eq!(seen, sorted, "pages go back in time without overlap");
    assert_eq!(seen.len(), 11);

    // The period: the day of NOW only (the night read at NOW + 10 h is
    // past midnight in Dutch time).
    let today =
        wegwijs_domain::clock::dutch_local(time::OffsetDateTime::from_unix_timestamp(NOW).unwrap())
            .date();
    let that_day = LogSearch {
        staff: Some(user(&w.worker)),
        action: Some("inwoner-bekeken".into()),
        from: Some(today),
        to: Some(today),
        ..Default::default()
    };
    let page = store
        .search_log(&w.officer, &that_day, &[], None, 50)
        .await
        .unwrap();
    assert_eq!(page.lines.len(), 2, "{:?}", page.lines);

    // UWV's officer sees UWV's lines only; the municipality's sees all.
    let everything = LogSearch::default();
    let uwv = store
        .search_log(&w.uwv_officer, &everything, &[], None, 500)
        .await
        .unwrap();
    assert!(!uwv.lines.is_empty());
    assert!(
        uwv.lines
            .iter()
            .all(|l| l.org_name.as_deref() == Some("UWV Test"))
    );
    let all = store
        .search_log(&w.officer, &everything, &[], None, 500)
        .await
        .unwrap();
    assert!(all.lines.len() > uwv.lines.len());

    // The file holds every line and is logged.
    let file = store
        .export_log(&w.officer, &by_uwv, &[], NOW + 30 * HOUR)
        .await
        .unwrap();
    assert_eq!(file.len(), 11);
    let exported = LogSearch {
        action: Some("logboek-geexporteerd".into()),
        ..Default::default()
    };
    let page = store
        .search_log(&w.officer, &exported, &[], None, 5)
        .await
        .unwrap();
    assert_eq!(page.lines.len(), 1);
}

#[tokio::test]
async fn signals_many_at_night_and_refusals_in_a_row() {
    let w = world().await;
    let store = &w.db.store;
    let period = (NOW, NOW + 48 * HOUR);
    let found = store
        .log_signals(&w.officer, period, &Thresholds::default())
        .await
        .unwrap();
    let (mw, uwv) = (user(&w.worker), user(&w.uwv_worker));
    // The read at NOW + 10 h is at 23:33 Dutch time.
    assert!(
        found
            .iter()
            .any(|s| matches!(s, Signal::AtNight { staff, residents: 1, .. } if *staff == mw)),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|s| matches!(s, Signal::RefusedInARow { staff, count: 11, .. } if *staff == uwv)),
        "{found:?}"
    );
    assert!(
        !found
            .iter()
            .any(|s| matches!(s, Signal::ManyInAnHour { .. }))
    );
    let strict = Thresholds {
        per_hour: 0,
        ..Default::default()
    };
    let found = store
        .log_signals(&w.officer, period, &strict)
        .await
        .unwrap();
    assert!(
        found
            .iter()
            .any(|s| matches!(s, Signal::ManyInAnHour { staff, .. } if *staff == mw))
    );
    // UWV's officer does not see the municipality's staff.
    let theirs = store
        .log_signals(&w.uwv_officer, period, &Thresholds::default())
        .await
        .unwrap();
    assert!(
        theirs
            .iter()
            .all(|s| !matches!(s, Signal::AtNight { staff, .. } if *staff == mw))
    );
}
