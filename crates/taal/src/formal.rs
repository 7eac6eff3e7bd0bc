//! Formal words and expressions with a plainer alternative and an example
//! ("derhalve → daarom"), from `data/formele_woorden.tsv` (written for
//! Wegwijs); a municipality can add its own list in the same format.

use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// As written in the list, lowercase; may be several words.
    pub formal: String,
    pub plainer: String,
    pub example: String,
}

/// The list, keyed by the expression's words.
#[derive(Debug, Clone, Default)]
pub struct FormalWords {
    entries: HashMap<String, Entry>,
    /// The most words an expression has.
    longest: usize,
}

/// A line of a list file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListError {
    pub line: usize,
    pub problem: String,
}

impl std::fmt::Display for ListError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.problem)
    }
}

impl FormalWords {
    /// The list Wegwijs ships.
    pub fn builtin() -> &'static FormalWords {
        static LIST: OnceLock<FormalWords> = OnceLock::new();
        LIST.get_or_init(|| {
            let mut list = FormalWords::default();
            // The shipped file is tested to parse; a bad line is skipped.
            let _ = list.add(include_str!("../data/formele_woorden.tsv"));
            list
        })
    }

    /// The shipped list with a municipality's own entries added (they win
    /// over shipped ones with the same formal word).
    pub fn builtin_with(own: &str) -> Result<FormalWords, Vec<ListError>> {
        let mut list = FormalWords::builtin().clone();
        list.add(own)?;
        Ok(list)
    }

    /// Adds the entries of a list file (tab-separated `formeel`,
    /// `eenvoudiger`, `voorbeeld`; `#` lines are comments; a header line
    /// `formeel ...` is skipped). Every bad line is reported; the good ones
    /// are added all the same.
    pub fn add(&mut self, text: &str) -> Result<usize, Vec<ListError>> {
        let mut errors = Vec::new();
        let mut added = 0;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') || line.starts_with("formeel\t") {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
            let problem = match fields.as_slice() {
                [f, p, e] if !f.is_empty() && !p.is_empty() && !e.is_empty() => {
                    let formal = f.to_lowercase();
                    let words = formal.split_whitespace().count();
                    self.longest = self.longest.max(words);
                    let key = formal.split_whitespace().collect::<Vec<_>>().join(" ");
                    self.entries.insert(
                        key,
                        Entry {
                            formal,
                            plainer: p.to_string(),
                            example: e.to_string(),
                        },
                    );
                    added += 1;
                    continue;
                }
                [_, _, _] => "a field is empty; give the formal word, a plainer one and an example",
                _ => "expected three fields separated by tabs: formeel, eenvoudiger, voorbeeld",
            };
            errors.push(ListError {
                line: n + 1,
                problem: problem.to_string(),
            });
        }
        if errors.is_empty() {
            Ok(added)
        } else {
            Err(errors)
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The longest expression starting at the first of `words` (lowercase),
    /// with how many words it takes.
    pub fn lookup(&self, words: &[&str]) -> Option<(&Entry, usize)> {
        let mut key = String::new();
        let mut best = None;
        for (n, w) in words.iter().take(self.longest).enumerate() {
            if n > 0 {
                key.push(' ');
            }
            key.push_str(w);
            if let Some(e) = self.entries.get(&key) {
                best = Some((e, n + 1));
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_parses_whole_and_has_the_required_size() {
        let mut list = FormalWords::default();
        let added = list.add(include_str!("../data/formele_woorden.tsv"));
        assert!(matches!(added, Ok(n) if n >= 300), "{added:?}");
        for w in ["derhalve", "indien", "retourneren"] {
            assert!(list.lookup(&[w]).is_some(), "{w}");
        }
        let (e, n) = list.lookup(&["ten", "behoeve", "van", "u"]).unwrap();
        assert_eq!((e.plainer.as_str(), n), ("voor", 3));
    }

    #[test]
    fn a_municipality_list_reports_its_bad_lines() {
        let mut list = FormalWords::default();
        let r = list.add("# eigen lijst\nformeel\teenvoudiger\tvoorbeeld\nvoornoemd\tdeze\tDeze brief is voor u.\nkapot\n\tleeg\tx\n");
        let errors = r.unwrap_err();
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [4, 5]);
        assert_eq!(list.len(), 1);
    }
}
