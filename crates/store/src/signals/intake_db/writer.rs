//! The SQLite side of a large intake writes on a thread of its own, so
//! that SQLite's work (row encoding, B-tree inserts, page writes) overlaps
//! with validating and matching the next rows on the caller's thread.
//! Jobs run in the order they were sent, all in the one transaction the
//! writer's connection holds; the first failure ends the thread, and its
//! error comes back from the next call. Dropping the writer without
//! committing rolls everything back.

use crate::{Result, StoreError};
use rusqlite::Connection;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

type Job = Box<dyn FnOnce(&mut Connection) -> rusqlite::Result<()> + Send>;

/// Jobs waiting for the writer at most: enough to keep it busy, few
/// enough that a delivery never piles up in memory.
const QUEUE: usize = 4;

pub(crate) struct SqliteWriter {
    jobs: Option<SyncSender<Job>>,
    abort: Arc<AtomicBool>,
    thread: Option<JoinHandle<rusqlite::Result<()>>>,
}

impl SqliteWriter {
    /// Takes over `conn`, which already holds the write transaction.
    pub fn start(conn: Connection) -> Result<SqliteWriter> {
        let (jobs, queue) = sync_channel::<Job>(QUEUE);
        let abort = Arc::new(AtomicBool::new(false));
        let stop = abort.clone();
        let thread = std::thread::Builder::new()
            .name("signal-writer".into())
            .spawn(move || run(conn, queue, &stop))
            .map_err(|e| StoreError::Corrupt(format!("cannot start the writer: {e}")))?;
        Ok(SqliteWriter {
            jobs: Some(jobs),
            abort,
            thread: Some(thread),
        })
    }

    /// Queues `job` behind the earlier ones without waiting for it.
    pub fn send(
        &mut self,
        job: impl FnOnce(&mut Connection) -> rusqlite::Result<()> + Send + 'static,
    ) -> Result<()> {
        let sent = self.jobs.as_ref().map(|j| j.send(Box::new(job)));
        match sent {
            Some(Ok(())) => Ok(()),
            _ => Err(self.failure()),
        }
    }

    /// Runs `job` after the earlier ones and waits for its answer.
    pub fn call<R: Send + 'static>(
        &mut self,
        job: impl FnOnce(&mut Connection) -> rusqlite::Result<R> + Send + 'static,
    ) -> Result<R> {
        let answer = self.ask(job)?;
        self.answer(answer)
    }

    /// Queues `job` and returns at once; [`SqliteWriter::answer`] waits for
    /// its result, so the caller can work meanwhile.
    pub fn ask<R: Send + 'static>(
        &mut self,
        job: impl FnOnce(&mut Connection) -> rusqlite::Result<R> + Send + 'static,
    ) -> Result<Receiver<R>> {
        let (reply, answer) = sync_channel(1);
        self.send(move |c| {
            let out = job(c)?;
            // The caller waits for this; if it is gone there is no one to tell.
            let _ = reply.send(out);
            Ok(())
        })?;
        Ok(answer)
    }

    /// The result of a job queued with [`SqliteWriter::ask`], or the error
    /// the writer stopped on.
    pub fn answer<R>(&mut self, answer: Receiver<R>) -> Result<R> {
        answer.recv().map_err(|_| self.failure())
    }

    /// Waits for every job to finish; the transaction must have ended.
    pub fn close(mut self) -> Result<()> {
        self.jobs = None;
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(Err(e))) => Err(e.into()),
            Some(Err(_)) => Err(StoreError::Corrupt("the writer stopped".into())),
            _ => Ok(()),
        }
    }

    /// The error the writer stopped on.
    fn failure(&mut self) -> StoreError {
        self.jobs = None;
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(Err(e))) => e.into(),
            _ => StoreError::Corrupt("the writer stopped".into()),
        }
    }
}

impl Drop for SqliteWriter {
    /// Skips what is still queued; the connection closes without a commit,
    /// which rolls the transaction back.
    fn drop(&mut self) {
        self.abort.store(true, Ordering::Relaxed);
        self.jobs = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn run(mut conn: Connection, queue: Receiver<Job>, abort: &AtomicBool) -> rusqlite::Result<()> {
    for job in queue {
        if abort.load(Ordering::Relaxed) {
            break;
        }
        job(&mut conn)?;
    }
    Ok(())
}
