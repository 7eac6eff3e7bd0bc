//! How common a Dutch word is: its Zipf frequency (7 = one in every
//! hundred words, 3 = once per million), from the table derived from
//! wordfreq (`data/frequenties_nl.txt`, CC BY-SA 4.0). A compound the
//! table does not know is judged by its head: "betalingsregeling" as
//! "regeling".

use std::collections::HashMap;
use std::sync::OnceLock;

/// Zipf × 10 per word.
type Table = HashMap<&'static str, u8>;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
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

/// Longer "words" are no compounds a reader knows the parts of (and
/// splitting them costs time quadratic in their length).
const MAX_COMPOUND: usize = 60;

/// The head of a compound: the longest known tail of at least four
/// letters whose front is a known word or compound too, with or without a
/// linking "s", "e" or "en" ("betaling-s-regeling").
pub fn head(lower: &str) -> Option<&str> {
    if lower.len() > MAX_COMPOUND {
        return None;
    }
    let mut memo = vec![None; lower.len() + 1];
    split(table(), lower, lower.len(), &mut memo).map(|i| &lower[i..])
}

/// Where `lower[..end]` splits into a known front and a known tail. Tails
/// are looked up first (cheap, and most fail); each front is decided once
/// (`memo`), else a run of short words took minutes (found by fuzzing).
fn split(t: &Table, lower: &str, end: usize, memo: &mut [Option<bool>]) -> Option<usize> {
    let cuts: Vec<usize> = lower[..end].char_indices().map(|(i, _)| i).collect();
    cuts.into_iter()
        .filter(|&i| i >= 3 && end - i >= 4 && t.contains_key(&lower[i..end]))
        .find(|&i| {
            ["", "s", "e", "en"].iter().any(|link| {
                lower[..i]
                    .strip_suffix(link)
                    .is_some_and(|f| f.len() >= 3 && known(t, lower, f.len(), memo))
            })
        })
}

/// Is `lower[..end]` a word or a compound of words?
fn known(t: &Table, lower: &str, end: usize, memo: &mut [Option<bool>]) -> bool {
    if let Some(k) = memo[end] {
        return k;
    }
    let k = t.contains_key(&lower[..end]) || split(t, lower, end, memo).is_some();
    memo[end] = Some(k);
    k
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
        assert_eq!(head("gemeentebelastingaanslag"), Some("belastingaanslag"));
    }

    /// The recursive splitter the memoised one replaced (fuzzing found it
    /// exponential on runs of short words): both must give the same head.
    fn head_unmemoised(lower: &str) -> Option<&str> {
        let t = table();
        lower
            .char_indices()
            .map(|(i, _)| i)
            .filter(|&i| i >= 3 && lower.len() - i >= 4)
            .find(|&i| {
                let (front, tail) = lower.split_at(i);
                t.contains_key(tail)
                    && ["", "s", "e", "en"].iter().any(|link| {
                        front.strip_suffix(link).is_some_and(|f| {
                            f.len() >= 3 && (t.contains_key(f) || head_unmemoised(f).is_some())
                        })
                    })
            })
            .map(|i| &lower[i..])
    }

    proptest::proptest! {
        #[test]
        fn memoised_heads_are_the_recursive_ones(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "betaling", "s", "regeling", "gemeente", "belasting", "aanslag", "huur",
                    "toeslag", "e", "en", "mm", "zorg", "kosten", "xq", "a",
                ]),
                1..5,
            )
        ) {
            let word: String = parts.concat();
            proptest::prop_assert_eq!(head(&word), head_unmemoised(&word));
        }
    }

    /// Beyond 60 bytes a "word" is not split (the fuzzer's 87-second input
    /// held a 108-letter run of "m"s and an "l"; the proptest above holds
    /// the memoised splitter to the old answers).
    #[test]
    fn very_long_runs_are_not_split() {
        assert_eq!(head(&"m".repeat(200)), None);
        assert_eq!(head(&"betalingsregeling".repeat(4)), None);
    }
}
