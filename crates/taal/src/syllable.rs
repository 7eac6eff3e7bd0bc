//! Syllables of a Dutch word, counted by vowel groups (aa, ee, ie, oe, eu,
//! ei, ij, ui, ou, au, eeu, ieu, ooi, oei, aai as one; a vowel with a trema
//! starts a new one), with two rules on top ("-cieel", Latin "-eum").
//! OpenTaal's hyphenation patterns (`data/hyph_nl_NL.dic`, Liang's method
//! in [`by_patterns`]) are the check: a test holds the two to nearly the
//! same count on the most common words; counting runs without them, which
//! keeps it fast.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Vowel sequences that are one sound, longest first.
const GROUPS: &[&str] = &[
    "eeuw", "ieuw", "eeu", "ieu", "ooi", "oei", "aai", "eau", "uw", "aa", "ee", "ie", "oe", "eu",
    "ei", "ij", "ui", "ou", "au", "ai", "oo", "uu", "ay", "ey", "oy",
];

fn is_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'e'
            | 'i'
            | 'o'
            | 'u'
            | 'y'
            | 'á'
            | 'à'
            | 'â'
            | 'é'
            | 'è'
            | 'ê'
            | 'í'
            | 'î'
            | 'ó'
            | 'ô'
            | 'ú'
            | 'û'
            | 'ë'
            | 'ï'
            | 'ö'
            | 'ü'
    )
}

/// Syllables by vowel groups alone.
pub fn by_vowels(word: &str) -> usize {
    let w: Vec<char> = word.to_lowercase().chars().collect();
    let mut count = 0;
    let mut i = 0;
    while i < w.len() {
        if is_vowel(w[i]) {
            count += 1;
            // "-cieel", "-tieel": the i is spoken as j ("fi-nan-cieel").
            let sj = w[i] == 'i'
                && i > 0
                && matches!(w[i - 1], 'c' | 't')
                && w[i + 1..].starts_with(&['e', 'e']);
            i += if sj { 3 } else { group_len(&w[i..]) };
        } else {
            i += 1;
        }
    }
    // Latin "-eum" is two syllables: "mu-se-um", "ly-ce-um".
    if w.ends_with(&['e', 'u', 'm']) && w.len() > 4 {
        count += 1;
    }
    count.max(1)
}

/// How many letters the vowel group at the start of `rest` takes. A vowel
/// with a trema never joins the one before it, but starts a group of its
/// own: "be-ëin-di-gen", "na-ïef".
fn group_len(rest: &[char]) -> usize {
    let plain = |c: char| match c {
        'ë' => 'e',
        'ï' => 'i',
        'ö' => 'o',
        'ü' => 'u',
        c => c,
    };
    GROUPS
        .iter()
        .find(|g| {
            let n = g.chars().count();
            rest.len() >= n
                && rest
                    .iter()
                    .enumerate()
                    .zip(g.chars())
                    .all(|((k, a), b)| if k == 0 { plain(*a) == b } else { *a == b })
        })
        .map_or(1, |g| g.chars().count())
}

/// The hyphenation patterns, loaded once: pattern letters → digit values.
fn patterns() -> &'static HashMap<String, Vec<u8>> {
    static PATTERNS: OnceLock<HashMap<String, Vec<u8>>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let mut map = HashMap::new();
        for line in include_str!("../data/hyph_nl_NL.dic").lines().skip(1) {
            let line = line.trim();
            if line.is_empty() || line.starts_with('%') || line.chars().all(char::is_uppercase) {
                continue;
            }
            let mut letters = String::new();
            let mut values = vec![0u8];
            for c in line.chars() {
                match c.to_digit(10) {
                    Some(d) => {
                        if let Some(last) = values.last_mut() {
                            *last = d as u8;
                        }
                    }
                    None => {
                        letters.push(c);
                        values.push(0);
                    }
                }
            }
            map.insert(letters, values);
        }
        map
    })
}

/// Where the patterns allow a break: the number of odd positions inside
/// the word, plus one.
pub fn by_patterns(word: &str) -> usize {
    let lower = word.to_lowercase();
    let w: Vec<char> = format!(".{lower}.").chars().collect();
    let mut points = vec![0u8; w.len() + 1];
    let pats = patterns();
    let mut piece = String::new();
    for start in 0..w.len() {
        piece.clear();
        for c in &w[start..] {
            piece.push(*c);
            if let Some(values) = pats.get(&piece) {
                for (k, v) in values.iter().enumerate() {
                    let p = &mut points[start + k];
                    *p = (*p).max(*v);
                }
            }
        }
    }
    // Breaks between letters of the word itself (not before the first or
    // after the last).
    let inner = lower.chars().count();
    let breaks = (2..inner + 1).filter(|&k| points[k] % 2 == 1).count();
    breaks + 1
}

/// The syllables of a word.
pub fn count(word: &str) -> usize {
    by_vowels(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vowel_groups() {
        for (w, n) in [
            ("huis", 1),
            ("betaling", 3),
            ("gemeente", 3),
            ("leeuw", 1),
            ("nieuw", 1),
            ("mooi", 1),
            ("moeilijk", 2),
            ("draaien", 2),
            ("beëindigen", 4),
            ("ruïne", 3),
            ("zorgtoeslag", 3),
        ] {
            assert_eq!(by_vowels(w), n, "{w}");
        }
    }
}
