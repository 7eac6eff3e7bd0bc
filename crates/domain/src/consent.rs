//! What a resident allows (Toestemmingen): sharing their data with other
//! organisations, being approached proactively, the channels to use, and
//! "liever niet benaderd" for a while. Each choice is recorded with the
//! version of the text that explained it, and takes effect at once.

use crate::error::{Problem, ValidationError};
use crate::signal::kinds::ContactKind;
use time::{Date, Month};

/// The version of the texts that explain the consents. A changed text gets
/// a new version; every choice keeps the version it was made on.
pub const TEXT_VERSION: &str = "2026-11";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    /// Share my data with schuldhulpverlening.
    DelenSchuldhulp,
    /// Share my data with UWV, to help me together.
    DelenUwv,
    /// The municipality may contact me on its own initiative.
    ProactiefBenaderen,
    Brief,
    Telefoon,
    Email,
    Sms,
    Huisbezoek,
}

impl Topic {
    pub const ALL: [Topic; 8] = [
        Topic::DelenSchuldhulp,
        Topic::DelenUwv,
        Topic::ProactiefBenaderen,
        Topic::Brief,
        Topic::Telefoon,
        Topic::Email,
        Topic::Sms,
        Topic::Huisbezoek,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Topic::DelenSchuldhulp => "delen-schuldhulp",
            Topic::DelenUwv => "delen-uwv",
            Topic::ProactiefBenaderen => "proactief-benaderen",
            Topic::Brief => "kanaal-brief",
            Topic::Telefoon => "kanaal-telefoon",
            Topic::Email => "kanaal-email",
            Topic::Sms => "kanaal-sms",
            Topic::Huisbezoek => "kanaal-huisbezoek",
        }
    }

    pub fn from_code(code: &str) -> Result<Topic, ValidationError> {
        Topic::ALL
            .into_iter()
            .find(|t| t.code() == code)
            .ok_or(ValidationError::new("toestemming", Problem::UnknownCode))
    }

    /// What holds while the resident has chosen nothing. Sharing needs a
    /// yes; contact on the municipality's initiative is its legal task
    /// (early help with arrears), which the resident can refuse; a letter,
    /// a call and a visit are the usual channels, e-mail and SMS need an
    /// address the resident gives.
    pub fn default_given(self) -> bool {
        matches!(
            self,
            Topic::ProactiefBenaderen | Topic::Brief | Topic::Telefoon | Topic::Huisbezoek
        )
    }

    pub fn is_channel(self) -> bool {
        matches!(
            self,
            Topic::Brief | Topic::Telefoon | Topic::Email | Topic::Sms | Topic::Huisbezoek
        )
    }
}

/// The channel consent that covers an outreach step of this kind; a card
/// is left at the door on a visit. Other kinds need no channel consent.
pub fn channel_of(kind: ContactKind) -> Option<Topic> {
    match kind {
        ContactKind::Brief => Some(Topic::Brief),
        ContactKind::Telefoon => Some(Topic::Telefoon),
        ContactKind::Mail => Some(Topic::Email),
        ContactKind::Sms => Some(Topic::Sms),
        ContactKind::Huisbezoek | ContactKind::Kaartje => Some(Topic::Huisbezoek),
        ContactKind::Overige | ContactKind::Administratief => None,
    }
}

/// How long "liever niet benaderd" can last, in months.
pub const PAUSE_MONTHS: [u8; 3] = [3, 6, 12];

/// The last day of a pause of `months` months from `today`; the months
/// must be one of [`PAUSE_MONTHS`].
pub fn pause_until(today: Date, months: &str) -> Result<Date, ValidationError> {
    let problem = ValidationError::new("periode", Problem::UnknownCode);
    let months: u8 = months.trim().parse().map_err(|_| problem.clone())?;
    if !PAUSE_MONTHS.contains(&months) {
        return Err(problem);
    }
    let total = today.year() * 12 + i32::from(today.month() as u8 - 1) + i32::from(months);
    let (year, month) = (total.div_euclid(12), total.rem_euclid(12) as u8 + 1);
    let month = Month::try_from(month).map_err(|_| problem.clone())?;
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, today.day().min(last)).map_err(|_| problem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn codes_round_trip_and_unknown_ones_are_refused() {
        for t in Topic::ALL {
            assert_eq!(Topic::from_code(t.code()), Ok(t));
        }
        assert_eq!(
            Topic::from_code("alles").unwrap_err().problem,
            Problem::UnknownCode
        );
        assert!(!Topic::DelenSchuldhulp.default_given());
        assert!(Topic::ProactiefBenaderen.default_given());
    }

    #[test]
    fn a_pause_lasts_whole_months_to_a_real_day() {
        assert_eq!(
            pause_until(date!(2026 - 11 - 23), "3"),
            Ok(date!(2027 - 02 - 23))
        );
        assert_eq!(
            pause_until(date!(2026 - 08 - 31), "6"),
            Ok(date!(2027 - 02 - 28))
        );
        assert_eq!(
            pause_until(date!(2026 - 01 - 15), "12"),
            Ok(date!(2027 - 01 - 15))
        );
        for bad in ["", "4", "twaalf", "-3"] {
            assert_eq!(
                pause_until(date!(2026 - 11 - 23), bad).unwrap_err().field,
                "periode"
            );
        }
    }
}
