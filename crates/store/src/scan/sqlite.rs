//! The register's residents for the scan on a direct SQLite connection: a
//! million rows through the pool take seconds, here a fraction of that.
//! One thread steps through the table and copies each batch of rows as it
//! is; the caller's thread makes members of them meanwhile (dates, codes,
//! strings), so two cores share the work while one read transaction keeps
//! the register from changing halfway.

use super::{MEMBER_COLUMNS, member};
use crate::{Result, StoreError};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use wegwijs_domain::household::Member;

/// Rows per batch handed from the reading thread to the parsing one.
const BATCH: usize = 16_384;

/// Rows as SQLite gives them: household, id, income, assets; and role,
/// birth date, voorzieningen, wijk as text, end offsets into `text`.
#[derive(Default)]
struct Raw {
    ints: Vec<[i64; 4]>,
    text: String,
    ends: Vec<[usize; 4]>,
}

impl Raw {
    fn push(&mut self, r: &rusqlite::Row) -> Result<()> {
        use super::member_at::*;
        self.ints.push([
            r.get(HOUSEHOLD)?,
            r.get(ID)?,
            r.get(INCOME)?,
            r.get(ASSETS)?,
        ]);
        let mut ends = [0; 4];
        for (end, column) in ends.iter_mut().zip([ROLE, BORN, VOORZIENINGEN, WIJK]) {
            let value = r
                .get_ref(column)?
                .as_str()
                .map_err(|_| StoreError::Corrupt("resident text".into()))?;
            self.text.push_str(value);
            *end = self.text.len();
        }
        self.ends.push(ends);
        Ok(())
    }

    fn members(&self, out: &mut Vec<(i64, Member)>) -> Result<()> {
        let mut start = 0;
        for (ints, ends) in self.ints.iter().zip(&self.ends) {
            let cell = |i: usize| &self.text[if i == 0 { start } else { ends[i - 1] }..ends[i]];
            let [household, id, inkomen, vermogen] = *ints;
            let m = member(
                id,
                cell(0),
                cell(1),
                (inkomen, vermogen),
                cell(2),
                cell(3).to_string(),
            )?;
            out.push((household, m));
            start = ends[3];
        }
        Ok(())
    }
}

/// Every resident as (household, member), ordered by household and id.
/// The table is read in its own order and sorted here: following the
/// household index costs a random page read per resident.
pub(super) fn members(conn: rusqlite::Connection) -> Result<Vec<(i64, Member)>> {
    in_batches(conn, BATCH)
}

fn in_batches(conn: rusqlite::Connection, batch: usize) -> Result<Vec<(i64, Member)>> {
    let (send, receive) = sync_channel(4);
    let (read, parsed) = std::thread::scope(|s| {
        let reader = s.spawn(move || read(&conn, send, batch));
        let parsed = parse(receive);
        (reader.join(), parsed)
    });
    read.map_err(|_| StoreError::Corrupt("the register read stopped".into()))??;
    let mut out = parsed?;
    // Residents come in mostly by household already: nearly sorted.
    out.sort_by_key(|(household, m)| (*household, m.id.0));
    Ok(out)
}

fn parse(receive: Receiver<Raw>) -> Result<Vec<(i64, Member)>> {
    let mut out = Vec::new();
    for raw in receive {
        raw.members(&mut out)?;
    }
    Ok(out)
}

fn read(conn: &rusqlite::Connection, send: SyncSender<Raw>, batch: usize) -> Result<()> {
    conn.execute_batch("BEGIN")?;
    let result = (|| {
        let mut stmt = conn.prepare(&format!("SELECT {MEMBER_COLUMNS} FROM residents"))?;
        let mut rows = stmt.query([])?;
        let mut raw = Raw::default();
        while let Some(r) = rows.next()? {
            raw.push(r)?;
            if raw.ints.len() == batch && send.send(std::mem::take(&mut raw)).is_err() {
                // The parser stopped on an error of its own; it reports it.
                return Ok(());
            }
        }
        let _ = send.send(raw);
        Ok(())
    })();
    conn.execute_batch("COMMIT")?;
    result
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn register(rows: &[(i64, i64, &str, &str)]) -> rusqlite::Connection {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE residents (id INTEGER PRIMARY KEY, household_id INTEGER, rol_in_huishouden TEXT, \
             geboortedatum TEXT, inkomen_cents INTEGER, vermogen_cents INTEGER, voorzieningen TEXT, wijk TEXT)",
        )
        .unwrap();
        for (id, household, role, voorzieningen) in rows {
            conn.execute(
                "INSERT INTO residents VALUES (?1, ?2, ?3, '1980-05-31', ?1 * 10, 7, ?4, 'Wijk ' || ?2)",
                rusqlite::params![id, household, role, voorzieningen],
            )
            .unwrap();
        }
        conn
    }

    #[test]
    fn every_resident_is_read_once_in_household_order_whatever_the_batches() {
        // Households out of order in the table, as after later imports.
        let rows: Vec<(i64, i64, &str, &str)> = (1..=40)
            .map(|id| {
                let role = if id % 3 == 0 {
                    "partner"
                } else {
                    "referentiepersoon"
                };
                (
                    id,
                    (id * 7) % 11,
                    role,
                    if id % 4 == 0 {
                        "zorgtoeslag;bijstand"
                    } else {
                        ""
                    },
                )
            })
            .collect();
        let mut want: Vec<(i64, i64)> = rows.iter().map(|r| (r.1, r.0)).collect();
        want.sort();
        for batch in [1, 3, 40, 1000] {
            let got = in_batches(register(&rows), batch).unwrap();
            let order: Vec<(i64, i64)> = got.iter().map(|(h, m)| (*h, m.id.0)).collect();
            assert_eq!(order, want, "batches of {batch}");
            let (h, m) = &got[0];
            assert_eq!((m.netto_inkomen_maand, m.vermogen), (m.id.0 * 10, 7));
            assert_eq!(m.wijk, format!("Wijk {h}"));
            let four = got.iter().find(|(_, m)| m.id.0 == 4).unwrap();
            assert_eq!(four.1.voorzieningen.len(), 2);
        }
    }

    #[test]
    fn a_damaged_row_is_an_error_not_a_hang() {
        // The parser stops at the first batch; the reader must not wait for it.
        let mut rows = vec![(1, 1, "koning", "")];
        rows.extend((2..100).map(|id| (id, id, "referentiepersoon", "")));
        for batch in [1, 10, 1000] {
            let got = in_batches(register(&rows), batch);
            assert!(
                matches!(got, Err(StoreError::Corrupt(_))),
                "batches of {batch}"
            );
        }
    }
}
