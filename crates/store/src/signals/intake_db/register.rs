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

impl IntakeDb {
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
            IntakeDb::Sqlite { read: c, .. } => {
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
