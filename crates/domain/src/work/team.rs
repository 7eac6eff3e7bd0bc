//! Teams: the groups of staff within an organisation that work is routed
//! to. An admin keeps them; a staff member may be in several.

use super::WorkKind;
use crate::error::{Problem, ValidationError};
use crate::help::ANSWER_DAYS_MAX;

/// A team's name: 2 to 80 characters, as people in the organisation say it.
pub fn parse_team_name(input: &str) -> Result<String, ValidationError> {
    let name = crate::person::text("teamnaam", input, 80)?;
    if name.chars().count() < 2 {
        return Err(ValidationError::new(
            "teamnaam",
            Problem::TooShort { min: 2 },
        ));
    }
    Ok(name)
}

/// Which team gets new work of a kind that no topic routes, and within
/// how many working days it is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindRoute {
    pub kind: WorkKind,
    pub team: i64,
    pub answer_days: i64,
}

impl KindRoute {
    /// A line as an admin chose it; every problem names its field.
    pub fn validate(
        kind: WorkKind,
        team: &str,
        answer_days: &str,
    ) -> Result<KindRoute, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let team = match team.trim().parse::<i64>() {
            Ok(t) => Some(t),
            Err(_) => {
                errors.push(ValidationError::new("team", Problem::NotChosen));
                None
            }
        };
        let days = crate::help::parse_answer_days(answer_days)
            .map_err(|e| errors.push(e))
            .ok();
        match (team, days) {
            (Some(team), Some(answer_days)) if errors.is_empty() => Ok(KindRoute {
                kind,
                team,
                answer_days,
            }),
            _ => Err(errors),
        }
    }
}

/// Working days within which new work is due when no route says.
pub const DEFAULT_ANSWER_DAYS: i64 = 10;

const _: () = assert!(DEFAULT_ANSWER_DAYS <= ANSWER_DAYS_MAX);
