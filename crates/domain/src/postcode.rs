//! Dutch postcode: four digits (not starting with 0) and two capital letters.

use crate::error::{Problem, ValidationError};
use std::fmt;

/// A valid Dutch postcode, stored as "1234AB" and shown as "1234 AB".
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Postcode([u8; 6]);

impl Postcode {
    /// Accepts "1234 AB", "1234AB" and "1234ab", with surrounding spaces.
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let err = |p| ValidationError::new("postcode", p);
        let compact: Vec<u8> = input
            .trim()
            .bytes()
            .filter(|b| *b != b' ')
            .map(|b| b.to_ascii_uppercase())
            .collect();
        if compact.is_empty() {
            return Err(err(Problem::Empty));
        }
        let ok_shape = compact.len() == 6
            && compact[0].is_ascii_digit()
            && compact[0] != b'0'
            && compact[1..4].iter().all(u8::is_ascii_digit)
            && compact[4..6].iter().all(u8::is_ascii_uppercase);
        if !ok_shape {
            return Err(err(Problem::PostcodeFormat));
        }
        if matches!(&compact[4..6], b"SA" | b"SD" | b"SS") {
            return Err(err(Problem::PostcodeReserved));
        }
        let mut a = [0u8; 6];
        a.copy_from_slice(&compact);
        Ok(Postcode(a))
    }

    /// The four digits, e.g. for grouping by area.
    pub fn digits(&self) -> u16 {
        self.0[..4]
            .iter()
            .fold(0u16, |n, d| n * 10 + (d - b'0') as u16)
    }

    /// "1234AB", the form registers exchange.
    pub fn compact(&self) -> String {
        String::from_utf8_lossy(&self.0).into_owned()
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = std::str::from_utf8(&self.0).map_err(|_| fmt::Error)?;
        write!(f, "{} {}", &s[..4], &s[4..])
    }
}

/// A postcode is part of an address: keep it out of debug output.
impl fmt::Debug for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Postcode(<hidden>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_and_normalises() {
        assert_eq!(Postcode::parse("1234ab").unwrap().to_string(), "1234 AB");
        assert_eq!(Postcode::parse(" 9999 zz ").unwrap().compact(), "9999ZZ");
        assert_eq!(Postcode::parse("1234 AB").unwrap().digits(), 1234);
    }

    #[test]
    fn refuses_bad_shapes() {
        for bad in [
            "0123 AB", "123 AB", "12345 AB", "1234 A1", "ABCD EF", "1234-AB",
        ] {
            assert_eq!(
                Postcode::parse(bad).unwrap_err().problem,
                Problem::PostcodeFormat,
                "{bad}"
            );
        }
        assert_eq!(
            Postcode::parse("1234 SS").unwrap_err().problem,
            Problem::PostcodeReserved
        );
        assert_eq!(Postcode::parse("  ").unwrap_err().problem, Problem::Empty);
    }

    proptest! {
        #[test]
        fn round_trips(n in 1000u16..10000, a in b'A'..=b'Z', b in b'A'..=b'Z') {
            let s = format!("{n} {}{}", a as char, b as char);
            match Postcode::parse(&s) {
                Ok(p) => prop_assert_eq!(p.to_string(), s),
                Err(e) => prop_assert_eq!(e.problem, Problem::PostcodeReserved),
            }
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,12}") {
            let _ = Postcode::parse(&s);
        }
    }
}
