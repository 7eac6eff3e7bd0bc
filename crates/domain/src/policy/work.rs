//! Decisions about work items: who may take, hand on and finish work, and
//! who keeps the organisation's teams. The store reads the facts (the
//! item's organisation, team and person, the actor's teams) and asks here.

use super::{Actor, Capability, Denied, Staff, may};
use crate::org::Role;

/// What the store knows about a work item when someone acts on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkFacts {
    pub org: i64,
    pub team: Option<i64>,
    pub assignee: Option<i64>,
}

/// A colleague work may be given to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Colleague {
    pub user_id: i64,
    pub org: i64,
    pub role: Role,
    pub active: bool,
    pub teams: Vec<i64>,
}

/// A caseworker or team lead of the item's organisation.
fn worker_of(actor: &Actor, org: i64) -> Result<&Staff, Denied> {
    match actor {
        Actor::Staff(_) if !may(actor, Capability::Worklist) => Err(Denied::Role),
        Actor::Staff(s) if s.org_id == org => Ok(s),
        Actor::Staff(_) => Err(Denied::NoWorkRelation),
        _ => Err(Denied::Role),
    }
}

/// Work of no team, or of one of `teams`.
fn in_teams(item: &WorkFacts, teams: &[i64]) -> bool {
    item.team.is_none_or(|t| teams.contains(&t))
}

/// May `actor` take this work? A caseworker takes their teams' work (and
/// work no team has yet); a team lead any of the organisation's.
pub fn may_take(actor: &Actor, item: &WorkFacts, my_teams: &[i64]) -> Result<(), Denied> {
    let s = worker_of(actor, item.org)?;
    match s.role {
        Role::TeamLead => Ok(()),
        _ if in_teams(item, my_teams) => Ok(()),
        _ => Err(Denied::NoWorkRelation),
    }
}

/// May `actor` move the work on, change its status, or finish it? The one
/// who has it, a team member while nobody has it, or a team lead.
pub fn may_work_on(actor: &Actor, item: &WorkFacts, my_teams: &[i64]) -> Result<(), Denied> {
    let s = worker_of(actor, item.org)?;
    match (s.role, item.assignee) {
        (Role::TeamLead, _) => Ok(()),
        (_, Some(person)) if person == s.user_id => Ok(()),
        (_, None) if in_teams(item, my_teams) => Ok(()),
        _ => Err(Denied::NoWorkRelation),
    }
}

/// May `actor` give this work to `to`? As [`may_work_on`]; the colleague
/// is an active caseworker or team lead of the same organisation, in the
/// work's team when it has one.
pub fn may_assign(
    actor: &Actor,
    item: &WorkFacts,
    my_teams: &[i64],
    to: &Colleague,
) -> Result<(), Denied> {
    may_work_on(actor, item, my_teams)?;
    let works = matches!(to.role, Role::Caseworker | Role::TeamLead) && to.active;
    if to.org != item.org || !works || !in_teams(item, &to.teams) {
        return Err(Denied::NoWorkRelation);
    }
    Ok(())
}

/// May `actor` hand out many items at once, or see the work per person?
/// A team lead.
pub fn may_lead_work(actor: &Actor) -> Result<&Staff, Denied> {
    match actor {
        Actor::Staff(s) if may(actor, Capability::TeamOverview) => Ok(s),
        _ => Err(Denied::Role),
    }
}

/// May `actor` keep `org`'s teams and who is in them? Its admin.
pub fn may_keep_teams(actor: &Actor, org: i64) -> Result<(), Denied> {
    match actor {
        Actor::Staff(s) if s.role == Role::Admin && s.org_id == org => Ok(()),
        Actor::Staff(s) if s.role == Role::Admin => Err(Denied::NoWorkRelation),
        _ => Err(Denied::Role),
    }
}
