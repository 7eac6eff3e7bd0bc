//! Persistence for Wegwijs: the only crate that knows SQL.
//!
//! One implementation serves SQLite and PostgreSQL through sqlx's `Any`
//! driver: queries are written in the SQL both understand (`$1` parameters,
//! `ON CONFLICT`, `RETURNING`), and values are limited to integers, text and
//! bytes. What differs per backend (migrations, connection setup, locking,
//! backup) is kept in [`backend`].
//!
//! Personal data leaves this crate only through functions that take an
//! [`Actor`](wegwijs_domain::Actor) and a [`Purpose`](wegwijs_domain::Purpose),
//! ask the domain policy, and write an audit entry in the same transaction.

pub mod appointments;
pub mod audit;
mod backend;
pub mod consents;
pub mod contacts;
mod error;
pub mod feedback;
pub mod forms;
pub mod inzage;
pub mod jobs;
pub mod leads;
pub mod meta;
mod need_to_know;
pub mod notes;
pub mod orgs;
pub mod outbox;
pub mod oversight;
pub mod portal;
pub mod preparations;
mod read;
pub mod registers;
pub mod requests;
pub mod residents;
pub mod scan;
pub mod second_factor;
pub mod selfscan;
pub mod selfscan_rounds;
pub mod sessions;
pub mod signals;
pub mod users;
pub mod work;

pub use backend::{Backend, create_private, sqlite_file};
pub use error::{Conflict, StoreError};

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{Any, AnyPool, Transaction};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
pub(crate) type Tx = Transaction<'static, Any>;

/// A handle on the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// How audit entries are chained (with the audit key, if any).
    chain: audit::Chain,
    /// Where checkpoints of the chain's head go (a sealed store only).
    witness: Option<std::path::PathBuf>,
    /// The SQLite database file, for bulk work that bypasses the pool.
    sqlite_file: Option<std::path::PathBuf>,
    /// Group commit of the audit entries of reads (see `audit::writer`).
    audit: audit::writer::AuditWriter,
    /// Direct connections for the reads of busy pages (SQLite files only;
    /// see `read`).
    readers: Option<std::sync::Arc<read::Readers>>,
}

/// A pool of up to `max` connections, each set up for `backend`.
async fn open_pool(
    url: &str,
    backend: Backend,
    max: u32,
    also: &'static [&'static str],
) -> Result<AnyPool> {
    AnyPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(backend.acquire_timeout())
        .after_connect(move |conn, _| {
            Box::pin(async move {
                for stmt in backend.session_setup().iter().chain(also) {
                    sqlx::query(stmt).execute(&mut *conn).await?;
                }
                Ok(())
            })
        })
        .connect(url)
        .await
        .map_err(|e| StoreError::Connect(backend::describe_connect_error(&e)))
}

impl Store {
    /// Connects to `url` (`sqlite://path` or `postgres://...`) without
    /// migrating; see [`Store::migrate`]. Its audit chain is unkeyed: for
    /// tests and tools; an installation uses [`Store::connect_sealed`].
    pub async fn connect(url: &str) -> Result<Store> {
        Store::connect_with(url, None).await
    }

    /// Connects with the audit key that keys the chain's hashes and the
    /// witness its checkpoints go to; the first [`Store::migrate`] switches
    /// an unkeyed chain to the key.
    pub async fn connect_sealed(url: &str, seal: audit::witness::Seal) -> Result<Store> {
        Store::connect_with(url, Some(seal)).await
    }

    async fn connect_with(url: &str, seal: Option<audit::witness::Seal>) -> Result<Store> {
        install_default_drivers();
        let backend = Backend::from_url(url)?;
        let url = backend.prepare_url(url);
        let sqlite_file = sqlite_file(&url);
        // Readable by its owner only; SQLite gives its -wal and -shm files
        // the database file's mode.
        if let Some(file) = sqlite_file.as_ref().filter(|f| !f.exists()) {
            backend::create_private(file).map_err(|e| {
                StoreError::Connect(format!("cannot create {}: {e}", file.display()))
            })?;
        }
        let pool = open_pool(&url, backend, backend.max_connections(), &[]).await?;
        // The audit writer's own connection: requests waiting for a group
        // commit hold none of the pool's.
        let writer_pool = open_pool(&url, backend, 1, backend.audit_writer_setup()).await?;
        let beside = (backend == Backend::Sqlite).then(|| pool.clone());
        let chain = audit::Chain {
            backend,
            key: seal.as_ref().map(|s| s.key.clone()),
        };
        Ok(Store {
            pool,
            backend,
            audit: audit::writer::AuditWriter::start(writer_pool, chain.clone(), beside),
            chain,
            witness: seal.map(|s| s.witness),
            readers: sqlite_file
                .clone()
                .map(|f| read::Readers::new(f, backend.session_setup())),
            sqlite_file,
        })
    }

    /// Applies pending migrations, then settles the audit chain's key (see
    /// [`Store::seal_audit_chain`]). Refuses a database that has migrations
    /// this binary does not know (it is newer than the binary).
    pub async fn migrate(&self) -> Result<()> {
        backend::migrate(&self.pool, self.backend, self.backend.schema_version()).await?;
        self.seal_audit_chain().await
    }

    /// Brings the schema only up to `version`: for the test that compares
    /// the two backends' schemas after every migration.
    pub async fn migrate_up_to(&self, version: i64) -> Result<()> {
        backend::migrate(&self.pool, self.backend, version).await
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub(crate) fn chain(&self) -> &audit::Chain {
        &self.chain
    }

    /// Answers when the database does; for `/readyz`.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Writes a consistent copy of a SQLite database to `path`, while the app
    /// keeps running. PostgreSQL installations use pg_dump instead.
    pub async fn backup_to(&self, path: &std::path::Path) -> Result<()> {
        backend::backup(&self.pool, self.backend, path).await
    }

    /// Closes every connection. On SQLite it first folds the write-ahead
    /// log into the database file and empties it: left behind (after a bulk
    /// import, say) the next process to open the file would read all of it
    /// back and copy it again.
    pub async fn close(&self) {
        // The chain's head as it is left, for the witness (and the log).
        if let Err(e) = self.audit_checkpoint().await {
            tracing::error!(error = %e, "the last audit checkpoint could not be written");
        }
        // Best effort, on a connection of its own (after a bulk import this
        // takes a while, which is expected, not a slow query to warn of). A
        // reader elsewhere may hold the log; a later checkpoint folds it in.
        if let Some(readers) = &self.readers {
            readers.close();
        }
        if let Ok(Some(conn)) = self.direct_sqlite() {
            let _ = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }
        self.pool.close().await;
    }

    /// A read-only transaction: a consistent view, no write lock.
    pub(crate) async fn read_tx(&self) -> Result<Tx> {
        Ok(self.pool.begin().await?)
    }

    /// A write transaction. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so that a transaction that reads and then writes
    /// cannot fail halfway on a lock upgrade.
    pub(crate) async fn write_tx(&self) -> Result<Tx> {
        Ok(self.pool.begin_with(self.backend.begin_write()).await?)
    }

    /// A direct connection to the SQLite file, set up like the pool's;
    /// `None` on PostgreSQL.
    pub(crate) fn direct_sqlite(&self) -> Result<Option<rusqlite::Connection>> {
        let Some(path) = &self.sqlite_file else {
            return Ok(None);
        };
        Ok(Some(read::open_direct(path, self.backend.session_setup())?))
    }

    /// A direct connection for bulk writes, where the pool's per-row
    /// overhead is too high; `None` on PostgreSQL.
    pub(crate) fn bulk_sqlite(&self) -> Result<Option<rusqlite::Connection>> {
        let Some(conn) = self.direct_sqlite()? else {
            return Ok(None);
        };
        // A bulk transaction outgrows the usual page cache; spilling it to
        // the WAL and reading it back costs more than the memory.
        conn.execute_batch("PRAGMA cache_size = -262144")?;
        // Bulk writers create every reference they write within their own
        // transaction (see signals::import), so the per-row foreign-key
        // lookups into million-row tables only cost time.
        conn.execute_batch("PRAGMA foreign_keys = OFF")?;
        // Sorting for an index rebuilt after a bulk load may use a second core.
        conn.execute_batch("PRAGMA threads = 2")?;
        // After the checkpoint that follows a bulk commit, give the WAL
        // file's space back instead of keeping it at its largest.
        conn.query_row("PRAGMA journal_size_limit = 67108864", [], |_| Ok(()))?;
        Ok(Some(conn))
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

/// Turns a 0/1 column into a bool; SQLite has no boolean type.
pub(crate) fn flag(v: i64) -> bool {
    v != 0
}
