//! The two backends' schemas are the same after every migration: tables,
//! columns (types mapped), primary keys, indexes with their columns,
//! uniqueness and conditions. Each backend has its own SQL file per
//! migration (build.rs pairs them); this test keeps them in step. It needs
//! both databases, so it compares only when WEGWIJS_TEST_DATABASE_URL names
//! a PostgreSQL server (as in CI); on SQLite alone it checks that every
//! version migrates and reads.

use super::fresh_pg_schema;
use sqlx::{AnyPool, Row};
use std::collections::{BTreeMap, BTreeSet};
use wegwijs_store::Store;

#[derive(Debug, Default, PartialEq, Eq)]
struct Table {
    /// (name, type, not null), in their order.
    columns: Vec<(String, &'static str, bool)>,
    primary_key: Vec<String>,
    /// (name for a created index, none for a UNIQUE constraint, unique,
    /// columns, condition).
    indexes: BTreeSet<(Option<String>, bool, String, String)>,
}

type Schema = BTreeMap<String, Table>;

#[tokio::test]
async fn both_backends_have_the_same_schema_after_every_migration() {
    sqlx::any::install_default_drivers();
    let dir = tempfile::tempdir().unwrap();
    let sqlite_url = format!("sqlite://{}", dir.path().join("schema.db").display());
    let sqlite = Store::connect(&sqlite_url).await.unwrap();
    let sqlite_raw = AnyPool::connect(&sqlite_url).await.unwrap();
    let pg = match std::env::var("WEGWIJS_TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            let url = fresh_pg_schema(&base).await;
            let store = Store::connect(&url).await.unwrap();
            Some((store, AnyPool::connect(&url).await.unwrap()))
        }
        _ => None,
    };
    let latest = sqlite.backend().schema_version();
    assert!(latest >= 11, "only {latest} migrations");
    for version in 1..=latest {
        sqlite.migrate_up_to(version).await.unwrap();
        let lite = sqlite_schema(&sqlite_raw).await;
        assert!(!lite.is_empty(), "no tables after migration {version}");
        let Some((store, raw)) = &pg else { continue };
        store.migrate_up_to(version).await.unwrap();
        let post = postgres_schema(raw).await;
        let tables: BTreeSet<&String> = lite.keys().chain(post.keys()).collect();
        for t in tables {
            assert_eq!(
                lite.get(t),
                post.get(t),
                "after migration {version}, table {t}: SQLite (left) and PostgreSQL (right) differ"
            );
        }
    }
}

/// The declared type as the store uses it: integers, text, bytes.
fn mapped(declared: &str) -> &'static str {
    match declared.to_ascii_lowercase().as_str() {
        "integer" | "bigint" | "smallint" | "int" => "integer",
        "text" | "character varying" | "varchar" => "text",
        "blob" | "bytea" => "bytes",
        "boolean" => "boolean",
        "real" | "double precision" | "numeric" => "real",
        _ => "other",
    }
}

/// A condition as both write it, without brackets, casts and case.
fn condition(text: &str) -> String {
    text.replace("::text", "")
        .chars()
        .filter(|c| !matches!(c, '(' | ')') && !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

async fn sqlite_schema(pool: &AnyPool) -> Schema {
    let tables = sqlx::query(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for row in tables {
        let name: String = row.try_get("name").unwrap();
        let mut table = Table::default();
        let cols = sqlx::query(
            "SELECT name, type, \"notnull\" AS not_null, pk FROM pragma_table_info($1) ORDER BY cid",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .unwrap();
        let mut pk: Vec<(i64, String)> = Vec::new();
        for c in cols {
            let col: String = c.try_get("name").unwrap();
            let key: i64 = c.try_get("pk").unwrap();
            let not_null = c.try_get::<i64, _>("not_null").unwrap() == 1 || key > 0;
            let ty: String = c.try_get("type").unwrap();
            if key > 0 {
                pk.push((key, col.clone()));
            }
            table.columns.push((col, mapped(&ty), not_null));
        }
        pk.sort();
        table.primary_key = pk.into_iter().map(|(_, c)| c).collect();
        let indexes = sqlx::query(
            "SELECT l.name, l.\"unique\" AS uniq, l.origin, m.sql FROM pragma_index_list($1) l \
             LEFT JOIN sqlite_master m ON m.type = 'index' AND m.name = l.name",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .unwrap();
        for i in indexes {
            let origin: String = i.try_get("origin").unwrap();
            if origin == "pk" {
                continue;
            }
            let index: String = i.try_get("name").unwrap();
            let cols: Vec<String> =
                // An expression (lower(achternaam)) has no column name:
                // "expr" on both backends.
                sqlx::query("SELECT COALESCE(name, 'expr') AS name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&index)
                    .fetch_all(pool)
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| r.try_get("name").unwrap())
                    .collect();
            let sql: Option<String> = i.try_get("sql").unwrap();
            let sql = sql.unwrap_or_default();
            let upper = sql.to_uppercase();
            let cond = upper.rfind(" WHERE ").map(|at| condition(&sql[at + 7..]));
            table.indexes.insert((
                (origin == "c").then_some(index),
                i.try_get::<i64, _>("uniq").unwrap() == 1,
                cols.join(","),
                cond.unwrap_or_default(),
            ));
        }
        schema.insert(name, table);
    }
    schema
}

async fn postgres_schema(pool: &AnyPool) -> Schema {
    let tables = sqlx::query(
        "SELECT table_name::text AS name FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
         AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for row in tables {
        let name: String = row.try_get("name").unwrap();
        let mut table = Table::default();
        let cols = sqlx::query(
            "SELECT column_name::text AS name, data_type::text AS ty, is_nullable::text AS nullable \
             FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 \
             ORDER BY ordinal_position",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .unwrap();
        for c in cols {
            let ty: String = c.try_get("ty").unwrap();
            let nullable: String = c.try_get("nullable").unwrap();
            table
                .columns
                .push((c.try_get("name").unwrap(), mapped(&ty), nullable == "NO"));
        }
        let indexes = sqlx::query(
            "SELECT c.relname::text AS name, ix.indisunique::int AS uniq, ix.indisprimary::int AS pk, \
             (SELECT string_agg(COALESCE(a.attname::text, 'expr'), ',' ORDER BY k.ord) \
                FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
                LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum) AS cols, \
             COALESCE(pg_get_expr(ix.indpred, ix.indrelid), '') AS cond, \
             EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid)::int AS by_constraint \
             FROM pg_index ix JOIN pg_class c ON c.oid = ix.indexrelid \
             JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
             WHERE n.nspname = current_schema() AND t.relname = $1",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .unwrap();
        for i in indexes {
            let cols: String = i.try_get("cols").unwrap();
            if i.try_get::<i32, _>("pk").unwrap() == 1 {
                table.primary_key = cols.split(',').map(String::from).collect();
                continue;
            }
            let by_constraint = i.try_get::<i32, _>("by_constraint").unwrap() == 1;
            let cond: String = i.try_get("cond").unwrap();
            table.indexes.insert((
                (!by_constraint).then(|| i.try_get("name").unwrap()),
                i.try_get::<i32, _>("uniq").unwrap() == 1,
                cols,
                condition(&cond),
            ));
        }
        schema.insert(name, table);
    }
    schema
}
