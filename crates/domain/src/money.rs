//! Money as whole eurocents in an i64. No floating point anywhere.

use crate::error::{Problem, ValidationError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount in eurocents. Arithmetic is checked: an overflow is a bug in the
/// data, never a silent wrap.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(i64);

/// Amounts above a hundred million euro are typing errors in this domain.
const MAX_CENTS: i64 = 10_000_000_000;

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_cents(cents: i64) -> Self {
        Money(cents)
    }

    pub const fn cents(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// Parses whole eurocents ("123456") as files exchange them.
    pub fn parse_cents(field: &'static str, input: &str) -> Result<Self, ValidationError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(ValidationError::new(field, Problem::Empty));
        }
        let cents: i64 = s
            .parse()
            .map_err(|_| ValidationError::new(field, Problem::NotAnAmount))?;
        Self::checked_non_negative(field, cents)
    }

    /// Parses an amount in euros as a person types it: "1234", "1234,5",
    /// "1.234,56", "€ 12,00". A comma is the decimal separator, dots group
    /// thousands (Dutch usage); a lone dot followed by one or two digits is
    /// read as a decimal point, as people often type it so.
    pub fn parse_euros(field: &'static str, input: &str) -> Result<Self, ValidationError> {
        let err = |p| ValidationError::new(field, p);
        let s: String = input
            .trim()
            .trim_start_matches('€')
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if s.is_empty() {
            return Err(err(Problem::Empty));
        }
        if s.starts_with('-') {
            return Err(err(Problem::Negative));
        }
        let (whole, frac) = split_decimal(&s).ok_or_else(|| err(Problem::NotAnAmount))?;
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err(Problem::NotAnAmount));
        }
        if frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err(Problem::NotAnAmount));
        }
        let euros: i64 = whole.parse().map_err(|_| err(Problem::AmountTooLarge))?;
        let frac_cents: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| err(Problem::NotAnAmount))? * 10,
            _ => frac.parse().map_err(|_| err(Problem::NotAnAmount))?,
        };
        let cents = euros
            .checked_mul(100)
            .and_then(|c| c.checked_add(frac_cents))
            .ok_or_else(|| err(Problem::AmountTooLarge))?;
        Self::checked_non_negative(field, cents)
    }

    fn checked_non_negative(field: &'static str, cents: i64) -> Result<Self, ValidationError> {
        if cents < 0 {
            Err(ValidationError::new(field, Problem::Negative))
        } else if cents > MAX_CENTS {
            Err(ValidationError::new(field, Problem::AmountTooLarge))
        } else {
            Ok(Money(cents))
        }
    }
}

/// Splits "1.234,56" into ("1234", "56"); `None` when the grouping is malformed.
fn split_decimal(s: &str) -> Option<(String, &str)> {
    let (whole, frac) = match s.rsplit_once(',') {
        Some((w, f)) => (w, f),
        None => match s.rsplit_once('.') {
            // "12.5" or "12.50": a decimal point; "1.234": thousands.
            Some((w, f)) if f.len() <= 2 => (w, f),
            _ => (s, ""),
        },
    };
    let groups: Vec<&str> = whole.split('.').collect();
    if groups.len() > 1 && groups[1..].iter().any(|g| g.len() != 3) {
        return None;
    }
    Some((groups.concat(), frac))
}

/// "€ 1.234,56", as Dutch readers expect.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let euros = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in euros.chars().enumerate() {
            if i > 0 && (euros.len() - i).is_multiple_of(3) {
                grouped.push('.');
            }
            grouped.push(c);
        }
        write!(f, "{sign}€ {grouped},{:02}", abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_dutch_amounts() {
        let p = |s| Money::parse_euros("bedrag", s).map(Money::cents);
        assert_eq!(p("1234"), Ok(123_400));
        assert_eq!(p("1234,5"), Ok(123_450));
        assert_eq!(p("1.234,56"), Ok(123_456));
        assert_eq!(p("€ 12,00"), Ok(1_200));
        assert_eq!(p("12.50"), Ok(1_250));
        assert_eq!(p("1.234"), Ok(123_400));
        assert_eq!(p("-5").unwrap_err().problem, Problem::Negative);
        assert_eq!(p("12,345").unwrap_err().problem, Problem::NotAnAmount);
        assert_eq!(p("1.23.4").unwrap_err().problem, Problem::NotAnAmount);
        assert_eq!(p("abc").unwrap_err().problem, Problem::NotAnAmount);
        assert_eq!(p("").unwrap_err().problem, Problem::Empty);
        assert_eq!(
            p("99999999999999999999").unwrap_err().problem,
            Problem::AmountTooLarge
        );
    }

    #[test]
    fn displays_dutch() {
        assert_eq!(Money::from_cents(123_456).to_string(), "€ 1.234,56");
        assert_eq!(Money::from_cents(5).to_string(), "€ 0,05");
        assert_eq!(
            Money::from_cents(-100_000_000).to_string(),
            "-€ 1.000.000,00"
        );
    }

    proptest! {
        #[test]
        fn display_parses_back(cents in 0i64..MAX_CENTS) {
            let m = Money::from_cents(cents);
            let shown = m.to_string();
            prop_assert_eq!(Money::parse_euros("bedrag", &shown), Ok(m));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,24}") {
            let _ = Money::parse_euros("bedrag", &s);
            let _ = Money::parse_cents("bedrag", &s);
        }
    }
}
