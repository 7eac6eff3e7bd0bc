//! A register extract is outside input: any bytes give records and row
//! problems by line, or one file error, never a panic; no BSN is handed on
//! twice.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::HashSet;
use wegwijs_domain::register::{FileError, read};

fuzz_target!(|data: &[u8]| {
    let today = time::macros::date!(2026 - 11 - 22);
    let mut problems = Vec::new();
    let mut bsns = HashSet::new();
    let result = read::<_, FileError>(data, today, &mut problems, |record| {
        assert!(bsns.insert(record.bsn.expose()), "a BSN handed on twice");
        Ok(())
    });
    if let Ok(rows) = result {
        assert!(bsns.len() as u64 <= rows);
        assert!(problems.iter().all(|p| p.line >= 2 && p.line <= rows + 1));
    }
});
