//! How common a Dutch word is: its Zipf frequency (7 = one in every
//! hundred words, 3 = once per million), from the table derived from
//! wordfreq (`data/frequenties_nl.txt`, CC BY-SA 4.0). A compound the
//! table does not know is judged by its head: "betalingsregeling" as
//! "regeling".

use std::collections::HashMap;
use std::sync::OnceLock;

/// Zipf × 10 per word.
fn table() -> &'static HashMap<&'static str, u8> {
    static TABLE: OnceLock<HashMap<&'static str, u8>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut map = HashMap::with_capacity(150_000);
        for line in include_str!("../data/frequenties_nl.txt").lines() {
            let Some((zipf, words)) = line.split_once('\t') else {
                continue;
            };
            let Ok(zipf) = zipf.parse::<u8>() else {
                continue;
            };
            for w in words.split(' ') {
                map.insert(w, zipf);
            }
        }
        map
    })
}

/// Zipf × 10 of a lowercase word, or of its head when it is a compound of
/// known words; `None` when unknown.
pub fn zipf10(lower: &str) -> Option<u8> {
    let t = table();
    if let Some(z) = t.get(lower) {
        return Some(*z);
    }
    head(lower).and_then(|h| t.get(h).copied())
}

/// The head of a compound: the longest known tail of at least four
/// letters whose front is a known word too, with or without a linking
/// "s", "e" or "en" ("betaling-s-regeling").
pub fn head(lower: &str) -> Option<&str> {
    let t = table();
    lower
        .char_indices()
        .map(|(i, _)| i)
        .filter(|&i| i >= 3 && lower.len() - i >= 4)
        .find(|&i| {
            let (front, tail) = lower.split_at(i);
            t.contains_key(tail)
                && ["", "s", "e", "en"].iter().any(|link| {
                    front
                        .strip_suffix(link)
                        .is_some_and(|f| f.len() >= 3 && (t.contains_key(f) || head(f).is_some()))
                })
        })
        .map(|i| &lower[i..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_and_rare_words_and_compounds() {
        assert!(zipf10("de").unwrap_or(0) > 70);
        assert!(zipf10("gemeente").unwrap_or(0) > 50);
        assert!(zipf10("derhalve").unwrap_or(99) < 40);
        assert_eq!(head("betalingsregeling"), Some("regeling"));
        assert!(zipf10("betalingsregeling").is_some());
        assert_eq!(zipf10("xqzwv"), None);
    }
}
