//! Text cut into tokens with their byte ranges: words, numbers, amounts,
//! dates, abbreviations, punctuation, list markers and line breaks. Dutch
//! abbreviations keep their periods, so "m.b.t." does not end a sentence;
//! "€ 1.234,56" and "15 maart 2026" are one token each.

use wegwijs_domain::person::MONTHS_NL;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    /// A known or letter-dot-letter abbreviation, periods included.
    Abbreviation,
    Number,
    /// An amount of money: "€ 12,50", "12 euro".
    Amount,
    /// "15-03-2026", "2026-03-15", "15 maart 2026".
    Date,
    /// One punctuation character.
    Punct(char),
    /// "-", "*", "•", "1." or "a)" at the start of a line.
    ListMarker,
    /// A line break; `true` when a blank line (a new paragraph) follows.
    Break(bool),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }

    pub fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }
}

/// Abbreviations whose last period is part of them (lowercase).
const ABBREVIATIONS: &[&str] = &[
    "m.b.t.", "t.a.v.", "bijv.", "bv.", "b.v.", "o.a.", "nr.", "etc.", "enz.", "z.s.m.", "i.v.m.",
    "d.w.z.", "a.u.b.", "mevr.", "dhr.", "blz.", "ca.", "incl.", "excl.", "evt.", "tel.", "jl.",
    "resp.", "e.d.", "n.a.v.", "t.z.t.", "art.", "p.", "m.i.v.", "i.p.v.", "o.b.v.", "t/m",
    "m.u.v.", "vs.", "dr.", "mr.", "ir.", "drs.", "ing.", "prof.", "st.", "str.", "jr.", "sr.",
    "e.v.", "z.o.z.", "i.o.m.", "o.v.v.", "p.p.", "v.a.", "t.b.v.", "m.a.w.", "min.", "max.",
    "tav.", "mbt.", "ivm.",
];

/// Abbreviations that may end a sentence: after them a capital starts a new one.
pub const MAY_END: &[&str] = &["etc.", "enz.", "e.d.", "e.v."];

/// Short month names beside the full ones (`wegwijs_domain::person::MONTHS_NL`).
const SHORT_MONTHS: &[&str] = &[
    "jan", "feb", "mrt", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dec",
];

pub fn is_abbreviation(word: &str) -> bool {
    let lower = word.to_lowercase();
    ABBREVIATIONS.contains(&lower.as_str())
}

/// Every token of `text`, in order.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 5);
    let b = text.as_bytes();
    let mut i = 0;
    let mut line_start = true;
    while i < b.len() {
        let c = char_at(text, i);
        let width = c.len_utf8();
        if c == '\n' {
            let blank = next_line_blank(text, i + 1);
            out.push(Token {
                kind: Kind::Break(blank),
                start: i,
                end: i + 1,
            });
            i += 1;
            line_start = true;
            continue;
        }
        if c.is_whitespace() {
            i += width;
            continue;
        }
        if line_start && let Some(end) = list_marker(text, i) {
            out.push(Token {
                kind: Kind::ListMarker,
                start: i,
                end,
            });
            i = end;
            line_start = false;
            continue;
        }
        line_start = false;
        let (kind, end) = if c == '€' {
            amount_after_sign(text, i + width)
                .map_or((Kind::Punct(c), i + width), |e| (Kind::Amount, e))
        } else if c.is_ascii_digit() {
            number(text, i)
        } else if c.is_alphabetic() {
            word(text, i)
        } else {
            (Kind::Punct(c), i + width)
        };
        out.push(Token {
            kind,
            start: i,
            end,
        });
        i = end;
    }
    out
}

fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().unwrap_or(' ')
}

fn next_line_blank(text: &str, from: usize) -> bool {
    let rest = &text[from..];
    let line = rest.split('\n').next().unwrap_or("");
    line.trim().is_empty() && rest.contains('\n')
}

/// "-", "*", "•", "1.", "12)", "a)" followed by a space at the start of a line.
fn list_marker(text: &str, i: usize) -> Option<usize> {
    let rest = &text[i..];
    let mut chars = rest.char_indices();
    let (_, first) = chars.next()?;
    let end = if matches!(first, '-' | '*' | '•' | '–') {
        first.len_utf8()
    } else {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let letter = usize::from(digits == 0 && first.is_ascii_lowercase());
        let n = digits + letter;
        if n == 0 || n > 3 {
            return None;
        }
        match rest.as_bytes().get(n) {
            Some(b'.') if digits > 0 => n + 1,
            Some(b')') => n + 1,
            _ => return None,
        }
    };
    rest[end..].starts_with(' ').then_some(i + end)
}

/// A word, with inner hyphens and apostrophes ("e-mail", "auto's") and
/// abbreviation periods ("m.b.t.").
fn word(text: &str, i: usize) -> (Kind, usize) {
    let mut end = i;
    let mut chars = text[i..].char_indices().peekable();
    while let Some((o, c)) = chars.next() {
        let next_alpha = chars.peek().is_some_and(|(_, n)| n.is_alphabetic());
        if c.is_alphabetic() || (matches!(c, '-' | '\'' | '’' | '/') && next_alpha) {
            end = i + o + c.len_utf8();
        } else {
            break;
        }
    }
    // An abbreviation: letters and periods ("m.b.t.", "bijv.", "nr.").
    let mut a = end;
    while text[a..].starts_with('.') {
        let after = a + 1;
        let more: usize = text[after..]
            .chars()
            .take_while(|c| c.is_alphabetic())
            .map(char::len_utf8)
            .sum();
        if more > 0 && more <= 3 && text[after + more..].starts_with('.') {
            a = after + more;
        } else {
            a = after;
            break;
        }
    }
    if a > end {
        let candidate = &text[i..a];
        let dotted = candidate.matches('.').count() >= 2 && candidate.len() <= 12;
        if is_abbreviation(candidate) || dotted {
            return (Kind::Abbreviation, a);
        }
    }
    if text[i..end].eq_ignore_ascii_case("t/m") {
        return (Kind::Abbreviation, end);
    }
    // "12 euro" is handled by the number; a month name after a number too.
    (Kind::Word, end)
}

/// Digits with "." and "," inside ("1.234,56"); a date "15-03-2026" or
/// "2026-03-15"; "15 maart 2026"; "12 euro" as an amount.
fn number(text: &str, i: usize) -> (Kind, usize) {
    let b = text.as_bytes();
    let mut end = i;
    while end < b.len() {
        let separator = matches!(b[end], b'.' | b',' | b'-' | b'/' | b':')
            && b.get(end + 1).is_some_and(u8::is_ascii_digit);
        if b[end].is_ascii_digit() || separator {
            end += 1;
        } else {
            break;
        }
    }
    let digits = &text[i..end];
    if is_numeric_date(digits) {
        return (Kind::Date, end);
    }
    if let Some(date_end) = written_date(text, end) {
        return (Kind::Date, date_end);
    }
    let rest = &text[end..];
    let spaced = rest.strip_prefix(' ').unwrap_or(rest);
    if spaced.starts_with("euro") && !spaced[4..].starts_with(|c: char| c.is_alphabetic()) {
        return (Kind::Amount, text.len() - spaced.len() + 4);
    }
    (Kind::Number, end)
}

fn is_numeric_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split(['-', '/']).collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
}

/// After "15": " maart 2026" or " maart".
fn written_date(text: &str, from: usize) -> Option<usize> {
    let rest = text[from..].strip_prefix(' ')?;
    let month_len = rest
        .chars()
        .take_while(|c| c.is_alphabetic())
        .map(char::len_utf8)
        .sum::<usize>();
    let month = rest[..month_len].to_lowercase();
    if !MONTHS_NL.contains(&month.as_str()) && !SHORT_MONTHS.contains(&month.as_str()) {
        return None;
    }
    let mut end = text.len() - rest.len() + month_len;
    if let Some(year) = text[end..].strip_prefix(' ') {
        let n = year.bytes().take_while(u8::is_ascii_digit).count();
        if n == 4 {
            end += 1 + n;
        }
    }
    Some(end)
}

/// After "€": an optional space and a number ("1.234,56", "12,-").
fn amount_after_sign(text: &str, from: usize) -> Option<usize> {
    let rest = &text[from..];
    let spaced = rest.trim_start_matches([' ', '\u{a0}']);
    let skipped = rest.len() - spaced.len();
    if !spaced.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (_, end) = number(text, from + skipped);
    let end = if text[end..].starts_with(",-") {
        end + 2
    } else {
        end
    };
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        tokens(text)
            .iter()
            .map(|t| (t.kind, t.text(text)))
            .collect()
    }

    #[test]
    fn abbreviations_amounts_and_dates_are_one_token() {
        let t = "U betaalt m.b.t. de aanslag € 1.234,56 vóór 15 maart 2026, bijv. per bank.";
        let k = kinds(t);
        assert!(k.contains(&(Kind::Abbreviation, "m.b.t.")), "{k:?}");
        assert!(k.contains(&(Kind::Amount, "€ 1.234,56")), "{k:?}");
        assert!(k.contains(&(Kind::Date, "15 maart 2026")), "{k:?}");
        assert!(k.contains(&(Kind::Abbreviation, "bijv.")), "{k:?}");
        assert!(k.contains(&(Kind::Word, "vóór")), "{k:?}");
        assert_eq!(k.last(), Some(&(Kind::Punct('.'), ".")));
        let k = kinds("Op 01-02-2026 of 2026-02-01 betaalt u 12 euro, nr. 5 t/m 7.");
        assert!(
            k.contains(&(Kind::Date, "01-02-2026")) && k.contains(&(Kind::Date, "2026-02-01")),
            "{k:?}"
        );
        assert!(k.contains(&(Kind::Amount, "12 euro")), "{k:?}");
        assert!(
            k.contains(&(Kind::Abbreviation, "nr.")) && k.contains(&(Kind::Abbreviation, "t/m")),
            "{k:?}"
        );
    }

    #[test]
    fn words_keep_hyphens_and_apostrophes_list_items_their_marker() {
        let k = kinds("- Stuur een e-mail.\n2. Zo'n auto's\n\nKlaar");
        assert_eq!(k[0], (Kind::ListMarker, "-"));
        assert!(
            k.contains(&(Kind::Word, "e-mail")) && k.contains(&(Kind::Word, "Zo'n")),
            "{k:?}"
        );
        assert!(k.contains(&(Kind::ListMarker, "2.")), "{k:?}");
        assert!(k.contains(&(Kind::Break(true), "\n")), "{k:?}");
    }
}
