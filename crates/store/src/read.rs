//! Reads on a busy page's path. On SQLite, sqlx runs each connection on a
//! thread of its own and hands every row to the waiting task through a
//! channel: a thread switch per row, a third of a worklist view's CPU, and
//! every row converted once more for the `Any` driver. Here a statement
//! runs on a blocking thread on a direct connection and its rows are made
//! into values there: one hop per statement. PostgreSQL reads go through
//! the pool as before; the same SQL and the same row mapping serve both
//! (columns read by name through [`Cells`]).

use crate::{Result, Store, StoreError};
use std::borrow::Cow;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// A parameter of a read, owned so that it can travel to the reading thread.
#[derive(Clone, Debug)]
pub(crate) enum Param {
    Int(i64),
    Text(String),
}

impl From<i64> for Param {
    fn from(v: i64) -> Param {
        Param::Int(v)
    }
}

impl From<&str> for Param {
    fn from(v: &str) -> Param {
        Param::Text(v.to_string())
    }
}

/// A row, read by column name, from either database.
pub(crate) trait Cells {
    fn int(&self, column: &str) -> Result<i64>;
    fn opt_int(&self, column: &str) -> Result<Option<i64>>;
    fn text(&self, column: &str) -> Result<String>;
    fn opt_text(&self, column: &str) -> Result<Option<String>>;
}

impl Cells for sqlx::any::AnyRow {
    fn int(&self, column: &str) -> Result<i64> {
        Ok(sqlx::Row::try_get(self, column)?)
    }
    fn opt_int(&self, column: &str) -> Result<Option<i64>> {
        Ok(sqlx::Row::try_get(self, column)?)
    }
    fn text(&self, column: &str) -> Result<String> {
        Ok(sqlx::Row::try_get(self, column)?)
    }
    fn opt_text(&self, column: &str) -> Result<Option<String>> {
        Ok(sqlx::Row::try_get(self, column)?)
    }
}

impl Cells for rusqlite::Row<'_> {
    fn int(&self, column: &str) -> Result<i64> {
        Ok(self.get(column)?)
    }
    fn opt_int(&self, column: &str) -> Result<Option<i64>> {
        Ok(self.get(column)?)
    }
    fn text(&self, column: &str) -> Result<String> {
        Ok(self.get(column)?)
    }
    fn opt_text(&self, column: &str) -> Result<Option<String>> {
        Ok(self.get(column)?)
    }
}

/// Maps one row to a value; the same function for both databases.
pub(crate) type MapRow<T> = fn(&dyn Cells) -> Result<T>;

/// Direct read-only connections to the SQLite file, opened when first
/// needed and kept; at most [`Readers::MAX`] reads at a time.
pub(crate) struct Readers {
    path: std::path::PathBuf,
    setup: &'static [&'static str],
    idle: Mutex<Vec<rusqlite::Connection>>,
    permits: Semaphore,
}

impl Readers {
    /// Two per core of this machine's kind: reads that wait on the disk
    /// leave the other cores work.
    const MAX: usize = 4;

    pub(crate) fn new(path: std::path::PathBuf, setup: &'static [&'static str]) -> Arc<Readers> {
        Arc::new(Readers {
            path,
            setup,
            idle: Mutex::new(Vec::new()),
            permits: Semaphore::new(Readers::MAX),
        })
    }

    fn open(&self) -> Result<rusqlite::Connection> {
        let conn = open_direct(&self.path, self.setup)?;
        conn.execute_batch("PRAGMA query_only = ON")?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(conn)
    }

    fn take(&self) -> Result<rusqlite::Connection> {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        match idle {
            Some(conn) => Ok(conn),
            None => self.open(),
        }
    }

    fn give_back(&self, conn: rusqlite::Connection) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(conn);
        }
    }

    /// Closes the idle connections (the store is closing).
    pub(crate) fn close(&self) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.clear();
        }
    }

    /// Runs `sql` and maps its rows, on a blocking thread.
    async fn rows<T: Send + 'static>(
        self: &Arc<Self>,
        sql: Cow<'static, str>,
        params: Vec<Param>,
        map: MapRow<T>,
    ) -> Result<Vec<T>> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| StoreError::Corrupt("the readers are closed".into()))?;
        let readers = self.clone();
        tokio::task::spawn_blocking(move || {
            let conn = readers.take()?;
            let rows = run(&conn, &sql, &params, map);
            readers.give_back(conn);
            rows
        })
        .await
        .map_err(|e| StoreError::Corrupt(format!("a read stopped: {e}")))?
    }
}

/// A direct connection to the SQLite file at `path`, set up with `setup`
/// (the pool's PRAGMAs).
pub(crate) fn open_direct(path: &std::path::Path, setup: &[&str]) -> Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open(path)?;
    for stmt in setup {
        // PRAGMAs may return a row (journal_mode does).
        conn.query_row(stmt, [], |_| Ok(())).or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(()),
            e => Err(e),
        })?;
    }
    Ok(conn)
}

fn run<T>(
    conn: &rusqlite::Connection,
    sql: &str,
    params: &[Param],
    map: MapRow<T>,
) -> Result<Vec<T>> {
    // As sqlx reports its statements: the plan test explains each one.
    tracing::trace!(db.statement = sql, "read");
    let mut stmt = conn.prepare_cached(sql)?;
    for (i, p) in params.iter().enumerate() {
        // By name: SQLite numbers `$n` in the order the names first appear.
        let at = stmt
            .parameter_index(&format!("${}", i + 1))?
            .ok_or_else(|| StoreError::Corrupt(format!("no parameter ${} in {sql}", i + 1)))?;
        match p {
            Param::Int(v) => stmt.raw_bind_parameter(at, v)?,
            Param::Text(v) => stmt.raw_bind_parameter(at, v)?,
        }
    }
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(map(row)?);
    }
    Ok(out)
}

impl Store {
    /// Every row of one read statement (its own consistent view), mapped by
    /// `map`. The SQL numbers its parameters `$1`, `$2`, … in the order they
    /// first appear. A statement made at run time is made of the code's
    /// own pieces; values are always bound.
    pub(crate) async fn read_rows<T: Send + 'static>(
        &self,
        sql: impl Into<Cow<'static, str>>,
        params: Vec<Param>,
        map: MapRow<T>,
    ) -> Result<Vec<T>> {
        let sql = sql.into();
        if let Some(readers) = &self.readers {
            return readers.rows(sql, params, map).await;
        }
        let mut query = sqlx::query(&sql);
        for p in params {
            query = match p {
                Param::Int(v) => query.bind(v),
                Param::Text(v) => query.bind(v),
            };
        }
        let rows = query.fetch_all(self.pool()).await?;
        rows.iter().map(|r| map(r)).collect()
    }

    /// The first row of one read statement, if any.
    pub(crate) async fn read_row<T: Send + 'static>(
        &self,
        sql: impl Into<Cow<'static, str>>,
        params: Vec<Param>,
        map: MapRow<T>,
    ) -> Result<Option<T>> {
        Ok(self.read_rows(sql, params, map).await?.into_iter().next())
    }
}

#[cfg(test)]
mod tests {
    /// `$n` parameters bind by number, wherever and however often they
    /// stand: the SQL both databases read.
    #[test]
    fn numbered_parameters_bind_by_number() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let params = [super::Param::Int(2), super::Param::Text("b".into())];
        let rows = super::run(
            &conn,
            "SELECT $2 || 'c' AS t, $1 * 10 + $1 AS n",
            &params,
            |r| Ok((r.int("n")?, r.text("t")?)),
        )
        .unwrap();
        assert_eq!(rows, vec![(22, "bc".to_string())]);
    }
}
