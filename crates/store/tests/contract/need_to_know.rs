//! Need-to-know on both databases: the field groups a reader sees follow
//! their organisation's open work and the resident's sharing consents; who
//! decides on consents; the household's choices where staff act.

use super::signal_work::setup;
use super::signals::{TODAY, signal, take_in};
use super::*;
use time::macros::date;
use wegwijs_domain::consent::Topic;
use wegwijs_domain::policy::{FieldGroup, Hidden};
use wegwijs_domain::signal::{ContactAttempt, ContactKind, Dagdeel};
use wegwijs_store::consents::Change;

/// An organisation of `kind` with one caseworker.
async fn other_org(store: &Store, kind: OrgKind) -> Staff {
    let org = store.create_org(kind.code(), kind, NOW).await.unwrap();
    let name = format!("{}-medewerker", kind.code());
    let new = NewUser {
        org_id: org,
        username: &name,
        display_name: "Test Persoon",
        role: Role::Caseworker,
        password_hash: "x".into(),
    };
    let id = store.create_user(&IMPORT, new, NOW).await.unwrap();
    Staff {
        user_id: id,
        org_id: org,
        role: Role::Caseworker,
    }
}

/// Jansen's household HH-1: an adult, a child of 17 and one of 14 (on
/// NOW, 2026-09-21).
async fn household(db: &TestDb) -> (ResidentId, ResidentId, ResidentId) {
    let mut teen = record(30_000_000, "Jansen", "HH-1");
    teen.geboortedatum = date!(2009 - 06 - 01);
    teen.rol_in_huishouden = HouseholdRole::Kind;
    let mut child = record(40_000_000, "Jansen", "HH-1");
    child.geboortedatum = date!(2012 - 01 - 01);
    child.rol_in_huishouden = HouseholdRole::Kind;
    db.store
        .import_register(&IMPORT, &[teen.clone(), child.clone()], NOW, &|_| {})
        .await
        .unwrap();
    let find = |ids: &[ResidentId], n: usize| ids[n];
    let ids = db.store.resident_ids(1_000).await.unwrap();
    (find(&ids, 0), find(&ids, 2), find(&ids, 3))
}

#[tokio::test]
async fn field_groups_follow_the_work_and_the_sharing_consent() {
    let (db, gemeente, _) = setup().await;
    let (adult, teen, child) = household(&db).await;
    let uwv = other_org(&db.store, OrgKind::Uwv).await;
    let system = Actor::System("test");
    for who in [teen, child] {
        db.store
            .open_work(&system, uwv.org_id, who, WorkKind::Hulpvraag, NOW)
            .await
            .unwrap();
    }
    let read = |who: ResidentId, by: Staff| {
        let store = db.store.clone();
        async move {
            store
                .read_resident(&Actor::Staff(by), who, Purpose::Casework, NOW)
                .await
        }
    };
    let seen = read(teen, uwv).await.unwrap();
    assert!(seen.name().is_some() && seen.address().is_some());
    assert_eq!(seen.money(), None);
    assert_eq!(seen.household_role(), None);
    assert!(seen.access.hidden.contains(&(
        FieldGroup::InkomenVermogen,
        Hidden::NotShared(Topic::DelenUwv)
    )));

    // The 17-year-old shares with UWV: UWV sees more.
    let me = Actor::Resident(teen);
    db.store
        .change_consent(&me, teen, Change::Set(Topic::DelenUwv, true), NOW)
        .await
        .unwrap();
    let seen = read(teen, uwv).await.unwrap();
    assert!(seen.money().is_some() && seen.benefits().is_some());
    assert_eq!(seen.sharing, vec![Topic::DelenUwv]);
    assert!(seen.access.shows(FieldGroup::Huishouden));
    assert!(!seen.access.shows(FieldGroup::Betalingsachterstanden));

    // The 14-year-old cannot give it; the refusal is logged.
    let kid = Actor::Resident(child);
    let refused = db
        .store
        .change_consent(&kid, child, Change::Set(Topic::DelenUwv, true), NOW)
        .await;
    assert!(
        matches!(refused, Err(StoreError::Denied(Denied::Age))),
        "{refused:?}"
    );
    assert_eq!(read(child, uwv).await.unwrap().money(), None);
    let log = db.store.audit_page(0, 10_000, None).await.unwrap();
    assert!(log.iter().any(|e| e.resident_id == Some(child.0)
        && e.action == "toestemming-gewijzigd"
        && e.outcome == "geweigerd:leeftijd"));
    // The audit entry of each read names the groups shown.
    assert!(log.iter().any(|e| e.resident_id == Some(teen.0)
        && e.action == "inwoner-bekeken"
        && e.detail
            == "getoond: identiteit, contact, huishouden, inkomen-vermogen, voorzieningen, hulpvragen-afspraken, dossier"));

    // The municipality without work reads nothing; with an entitlement
    // lead, the money but not the arrears.
    assert!(matches!(
        read(adult, gemeente).await,
        Err(StoreError::Denied(Denied::NoWorkRelation))
    ));
    db.store
        .open_work(
            &system,
            gemeente.org_id,
            adult,
            WorkKind::MogelijkRecht,
            NOW,
        )
        .await
        .unwrap();
    let seen = read(adult, gemeente).await.unwrap();
    assert!(seen.money().is_some());
    assert!(
        seen.access
            .hidden
            .contains(&(FieldGroup::Betalingsachterstanden, Hidden::NotNeeded))
    );
}

#[tokio::test]
async fn only_choices_of_those_who_decide_hold_for_the_household() {
    let (db, worker, _) = setup().await;
    let (adult, teen, child) = household(&db).await;
    take_in(
        &db.store,
        worker.org_id,
        &[signal("S1", "Huur", None, "Jansen", "90000")],
        1,
    )
    .await;
    let planned = db.store.plan_outreach(TODAY, NOW).await.unwrap();
    assert!(planned > 0);
    // A "no" a 14-year-old recorded before this rule (data of an older
    // version) does not stop the household's outreach.
    let raw = db.raw().await;
    sqlx::query(
        "INSERT INTO consent_state (resident_id, topic, given, until, text_version, at) \
         VALUES ($1, 'proactief-benaderen', 0, NULL, '2026-11', $2)",
    )
    .bind(child.0)
    .bind(NOW)
    .execute(&raw)
    .await
    .unwrap();
    let later = date!(2026 - 12 - 02);
    let staff = Actor::Staff(worker);
    let case = super::signal_work::first_case(&db, &staff).await;
    let view = db.store.signal_case(&staff, case, NOW).await.unwrap();
    assert!(view.choices.may_approach(), "{:?}", view.choices);
    assert!(db.store.plan_outreach(later, NOW).await.unwrap() > 0);

    // The 17-year-old's "no home visits" holds: the case shows it and a
    // visit cannot be recorded; a call can.
    db.store
        .change_consent(
            &Actor::Resident(teen),
            teen,
            Change::Set(Topic::Huisbezoek, false),
            NOW,
        )
        .await
        .unwrap();
    let view = db.store.signal_case(&staff, case, NOW).await.unwrap();
    assert!(view.choices.refused_channels.contains(&Topic::Huisbezoek));
    let attempt = |kind| ContactAttempt {
        kind,
        on: date!(2026 - 11 - 23),
        dagdeel: Dagdeel::Ochtend,
        reached: false,
    };
    let refused = db
        .store
        .record_contact_attempt(&staff, case, &attempt(ContactKind::Huisbezoek), NOW)
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Invalid(e)) if e.field == "soort"),
        "{refused:?}"
    );
    db.store
        .record_contact_attempt(&staff, case, &attempt(ContactKind::Telefoon), NOW)
        .await
        .unwrap();

    // The adult's "no" stops it all, and staff see who chose it.
    db.store
        .change_consent(
            &Actor::Resident(adult),
            adult,
            Change::Set(Topic::ProactiefBenaderen, false),
            NOW + 1,
        )
        .await
        .unwrap();
    let view = db.store.signal_case(&staff, case, NOW + 2).await.unwrap();
    assert_eq!(view.choices.not_approached.len(), 1);
    assert_eq!(view.choices.not_approached[0].resident, adult);
    assert!(view.choices.not_approached[0].name.is_some());
    assert_eq!(db.store.plan_outreach(later, NOW + 2).await.unwrap(), 0);
    // The other adults see the choice without the name.
    let c = db
        .store
        .own_consents(&Actor::Resident(teen), teen, TODAY, NOW + 3)
        .await
        .unwrap();
    assert!(c.decides);
    assert_eq!(c.household.not_approached[0].name, None);
    let c = db
        .store
        .own_consents(&Actor::Resident(child), child, TODAY, NOW + 3)
        .await
        .unwrap();
    assert!(!c.decides);
}
