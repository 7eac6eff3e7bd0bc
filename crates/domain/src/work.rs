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
}

impl WorkKind {
    pub const ALL: [WorkKind; 3] = [
        WorkKind::Aanmelding,
        WorkKind::Signaal,
        WorkKind::Doorverwijzing,
    ];

    pub fn code(self) -> &'static str {
        match self {
            WorkKind::Aanmelding => "aanmelding",
            WorkKind::Signaal => "signaal",
            WorkKind::Doorverwijzing => "doorverwijzing",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or(ValidationError::new("soort werk", Problem::UnknownCode))
    }
}
