//! The append-only, hash-chained audit log of every read and write of a
//! resident's personal data.
//!
//! Each entry's hash covers its own fields and the previous entry's hash, so
//! changing, removing or reordering any entry breaks the chain from that point
//! on. Appends are serialised (SQLite's write lock, a PostgreSQL advisory
//! lock), so instances sharing a database extend one chain.

mod action;
pub(crate) mod writer;

pub use action::Action;

use crate::backend::{AUDIT_LOCK_KEY, Backend};
use crate::{Result, Store, Tx};
use sha2::{Digest, Sha256};
use sqlx::Row;
use wegwijs_domain::{Actor, Denied, Purpose, ResidentId};

pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, before it is chained.
pub struct NewEntry<'a> {
    pub actor: &'a Actor,
    pub resident: Option<ResidentId>,
    /// What was done.
    pub action: Action,
    pub purpose: Purpose,
    /// `Ok` when it was allowed, the reason when it was refused.
    pub outcome: Result<(), Denied>,
    /// Which data, without the data itself (e.g. "werk 12").
    pub detail: String,
}

/// One stored entry.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub actor_org: Option<i64>,
    pub resident_id: Option<i64>,
    pub action: String,
    pub purpose: String,
    pub outcome: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

impl Entry {
    /// The hash this entry should have, given its fields and `prev_hash`.
    /// Each field is length-prefixed so that no two entries hash alike.
    pub fn expected_hash(&self) -> String {
        let mut h = Sha256::new();
        let seq = self.seq.to_string();
        let at = self.at.to_string();
        let org = self.actor_org.map(|o| o.to_string()).unwrap_or_default();
        let res = self.resident_id.map(|r| r.to_string()).unwrap_or_default();
        for field in [
            self.prev_hash.as_str(),
            &seq,
            &at,
            &self.actor,
            &org,
            &res,
            &self.action,
            &self.purpose,
            &self.outcome,
            &self.detail,
        ] {
            h.update((field.len() as u64).to_be_bytes());
            h.update(field.as_bytes());
        }
        hex::encode(h.finalize())
    }
}

/// How an actor is written in the log: an id, never a name.
pub fn actor_code(actor: &Actor) -> (String, Option<i64>) {
    match actor {
        Actor::Staff(s) => (format!("medewerker:{}", s.user_id), Some(s.org_id)),
        Actor::Resident(r) => (format!("inwoner:{}", r.0), None),
        Actor::System(name) => (format!("systeem:{name}"), None),
    }
}

/// Appends entries in order, inside the caller's transaction, so that the
/// audit entry and the read or write it records commit together.
/// A resident's attempt on someone else's item (an appointment, a letter):
/// logged under the one who tried, so the owner's log learns nothing of it.
/// The one helper for "not yours"; the decision comes from the policy.
pub(crate) async fn refuse_others_item(
    tx: &mut Tx,
    backend: Backend,
    (actor, who_tried): (&Actor, ResidentId),
    (action, detail): (Action, &str),
    denied: Denied,
    now: i64,
) -> Result<()> {
    let entry = NewEntry {
        actor,
        resident: Some(who_tried),
        action,
        purpose: Purpose::OwnChoice,
        outcome: Err(denied),
        detail: format!("{detail} van een ander"),
    };
    append(tx, backend, now, &[entry]).await
}

pub(crate) async fn append(
    tx: &mut Tx,
    backend: Backend,
    at: i64,
    entries: &[NewEntry<'_>],
) -> Result<()> {
    append_groups(
        tx,
        backend,
        &[Group {
            at,
            entries,
            list: None,
        }],
    )
    .await
}

/// Entries written at one moment, pointing to the list they showed (if
/// any: see [`ShownList`]).
pub(crate) struct Group<'a> {
    pub at: i64,
    pub entries: &'a [NewEntry<'a>],
    pub list: Option<&'a str>,
}

/// Appends groups of entries in order, chained, in as few statements as
/// their number allows: the group-committing writer hands in the entries
/// of many requests at once.
pub(crate) async fn append_groups(
    tx: &mut Tx,
    backend: Backend,
    groups: &[Group<'_>],
) -> Result<()> {
    if groups.iter().all(|g| g.entries.is_empty()) {
        return Ok(());
    }
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(AUDIT_LOCK_KEY)
            .execute(&mut **tx)
            .await?;
    }
    let last = sqlx::query(LAST_ENTRY).fetch_optional(&mut **tx).await?;
    let (mut seq, mut prev) = match last {
        Some(row) => (
            row.try_get::<i64, _>("seq")?,
            row.try_get::<String, _>("hash")?,
        ),
        None => (0, GENESIS_HASH.to_string()),
    };
    let mut chained = Vec::new();
    for g in groups {
        let entries = chain(seq, prev.clone(), g.at, g.entries);
        if let Some(last) = entries.last() {
            (seq, prev) = (last.seq, last.hash.clone());
        }
        chained.extend(entries.into_iter().map(|e| (e, g.list)));
    }
    for chunk in chained.chunks(INSERT_BATCH) {
        let sql = format!(
            "{INSERT_ENTRIES_LISTED}{}",
            backend.placeholders(chunk.len(), 12)
        );
        let mut q = sqlx::query(&sql);
        for (e, list) in chunk {
            q = q
                .bind(e.seq)
                .bind(e.at)
                .bind(e.actor.clone())
                .bind(e.actor_org)
                .bind(e.resident_id)
                .bind(e.action.clone())
                .bind(e.purpose.clone())
                .bind(e.outcome.clone())
                .bind(e.detail.clone())
                .bind(e.prev_hash.clone())
                .bind(e.hash.clone())
                .bind(list.map(str::to_string));
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// What a list view's entry says after what was shown: how many residents,
/// and the digest of their ids (sorted), which the hash chain thus covers.
const LIST_MARK: &str = " inwoners, lijst ";

/// A list view's residents and the digest that names the list.
pub(crate) struct ShownList {
    ids: Vec<i64>,
    pub digest: String,
}

impl ShownList {
    pub(crate) fn of(subjects: &[ResidentId]) -> ShownList {
        let mut ids: Vec<i64> = subjects.iter().map(|r| r.0).collect();
        ids.sort_unstable();
        ids.dedup();
        let digest = digest_of(&ids);
        ShownList { ids, digest }
    }

    /// The detail of the entry for this list showing `what`.
    pub(crate) fn detail(&self, what: &str) -> String {
        format!("{what}; {}{LIST_MARK}{}", self.ids.len(), self.digest)
    }
}

fn digest_of(sorted_ids: &[i64]) -> String {
    let joined = sorted_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    hex::encode(Sha256::digest(joined.as_bytes()))
}

/// Rows per INSERT of list members (2 parameters each).
const MEMBER_BATCH: usize = 1000;

/// Stores the lists not kept yet (a list viewed again stores nothing
/// more): one statement for the lists, and their members in batches.
pub(crate) async fn store_lists(tx: &mut Tx, backend: Backend, lists: &[&ShownList]) -> Result<()> {
    if lists.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "INSERT INTO audit_lists (digest, size) VALUES {} ON CONFLICT (digest) DO NOTHING RETURNING digest",
        backend.placeholders(lists.len(), 2)
    );
    let mut q = sqlx::query(&sql);
    for list in lists {
        q = q.bind(&list.digest).bind(list.ids.len() as i64);
    }
    let new: std::collections::HashSet<String> = q
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| r.try_get("digest"))
        .collect::<std::result::Result<_, _>>()?;
    let members: Vec<(&str, i64)> = lists
        .iter()
        .filter(|l| new.contains(&l.digest))
        .flat_map(|l| l.ids.iter().map(|id| (l.digest.as_str(), *id)))
        .collect();
    for chunk in members.chunks(MEMBER_BATCH) {
        let sql = format!(
            "INSERT INTO audit_list_members (digest, resident_id) VALUES {}",
            backend.placeholders(chunk.len(), 2)
        );
        let mut q = sqlx::query(&sql);
        for (digest, id) in chunk {
            q = q.bind(*digest).bind(*id);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// The chain's last entry: its seq and hash.
pub(crate) const LAST_ENTRY: &str = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
/// Followed by one `(…)` of 11 placeholders per entry.
pub(crate) const INSERT_ENTRIES: &str = "INSERT INTO audit_log (seq, at, actor, actor_org, resident_id, action, \
     purpose, outcome, detail, prev_hash, hash) VALUES ";
/// The same with the list an entry points to: 12 placeholders per entry.
const INSERT_ENTRIES_LISTED: &str = "INSERT INTO audit_log (seq, at, actor, actor_org, resident_id, action, \
     purpose, outcome, detail, prev_hash, hash, list_digest) VALUES ";

/// Links new entries to the chain after entry `seq` with hash `prev`.
pub(crate) fn chain(
    mut seq: i64,
    mut prev: String,
    at: i64,
    entries: &[NewEntry<'_>],
) -> Vec<Entry> {
    let mut chained = Vec::with_capacity(entries.len());
    for e in entries {
        let (actor, actor_org) = actor_code(e.actor);
        seq += 1;
        let mut entry = Entry {
            seq,
            at,
            actor,
            actor_org,
            resident_id: e.resident.map(|r| r.0),
            action: e.action.code().to_string(),
            purpose: e.purpose.code().to_string(),
            outcome: match e.outcome {
                Ok(()) => "toegestaan".to_string(),
                Err(d) => format!("geweigerd:{}", d.code()),
            },
            detail: e.detail.clone(),
            prev_hash: prev,
            hash: String::new(),
        };
        entry.hash = entry.expected_hash();
        prev = entry.hash.clone();
        chained.push(entry);
    }
    chained
}

/// Entries per INSERT statement (11 parameters each, within both databases'
/// parameter limits).
const INSERT_BATCH: usize = 500;

/// A break in the chain, found by [`Store::verify_audit`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Break {
    /// The entry's content no longer matches its hash.
    Changed { seq: i64 },
    /// The residents stored with a list entry no longer match its digest.
    Subjects { seq: i64 },
    /// Entries between `after` and `next` are gone.
    Missing { after: i64, next: i64 },
    /// The entry does not follow the one before it (moved, or the one
    /// before it was replaced).
    OutOfChain { seq: i64 },
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
        }
    }
}

/// The outcome of a verification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    pub entries: i64,
    /// The last entry's seq and hash: record them elsewhere to detect later
    /// removal of entries at the end, which no chain can reveal by itself.
    pub head: Option<(i64, String)>,
    pub breaks: Vec<Break>,
}

const VERIFY_PAGE: i64 = 5_000;

impl Store {
    /// Walks the whole chain and reports every break.
    pub async fn verify_audit(&self) -> Result<Verification> {
        let mut breaks = Vec::new();
        let mut count = 0;
        let mut prev: Option<Entry> = None;
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
                if e.expected_hash() != e.hash {
                    breaks.push(Break::Changed { seq: e.seq });
                }
                let said = e.detail.split_once(LIST_MARK).map(|(_, d)| d);
                let stored = lists.iter().find(|(seq, ..)| *seq == e.seq);
                let holds = match (said, stored) {
                    (None, None) => true,
                    (Some(d), Some((_, digest, ids))) => d == digest && digest_of(ids) == *digest,
                    _ => false,
                };
                if !holds {
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
                prev = Some(e);
            }
        }
        Ok(Verification {
            entries: count,
            head: prev.map(|p| (p.seq, p.hash)),
            breaks,
        })
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

    /// Entries after `after_seq` in chain order, optionally only those made by
    /// staff of one organisation.
    pub async fn audit_page(
        &self,
        after_seq: i64,
        limit: i64,
        org: Option<i64>,
    ) -> Result<Vec<Entry>> {
        let rows = sqlx::query(
            "SELECT seq, at, actor, actor_org, resident_id, action, purpose, outcome, detail, prev_hash, hash \
             FROM audit_log WHERE seq > $1 AND ($2 IS NULL OR actor_org = $2) ORDER BY seq LIMIT $3",
        )
        .bind(after_seq)
        .bind(org)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(entry_from_row).collect()
    }

    /// The newest entries by staff of `org`, newest first; for the privacy
    /// officer's view.
    pub async fn audit_latest(&self, org: i64, limit: i64) -> Result<Vec<Entry>> {
        let rows = sqlx::query(
            "SELECT seq, at, actor, actor_org, resident_id, action, purpose, outcome, detail, prev_hash, hash \
             FROM audit_log WHERE actor_org = $1 ORDER BY seq DESC LIMIT $2",
        )
        .bind(org)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(entry_from_row).collect()
    }
}

fn entry_from_row(r: &sqlx::any::AnyRow) -> Result<Entry> {
    Ok(Entry {
        seq: r.try_get("seq")?,
        at: r.try_get("at")?,
        actor: r.try_get("actor")?,
        actor_org: r.try_get("actor_org")?,
        resident_id: r.try_get("resident_id")?,
        action: r.try_get("action")?,
        purpose: r.try_get("purpose")?,
        outcome: r.try_get("outcome")?,
        detail: r.try_get("detail")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}
