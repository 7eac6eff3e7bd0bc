//! Hulp vragen: the routing table, requests and their steps, messages,
//! and the resident's overview.

use super::signal_work::setup;
use super::signals::{TODAY, signal, take_in};
use super::*;
use wegwijs_domain::help::{HelpRoute, HelpTopic, RequestKind, RequestStatus};
use wegwijs_domain::work::EntitlementLead;
use wegwijs_store::outbox::Message;
use wegwijs_store::requests::NewRequest;

pub(super) async fn staff_of(store: &Store, org: i64, username: &str, role: Role) -> Staff {
    let new = NewUser {
        org_id: org,
        username,
        display_name: "Test Persoon",
        role,
        password_hash: "x".into(),
    };
    let user_id = store
        .create_user(&Actor::System("test"), new, NOW)
        .await
        .unwrap();
    Staff {
        user_id,
        org_id: org,
        role,
    }
}

/// The money team of `org` (made when it is not there yet), answering
/// within three working days.
pub(super) async fn route(store: &Store, topic: HelpTopic, org: i64) -> HelpRoute {
    let team = match store
        .teams_of(org)
        .await
        .unwrap()
        .iter()
        .find(|t| t.name == "Geldzaken")
    {
        Some(t) => t.id,
        None => {
            let admin = Actor::Staff(Staff {
                user_id: 0,
                org_id: org,
                role: Role::Admin,
            });
            store
                .create_team(&admin, org, "Geldzaken", NOW)
                .await
                .unwrap()
        }
    };
    let mut r = HelpRoute::validate(topic, org, &team.to_string(), "3", "0570 123 456").unwrap();
    r.team = "Geldzaken".into();
    r
}

fn question(words: &str) -> NewRequest {
    NewRequest {
        kind: RequestKind::Hulpvraag,
        topic: "geld".into(),
        topic_name: "Geld en rekeningen".into(),
        own_words: words.into(),
        reach: wegwijs_domain::contact::ContactWays::default(),
    }
}

fn message(subject: &str) -> Message {
    Message {
        subject: subject.into(),
        body: "U hoort binnen 3 werkdagen van ons.".into(),
    }
}

#[tokio::test]
async fn only_a_municipality_admin_keeps_the_routing_table() {
    let (db, worker, _) = setup().await;
    let admin = staff_of(&db.store, worker.org_id, "beheer", Role::Admin).await;
    let uwv = db
        .store
        .create_org("UWV Test", OrgKind::Uwv, NOW)
        .await
        .unwrap();
    let uwv_admin = staff_of(&db.store, uwv, "uwv-beheer", Role::Admin).await;
    let me = Actor::Staff(admin);
    for topic in [HelpTopic::Werk, HelpTopic::Geld] {
        let org = if topic == HelpTopic::Werk {
            uwv
        } else {
            worker.org_id
        };
        db.store
            .set_help_route(&me, &route(&db.store, topic, org).await, NOW)
            .await
            .unwrap();
    }
    let routes = db.store.help_routes().await.unwrap();
    let got: Vec<_> = routes
        .iter()
        .map(|r| (r.route.topic, r.org_name.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (HelpTopic::Geld, "Gemeente Test"),
            (HelpTopic::Werk, "UWV Test")
        ]
    );
    // A change replaces the line.
    let mut changed = route(&db.store, HelpTopic::Geld, worker.org_id).await;
    changed.answer_days = 5;
    db.store.set_help_route(&me, &changed, NOW).await.unwrap();
    assert_eq!(
        db.store.help_routes().await.unwrap()[0].route.answer_days,
        5
    );
    let refused = [
        (Actor::Staff(worker), Denied::Role),
        (Actor::Staff(uwv_admin), Denied::NoWorkRelation),
    ];
    for (actor, why) in refused {
        let err = db
            .store
            .set_help_route(&actor, &route(&db.store, HelpTopic::Zorg, uwv).await, NOW)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Denied(d) if d == why), "{err}");
    }
    // A team that is not the organisation's is not found.
    let mut nowhere = route(&db.store, HelpTopic::Zorg, worker.org_id).await;
    nowhere.org_id = uwv;
    let nowhere = db
        .store
        .set_help_route(&me, &nowhere, NOW)
        .await
        .unwrap_err();
    assert!(matches!(nowhere, StoreError::NotFound));
    assert_eq!(db.store.help_routes().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_request_reaches_the_team_and_its_steps_reach_the_resident() {
    let (db, worker, ids) = setup().await;
    let other_org = org_with_staff(&db.store, "Gemeente Elders", Role::Caseworker).await;
    let staff = Actor::Staff(worker);
    let me = Actor::Resident(ids[0]);
    let r = route(&db.store, HelpTopic::Geld, worker.org_id).await;
    let answer_by = time::macros::date!(2026 - 11 - 25);
    // Before: the caseworker has no reason to see Jansen.
    assert!(
        db.store
            .read_resident(&staff, ids[0], Purpose::Casework, NOW)
            .await
            .is_err_and(|e| crate::refused(&e, Denied::NoWorkRelation))
    );
    // Nobody places a request in someone else's name.
    let err = db
        .store
        .place_request(
            &Actor::Resident(ids[1]),
            ids[0],
            &question("x"),
            (&r, answer_by),
            &message("x"),
            NOW,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Denied(Denied::NotOwnData)));
    let id = db
        .store
        .place_request(
            &me,
            ids[0],
            &question("Ik kan de huur niet betalen."),
            (&r, answer_by),
            &message("Wij hebben uw vraag"),
            NOW,
        )
        .await
        .unwrap();
    // The team's organisation now has open work about Jansen.
    db.store
        .read_resident(&staff, ids[0], Purpose::Casework, NOW + 1)
        .await
        .unwrap();
    let mine = db.store.own_requests(&me, ids[0], NOW + 2).await.unwrap();
    assert_eq!(mine.len(), 1);
    let q = &mine[0];
    assert_eq!(
        (q.id, q.status, q.team.as_str(), q.answer_by.as_str()),
        (id, "ontvangen", "Geldzaken", "2026-11-25")
    );
    assert_eq!(q.steps.len(), 1);
    assert_eq!(q.own_words, "Ik kan de huur niet betalen.");
    let messages = db.store.own_messages(&me, ids[0], NOW + 2).await.unwrap();
    assert_eq!(messages[0].subject, "Wij hebben uw vraag");
    assert_eq!(messages[0].from, "Gemeente Test");
    // Nobody else reads them.
    for other in [Actor::Resident(ids[1]), staff] {
        assert!(
            db.store
                .own_requests(&other, ids[0], NOW)
                .await
                .is_err_and(|e| crate::refused_any(&e))
        );
        assert!(
            db.store
                .own_messages(&other, ids[0], NOW)
                .await
                .is_err_and(|e| crate::refused_any(&e))
        );
    }
    // The caseworker of that organisation sees it; another's sees nothing.
    let seen = db
        .store
        .org_requests_for(&staff, ids[0], NOW)
        .await
        .unwrap();
    assert_eq!(seen.len(), 1);
    let elsewhere = Actor::Staff(other_org);
    assert!(matches!(
        db.store.org_requests_for(&elsewhere, ids[0], NOW).await,
        Err(StoreError::Denied(Denied::NoWorkRelation))
    ));
    let step = (RequestStatus::InBehandeling, "Ik bel u dinsdag.");
    let err = db
        .store
        .answer_request(&elsewhere, id, step, &message("x"), NOW)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Denied(Denied::NoWorkRelation)));
    db.store
        .answer_request(&staff, id, step, &message("Nieuws over uw vraag"), NOW + 3)
        .await
        .unwrap();
    // The same status again without a word changes nothing and sends nothing.
    let again = (RequestStatus::InBehandeling, "");
    let err = db
        .store
        .answer_request(&staff, id, again, &message("x"), NOW + 3)
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Invalid(ref e) if e.problem == wegwijs_domain::Problem::NothingChanged
    ));
    db.store
        .answer_request(
            &staff,
            id,
            (RequestStatus::Afgerond, ""),
            &message("Uw vraag is klaar"),
            NOW + 4,
        )
        .await
        .unwrap();
    let q = &db.store.own_requests(&me, ids[0], NOW + 5).await.unwrap()[0];
    let steps: Vec<_> = q
        .steps
        .iter()
        .map(|s| (s.status, s.note.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            ("ontvangen", ""),
            ("in-behandeling", "Ik bel u dinsdag."),
            ("afgerond", "")
        ]
    );
    assert_eq!(q.status, "afgerond");
    assert_eq!(
        db.store
            .own_messages(&me, ids[0], NOW + 5)
            .await
            .unwrap()
            .len(),
        3
    );
    // Done: the work is closed, and with it the reason to see Jansen.
    assert!(matches!(
        db.store
            .read_resident(&staff, ids[0], Purpose::Casework, NOW + 6)
            .await,
        Err(StoreError::Denied(Denied::NoWorkRelation))
    ));
    let raw = db.raw().await;
    let logged: Vec<String> = sqlx::query("SELECT detail FROM audit_log")
        .fetch_all(&raw)
        .await
        .unwrap()
        .iter()
        .map(|r| sqlx::Row::get(r, 0))
        .collect();
    assert!(
        logged
            .iter()
            .all(|d| !d.contains("huur") && !d.contains("dinsdag"))
    );
}

#[tokio::test]
async fn the_newest_ways_to_reach_fill_the_next_form_for_the_resident_only() {
    use wegwijs_domain::contact::ContactWays;
    let (db, worker, ids) = setup().await;
    let me = Actor::Resident(ids[0]);
    let r = route(&db.store, HelpTopic::Geld, worker.org_id).await;
    let by = time::macros::date!(2026 - 11 - 25);
    let none = db.store.known_contact_ways(&me, ids[0], NOW).await.unwrap();
    assert!(none.is_empty());
    for (i, reach) in [
        ContactWays::validate("06 1111 1111", "oud@voorbeeld.nl").unwrap(),
        ContactWays::phone("06 2222 2222".into()),
    ]
    .into_iter()
    .enumerate()
    {
        let ask = NewRequest {
            reach,
            ..question(&format!("vraag {i}"))
        };
        db.store
            .place_request(&me, ids[0], &ask, (&r, by), &message("a"), NOW)
            .await
            .unwrap();
    }
    // The newest number, and the newest e-mail address given at all.
    let known = db.store.known_contact_ways(&me, ids[0], NOW).await.unwrap();
    assert_eq!(known.phone.as_deref(), Some("06 2222 2222"));
    assert_eq!(known.email.as_deref(), Some("oud@voorbeeld.nl"));
    let theirs = db
        .store
        .known_contact_ways(&Actor::Resident(ids[1]), ids[0], NOW)
        .await;
    assert!(theirs.is_err_and(|e| crate::refused(&e, Denied::NotOwnData)));
    let staff = db
        .store
        .known_contact_ways(&Actor::Staff(worker), ids[0], NOW)
        .await;
    assert!(staff.is_err());
    // The caseworker reads both with the request.
    let seen = db
        .store
        .org_requests_for(&Actor::Staff(worker), ids[0], NOW)
        .await
        .unwrap();
    assert_eq!(seen[1].reach.email.as_deref(), Some("oud@voorbeeld.nl"));
}

#[tokio::test]
async fn the_overview_shows_the_residents_own_signals_and_leads() {
    let (db, worker, ids) = setup().await;
    take_in(
        &db.store,
        worker.org_id,
        &[
            signal("S1", "Huur", None, "Jansen", "90000"),
            signal("S2", "Water", None, "Bakker", "5000"),
        ],
        2,
    )
    .await;
    let lead = EntitlementLead {
        resident: ids[0],
        law: "zorgtoeslagwet".into(),
        law_name: "Zorgtoeslag".into(),
        cents_per_year: Some(123_400),
        voorziening: None,
    };
    db.store
        .open_entitlement_work(&Actor::System("scan"), worker.org_id, TODAY, &[lead], NOW)
        .await
        .unwrap();
    let me = Actor::Resident(ids[0]);
    let o = db.store.own_overview(&me, ids[0], NOW).await.unwrap();
    assert_eq!(o.signals.len(), 1);
    let s = &o.signals[0];
    assert_eq!(
        (s.partner_type.as_str(), s.cents, s.open),
        ("huur", 90_000, true)
    );
    assert_eq!(o.leads.len(), 1);
    assert_eq!(o.leads[0].law_name, "Zorgtoeslag");
    let bakker = db
        .store
        .own_overview(&Actor::Resident(ids[1]), ids[1], NOW)
        .await
        .unwrap();
    assert_eq!(bakker.signals.len(), 1);
    assert!(bakker.leads.is_empty());
    assert!(
        db.store
            .own_overview(&Actor::Resident(ids[1]), ids[0], NOW)
            .await
            .is_err_and(|e| crate::refused(&e, Denied::NotOwnData))
    );
    assert!(
        db.store
            .own_overview(&Actor::Staff(worker), ids[0], NOW)
            .await
            .is_err_and(|e| crate::refused(&e, Denied::Purpose))
    );
    // The whole page at once: the same, under one entry; others refused
    // and logged.
    let before = db.store.audit_page(0, 100_000, None).await.unwrap().len();
    let page = db.store.own_page(&me, ids[0], NOW).await.unwrap();
    assert_eq!(
        (page.overview.signals.len(), page.overview.leads.len()),
        (1, 1)
    );
    assert_eq!(page.resident.id, ids[0]);
    let after = db.store.audit_page(0, 100_000, None).await.unwrap();
    assert_eq!(after.len(), before + 1);
    assert_eq!(after[before].action, "overzicht-bekeken");
    assert!(
        db.store
            .own_page(&Actor::Resident(ids[1]), ids[0], NOW)
            .await
            .is_err_and(|e| crate::refused(&e, Denied::NotOwnData))
    );
    // The household's facts for the explanation: the referent only.
    let h = db
        .store
        .own_household(&me, ids[0], TODAY, NOW)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(h.netto_inkomen_maand, 150_000);
    assert!(
        db.store
            .own_household(&Actor::Resident(ids[1]), ids[0], TODAY, NOW)
            .await
            .is_err_and(|e| crate::refused(&e, Denied::NotOwnData))
    );
}

#[tokio::test]
async fn asking_twice_is_one_request_and_done_is_done() {
    let (db, worker, ids) = setup().await;
    let other_org = org_with_staff(&db.store, "Gemeente Elders", Role::Caseworker).await;
    let me = Actor::Resident(ids[0]);
    let r = route(&db.store, HelpTopic::Geld, worker.org_id).await;
    let by = time::macros::date!(2026 - 11 - 25);
    let apply = NewRequest {
        kind: RequestKind::Aanvragen,
        topic: "zorgtoeslagwet".into(),
        topic_name: "Zorgtoeslag".into(),
        own_words: String::new(),
        reach: wegwijs_domain::contact::ContactWays::default(),
    };
    let first = db
        .store
        .place_request(&me, ids[0], &apply, (&r, by), &message("a"), NOW)
        .await
        .unwrap();
    let again = db
        .store
        .place_request(&me, ids[0], &apply, (&r, by), &message("a"), NOW + 1)
        .await
        .unwrap();
    assert_eq!(first, again);
    assert_eq!(
        db.store.own_requests(&me, ids[0], NOW).await.unwrap().len(),
        1
    );
    let staff = Actor::Staff(worker);
    // "Ontvangen" is not a step to set; after "afgerond" nothing more.
    let back = db
        .store
        .answer_request(
            &staff,
            first,
            (RequestStatus::Ontvangen, ""),
            &message("x"),
            NOW,
        )
        .await;
    assert!(matches!(back, Err(StoreError::Invalid(_))));
    db.store
        .answer_request(
            &staff,
            first,
            (RequestStatus::Afgerond, ""),
            &message("x"),
            NOW,
        )
        .await
        .unwrap();
    let late = db
        .store
        .answer_request(
            &staff,
            first,
            (RequestStatus::InBehandeling, ""),
            &message("x"),
            NOW,
        )
        .await;
    assert!(matches!(late, Err(StoreError::NotFound)));
    // Another organisation's caseworker without work here is refused, in the log.
    let elsewhere = db
        .store
        .org_requests_for(&Actor::Staff(other_org), ids[0], NOW)
        .await;
    assert!(matches!(
        elsewhere,
        Err(StoreError::Denied(Denied::NoWorkRelation))
    ));
}

#[tokio::test]
async fn the_same_question_in_the_same_words_within_the_hour_is_one_request() {
    let (db, worker, ids) = setup().await;
    let me = Actor::Resident(ids[0]);
    let r = route(&db.store, HelpTopic::Geld, worker.org_id).await;
    let by = time::macros::date!(2026 - 11 - 25);
    let mut got = Vec::new();
    for (words, at) in [
        ("Ik kan de huur niet betalen.", NOW),
        ("Ik kan de huur niet betalen.", NOW + 60),
        ("Iets anders.", NOW + 60),
        ("Ik kan de huur niet betalen.", NOW + 3601),
    ] {
        let id = db
            .store
            .place_request(&me, ids[0], &question(words), (&r, by), &message("a"), at)
            .await
            .unwrap();
        got.push(id);
    }
    assert_eq!(got[1], got[0], "the same words within the hour");
    assert_ne!(got[2], got[0], "other words");
    assert_ne!(got[3], got[0], "an hour later");
}
