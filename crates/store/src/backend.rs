//! What differs between SQLite and PostgreSQL.

use crate::{Result, StoreError};
use sqlx::AnyPool;
use sqlx::migrate::{Migrate, MigrateError, Migration, MigrationType, Migrator};
use std::borrow::Cow;
use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// Key for PostgreSQL advisory locks that serialise appends to the audit
/// chain across instances ("WEGWIJS" in ASCII, as a number).
pub(crate) const AUDIT_LOCK_KEY: i64 = 0x0057_4547_5749_4A53;

impl Backend {
    pub fn from_url(url: &str) -> Result<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl)
        }
    }

    /// SQLite files are created on first use.
    pub(crate) fn prepare_url(self, url: &str) -> String {
        match self {
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_string(),
        }
    }

    pub(crate) fn max_connections(self) -> u32 {
        match self {
            Backend::Sqlite => 4,
            Backend::Postgres => 10,
        }
    }

    /// How long a request waits for a connection. SQLite's pool waits on
    /// its own file only; a PostgreSQL server that is down or restarting
    /// should make a page say so soon, not after ten seconds.
    pub(crate) fn acquire_timeout(self) -> std::time::Duration {
        match self {
            Backend::Sqlite => std::time::Duration::from_secs(10),
            Backend::Postgres => std::time::Duration::from_secs(3),
        }
    }

    pub(crate) fn session_setup(self) -> &'static [&'static str] {
        match self {
            Backend::Sqlite => &[
                "PRAGMA journal_mode = WAL",
                "PRAGMA synchronous = NORMAL",
                "PRAGMA foreign_keys = ON",
                "PRAGMA busy_timeout = 10000",
                // 32 MiB of page cache per connection (allocated only when used):
                // the default 2 MiB thrashes on a register import.
                "PRAGMA cache_size = -32768",
            ],
            Backend::Postgres => &["SET TIME ZONE 'UTC'"],
        }
    }

    /// More setup for the audit writer's connection: on SQLite it never
    /// checkpoints on its own; `audit::writer` decides when (see there).
    pub(crate) fn audit_writer_setup(self) -> &'static [&'static str] {
        match self {
            Backend::Sqlite => &["PRAGMA wal_autocheckpoint = 0"],
            Backend::Postgres => &[],
        }
    }

    pub(crate) fn begin_write(self) -> &'static str {
        match self {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        }
    }

    /// Placeholders for a multi-row INSERT of `rows` rows of `cols` values:
    /// "($1, $2), ($3, $4)" on PostgreSQL, "(?, ?), (?, ?)" on SQLite, where
    /// numbered parameters make binding quadratic (SQLite looks each name up
    /// by scanning all of them).
    pub(crate) fn placeholders(self, rows: usize, cols: usize) -> String {
        self.placeholders_from(1, rows, cols)
    }

    /// The same, numbered from `first` (after parameters of their own).
    pub(crate) fn placeholders_from(self, first: usize, rows: usize, cols: usize) -> String {
        (0..rows)
            .map(|r| {
                let ps: Vec<String> = (0..cols)
                    .map(|c| match self {
                        Backend::Sqlite => "?".to_string(),
                        Backend::Postgres => format!("${}", first + r * cols + c),
                    })
                    .collect();
                format!("({})", ps.join(", "))
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// This backend's SQL of each migration: (version, name, SQL).
    fn migrations(self) -> impl Iterator<Item = (i64, &'static str, &'static str)> {
        MIGRATIONS
            .iter()
            .map(move |(v, name, sqlite, postgres)| match self {
                Backend::Sqlite => (*v, *name, *sqlite),
                Backend::Postgres => (*v, *name, *postgres),
            })
    }

    /// The newest schema version this binary knows.
    pub fn schema_version(self) -> i64 {
        MIGRATIONS.last().map(|m| m.0).unwrap_or(0)
    }
}

/// The migrations up to and including `up_to`.
fn migrator(backend: Backend, up_to: i64) -> Migrator {
    let migrations: Vec<Migration> = backend
        .migrations()
        .filter(|(version, _, _)| *version <= up_to)
        .map(|(version, name, sql)| {
            Migration::new(
                version,
                Cow::Borrowed(name),
                MigrationType::Simple,
                Cow::Borrowed(sql),
                false,
            )
        })
        .collect();
    Migrator {
        migrations: Cow::Owned(migrations),
        ..Migrator::DEFAULT
    }
}

/// Brings the schema to version `up_to` (normally [`Backend::schema_version`]).
pub(crate) async fn migrate(pool: &AnyPool, backend: Backend, up_to: i64) -> Result<()> {
    // Check first, so a newer database is refused before anything is touched.
    let mut conn = pool.acquire().await?;
    conn.ensure_migrations_table()
        .await
        .map_err(|e| StoreError::Migrate(e.to_string()))?;
    let applied = conn
        .list_applied_migrations()
        .await
        .map_err(|e| StoreError::Migrate(e.to_string()))?;
    drop(conn);
    if let Some(newer) = applied
        .iter()
        .map(|m| m.version)
        .find(|v| *v > backend.schema_version())
    {
        return Err(StoreError::NewerDatabase(newer));
    }
    migrator(backend, up_to)
        .run(pool)
        .await
        .map_err(|e| match e {
            MigrateError::VersionMissing(v) => StoreError::NewerDatabase(v),
            other => StoreError::Migrate(other.to_string()),
        })
}

pub(crate) async fn backup(pool: &AnyPool, backend: Backend, path: &Path) -> Result<()> {
    if backend != Backend::Sqlite {
        return Err(StoreError::Migrate(
            "backup works on the embedded SQLite database; for PostgreSQL use pg_dump".into(),
        ));
    }
    let target = path
        .to_str()
        .ok_or_else(|| StoreError::Migrate("the backup path is not valid UTF-8".into()))?;
    // Created empty first, readable by its owner only; VACUUM INTO fills it.
    create_private(path)
        .map_err(|e| StoreError::Migrate(format!("cannot create {target}: {e}")))?;
    sqlx::query("VACUUM INTO $1")
        .bind(target.to_string())
        .execute(pool)
        .await?;
    Ok(())
}

/// Creates a new, empty file that only its owner can read and write: for
/// databases, backups and keys, which hold personal data or secrets.
pub fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// The file of a `sqlite://PATH?...` URL; `None` for memory databases and
/// other backends.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then(|| std::path::PathBuf::from(path))
}

/// A short reason for a failed connection, without the URL (it may hold a
/// password).
pub(crate) fn describe_connect_error(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Io(io) => io.to_string(),
        sqlx::Error::Database(d) => d.message().to_string(),
        sqlx::Error::PoolTimedOut => "timed out".to_string(),
        other => other.to_string(),
    }
}
