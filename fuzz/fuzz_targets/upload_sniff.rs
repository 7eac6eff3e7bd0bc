//! Any bytes as an uploaded letter: judged without panic, and a file taken
//! as a kind really starts (and ends) as that kind does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wegwijs_domain::upload::{FileKind, MAX_BYTES, display_name, sniff};

fuzz_target!(|data: &[u8]| {
    match sniff("bestand", data) {
        Ok(FileKind::Pdf) => assert!(data.starts_with(b"%PDF-")),
        Ok(FileKind::Jpeg) => assert!(data.starts_with(&[0xFF, 0xD8, 0xFF])),
        Ok(FileKind::Png) => assert!(data.starts_with(b"\x89PNG\r\n\x1a\n")),
        Err(_) => {}
    }
    assert!(data.len() <= MAX_BYTES || sniff("bestand", data).is_err());
    let name = display_name(&String::from_utf8_lossy(data), FileKind::Pdf);
    assert!(!name.is_empty() && !name.contains('/') && !name.contains('\\'));
});
