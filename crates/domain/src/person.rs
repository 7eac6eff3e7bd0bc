//! Names, addresses and birth dates of residents.

use crate::error::{Problem, ValidationError};
use crate::postcode::Postcode;
use std::fmt;
use time::Date;

/// Checks a free-text field: trimmed, not empty (unless optional), bounded,
/// no control characters. Returns the trimmed text.
pub fn text(field: &'static str, input: &str, max: usize) -> Result<String, ValidationError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(ValidationError::new(field, Problem::Empty));
    }
    optional_text(field, s, max).map(|o| o.unwrap_or_default())
}

/// Like [`text`], but an empty input is `None`.
pub fn optional_text(
    field: &'static str,
    input: &str,
    max: usize,
) -> Result<Option<String>, ValidationError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if s.chars().count() > max {
        return Err(ValidationError::new(field, Problem::TooLong { max }));
    }
    if s.chars().any(char::is_control) {
        return Err(ValidationError::new(field, Problem::InvalidCharacters));
    }
    Ok(Some(s.to_string()))
}

/// A Dutch person's name as the register holds it: first names, the
/// voorvoegsel ("van der") and the surname separately, since sorting and
/// matching use the surname without its voorvoegsel.
#[derive(Clone, PartialEq, Eq)]
pub struct PersonName {
    pub voornamen: String,
    pub voorvoegsel: Option<String>,
    pub achternaam: String,
}

impl PersonName {
    pub fn new(
        voornamen: &str,
        voorvoegsel: &str,
        achternaam: &str,
    ) -> Result<Self, ValidationError> {
        Ok(PersonName {
            voornamen: text("voornamen", voornamen, 200)?,
            voorvoegsel: optional_text("voorvoegsel", voorvoegsel, 20)?,
            achternaam: text("achternaam", achternaam, 200)?,
        })
    }

    /// "J.P. de Vries": how a letter addresses someone.
    pub fn formal(&self) -> String {
        let initials: String = self
            .voornamen
            .split_whitespace()
            .filter_map(|n| n.chars().next())
            .map(|c| format!("{c}."))
            .collect();
        match &self.voorvoegsel {
            Some(v) => format!("{initials} {v} {}", self.achternaam),
            None => format!("{initials} {}", self.achternaam),
        }
    }

    /// "Jan de Vries": the first name in full.
    pub fn informal(&self) -> String {
        let first = self.voornamen.split_whitespace().next().unwrap_or_default();
        match &self.voorvoegsel {
            Some(v) => format!("{first} {v} {}", self.achternaam),
            None => format!("{first} {}", self.achternaam),
        }
    }
}

impl fmt::Debug for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PersonName(<hidden>)")
    }
}

/// A Dutch address as the population register (BRP) holds it.
#[derive(Clone, PartialEq, Eq)]
pub struct Address {
    pub straat: String,
    pub huisnummer: u32,
    pub huisletter: Option<char>,
    pub toevoeging: Option<String>,
    pub postcode: Postcode,
    pub woonplaats: String,
}

impl Address {
    pub fn new(
        straat: &str,
        huisnummer: &str,
        huisletter: &str,
        toevoeging: &str,
        postcode: &str,
        woonplaats: &str,
    ) -> Result<Self, ValidationError> {
        Ok(Address {
            straat: text("straat", straat, 200)?,
            huisnummer: parse_huisnummer(huisnummer)?,
            huisletter: parse_huisletter(huisletter)?,
            toevoeging: optional_text("toevoeging", toevoeging, 4)?,
            postcode: Postcode::parse(postcode)?,
            woonplaats: text("woonplaats", woonplaats, 80)?,
        })
    }

    /// "Dorpsstraat 12A-2".
    pub fn street_line(&self) -> String {
        let mut s = format!("{} {}", self.straat, self.huisnummer);
        if let Some(l) = self.huisletter {
            s.push(l);
        }
        if let Some(t) = &self.toevoeging {
            s.push('-');
            s.push_str(t);
        }
        s
    }
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Address(<hidden>)")
    }
}

/// House numbers run from 1 to 99999 in the BAG.
pub fn parse_huisnummer(input: &str) -> Result<u32, ValidationError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(ValidationError::new("huisnummer", Problem::Empty));
    }
    let n: u32 = s
        .parse()
        .map_err(|_| ValidationError::new("huisnummer", Problem::NotDigits))?;
    if !(1..=99_999).contains(&n) {
        return Err(ValidationError::new(
            "huisnummer",
            Problem::OutOfRange {
                min: 1,
                max: 99_999,
            },
        ));
    }
    Ok(n)
}

fn parse_huisletter(input: &str) -> Result<Option<char>, ValidationError> {
    let s = input.trim();
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (None, _) => Ok(None),
        (Some(c), None) if c.is_ascii_alphabetic() => Ok(Some(c.to_ascii_uppercase())),
        _ => Err(ValidationError::new(
            "huisletter",
            Problem::InvalidCharacters,
        )),
    }
}

/// Parses an ISO date (YYYY-MM-DD) that may not lie after `today` nor more
/// than 130 years before it.
pub fn parse_past_date(
    field: &'static str,
    input: &str,
    today: Date,
) -> Result<Date, ValidationError> {
    let date = parse_date(field, input)?;
    if date > today {
        return Err(ValidationError::new(field, Problem::InFuture));
    }
    if today.year() - date.year() > 130 {
        return Err(ValidationError::new(field, Problem::TooOld));
    }
    Ok(date)
}

/// Parses an ISO date (YYYY-MM-DD).
pub fn parse_date(field: &'static str, input: &str) -> Result<Date, ValidationError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(ValidationError::new(field, Problem::Empty));
    }
    iso_date(s).ok_or_else(|| ValidationError::new(field, Problem::NotADate))
}

/// Exactly YYYY-MM-DD, by hand: imports parse millions of dates, and this
/// is several times faster than a general format description.
fn iso_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| {
        b[range].iter().try_fold(0u16, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u16::from(d - b'0'))
        })
    };
    let month = time::Month::try_from(u8::try_from(number(5..7)?).ok()?).ok()?;
    let day = u8::try_from(number(8..10)?).ok()?;
    Date::from_calendar_date(i32::from(number(0..4)?), month, day).ok()
}

/// The Dutch month names, January first.
pub const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// "20 maart 1933": a date in words, for residents.
pub fn long_date_nl(date: Date) -> String {
    let month = MONTHS_NL[usize::from(date.month() as u8) - 1];
    format!("{} {month} {}", date.day(), date.year())
}

/// Formats a date as YYYY-MM-DD (the inverse of [`parse_date`]).
pub fn format_date(date: Date) -> String {
    let (year, month, day) = (date.year(), date.month() as u8, date.day());
    if !(0..=9999).contains(&year) {
        return format!("{year:04}-{month:02}-{day:02}");
    }
    let digits = |n: u32, width: u32| (0..width).rev().map(move |i| (n / 10u32.pow(i)) % 10);
    let mut out = String::with_capacity(10);
    for (i, d) in digits(year as u32, 4)
        .chain(digits(u32::from(month), 2))
        .chain(digits(u32::from(day), 2))
        .enumerate()
    {
        if i == 4 || i == 6 {
            out.push('-');
        }
        out.push(char::from(b'0' + d as u8));
    }
    out
}

/// Age in whole years on `on`.
pub fn age_on(birth: Date, on: Date) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month() as u8, on.day()) < (birth.month() as u8, birth.day()) {
        age -= 1;
    }
    age
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn names_format_the_dutch_way() {
        let n = PersonName::new("Jan Pieter", "de", "Vries").unwrap();
        assert_eq!(n.formal(), "J.P. de Vries");
        assert_eq!(n.informal(), "Jan de Vries");
        assert_eq!(PersonName::new("", "", "X").unwrap_err().field, "voornamen");
        assert!(!format!("{n:?}").contains("Vries"));
    }

    #[test]
    fn addresses_validate_each_part() {
        let a = Address::new("Dorpsstraat", "12", "a", "2", "1234ab", "Wegwijzerveen").unwrap();
        assert_eq!(a.street_line(), "Dorpsstraat 12A-2");
        let e = Address::new("Dorpsstraat", "0", "", "", "1234AB", "X").unwrap_err();
        assert_eq!(
            (e.field, e.problem),
            (
                "huisnummer",
                Problem::OutOfRange {
                    min: 1,
                    max: 99_999
                }
            )
        );
        let e = Address::new("Dorpsstraat", "1", "", "", "12", "X").unwrap_err();
        assert_eq!(e.field, "postcode");
    }

    #[test]
    fn dates() {
        let today = date!(2026 - 11 - 22);
        assert_eq!(
            parse_past_date("geboortedatum", "1980-05-31", today),
            Ok(date!(1980 - 05 - 31))
        );
        assert_eq!(
            parse_past_date("geboortedatum", "2027-01-01", today)
                .unwrap_err()
                .problem,
            Problem::InFuture
        );
        assert_eq!(
            parse_past_date("geboortedatum", "1850-01-01", today)
                .unwrap_err()
                .problem,
            Problem::TooOld
        );
        assert_eq!(
            parse_date("geboortedatum", "31-05-1980")
                .unwrap_err()
                .problem,
            Problem::NotADate
        );
        assert_eq!(
            parse_date("geboortedatum", "2025-02-29")
                .unwrap_err()
                .problem,
            Problem::NotADate
        );
        assert_eq!(age_on(date!(1980 - 05 - 31), date!(2026 - 05 - 30)), 45);
        assert_eq!(age_on(date!(1980 - 05 - 31), date!(2026 - 05 - 31)), 46);
    }

    proptest! {
        #[test]
        fn date_round_trips(days in 0i32..60_000) {
            let d = date!(1900 - 01 - 01) + time::Duration::days(days as i64);
            prop_assert_eq!(parse_date("d", &format_date(d)), Ok(d));
        }

        /// The hand parser accepts exactly what the general one does.
        #[test]
        fn dates_parse_like_the_time_crate(s in "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9+-]{8,11}") {
            let general = Date::parse(&s, time::macros::format_description!("[year]-[month]-[day]")).ok();
            prop_assert_eq!(parse_date("d", &s).ok(), general);
        }
    }
}
