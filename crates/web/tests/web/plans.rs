//! Every query a page makes is indexed: the app serves every route as
//! every role while each statement it runs is kept, and then each is
//! explained (SQLite's EXPLAIN QUERY PLAN; on PostgreSQL, when
//! WEGWIJS_TEST_DATABASE_URL names one, its generic plan with sequential
//! scans priced out). A full scan of a table that grows with the
//! population fails the test, unless the statement is one the list below
//! names with its reason.

use crate::access::walk_every_route;
use crate::harness::{Statements, TestApp, global_statements};
use sqlx::Row;
use std::collections::BTreeSet;

/// Tables whose size follows the organisations and their staff, not the
/// residents: a scan of them stays small.
const SMALL: &[&str] = &[
    "appointment_hours",
    "help_routes",
    "meta",
    "organisations",
    "partner_tokens",
    "signal_settings",
    "users",
    "selfscan_versions",
    "selfscan_rounds",
    "selfscan_round_members",
    "selfscan_runs",
    "selfscan_answers",
    "selfscan_actions",
    "teams",
    "team_members",
    "team_routes",
    "_sqlx_migrations",
];

/// Statements whose plan names a scan that reads only a few rows, or that
/// a batch job makes once per run over what it reads anyway: (a
/// piece of the statement no other has, why).
const FEW_ROWS: &[(&str, &str)] = &[
    (
        "UPDATE work_items SET wijk = (SELECT r.wijk FROM residents r WHERE r.id = work_items.resident_id) WHERE status = 'open'",
        "the register import brings the open work's wijk up to date: once per import, which reads every resident anyway",
    ),
    (
        "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
        "the chain's last entry: its key read backwards, one row",
    ),
    (
        "LEFT JOIN audit_lists al ON al.digest = l.list_digest WHERE 1 = 1 ORDER BY l.at DESC, l.seq DESC LIMIT",
        "the privacy officer's newest lines over everyone: the time index read backwards, one page",
    ),
    (
        "SELECT id FROM residents ORDER BY id LIMIT $1",
        "the first residents in key order, as many as asked",
    ),
    (
        "FROM (SELECT id, bsn FROM residents ORDER BY id LIMIT $1) c WHERE c.bsn = $2",
        "whether the demo login offered a BSN: the first residents in key order",
    ),
    (
        "FROM residents r JOIN households h ON h.id = r.household_id ORDER BY r.id LIMIT $1",
        "the demo login's residents to pick from: the first in key order",
    ),
];

#[tokio::test]
async fn every_query_a_page_makes_uses_an_index() {
    let app = TestApp::start(true).await;
    walk_every_route(&app).await;
    let sqlite = statements(&global_statements());
    assert!(
        sqlite.len() > 100,
        "only {} statements were seen: is sqlx's statement logging still at debug?",
        sqlite.len()
    );
    // The store's direct SQLite reads (the session of every request) are
    // seen as well as sqlx's statements.
    assert!(
        sqlite
            .iter()
            .any(|s| s.contains("FROM sessions s LEFT JOIN users u")),
        "the direct reads' statements were not seen: is `wegwijs_store::read` still reporting them?"
    );
    let mut failures = sqlite_scans(&app.url, &sqlite).await;
    if let Ok(base) = std::env::var("WEGWIJS_TEST_DATABASE_URL")
        && !base.is_empty()
    {
        let pg = TestApp::start_on_postgres(&base).await;
        walk_every_route(&pg).await;
        let seen = statements(&pg.statements);
        assert!(
            seen.len() > 50,
            "only {} statements on PostgreSQL",
            seen.len()
        );
        failures.extend(postgres_scans(&pg.url, &seen).await);
    }
    assert!(
        failures.is_empty(),
        "full scans of tables that grow with the population:\n\n{}",
        failures.join("\n\n")
    );
}

/// The statements worth a plan: those that read or change rows.
fn statements(seen: &Statements) -> BTreeSet<String> {
    let seen = seen.lock().unwrap();
    seen.iter()
        .filter(|s| {
            let head = s.trim_start().to_ascii_uppercase();
            ["SELECT", "WITH", "UPDATE", "DELETE", "INSERT"]
                .iter()
                .any(|k| head.starts_with(k))
        })
        .filter(|s| !FEW_ROWS.iter().any(|(piece, _)| s.contains(piece)))
        // A plain INSERT reads nothing; the child-table scans SQLite plans
        // for it run only while a deferred foreign key is violated.
        .filter(|s| !s.starts_with("INSERT") || s.contains("SELECT"))
        .cloned()
        .collect()
}

/// How many parameters a statement takes: the highest `$n`, or the
/// number of `?` where it numbers none.
fn parameters(sql: &str) -> usize {
    let bytes = sql.as_bytes();
    let mut highest = 0;
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'$' {
            let digits: String = sql[i + 1..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            highest = highest.max(digits.parse().unwrap_or(0));
        }
    }
    if highest > 0 {
        highest
    } else {
        sql.matches('?').count()
    }
}

/// The database's tables that grow with the population (a name in a plan
/// may also be a common table expression's or a subquery's).
async fn growing_tables(pool: &sqlx::AnyPool, sql: &str) -> BTreeSet<String> {
    let rows = sqlx::query(sql).fetch_all(pool).await.unwrap();
    rows.iter()
        .map(|r| r.try_get::<String, _>("name").unwrap())
        .filter(|t| !SMALL.contains(&t.as_str()) && !t.starts_with("sqlite_"))
        .collect()
}

/// The table a name in SQLite's plan stands for: the name itself, or the
/// table an alias in `sql` names (`FROM residents r`, `JOIN users AS u`).
fn table_of<'a>(name: &'a str, sql: &'a str) -> &'a str {
    let words: Vec<&str> = sql
        .split(|c: char| c.is_whitespace() || c == ',' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    for w in words.windows(4) {
        if !matches!(w[0].to_ascii_uppercase().as_str(), "FROM" | "JOIN") {
            continue;
        }
        let alias = if w[2].eq_ignore_ascii_case("AS") {
            w[3]
        } else {
            w[2]
        };
        if alias == name {
            return w[1];
        }
    }
    name
}

async fn sqlite_scans(url: &str, seen: &BTreeSet<String>) -> Vec<String> {
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    let growing =
        growing_tables(&pool, "SELECT name FROM sqlite_master WHERE type = 'table'").await;
    // A partial index holds only the rows its WHERE keeps (refusals, say):
    // reading all of it is not reading the table.
    let partial: BTreeSet<String> =
        sqlx::query("SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'")
            .fetch_all(&pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>("name"))
            .collect();
    let mut failures = Vec::new();
    for sql in seen {
        let explain = format!("EXPLAIN QUERY PLAN {sql}");
        let mut q = sqlx::query(&explain);
        for _ in 0..parameters(sql) {
            q = q.bind(None::<i64>);
        }
        let rows = match q.fetch_all(&pool).await {
            Ok(rows) => rows,
            Err(e) => {
                failures.push(format!("SQLite could not explain ({e}):\n{sql}"));
                continue;
            }
        };
        for r in rows {
            let detail: String = r.try_get("detail").unwrap();
            // "SCAN residents", "SCAN residents USING COVERING INDEX …",
            // but not "SEARCH …" (an index lookup) or a subquery's scan.
            let Some(rest) = detail.strip_prefix("SCAN ") else {
                continue;
            };
            let name = rest.split_whitespace().next().unwrap_or("");
            if rest.starts_with("CONSTANT ROW") || rest.contains("VALUES CLAUSE") {
                continue;
            }
            let index = rest
                .split(" INDEX ")
                .nth(1)
                .and_then(|i| i.split_whitespace().next());
            if index.is_some_and(|i| partial.contains(i)) {
                continue;
            }
            if growing.contains(table_of(name, sql)) {
                failures.push(format!("SQLite: {detail}\n{sql}"));
            }
        }
    }
    failures
}

async fn postgres_scans(url: &str, seen: &BTreeSet<String>) -> Vec<String> {
    use sqlx::Executor;
    let pool = sqlx::AnyPool::connect(url).await.unwrap();
    let growing = growing_tables(
        &pool,
        "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables \
         WHERE table_schema = current_schema()",
    )
    .await;
    // A scan of a partial index reads the rows its condition selects (the
    // open cases, say), which the statement asks for: with a test's few
    // rows the planner likes that over a join through another index, and
    // a real register's statistics decide otherwise.
    let partial: BTreeSet<String> = sqlx::query(
        "SELECT CAST(indexname AS TEXT) AS name FROM pg_indexes \
         WHERE schemaname = current_schema() AND indexdef LIKE '% WHERE %'",
    )
    .fetch_all(&pool)
    .await
    .unwrap()
    .iter()
    .map(|r| r.try_get("name").unwrap())
    .collect();
    let mut conn = pool.acquire().await.unwrap();
    // A generic plan, as a prepared statement gets it, with a sequential
    // scan priced so high that any usable index wins (a Seq Scan left is a
    // table the statement can only read whole), and joins as nested loops,
    // as on a large table, not the hash join a test's few rows invite.
    conn.execute(
        "SET plan_cache_mode = force_generic_plan; SET enable_seqscan = off; \
         SET enable_hashjoin = off; SET enable_mergejoin = off",
    )
    .await
    .unwrap();
    let mut failures = Vec::new();
    for sql in seen {
        if let Err(e) = prepare(&mut conn, sql).await {
            failures.push(format!("PostgreSQL could not prepare ({e}):\n{sql}"));
            continue;
        }
        let nulls = vec!["NULL"; parameters(sql)].join(", ");
        let args = if nulls.is_empty() {
            String::new()
        } else {
            format!("({nulls})")
        };
        let plan = conn
            .fetch_all(format!("EXPLAIN EXECUTE plan_me{args}").as_str())
            .await
            .and_then(|rows| {
                rows.iter()
                    .map(|r| r.try_get::<String, _>("QUERY PLAN"))
                    .collect::<Result<Vec<_>, _>>()
            });
        match plan {
            Ok(lines) => {
                for scan in full_scans(&lines, &growing, &partial) {
                    failures.push(format!("PostgreSQL: {scan}\n{sql}"));
                }
            }
            Err(e) => failures.push(format!("PostgreSQL could not explain ({e}):\n{sql}")),
        }
    }
    failures
}

/// The nodes of a plan (EXPLAIN's text) that read a growing table whole:
/// a sequential scan, or an index scan without a condition on the index
/// (with sequential scans priced out, that is how a table is read whole).
fn full_scans(
    lines: &[String],
    growing: &BTreeSet<String>,
    partial: &BTreeSet<String>,
) -> Vec<String> {
    // Each node: its line, and whether a line of its own says "Index Cond".
    let mut nodes: Vec<(String, bool)> = Vec::new();
    for line in lines {
        let text = line.trim_start().trim_start_matches("->").trim();
        if text.starts_with("Index Cond:") {
            if let Some(last) = nodes.last_mut() {
                last.1 = true;
            }
        } else if line.contains("->") || nodes.is_empty() {
            nodes.push((text.to_string(), false));
        }
    }
    let mut out = Vec::new();
    for (node, has_cond) in nodes {
        let whole = node.starts_with("Seq Scan on ")
            || ((node.starts_with("Index Scan using ")
                || node.starts_with("Index Only Scan using "))
                && !has_cond);
        let index = node
            .split(" using ")
            .nth(1)
            .and_then(|t| t.split_whitespace().next())
            .unwrap_or("");
        let whole = whole && !partial.contains(index);
        let table = node
            .split(" on ")
            .nth(1)
            .and_then(|t| t.split_whitespace().next())
            .unwrap_or("");
        if whole && growing.contains(table) {
            out.push(node.split("  (cost").next().unwrap_or(&node).to_string());
        }
    }
    out
}

/// Prepares `sql` as `plan_me`. A parameter whose type PostgreSQL cannot
/// infer (`$2 IS NULL OR …`: the app binds a typed value) is declared a
/// number, the type of every such parameter the store has.
async fn prepare(conn: &mut sqlx::AnyConnection, sql: &str) -> Result<(), sqlx::Error> {
    use sqlx::Executor;
    let mut types = vec!["unknown"; parameters(sql)];
    loop {
        let declared = if types.is_empty() {
            String::new()
        } else {
            format!("({})", types.join(", "))
        };
        let _ = conn.execute("DEALLOCATE ALL").await;
        let e = match conn
            .execute(format!("PREPARE plan_me{declared} AS {sql}").as_str())
            .await
        {
            Ok(_) => return Ok(()),
            Err(e) => e,
        };
        let unknown = e
            .to_string()
            .split("could not determine data type of parameter $")
            .nth(1)
            .and_then(|n| n.trim().parse::<usize>().ok());
        match unknown.and_then(|n| types.get_mut(n.wrapping_sub(1))) {
            Some(t) if *t == "unknown" => *t = "bigint",
            _ => return Err(e),
        }
    }
}
