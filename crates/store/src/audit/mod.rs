//! The append-only, hash-chained audit log of every read and write of a
//! resident's personal data.
//!
//! Each entry's hash covers its own fields and the previous entry's hash, so
//! changing, removing or reordering any entry breaks the chain from that point
//! on. Once the installation has an audit key (see [`key`]), the hashes are
//! keyed (HMAC-SHA-256): the chain switches to the key with an entry that
//! carries the unkeyed chain's head, and from there on only someone with
//! the key can write entries that verify. Checkpoints of the head, kept
//! outside the database (see [`witness`]), reveal entries removed at the
//! end. Appends are serialised (SQLite's write lock, a PostgreSQL advisory
//! lock), so instances sharing a database extend one chain.

mod action;
pub mod key;
mod verify;
pub mod witness;
pub(crate) mod writer;

pub use verify::{Break, Verification};

pub use action::Action;
pub use key::AuditKey;

use crate::backend::{AUDIT_LOCK_KEY, Backend};
use crate::{Result, Store, Tx};
use sha2::{Digest, Sha256};
use sqlx::Row;
use wegwijs_domain::{Actor, Denied, Purpose, ResidentId};

pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// How entries are chained: the backend's SQL and, for a keyed chain, the
/// key.
#[derive(Clone, Debug)]
pub(crate) struct Chain {
    pub backend: Backend,
    pub key: Option<AuditKey>,
}

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

impl<'a> NewEntry<'a> {
    /// An entry about casework on one resident (their case, their
    /// dossier, the work about them).
    pub(crate) fn casework(
        actor: &'a Actor,
        resident: ResidentId,
        action: Action,
        outcome: Result<(), Denied>,
        detail: impl Into<String>,
    ) -> NewEntry<'a> {
        NewEntry {
            actor,
            resident: Some(resident),
            action,
            purpose: Purpose::Casework,
            outcome,
            detail: detail.into(),
        }
    }
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
    /// The hash this entry should have, given its fields and `prev_hash`:
    /// keyed (HMAC-SHA-256) in a keyed chain, else SHA-256. Each field is
    /// length-prefixed so that no two entries hash alike.
    pub fn expected_hash(&self, key: Option<&AuditKey>) -> String {
        let seq = self.seq.to_string();
        let at = self.at.to_string();
        let org = self.actor_org.map(|o| o.to_string()).unwrap_or_default();
        let res = self.resident_id.map(|r| r.to_string()).unwrap_or_default();
        let fields = [
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
        ];
        if let Some(key) = key {
            return key.mac(&fields);
        }
        let mut h = Sha256::new();
        for field in fields {
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
    chain: &Chain,
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
    append(tx, chain, now, &[entry]).await
}

pub(crate) async fn append(
    tx: &mut Tx,
    chain: &Chain,
    at: i64,
    entries: &[NewEntry<'_>],
) -> Result<()> {
    append_groups(
        tx,
        chain,
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
pub(crate) async fn append_groups(tx: &mut Tx, chain: &Chain, groups: &[Group<'_>]) -> Result<()> {
    let backend = chain.backend;
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
        let entries = link(seq, prev.clone(), g.at, g.entries, chain.key.as_ref());
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
pub(crate) const LIST_MARK: &str = " inwoners, lijst ";

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

pub(crate) fn digest_of(sorted_ids: &[i64]) -> String {
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
pub(crate) fn link(
    mut seq: i64,
    mut prev: String,
    at: i64,
    entries: &[NewEntry<'_>],
    key: Option<&AuditKey>,
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
        entry.hash = entry.expected_hash(key);
        prev = entry.hash.clone();
        chained.push(entry);
    }
    chained
}

/// Entries per INSERT statement (11 parameters each, within both databases'
/// parameter limits).
const INSERT_BATCH: usize = 500;

impl Store {
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

    /// The chain's last entry.
    pub(crate) async fn audit_latest_any(&self) -> Result<Option<Entry>> {
        let row = sqlx::query(
            "SELECT seq, at, actor, actor_org, resident_id, action, purpose, outcome, detail, prev_hash, hash \
             FROM audit_log ORDER BY seq DESC LIMIT 1",
        )
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(entry_from_row).transpose()
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
