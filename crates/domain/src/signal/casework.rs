//! What a caseworker records on a signal case (vroegsignaalzaak): contact
//! attempts and the end result, checked before anything is stored.

use super::kinds::{ContactKind, Dagdeel, EndResult};
use crate::error::{Problem, ValidationError};
use crate::person::parse_date;
use crate::signal::retention::add_months;
use time::Date;

/// An objection lasts at most this long; then the resident may be
/// approached again if new arrears are signalled.
pub const MAX_OBJECTION_MONTHS: u16 = 24;

/// One try to reach the household (DDAS Contactpoging).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContactAttempt {
    pub kind: ContactKind,
    pub on: Date,
    pub dagdeel: Dagdeel,
    pub reached: bool,
}

impl ContactAttempt {
    /// Checks an attempt as a caseworker entered it: a known kind and
    /// dagdeel, a date from the day the case opened up to today, and
    /// whether the resident was reached. All problems are returned at once.
    pub fn new(
        kind: &str,
        on: &str,
        dagdeel: &str,
        reached: &str,
        opened: Date,
        today: Date,
    ) -> Result<Self, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let kind = ContactKind::parse("soort", kind).map_err(|e| errors.push(e));
        let on = parse_date("datum", on)
            .and_then(|d| check_between(d, opened, today))
            .map_err(|e| errors.push(e));
        let dagdeel = Dagdeel::parse("dagdeel", dagdeel).map_err(|e| errors.push(e));
        let reached = match reached {
            "ja" => Ok(true),
            "nee" => Ok(false),
            "" => Err(ValidationError::new("bereikt", Problem::Empty)),
            _ => Err(ValidationError::new("bereikt", Problem::NotYesNo)),
        }
        .map_err(|e| errors.push(e));
        match (kind, on, dagdeel, reached) {
            (Ok(kind), Ok(on), Ok(dagdeel), Ok(reached)) => Ok(ContactAttempt {
                kind,
                on,
                dagdeel,
                reached,
            }),
            _ => Err(errors),
        }
    }
}

fn check_between(d: Date, opened: Date, today: Date) -> Result<Date, ValidationError> {
    if d > today {
        Err(ValidationError::new("datum", Problem::InFuture))
    } else if d < opened {
        Err(ValidationError::new("datum", Problem::BeforeCaseOpened))
    } else {
        Ok(d)
    }
}

/// How a case ends, and whether the resident asked not to be approached
/// again on these arrears (and until when).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Closing {
    pub result: EndResult,
    pub objection_until: Option<Date>,
}

impl Closing {
    /// `objection` is the form's checkbox; `until` its end date. Only a
    /// resident who wants no help can object.
    pub fn new(
        result: &str,
        objection: bool,
        until: &str,
        today: Date,
    ) -> Result<Self, Vec<ValidationError>> {
        let result = EndResult::parse("resultaat", result).map_err(|e| vec![e])?;
        if !objection {
            return Ok(Closing {
                result,
                objection_until: None,
            });
        }
        if result != EndResult::GeenHulpNodig {
            return Err(vec![ValidationError::new(
                "bezwaar",
                Problem::NotWithThisResult,
            )]);
        }
        let until = parse_date("tot", until).map_err(|e| vec![e])?;
        let latest = add_months(today, i32::from(MAX_OBJECTION_MONTHS));
        if until <= today {
            return Err(vec![ValidationError::new("tot", Problem::NotAfterToday)]);
        }
        if until > latest {
            return Err(vec![ValidationError::new(
                "tot",
                Problem::TooFarAhead {
                    months: i64::from(MAX_OBJECTION_MONTHS),
                },
            )]);
        }
        Ok(Closing {
            result,
            objection_until: Some(until),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const OPENED: Date = date!(2026 - 11 - 02);
    const TODAY: Date = date!(2026 - 11 - 20);

    #[test]
    fn an_attempt_is_checked_whole() {
        let a =
            ContactAttempt::new("telefoon", "2026-11-05", "ochtend", "nee", OPENED, TODAY).unwrap();
        assert_eq!(a.kind, ContactKind::Telefoon);
        assert!(!a.reached);
        let e =
            ContactAttempt::new("fax", "2026-11-21", "", "misschien", OPENED, TODAY).unwrap_err();
        let got: Vec<(&str, &str)> = e.iter().map(|e| (e.field, e.problem.code())).collect();
        assert_eq!(
            got,
            [
                ("soort", "unknown-code"),
                ("datum", "in-future"),
                ("dagdeel", "empty"),
                ("bereikt", "not-yes-no")
            ]
        );
        let e =
            ContactAttempt::new("brief", "2026-11-01", "avond", "ja", OPENED, TODAY).unwrap_err();
        assert_eq!(e[0].problem, Problem::BeforeCaseOpened);
    }

    #[test]
    fn only_a_refusal_of_help_can_carry_an_objection() {
        let c = Closing::new("geen-hulp-nodig", true, "2027-05-20", TODAY).unwrap();
        assert_eq!(c.objection_until, Some(date!(2027 - 05 - 20)));
        let c = Closing::new("advies", false, "", TODAY).unwrap();
        assert_eq!(c.objection_until, None);
        let e = Closing::new("advies", true, "2027-05-20", TODAY).unwrap_err();
        assert_eq!(e[0].problem, Problem::NotWithThisResult);
        let e = Closing::new("geen-hulp-nodig", true, "2026-11-20", TODAY).unwrap_err();
        assert_eq!(e[0].problem, Problem::NotAfterToday);
        let e = Closing::new("geen-hulp-nodig", true, "2029-01-01", TODAY).unwrap_err();
        assert_eq!(e[0].field, "tot");
        assert!(Closing::new("", false, "", TODAY).is_err());
    }
}
