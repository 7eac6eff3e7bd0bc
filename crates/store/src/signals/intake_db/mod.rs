//! The SQL of signal intake, for both kinds of database. PostgreSQL goes
//! through the sqlx pool like the rest of the store. SQLite uses direct
//! connections to the file: a national year of signals is over a million
//! rows, and the pool's per-row overhead (a channel message and copies per
//! value) made that import ten times slower than SQLite itself. There, one
//! connection holds the write transaction on a thread of its own
//! ([`writer`]), and a second one reads what the import needs to know
//! (register, known IDs, history): the write lock keeps everyone else from
//! committing, so both see the same database, apart from this import's
//! own rows, which the import keeps track of itself.
//! Both run in one transaction that commits only at the end.

use super::import::Objection;
use crate::audit::{self, NewEntry};
use crate::backend::Backend;
use crate::{Result, Store, StoreError, Tx};
use rusqlite::{OptionalExtension, params};
use sqlx::Row;
use std::collections::{HashMap, HashSet};
use time::Date;
use wegwijs_domain::Money;
use wegwijs_domain::person::{format_date, parse_date};
use wegwijs_domain::signal::PartnerType;
use wegwijs_domain::signal::priority::SignalFacts;

mod register;
mod writer;
mod writes;

use writer::SqliteWriter;

pub(super) enum IntakeDb {
    Pool {
        tx: Tx,
        backend: Backend,
        chain: audit::Chain,
    },
    Sqlite {
        /// How the import's audit entry is chained.
        chain: audit::Chain,
        read: rusqlite::Connection,
        writer: SqliteWriter,
        /// The index on signals.case_id is left out until the end.
        case_index_dropped: bool,
        /// For a large delivery: a hash of every signal ID held before it,
        /// so only IDs that may be known are looked up one by one.
        held_ids: Option<HashSet<u64>>,
    },
}

/// The hash of a signal ID in `held_ids`: fixed keys, so it is the same
/// for every call; a collision only costs a lookup.
fn id_hash(id: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(id)
}

/// As in the migrations; dropped during a large load and built again at
/// the end, which sorts once instead of inserting at random places.
const CASE_INDEX: &str = "CREATE INDEX signals_case ON signals(case_id)";

/// A new case's row.
pub(super) struct CaseRow {
    pub id: i64,
    pub household: i64,
    pub score: i64,
    pub level: &'static str,
    pub reasons: String,
}

/// Signals that were there before this import (ids up to $2), so the
/// scan never touches the new rows.
const HISTORY: &str = "SELECT c.household_id, s.partner_type, s.bedrag_cents, s.ontstaansdatum, s.signaaldatum, \
     s.crisis, s.warme_overdracht, c.closed_on FROM signals s JOIN signal_cases c ON c.id = s.case_id \
     WHERE c.org_id = $1 AND s.id <= $2 AND s.signaaldatum >= $3";

/// Positions in [`HISTORY`], for the SQLite intake's read of a household's
/// earlier signals (once per signal of a delivery).
mod history_at {
    pub const HOUSEHOLD: usize = 0;
    pub const PARTNER: usize = 1;
    pub const BEDRAG: usize = 2;
    pub const ONTSTAAN: usize = 3;
    pub const SIGNAAL: usize = 4;
    pub const CRISIS: usize = 5;
    pub const WARM: usize = 6;
    pub const CLOSED: usize = 7;
}

/// The next case id: above every case there is and every case retention
/// deleted. Only under the intake lock.
pub(super) const NEXT_CASE_ID: &str = "SELECT MAX(v) + 1 FROM (SELECT COALESCE(MAX(id), 0) AS v FROM signal_cases \
     UNION ALL SELECT value AS v FROM signal_counters WHERE name = 'last_case_id') t";

/// Remembers the highest case id before retention deletes cases.
pub(super) const KEEP_LAST_CASE_ID: &str = "INSERT INTO signal_counters (name, value) \
     SELECT 'last_case_id', COALESCE(MAX(id), 0) FROM signal_cases WHERE 1 = 1 \
     ON CONFLICT (name) DO UPDATE SET value = CASE WHEN excluded.value > signal_counters.value \
     THEN excluded.value ELSE signal_counters.value END";

/// From this many expected signals a delivery counts as a bulk load: the
/// whole register is read for matching, and SQLite is readied for it
/// ([`IntakeDb::prepare_bulk`]).
pub(super) const BULK_FROM: usize = 5_000;

/// Key for the PostgreSQL advisory lock that serialises signal intake:
/// the import assigns case ids itself ("SIGNALEN" in ASCII).
const SIGNAL_LOCK_KEY: i64 = 0x5349_474E_414C_454E;

/// Takes the intake lock inside a pool transaction, for work that assigns
/// case ids outside an import (linking by hand). On SQLite the write
/// transaction already holds the database's one write lock.
pub(super) async fn lock_intake(tx: &mut crate::Tx, backend: Backend) -> Result<()> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(SIGNAL_LOCK_KEY)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

impl IntakeDb {
    /// Opens the transaction and takes the intake lock: the SQLite write
    /// lock, or a PostgreSQL advisory lock.
    pub async fn begin(store: &Store) -> Result<IntakeDb> {
        if let Some(conn) = store.bulk_sqlite()? {
            conn.execute_batch("BEGIN IMMEDIATE")?;
            // Opened after the lock was taken: no commit can come between.
            let read = store
                .direct_sqlite()?
                .ok_or_else(|| StoreError::Corrupt("no SQLite file".into()))?;
            return Ok(IntakeDb::Sqlite {
                chain: store.chain().clone(),
                read,
                writer: SqliteWriter::start(conn)?,
                case_index_dropped: false,
                held_ids: None,
            });
        }
        let mut tx = store.write_tx().await?;
        lock_intake(&mut tx, store.backend()).await?;
        Ok(IntakeDb::Pool {
            tx,
            backend: store.backend(),
            chain: store.chain().clone(),
        })
    }

    pub async fn insert_import(
        &mut self,
        (org, deliverer): (i64, &str),
        source: &str,
        name: &str,
        sha256: Option<&str>,
        token: Option<i64>,
        now: i64,
    ) -> Result<i64> {
        let sql = "INSERT INTO signal_imports (org_id, source, name, sha256, received_at, rows_new, rows_known, \
                   rows_quarantined, token_id, deliverer) VALUES ($1, $2, $3, $4, $5, 0, 0, 0, $6, $7) RETURNING id";
        match self {
            IntakeDb::Sqlite { writer, .. } => {
                let (source, name) = (source.to_string(), name.to_string());
                let sha256 = sha256.map(str::to_string);
                let deliverer = deliverer.to_string();
                writer.call(move |c| {
                    let values = params![org, source, name, sha256, now, token, deliverer];
                    c.query_row(sql, values, |r| r.get(0))
                })
            }
            IntakeDb::Pool { tx, .. } => Ok(sqlx::query(sql)
                .bind(org)
                .bind(source.to_string())
                .bind(name.to_string())
                .bind(sha256.map(str::to_string))
                .bind(now)
                .bind(token)
                .bind(deliverer.to_string())
                .fetch_one(&mut **tx)
                .await?
                .try_get("id")?),
        }
    }

    pub async fn next_case_id(&mut self) -> Result<i64> {
        let sql = NEXT_CASE_ID;
        match self {
            IntakeDb::Sqlite { read, .. } => Ok(read.query_row(sql, [], |r| r.get(0))?),
            IntakeDb::Pool { tx, .. } => Ok(sqlx::query_scalar(sql).fetch_one(&mut **tx).await?),
        }
    }

    pub async fn open_cases(&mut self, org: i64) -> Result<HashMap<i64, i64>> {
        let sql =
            "SELECT household_id, id FROM signal_cases WHERE org_id = $1 AND closed_on IS NULL";
        match self {
            IntakeDb::Sqlite { read: c, .. } => {
                let mut stmt = c.prepare(sql)?;
                let rows = stmt.query_map([org], |r| Ok((r.get("household_id")?, r.get("id")?)))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            }
            IntakeDb::Pool { tx, .. } => sqlx::query(sql)
                .bind(org)
                .fetch_all(&mut **tx)
                .await?
                .iter()
                .map(|r| Ok((r.try_get("household_id")?, r.try_get("id")?)))
                .collect(),
        }
    }

    pub async fn active_objections(&mut self, org: i64, today: Date) -> Result<Vec<Objection>> {
        let sql = "SELECT id, household_id, partner_type, klantnummer FROM signal_objections \
                   WHERE org_id = $1 AND until_on >= $2";
        let today = format_date(today);
        let make = |id, household, partner, klantnummer| Objection {
            id,
            household,
            partner,
            klantnummer,
        };
        match self {
            IntakeDb::Sqlite { read: c, .. } => {
                let mut stmt = c.prepare(sql)?;
                let rows = stmt.query_map(params![org, today], |r| {
                    Ok(make(
                        r.get("id")?,
                        r.get("household_id")?,
                        r.get("partner_type")?,
                        r.get("klantnummer")?,
                    ))
                })?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            }
            IntakeDb::Pool { tx, .. } => sqlx::query(sql)
                .bind(org)
                .bind(today)
                .fetch_all(&mut **tx)
                .await?
                .iter()
                .map(|r| {
                    Ok(make(
                        r.try_get("id")?,
                        r.try_get("household_id")?,
                        r.try_get("partner_type")?,
                        r.try_get("klantnummer")?,
                    ))
                })
                .collect(),
        }
    }

    /// Which of these signal IDs this deliverer sent this municipality
    /// before (another deliverer's IDs are its own: never looked at).
    pub async fn known_ids(
        &mut self,
        (org, deliverer): (i64, &str),
        ids: &[&str],
    ) -> Result<HashSet<String>> {
        match self {
            IntakeDb::Sqlite {
                read: c, held_ids, ..
            } => {
                let mut stmt = c.prepare_cached(
                    "SELECT 1 FROM signals WHERE org_id = ?1 AND deliverer = ?2 AND signal_key = ?3",
                )?;
                let mut known = HashSet::new();
                let maybe_held =
                    |id: &&&str| held_ids.as_ref().is_none_or(|h| h.contains(&id_hash(id)));
                for id in ids.iter().filter(maybe_held) {
                    let found = stmt
                        .query_row(rusqlite::params![org, deliverer, id], |_| Ok(()))
                        .optional()?;
                    if found.is_some() {
                        known.insert(id.to_string());
                    }
                }
                Ok(known)
            }
            IntakeDb::Pool { tx, backend, .. } => {
                let sql = format!(
                    "SELECT signal_key FROM signals WHERE org_id = $1 AND deliverer = $2 AND signal_key IN {}",
                    backend.placeholders_from(3, 1, ids.len())
                );
                let mut q = sqlx::query(&sql).bind(org).bind(deliverer.to_string());
                for id in ids {
                    q = q.bind(id.to_string());
                }
                let rows = q.fetch_all(&mut **tx).await?;
                rows.iter().map(|r| Ok(r.try_get("signal_key")?)).collect()
            }
        }
    }

    /// A partner token's label: the partner an API delivery comes from.
    pub async fn token_label(&mut self, token: i64) -> Result<String> {
        let sql = "SELECT label FROM partner_tokens WHERE id = $1";
        match self {
            IntakeDb::Sqlite { read, .. } => Ok(read.query_row(sql, [token], |r| r.get(0))?),
            IntakeDb::Pool { tx, .. } => Ok(sqlx::query_scalar(sql)
                .bind(token)
                .fetch_one(&mut **tx)
                .await?),
        }
    }

    /// The highest signal id so far: later ones are this import's.
    pub async fn last_signal_id(&mut self) -> Result<i64> {
        let sql = "SELECT COALESCE(MAX(id), 0) FROM signals";
        match self {
            IntakeDb::Sqlite { read, .. } => Ok(read.query_row(sql, [], |r| r.get(0))?),
            IntakeDb::Pool { tx, .. } => Ok(sqlx::query_scalar(sql).fetch_one(&mut **tx).await?),
        }
    }

    /// Signals of the organisation's cases since `since`, up to signal id
    /// `up_to` (those before this import), as (household, facts).
    pub async fn history(
        &mut self,
        org: i64,
        up_to: i64,
        since: Date,
    ) -> Result<Vec<(i64, SignalFacts)>> {
        let since = format_date(since);
        match self {
            IntakeDb::Sqlite { read: c, .. } => {
                let mut stmt = c.prepare(HISTORY)?;
                let mut rows = stmt.query(params![org, up_to, since])?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    let text = |i| r.get_ref(i).and_then(|v| Ok(v.as_str()?.to_string()));
                    use history_at::*;
                    out.push((
                        r.get(HOUSEHOLD)?,
                        signal_facts(
                            &text(PARTNER)?,
                            r.get(BEDRAG)?,
                            &text(ONTSTAAN)?,
                            &text(SIGNAAL)?,
                            r.get(CRISIS)?,
                            r.get(WARM)?,
                            r.get::<_, Option<String>>(CLOSED)?.is_none(),
                        )?,
                    ));
                }
                Ok(out)
            }
            IntakeDb::Pool { tx, .. } => {
                let rows = sqlx::query(HISTORY)
                    .bind(org)
                    .bind(up_to)
                    .bind(since)
                    .fetch_all(&mut **tx)
                    .await?;
                rows.iter()
                    .map(|r| {
                        let open = r.try_get::<Option<String>, _>("closed_on")?.is_none();
                        Ok((r.try_get("household_id")?, signal_facts_row(r, open)?))
                    })
                    .collect()
            }
        }
    }

    /// Records the delivery's counts and its audit entry, and commits.
    pub async fn finish(
        self,
        (import, org, today): (i64, i64, Date),
        counts: [u64; 3],
        now: i64,
        entry: NewEntry<'_>,
    ) -> Result<()> {
        let update = "UPDATE signal_imports SET rows_new = $1, rows_known = $2, rows_quarantined = $3 WHERE id = $4";
        let [new, known, quarantined] = counts.map(|c| c as i64);
        match self {
            IntakeDb::Sqlite {
                read,
                mut writer,
                case_index_dropped,
                chain,
                ..
            } => {
                // An open reader would keep the checkpoint after the commit
                // from copying this import into the database file.
                drop(read);
                if case_index_dropped {
                    return Err(StoreError::Corrupt("the case index was not rebuilt".into()));
                }
                let last: Option<(i64, String)> = writer.call(|c| {
                    c.query_row(audit::LAST_ENTRY, [], |r| {
                        Ok((r.get("seq")?, r.get("hash")?))
                    })
                    .optional()
                })?;
                let (seq, prev) = last.unwrap_or((0, audit::GENESIS_HASH.to_string()));
                let entries = audit::link(seq, prev, now, &[entry], chain.key.as_ref());
                let due = crate::work::cases::first_due(today);
                writer.call(move |c| {
                    c.execute(update, params![new, known, quarantined, import])?;
                    // The new cases become work; the others' priority follows.
                    let cases = [
                        (crate::work::cases::OPEN_CASE_WORK, true),
                        (crate::work::cases::FOLLOW_CASES, false),
                    ];
                    for (sql, with_due) in cases {
                        let mut stmt = c.prepare(sql)?;
                        let mut bind = |name: &str, v: &dyn rusqlite::ToSql| match stmt
                            .parameter_index(name)?
                        {
                            Some(i) => stmt.raw_bind_parameter(i, v),
                            None => Ok(()),
                        };
                        bind("$1", &org)?;
                        bind("$2", &now)?;
                        if with_due {
                            bind("$3", &due)?;
                        }
                        stmt.raw_execute()?;
                    }
                    let sql = format!("{}({})", audit::INSERT_ENTRIES, placeholders_sqlite(11));
                    for e in entries {
                        c.execute(
                            &sql,
                            params![
                                e.seq,
                                e.at,
                                e.actor,
                                e.actor_org,
                                e.resident_id,
                                e.action,
                                e.purpose,
                                e.outcome,
                                e.detail,
                                e.prev_hash,
                                e.hash
                            ],
                        )?;
                    }
                    c.execute_batch("COMMIT")
                })?;
                writer.close()
            }
            IntakeDb::Pool { mut tx, chain, .. } => {
                sqlx::query(update)
                    .bind(new)
                    .bind(known)
                    .bind(quarantined)
                    .bind(import)
                    .execute(&mut *tx)
                    .await?;
                crate::work::cases::follow_cases(&mut tx, org, today, now).await?;
                audit::append(&mut tx, &chain, now, &[entry]).await?;
                tx.commit().await?;
                Ok(())
            }
        }
    }

    /// Readies SQLite for a delivery of about `expected` signals. Into a
    /// table that holds fewer, the index on case_id is left out until the
    /// end: building it then sorts once, where inserting puts each entry
    /// at a random place. Unless the table holds far more (where single
    /// lookups are cheaper), the IDs it holds are read at once for the
    /// known-ID check. PostgreSQL has neither need.
    pub async fn prepare_bulk(
        &mut self,
        expected: usize,
        (org, deliverer): (i64, &str),
    ) -> Result<()> {
        let IntakeDb::Sqlite {
            read,
            writer,
            case_index_dropped,
            held_ids,
            ..
        } = self
        else {
            return Ok(());
        };
        let held: i64 =
            read.query_row("SELECT COALESCE(MAX(id), 0) FROM signals", [], |r| r.get(0))?;
        let expected = expected as i64;
        if expected >= held && !*case_index_dropped {
            writer.send(|c| c.execute_batch("DROP INDEX signals_case"))?;
            *case_index_dropped = true;
        }
        if held <= 8 * expected {
            let mut stmt = read
                .prepare("SELECT signal_key FROM signals WHERE org_id = ?1 AND deliverer = ?2")?;
            let mut rows = stmt.query(rusqlite::params![org, deliverer])?;
            let mut ids = HashSet::with_capacity(held as usize);
            while let Some(r) = rows.next()? {
                ids.insert(id_hash(
                    r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?,
                ));
            }
            *held_ids = Some(ids);
        }
        Ok(())
    }

    /// Builds what [`IntakeDb::prepare_bulk`] left out; queued behind the
    /// inserts, so it runs while the caller works out the cases.
    pub fn end_bulk(&mut self) -> Result<()> {
        if let IntakeDb::Sqlite {
            writer,
            case_index_dropped,
            ..
        } = self
            && *case_index_dropped
        {
            writer.send(|c| c.execute_batch(CASE_INDEX))?;
            *case_index_dropped = false;
        }
        Ok(())
    }

    pub(super) fn placeholders(&self, rows: usize, cols: usize) -> String {
        match self {
            IntakeDb::Sqlite { .. } => Backend::Sqlite.placeholders(rows, cols),
            IntakeDb::Pool { backend, .. } => backend.placeholders(rows, cols),
        }
    }
}

/// [`signal_facts`] of a pool row with the signal's columns by name;
/// `open` as the caller decides it.
pub(super) fn signal_facts_row(r: &sqlx::any::AnyRow, open: bool) -> Result<SignalFacts> {
    signal_facts(
        &r.try_get::<String, _>("partner_type")?,
        r.try_get("bedrag_cents")?,
        &r.try_get::<String, _>("ontstaansdatum")?,
        &r.try_get::<String, _>("signaaldatum")?,
        crate::flag(r.try_get("crisis")?),
        crate::flag(r.try_get("warme_overdracht")?),
        open,
    )
}

pub(super) fn placeholders_sqlite(n: usize) -> String {
    vec!["?"; n].join(", ")
}

pub(super) fn signal_facts(
    partner: &str,
    cents: i64,
    ontstaansdatum: &str,
    signaaldatum: &str,
    crisis: bool,
    warme_overdracht: bool,
    open: bool,
) -> Result<SignalFacts> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("signal {what}"));
    Ok(SignalFacts {
        partner: PartnerType::from_code(partner).ok_or_else(|| corrupt("partner"))?,
        bedrag: Money::from_cents(cents),
        ontstaansdatum: parse_date("ontstaansdatum", ontstaansdatum)
            .map_err(|_| corrupt("date"))?,
        signaaldatum: parse_date("signaaldatum", signaaldatum).map_err(|_| corrupt("date"))?,
        crisis,
        warme_overdracht,
        open,
    })
}

#[cfg(test)]
mod tests {
    use super::CASE_INDEX;

    /// The index rebuilt after a bulk load is the one the migrations made.
    #[test]
    fn the_rebuilt_case_index_is_the_migrated_one() {
        let migration = include_str!("../../../migrations/sqlite/0002_signals.sql");
        assert!(migration.contains(&format!("{CASE_INDEX};")));
    }

    #[test]
    fn the_history_positions_name_its_columns() {
        use super::history_at::*;
        let select = super::HISTORY.split(" FROM ").next().unwrap();
        let names: Vec<&str> = select
            .trim_start_matches("SELECT ")
            .split(", ")
            .map(|c| c.trim().rsplit('.').next().unwrap())
            .collect();
        for (i, name) in [
            (HOUSEHOLD, "household_id"),
            (PARTNER, "partner_type"),
            (BEDRAG, "bedrag_cents"),
            (ONTSTAAN, "ontstaansdatum"),
            (SIGNAAL, "signaaldatum"),
            (CRISIS, "crisis"),
            (WARM, "warme_overdracht"),
            (CLOSED, "closed_on"),
        ] {
            assert_eq!(names[i], name);
        }
    }
}
