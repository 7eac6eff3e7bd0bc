//! The store's contract: every test here runs against SQLite (a fresh file)
//! and, when WEGWIJS_TEST_DATABASE_URL names a PostgreSQL server, against a
//! fresh schema there. `.ci/run` runs this suite both ways.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

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
        let db = TestDb::unmigrated().await;
        db.store.migrate().await.unwrap();
        db
    }

    /// A fresh database with no tables yet, for migration tests.
    async fn unmigrated() -> TestDb {
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
/// The day of `NOW` (in the Netherlands).
fn today() -> time::Date {
    time::Date::from_calendar_date(2026, time::Month::September, 21).unwrap()
}

/// All of the organisation's open work, in due order.
fn all_work() -> wegwijs_domain::work::WorkFilter {
    wegwijs_domain::work::WorkFilter {
        who: wegwijs_domain::work::Who::All,
        ..Default::default()
    }
}

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

#[path = "contract/accounts.rs"]
mod accounts;
#[path = "contract/appointments.rs"]
mod appointments;
#[path = "contract/audit_jobs.rs"]
mod audit_jobs;
#[path = "contract/audit_seal.rs"]
mod audit_seal;
#[path = "contract/consents.rs"]
mod consents;
#[path = "contract/contacts.rs"]
mod contacts;
#[path = "contract/feedback.rs"]
mod feedback;
#[path = "contract/forms.rs"]
mod forms;
#[path = "contract/inzage.rs"]
mod inzage;
#[path = "contract/need_to_know.rs"]
mod need_to_know;
#[path = "contract/notes.rs"]
mod notes;
#[path = "contract/oversight.rs"]
mod oversight;
#[path = "contract/preparations.rs"]
mod preparations;
#[path = "contract/register.rs"]
mod register;
#[path = "contract/requests.rs"]
mod requests;
#[path = "contract/scan.rs"]
mod scan;
#[path = "contract/schema.rs"]
mod schema;
#[path = "contract/selfscan.rs"]
mod selfscan;
#[path = "contract/signal_upkeep.rs"]
mod signal_upkeep;
#[path = "contract/signal_work.rs"]
mod signal_work;
#[path = "contract/signals.rs"]
mod signals;
#[path = "contract/teams_work.rs"]
mod teams_work;
#[path = "contract/work_actions.rs"]
mod work_actions;

/// The call was refused for this reason (not failed some other way, such
/// as a query that does not run on one of the backends).
fn refused(e: &StoreError, why: Denied) -> bool {
    matches!(e, StoreError::Denied(d) if *d == why)
}

/// The call was refused, for whichever reason fits the actor.
fn refused_any(e: &StoreError) -> bool {
    matches!(e, StoreError::Denied(_))
}

/// The thing asked for is not there (or not there for this actor).
fn not_found(e: &StoreError) -> bool {
    matches!(e, StoreError::NotFound)
}
