use wegwijs_domain::{Denied, ValidationError};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot reach the database: {0}")]
    Connect(String),
    #[error("unsupported database URL: use sqlite://PATH or postgres://HOST/DB")]
    UnsupportedUrl,
    #[error(
        "the database has migration {0}, which this wegwijs does not know: it was made by a newer \
         version. Run that version, or restore a backup made by this one; nothing was changed"
    )]
    NewerDatabase(i64),
    #[error("migrating the database failed: {0}")]
    Migrate(String),
    #[error("access refused: {0}")]
    Denied(#[from] Denied),
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    #[error("not found")]
    NotFound,
    #[error("{0} already exists")]
    Duplicate(&'static str),
    #[error("stored data is not valid ({0}); the database was changed outside wegwijs")]
    Corrupt(String),
    #[error("changed meanwhile: {0:?}")]
    Conflict(Conflict),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("the audit log could not be written: {0}")]
    AuditWriter(String),
    #[error(
        "the audit log of this database is secured with a key, and no audit key was given; \
         give the installation's key (see the README, \"The audit log\")"
    )]
    AuditKeyNeeded,
    #[error("the audit witness {0} could not be written: {1}")]
    Witness(String, String),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// Someone else acted on the same thing first: what the second one is
/// told, instead of their change silently undoing the first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Conflict {
    /// A colleague took the work (their name).
    TakenBy(String),
    /// The work was finished meanwhile.
    Closed,
    /// The work was changed (given to someone, its status set) since the
    /// page was shown.
    Changed,
}

impl StoreError {
    /// The database does not answer (down, restarting, unreachable), as
    /// opposed to refusing what was asked: the request may work later.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Connect(_) => true,
            StoreError::Db(e) => matches!(
                e,
                sqlx::Error::Io(_)
                    | sqlx::Error::PoolTimedOut
                    | sqlx::Error::PoolClosed
                    | sqlx::Error::Tls(_)
            ),
            // A direct SQLite connection that waited its busy time out.
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ),
            _ => false,
        }
    }

    /// Maps a unique-constraint violation to [`StoreError::Duplicate`].
    pub(crate) fn unique_as(e: sqlx::Error, what: &'static str) -> StoreError {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Duplicate(what),
            _ => StoreError::Db(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_that_does_not_answer_is_told_apart_from_a_refusal() {
        assert!(StoreError::Db(sqlx::Error::PoolTimedOut).is_unavailable());
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        assert!(StoreError::Db(sqlx::Error::Io(io)).is_unavailable());
        assert!(StoreError::Connect("down".into()).is_unavailable());
        assert!(!StoreError::NotFound.is_unavailable());
        assert!(!StoreError::Db(sqlx::Error::RowNotFound).is_unavailable());
        let busy = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(5), None);
        assert!(StoreError::Sqlite(busy).is_unavailable());
        let constraint = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(19), None);
        assert!(!StoreError::Sqlite(constraint).is_unavailable());
    }
}
