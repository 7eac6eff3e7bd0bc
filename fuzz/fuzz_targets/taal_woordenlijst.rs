//! A municipality's own word list is outside input: any file gives entries
//! or line errors, never a panic, and the list still checks text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wegwijs_taal::{FormalWords, Format, check_with};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut list = FormalWords::default();
    match list.add(text) {
        Ok(_) => {}
        Err(errors) => assert!(errors.iter().all(|e| e.line >= 1)),
    }
    let r = check_with(text, Format::Plain, &list);
    assert!(r.findings.iter().all(|f| f.end <= text.len()));
});
