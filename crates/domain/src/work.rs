//! Work an organisation does for a resident. Open work is what gives a
//! caseworker a reason to see a resident's data (see [`crate::policy`]).

use crate::error::{Problem, ValidationError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WorkKind {
    /// The resident asked for help.
    Aanmelding,
    /// An arrears signal from a creditor (Wgs vroegsignalering).
    Signaal,
    /// Another organisation handed the resident over (no wrong door).
    Doorverwijzing,
    /// A rules scan found support the household probably has a right to
    /// but does not receive (proactive outreach).
    MogelijkRecht,
}

impl WorkKind {
    pub const ALL: [WorkKind; 4] = [
        WorkKind::Aanmelding,
        WorkKind::Signaal,
        WorkKind::Doorverwijzing,
        WorkKind::MogelijkRecht,
    ];

    pub fn code(self) -> &'static str {
        match self {
            WorkKind::Aanmelding => "aanmelding",
            WorkKind::Signaal => "signaal",
            WorkKind::Doorverwijzing => "doorverwijzing",
            WorkKind::MogelijkRecht => "mogelijk-recht",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or(ValidationError::new("soort werk", Problem::UnknownCode))
    }
}

/// Support a household probably has a right to but does not receive, as a
/// rules scan calculated it on `found_on`: what a caseworker offers when
/// they take the work up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntitlementLead {
    /// The household's referent: the work is about them.
    pub resident: crate::ResidentId,
    /// The law's `$id`, and its name as people know it.
    pub law: String,
    pub law_name: String,
    /// What the household would get a year, when the law says an amount.
    pub cents_per_year: Option<i64>,
    /// `None` when the register cannot show whether it is received already.
    pub voorziening: Option<crate::Voorziening>,
}
