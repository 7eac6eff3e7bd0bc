//! Facts about the installation itself, kept with its data.

use crate::{Result, Store, StoreError};
use sqlx::Row;

/// Whether the data is a demo with made-up people or real. Fixed when the
/// database is first set up, so that a configuration change can never mix
/// made-up and real people, nor open the mock login on real data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Demo,
    Production,
}

impl Mode {
    pub fn code(self) -> &'static str {
        match self {
            Mode::Demo => "demo",
            Mode::Production => "productie",
        }
    }
}

impl Store {
    /// The stored mode, or `None` for a database not yet set up.
    pub async fn mode(&self) -> Result<Option<Mode>> {
        let row = sqlx::query("SELECT value FROM meta WHERE key = 'mode'")
            .fetch_optional(self.pool())
            .await?;
        match row {
            None => Ok(None),
            Some(r) => match r.try_get::<String, _>("value")?.as_str() {
                "demo" => Ok(Some(Mode::Demo)),
                "productie" => Ok(Some(Mode::Production)),
                other => Err(StoreError::Corrupt(format!("unknown mode {other:?}"))),
            },
        }
    }

    /// Whether the database holds organisations or residents: data someone
    /// put there, which a demo must never be mixed into.
    pub async fn holds_data(&self) -> Result<bool> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM (SELECT 1 AS one FROM organisations LIMIT 1) o) \
             + (SELECT COUNT(*) FROM (SELECT 1 AS one FROM residents LIMIT 1) r) AS held",
        )
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get::<i64, _>("held")? > 0)
    }

    /// A stored fact about the installation, e.g. whether the demo data is
    /// complete.
    pub async fn meta(&self, key: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT value FROM meta WHERE key = $1")
            .bind(key)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| r.try_get("value").map_err(StoreError::from))
            .transpose()
    }

    pub async fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Records the mode of a new database; returns the mode that holds
    /// (the stored one, when it was set before).
    pub async fn init_mode(&self, mode: Mode) -> Result<Mode> {
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES ('mode', $1) ON CONFLICT (key) DO NOTHING",
        )
        .bind(mode.code())
        .execute(self.pool())
        .await?;
        self.mode().await?.ok_or(StoreError::NotFound)
    }
}
