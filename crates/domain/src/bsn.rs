//! Burgerservicenummer: nine digits that pass the elfproef.

use crate::error::{Problem, ValidationError};
use std::fmt;

/// A valid BSN. Its `Debug` hides the number, and it has no `Display`, so it
/// cannot slip into a log line by accident; use [`Bsn::expose`] where a person
/// with the right to see it needs the number.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bsn([u8; 9]);

impl Bsn {
    /// Parses a BSN. Eight digits are accepted with an implied leading zero,
    /// as in older registers; spaces and dots between digits are ignored.
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let err = |p| ValidationError::new("bsn", p);
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(err(Problem::Empty));
        }
        let mut digits = Vec::with_capacity(9);
        for c in trimmed.chars() {
            match c {
                '0'..='9' => digits.push(c as u8 - b'0'),
                ' ' | '.' => {}
                _ => return Err(err(Problem::NotDigits)),
            }
        }
        if digits.len() == 8 {
            digits.insert(0, 0);
        }
        let digits: [u8; 9] = digits
            .try_into()
            .map_err(|_| err(Problem::WrongLength { expected: 9 }))?;
        if !passes_elfproef(&digits) {
            return Err(err(Problem::Elfproef));
        }
        Ok(Bsn(digits))
    }

    /// Builds a BSN from its first eight digits by choosing the check digit;
    /// `None` when no check digit works (the sum leaves remainder 10).
    pub fn from_prefix(prefix: u32) -> Option<Self> {
        if prefix >= 100_000_000 {
            return None;
        }
        let mut d = [0u8; 9];
        let mut p = prefix;
        for i in (0..8).rev() {
            d[i] = (p % 10) as u8;
            p /= 10;
        }
        let sum: u32 = (0..8).map(|i| d[i] as u32 * (9 - i as u32)).sum();
        let check = sum % 11;
        if check == 10 {
            return None;
        }
        d[8] = check as u8;
        let bsn = Bsn(d);
        passes_elfproef(&bsn.0).then_some(bsn)
    }

    /// The nine digits. Call only where the reader is allowed to see them.
    pub fn expose(&self) -> String {
        self.0.iter().map(|d| (b'0' + d) as char).collect()
    }
}

fn passes_elfproef(d: &[u8; 9]) -> bool {
    if d.iter().all(|&x| x == 0) {
        return false;
    }
    let sum: i32 = (0..8).map(|i| d[i] as i32 * (9 - i as i32)).sum::<i32>() - d[8] as i32;
    sum % 11 == 0
}

impl fmt::Debug for Bsn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Bsn(<hidden>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_valid_and_invalid() {
        assert!(Bsn::parse("111222333").is_ok());
        assert!(Bsn::parse("123456782").is_ok());
        assert_eq!(
            Bsn::parse("123456789").unwrap_err().problem,
            Problem::Elfproef
        );
        assert_eq!(Bsn::parse("").unwrap_err().problem, Problem::Empty);
        assert_eq!(
            Bsn::parse("12345678a").unwrap_err().problem,
            Problem::NotDigits
        );
        assert_eq!(
            Bsn::parse("1234567").unwrap_err().problem,
            Problem::WrongLength { expected: 9 }
        );
        assert_eq!(
            Bsn::parse("000000000").unwrap_err().problem,
            Problem::Elfproef
        );
        assert_eq!(Bsn::parse("1112.22.333").unwrap().expose(), "111222333");
    }

    #[test]
    fn debug_hides_the_number() {
        let b = Bsn::parse("111222333").unwrap();
        assert!(!format!("{b:?}").contains("111"));
    }

    proptest! {
        #[test]
        fn from_prefix_always_passes(prefix in 0u32..100_000_000) {
            if let Some(b) = Bsn::from_prefix(prefix) {
                prop_assert_eq!(Bsn::parse(&b.expose()).unwrap(), b);
            }
        }

        #[test]
        fn one_changed_digit_is_caught(prefix in 10_000_000u32..100_000_000, pos in 0usize..9, delta in 1u8..10) {
            if let Some(b) = Bsn::from_prefix(prefix) {
                let mut s: Vec<u8> = b.expose().into_bytes();
                s[pos] = b'0' + (s[pos] - b'0' + delta) % 10;
                let changed = String::from_utf8(s).unwrap();
                prop_assert!(Bsn::parse(&changed).is_err());
            }
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,20}") {
            let _ = Bsn::parse(&s);
        }
    }
}
