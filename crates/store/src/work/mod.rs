//! Open work of an organisation about residents: the one worklist, the
//! actions that take, hand on and finish work, the teams it belongs to,
//! and the relation that lets caseworkers see a resident's data.

use crate::audit::{self, Action, NewEntry};
use crate::{Result, Store, StoreError, Tx};
use sqlx::Row;
use time::Date;
use wegwijs_domain::help::add_working_days;
use wegwijs_domain::person::format_date;
use wegwijs_domain::policy::{self, Capability};
use wegwijs_domain::work::{DEFAULT_ANSWER_DAYS, Outcome};
use wegwijs_domain::{Actor, Purpose, ResidentId, Staff, WorkKind};

mod actions;
pub(crate) mod cases;
mod list;
mod teams;
pub use list::*;
pub use teams::*;

/// New work, as the code that opens it knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NewWork {
    pub org: i64,
    pub resident: ResidentId,
    pub kind: WorkKind,
    /// The request, appointment or signal case it is about (`kind` says
    /// which).
    pub subject: Option<i64>,
    /// The team a route names; `None`: the organisation's team for the
    /// kind, if it chose one.
    pub team: Option<i64>,
    /// When it is due; `None`: the kind's answer days from today.
    pub due: Option<Date>,
    pub priority: i64,
    /// The priority's reasons as stored (JSON), "[]" when none.
    pub reasons: String,
}

impl NewWork {
    pub(crate) fn new(org: i64, resident: ResidentId, kind: WorkKind) -> NewWork {
        NewWork {
            org,
            resident,
            kind,
            subject: None,
            team: None,
            due: None,
            priority: 0,
            reasons: "[]".into(),
        }
    }
}

/// Opens work in `tx`; without a team or due date of its own, the
/// organisation's route for the kind gives them.
pub(crate) async fn open_item(tx: &mut Tx, work: &NewWork, now: i64) -> Result<i64> {
    let (route_team, due) = route_of(tx, work.org, work.kind, now).await?;
    let due = work.due.unwrap_or(due);
    let row = sqlx::query(
        "INSERT INTO work_items (org_id, resident_id, kind, status, opened_at, team_id, stage, due_on, \
         priority, reasons, subject_id, updated_at, wijk) \
         VALUES ($1, $2, $3, 'open', $4, $5, 'nieuw', $6, $7, $8, $9, $4, (SELECT wijk FROM residents WHERE id = $2)) \
         RETURNING id",
    )
    .bind(work.org)
    .bind(work.resident.0)
    .bind(work.kind.code())
    .bind(now)
    .bind(work.team.or(route_team))
    .bind(format_date(due))
    .bind(work.priority)
    .bind(work.reasons.clone())
    .bind(work.subject)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get("id")?)
}

/// The team `org` chose for work of `kind`, if any, and when new work of
/// the kind opened at `now` is due.
pub(crate) async fn route_of(
    tx: &mut Tx,
    org: i64,
    kind: WorkKind,
    now: i64,
) -> Result<(Option<i64>, Date)> {
    let route =
        sqlx::query("SELECT team_id, answer_days FROM team_routes WHERE org_id = $1 AND kind = $2")
            .bind(org)
            .bind(kind.code())
            .fetch_optional(&mut **tx)
            .await?;
    let (team, days) = match &route {
        Some(r) => (
            Some(r.try_get::<i64, _>("team_id")?),
            r.try_get("answer_days")?,
        ),
        None => (None, DEFAULT_ANSWER_DAYS),
    };
    Ok((
        team,
        add_working_days(crate::need_to_know::day_of(now)?, days),
    ))
}

/// Closes open work in `tx` with how it ended; closed work stays closed.
/// Returns whether it was open.
pub(crate) async fn close_item(
    tx: &mut Tx,
    work_id: i64,
    (outcome, note): (Outcome, &str),
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE work_items SET status = 'closed', closed_at = $1, outcome = $2, outcome_note = $3, \
         version = version + 1, updated_at = $1 WHERE id = $4 AND status = 'open'",
    )
    .bind(now)
    .bind(outcome.code())
    .bind(Some(note.to_string()).filter(|n| !n.is_empty()))
    .bind(work_id)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The open work about a subject (a request, an appointment, a case).
pub(crate) async fn open_item_of(tx: &mut Tx, kind: WorkKind, subject: i64) -> Result<Option<i64>> {
    let row = sqlx::query(
        "SELECT id FROM work_items WHERE subject_id = $1 AND kind = $2 AND status = 'open'",
    )
    .bind(subject)
    .bind(kind.code())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| r.try_get("id")).transpose()?)
}

impl Store {
    /// Opens work for `org` about a resident; logged as a write about them.
    pub async fn open_work(
        &self,
        actor: &Actor,
        org: i64,
        resident: ResidentId,
        kind: WorkKind,
        now: i64,
    ) -> Result<i64> {
        let mut tx = self.write_tx().await?;
        let id = open_item(&mut tx, &NewWork::new(org, resident, kind), now).await?;
        let entry = NewEntry {
            actor,
            resident: Some(resident),
            action: Action::WerkGeopend,
            purpose: Purpose::Casework,
            outcome: Ok(()),
            detail: format!("werk {id} ({}) voor organisatie {org}", kind.code()),
        };
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// How much work an organisation has, open and closed; no personal data.
    pub async fn count_work(&self, org: i64) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM work_items WHERE org_id = $1")
            .bind(org)
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get("n")?)
    }
}

/// The staff member behind `actor`, when their role has `capability`.
pub(crate) fn staff_who_may(actor: &Actor, capability: Capability) -> Result<&Staff> {
    Ok(policy::staff_with(actor, capability)?)
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

/// Whether any work (open or closed) is about this subject.
pub(crate) async fn any_item_of(tx: &mut Tx, kind: WorkKind, subject: i64) -> Result<bool> {
    let row = sqlx::query("SELECT id FROM work_items WHERE subject_id = $1 AND kind = $2")
        .bind(subject)
        .bind(kind.code())
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.is_some())
}
