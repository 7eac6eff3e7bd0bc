//! The one place that decides who may do what. Every route and every read of
//! personal data asks this module; nothing else encodes access rules.

use crate::org::Role;
use crate::resident::ResidentId;

mod fields;
mod items;
mod login;
mod work;
pub use fields::*;
pub use items::*;
pub use login::*;
pub use work::*;

/// A logged-in staff member, always acting for exactly one organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Staff {
    pub user_id: i64,
    pub org_id: i64,
    pub role: Role,
}

/// Who is acting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    Staff(Staff),
    Resident(ResidentId),
    /// A command or background job, named for the audit log.
    System(&'static str),
}

/// Why personal data is read or written; every audit entry has one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Helping the resident as part of an organisation's work (a case).
    Casework,
    /// The resident looks at their own data.
    OwnView,
    /// Loading the population register extract.
    RegisterImport,
    /// Managing staff accounts (no resident data involved).
    Administration,
    /// Picking a made-up resident at the demo login; demo mode only.
    DemoLogin,
    /// Receiving, checking and linking creditors' arrears signals (Wgs).
    SignalIntake,
    /// Deleting data whose retention term has passed.
    Retention,
    /// The municipality's report to CBS (DDAS), as the law requires.
    Statistics,
    /// Finding residents who are probably entitled to support they do not
    /// receive (the rules scan), so the municipality can offer it.
    ProactiveOutreach,
    /// The resident changes their own choices (consents).
    OwnChoice,
    /// A professional looks at their own work (the self-assessment).
    Reflection,
    /// The privacy officer checks who read what, and why (an AVG request,
    /// a check, an incident, a complaint).
    Oversight,
}

impl Purpose {
    pub const ALL: [Purpose; 12] = [
        Purpose::Casework,
        Purpose::OwnView,
        Purpose::OwnChoice,
        Purpose::RegisterImport,
        Purpose::Administration,
        Purpose::DemoLogin,
        Purpose::SignalIntake,
        Purpose::Retention,
        Purpose::Statistics,
        Purpose::ProactiveOutreach,
        Purpose::Reflection,
        Purpose::Oversight,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Purpose::Casework => "dienstverlening",
            Purpose::OwnView => "inzage-eigen-gegevens",
            Purpose::OwnChoice => "eigen-keuze",
            Purpose::RegisterImport => "registratie-import",
            Purpose::Administration => "beheer",
            Purpose::DemoLogin => "demo-inlog",
            Purpose::SignalIntake => "signaal-ontvangst",
            Purpose::Retention => "bewaartermijn",
            Purpose::Statistics => "verantwoording-cbs",
            Purpose::ProactiveOutreach => "proactieve-dienstverlening",
            Purpose::Reflection => "zelfreflectie",
            Purpose::Oversight => "toezicht-privacy",
        }
    }
}

/// Things a person can do that are not about one resident's data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Capability {
    /// The caseworker's list of open work.
    Worklist,
    /// Figures about the team's work, without personal data.
    TeamOverview,
    /// Create, change and block staff accounts of the own organisation.
    ManageUsers,
    /// Read and verify the audit log of the own organisation.
    AuditLog,
    /// The resident's own portal.
    ResidentPortal,
    /// A municipality's signal intake settings: outreach plan, retention,
    /// partner API tokens, quarantined rows.
    SignalAdmin,
    /// Check a text for plain language (the schrijfhulp): every staff
    /// member writes to residents; the text is not stored.
    CheckText,
    /// The Drempels slechten self-assessment: one's own answers and
    /// results, and the team rounds one is a member of.
    SelfAssessment,
    /// Open and close the team's self-assessment rounds and see their
    /// aggregates (never a member's own answers).
    TeamRounds,
    /// Keep the self-assessment instrument: edit texts, add statements.
    InstrumentAdmin,
}

/// Why access was refused. Recorded in the audit log for refused reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Denied {
    #[error("this role may not do this")]
    Role,
    #[error("no open work of the actor's organisation concerns this resident")]
    NoWorkRelation,
    #[error("a resident may only see their own data")]
    NotOwnData,
    #[error("this purpose does not fit this actor")]
    Purpose,
    #[error("a resident under 16 does not decide this")]
    Age,
}

impl Denied {
    pub const ALL: [Denied; 5] = [
        Denied::Role,
        Denied::NoWorkRelation,
        Denied::NotOwnData,
        Denied::Purpose,
        Denied::Age,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Denied::Role => "rol",
            Denied::NoWorkRelation => "geen-werkrelatie",
            Denied::NotOwnData => "niet-eigen-gegevens",
            Denied::Purpose => "doel",
            Denied::Age => "leeftijd",
        }
    }
}

/// May this actor use this capability?
pub fn may(actor: &Actor, capability: Capability) -> bool {
    use Capability::*;
    match actor {
        Actor::Staff(_) if capability == CheckText => true,
        Actor::Staff(s) => matches!(
            (s.role, capability),
            (Role::Caseworker, Worklist | SelfAssessment)
                | (
                    Role::TeamLead,
                    Worklist | TeamOverview | SelfAssessment | TeamRounds
                )
                | (Role::PrivacyOfficer, AuditLog)
                | (Role::Admin, ManageUsers | SignalAdmin | InstrumentAdmin)
        ),
        Actor::Resident(_) => capability == ResidentPortal,
        Actor::System(_) => false,
    }
}

/// What the store knows about a resident when someone asks to read them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResidentFacts {
    /// Organisations with open work (a case, a signal) about this resident.
    pub orgs_with_open_work: Vec<i64>,
}

/// May `actor` read `resident`'s personal data for `purpose`?
pub fn may_read_resident(
    actor: &Actor,
    resident: ResidentId,
    purpose: Purpose,
    facts: &ResidentFacts,
) -> Result<(), Denied> {
    match (actor, purpose) {
        (Actor::Resident(me), Purpose::OwnView | Purpose::OwnChoice) => {
            if *me == resident {
                Ok(())
            } else {
                Err(Denied::NotOwnData)
            }
        }
        (Actor::Staff(s), Purpose::Casework) => {
            if !matches!(s.role, Role::Caseworker | Role::TeamLead) {
                Err(Denied::Role)
            } else if facts.orgs_with_open_work.contains(&s.org_id) {
                Ok(())
            } else {
                Err(Denied::NoWorkRelation)
            }
        }
        (Actor::Staff(s), _) if !matches!(s.role, Role::Caseworker | Role::TeamLead) => {
            Err(Denied::Role)
        }
        _ => Err(Denied::Purpose),
    }
}

/// May `actor` change `resident`'s choices (consents), the resident being
/// `age` years old? Only the resident, and only from
/// [`crate::consent::OWN_CHOICE_AGE`]: for a younger child the adults of
/// the household decide on household matters, and nothing is shared.
pub fn may_choose(actor: &Actor, resident: ResidentId, age: i32) -> Result<(), Denied> {
    may_read_resident(
        actor,
        resident,
        Purpose::OwnChoice,
        &ResidentFacts::default(),
    )?;
    if crate::consent::may_decide(age) {
        Ok(())
    } else {
        Err(Denied::Age)
    }
}

/// May `actor` write residents' register data for `purpose`? Only the
/// register import does so today.
pub fn may_write_register(actor: &Actor, purpose: Purpose) -> Result<(), Denied> {
    match (actor, purpose) {
        (Actor::System(_), Purpose::RegisterImport) => Ok(()),
        (Actor::System(_), _) => Err(Denied::Purpose),
        _ => Err(Denied::Role),
    }
}

/// May `actor` work on the signals and signal cases of municipality `org`
/// (worklist, household view, contact attempts, linking by hand)? Only
/// caseworkers and team leads of that municipality.
pub fn may_work_signals(actor: &Actor, org: i64) -> Result<(), Denied> {
    match actor {
        Actor::Staff(s) if matches!(s.role, Role::Caseworker | Role::TeamLead) => {
            if s.org_id == org {
                Ok(())
            } else {
                Err(Denied::NoWorkRelation)
            }
        }
        _ => Err(Denied::Role),
    }
}

/// May `actor` keep the routing table of residents' questions (which
/// organisation and team pick up which topic)? An admin of a municipality:
/// the municipality is the resident's front door.
pub fn may_keep_help_routes(actor: &Actor, org_kind: Option<crate::OrgKind>) -> Result<(), Denied> {
    match actor {
        Actor::Staff(s) if s.role == Role::Admin && org_kind == Some(crate::OrgKind::Gemeente) => {
            Ok(())
        }
        Actor::Staff(s) if s.role == Role::Admin => Err(Denied::NoWorkRelation),
        _ => Err(Denied::Role),
    }
}

/// May `actor` compile the municipality's statistics report (DDAS, to
/// CBS)? It holds signals' personal data, so only the operator's command.
pub fn may_report_statistics(actor: &Actor) -> Result<(), Denied> {
    match actor {
        Actor::System(_) => Ok(()),
        _ => Err(Denied::Role),
    }
}

/// May `actor` calculate the laws over the whole register (the proactive
/// scan and what-if simulations)? It reads every household's finances, so
/// only the operator's command, as a batch with one audit entry.
pub fn may_scan_population(actor: &Actor) -> Result<(), Denied> {
    match actor {
        Actor::System(_) => Ok(()),
        _ => Err(Denied::Role),
    }
}

/// May `actor` take in arrears signals for municipality `org`? Imports and
/// the partner API run as the system; an admin of the municipality may
/// correct and retry quarantined rows.
pub fn may_receive_signals(actor: &Actor, org: i64) -> Result<(), Denied> {
    match actor {
        Actor::System(_) => Ok(()),
        Actor::Staff(s) if s.role == Role::Admin && s.org_id == org => Ok(()),
        Actor::Staff(s) if s.role == Role::Admin => Err(Denied::NoWorkRelation),
        _ => Err(Denied::Role),
    }
}

/// Whose entries of the audit log a privacy officer oversees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditScope {
    /// Everyone's: the municipality is the controller of the processing
    /// and the residents' front door.
    All,
    /// Only what this organisation's staff did.
    Org(i64),
}

/// Which entries may `actor` search, their organisation being of
/// `org_kind`? A privacy officer of a municipality oversees all; one of
/// another organisation, their own organisation's.
pub fn audit_scope(actor: &Actor, org_kind: crate::OrgKind) -> Result<AuditScope, Denied> {
    let staff = staff_with(actor, Capability::AuditLog)?;
    Ok(if org_kind == crate::OrgKind::Gemeente {
        AuditScope::All
    } else {
        AuditScope::Org(staff.org_id)
    })
}

/// The actor as staff, when the policy lets them use `capability`.
pub fn staff_with(actor: &Actor, capability: Capability) -> Result<&Staff, Denied> {
    match actor {
        Actor::Staff(s) if may(actor, capability) => Ok(s),
        _ => Err(Denied::Role),
    }
}

/// The staff member doing signal work for their own municipality.
pub fn signal_worker(actor: &Actor) -> Result<Staff, Denied> {
    match actor {
        Actor::Staff(s) => may_work_signals(actor, s.org_id).map(|()| *s),
        _ => Err(Denied::Role),
    }
}

/// May the demo login list made-up residents? Only in a demo database.
pub fn may_use_demo_login(demo_database: bool) -> Result<(), Denied> {
    if demo_database {
        Ok(())
    } else {
        Err(Denied::Purpose)
    }
}

/// May the demo login log someone in? Only in a demo database, and only as
/// one of the made-up residents it offered: never an arbitrary BSN.
pub fn may_demo_log_in(demo_database: bool, offered: bool) -> Result<(), Denied> {
    may_use_demo_login(demo_database)?;
    if offered {
        Ok(())
    } else {
        Err(Denied::Purpose)
    }
}

#[cfg(test)]
mod tests;
