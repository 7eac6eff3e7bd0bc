#![allow(dead_code)] // shared by two test targets; each uses part of it
//! A running app on a random port with a known population, and a small
//! browser-like client (cookies, CSRF tokens from the last page, no
//! redirects followed).

use openidconnect::reqwest;
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use time::macros::datetime;
use wegwijs_domain::clock::ManualClock;
use wegwijs_domain::register::PersonRow;
use wegwijs_domain::work::EntitlementLead;
use wegwijs_domain::{Actor, Clock, OrgKind, ResidentId, Role, Voorziening, WorkKind};
use wegwijs_store::Store;
use wegwijs_store::sessions::Lifetimes;
use wegwijs_store::users::NewUser;
use wegwijs_web::{AppState, WebConfig};

mod client;
mod seed;
mod statements;

pub use client::*;
#[allow(unused_imports)] // used by the web tests, not the browser tests
pub use seed::LETTER_PDF;
use seed::*;
pub use statements::{Statements, global_statements};

pub const PASSWORD: &str = "een goed wachtwoord";
/// What the scraper sends for `/metrics`.
pub const METRICS_TOKEN: &str = "scraper-token-for-tests";

/// Everything the app logged, from every test in this binary.
pub fn log_buffer() -> Arc<Mutex<Vec<u8>>> {
    use tracing_subscriber::prelude::*;
    static BUF: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    BUF.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let writer = buf.clone();
        let logs = tracing_subscriber::fmt::layer()
            .with_writer(move || LogWriter(writer.clone()))
            .with_filter(tracing_subscriber::EnvFilter::new(
                "debug,sqlx=warn,hyper=warn,hyper_util=warn,reqwest=warn,h2=warn,rustls=warn",
            ));
        let _ = tracing_subscriber::registry()
            .with(logs)
            .with(statements::capture(global_statements()))
            .try_init();
        buf
    })
    .clone()
}

/// Every request's logs go (also) to `buf`, and the statements it runs on
/// PostgreSQL to `statements`: the request runs with a subscriber of its
/// own, at the level the app logs at.
fn with_own_logs(
    router: axum::Router,
    buf: Arc<Mutex<Vec<u8>>>,
    statements: Statements,
) -> axum::Router {
    use tracing::instrument::WithSubscriber;
    use tracing_subscriber::prelude::*;
    let logs = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(move || LogWriter(buf.clone()))
        .with_filter(tracing_subscriber::EnvFilter::new(
            "debug,sqlx=warn,hyper=warn,hyper_util=warn",
        ));
    let subscriber = tracing_subscriber::registry()
        .with(logs)
        .with(statements::capture(statements));
    let dispatch = tracing::Dispatch::new(subscriber);
    router.layer(axum::middleware::from_fn(
        move |req: axum::extract::Request, next: axum::middleware::Next| {
            let dispatch = dispatch.clone();
            async move { next.run(req).with_subscriber(dispatch).await }
        },
    ))
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);
impl Write for LogWriter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub struct TestApp {
    pub base: String,
    pub store: Store,
    pub clock: Arc<ManualClock>,
    pub people: Vec<PersonRow>,
    /// Resident with open work at organisation A, and one at B.
    pub resident_a: ResidentId,
    pub resident_b: ResidentId,
    /// That open work of a (at A, no team) and of b (at B).
    pub work_a: i64,
    pub work_b: i64,
    /// A's money team (the caseworker and team lead are in it).
    pub team_a: i64,
    pub users: HashMap<&'static str, i64>,
    /// Organisation A's signal case about a third household, a
    /// queued signal, and a quarantined row.
    pub signal_case: i64,
    pub queued_signal: i64,
    pub quarantined: i64,
    /// A question resident a asked (to organisation A), and one of b's (to B).
    pub request_a: i64,
    pub request_b: i64,
    /// An appointment of resident a, and one of b.
    pub appointment_a: i64,
    pub appointment_b: i64,
    /// A letter for each appointment; a's preparation is sent.
    pub letter_a: i64,
    pub letter_b: i64,
    /// The caseworker's own finished self-assessment, a closed team round
    /// of organisation A (three of four answered) and its action point.
    pub selfscan_run: i64,
    pub selfscan_round: i64,
    pub selfscan_action: i64,
    /// What this app logged while serving requests (a buffer of its own,
    /// so a test reads only its own flows).
    pub logs: Arc<Mutex<Vec<u8>>>,
    /// The statements this app's requests ran on PostgreSQL (SQLite's go
    /// to [`global_statements`]).
    pub statements: Statements,
    /// The database's URL.
    pub url: String,
    _dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn start(demo: bool) -> TestApp {
        TestApp::start_with_idle(demo, 1800).await
    }

    /// With sessions that end after `idle_secs` without use.
    pub async fn start_with_idle(demo: bool, idle_secs: i64) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        TestApp::start_on(url, dir, demo, (idle_secs, false)).await
    }

    /// A demo app whose public address is https (behind a TLS proxy): its
    /// cookies carry the `__Host-` prefix and it sends HSTS.
    pub async fn start_https() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        TestApp::start_on(url, dir, true, (1800, true)).await
    }

    /// A demo app on PostgreSQL, in a fresh schema of the database `base`
    /// names.
    pub async fn start_on_postgres(base: &str) -> TestApp {
        let url = fresh_pg_schema(base).await;
        TestApp::start_on(url, tempfile::tempdir().unwrap(), true, (1800, false)).await
    }

    async fn start_on(
        url: String,
        dir: tempfile::TempDir,
        demo: bool,
        (idle_secs, https): (i64, bool),
    ) -> TestApp {
        log_buffer();
        let store = Store::connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        let clock = Arc::new(ManualClock::new(datetime!(2026-11-22 10:00 UTC)));
        let now = clock.now().unix_timestamp();
        let cfg = wegwijs_demo::Config {
            persons: 40,
            seed: 3,
            reference_date: time::macros::date!(2026 - 01 - 01),
        };
        let mut people = Vec::new();
        wegwijs_demo::generate(&cfg, |r| {
            people.push(r);
            Ok::<_, ()>(())
        })
        .unwrap();
        let records: Vec<_> = people
            .iter()
            .map(|p| p.to_record(time::macros::date!(2026 - 11 - 22)).unwrap())
            .collect();
        store
            .import_register(&Actor::System("test"), &records, now, &|_| {})
            .await
            .unwrap();
        let mode = if demo {
            wegwijs_store::meta::Mode::Demo
        } else {
            wegwijs_store::meta::Mode::Production
        };
        store.init_mode(mode).await.unwrap();
        let a = store
            .create_org("Gemeente A", OrgKind::Gemeente, now)
            .await
            .unwrap();
        let b = store
            .create_org("Gemeente B", OrgKind::Gemeente, now)
            .await
            .unwrap();
        let hash = wegwijs_web::hash_password(PASSWORD).unwrap();
        let mut users = HashMap::new();
        for (name, org, role) in [
            ("medewerker", a, Role::Caseworker),
            ("teamleider", a, Role::TeamLead),
            ("privacy", a, Role::PrivacyOfficer),
            ("beheerder", a, Role::Admin),
            ("medewerker-b", b, Role::Caseworker),
            ("beheerder-b", b, Role::Admin),
            ("collega-1", a, Role::Caseworker),
            ("collega-2", a, Role::Caseworker),
        ] {
            let display = format!("Test {name}");
            let new = NewUser {
                org_id: org,
                username: name,
                display_name: &display,
                role,
                password_hash: hash.clone(),
            };
            users.insert(
                name,
                store
                    .create_user(&Actor::System("test"), new, now)
                    .await
                    .unwrap(),
            );
        }
        let ids = store.resident_ids(10).await.unwrap();
        let work_a = store
            .open_work(&Actor::System("test"), a, ids[0], WorkKind::Hulpvraag, now)
            .await
            .unwrap();
        let work_b = store
            .open_work(&Actor::System("test"), b, ids[1], WorkKind::Signaal, now)
            .await
            .unwrap();
        // What a rules scan found for resident a: shown to a's caseworkers.
        let lead = |law: &str, name: &str, cents, voorziening| EntitlementLead {
            resident: ids[0],
            law: law.into(),
            law_name: name.into(),
            cents_per_year: cents,
            voorziening,
        };
        store
            .open_entitlement_work(
                &Actor::System("rules-scan"),
                a,
                clock.today(),
                &[
                    lead(
                        "wet_op_de_zorgtoeslag",
                        "Wet op de zorgtoeslag",
                        Some(67_004),
                        Some(Voorziening::Zorgtoeslag),
                    ),
                    lead("regeling_zonder_bron", "Regeling zonder bron", None, None),
                ],
                now,
            )
            .await
            .unwrap();
        let (signal_case, queued_signal, quarantined) =
            seed_signals(&store, a, signal_household(&records), &users, now).await;

        let (request_a, request_b) =
            seed_requests(&store, (a, b), &users, (ids[0], ids[1]), now).await;
        let team_a = store.teams_of(a).await.unwrap()[0].id;
        let (appointment_a, appointment_b) =
            seed_appointments(&store, clock.now(), (ids[0], ids[1]), b).await;
        let (letter_a, letter_b) = seed_letters(
            &store,
            (ids[0], appointment_a),
            (ids[1], appointment_b),
            now,
        )
        .await;

        let (selfscan_run, selfscan_round, selfscan_action) =
            seed_selfscan(&store, a, &users, now).await;

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let config = WebConfig {
            demo,
            public_url: if https {
                "https://wegwijs.example".to_string()
            } else {
                base.clone()
            },
            session: Lifetimes {
                idle_secs,
                absolute_secs: 36_000,
            },
            oidc: None,
            // A municipality's own word next to the shipped list.
            formal_words: Some(Arc::new(
                wegwijs_taal::FormalWords::builtin_with(
                    "klantmanager\tuw vaste contactpersoon\tUw vaste contactpersoon belt u.\n",
                )
                .unwrap(),
            )),
            explainer: Some(wegwijs_web::SharedExplainer(Arc::new(FixedExplainer))),
            form_wait: std::time::Duration::from_millis(300),
            // The test client's own address: its X-Forwarded-For header
            // plays the clients behind a proxy.
            trusted_proxies: vec![std::net::Ipv4Addr::LOCALHOST.into()],
            metrics_token: Some(METRICS_TOKEN.into()),
        };
        let state = AppState::new(store.clone(), clock.clone(), config).unwrap();
        let logs = Arc::new(Mutex::new(Vec::new()));
        let statements = Statements::default();
        let router = with_own_logs(wegwijs_web::router(state), logs.clone(), statements.clone());
        tokio::spawn(async move {
            let app = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
            axum::serve(listener, app).await.unwrap()
        });
        TestApp {
            base,
            store,
            clock,
            people,
            resident_a: ids[0],
            resident_b: ids[1],
            work_a,
            work_b,
            team_a,
            users,
            signal_case,
            queued_signal,
            quarantined,
            request_a,
            request_b,
            appointment_a,
            appointment_b,
            letter_a,
            letter_b,
            selfscan_run,
            selfscan_round,
            selfscan_action,
            logs,
            statements,
            url,
            _dir: dir,
        }
    }

    /// Everything this app logged so far.
    pub fn log_text(&self) -> String {
        String::from_utf8(self.logs.lock().unwrap().clone()).unwrap()
    }

    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    /// The signal case's household (Gemeente A): an adult, a child of 17
    /// and one of 13.
    pub async fn signal_household(&self) -> (ResidentId, ResidentId, ResidentId) {
        let worker = Actor::Staff(wegwijs_domain::Staff {
            user_id: self.users["medewerker"],
            org_id: 1,
            role: Role::Caseworker,
        });
        let now = self.clock.now().unix_timestamp();
        let case = self
            .store
            .signal_case(&worker, self.signal_case, now)
            .await
            .unwrap();
        let born = |m: &wegwijs_domain::Resident| m.record.geboortedatum.year();
        let find =
            |test: &dyn Fn(i32) -> bool| case.members.iter().find(|m| test(born(m))).unwrap().id;
        (
            find(&|y| y < 1990),
            find(&|y| y == 2009),
            find(&|y| y == 2013),
        )
    }

    /// A resident's BSN, read as the resident.
    pub async fn bsn_of(&self, id: ResidentId) -> String {
        let now = self.clock.now().unix_timestamp();
        let me = self
            .store
            .read_resident(
                &Actor::Resident(id),
                id,
                wegwijs_domain::Purpose::OwnView,
                now,
            )
            .await
            .unwrap();
        me.bsn().unwrap().expose().to_string()
    }

    /// A new organisation of `kind` with one caseworker, `username`, who
    /// has open work of `work` about `resident`.
    pub async fn other_org(
        &self,
        kind: OrgKind,
        username: &'static str,
        work: WorkKind,
        resident: ResidentId,
    ) -> i64 {
        let now = self.clock.now().unix_timestamp();
        let system = Actor::System("test");
        let org = self
            .store
            .create_org(&format!("{} Test", kind.code()), kind, now)
            .await
            .unwrap();
        let new = NewUser {
            org_id: org,
            username,
            display_name: "Test collega elders",
            role: Role::Caseworker,
            password_hash: wegwijs_web::hash_password(PASSWORD).unwrap(),
        };
        self.store.create_user(&system, new, now).await.unwrap();
        self.store
            .open_work(&system, org, resident, work, now)
            .await
            .unwrap();
        org
    }

    /// A client logged in as a staff user, or as the first demo resident
    /// ("inwoner"), or not at all ("anoniem").
    pub async fn as_role(&self, who: &str) -> Client {
        let mut c = self.client();
        match who {
            "anoniem" => {
                c.get("/").await;
            }
            "inwoner" => {
                let r = c.resident_login(0).await;
                assert_eq!(
                    r.location.as_deref(),
                    Some("/mijn"),
                    "resident login failed: {}",
                    r.body
                );
                c.get("/mijn").await;
            }
            staff => {
                c.get("/inloggen").await;
                let r = c
                    .post("/inloggen", &[("username", staff), ("password", PASSWORD)])
                    .await;
                assert_eq!(r.status, 303, "login as {staff} failed");
                c.get(r.location.as_deref().unwrap()).await;
            }
        }
        c
    }
}

/// A schema of its own in the PostgreSQL database `base` names, as the
/// store's contract suite makes one.
async fn fresh_pg_schema(base: &str) -> String {
    use sqlx::Executor;
    sqlx::any::install_default_drivers();
    let schema = format!("w_{}", rand::random::<u64>());
    let pool = sqlx::AnyPool::connect(base).await.unwrap();
    pool.execute(format!("CREATE SCHEMA {schema}").as_str())
        .await
        .unwrap();
    pool.close().await;
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{schema}")
}

/// The actor a test role logs in as, for asking the policy what it may;
/// its ids do not matter to `policy::may`.
pub fn actor_of(role: &str) -> Option<wegwijs_domain::Actor> {
    use wegwijs_domain::{Actor, ResidentId, Role, Staff};
    let staff = |role| {
        Some(Actor::Staff(Staff {
            user_id: 1,
            org_id: 1,
            role,
        }))
    };
    match role {
        "anoniem" => None,
        "inwoner" => Some(Actor::Resident(ResidentId(1))),
        "kind" => Some(Actor::Resident(ResidentId(1))),
        "medewerker" | "medewerker-b" | "uwv-medewerker" => staff(Role::Caseworker),
        "teamleider" => staff(Role::TeamLead),
        "privacy" => staff(Role::PrivacyOfficer),
        "beheerder" | "beheerder-b" => staff(Role::Admin),
        other => panic!("no actor for role {other}"),
    }
}
