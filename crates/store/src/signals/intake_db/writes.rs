//! Writing a delivery: signals, quarantined rows and cases; row by row
//! through a prepared statement on SQLite (queued to the writer thread),
//! in multi-row statements on PostgreSQL.

use super::{CaseRow, IntakeDb, placeholders_sqlite};
use crate::Result;
use crate::signals::import::{Placed, Quarantined};
use rusqlite::params;
use std::borrow::Cow;
use time::Date;
use wegwijs_domain::ValidationError;
use wegwijs_domain::person::format_date;
use wegwijs_domain::signal::{COLUMNS, Signal};

const INSERT_SIGNAL: &str = "INSERT INTO signals (org_id, signal_key, import_id, partner_type, klantnummer, bsn, \
     voorletters, voorvoegsel, achternaam, geboortedatum, straat, huisnummer, toevoeging, postcode, plaats, telefoon, \
     email, bedrag_cents, ontstaansdatum, signaaldatum, crisis, warme_overdracht, received_on, match, resident_id, \
     case_id, status, objection_id, deliverer) VALUES ";
const INSERT_QUARANTINE: &str = "INSERT INTO signal_quarantine (org_id, import_id, line, fields, problems, status, created_at) VALUES ";
const INSERT_CASE: &str = "INSERT INTO signal_cases (id, org_id, household_id, opened_on, priority, level, reasons, updated_at) VALUES ";
const UPDATE_CASE: &str = "UPDATE signal_cases SET priority = $1, level = $2, reasons = $3, updated_at = $4 WHERE id = $5";
/// Rows per multi-row INSERT through the pool (29 parameters each stays
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

/// One value of a row, as both backends bind it: the signal row is made
/// once ([`signal_values`]) and bound by each.
#[derive(Clone)]
enum Cell<'a> {
    Int(Option<i64>),
    Text(Option<Cow<'a, str>>),
}

impl rusqlite::ToSql for Cell<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            Cell::Int(v) => v.to_sql(),
            Cell::Text(Some(t)) => Ok(rusqlite::types::ToSqlOutput::Borrowed(
                rusqlite::types::ValueRef::Text(t.as_bytes()),
            )),
            Cell::Text(None) => Ok(rusqlite::types::ToSqlOutput::Owned(
                rusqlite::types::Value::Null,
            )),
        }
    }
}

fn text(v: &Option<String>) -> Cell<'_> {
    Cell::Text(v.as_deref().map(Cow::Borrowed))
}

fn owned<'a>(v: Option<String>) -> Cell<'a> {
    Cell::Text(v.map(Cow::Owned))
}

/// A signal's row as bound, in the order of [`INSERT_SIGNAL`]'s columns
/// without the delivery's own (org_id, import_id, received_on).
fn signal_values<'a>(s: &'a Signal, p: &'a Placed) -> [Cell<'a>; 25] {
    [
        Cell::Text(Some(Cow::Borrowed(&s.id))),
        Cell::Text(Some(Cow::Borrowed(s.partner.code()))),
        text(&s.klantnummer),
        owned(s.bsn.map(|b| b.expose())),
        text(&s.voorletters),
        text(&s.voorvoegsel),
        text(&s.achternaam),
        owned(s.geboortedatum.map(format_date)),
        text(&s.straat),
        Cell::Int(s.huisnummer.map(i64::from)),
        text(&s.toevoeging),
        owned(s.postcode.map(|p| p.compact())),
        text(&s.plaats),
        text(&s.telefoon),
        text(&s.email),
        Cell::Int(Some(s.bedrag.cents())),
        owned(Some(format_date(s.ontstaansdatum))),
        owned(Some(format_date(s.signaaldatum))),
        Cell::Int(Some(i64::from(s.crisis))),
        Cell::Int(Some(i64::from(s.warme_overdracht))),
        Cell::Text(Some(Cow::Borrowed(p.match_code))),
        Cell::Int(p.resident),
        Cell::Int(p.case),
        Cell::Text(Some(Cow::Borrowed(p.status()))),
        Cell::Int(p.objection),
    ]
}

/// The delivery's constants (numbers, and a date formatted here) are
/// written into the statement; the rest is bound, 25 values a row.
fn sqlite_insert_signals(
    c: &rusqlite::Connection,
    (org, deliverer): (i64, &str),
    import: i64,
    today: &str,
    signals: &[Signal],
    placed: &[Placed],
) -> rusqlite::Result<()> {
    let row = format!(
        "({org}, ?, {import}, {}, '{today}', {}, ?)",
        placeholders_sqlite(19),
        placeholders_sqlite(5)
    );
    let rows: Vec<_> = signals.iter().zip(placed).collect();
    insert_each(c, INSERT_SIGNAL, &row, &rows, |b, (s, p)| {
        for cell in &signal_values(s, p) {
            b.value(cell)?;
        }
        b.value(&deliverer)?;
        Ok(())
    })
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

fn bind<'q>(q: AnyQuery<'q>, cell: Cell<'_>) -> AnyQuery<'q> {
    match cell {
        Cell::Int(v) => q.bind(v),
        Cell::Text(v) => q.bind(v.map(Cow::into_owned)),
    }
}

impl IntakeDb {
    pub async fn insert_signals(
        &mut self,
        (org, deliverer): (i64, &str),
        import: i64,
        today: Date,
        signals: Vec<Signal>,
        placed: Vec<Placed>,
    ) -> Result<()> {
        let today = format_date(today);
        match self {
            IntakeDb::Sqlite { writer, .. } => {
                let deliverer = deliverer.to_string();
                writer.send(move |c| {
                    let by = (org, deliverer.as_str());
                    sqlite_insert_signals(c, by, import, &today, &signals, &placed)
                })
            }
            IntakeDb::Pool { tx, backend, .. } => {
                for (signals, placed) in signals.chunks(POOL_BATCH).zip(placed.chunks(POOL_BATCH)) {
                    let sql = format!("{INSERT_SIGNAL}{}", backend.placeholders(signals.len(), 29));
                    let mut q = sqlx::query(&sql);
                    for (s, p) in signals.iter().zip(placed) {
                        let [key, rest @ ..] = signal_values(s, p);
                        let (fields, outcome) = rest.split_at(19);
                        q = bind(q.bind(org), key).bind(import);
                        for cell in fields {
                            q = bind(q, cell.clone());
                        }
                        q = q.bind(today.clone());
                        for cell in outcome {
                            q = bind(q, cell.clone());
                        }
                        q = q.bind(deliverer.to_string());
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
            IntakeDb::Pool { tx, backend, .. } => {
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
            IntakeDb::Pool { tx, backend, .. } => {
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
