//! Any text in any format: the checker never panics, and every finding is
//! a place in the text as given, of a kind the screens know.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wegwijs_taal::{Format, KINDS, Scope, check};

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let format = [Format::Plain, Format::Markdown, Format::Html][usize::from(first % 3)];
    let r = check(text, format);
    for f in &r.findings {
        assert!(f.start <= f.end && f.end <= text.len());
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        assert!(KINDS.contains(&f.kind));
        assert!(f.scope() != Scope::Words || f.start < f.end);
    }
    assert!((1..=4).contains(&r.level));
    assert!(r.flesch_douma.is_finite() && r.leesindex_a.is_finite());
});
