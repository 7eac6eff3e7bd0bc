//! Reading the register for matching: all of it for a large delivery, or
//! only the candidates (same BSN, same postcode) of a few signals.

use super::IntakeDb;
use crate::{Result, StoreError};
use sqlx::Row;
use std::collections::HashSet;
use wegwijs_domain::person::parse_date;
use wegwijs_domain::signal::Signal;
use wegwijs_domain::signal::matching::{RegisterEntry, first_initial, surname_key};
use wegwijs_domain::{Bsn, Postcode, ResidentId};

const REGISTER_COLUMNS: &str = "id, household_id, bsn, voorvoegsel, achternaam, voornamen, geboortedatum, postcode, huisnummer";

/// Positions in [`REGISTER_COLUMNS`], for the SQLite intake's register
/// read (a municipality's whole register per delivery).
mod at {
    pub const ID: usize = 0;
    pub const HOUSEHOLD: usize = 1;
    pub const BSN: usize = 2;
    pub const VOORVOEGSEL: usize = 3;
    pub const ACHTERNAAM: usize = 4;
    pub const VOORNAMEN: usize = 5;
    pub const GEBOORTEDATUM: usize = 6;
    pub const POSTCODE: usize = 7;
    pub const HUISNUMMER: usize = 8;
}

impl IntakeDb {
    /// On SQLite the writer, which has nothing to do yet, reads half of it
    /// at the same time, on its own connection.
    pub async fn whole_register(&mut self) -> Result<Vec<RegisterEntry>> {
        let IntakeDb::Sqlite { read, writer, .. } = self else {
            return self.register_in_pages().await;
        };
        let middle: i64 =
            read.query_row("SELECT COALESCE(MAX(id), 0) / 2 FROM residents", [], |r| {
                r.get(0)
            })?;
        let other_half = writer.ask(move |c| {
            // A corrupt row is an answer too; the writer itself goes on.
            Ok(sqlite_register(c, "id > ?1", [middle]))
        })?;
        let mut entries = sqlite_register(read, "id <= ?1", [middle])?;
        let rest = writer.answer(other_half)??;
        entries.extend(rest);
        Ok(entries)
    }

    /// The whole register through the pool, in pages by id: a million
    /// rows fetched at once held 800 MiB of rows before one was read.
    async fn register_in_pages(&mut self) -> Result<Vec<RegisterEntry>> {
        const PAGE: i64 = 10_000;
        let mut out = Vec::new();
        let mut after = i64::MIN;
        loop {
            let page = self
                .register_where(
                    "id > $1 ORDER BY id LIMIT $2",
                    vec![Key::Int(after), Key::Int(PAGE)],
                )
                .await?;
            let full = page.len() as i64 == PAGE;
            if let Some(last) = page.last() {
                after = last.resident.0;
            }
            out.extend(page);
            if !full {
                return Ok(out);
            }
        }
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
                let keys = keys.into_iter().map(Key::Text).collect();
                found.extend(self.register_where(&filter, keys).await?);
            }
        }
        found.sort_by_key(|e| e.resident);
        found.dedup_by_key(|e| e.resident);
        Ok(found)
    }

    async fn register_where(&mut self, filter: &str, keys: Vec<Key>) -> Result<Vec<RegisterEntry>> {
        let sql = format!("SELECT {REGISTER_COLUMNS} FROM residents WHERE {filter}");
        match self {
            IntakeDb::Sqlite { read, .. } => {
                sqlite_register(read, filter, rusqlite::params_from_iter(keys))
            }
            IntakeDb::Pool { tx, .. } => {
                let mut q = sqlx::query(&sql);
                for k in keys {
                    q = match k {
                        Key::Text(t) => q.bind(t),
                        Key::Int(i) => q.bind(i),
                    };
                }
                let rows = q.fetch_all(&mut **tx).await?;
                rows.iter()
                    .map(|r| {
                        register_entry(
                            r.try_get("id")?,
                            r.try_get("household_id")?,
                            &r.try_get::<String, _>("bsn")?,
                            r.try_get::<Option<String>, _>("voorvoegsel")?.as_deref(),
                            &r.try_get::<String, _>("achternaam")?,
                            &r.try_get::<String, _>("voornamen")?,
                            &r.try_get::<String, _>("geboortedatum")?,
                            &r.try_get::<String, _>("postcode")?,
                            r.try_get("huisnummer")?,
                        )
                    })
                    .collect()
            }
        }
    }
}

/// A value a register read is filtered on.
enum Key {
    Text(String),
    Int(i64),
}

impl rusqlite::ToSql for Key {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            Key::Text(t) => t.to_sql(),
            Key::Int(i) => i.to_sql(),
        }
    }
}

fn sqlite_register(
    c: &rusqlite::Connection,
    filter: &str,
    keys: impl rusqlite::Params,
) -> Result<Vec<RegisterEntry>> {
    let sql = format!("SELECT {REGISTER_COLUMNS} FROM residents WHERE {filter}");
    let mut stmt = c.prepare(&sql)?;
    let mut rows = stmt.query(keys)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(register_entry(
            r.get(at::ID)?,
            r.get(at::HOUSEHOLD)?,
            text(r, at::BSN)?,
            r.get_ref(at::VOORVOEGSEL)?
                .as_str_or_null()
                .map_err(rusqlite::Error::from)?,
            text(r, at::ACHTERNAAM)?,
            text(r, at::VOORNAMEN)?,
            text(r, at::GEBOORTEDATUM)?,
            text(r, at::POSTCODE)?,
            r.get(at::HUISNUMMER)?,
        )?);
    }
    Ok(out)
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
        initial: first_initial(voornamen),
        geboortedatum: parse_date("geboortedatum", geboortedatum).map_err(corrupt)?,
        postcode: Postcode::parse(postcode).map_err(corrupt)?,
        huisnummer: u32::try_from(huisnummer)
            .map_err(|_| StoreError::Corrupt("huisnummer".into()))?,
    })
}

fn text<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(i)?.as_str().map_err(rusqlite::Error::from)
}

#[cfg(test)]
mod tests {
    use super::{REGISTER_COLUMNS, at};

    #[test]
    fn the_positions_name_the_columns() {
        let names: Vec<&str> = REGISTER_COLUMNS.split(", ").collect();
        for (i, name) in [
            (at::ID, "id"),
            (at::HOUSEHOLD, "household_id"),
            (at::BSN, "bsn"),
            (at::VOORVOEGSEL, "voorvoegsel"),
            (at::ACHTERNAAM, "achternaam"),
            (at::VOORNAMEN, "voornamen"),
            (at::GEBOORTEDATUM, "geboortedatum"),
            (at::POSTCODE, "postcode"),
            (at::HUISNUMMER, "huisnummer"),
        ] {
            assert_eq!(names[i], name);
        }
    }
}
