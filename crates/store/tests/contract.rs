//! The store's contract: every test here runs against SQLite (a fresh file)
//! and, when WEGWIJS_TEST_DATABASE_URL names a PostgreSQL server, against a
//! fresh schema there. `.ci/run` runs this suite both ways.

use sqlx::Executor;
use std::sync::Arc;
use wegwijs_domain::person::{Address, PersonName};
use wegwijs_domain::{
    Actor, Bsn, Denied, Finances, HouseholdRole, Money, OrgKind, Purpose, ResidentId,
    ResidentRecord, Role, Staff, WorkKind,
};
use wegwijs_store::audit::Break;
use wegwijs_store::meta::Mode;
use wegwijs_store::sessions::{Lifetimes, Subject};
use wegwijs_store::users::NewUser;
use wegwijs_store::{Store, StoreError};

struct TestDb {
    store: Store,
    url: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    async fn new() -> TestDb {
        let (url, dir) = match std::env::var("WEGWIJS_TEST_DATABASE_URL") {
            Ok(base) if !base.is_empty() => (fresh_pg_schema(&base).await, None),
            _ => {
                let dir = tempfile::tempdir().unwrap();
                (
                    format!("sqlite://{}", dir.path().join("test.db").display()),
                    Some(dir),
                )
            }
        };
        let store = Store::connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        TestDb {
            store,
            url,
            _dir: dir,
        }
    }

    /// A raw connection for doing what wegwijs never does (tampering).
    async fn raw(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::AnyPool::connect(&self.url).await.unwrap()
    }
}

async fn fresh_pg_schema(base: &str) -> String {
    sqlx::any::install_default_drivers();
    let schema = format!("t_{}", rand::random::<u64>());
    let pool = sqlx::AnyPool::connect(base).await.unwrap();
    pool.execute(format!("CREATE SCHEMA {schema}").as_str())
        .await
        .unwrap();
    pool.close().await;
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{schema}")
}

fn record(prefix: u32, surname: &str, household: &str) -> ResidentRecord {
    let bsn = (prefix..).find_map(Bsn::from_prefix).unwrap();
    ResidentRecord {
        bsn,
        name: PersonName::new("Anna Maria", "van der", surname).unwrap(),
        geboortedatum: time::macros::date!(1980 - 05 - 31),
        address: Address::new("Dorpsstraat", "12", "", "", "1234 AB", "Wegwijzerveen").unwrap(),
        wijk: "Centrum".into(),
        buurt: "Oude Kern".into(),
        huishouden: household.into(),
        rol_in_huishouden: HouseholdRole::Referentiepersoon,
        finances: Finances {
            netto_inkomen_maand: Money::from_cents(150_000),
            vermogen: Money::ZERO,
            voorzieningen: vec![],
        },
    }
}

const IMPORT: Actor = Actor::System("test-import");
const NOW: i64 = 1_790_000_000;

async fn org_with_staff(store: &Store, name: &str, role: Role) -> Staff {
    let org = store
        .create_org(name, OrgKind::Gemeente, NOW)
        .await
        .unwrap();
    let uname = format!("{}-{}", name.to_lowercase().replace(' ', "-"), role.code());
    let new = NewUser {
        org_id: org,
        username: &uname,
        display_name: "Test Persoon",
        role,
        password_hash: "x".into(),
    };
    let id = store
        .create_user(&Actor::System("test"), new, NOW)
        .await
        .unwrap();
    Staff {
        user_id: id,
        org_id: org,
        role,
    }
}

async fn import(store: &Store, records: &[ResidentRecord]) -> Vec<ResidentId> {
    store
        .import_register(&IMPORT, records, NOW, &|_| {})
        .await
        .unwrap();
    store.resident_ids(1_000).await.unwrap()
}

#[tokio::test]
async fn migrations_are_idempotent_and_a_newer_database_is_refused() {
    let db = TestDb::new().await;
    db.store.migrate().await.unwrap();
    let raw = db.raw().await;
    sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (999, 'future', TRUE, $1, 0)")
        .bind(vec![0u8; 48])
        .execute(&raw)
        .await
        .unwrap();
    match db.store.migrate().await {
        Err(StoreError::NewerDatabase(999)) => {}
        other => panic!("expected NewerDatabase(999), got {other:?}"),
    }
}

#[tokio::test]
async fn the_mode_is_fixed_at_first_setup() {
    let db = TestDb::new().await;
    assert_eq!(db.store.mode().await.unwrap(), None);
    assert_eq!(db.store.init_mode(Mode::Demo).await.unwrap(), Mode::Demo);
    assert_eq!(
        db.store.init_mode(Mode::Production).await.unwrap(),
        Mode::Demo
    );
}

#[tokio::test]
async fn users_are_unique_and_scoped_to_their_organisation() {
    let db = TestDb::new().await;
    let admin = org_with_staff(&db.store, "Gemeente A", Role::Admin).await;
    let other = org_with_staff(&db.store, "Gemeente B", Role::Admin).await;
    let dup = NewUser {
        org_id: admin.org_id,
        username: "Gemeente-A-beheerder",
        display_name: "X",
        role: Role::Caseworker,
        password_hash: "x".into(),
    };
    assert!(matches!(
        db.store.create_user(&Actor::Staff(admin), dup, NOW).await,
        Err(StoreError::Duplicate(_))
    ));
    let (user, hash) = db
        .store
        .credentials(" GEMEENTE-A-BEHEERDER ")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (user.id, hash.as_str(), user.role),
        (admin.user_id, "x", Role::Admin)
    );
    assert!(db.store.credentials("niemand").await.unwrap().is_none());
    // An admin of another organisation cannot block this account.
    assert!(matches!(
        db.store
            .set_user_active(&other, admin.user_id, false, NOW)
            .await,
        Err(StoreError::NotFound)
    ));
    let bad = NewUser {
        org_id: admin.org_id,
        username: "a b",
        display_name: "X",
        role: Role::Caseworker,
        password_hash: "x".into(),
    };
    match db.store.create_user(&Actor::Staff(admin), bad, NOW).await {
        Err(StoreError::Invalid(e)) => assert_eq!(e.field, "gebruikersnaam"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn sessions_expire_slide_and_end_when_an_account_is_blocked() {
    let db = TestDb::new().await;
    let admin = org_with_staff(&db.store, "Gemeente A", Role::Admin).await;
    let worker = org_with_staff(&db.store, "Gemeente A2", Role::Caseworker).await;
    let life = Lifetimes {
        idle_secs: 1800,
        absolute_secs: 3600,
    };
    db.store
        .create_session("h1", Subject::Staff(worker.user_id), "csrf1", NOW, life)
        .await
        .unwrap();
    let s = db
        .store
        .session("h1", NOW + 10, life)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.actor, Actor::Staff(worker));
    assert_eq!(s.csrf_token, "csrf1");
    assert_eq!(s.display_name.as_deref(), Some("Test Persoon"));
    // Use keeps it alive, but never past the absolute limit.
    assert!(
        db.store
            .session("h1", NOW + 1700, life)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        db.store
            .session("h1", NOW + 3400, life)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        db.store
            .session("h1", NOW + 3600, life)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        db.store
            .session("unknown", NOW, life)
            .await
            .unwrap()
            .is_none()
    );
    // Blocking ends the session.
    db.store
        .create_session("h2", Subject::Staff(admin.user_id), "c", NOW, life)
        .await
        .unwrap();
    let worker_org_admin = Staff {
        org_id: worker.org_id,
        ..admin
    };
    db.store
        .create_session("h3", Subject::Staff(worker.user_id), "c", NOW, life)
        .await
        .unwrap();
    db.store
        .set_user_active(&worker_org_admin, worker.user_id, false, NOW)
        .await
        .unwrap();
    assert!(
        db.store
            .session("h3", NOW + 1, life)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        db.store
            .delete_expired_sessions(NOW + 10_000, 900)
            .await
            .unwrap(),
        1
    );
    // Failed logins are counted per username, across instances.
    for i in 0..3 {
        db.store.record_login_failure("Jan", NOW + i).await.unwrap();
    }
    assert_eq!(db.store.login_failures_since("jan", NOW).await.unwrap(), 2);
    db.store.clear_login_failures("JAN").await.unwrap();
    assert_eq!(db.store.login_failures_since("jan", 0).await.unwrap(), 0);
}

#[tokio::test]
async fn the_register_import_is_idempotent_and_audited() {
    let db = TestDb::new().await;
    let records: Vec<_> = (0..1_203)
        .map(|i| {
            record(
                10_000_000 + i * 13,
                &format!("Jansen{i}"),
                &format!("hh{}", i / 2),
            )
        })
        .collect();
    let s = db
        .store
        .import_register(&IMPORT, &records, NOW, &|_| {})
        .await
        .unwrap();
    assert_eq!((s.written, s.unchanged), (1_203, 0));
    let again = db
        .store
        .import_register(&IMPORT, &records, NOW, &|_| {})
        .await
        .unwrap();
    assert_eq!((again.written, again.unchanged), (0, 1_203));
    let mut changed = records.clone();
    changed[7].address = Address::new("Kerkweg", "3", "b", "", "4321 ZX", "Wegwijzerveen").unwrap();
    let third = db
        .store
        .import_register(&IMPORT, &changed, NOW, &|_| {})
        .await
        .unwrap();
    assert_eq!((third.written, third.unchanged), (1, 1_202));
    assert_eq!(db.store.count_residents().await.unwrap(), 1_203);
    let v = db.store.verify_audit().await.unwrap();
    assert_eq!((v.entries, v.breaks.len()), (1_204, 0));
    // Staff may not write the register.
    let staff = org_with_staff(&db.store, "Gemeente A", Role::Admin).await;
    assert!(matches!(
        db.store
            .import_register(&Actor::Staff(staff), &records, NOW, &|_| {})
            .await,
        Err(StoreError::Denied(Denied::Role))
    ));
}

#[tokio::test]
async fn an_import_that_dies_halfway_leaves_nothing_behind() {
    let db = TestDb::new().await;
    let records: Vec<_> = (0..1_500)
        .map(|i| record(20_000_000 + i * 17, "Bakker", &format!("hh{i}")))
        .collect();
    let store = db.store.clone();
    let crashed = tokio::spawn(async move {
        store
            .import_register(&IMPORT, &records, NOW, &|done| {
                if done > 600 {
                    panic!("simulated crash after {done} records");
                }
            })
            .await
    })
    .await;
    assert!(crashed.is_err(), "the import should have died");
    assert_eq!(db.store.count_residents().await.unwrap(), 0);
    assert_eq!(db.store.verify_audit().await.unwrap().entries, 0);
}

#[tokio::test]
async fn reading_a_resident_follows_the_policy_and_is_always_logged() {
    let db = TestDb::new().await;
    let ids = import(
        &db.store,
        &[
            record(30_000_000, "Visser", "a"),
            record(30_000_100, "Smit", "b"),
        ],
    )
    .await;
    let worker = org_with_staff(&db.store, "Gemeente A", Role::Caseworker).await;
    let outsider = org_with_staff(&db.store, "Gemeente B", Role::Caseworker).await;
    let me = Actor::Staff(worker);
    let r = ids[0];
    assert!(matches!(
        db.store.read_resident(&me, r, Purpose::Casework, NOW).await,
        Err(StoreError::Denied(Denied::NoWorkRelation))
    ));
    db.store
        .open_work(&IMPORT, worker.org_id, r, WorkKind::Aanmelding, NOW)
        .await
        .unwrap();
    let got = db
        .store
        .read_resident(&me, r, Purpose::Casework, NOW)
        .await
        .unwrap();
    assert_eq!(got.record.name.achternaam, "Visser");
    assert_eq!(got.record.address.postcode.to_string(), "1234 AB");
    assert!(
        db.store
            .read_resident(&Actor::Staff(outsider), r, Purpose::Casework, NOW)
            .await
            .is_err()
    );
    assert!(
        db.store
            .read_resident(&Actor::Resident(r), r, Purpose::OwnView, NOW)
            .await
            .is_ok()
    );
    assert!(
        db.store
            .read_resident(&Actor::Resident(ids[1]), r, Purpose::OwnView, NOW)
            .await
            .is_err()
    );
    let log = db.store.audit_page(0, 100, None).await.unwrap();
    let reads: Vec<_> = log
        .iter()
        .filter(|e| e.action == "inwoner-bekeken")
        .map(|e| e.outcome.as_str())
        .collect();
    assert_eq!(
        reads,
        [
            "geweigerd:geen-werkrelatie",
            "toegestaan",
            "geweigerd:geen-werkrelatie",
            "toegestaan",
            "geweigerd:niet-eigen-gegevens"
        ]
    );
    // The log names actors and residents by id, never by name or BSN.
    let bsn = got.record.bsn.expose();
    assert!(
        log.iter()
            .all(|e| !format!("{e:?}").contains("Visser") && !format!("{e:?}").contains(&bsn))
    );
}

#[tokio::test]
async fn the_worklist_shows_own_work_and_logs_each_resident() {
    let db = TestDb::new().await;
    let ids = import(
        &db.store,
        &[
            record(40_000_000, "Mulder", "a"),
            record(40_000_200, "Bos", "b"),
            record(40_000_400, "Vos", "c"),
        ],
    )
    .await;
    let worker = org_with_staff(&db.store, "Gemeente A", Role::Caseworker).await;
    let other = org_with_staff(&db.store, "Gemeente B", Role::Caseworker).await;
    let lead = Staff {
        role: Role::TeamLead,
        ..worker
    };
    db.store
        .open_work(&IMPORT, worker.org_id, ids[0], WorkKind::Aanmelding, NOW)
        .await
        .unwrap();
    let w = db
        .store
        .open_work(&IMPORT, worker.org_id, ids[1], WorkKind::Signaal, NOW + 1)
        .await
        .unwrap();
    db.store
        .open_work(&IMPORT, other.org_id, ids[2], WorkKind::Signaal, NOW)
        .await
        .unwrap();
    let before = db.store.verify_audit().await.unwrap().entries;
    let list = db
        .store
        .worklist(&Actor::Staff(worker), 50, NOW)
        .await
        .unwrap();
    let names: Vec<_> = list.iter().map(|w| w.name.achternaam.as_str()).collect();
    assert_eq!(names, ["Mulder", "Bos"]);
    assert_eq!(db.store.verify_audit().await.unwrap().entries, before + 2);
    let admin = Staff {
        role: Role::Admin,
        ..worker
    };
    assert!(matches!(
        db.store.worklist(&Actor::Staff(admin), 50, NOW).await,
        Err(StoreError::Denied(_))
    ));
    db.store
        .close_work(&Actor::Staff(worker), w, NOW + 2)
        .await
        .unwrap();
    assert!(matches!(
        db.store.close_work(&Actor::Staff(other), w, NOW).await,
        Err(StoreError::NotFound)
    ));
    let figures = db.store.team_figures(&Actor::Staff(lead)).await.unwrap();
    assert_eq!(
        figures.open_by_kind,
        vec![
            ("aanmelding".into(), 1),
            ("signaal".into(), 0),
            ("doorverwijzing".into(), 0)
        ]
    );
    assert_eq!(
        (figures.residents_with_open_work, figures.closed_total),
        (1, 1)
    );
    assert!(db.store.team_figures(&Actor::Staff(worker)).await.is_err());
}

#[tokio::test]
async fn audit_verification_finds_changed_removed_and_reordered_entries() {
    let db = TestDb::new().await;
    let ids = import(
        &db.store,
        &(0..6)
            .map(|i| record(50_000_000 + i * 100, "Dekker", "h"))
            .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(ids.len(), 6);
    let clean = db.store.verify_audit().await.unwrap();
    assert_eq!((clean.entries, clean.breaks.clone()), (6, vec![]));
    assert_eq!(clean.head.as_ref().map(|h| h.0), Some(6));
    let raw = db.raw().await;
    sqlx::query("UPDATE audit_log SET detail = 'gewist' WHERE seq = 2")
        .execute(&raw)
        .await
        .unwrap();
    assert_eq!(
        db.store.verify_audit().await.unwrap().breaks,
        vec![Break::Changed { seq: 2 }]
    );
    sqlx::query("UPDATE audit_log SET detail = '' WHERE seq = 2")
        .execute(&raw)
        .await
        .unwrap();
    sqlx::query("DELETE FROM audit_log WHERE seq = 4")
        .execute(&raw)
        .await
        .unwrap();
    assert_eq!(
        db.store.verify_audit().await.unwrap().breaks,
        vec![Break::Missing { after: 3, next: 5 }]
    );
    // Swap entries 5 and 6 wholesale (seq numbers kept in place).
    sqlx::query("UPDATE audit_log SET seq = -5 WHERE seq = 5")
        .execute(&raw)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET seq = 5 WHERE seq = 6")
        .execute(&raw)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET seq = 6 WHERE seq = -5")
        .execute(&raw)
        .await
        .unwrap();
    let breaks = db.store.verify_audit().await.unwrap().breaks;
    assert!(
        breaks.contains(&Break::Changed { seq: 5 }) && breaks.contains(&Break::Changed { seq: 6 }),
        "{breaks:?}"
    );
}

#[tokio::test]
async fn concurrent_appends_keep_one_unbroken_chain() {
    let db = TestDb::new().await;
    let ids = import(&db.store, &[record(60_000_000, "Meijer", "h")]).await;
    let r = ids[0];
    let worker = org_with_staff(&db.store, "Gemeente A", Role::Caseworker).await;
    db.store
        .open_work(&IMPORT, worker.org_id, ids[0], WorkKind::Aanmelding, NOW)
        .await
        .unwrap();
    let before = db.store.verify_audit().await.unwrap().entries;
    let store = Arc::new(db.store.clone());
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .read_resident(&Actor::Staff(worker), r, Purpose::Casework, NOW + i)
                    .await
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let v = db.store.verify_audit().await.unwrap();
    assert_eq!((v.entries, v.breaks), (before + 40, vec![]));
}

#[tokio::test]
async fn a_due_job_is_leased_to_exactly_one_instance() {
    let db = TestDb::new().await;
    db.store.ensure_job("opruimen", NOW).await.unwrap();
    db.store.ensure_job("opruimen", NOW + 999).await.unwrap();
    assert!(
        !db.store
            .claim_job("opruimen", "a", NOW - 1, 60)
            .await
            .unwrap(),
        "not due yet"
    );
    let store = Arc::new(db.store.clone());
    let claims: Vec<_> = (0..8)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .claim_job("opruimen", &format!("instance-{i}"), NOW, 60)
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut winners = 0;
    for c in claims {
        winners += c.await.unwrap() as i32;
    }
    assert_eq!(winners, 1);
    // A crashed owner's lease runs out and another instance takes over.
    assert!(
        !db.store
            .claim_job("opruimen", "late", NOW + 59, 60)
            .await
            .unwrap()
    );
    assert!(
        db.store
            .claim_job("opruimen", "late", NOW + 60, 60)
            .await
            .unwrap()
    );
    assert!(
        !db.store
            .finish_job("opruimen", "instance-0", NOW + 61, NOW + 3600, "ok")
            .await
            .unwrap()
    );
    assert!(
        db.store
            .finish_job("opruimen", "late", NOW + 61, NOW + 3600, "ok")
            .await
            .unwrap()
    );
    assert!(
        !db.store
            .claim_job("opruimen", "a", NOW + 62, 60)
            .await
            .unwrap(),
        "next run is an hour later"
    );
    assert_eq!(
        db.store.jobs().await.unwrap(),
        vec![("opruimen".into(), NOW + 3600, Some("ok".into()))]
    );
}

#[tokio::test]
async fn a_sqlite_backup_holds_the_same_data() {
    let db = TestDb::new().await;
    if db.store.backend() != wegwijs_store::Backend::Sqlite {
        return; // PostgreSQL is backed up with pg_dump, outside wegwijs.
    }
    import(&db.store, &[record(70_000_000, "Peters", "h")]).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.db");
    db.store.backup_to(&file).await.unwrap();
    let copy = Store::connect(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    copy.migrate().await.unwrap();
    assert_eq!(copy.count_residents().await.unwrap(), 1);
    assert_eq!(copy.verify_audit().await.unwrap().breaks, vec![]);
}
