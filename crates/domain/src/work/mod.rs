//! Work an organisation does for a resident. Open work is what gives a
//! caseworker a reason to see a resident's data (see [`crate::policy`]);
//! every kind of work is a line in the one worklist, belongs to a team
//! and, once taken, to a person, and has the actions that finish it.

use crate::error::{Problem, ValidationError};

mod list;
mod team;
pub use list::*;
pub use team::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WorkKind {
    /// A household's arrears signals (Wgs vroegsignalering): the case.
    Signaal,
    /// The resident asked a question or asked to apply or be called.
    Hulpvraag,
    /// The resident booked an appointment.
    Afspraak,
    /// The resident sent the preparation for their appointment.
    Voorbereiding,
    /// A rules scan found support the household probably has a right to
    /// but does not receive (proactive outreach).
    MogelijkRecht,
    /// Another organisation handed the resident over (no wrong door).
    Doorverwijzing,
    /// Help after a signal case the household accepted.
    Traject,
}

impl WorkKind {
    pub const ALL: [WorkKind; 7] = [
        WorkKind::Signaal,
        WorkKind::Hulpvraag,
        WorkKind::Afspraak,
        WorkKind::Voorbereiding,
        WorkKind::MogelijkRecht,
        WorkKind::Doorverwijzing,
        WorkKind::Traject,
    ];

    pub fn code(self) -> &'static str {
        match self {
            WorkKind::Signaal => "signaal",
            WorkKind::Hulpvraag => "hulpvraag",
            WorkKind::Afspraak => "afspraak",
            WorkKind::Voorbereiding => "voorbereiding",
            WorkKind::MogelijkRecht => "mogelijk-recht",
            WorkKind::Doorverwijzing => "doorverwijzing",
            WorkKind::Traject => "traject",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or(ValidationError::new("soort werk", Problem::UnknownCode))
    }

    /// The outcomes a caseworker picks in the worklist to finish work of
    /// this kind. A signal case ends with its DDAS end result on the case
    /// page, a request with an answer on the resident's page: there the
    /// list links instead.
    pub fn outcomes(self) -> &'static [Outcome] {
        use Outcome::*;
        match self {
            WorkKind::MogelijkRecht => &[Aangeboden, Aangevraagd, GeenRecht, WilNiet],
            WorkKind::Doorverwijzing => &[Afgerond, Teruggestuurd],
            WorkKind::Afspraak => &[Gehouden, NietGekomen],
            WorkKind::Voorbereiding => &[Bekeken],
            WorkKind::Traject => &[Afgerond],
            WorkKind::Signaal | WorkKind::Hulpvraag => &[],
        }
    }

    /// Whether work of this kind is given to a team by the organisation's
    /// own table (by kind); requests and appointments follow the routing
    /// table of their topic instead.
    pub fn routed_by_kind(self) -> bool {
        !matches!(
            self,
            WorkKind::Hulpvraag | WorkKind::Afspraak | WorkKind::Voorbereiding
        )
    }
}

/// Where open work stands. Done work is closed with an [`Outcome`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Nobody has taken it up.
    Nieuw,
    InBehandeling,
    /// The next step is the resident's (a document, an answer, a choice).
    WachtOpInwoner,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Nieuw, Stage::InBehandeling, Stage::WachtOpInwoner];

    pub fn code(self) -> &'static str {
        match self {
            Stage::Nieuw => "nieuw",
            Stage::InBehandeling => "in-behandeling",
            Stage::WachtOpInwoner => "wacht-op-inwoner",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or(ValidationError::new("status", Problem::UnknownCode))
    }
}

/// How work ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// A lead: the support was offered to the household.
    Aangeboden,
    /// A lead: the household applied (with help).
    Aangevraagd,
    /// A lead: on a closer look the household has no right to it.
    GeenRecht,
    /// A lead: the resident does not want it.
    WilNiet,
    /// A referral: sent back to the organisation that sent it.
    Teruggestuurd,
    /// An appointment took place.
    Gehouden,
    /// The resident did not come (and did not cancel).
    NietGekomen,
    /// A preparation was read before the appointment.
    Bekeken,
    /// The work is done.
    Afgerond,
    /// Closed from its own page: a signal case's end result, a request's
    /// last answer, a cancelled appointment.
    Elders,
}

impl Outcome {
    pub const ALL: [Outcome; 10] = [
        Outcome::Aangeboden,
        Outcome::Aangevraagd,
        Outcome::GeenRecht,
        Outcome::WilNiet,
        Outcome::Teruggestuurd,
        Outcome::Gehouden,
        Outcome::NietGekomen,
        Outcome::Bekeken,
        Outcome::Afgerond,
        Outcome::Elders,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Outcome::Aangeboden => "aangeboden",
            Outcome::Aangevraagd => "aangevraagd",
            Outcome::GeenRecht => "geen-recht",
            Outcome::WilNiet => "wil-niet",
            Outcome::Teruggestuurd => "teruggestuurd",
            Outcome::Gehouden => "gehouden",
            Outcome::NietGekomen => "niet-gekomen",
            Outcome::Bekeken => "bekeken",
            Outcome::Afgerond => "afgerond",
            Outcome::Elders => "elders",
        }
    }

    /// The outcome a caseworker chose for work of `kind`; one the kind
    /// does not offer is refused, naming the field.
    pub fn for_kind(kind: WorkKind, code: &str) -> Result<Self, ValidationError> {
        if code.trim().is_empty() {
            return Err(ValidationError::new("uitkomst", Problem::NotChosen));
        }
        kind.outcomes()
            .iter()
            .copied()
            .find(|o| o.code() == code)
            .ok_or(ValidationError::new("uitkomst", Problem::UnknownCode))
    }

    /// Sending work back needs its reason, for whoever sent it.
    pub fn needs_reason(self) -> bool {
        self == Outcome::Teruggestuurd
    }
}

/// The longest reason a caseworker gives with an outcome.
pub const REASON_MAX: usize = 500;

/// An outcome with its reason, as typed; every problem names its field.
pub fn finishing(
    kind: WorkKind,
    outcome: &str,
    reason: &str,
) -> Result<(Outcome, String), Vec<ValidationError>> {
    let mut errors = Vec::new();
    let outcome = Outcome::for_kind(kind, outcome)
        .map_err(|e| errors.push(e))
        .ok();
    let reason = reason.trim();
    if reason.chars().count() > REASON_MAX {
        errors.push(ValidationError::new(
            "reden",
            Problem::TooLong { max: REASON_MAX },
        ));
    }
    match outcome {
        Some(o) if o.needs_reason() && reason.is_empty() => {
            errors.push(ValidationError::new("reden", Problem::Empty));
            Err(errors)
        }
        Some(o) if errors.is_empty() => Ok((o, reason.to_string())),
        _ => Err(errors),
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

#[cfg(test)]
mod tests;
