//! Group commit of audit entries. A request that only reads personal data
//! hands its entry to one writer task and waits; the writer commits the
//! entries of every request waiting at that moment in one transaction, on
//! a connection of its own, and then lets them all go on. So no personal
//! data leaves the server before its entry is durable (committed), while
//! reads run outside write transactions and a page view no longer queues
//! behind SQLite's single writer once per store call.

use super::Chain;
use super::NewEntry;
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
    /// On SQLite, `beside` is the pool on which the log is checkpointed
    /// beside the writer (see [`Checkpoints`]).
    pub(crate) fn start(pool: AnyPool, chain: Chain, beside: Option<AnyPool>) -> AuditWriter {
        let (jobs, queue) = mpsc::channel(4 * MAX_JOBS);
        tokio::spawn(run(pool, chain, queue, beside.map(Checkpoints::new)));
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

async fn run(
    pool: AnyPool,
    chain: Chain,
    mut queue: mpsc::Receiver<Job>,
    mut checkpoints: Option<Checkpoints>,
) {
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_JOBS {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let result = commit(&pool, &chain, &batch)
            .await
            .map_err(|e| e.to_string());
        if let Err(e) = &result {
            tracing::error!(error = %e, jobs = batch.len(), "audit entries could not be written");
        }
        for job in batch {
            // A request that gave up waiting has nothing to be told.
            let _ = job.done.send(result.clone());
        }
        if let Some(c) = &mut checkpoints {
            c.after_commit(&pool).await;
        }
    }
}

/// SQLite's write-ahead log folded into the database without making the
/// requests that wait for the writer wait for the disk. A checkpoint
/// beside the writer (PASSIVE, on a pool connection, every
/// [`Checkpoints::EVERY`]) copies what the writer wrote so far and never
/// blocks it; but the log starts again from the top only when it is wholly
/// copied as a write begins, which a checkpoint beside a busy writer never
/// sees. So once the log is past [`Checkpoints::FOLD_AT`] frames, the
/// writer copies the little that is left itself, between two commits, and
/// the log restarts. (A checkpoint of 1,000 pages in the writer, SQLite's
/// default, made `/werk` do 1,400 instead of 2,300 views a second; one of
/// 10,000 pages made its p99 100 ms.)
struct Checkpoints {
    pool: AnyPool,
    running: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Frames in the log, as the last checkpoint beside the writer saw it.
    frames: std::sync::Arc<std::sync::atomic::AtomicI64>,
    last: std::time::Instant,
}

impl Checkpoints {
    const EVERY: std::time::Duration = std::time::Duration::from_millis(250);
    /// 64 MiB of log: folding it in syncs the database file, which the
    /// waiting requests feel, so not often.
    const FOLD_AT: i64 = 16_000;

    fn new(pool: AnyPool) -> Checkpoints {
        Checkpoints {
            pool,
            running: Default::default(),
            frames: Default::default(),
            last: std::time::Instant::now(),
        }
    }

    async fn after_commit(&mut self, writer: &AnyPool) {
        use std::sync::atomic::Ordering;
        if self.running.load(Ordering::Acquire) {
            return;
        }
        if self.frames.load(Ordering::Acquire) >= Self::FOLD_AT {
            self.frames.store(0, Ordering::Release);
            if let Err(e) = checkpoint(writer).await {
                tracing::warn!(error = %e, "folding the database log in");
            }
        } else if self.last.elapsed() >= Self::EVERY {
            self.last = std::time::Instant::now();
            self.running.store(true, Ordering::Release);
            let (pool, running, frames) =
                (self.pool.clone(), self.running.clone(), self.frames.clone());
            tokio::spawn(async move {
                match checkpoint(&pool).await {
                    Ok(n) => frames.store(n, Ordering::Release),
                    Err(e) => tracing::warn!(error = %e, "checkpointing the database log"),
                }
                running.store(false, Ordering::Release);
            });
        }
    }
}

/// A PASSIVE checkpoint; returns the frames in the log.
async fn checkpoint(pool: &AnyPool) -> Result<i64> {
    let row = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
        .fetch_one(pool)
        .await?;
    Ok(sqlx::Row::try_get(&row, "log")?)
}

/// One transaction for the batch: its new lists, then every entry of every
/// job, chained in the order the jobs came in.
async fn commit(pool: &AnyPool, chain: &Chain, batch: &[Job]) -> Result<()> {
    let mut tx = pool.begin_with(chain.backend.begin_write()).await?;
    let mut lists: Vec<&super::ShownList> = batch.iter().filter_map(|j| j.list.as_ref()).collect();
    lists.sort_by(|a, b| a.digest.cmp(&b.digest));
    lists.dedup_by(|a, b| a.digest == b.digest);
    super::store_lists(&mut tx, chain.backend, &lists).await?;
    let entries: Vec<Vec<NewEntry<'_>>> = batch
        .iter()
        .map(|j| j.entries.iter().map(OwnedEntry::borrowed).collect())
        .collect();
    let groups: Vec<super::Group<'_>> = batch
        .iter()
        .zip(&entries)
        .map(|(job, entries)| super::Group {
            at: job.at,
            entries,
            list: job.list.as_ref().map(|l| l.digest.as_str()),
        })
        .collect();
    super::append_groups(&mut tx, chain, &groups).await?;
    tx.commit().await?;
    Ok(())
}
