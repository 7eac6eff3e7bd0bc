//! A municipality's outreach plan: which contact to try on which day after
//! a signal comes in. Wegwijs turns due steps into caseworkers' tasks.

use super::kinds::ContactKind;
use crate::error::{Problem, ValidationError};
use serde::{Deserialize, Serialize};
use time::{Date, Duration};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutreachStep {
    /// Days after the case opened.
    pub day: u16,
    /// Stored as the contact kind's code.
    #[serde(with = "contact_code")]
    pub kind: ContactKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutreachPlan {
    pub steps: Vec<OutreachStep>,
    /// Leave a card when a home visit finds nobody in.
    pub card_when_not_home: bool,
}

/// Outreach stops at this many days: a plan is about the first weeks.
pub const MAX_DAY: u16 = 90;
pub const MAX_STEPS: usize = 10;

impl Default for OutreachPlan {
    /// Letter at once, phone call on day 3, home visit on day 10, with a
    /// card when nobody is home: a letter alone reaches few people.
    fn default() -> Self {
        OutreachPlan {
            steps: vec![
                OutreachStep {
                    day: 0,
                    kind: ContactKind::Brief,
                },
                OutreachStep {
                    day: 3,
                    kind: ContactKind::Telefoon,
                },
                OutreachStep {
                    day: 10,
                    kind: ContactKind::Huisbezoek,
                },
            ],
            card_when_not_home: true,
        }
    }
}

impl OutreachPlan {
    /// A plan from steps as an admin enters them; sorted by day.
    pub fn new(
        mut steps: Vec<OutreachStep>,
        card_when_not_home: bool,
    ) -> Result<Self, ValidationError> {
        if steps.is_empty() {
            return Err(ValidationError::new("stappen", Problem::Empty));
        }
        if steps.len() > MAX_STEPS {
            return Err(ValidationError::new(
                "stappen",
                Problem::OutOfRange {
                    min: 1,
                    max: MAX_STEPS as i64,
                },
            ));
        }
        if steps.iter().any(|s| s.day > MAX_DAY) {
            return Err(ValidationError::new(
                "dag",
                Problem::OutOfRange {
                    min: 0,
                    max: MAX_DAY as i64,
                },
            ));
        }
        if steps.iter().any(|s| s.kind == ContactKind::Administratief) {
            return Err(ValidationError::new("soort", Problem::UnknownCode));
        }
        steps.sort_by_key(|s| s.day);
        Ok(OutreachPlan {
            steps,
            card_when_not_home,
        })
    }

    /// The steps whose day has come by `today`, for a case opened on
    /// `opened`, with their due dates; `index` identifies the step.
    pub fn due(&self, opened: Date, today: Date) -> Vec<(usize, OutreachStep, Date)> {
        self.steps
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let due = opened.checked_add(Duration::days(i64::from(s.day)))?;
                (due <= today).then_some((i, *s, due))
            })
            .collect()
    }
}

mod contact_code {
    use super::ContactKind;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(k: &ContactKind, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(k.code())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ContactKind, D::Error> {
        let code = String::deserialize(d)?;
        ContactKind::from_code(&code).ok_or_else(|| D::Error::custom("unknown contact kind"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn steps_come_due_by_day() {
        let plan = OutreachPlan::default();
        let opened = date!(2026 - 11 - 10);
        assert_eq!(plan.due(opened, date!(2026 - 11 - 10)).len(), 1);
        let due = plan.due(opened, date!(2026 - 11 - 14));
        assert_eq!(due.len(), 2);
        assert_eq!(due[1], (1, plan.steps[1], date!(2026 - 11 - 13)));
        assert_eq!(plan.due(opened, date!(2026 - 12 - 31)).len(), 3);
    }

    #[test]
    fn plans_are_checked() {
        let step = |day, kind| OutreachStep { day, kind };
        assert!(OutreachPlan::new(vec![], true).is_err());
        assert!(OutreachPlan::new(vec![step(91, ContactKind::Brief)], true).is_err());
        assert!(OutreachPlan::new(vec![step(1, ContactKind::Administratief)], true).is_err());
        let p = OutreachPlan::new(
            vec![step(7, ContactKind::Huisbezoek), step(0, ContactKind::Sms)],
            false,
        )
        .unwrap();
        assert_eq!(p.steps[0].kind, ContactKind::Sms);
    }
}
