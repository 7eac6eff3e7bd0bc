//! The one worklist on a municipality of a million residents: the pages a
//! caseworker and team lead ask for (their team's open work, filtered,
//! sorted, paged), with a warm cache, one at a time and at a steady
//! offered rate. Not part of CI.
//!
//! `cargo bench -p wegwijs-store --bench worklist` fills a new SQLite
//! database with RESIDENTS (default 1,000,000) residents in households and
//! WORK open lines (default 100,000, over ten teams: the measured team
//! has a tenth, 10,000) and as many closed, then times SAMPLES (default
//! 200) pages of each kind one at a time (median, p99), and offers RATE
//! (default 500) pages a second for SECONDS (default 10) seconds, the
//! kinds in turn, each page due at its time: the latency counts from
//! then, so a slow answer that delays the next counts too (p50, p99).
//! With WEGWIJS_BENCH_DATABASE_URL set to a PostgreSQL database, it runs
//! there (in a fresh schema). Each page is the store's call the worklist
//! page makes (the list, its total, the audit entry of the view); the page
//! around it is rendered by the web crate.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};
use wegwijs_domain::work::{Sort, Stage, Who, WorkFilter};
use wegwijs_domain::{Actor, OrgKind, Role, Staff, WorkKind};
use wegwijs_store::Store;
use wegwijs_store::users::NewUser;

/// 2026-12-08 12:00 UTC, and its day.
const NOW: i64 = 1_796_731_200;
const TEAMS: i64 = 10;
const WIJKEN: [&str; 8] = [
    "Centrum",
    "Noord",
    "Oost",
    "Zuid",
    "West",
    "De Horst",
    "Het Veen",
    "Buitengebied",
];

fn env(name: &str, default: i64) -> i64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn today() -> time::Date {
    time::macros::date!(2026 - 12 - 08)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let residents = env("RESIDENTS", 1_000_000);
    let work = env("WORK", 100_000);
    let samples = env("SAMPLES", 200) as usize;
    let rate = env("RATE", 500);
    let seconds = env("SECONDS", 10);
    let dir = tempfile::tempdir().unwrap();
    let (url, pg) = match std::env::var("WEGWIJS_BENCH_DATABASE_URL") {
        Ok(base) if !base.is_empty() => (fresh_schema(&base).await, true),
        // KEEP_DB: a file to keep the database in, to look at afterwards.
        _ => match std::env::var("KEEP_DB") {
            Ok(path) if !path.is_empty() => (format!("sqlite://{path}"), false),
            _ => (
                format!("sqlite://{}", dir.path().join("work.db").display()),
                false,
            ),
        },
    };
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let made = Instant::now();
    let (worker, lead) = setup(&store).await;
    let raw = raw_pool(&url).await;
    fill(&raw, residents, work, pg).await;
    println!(
        "{}: {residents} residents, {work} open lines ({} in the measured team) and as many closed, made in {:.0} s",
        if pg { "PostgreSQL" } else { "SQLite" },
        work / TEAMS,
        made.elapsed().as_secs_f64()
    );
    // Each kind with where its page starts (page 5: the cursor a
    // caseworker's "next" link carries; read once).
    let mut kinds = Vec::new();
    for (what, lead_asks, f, deep) in pages() {
        let actor = if lead_asks { lead } else { worker };
        let after = cursor(&store, &actor, &f, deep).await;
        kinds.push((what, lead_asks, f, after));
    }
    let store = Arc::new(store);
    // Warm the cache, then one at a time.
    for (_, lead_asks, f, after) in &kinds {
        let actor = if *lead_asks { lead } else { worker };
        for _ in 0..3 {
            page(&store, &actor, f, after.as_deref()).await;
        }
    }
    for (what, lead_asks, f, after) in &kinds {
        let actor = if *lead_asks { lead } else { worker };
        let mut ms = Vec::new();
        for _ in 0..samples {
            let t = Instant::now();
            page(&store, &actor, f, after.as_deref()).await;
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        report(what, ms, "one at a time");
    }
    // A steady offered rate: each page due at its time.
    let total = (rate * seconds) as usize;
    let gap = Duration::from_secs_f64(1.0 / rate as f64);
    let start = tokio::time::Instant::now() + Duration::from_millis(100);
    let mut tasks = Vec::with_capacity(total);
    for i in 0..total {
        let (_, lead_asks, f, after) = kinds[i % kinds.len()].clone();
        let actor = if lead_asks { lead } else { worker };
        let store = store.clone();
        let due = start + gap * i as u32;
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep_until(due).await;
            page(&store, &actor, &f, after.as_deref()).await;
            (tokio::time::Instant::now() - due).as_secs_f64() * 1000.0
        }));
    }
    let mut ms = Vec::with_capacity(total);
    for t in tasks {
        ms.push(t.await.unwrap());
    }
    report(
        &format!("all kinds at {rate}/s offered"),
        ms,
        &format!("{seconds} s"),
    );
}

/// The pages measured: (name, as the team lead, filter, pages deep).
fn pages() -> Vec<(String, bool, WorkFilter, usize)> {
    let team = |f: WorkFilter| WorkFilter {
        who: Who::Team(1),
        ..f
    };
    vec![
        (
            "team, not taken, by due date".into(),
            false,
            WorkFilter {
                who: Who::MyTeamsOpen,
                ..Default::default()
            },
            1,
        ),
        (
            "team, page 5 by due date".into(),
            false,
            team(WorkFilter::default()),
            5,
        ),
        (
            "team, by priority".into(),
            true,
            team(WorkFilter {
                sort: Sort::Priority,
                ..Default::default()
            }),
            1,
        ),
        (
            "team, one kind, in progress".into(),
            true,
            team(WorkFilter {
                kind: Some(WorkKind::Hulpvraag),
                stage: Some(Stage::InBehandeling),
                ..Default::default()
            }),
            1,
        ),
        (
            "team, one wijk".into(),
            true,
            team(WorkFilter {
                wijk: Some("Noord".into()),
                ..Default::default()
            }),
            1,
        ),
        (
            "team, overdue, newest".into(),
            true,
            team(WorkFilter {
                overdue: true,
                sort: Sort::Newest,
                ..Default::default()
            }),
            1,
        ),
        (
            "mine".into(),
            false,
            WorkFilter {
                who: Who::Mine,
                ..Default::default()
            },
            1,
        ),
    ]
}

/// Where page `deep` starts.
async fn cursor(store: &Store, actor: &Actor, f: &WorkFilter, deep: usize) -> Option<String> {
    let mut after: Option<String> = None;
    for _ in 1..deep {
        after = store
            .worklist(actor, f, after.as_deref(), today(), NOW)
            .await
            .unwrap()
            .next;
    }
    after
}

/// One page: one request.
async fn page(store: &Store, actor: &Actor, f: &WorkFilter, after: Option<&str>) {
    store.worklist(actor, f, after, today(), NOW).await.unwrap();
}

fn report(what: &str, mut ms: Vec<f64>, how: &str) {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() as f64 * q) as usize).min(ms.len() - 1)];
    println!(
        "  {what:<34} median {:>7.2} ms   p99 {:>7.2} ms   ({} pages, {how})",
        at(0.5),
        at(0.99),
        ms.len()
    );
}

/// The municipality, its ten teams (team 1 is measured), a caseworker in
/// team 1 and its team lead; 100 colleagues spread over the teams.
async fn setup(store: &Store) -> (Actor, Actor) {
    let system = Actor::System("bench");
    let org = store
        .create_org("Gemeente Bench", OrgKind::Gemeente, NOW)
        .await
        .unwrap();
    let admin = Actor::Staff(Staff {
        user_id: 0,
        org_id: org,
        role: Role::Admin,
    });
    let mut teams = Vec::new();
    for t in 0..TEAMS {
        teams.push(
            store
                .create_team(&admin, org, &format!("Team {t:02}"), NOW)
                .await
                .unwrap(),
        );
    }
    let mut members: Vec<Vec<i64>> = vec![Vec::new(); TEAMS as usize];
    let mut people = Vec::new();
    for u in 0..102 {
        let role = if u == 101 {
            Role::TeamLead
        } else {
            Role::Caseworker
        };
        let name = format!("medewerker-{u:03}");
        let new = NewUser {
            org_id: org,
            username: &name,
            display_name: &format!("Medewerker {u}"),
            role,
            password_hash: "x".into(),
        };
        let id = store.create_user(&system, new, NOW).await.unwrap();
        members[(u % TEAMS) as usize].push(id);
        people.push((id, role));
    }
    for (t, ids) in teams.iter().zip(&members) {
        store.set_team_members(&admin, *t, ids, NOW).await.unwrap();
    }
    let staff = |(id, role): (i64, Role)| {
        Actor::Staff(Staff {
            user_id: id,
            org_id: org,
            role,
        })
    };
    // medewerker-000 is in team 1 (the first team made).
    (staff(people[0]), staff(people[101]))
}

async fn raw_pool(url: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::pool::PoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .unwrap()
}

/// Residents, households and work, made by the database itself.
async fn fill(raw: &sqlx::AnyPool, residents: i64, work: i64, pg: bool) {
    let series = |n: i64| {
        if pg {
            format!("SELECT i FROM generate_series(0, {n} - 1) AS i")
        } else {
            format!(
                "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < {n}) SELECT i FROM n"
            )
        }
    };
    let wijk = WIJKEN
        .iter()
        .enumerate()
        .map(|(i, w)| format!("WHEN {i} THEN '{w}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let households = residents / 2;
    exec(raw, &format!(
        "INSERT INTO households (id, register_key) SELECT i + 1, 'HH-' || CAST(i AS TEXT) FROM ({}) s",
        series(households)
    ))
    .await;
    exec(raw, &format!(
        "INSERT INTO residents (id, bsn, voornamen, voorvoegsel, achternaam, geboortedatum, straat, huisnummer, \
         postcode, woonplaats, wijk, buurt, household_id, rol_in_huishouden, inkomen_cents, vermogen_cents, \
         voorzieningen, updated_at) \
         SELECT i + 1, CAST(100000000 + i AS TEXT), 'Anna', NULL, 'Naam' || CAST(i % 5000 AS TEXT), '1980-01-01', \
         'Dorpsstraat', 1 + (i / 2) % 200, CAST(1000 + (i / 400) % 9000 AS TEXT) || 'AB', 'Wegwijzerveen', \
         CASE (i / 2) % 8 {wijk} END, 'Buurt', 1 + i / 2, 'referentiepersoon', 150000, 0, '[]', {NOW} FROM ({}) s",
        series(residents)
    ))
    .await;
    // Open work over the ten teams (ids 1..=10), a tenth of each team's
    // taken by someone; as many closed lines beside them.
    let kinds = [
        "signaal",
        "hulpvraag",
        "afspraak",
        "voorbereiding",
        "mogelijk-recht",
        "doorverwijzing",
        "traject",
    ];
    let kind = kinds
        .iter()
        .enumerate()
        .map(|(i, k)| format!("WHEN {i} THEN '{k}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let day = |offset: &str| {
        if pg {
            format!("to_char(DATE '2026-12-08' + CAST({offset} AS INTEGER), 'YYYY-MM-DD')")
        } else {
            format!("date('2026-12-08', CAST({offset} AS TEXT) || ' days')")
        }
    };
    for (status, n) in [("open", work), ("closed", work)] {
        exec(raw, &format!(
            "INSERT INTO work_items (org_id, resident_id, kind, status, opened_at, closed_at, team_id, assignee, stage, \
             due_on, priority, reasons, updated_at, wijk) \
             SELECT 1, 1 + (i * 7919) % {residents}, CASE i % 7 {kind} END, '{status}', {NOW} - (i % 1000) * 600, \
             CASE WHEN '{status}' = 'closed' THEN {NOW} ELSE NULL END, 1 + i % {TEAMS}, \
             CASE WHEN (i / {TEAMS}) % 10 = 0 THEN 1 + (i / {TEAMS}) % 102 ELSE NULL END, \
             CASE i % 3 WHEN 0 THEN 'nieuw' WHEN 1 THEN 'in-behandeling' ELSE 'wacht-op-inwoner' END, \
             {}, (i * 31) % 100, '[]', {NOW}, CASE ((1 + (i * 7919) % {residents} - 1) / 2) % 8 {wijk} END FROM ({}) s",
            day("(i % 60) - 20"),
            series(n)
        ))
        .await;
    }
    // The planner's statistics, as a database that has been in use has;
    // on PostgreSQL the bulk load written out first (its checkpoint would
    // otherwise fall in the measured seconds).
    exec(raw, "ANALYZE").await;
    if pg {
        exec(raw, "CHECKPOINT").await;
    }
}

async fn exec(raw: &sqlx::AnyPool, sql: &str) {
    sqlx::query(sql).execute(raw).await.unwrap();
}

async fn fresh_schema(base: &str) -> String {
    sqlx::any::install_default_drivers();
    let schema = format!("work_{}", std::process::id());
    let pool = sqlx::AnyPool::connect(base).await.unwrap();
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{schema}")
}
