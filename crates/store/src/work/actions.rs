//! What staff do with a line of the worklist: take it, give it to a
//! colleague (one or many), set where it stands, finish it. Each checks the
//! policy, is logged (refusals too), and changes the line only if nobody
//! changed it since the page was shown: two people acting at once end in
//! one result and a clear message, never a lost write.

use super::{close_item, corrupt};
use crate::audit::{self, Action, NewEntry};
use crate::read::Cells;
use crate::{Conflict, Result, Store, StoreError, Tx};
use sqlx::Row;
use wegwijs_domain::policy::{self, Colleague, WorkFacts};
use wegwijs_domain::work::{Outcome, Stage};
use wegwijs_domain::{Actor, Denied, Problem, ResidentId, Role, ValidationError, WorkKind};

/// A work item as an action finds it.
struct Item {
    facts: WorkFacts,
    resident: ResidentId,
    kind: WorkKind,
    open: bool,
    version: i64,
    subject: Option<i64>,
}

async fn item(tx: &mut Tx, work_id: i64) -> Result<Item> {
    let r = sqlx::query(
        "SELECT org_id, team_id, assignee, resident_id, kind, status, version, subject_id FROM work_items WHERE id = $1",
    )
    .bind(work_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    let kind: String = r.try_get("kind")?;
    Ok(Item {
        facts: WorkFacts {
            org: r.try_get("org_id")?,
            team: r.try_get("team_id")?,
            assignee: r.try_get("assignee")?,
        },
        resident: ResidentId(r.try_get("resident_id")?),
        kind: WorkKind::from_code(&kind).map_err(|_| corrupt("a work item's kind"))?,
        open: r.try_get::<String, _>("status")? == "open",
        version: r.try_get("version")?,
        subject: r.try_get("subject_id")?,
    })
}

/// The teams `user` is in.
pub(crate) async fn teams_of_user(tx: &mut Tx, user: i64) -> Result<Vec<i64>> {
    let rows = sqlx::query("SELECT team_id FROM team_members WHERE user_id = $1 ORDER BY team_id")
        .bind(user)
        .fetch_all(&mut **tx)
        .await?;
    rows.iter().map(|r| Ok(r.try_get("team_id")?)).collect()
}

async fn colleague(tx: &mut Tx, user: i64) -> Result<Colleague> {
    let r = sqlx::query("SELECT org_id, role, active FROM users WHERE id = $1")
        .bind(user)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(StoreError::NotFound)?;
    let role: String = r.try_get("role")?;
    Ok(Colleague {
        user_id: user,
        org: r.try_get("org_id")?,
        role: Role::from_code(&role).map_err(|_| corrupt("a user's role"))?,
        active: r.try_get::<i64, _>("active")? != 0,
        teams: teams_of_user(tx, user).await?,
    })
}

async fn display_name(tx: &mut Tx, user: i64) -> Result<String> {
    let r = sqlx::query("SELECT display_name FROM users WHERE id = $1")
        .bind(user)
        .fetch_one(&mut **tx)
        .await?;
    Ok(r.try_get("display_name")?)
}

/// Why a change found the line changed: taken by someone, closed, or
/// otherwise changed.
/// `me`: the one who acted (their own older page is "changed", not
/// "taken by" themselves).
async fn conflict(tx: &mut Tx, work_id: i64, me: i64) -> Result<StoreError> {
    let now = item(tx, work_id).await?;
    Ok(StoreError::Conflict(match (now.open, now.facts.assignee) {
        (false, _) => Conflict::Closed,
        (true, Some(user)) if user != me => Conflict::TakenBy(display_name(tx, user).await?),
        (true, _) => Conflict::Changed,
    }))
}

impl Store {
    /// Checks a decision about a work item; a refusal is logged and
    /// committed before it is returned.
    async fn decide(
        &self,
        mut tx: Tx,
        actor: &Actor,
        (item, action, what): (&Item, Action, &str),
        decision: std::result::Result<(), Denied>,
        now: i64,
    ) -> Result<Tx> {
        if let Err(denied) = decision {
            let entry =
                NewEntry::casework(actor, item.resident, action, Err(denied), what.to_string());
            audit::append(&mut tx, self.chain(), now, &[entry]).await?;
            tx.commit().await?;
            return Err(denied.into());
        }
        Ok(tx)
    }

    /// The actor takes the work: it is theirs, and in progress if it was
    /// new. Taken by a colleague meanwhile: [`Conflict::TakenBy`].
    pub async fn take_work(&self, actor: &Actor, work_id: i64, now: i64) -> Result<()> {
        let me = *super::staff_who_may(actor, wegwijs_domain::policy::Capability::Worklist)?;
        let mut tx = self.write_tx().await?;
        let it = item(&mut tx, work_id).await?;
        let teams = teams_of_user(&mut tx, me.user_id).await?;
        let what = format!("werk {work_id}");
        let decision = policy::may_take(actor, &it.facts, &teams);
        let mut tx = self
            .decide(tx, actor, (&it, Action::WerkOpgepakt, &what), decision, now)
            .await?;
        let done = sqlx::query(
            "UPDATE work_items SET assignee = $1, version = version + 1, updated_at = $2, \
             stage = CASE WHEN stage = 'nieuw' THEN 'in-behandeling' ELSE stage END \
             WHERE id = $3 AND status = 'open' AND (assignee IS NULL OR assignee = $1)",
        )
        .bind(me.user_id)
        .bind(now)
        .bind(work_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(conflict(&mut tx, work_id, me.user_id).await?);
        }
        let entry = NewEntry::casework(actor, it.resident, Action::WerkOpgepakt, Ok(()), what);
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Gives the work to a colleague of its team, if it is still as the
    /// actor saw it (`seen`: its version on their page).
    pub async fn assign_work(
        &self,
        actor: &Actor,
        (work_id, seen): (i64, i64),
        to: i64,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        self.assign_in(&mut tx, actor, (work_id, Some(seen)), to, now)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The team lead gives many lines at once to one colleague. Lines
    /// that cannot go to them (another team, closed meanwhile) are left
    /// as they are; returns how many went.
    pub async fn assign_many(
        &self,
        actor: &Actor,
        work_ids: &[i64],
        to: i64,
        now: i64,
    ) -> Result<usize> {
        policy::may_lead_work(actor)?;
        let mut tx = self.write_tx().await?;
        let mut given = 0;
        for id in work_ids {
            match self.assign_in(&mut tx, actor, (*id, None), to, now).await {
                Ok(()) => given += 1,
                Err(StoreError::Denied(_) | StoreError::Conflict(_) | StoreError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        tx.commit().await?;
        Ok(given)
    }

    async fn assign_in(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        (work_id, seen): (i64, Option<i64>),
        to: i64,
        now: i64,
    ) -> Result<()> {
        let me = *super::staff_who_may(actor, wegwijs_domain::policy::Capability::Worklist)?;
        let it = item(tx, work_id).await?;
        let teams = teams_of_user(tx, me.user_id).await?;
        let target = colleague(tx, to).await?;
        let what = format!("werk {work_id} naar medewerker {to}");
        if let Err(denied) = policy::may_assign(actor, &it.facts, &teams, &target) {
            let entry = NewEntry::casework(
                actor,
                it.resident,
                Action::WerkToegewezen,
                Err(denied),
                what,
            );
            audit::append(tx, self.chain(), now, &[entry]).await?;
            return Err(denied.into());
        }
        let done = sqlx::query(
            "UPDATE work_items SET assignee = $1, version = version + 1, updated_at = $2, \
             stage = CASE WHEN stage = 'nieuw' THEN 'in-behandeling' ELSE stage END \
             WHERE id = $3 AND status = 'open' AND ($4 IS NULL OR version = $4)",
        )
        .bind(to)
        .bind(now)
        .bind(work_id)
        .bind(seen)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(conflict(tx, work_id, me.user_id).await?);
        }
        let entry = NewEntry::casework(actor, it.resident, Action::WerkToegewezen, Ok(()), what);
        audit::append(tx, self.chain(), now, &[entry]).await?;
        Ok(())
    }

    /// Sets where open work stands (in progress, waiting for the
    /// resident), if it is still as the actor saw it.
    pub async fn set_work_stage(
        &self,
        actor: &Actor,
        (work_id, seen): (i64, i64),
        stage: Stage,
        now: i64,
    ) -> Result<()> {
        let me = *super::staff_who_may(actor, wegwijs_domain::policy::Capability::Worklist)?;
        let mut tx = self.write_tx().await?;
        let it = item(&mut tx, work_id).await?;
        let teams = teams_of_user(&mut tx, me.user_id).await?;
        let what = format!("werk {work_id}: {}", stage.code());
        let decision = policy::may_work_on(actor, &it.facts, &teams);
        let mut tx = self
            .decide(
                tx,
                actor,
                (&it, Action::WerkStatusGewijzigd, &what),
                decision,
                now,
            )
            .await?;
        let done = sqlx::query(
            "UPDATE work_items SET stage = $1, version = version + 1, updated_at = $2 \
             WHERE id = $3 AND status = 'open' AND version = $4",
        )
        .bind(stage.code())
        .bind(now)
        .bind(work_id)
        .bind(seen)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(conflict(&mut tx, work_id, me.user_id).await?);
        }
        let entry = NewEntry::casework(
            actor,
            it.resident,
            Action::WerkStatusGewijzigd,
            Ok(()),
            what,
        );
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Finishes work with an outcome its kind offers (and the reason, for
    /// sending it back), if it is still as the actor saw it. An
    /// appointment is finished once it has begun.
    pub async fn finish_work(
        &self,
        actor: &Actor,
        (work_id, seen): (i64, i64),
        (outcome, reason): (Outcome, &str),
        now: i64,
    ) -> Result<()> {
        let me = *super::staff_who_may(actor, wegwijs_domain::policy::Capability::Worklist)?;
        let mut tx = self.write_tx().await?;
        let it = item(&mut tx, work_id).await?;
        let teams = teams_of_user(&mut tx, me.user_id).await?;
        let what = format!("werk {work_id}: {}", outcome.code());
        let decision = policy::may_work_on(actor, &it.facts, &teams);
        let mut tx = self
            .decide(tx, actor, (&it, Action::WerkGesloten, &what), decision, now)
            .await?;
        if !it.kind.outcomes().contains(&outcome) {
            return Err(ValidationError::new("uitkomst", Problem::UnknownCode).into());
        }
        if it.open && it.version != seen {
            return Err(conflict(&mut tx, work_id, me.user_id).await?);
        }
        if it.kind == WorkKind::Afspraak {
            self.appointment_ended(&mut tx, it.subject, outcome, now)
                .await?;
        }
        if !close_item(&mut tx, work_id, (outcome, reason), now).await? {
            return Err(StoreError::Conflict(Conflict::Closed));
        }
        let entry = NewEntry::casework(actor, it.resident, Action::WerkGesloten, Ok(()), what);
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// An appointment said to be held or missed: only once it has begun.
    async fn appointment_ended(
        &self,
        tx: &mut Tx,
        appointment: Option<i64>,
        outcome: Outcome,
        now: i64,
    ) -> Result<()> {
        let Some(id) = appointment else {
            return Ok(());
        };
        let starts: i64 = sqlx::query("SELECT starts_at FROM appointments WHERE id = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?
            .int("starts_at")?;
        if starts > now {
            return Err(ValidationError::new("uitkomst", Problem::InFuture).into());
        }
        let status = if outcome == Outcome::NietGekomen {
            "niet-gekomen"
        } else {
            "geweest"
        };
        sqlx::query(
            "UPDATE appointments SET status = $1, updated_at = $2 WHERE id = $3 AND status = 'gepland'",
        )
        .bind(status)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}
