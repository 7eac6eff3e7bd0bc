//! Any bytes as an uploaded letter: judged without panic, and a file taken
//! as a kind really starts (and ends) as that kind does. (The size limit
//! is a unit test: libFuzzer inputs stay small.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use wegwijs_domain::upload::{FileKind, display_name, sniff};

fuzz_target!(|data: &[u8]| {
    match sniff("bestand", data) {
        Ok(FileKind::Pdf) => {
            assert!(data.starts_with(b"%PDF-"));
            let tail = &data[data.len().saturating_sub(1024)..];
            assert!(tail.windows(5).any(|w| w == b"%%EOF"));
        }
        Ok(FileKind::Jpeg) => {
            assert!(data.starts_with(&[0xFF, 0xD8, 0xFF]));
            assert!(data[4..].windows(2).any(|w| w == [0xFF, 0xD9]));
        }
        Ok(FileKind::Png) => {
            assert!(data.starts_with(b"\x89PNG\r\n\x1a\n"));
            assert!(data.ends_with(&[0xAE, 0x42, 0x60, 0x82]) || &data[data.len() - 8..data.len() - 4] == b"IEND");
        }
        Err(_) => {}
    }
    let name = display_name(&String::from_utf8_lossy(data), FileKind::Pdf);
    assert!(!name.is_empty() && !name.contains('/') && !name.contains('\\'));
});
