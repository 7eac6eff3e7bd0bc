//! Writing a delivery: signals, quarantined rows and cases; row by row
//! through a prepared statement on SQLite (queued to the writer thread),
//! in multi-row statements on PostgreSQL.

use super::{CaseRow, IntakeDb, placeholders_sqlite};
use crate::Result;
use crate::signals::import::{Placed, Quarantined};
use rusqlite::params;
use time::Date;
use wegwijs_domain::ValidationError;
use wegwijs_domain::person::format_date;
use wegwijs_domain::signal::{COLUMNS, Signal};

const INSERT_SIGNAL: &str = "INSERT INTO signals (org_id, signal_key, import_id, partner_type, klantnummer, bsn, \
     voorletters, voorvoegsel, achternaam, geboortedatum, straat, huisnummer, toevoeging, postcode, plaats, telefoon, \
     email, bedrag_cents, ontstaansdatum, signaaldatum, crisis, warme_overdracht, received_on, match, resident_id, \
     case_id, status, objection_id) VALUES ";
const INSERT_QUARANTINE: &str = "INSERT INTO signal_quarantine (org_id, import_id, line, fields, problems, status, created_at) VALUES ";
const INSERT_CASE: &str = "INSERT INTO signal_cases (id, org_id, household_id, opened_on, priority, level, reasons, updated_at) VALUES ";
const UPDATE_CASE: &str = "UPDATE signal_cases SET priority = $1, level = $2, reasons = $3, updated_at = $4 WHERE id = $5";
/// Rows per multi-row INSERT through the pool (28 parameters each stays
/// under PostgreSQL's limit).
const POOL_BATCH: usize = 1_000;

/// Binds one row's values in order.
struct Binder<'s, 'c> {
    stmt: &'s mut rusqlite::Statement<'c>,
    at: usize,
}

impl Binder<'_, '_> {
    fn value(&mut self, value: &dyn rusqlite::ToSql) -> rusqlite::Result<&mut Self> {
        self.at += 1;
        self.stmt.raw_bind_parameter(self.at, value)?;
        Ok(self)
    }
}

/// `{head}{row}` once per item, through one prepared statement; `bind`
/// binds the `?`s of an item's row. One row a statement: measured, SQLite
/// took a third longer for multi-row VALUES here, and wrote fuller pages
/// one row at a time.
fn insert_each<T>(
    c: &rusqlite::Connection,
    head: &str,
    row: &str,
    items: &[T],
    bind: impl Fn(&mut Binder, &T) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    let mut stmt = c.prepare_cached(&format!("{head}{row}"))?;
    for item in items {
        bind(
            &mut Binder {
                stmt: &mut stmt,
                at: 0,
            },
            item,
        )?;
        stmt.raw_execute()?;
    }
    Ok(())
}

/// The delivery's constants (numbers, and a date formatted here) are
/// written into the statement; the rest is bound, 25 values a row.
fn sqlite_insert_signals(
    c: &rusqlite::Connection,
    org: i64,
    import: i64,
    today: &str,
    signals: &[Signal],
    placed: &[Placed],
) -> rusqlite::Result<()> {
    let row = format!(
        "({org}, ?, {import}, {}, '{today}', {})",
        placeholders_sqlite(19),
        placeholders_sqlite(5)
    );
    let rows: Vec<_> = signals.iter().zip(placed).collect();
    insert_each(c, INSERT_SIGNAL, &row, &rows, |b, (s, p)| {
        b.value(&s.id)?
            .value(&s.partner.code())?
            .value(&s.klantnummer)?
            .value(&s.bsn.map(|b| b.expose()))?
            .value(&s.voorletters)?
            .value(&s.voorvoegsel)?
            .value(&s.achternaam)?
            .value(&s.geboortedatum.map(format_date))?
            .value(&s.straat)?
            .value(&s.huisnummer)?
            .value(&s.toevoeging)?
            .value(&s.postcode.map(|p| p.compact()))?
            .value(&s.plaats)?
            .value(&s.telefoon)?
            .value(&s.email)?
            .value(&s.bedrag.cents())?
            .value(&format_date(s.ontstaansdatum))?
            .value(&format_date(s.signaaldatum))?
            .value(&s.crisis)?
            .value(&s.warme_overdracht)?
            .value(&p.match_code)?
            .value(&p.resident)?
            .value(&p.case)?
            .value(&p.status())?
            .value(&p.objection)?;
        Ok(())
    })
}

impl IntakeDb {
    pub async fn insert_signals(
        &mut self,
        org: i64,
        import: i64,
        today: Date,
        signals: Vec<Signal>,
        placed: Vec<Placed>,
    ) -> Result<()> {
        let today = format_date(today);
        match self {
            IntakeDb::Sqlite { writer, .. } => writer
                .send(move |c| sqlite_insert_signals(c, org, import, &today, &signals, &placed)),
            IntakeDb::Pool { tx, backend } => {
                for (signals, placed) in signals.chunks(POOL_BATCH).zip(placed.chunks(POOL_BATCH)) {
                    let sql = format!("{INSERT_SIGNAL}{}", backend.placeholders(signals.len(), 28));
                    let mut q = sqlx::query(&sql);
                    for (s, p) in signals.iter().zip(placed) {
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
                            .bind(p.status())
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
            IntakeDb::Sqlite { writer, .. } => {
                let rows: Vec<_> = rows.iter().map(values).collect();
                writer.send(move |c| {
                    let sql = format!("{INSERT_QUARANTINE}({})", placeholders_sqlite(7));
                    let mut stmt = c.prepare_cached(&sql)?;
                    for (line, fields, problems) in rows {
                        stmt.execute(params![org, import, line, fields, problems, "open", now])?;
                    }
                    Ok(())
                })
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

    pub async fn insert_cases(
        &mut self,
        org: i64,
        opened: Date,
        now: i64,
        rows: Vec<CaseRow>,
    ) -> Result<()> {
        let opened = format_date(opened);
        match self {
            IntakeDb::Sqlite { writer, .. } => writer.send(move |c| {
                let row = format!("(?, {org}, ?, '{opened}', ?, ?, ?, {now})");
                insert_each(c, INSERT_CASE, &row, &rows, |b, r| {
                    b.value(&r.id)?
                        .value(&r.household)?
                        .value(&r.score)?
                        .value(&r.level)?
                        .value(&r.reasons)?;
                    Ok(())
                })?;
                Ok(())
            }),
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

    pub async fn update_cases(&mut self, now: i64, rows: Vec<CaseRow>) -> Result<()> {
        match self {
            IntakeDb::Sqlite { writer, .. } => writer.send(move |c| {
                let mut stmt = c.prepare_cached(UPDATE_CASE)?;
                for r in &rows {
                    stmt.execute(params![r.score, r.level, r.reasons, now, r.id])?;
                }
                Ok(())
            }),
            IntakeDb::Pool { tx, .. } => {
                for r in rows {
                    sqlx::query(UPDATE_CASE)
                        .bind(r.score)
                        .bind(r.level)
                        .bind(r.reasons)
                        .bind(now)
                        .bind(r.id)
                        .execute(&mut **tx)
                        .await?;
                }
                Ok(())
            }
        }
    }
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

impl IntakeDb {
    /// Marks a quarantined row as taken in, inside the import that took it.
    pub async fn resolve_quarantine(&mut self, id: i64, org: i64, now: i64) -> Result<bool> {
        let sql = "UPDATE signal_quarantine SET status = 'verwerkt', resolved_at = $1 \
                   WHERE id = $2 AND org_id = $3 AND status = 'open'";
        let n = match self {
            IntakeDb::Sqlite { writer, .. } => {
                writer.call(move |c| c.execute(sql, params![now, id, org]))? as u64
            }
            IntakeDb::Pool { tx, .. } => sqlx::query(sql)
                .bind(now)
                .bind(id)
                .bind(org)
                .execute(&mut **tx)
                .await?
                .rows_affected(),
        };
        Ok(n == 1)
    }
}
