//! A creditor's delivery is outside input: any bytes, read as CSV (first
//! byte even) or JSON (odd), give rows with rising positions or one file
//! error, never a panic; every row is validated without panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wegwijs_domain::signal::Signal;
use wegwijs_domain::signal::format::{Format, FormatError, read};

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let format = if first % 2 == 0 { Format::Csv } else { Format::Json };
    let today = time::macros::date!(2026 - 11 - 22);
    let mut seen = 0u64;
    let mut last = 0;
    let result = read::<_, FormatError>(format, rest, |position, fields| {
        assert!(position > last, "positions rise: {position} after {last}");
        last = position;
        seen += 1;
        let _ = Signal::validate(&fields, today);
        Ok(())
    });
    if let Ok(rows) = result {
        assert_eq!(rows, seen);
    }
});
