//! The SQL of signal intake, for both kinds of database. PostgreSQL goes
//! through the sqlx pool like the rest of the store. SQLite uses a direct
//! connection to the file: a national year of signals is over a million
//! rows, and the pool's per-row overhead (a channel message and copies per
//! value) made that import ten times slower than SQLite itself.
//! Both run in one transaction that commits only at the end.

use super::import::{Objection, Placed, Quarantined};
use crate::audit::{self, NewEntry};
use crate::backend::Backend;
use crate::{Result, Store, StoreError, Tx};
use rusqlite::{OptionalExtension, params};
use sqlx::Row;
use std::collections::{HashMap, HashSet};
use time::Date;
use wegwijs_domain::person::{format_date, parse_date};
use wegwijs_domain::signal::matching::{RegisterEntry, initials, surname_key};
use wegwijs_domain::signal::priority::SignalFacts;
use wegwijs_domain::signal::{COLUMNS, PartnerType, Signal, SignalStatus};
use wegwijs_domain::{Bsn, Money, Postcode, ResidentId, ValidationError};

pub(super) enum IntakeDb {
    Pool { tx: Tx, backend: Backend },
    Sqlite(rusqlite::Connection),
}

/// A new case's row.
pub(super) struct CaseRow {
    pub id: i64,
    pub household: i64,
    pub score: i64,
    pub level: &'static str,
    pub reasons: String,
}

const REGISTER_COLUMNS: &str = "id, household_id, bsn, voorvoegsel, achternaam, voornamen, geboortedatum, postcode, huisnummer";
const INSERT_SIGNAL: &str = "INSERT INTO signals (org_id, signal_key, import_id, partner_type, klantnummer, bsn, \
     voorletters, voorvoegsel, achternaam, geboortedatum, straat, huisnummer, toevoeging, postcode, plaats, telefoon, \
     email, bedrag_cents, ontstaansdatum, signaaldatum, crisis, warme_overdracht, received_on, match, resident_id, \
     case_id, status, objection_id) VALUES ";
const INSERT_QUARANTINE: &str = "INSERT INTO signal_quarantine (org_id, import_id, line, fields, problems, status, created_at) VALUES ";
const INSERT_CASE: &str = "INSERT INTO signal_cases (id, org_id, household_id, opened_on, priority, level, reasons, updated_at) VALUES ";
const UPDATE_CASE: &str = "UPDATE signal_cases SET priority = $1, level = $2, reasons = $3, updated_at = $4 WHERE id = $5";
/// Signals that were there before this import (ids up to $2), so the
/// scan never touches the new rows.
const HISTORY: &str = "SELECT c.household_id, s.partner_type, s.bedrag_cents, s.ontstaansdatum, s.signaaldatum, \
     s.crisis, s.warme_overdracht, c.closed_on FROM signals s JOIN signal_cases c ON c.id = s.case_id \
     WHERE c.org_id = $1 AND s.id <= $2 AND s.signaaldatum >= $3";
/// Rows per multi-row INSERT through the pool (28 parameters each stays
/// under PostgreSQL's limit).
const POOL_BATCH: usize = 1_000;

/// Key for the PostgreSQL advisory lock that serialises signal intake:
/// the import assigns case ids itself ("SIGNALEN" in ASCII).
const SIGNAL_LOCK_KEY: i64 = 0x5349_474E_414C_454E;

impl IntakeDb {
    /// Opens the transaction and takes the intake lock: the SQLite write
    /// lock, or a PostgreSQL advisory lock.
    pub async fn begin(store: &Store) -> Result<IntakeDb> {
        if let Some(conn) = store.bulk_sqlite()? {
            conn.execute_batch("BEGIN IMMEDIATE")?;
            return Ok(IntakeDb::Sqlite(conn));
        }
        let mut tx = store.write_tx().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(SIGNAL_LOCK_KEY)
            .execute(&mut *tx)
            .await?;
        Ok(IntakeDb::Pool {
            tx,
            backend: store.backend(),
        })
    }

    pub async fn insert_import(
        &mut self,
        org: i64,
        source: &str,
        name: &str,
        sha256: Option<&str>,
        now: i64,
    ) -> Result<i64> {
        let sql = "INSERT INTO signal_imports (org_id, source, name, sha256, received_at, rows_new, rows_known, \
                   rows_quarantined) VALUES ($1, $2, $3, $4, $5, 0, 0, 0) RETURNING id";
        match self {
            IntakeDb::Sqlite(c) => {
                Ok(c.query_row(sql, params![org, source, name, sha256, now], |r| r.get(0))?)
            }
            IntakeDb::Pool { tx, .. } => Ok(sqlx::query(sql)
                .bind(org)
                .bind(source.to_string())
                .bind(name.to_string())
                .bind(sha256.map(str::to_string))
                .bind(now)
                .fetch_one(&mut **tx)
                .await?
                .try_get(0)?),
        }
    }

    pub async fn next_case_id(&mut self) -> Result<i64> {
        let sql = "SELECT COALESCE(MAX(id), 0) + 1 FROM signal_cases";
        match self {
            IntakeDb::Sqlite(c) => Ok(c.query_row(sql, [], |r| r.get(0))?),
            IntakeDb::Pool { tx, .. } => {
                Ok(sqlx::query(sql).fetch_one(&mut **tx).await?.try_get(0)?)
            }
        }
    }

    pub async fn open_cases(&mut self, org: i64) -> Result<HashMap<i64, i64>> {
        let sql =
            "SELECT household_id, id FROM signal_cases WHERE org_id = $1 AND closed_on IS NULL";
        match self {
            IntakeDb::Sqlite(c) => {
                let mut stmt = c.prepare(sql)?;
                let rows = stmt.query_map([org], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            }
            IntakeDb::Pool { tx, .. } => sqlx::query(sql)
                .bind(org)
                .fetch_all(&mut **tx)
                .await?
                .iter()
                .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
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
            IntakeDb::Sqlite(c) => {
                let mut stmt = c.prepare(sql)?;
                let rows = stmt.query_map(params![org, today], |r| {
                    Ok(make(r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
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
                        r.try_get(0)?,
                        r.try_get(1)?,
                        r.try_get(2)?,
                        r.try_get(3)?,
                    ))
                })
                .collect(),
        }
    }

    pub async fn whole_register(&mut self) -> Result<Vec<RegisterEntry>> {
        self.register_where("1 = 1", Vec::new()).await
    }

    /// Everyone who could match one of `signals`: the same BSN, or (for
    /// signals without one) the same postcode.
    pub async fn candidates(&mut self, signals: &[&Signal]) -> Result<Vec<RegisterEntry>> {
        let bsns: Vec<String> = signals
            .iter()
            .filter_map(|s| s.bsn.map(|b| b.expose()))
            .collect();
        let postcodes: HashSet<String> = signals
            .iter()
            .filter(|s| s.bsn.is_none())
            .filter_map(|s| s.postcode.map(|p| p.compact()))
            .collect();
        let mut found = Vec::new();
        for (column, keys) in [("bsn", bsns), ("postcode", postcodes.into_iter().collect())] {
            if !keys.is_empty() {
                let filter = format!("{column} IN {}", self.placeholders(1, keys.len()));
                found.extend(self.register_where(&filter, keys).await?);
            }
        }
        found.sort_by_key(|e| e.resident);
        found.dedup_by_key(|e| e.resident);
        Ok(found)
    }

    async fn register_where(
        &mut self,
        filter: &str,
        keys: Vec<String>,
    ) -> Result<Vec<RegisterEntry>> {
        let sql = format!("SELECT {REGISTER_COLUMNS} FROM residents WHERE {filter}");
        match self {
            IntakeDb::Sqlite(c) => {
                let mut stmt = c.prepare(&sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(keys))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    out.push(register_entry(
                        r.get(0)?,
                        r.get(1)?,
                        r.get_ref(2)?.as_str().map_err(rusqlite::Error::from)?,
                        r.get_ref(3)?
                            .as_str_or_null()
                            .map_err(rusqlite::Error::from)?,
                        r.get_ref(4)?.as_str().map_err(rusqlite::Error::from)?,
                        r.get_ref(5)?.as_str().map_err(rusqlite::Error::from)?,
                        r.get_ref(6)?.as_str().map_err(rusqlite::Error::from)?,
                        r.get_ref(7)?.as_str().map_err(rusqlite::Error::from)?,
                        r.get(8)?,
                    )?);
                }
                Ok(out)
            }
            IntakeDb::Pool { tx, .. } => {
                let mut q = sqlx::query(&sql);
                for k in keys {
                    q = q.bind(k);
                }
                let rows = q.fetch_all(&mut **tx).await?;
                rows.iter()
                    .map(|r| {
                        register_entry(
                            r.try_get(0)?,
                            r.try_get(1)?,
                            &r.try_get::<String, _>(2)?,
                            r.try_get::<Option<String>, _>(3)?.as_deref(),
                            &r.try_get::<String, _>(4)?,
                            &r.try_get::<String, _>(5)?,
                            &r.try_get::<String, _>(6)?,
                            &r.try_get::<String, _>(7)?,
                            r.try_get(8)?,
                        )
                    })
                    .collect()
            }
        }
    }

    /// Which of these signal IDs were received before.
    pub async fn known_ids(&mut self, ids: &[&str]) -> Result<HashSet<String>> {
        match self {
            IntakeDb::Sqlite(c) => {
                let mut stmt = c.prepare_cached("SELECT 1 FROM signals WHERE signal_key = ?1")?;
                let mut known = HashSet::new();
                for id in ids {
                    if stmt.query_row([id], |_| Ok(())).optional()?.is_some() {
                        known.insert(id.to_string());
                    }
                }
                Ok(known)
            }
            IntakeDb::Pool { tx, backend } => {
                let sql = format!(
                    "SELECT signal_key FROM signals WHERE signal_key IN {}",
                    backend.placeholders(1, ids.len())
                );
                let mut q = sqlx::query(&sql);
                for id in ids {
                    q = q.bind(id.to_string());
                }
                let rows = q.fetch_all(&mut **tx).await?;
                rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
            }
        }
    }

    pub async fn insert_signals(
        &mut self,
        org: i64,
        import: i64,
        today: Date,
        rows: &[(&Signal, Placed)],
    ) -> Result<()> {
        let today = format_date(today);
        let status = |p: &Placed| match p.objection {
            Some(_) => SignalStatus::AndereReden.code(),
            None => SignalStatus::NogNietOpgepakt.code(),
        };
        match self {
            IntakeDb::Sqlite(c) => {
                let sql = format!("{INSERT_SIGNAL}({})", placeholders_sqlite(28));
                let mut stmt = c.prepare_cached(&sql)?;
                for (s, p) in rows {
                    stmt.execute(params![
                        org,
                        s.id,
                        import,
                        s.partner.code(),
                        s.klantnummer,
                        s.bsn.map(|b| b.expose()),
                        s.voorletters,
                        s.voorvoegsel,
                        s.achternaam,
                        s.geboortedatum.map(format_date),
                        s.straat,
                        s.huisnummer,
                        s.toevoeging,
                        s.postcode.map(|p| p.compact()),
                        s.plaats,
                        s.telefoon,
                        s.email,
                        s.bedrag.cents(),
                        format_date(s.ontstaansdatum),
                        format_date(s.signaaldatum),
                        s.crisis,
                        s.warme_overdracht,
                        today,
                        p.match_code,
                        p.resident,
                        p.case,
                        status(p),
                        p.objection,
                    ])?;
                }
                Ok(())
            }
            IntakeDb::Pool { tx, backend } => {
                for chunk in rows.chunks(POOL_BATCH) {
                    let sql = format!("{INSERT_SIGNAL}{}", backend.placeholders(chunk.len(), 28));
                    let mut q = sqlx::query(&sql);
                    for (s, p) in chunk {
                        q = q
                            .bind(org)
                            .bind(s.id.clone())
                            .bind(import)
                            .bind(s.partner.code())
                            .bind(s.klantnummer.clone())
                            .bind(s.bsn.map(|b| b.expose()))
                            .bind(s.voorletters.clone())
                            .bind(s.voorvoegsel.clone())
                            .bind(s.achternaam.clone())
                            .bind(s.geboortedatum.map(format_date))
                            .bind(s.straat.clone())
                            .bind(s.huisnummer.map(i64::from))
                            .bind(s.toevoeging.clone())
                            .bind(s.postcode.map(|p| p.compact()))
                            .bind(s.plaats.clone())
                            .bind(s.telefoon.clone())
                            .bind(s.email.clone())
                            .bind(s.bedrag.cents())
                            .bind(format_date(s.ontstaansdatum))
                            .bind(format_date(s.signaaldatum))
                            .bind(i64::from(s.crisis))
                            .bind(i64::from(s.warme_overdracht))
                            .bind(today.clone())
                            .bind(p.match_code)
                            .bind(p.resident)
                            .bind(p.case)
                            .bind(status(p))
                            .bind(p.objection);
                    }
                    q.execute(&mut **tx).await?;
                }
                Ok(())
            }
        }
    }

    pub async fn insert_quarantine(
        &mut self,
        org: i64,
        import: i64,
        now: i64,
        rows: &[Quarantined],
    ) -> Result<()> {
        let values = |row: &Quarantined| {
            (
                row.line as i64,
                fields_json(&row.fields),
                problems_json(&row.problems),
            )
        };
        match self {
            IntakeDb::Sqlite(c) => {
                let mut stmt =
                    c.prepare_cached(&format!("{INSERT_QUARANTINE}({})", placeholders_sqlite(7)))?;
                for row in rows {
                    let (line, fields, problems) = values(row);
                    stmt.execute(params![org, import, line, fields, problems, "open", now])?;
                }
                Ok(())
            }
            IntakeDb::Pool { tx, backend } => {
                for chunk in rows.chunks(POOL_BATCH) {
                    let sql = format!(
                        "{INSERT_QUARANTINE}{}",
                        backend.placeholders(chunk.len(), 7)
                    );
                    let mut q = sqlx::query(&sql);
                    for row in chunk {
                        let (line, fields, problems) = values(row);
                        q = q
                            .bind(org)
                            .bind(import)
                            .bind(line)
                            .bind(fields)
                            .bind(problems)
                            .bind("open")
                            .bind(now);
                    }
                    q.execute(&mut **tx).await?;
                }
                Ok(())
            }
        }
    }

    /// The highest signal id so far: later ones are this import's.
    pub async fn last_signal_id(&mut self) -> Result<i64> {
        let sql = "SELECT COALESCE(MAX(id), 0) FROM signals";
        match self {
            IntakeDb::Sqlite(c) => Ok(c.query_row(sql, [], |r| r.get(0))?),
            IntakeDb::Pool { tx, .. } => {
                Ok(sqlx::query(sql).fetch_one(&mut **tx).await?.try_get(0)?)
            }
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
            IntakeDb::Sqlite(c) => {
                let mut stmt = c.prepare(HISTORY)?;
                let mut rows = stmt.query(params![org, up_to, since])?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    let text = |i| r.get_ref(i).and_then(|v| Ok(v.as_str()?.to_string()));
                    out.push((
                        r.get(0)?,
                        signal_facts(
                            &text(1)?,
                            r.get(2)?,
                            &text(3)?,
                            &text(4)?,
                            r.get(5)?,
                            r.get(6)?,
                            r.get::<_, Option<String>>(7)?.is_none(),
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
                        Ok((
                            r.try_get(0)?,
                            signal_facts(
                                &r.try_get::<String, _>(1)?,
                                r.try_get(2)?,
                                &r.try_get::<String, _>(3)?,
                                &r.try_get::<String, _>(4)?,
                                r.try_get::<i64, _>(5)? != 0,
                                r.try_get::<i64, _>(6)? != 0,
                                r.try_get::<Option<String>, _>(7)?.is_none(),
                            )?,
                        ))
                    })
                    .collect()
            }
        }
    }

    pub async fn insert_cases(
        &mut self,
        org: i64,
        opened: Date,
        now: i64,
        rows: &[CaseRow],
    ) -> Result<()> {
        let opened = format_date(opened);
        match self {
            IntakeDb::Sqlite(c) => {
                let mut stmt =
                    c.prepare_cached(&format!("{INSERT_CASE}({})", placeholders_sqlite(8)))?;
                for r in rows {
                    stmt.execute(params![
                        r.id,
                        org,
                        r.household,
                        opened,
                        r.score,
                        r.level,
                        r.reasons,
                        now
                    ])?;
                }
                Ok(())
            }
            IntakeDb::Pool { tx, backend } => {
                for chunk in rows.chunks(POOL_BATCH) {
                    let sql = format!("{INSERT_CASE}{}", backend.placeholders(chunk.len(), 8));
                    let mut q = sqlx::query(&sql);
                    for r in chunk {
                        q = q
                            .bind(r.id)
                            .bind(org)
                            .bind(r.household)
                            .bind(opened.clone())
                            .bind(r.score)
                            .bind(r.level)
                            .bind(r.reasons.clone())
                            .bind(now);
                    }
                    q.execute(&mut **tx).await?;
                }
                Ok(())
            }
        }
    }

    pub async fn update_cases(&mut self, now: i64, rows: &[CaseRow]) -> Result<()> {
        for r in rows {
            match self {
                IntakeDb::Sqlite(c) => {
                    c.prepare_cached(UPDATE_CASE)?
                        .execute(params![r.score, r.level, r.reasons, now, r.id])?;
                }
                IntakeDb::Pool { tx, .. } => {
                    sqlx::query(UPDATE_CASE)
                        .bind(r.score)
                        .bind(r.level)
                        .bind(r.reasons.clone())
                        .bind(now)
                        .bind(r.id)
                        .execute(&mut **tx)
                        .await?;
                }
            }
        }
        Ok(())
    }

    /// Records the delivery's counts and its audit entry, and commits.
    pub async fn finish(
        self,
        import: i64,
        counts: [u64; 3],
        now: i64,
        entry: NewEntry<'_>,
    ) -> Result<()> {
        let update = "UPDATE signal_imports SET rows_new = $1, rows_known = $2, rows_quarantined = $3 WHERE id = $4";
        let [new, known, quarantined] = counts.map(|c| c as i64);
        match self {
            IntakeDb::Sqlite(c) => {
                c.execute(update, params![new, known, quarantined, import])?;
                let last: Option<(i64, String)> = c
                    .query_row(
                        "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                        [],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                let (seq, prev) = last.unwrap_or((0, audit::GENESIS_HASH.to_string()));
                for e in audit::chain(seq, prev, now, &[entry]) {
                    c.execute(
                        "INSERT INTO audit_log (seq, at, actor, actor_org, resident_id, action, purpose, outcome, \
                         detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        params![
                            e.seq, e.at, e.actor, e.actor_org, e.resident_id, e.action, e.purpose, e.outcome,
                            e.detail, e.prev_hash, e.hash
                        ],
                    )?;
                }
                c.execute_batch("COMMIT")?;
                Ok(())
            }
            IntakeDb::Pool { mut tx, backend } => {
                sqlx::query(update)
                    .bind(new)
                    .bind(known)
                    .bind(quarantined)
                    .bind(import)
                    .execute(&mut *tx)
                    .await?;
                audit::append(&mut tx, backend, now, &[entry]).await?;
                tx.commit().await?;
                Ok(())
            }
        }
    }

    fn placeholders(&self, rows: usize, cols: usize) -> String {
        match self {
            IntakeDb::Sqlite(_) => Backend::Sqlite.placeholders(rows, cols),
            IntakeDb::Pool { backend, .. } => backend.placeholders(rows, cols),
        }
    }
}

fn placeholders_sqlite(n: usize) -> String {
    vec!["?"; n].join(", ")
}

#[allow(clippy::too_many_arguments)]
fn register_entry(
    id: i64,
    household: i64,
    bsn: &str,
    voorvoegsel: Option<&str>,
    achternaam: &str,
    voornamen: &str,
    geboortedatum: &str,
    postcode: &str,
    huisnummer: i64,
) -> Result<RegisterEntry> {
    let corrupt = |_| StoreError::Corrupt("resident".into());
    Ok(RegisterEntry {
        resident: ResidentId(id),
        household,
        bsn: Bsn::parse(bsn).map_err(corrupt)?,
        surname: surname_key(voorvoegsel.unwrap_or(""), achternaam),
        initials: initials(voornamen),
        geboortedatum: parse_date("geboortedatum", geboortedatum).map_err(corrupt)?,
        postcode: Postcode::parse(postcode).map_err(corrupt)?,
        huisnummer: u32::try_from(huisnummer)
            .map_err(|_| StoreError::Corrupt("huisnummer".into()))?,
    })
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

fn fields_json(fields: &[String]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = COLUMNS
        .iter()
        .zip(fields)
        .map(|(c, v)| (c.to_string(), serde_json::Value::String(v.clone())))
        .collect();
    serde_json::Value::Object(map).to_string()
}

fn problems_json(problems: &[ValidationError]) -> String {
    let list: Vec<serde_json::Value> = problems
        .iter()
        .map(|p| serde_json::json!({ "veld": p.field, "probleem": p.problem.code(), "n": p.problem.arg() }))
        .collect();
    serde_json::Value::Array(list).to_string()
}
