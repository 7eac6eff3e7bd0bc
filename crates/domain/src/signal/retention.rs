//! How long signals are kept (Wgs: no longer than needed). Each
//! municipality sets the terms; the daily job deletes what has expired.

use crate::error::{Problem, ValidationError};
use serde::{Deserialize, Serialize};
use time::{Date, Month};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retention {
    /// Signals that were never picked up: months after they came in.
    pub not_picked_up_months: u16,
    /// Picked-up signals: months after their case ended.
    pub after_case_months: u16,
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            not_picked_up_months: 6,
            after_case_months: 12,
        }
    }
}

impl Retention {
    pub fn new(not_picked_up_months: u16, after_case_months: u16) -> Result<Self, ValidationError> {
        for (field, months) in [
            ("niet-opgepakt", not_picked_up_months),
            ("na-afsluiting", after_case_months),
        ] {
            if !(1..=60).contains(&months) {
                return Err(ValidationError::new(
                    field,
                    Problem::OutOfRange { min: 1, max: 60 },
                ));
            }
        }
        Ok(Retention {
            not_picked_up_months,
            after_case_months,
        })
    }

    /// Signals not picked up that came in before this date are due.
    pub fn not_picked_up_cutoff(self, today: Date) -> Date {
        months_before(today, self.not_picked_up_months)
    }

    /// Cases that ended before this date are due, with their signals.
    pub fn after_case_cutoff(self, today: Date) -> Date {
        months_before(today, self.after_case_months)
    }
}

/// The same day `months` earlier, or the month's last day when it has
/// fewer days (31 August minus 6 months is 28 or 29 February).
pub fn months_before(date: Date, months: u16) -> Date {
    add_months(date, -i32::from(months))
}

/// The same day `months` later (or earlier, when negative), or the month's
/// last day when it has fewer days.
pub fn add_months(date: Date, months: i32) -> Date {
    let total = date.year() * 12 + (date.month() as i32 - 1) + months;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
    let month = Month::try_from(month0 as u8 + 1).unwrap_or(Month::January);
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn terms_count_calendar_months() {
        let r = Retention::default();
        assert_eq!(
            r.not_picked_up_cutoff(date!(2026 - 11 - 22)),
            date!(2026 - 05 - 22)
        );
        assert_eq!(
            r.after_case_cutoff(date!(2026 - 11 - 22)),
            date!(2025 - 11 - 22)
        );
        assert_eq!(
            months_before(date!(2026 - 08 - 31), 6),
            date!(2026 - 02 - 28)
        );
        assert_eq!(
            months_before(date!(2026 - 01 - 15), 1),
            date!(2025 - 12 - 15)
        );
        assert!(Retention::new(0, 12).is_err());
        assert!(Retention::new(6, 61).is_err());
    }
}
