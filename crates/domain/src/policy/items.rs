//! Decisions about one item that belongs to a resident or an organisation:
//! a letter, a request, an appointment, a self-assessment round, a staff
//! account. The store reads the facts (owner, organisation, state) and asks
//! here; it never compares ids itself.

use super::{Actor, Capability, Denied, Purpose, may};
use crate::org::Role;
use crate::resident::ResidentId;

/// Something a resident keeps as their own (an appointment, a letter they
/// uploaded): only they may change it. Someone else's is refused as
/// `NotOwnData`, and the store logs that under the one who tried.
fn own_item(actor: &Actor, owner: ResidentId) -> Result<(), Denied> {
    match actor {
        Actor::Resident(me) if *me == owner => Ok(()),
        Actor::Resident(_) => Err(Denied::NotOwnData),
        _ => Err(Denied::Role),
    }
}

/// May `actor` move or cancel (or prepare) this appointment? Only the
/// resident whose appointment it is.
pub fn may_change_appointment(actor: &Actor, owner: ResidentId) -> Result<(), Denied> {
    own_item(actor, owner)
}

/// May `actor` remove this uploaded letter? Only the resident who
/// uploaded it.
pub fn may_remove_letter(actor: &Actor, owner: ResidentId) -> Result<(), Denied> {
    own_item(actor, owner)
}

/// What the store knows about an uploaded letter when someone asks for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Letter {
    pub owner: ResidentId,
    /// The organisation of the appointment it was uploaded for.
    pub org: i64,
    /// The resident sent the preparation (a draft is theirs alone).
    pub sent: bool,
    /// The appointment is planned or took place (not cancelled).
    pub held: bool,
}

/// May `actor` see this letter, and for which purpose? The resident who
/// uploaded it; a caseworker or team lead of the appointment's organisation
/// once the preparation is sent and the appointment not cancelled. The
/// store then asks [`super::may_read_resident`] for that purpose too.
pub fn may_see_letter(actor: &Actor, letter: &Letter) -> Result<Purpose, Denied> {
    match actor {
        Actor::Resident(_) => own_item(actor, letter.owner).map(|()| Purpose::OwnView),
        Actor::Staff(s) if !matches!(s.role, Role::Caseworker | Role::TeamLead) => {
            Err(Denied::Role)
        }
        Actor::Staff(s) if s.org_id == letter.org && letter.sent && letter.held => {
            Ok(Purpose::Casework)
        }
        Actor::Staff(_) => Err(Denied::NoWorkRelation),
        Actor::System(_) => Err(Denied::Role),
    }
}

/// May `actor` answer a resident's request that went to organisation
/// `request_org`? A caseworker or team lead of that organisation.
pub fn may_answer_request(actor: &Actor, request_org: i64) -> Result<(), Denied> {
    match actor {
        Actor::Staff(s) if may(actor, Capability::Worklist) => {
            if s.org_id == request_org {
                Ok(())
            } else {
                Err(Denied::NoWorkRelation)
            }
        }
        _ => Err(Denied::Role),
    }
}

/// What the store knows about a self-assessment round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Round {
    pub org: i64,
    /// The one asking is one of its members.
    pub member: bool,
}

/// May `actor` see this round (its progress, its aggregates once closed,
/// its action points)? A team lead of its organisation, or a member.
pub fn may_see_round(actor: &Actor, round: &Round) -> Result<(), Denied> {
    match actor {
        Actor::Staff(s) if may(actor, Capability::SelfAssessment) => {
            if s.org_id != round.org {
                Err(Denied::NoWorkRelation)
            } else if round.member || may(actor, Capability::TeamRounds) {
                Ok(())
            } else {
                Err(Denied::NoWorkRelation)
            }
        }
        _ => Err(Denied::Role),
    }
}

/// May `actor` close this round? A team lead of its organisation.
pub fn may_close_round(actor: &Actor, round: &Round) -> Result<(), Denied> {
    match actor {
        Actor::Staff(s) if may(actor, Capability::TeamRounds) => {
            if s.org_id == round.org {
                Ok(())
            } else {
                Err(Denied::NoWorkRelation)
            }
        }
        _ => Err(Denied::Role),
    }
}

/// May `actor` manage this staff account (block, unblock, set a password)?
/// An admin of the account's own organisation.
pub fn may_manage_user(actor: &Actor, user_org: i64) -> Result<(), Denied> {
    match actor {
        Actor::Staff(s) if may(actor, Capability::ManageUsers) => {
            if s.org_id == user_org {
                Ok(())
            } else {
                Err(Denied::NoWorkRelation)
            }
        }
        _ => Err(Denied::Role),
    }
}
