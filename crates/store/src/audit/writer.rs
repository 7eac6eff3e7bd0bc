//! Group commit of audit entries. A request that only reads personal data
//! hands its entry to one writer task and waits; the writer commits the
//! entries of every request waiting at that moment in one transaction, on
//! a connection of its own, and then lets them all go on. So no personal
//! data leaves the server before its entry is durable (committed), while
//! reads run outside write transactions and a page view no longer queues
//! behind SQLite's single writer once per store call.

use super::{NewEntry, append};
use crate::backend::Backend;
use crate::{Result, StoreError};
use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot};
use wegwijs_domain::{Actor, Denied, Purpose, ResidentId};

/// An entry that can travel to the writer task.
pub(crate) struct OwnedEntry {
    pub actor: Actor,
    pub resident: Option<ResidentId>,
    pub action: super::Action,
    pub purpose: Purpose,
    pub outcome: std::result::Result<(), Denied>,
    pub detail: String,
}

impl OwnedEntry {
    fn borrowed(&self) -> NewEntry<'_> {
        NewEntry {
            actor: &self.actor,
            resident: self.resident,
            action: self.action,
            purpose: self.purpose,
            outcome: self.outcome,
            detail: self.detail.clone(),
        }
    }
}

struct Job {
    at: i64,
    entries: Vec<OwnedEntry>,
    /// The list a list view showed: pointed to by the job's (one) entry.
    list: Option<super::ShownList>,
    done: oneshot::Sender<std::result::Result<(), String>>,
}

/// Jobs committed together at most; more wait for the next commit.
const MAX_JOBS: usize = 512;

/// The handle requests use; cheap to clone.
#[derive(Clone)]
pub(crate) struct AuditWriter {
    jobs: mpsc::Sender<Job>,
}

impl AuditWriter {
    /// Starts the writer task on `pool`, which should be its own (one
    /// connection): requests waiting for it hold none of theirs.
    pub(crate) fn start(pool: AnyPool, backend: Backend) -> AuditWriter {
        let (jobs, queue) = mpsc::channel(4 * MAX_JOBS);
        tokio::spawn(run(pool, backend, queue));
        AuditWriter { jobs }
    }

    /// Appends `entries` (at time `at`) and returns once they are committed.
    pub(crate) async fn log(&self, at: i64, entries: Vec<OwnedEntry>) -> Result<()> {
        self.send(at, entries, None).await
    }

    /// One entry for a view of `list` (its detail from
    /// [`super::ShownList::detail`]); returns once committed.
    pub(crate) async fn log_list(
        &self,
        at: i64,
        entry: OwnedEntry,
        list: super::ShownList,
    ) -> Result<()> {
        self.send(at, vec![entry], Some(list)).await
    }

    async fn send(
        &self,
        at: i64,
        entries: Vec<OwnedEntry>,
        list: Option<super::ShownList>,
    ) -> Result<()> {
        let (done, committed) = oneshot::channel();
        let job = Job {
            at,
            entries,
            list,
            done,
        };
        self.jobs
            .send(job)
            .await
            .map_err(|_| StoreError::AuditWriter("the writer has stopped".into()))?;
        committed
            .await
            .map_err(|_| StoreError::AuditWriter("the writer has stopped".into()))?
            .map_err(StoreError::AuditWriter)
    }
}

async fn run(pool: AnyPool, backend: Backend, mut queue: mpsc::Receiver<Job>) {
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_JOBS {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let result = commit(&pool, backend, &batch)
            .await
            .map_err(|e| e.to_string());
        if let Err(e) = &result {
            tracing::error!(error = %e, jobs = batch.len(), "audit entries could not be written");
        }
        for job in batch {
            // A request that gave up waiting has nothing to be told.
            let _ = job.done.send(result.clone());
        }
    }
}

async fn commit(pool: &AnyPool, backend: Backend, batch: &[Job]) -> Result<()> {
    let mut tx = pool.begin_with(backend.begin_write()).await?;
    for job in batch {
        let entries: Vec<NewEntry<'_>> = job.entries.iter().map(OwnedEntry::borrowed).collect();
        append(&mut tx, backend, job.at, &entries).await?;
        if let Some(list) = &job.list {
            let seq: i64 = sqlx::query(super::LAST_ENTRY)
                .fetch_one(&mut *tx)
                .await
                .and_then(|r| sqlx::Row::try_get(&r, "seq"))?;
            super::store_list(&mut tx, backend, seq, list).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
