//! The privacy officer's search over a large audit log: by resident, by
//! staff member, by period, with a warm cache. Not part of CI.
//!
//! `cargo bench -p wegwijs-store --bench log_search` fills a new SQLite
//! database with ENTRIES (default 20,000,000) generated log lines, then
//! times SEARCHES (default 200) searches of each kind and prints the
//! median and the 95th percentile. With WEGWIJS_BENCH_DATABASE_URL set to
//! a PostgreSQL database, it runs there (in a fresh schema).
//!
//! The lines are made by the database itself (a generated series), spread
//! over a year, by 2,000 staff members of ten organisations, about a
//! million residents, with list views and refusals; their hashes are not a
//! chain (the search does not read them).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;
use time::macros::date;
use wegwijs_domain::oversight::LogSearch;
use wegwijs_domain::{Actor, OrgKind, ResidentId, Role, Staff};
use wegwijs_store::Store;
use wegwijs_store::users::NewUser;

const STAFF: i64 = 2_000;
const RESIDENTS: i64 = 1_000_000;
/// 2026-01-01 00:00 UTC; the lines fill the year from there.
const START: i64 = 1_767_225_600;
const YEAR: i64 = 365 * 24 * 3600;

fn env(name: &str, default: i64) -> i64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let entries = env("ENTRIES", 20_000_000);
    let searches = env("SEARCHES", 200) as usize;
    let dir = tempfile::tempdir().unwrap();
    let (url, pg) = match std::env::var("WEGWIJS_BENCH_DATABASE_URL") {
        Ok(base) if !base.is_empty() => (fresh_schema(&base).await, true),
        _ => (
            format!("sqlite://{}", dir.path().join("log.db").display()),
            false,
        ),
    };
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let officer = setup(&store).await;
    let raw = raw_pool(&url).await;
    let made = Instant::now();
    fill(&raw, entries, pg).await;
    println!(
        "{} with {entries} log lines, made in {:.0} s",
        if pg { "PostgreSQL" } else { "SQLite" },
        made.elapsed().as_secs_f64()
    );

    let mut seed = 7u64;
    let mut next = move |n: i64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as i64 % n
    };
    // Warm the cache with one pass of each kind, then time.
    for warm in [true, false] {
        let rounds = if warm { searches.min(20) } else { searches };
        let mut by_resident = Vec::new();
        let mut by_staff = Vec::new();
        let mut by_period = Vec::new();
        for _ in 0..rounds {
            let resident = [ResidentId(1 + next(RESIDENTS))];
            by_resident.push(timed(&store, &officer, &LogSearch::default(), &resident).await);
            let staff = LogSearch {
                staff: Some(1 + next(STAFF)),
                ..Default::default()
            };
            by_staff.push(timed(&store, &officer, &staff, &[]).await);
            let from = date!(2026 - 01 - 01) + time::Duration::days(next(330));
            let period = LogSearch {
                from: Some(from),
                to: Some(from + time::Duration::days(30)),
                ..Default::default()
            };
            by_period.push(timed(&store, &officer, &period, &[]).await);
        }
        if !warm {
            for (what, mut ms) in [
                ("by resident", by_resident),
                ("by staff member", by_staff),
                ("by period (30 days)", by_period),
            ] {
                ms.sort_by(f64::total_cmp);
                let at = |q: f64| ms[((ms.len() as f64 * q) as usize).min(ms.len() - 1)];
                println!(
                    "  {what:<22} median {:>7.2} ms   p95 {:>7.2} ms   ({} searches)",
                    at(0.5),
                    at(0.95),
                    ms.len()
                );
            }
        }
    }
}

async fn timed(
    store: &Store,
    officer: &Actor,
    search: &LogSearch,
    residents: &[ResidentId],
) -> f64 {
    let t = Instant::now();
    let page = store
        .search_log(officer, search, residents, None, 50)
        .await
        .unwrap();
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    assert!(page.lines.len() <= 50);
    ms
}

/// Ten organisations (the first a municipality), their 2,000 staff, and
/// the privacy officer who searches.
async fn setup(store: &Store) -> Actor {
    let system = Actor::System("bench");
    let mut orgs = Vec::new();
    for o in 0..10 {
        let kind = if o == 0 {
            OrgKind::Gemeente
        } else {
            OrgKind::ALL[o % 12]
        };
        orgs.push(
            store
                .create_org(&format!("Organisatie {o}"), kind, START)
                .await
                .unwrap(),
        );
    }
    let mut officer = None;
    for u in 0..=STAFF {
        let name = format!("medewerker-{u:04}");
        let role = if u == STAFF {
            Role::PrivacyOfficer
        } else {
            Role::Caseworker
        };
        let new = NewUser {
            org_id: orgs[(u % 10) as usize],
            username: &name,
            display_name: &format!("Medewerker {u}"),
            role,
            password_hash: "x".into(),
        };
        let id = store.create_user(&system, new, START).await.unwrap();
        if u == STAFF {
            officer = Some(Actor::Staff(Staff {
                user_id: id,
                org_id: orgs[(u % 10) as usize],
                role,
            }));
        }
    }
    officer.unwrap()
}

async fn raw_pool(url: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::pool::PoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .unwrap()
}

/// The lines, made by the database: indexes dropped first and made again
/// after, as a bulk load does.
async fn fill(raw: &sqlx::AnyPool, entries: i64, pg: bool) {
    use sqlx::Row;
    let indexes: Vec<(String, String)> = sqlx::query(if pg {
        "SELECT indexname::text AS name, indexdef::text AS sql FROM pg_indexes \
         WHERE tablename = 'audit_log' AND schemaname = current_schema() AND indexname <> 'audit_log_pkey'"
    } else {
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_log' AND sql IS NOT NULL"
    })
    .fetch_all(raw)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get("name"), r.get("sql")))
    .collect();
    for (name, _) in &indexes {
        sqlx::query(&format!("DROP INDEX {name}"))
            .execute(raw)
            .await
            .unwrap();
    }
    let first: i64 = sqlx::query("SELECT COALESCE(MAX(seq), 0) AS m FROM audit_log")
        .fetch_one(raw)
        .await
        .unwrap()
        .get("m");
    // Ten list views' members (for the resident search's union).
    sqlx::query(
        "INSERT INTO audit_lists (digest, size) VALUES ('l0', 3), ('l1', 3), ('l2', 3), ('l3', 3), ('l4', 3), \
         ('l5', 3), ('l6', 3), ('l7', 3), ('l8', 3), ('l9', 3)",
    )
    .execute(raw)
    .await
    .unwrap();
    let series = if pg {
        "SELECT i FROM generate_series(0, $1 - 1) AS i"
    } else {
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $1) SELECT i FROM n"
    };
    let sql = format!(
        "INSERT INTO audit_log (seq, at, actor, actor_org, resident_id, action, purpose, outcome, detail, prev_hash, hash, list_digest) \
         SELECT $2 + i + 1, $3 + i * $4, \
           CASE WHEN i % 20 < 16 THEN 'medewerker:' || CAST(1 + (i * 7919) % {STAFF} AS TEXT) \
                WHEN i % 20 < 19 THEN 'inwoner:' || CAST(1 + (i * 104729) % {RESIDENTS} AS TEXT) ELSE 'systeem:bench' END, \
           CASE WHEN i % 20 < 16 THEN 1 + ((i * 7919) % {STAFF}) % 10 ELSE NULL END, \
           CASE WHEN i % 97 = 0 THEN NULL ELSE 1 + (i * 2654435761) % {RESIDENTS} END, \
           CASE i % 5 WHEN 0 THEN 'inwoner-bekeken' WHEN 1 THEN 'signaalzaak-bekeken' WHEN 2 THEN 'overzicht-bekeken' \
                WHEN 3 THEN 'hulpvragen-bekeken' ELSE 'werk-geopend' END, \
           CASE WHEN i % 20 < 16 THEN 'dienstverlening' WHEN i % 20 < 19 THEN 'inzage-eigen-gegevens' ELSE 'signaal-ontvangst' END, \
           CASE WHEN i % 101 = 0 THEN 'geweigerd:geen-werkrelatie' ELSE 'toegestaan' END, \
           '', '', 'bench', CASE WHEN i % 97 = 0 THEN 'l' || CAST(i % 10 AS TEXT) ELSE NULL END \
         FROM ({series}) s"
    );
    let step = (YEAR / entries).max(1);
    let chunk = 1_000_000;
    let mut done = 0;
    while done < entries {
        let n = chunk.min(entries - done);
        let offset_sql = sql
            .replace("$2 + i + 1", &format!("$2 + {done} + i + 1"))
            .replace("$3 + i * $4", &format!("$3 + ({done} + i) * $4"));
        sqlx::query(&offset_sql)
            .bind(n)
            .bind(first)
            .bind(START)
            .bind(step)
            .execute(raw)
            .await
            .unwrap();
        done += n;
    }
    sqlx::query(
        "INSERT INTO audit_list_members (digest, resident_id) \
         SELECT 'l' || CAST(d AS TEXT), 1 + d * 1000 + k FROM (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 \
         UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 \
         UNION ALL SELECT 8 UNION ALL SELECT 9) ds, (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2) ks",
    )
    .execute(raw)
    .await
    .unwrap();
    for (_, create) in &indexes {
        sqlx::query(create).execute(raw).await.unwrap();
    }
    sqlx::query(if pg { "ANALYZE audit_log" } else { "ANALYZE" })
        .execute(raw)
        .await
        .unwrap();
}

async fn fresh_schema(base: &str) -> String {
    use sqlx::Executor;
    sqlx::any::install_default_drivers();
    let schema = format!("bench_{}", std::process::id());
    let pool = sqlx::AnyPool::connect(base).await.unwrap();
    pool.execute(format!("CREATE SCHEMA {schema}").as_str())
        .await
        .unwrap();
    pool.close().await;
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{schema}")
}
