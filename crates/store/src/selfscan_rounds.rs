//! Team rounds of the self-assessment: a team lead opens one for chosen
//! colleagues; each answers alone; once the round is closed and at least
//! [`MIN_TEAM`] answered, the team sees means and spreads per cell, never
//! a member's own answers. Closing first means no one can subtract the
//! figures before and after one more member answered.

use crate::audit;
use crate::selfscan::{
    ACTION_POINT_ADDED, ACTION_ROUND_CLOSED, ACTION_ROUND_OPENED, answer_from, entry, instrument_in,
};
use crate::work::staff_who_may;
use crate::{Result, Store, StoreError};
use sqlx::Row;
use std::collections::BTreeMap;
use wegwijs_domain::person::{format_date, text};
use wegwijs_domain::policy::{self, Capability};
use wegwijs_domain::selfscan::{
    Answers, MIN_TEAM, NewAction, TEAM_MAX, TeamCell, for_viewer, team_cells,
};
use wegwijs_domain::{Actor, Problem, Role, ValidationError};

/// A round as its team sees it: no names, only how many answered.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Round {
    pub id: i64,
    pub team: String,
    pub version: i64,
    pub opened_at: i64,
    pub closed_at: Option<i64>,
    pub members: i64,
    pub finished: i64,
    /// Whether the one asking is a member, and their run in it.
    pub member: bool,
    pub my_run: Option<i64>,
    pub my_run_finished: bool,
}

/// A colleague a team lead may ask into a round.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Colleague {
    pub user_id: i64,
    pub name: String,
}

/// An action point: what, who, by when.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ActionPoint {
    pub id: i64,
    pub round_id: i64,
    pub what: String,
    pub who: String,
    pub due: String,
    pub done_at: Option<i64>,
}

/// What the team sees of a round's answers.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TeamResult {
    /// How many members finished.
    pub finished: i64,
    /// Per cell; none while the round is open or below [`MIN_TEAM`].
    pub cells: Option<Vec<TeamCell>>,
}

/// A round of the organisation `$1` as user `$2` sees it; which rounds
/// they may see is the policy's (`may_see_round`), asked per row.
const ROUND: &str = "SELECT o.id, o.org_id, o.team, o.version, o.opened_at, o.closed_at, \
    (SELECT COUNT(*) FROM selfscan_round_members m WHERE m.round_id = o.id) AS members, \
    (SELECT COUNT(*) FROM selfscan_runs r WHERE r.round_id = o.id AND r.finished_at IS NOT NULL) AS finished, \
    (SELECT COUNT(*) FROM selfscan_round_members m WHERE m.round_id = o.id AND m.user_id = $2) AS member, \
    (SELECT r.id FROM selfscan_runs r WHERE r.round_id = o.id AND r.user_id = $2) AS my_run, \
    (SELECT COUNT(*) FROM selfscan_runs r WHERE r.round_id = o.id AND r.user_id = $2 AND r.finished_at IS NOT NULL) AS my_run_finished \
    FROM selfscan_rounds o WHERE o.org_id = $1";

/// The rounds among `rows` that `actor` may see.
fn visible(actor: &Actor, rows: &[sqlx::any::AnyRow]) -> Result<Vec<Round>> {
    let mut out = Vec::new();
    for row in rows {
        let (round, facts) = round_from(row)?;
        if policy::may_see_round(actor, &facts).is_ok() {
            out.push(round);
        }
    }
    Ok(out)
}

impl Store {
    /// Colleagues who do the work the instrument is about: the
    /// organisation's active caseworkers and team leads.
    pub async fn selfscan_colleagues(&self, actor: &Actor) -> Result<Vec<Colleague>> {
        let staff = staff_who_may(actor, Capability::TeamRounds)?;
        let rows = sqlx::query(
            "SELECT id, display_name FROM users WHERE org_id = $1 AND active = 1 AND role IN ($2, $3) ORDER BY display_name",
        )
        .bind(staff.org_id)
        .bind(Role::Caseworker.code())
        .bind(Role::TeamLead.code())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Colleague {
                    user_id: r.try_get("id")?,
                    name: r.try_get("display_name")?,
                })
            })
            .collect()
    }

    /// Opens a round for `members` (at least [`MIN_TEAM`] colleagues) on the
    /// current version of the instrument.
    pub async fn open_selfscan_round(
        &self,
        actor: &Actor,
        team: &str,
        members: &[i64],
        now: i64,
    ) -> Result<i64> {
        let staff = staff_who_may(actor, Capability::TeamRounds)?;
        let team = text("team", team, TEAM_MAX)?;
        let colleagues = self.selfscan_colleagues(actor).await?;
        let mut chosen: Vec<i64> = members.to_vec();
        chosen.sort_unstable();
        chosen.dedup();
        if chosen
            .iter()
            .any(|m| !colleagues.iter().any(|c| c.user_id == *m))
        {
            return Err(ValidationError::new("teamleden", Problem::UnknownCode).into());
        }
        if chosen.len() < MIN_TEAM {
            return Err(ValidationError::new(
                "teamleden",
                Problem::TooFew {
                    min: MIN_TEAM as i64,
                },
            )
            .into());
        }
        // The instrument shown to the team is the current one.
        let version = self.selfscan_instrument(actor).await?.version;
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO selfscan_rounds (org_id, team, version, opened_by, opened_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(staff.org_id)
        .bind(&team)
        .bind(version)
        .bind(staff.user_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        for m in &chosen {
            sqlx::query("INSERT INTO selfscan_round_members (round_id, user_id) VALUES ($1, $2)")
                .bind(id)
                .bind(m)
                .execute(&mut *tx)
                .await?;
        }
        let detail = format!("ronde {id}, {} leden, versie {version}", chosen.len());
        audit::append(
            &mut tx,
            self.chain(),
            now,
            &[entry(actor, ACTION_ROUND_OPENED, detail)],
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Closes an open round: no more answers; drafts in it are removed.
    pub async fn close_selfscan_round(&self, actor: &Actor, id: i64, now: i64) -> Result<()> {
        staff_who_may(actor, Capability::TeamRounds)?;
        let mut tx = self.write_tx().await?;
        let org: i64 = sqlx::query("SELECT org_id FROM selfscan_rounds WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_get("org_id")?;
        let facts = policy::Round { org, member: false };
        // Another organisation's round is not found, as if it did not exist.
        policy::may_close_round(actor, &facts).map_err(|_| StoreError::NotFound)?;
        let done = sqlx::query(
            "UPDATE selfscan_rounds SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        // Their answers go with them (ON DELETE CASCADE).
        sqlx::query("DELETE FROM selfscan_runs WHERE round_id = $1 AND finished_at IS NULL")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::append(
            &mut tx,
            self.chain(),
            now,
            &[entry(actor, ACTION_ROUND_CLOSED, format!("ronde {id}"))],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The rounds the professional may see, newest first.
    pub async fn selfscan_rounds(&self, actor: &Actor) -> Result<Vec<Round>> {
        let staff = staff_who_may(actor, Capability::SelfAssessment)?;
        let sql = format!("{ROUND} ORDER BY o.opened_at DESC, o.id DESC");
        let rows = sqlx::query(&sql)
            .bind(staff.org_id)
            .bind(staff.user_id)
            .fetch_all(self.pool())
            .await?;
        visible(actor, &rows)
    }

    /// One round the professional may see; others are `NotFound`.
    pub async fn selfscan_round(&self, actor: &Actor, id: i64) -> Result<Round> {
        let staff = staff_who_may(actor, Capability::SelfAssessment)?;
        let sql = format!("{ROUND} AND o.id = $3");
        let rows = sqlx::query(&sql)
            .bind(staff.org_id)
            .bind(staff.user_id)
            .bind(id)
            .fetch_all(self.pool())
            .await?;
        visible(actor, &rows)?
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound)
    }

    /// The team's figures for a round: only once it is closed and at least
    /// [`MIN_TEAM`] members finished.
    pub async fn selfscan_team_result(&self, actor: &Actor, id: i64) -> Result<TeamResult> {
        let staff = staff_who_may(actor, Capability::SelfAssessment)?;
        let round = self.selfscan_round(actor, id).await?;
        let mut out = TeamResult {
            finished: round.finished,
            cells: None,
        };
        if round.closed_at.is_none() || round.finished < MIN_TEAM as i64 {
            return Ok(out);
        }
        let rows = sqlx::query(
            "SELECT a.code, a.answer, r.id FROM selfscan_runs r JOIN selfscan_answers a ON a.run_id = r.id \
             WHERE r.round_id = $1 AND r.finished_at IS NOT NULL ORDER BY r.id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let mut members: BTreeMap<i64, Answers> = BTreeMap::new();
        for row in &rows {
            let (code, answer) = answer_from(row)?;
            members
                .entry(row.try_get("id")?)
                .or_default()
                .insert(code, answer);
        }
        let instrument = instrument_in(self.pool(), staff.org_id, round.version).await?;
        let own = round
            .my_run
            .filter(|_| round.my_run_finished)
            .and_then(|mine| members.get(&mine).cloned());
        let answers: Vec<Answers> = members.into_values().collect();
        out.cells =
            team_cells(&instrument, &answers).map(|c| for_viewer(&instrument, c, own.as_ref()));
        Ok(out)
    }

    /// A round's action points, and those of the same team's round before.
    pub async fn selfscan_actions(
        &self,
        actor: &Actor,
        round: i64,
    ) -> Result<(Vec<ActionPoint>, Vec<ActionPoint>)> {
        let staff = staff_who_may(actor, Capability::SelfAssessment)?;
        let r = self.selfscan_round(actor, round).await?;
        // The same team's round before, if the professional may see it.
        let sql = format!(
            "{ROUND} AND o.team = $3 AND (o.opened_at < $4 OR (o.opened_at = $4 AND o.id < $5)) \
             ORDER BY o.opened_at DESC, o.id DESC"
        );
        let rows = sqlx::query(&sql)
            .bind(staff.org_id)
            .bind(staff.user_id)
            .bind(&r.team)
            .bind(r.opened_at)
            .bind(r.id)
            .fetch_all(self.pool())
            .await?;
        let before = visible(actor, &rows)?.first().map(|b| b.id);
        let now = self.actions_of(round).await?;
        let earlier = match before {
            Some(b) => self.actions_of(b).await?,
            None => Vec::new(),
        };
        Ok((now, earlier))
    }

    /// Records an action point in a round the professional may see.
    pub async fn add_selfscan_action(
        &self,
        actor: &Actor,
        round: i64,
        action: &NewAction,
        now: i64,
    ) -> Result<i64> {
        let staff = staff_who_may(actor, Capability::SelfAssessment)?;
        self.selfscan_round(actor, round).await?;
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO selfscan_actions (round_id, what, who, due, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(round)
        .bind(&action.what)
        .bind(&action.who)
        .bind(format_date(action.due))
        .bind(staff.user_id)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        audit::append(
            &mut tx,
            self.chain(),
            now,
            &[entry(actor, ACTION_POINT_ADDED, format!("ronde {round}"))],
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Marks an action point done (or not done again); returns its round.
    pub async fn mark_selfscan_action(
        &self,
        actor: &Actor,
        id: i64,
        done: bool,
        now: i64,
    ) -> Result<i64> {
        staff_who_may(actor, Capability::SelfAssessment)?;
        let round: i64 = sqlx::query("SELECT round_id FROM selfscan_actions WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?
            .try_get("round_id")?;
        // Only within a round the professional may see.
        self.selfscan_round(actor, round).await?;
        sqlx::query("UPDATE selfscan_actions SET done_at = $1 WHERE id = $2")
            .bind(done.then_some(now))
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(round)
    }

    async fn actions_of(&self, round: i64) -> Result<Vec<ActionPoint>> {
        let rows = sqlx::query(
            "SELECT id, round_id, what, who, due, done_at FROM selfscan_actions WHERE round_id = $1 ORDER BY due, id",
        )
        .bind(round)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ActionPoint {
                    id: r.try_get("id")?,
                    round_id: r.try_get("round_id")?,
                    what: r.try_get("what")?,
                    who: r.try_get("who")?,
                    due: r.try_get("due")?,
                    done_at: r.try_get("done_at")?,
                })
            })
            .collect()
    }
}

/// A round and what the policy needs to know about it.
fn round_from(r: &sqlx::any::AnyRow) -> Result<(Round, policy::Round)> {
    let member = r.try_get::<i64, _>("member")? > 0;
    let round = Round {
        id: r.try_get("id")?,
        team: r.try_get("team")?,
        version: r.try_get("version")?,
        opened_at: r.try_get("opened_at")?,
        closed_at: r.try_get("closed_at")?,
        members: r.try_get("members")?,
        finished: r.try_get("finished")?,
        member,
        my_run: r.try_get("my_run")?,
        my_run_finished: r.try_get::<i64, _>("my_run_finished")? > 0,
    };
    let facts = policy::Round {
        org: r.try_get("org_id")?,
        member,
    };
    Ok((round, facts))
}
