//! A law file is outside input (a municipality's own verordening): any
//! text gives a law or errors that name the file, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(errors) = wegwijs_rules::parse_law("fuzz.yaml", text) {
        assert!(!errors.is_empty());
        assert!(errors.iter().all(|e| e.place.file == "fuzz.yaml"));
    }
});
