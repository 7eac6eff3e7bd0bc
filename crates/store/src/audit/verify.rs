//! Keying the chain, checkpointing its head, and verifying it: every entry
//! against its hash (keyed from the switch entry on), the chain's links,
//! list entries against their residents, and its end against the witness.

use super::witness::{self, Checkpoint, WitnessError};
use super::{Action, Entry, GENESIS_HASH, LAST_ENTRY, LIST_MARK, NewEntry, append, digest_of};
use crate::backend::{AUDIT_LOCK_KEY, Backend};
use crate::{Result, Store, StoreError};
use sqlx::Row;
use wegwijs_domain::{Actor, Purpose};

/// The meta key that records where the keyed chain begins (the switch
/// entry's seq). Whoever deletes it cannot make the keyed entries verify
/// without the key; it only tells an installation without a key to stop.
const KEYED_SINCE: &str = "audit_keyed_since";

/// A break in the chain, found by [`Store::verify_audit`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Break {
    /// The entry's content no longer matches its hash.
    Changed {
        seq: i64,
    },
    /// The residents stored with a list entry no longer match its digest.
    Subjects {
        seq: i64,
    },
    /// Entries between `after` and `next` are gone.
    Missing {
        after: i64,
        next: i64,
    },
    /// The entry does not follow the one before it (moved, or the one
    /// before it was replaced).
    OutOfChain {
        seq: i64,
    },
    /// The chain ends before the last checkpoint's entry, or has another
    /// entry there: entries at the end were removed (or all of them).
    Shortened {
        checkpoint: i64,
        entries: i64,
    },
    /// The keyed chain's checkpoints are gone.
    WitnessMissing,
    /// A line of the witness was not written with this key.
    WitnessAltered {
        line: usize,
    },
    WitnessUnreadable(String),
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Break::Changed { seq } => write!(
                f,
                "entry {seq} was changed: its content does not match its hash"
            ),
            Break::Subjects { seq } => write!(
                f,
                "the residents listed with entry {seq} were changed: they do not match its digest"
            ),
            Break::Missing { after, next } => {
                write!(
                    f,
                    "entries {} to {} are missing: after entry {after} comes {next}",
                    after + 1,
                    next - 1
                )
            }
            Break::OutOfChain { seq } => write!(
                f,
                "entry {seq} does not follow the entry before it: entries were reordered, inserted or replaced"
            ),
            Break::Shortened {
                checkpoint,
                entries,
            } => write!(
                f,
                "entries at the end were removed: the last checkpoint recorded entry {checkpoint}, \
                 and the log holds {entries} entries that do not end with it"
            ),
            Break::WitnessMissing => write!(
                f,
                "the witness with the log's checkpoints is missing, while the log is secured with a key"
            ),
            Break::WitnessAltered { line } => write!(
                f,
                "line {line} of the witness was not written with this installation's key"
            ),
            Break::WitnessUnreadable(e) => write!(f, "the witness cannot be read: {e}"),
        }
    }
}

/// The outcome of a verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    pub entries: i64,
    /// The last entry's seq and hash.
    pub head: Option<(i64, String)>,
    /// The witness's last checkpoint, when the chain is sealed.
    pub checkpoint: Option<Checkpoint>,
    pub breaks: Vec<Break>,
}

const VERIFY_PAGE: i64 = 5_000;

impl Store {
    /// Switches the chain to the audit key when it is not keyed yet: an
    /// entry, keyed, whose previous hash is the unkeyed chain's head, so the
    /// old chain stays verifiable and is anchored in the new one. A keyed
    /// chain opened without the key is refused: entries appended unkeyed
    /// would break it.
    pub(crate) async fn seal_audit_chain(&self) -> Result<()> {
        let keyed = self.meta(KEYED_SINCE).await?.is_some();
        if self.chain().key.is_none() {
            return if keyed {
                Err(StoreError::AuditKeyNeeded)
            } else {
                Ok(())
            };
        }
        if keyed {
            return Ok(());
        }
        let mut tx = self.write_tx().await?;
        if self.backend() == Backend::Postgres {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(AUDIT_LOCK_KEY)
                .execute(&mut *tx)
                .await?;
        }
        let again = sqlx::query("SELECT value FROM meta WHERE key = $1")
            .bind(KEYED_SINCE)
            .fetch_optional(&mut *tx)
            .await?;
        if again.is_some() {
            tx.commit().await?;
            return Ok(());
        }
        let before = last_seq(&mut tx).await?;
        let actor = Actor::System("audit");
        let entry = NewEntry {
            actor: &actor,
            resident: None,
            action: Action::AuditSleutelIngesteld,
            purpose: Purpose::Administration,
            outcome: Ok(()),
            detail: format!("vanaf hier met sleutel; daarvoor {before} zonder"),
        };
        // The switch's own time is not personal data; 0 keeps it clock-free.
        append(&mut tx, self.chain(), 0, &[entry]).await?;
        sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2)")
            .bind(KEYED_SINCE)
            .bind((before + 1).to_string())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(since = before + 1, "the audit log is now keyed");
        Ok(())
    }

    /// Whether the key is the one the keyed chain was made with: its last
    /// entry's keyed hash must match. `serve` refuses to start otherwise
    /// (entries appended with another key would never verify).
    pub async fn audit_key_fits(&self) -> Result<bool> {
        let Some(key) = &self.chain().key else {
            return Ok(true);
        };
        let last = self.audit_latest_any().await?;
        Ok(last.is_none_or(|e| e.expected_hash(Some(key)) == e.hash))
    }

    /// Writes the chain's head to the witness (and the log) when it moved
    /// since the last checkpoint. Nothing for a store without a seal.
    pub async fn audit_checkpoint(&self) -> Result<Option<Checkpoint>> {
        let (Some(key), Some(path)) = (&self.chain().key, &self.witness) else {
            return Ok(None);
        };
        let Some(cp) = self.audit_head().await? else {
            return Ok(None);
        };
        let witnessed = match witness::last(path, key) {
            Ok(last) => last,
            Err(WitnessError::Missing) => None,
            Err(e) => {
                return Err(StoreError::Witness(
                    path.display().to_string(),
                    format!("{e:?}"),
                ));
            }
        };
        if witnessed.as_ref() == Some(&cp) {
            return Ok(Some(cp));
        }
        // Never move the witness back over entries removed since: the next
        // verification would take the shortened chain for the whole one.
        if let Some(last) = &witnessed
            && self.audit_hash_at(last.count).await?.as_deref() != Some(last.hash.as_str())
        {
            return Err(StoreError::Witness(
                path.display().to_string(),
                format!(
                    "the audit log no longer holds entry {} as the last checkpoint recorded it; \
                     run `wegwijs audit verify`",
                    last.count
                ),
            ));
        }
        record(path, key, &cp)?;
        tracing::info!(target: "wegwijs::audit", checkpoint = %cp.line(key), "audit checkpoint");
        Ok(Some(cp))
    }

    /// The chain's head as a checkpoint; none for an empty chain.
    async fn audit_head(&self) -> Result<Option<Checkpoint>> {
        let row = sqlx::query(LAST_ENTRY).fetch_optional(self.pool()).await?;
        row.map(|r| {
            Ok(Checkpoint {
                count: r.try_get("seq")?,
                hash: r.try_get("hash")?,
            })
        })
        .transpose()
    }

    /// After a restore from a backup, which legitimately ends the chain
    /// before the last checkpoint: records the restored head as the new
    /// checkpoint (the operator's `restore` does this, with the key).
    pub async fn audit_checkpoint_after_restore(&self) -> Result<Option<Checkpoint>> {
        let (Some(key), Some(path)) = (&self.chain().key, &self.witness) else {
            return Ok(None);
        };
        let Some(cp) = self.audit_head().await? else {
            return Ok(None);
        };
        record(path, key, &cp)?;
        tracing::warn!(target: "wegwijs::audit", checkpoint = %cp.line(key), "audit checkpoint after a restore");
        Ok(Some(cp))
    }

    /// Walks the whole chain and reports every break; a sealed store also
    /// checks the chain's end against the witness's last checkpoint.
    pub async fn verify_audit(&self) -> Result<Verification> {
        let key = self.chain().key.as_ref();
        let keyed_since = match self.meta(KEYED_SINCE).await? {
            Some(_) if key.is_none() => return Err(StoreError::AuditKeyNeeded),
            Some(v) => Some(
                v.parse::<i64>()
                    .map_err(|_| StoreError::Corrupt(KEYED_SINCE.into()))?,
            ),
            None => None,
        };
        let mut breaks = Vec::new();
        let mut count = 0;
        let mut prev: Option<Entry> = None;
        let mut keyed = false;
        let mut hashes_at_checkpoint = None;
        let checkpoint = self.witnessed(keyed_since.is_some(), &mut breaks);
        loop {
            let after = prev.as_ref().map(|p| p.seq).unwrap_or(i64::MIN);
            let page = self.audit_page(after, VERIFY_PAGE, None).await?;
            if page.is_empty() {
                break;
            }
            let lists = self
                .lists_between(after, page.last().map_or(after, |e| e.seq))
                .await?;
            for e in page {
                count += 1;
                // The keyed part begins at the switch entry (an entry that
                // merely claims to be one fails its keyed hash).
                keyed |= e.action == Action::AuditSleutelIngesteld.code()
                    || keyed_since.is_some_and(|s| e.seq >= s);
                let key = if keyed { key } else { None };
                if e.expected_hash(key) != e.hash {
                    breaks.push(Break::Changed { seq: e.seq });
                }
                if !list_holds(&e, &lists) {
                    breaks.push(Break::Subjects { seq: e.seq });
                }
                let (expected_seq, expected_prev) = match &prev {
                    Some(p) => (p.seq + 1, p.hash.as_str()),
                    None => (1, GENESIS_HASH),
                };
                if e.seq != expected_seq {
                    breaks.push(Break::Missing {
                        after: expected_seq - 1,
                        next: e.seq,
                    });
                } else if e.prev_hash != expected_prev {
                    breaks.push(Break::OutOfChain { seq: e.seq });
                }
                if checkpoint.as_ref().is_some_and(|c| c.count == e.seq) {
                    hashes_at_checkpoint = Some(e.hash.clone());
                }
                prev = Some(e);
            }
        }
        if let Some(cp) = &checkpoint
            && hashes_at_checkpoint.as_deref() != Some(cp.hash.as_str())
        {
            breaks.push(Break::Shortened {
                checkpoint: cp.count,
                entries: count,
            });
        }
        Ok(Verification {
            entries: count,
            head: prev.map(|p| (p.seq, p.hash)),
            checkpoint,
            breaks,
        })
    }

    /// The witness's last checkpoint; a missing witness is a break once
    /// the chain is keyed (a sealed chain always has checkpoints).
    fn witnessed(&self, keyed: bool, breaks: &mut Vec<Break>) -> Option<Checkpoint> {
        let (Some(key), Some(path)) = (&self.chain().key, &self.witness) else {
            return None;
        };
        match witness::last(path, key) {
            Ok(cp) => cp,
            Err(WitnessError::Missing) => {
                if keyed {
                    breaks.push(Break::WitnessMissing);
                }
                None
            }
            Err(WitnessError::Altered { line }) => {
                breaks.push(Break::WitnessAltered { line });
                None
            }
            Err(WitnessError::Unreadable(e)) => {
                breaks.push(Break::WitnessUnreadable(e));
                None
            }
        }
    }

    /// The list entries after `after` up to `last`: (seq, the list they
    /// point to, its members sorted).
    async fn lists_between(&self, after: i64, last: i64) -> Result<Vec<(i64, String, Vec<i64>)>> {
        let rows = sqlx::query(
            "SELECT a.seq, a.list_digest, m.resident_id FROM audit_log a \
             LEFT JOIN audit_list_members m ON m.digest = a.list_digest \
             WHERE a.seq > $1 AND a.seq <= $2 AND a.list_digest IS NOT NULL \
             ORDER BY a.seq, m.resident_id",
        )
        .bind(after)
        .bind(last)
        .fetch_all(self.pool())
        .await?;
        let mut out: Vec<(i64, String, Vec<i64>)> = Vec::new();
        for r in &rows {
            let seq: i64 = r.try_get("seq")?;
            let member: Option<i64> = r.try_get("resident_id")?;
            match out.last_mut() {
                Some(last) if last.0 == seq => last.2.extend(member),
                _ => out.push((seq, r.try_get("list_digest")?, member.into_iter().collect())),
            }
        }
        Ok(out)
    }
}

impl Store {
    async fn audit_hash_at(&self, seq: i64) -> Result<Option<String>> {
        let row = sqlx::query("SELECT hash FROM audit_log WHERE seq = $1")
            .bind(seq)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| r.try_get("hash").map_err(StoreError::from))
            .transpose()
    }
}

fn record(path: &std::path::Path, key: &super::AuditKey, cp: &Checkpoint) -> Result<()> {
    witness::append(path, key, cp)
        .map_err(|e| StoreError::Witness(path.display().to_string(), e.to_string()))
}

/// Whether a list entry's residents still match the digest it names.
fn list_holds(e: &Entry, lists: &[(i64, String, Vec<i64>)]) -> bool {
    let said = e.detail.split_once(LIST_MARK).map(|(_, d)| d);
    let stored = lists.iter().find(|(seq, ..)| *seq == e.seq);
    match (said, stored) {
        (None, None) => true,
        (Some(d), Some((_, digest, ids))) => d == digest && digest_of(ids) == *digest,
        _ => false,
    }
}

async fn last_seq(tx: &mut crate::Tx) -> Result<i64> {
    let row = sqlx::query(LAST_ENTRY).fetch_optional(&mut **tx).await?;
    Ok(match row {
        Some(r) => r.try_get("seq")?,
        None => 0,
    })
}
