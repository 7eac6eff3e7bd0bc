//! An organisation's teams, who is in them, and which team gets work of a
//! kind no topic routes. Kept by the organisation's admin; no personal
//! data of residents.

use crate::audit::{self, Action, NewEntry};
use crate::{Result, Store, StoreError};
use wegwijs_domain::policy;
use wegwijs_domain::work::KindRoute;
use wegwijs_domain::{Actor, Purpose, WorkKind};

/// A team with its members (user id and name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Team {
    pub id: i64,
    pub org_id: i64,
    pub name: String,
    pub members: Vec<(i64, String)>,
}

impl Store {
    /// The teams of `org` with their members, by name.
    pub async fn teams_of(&self, org: i64) -> Result<Vec<Team>> {
        let mut teams = self
            .read_rows(
                "SELECT id, org_id, name FROM teams WHERE org_id = $1 ORDER BY name, id",
                vec![org.into()],
                team_row,
            )
            .await?;
        let members = self
            .read_rows(
                "SELECT m.team_id, u.id, u.display_name FROM team_members m JOIN users u ON u.id = m.user_id \
                 WHERE u.org_id = $1 ORDER BY u.display_name, u.id",
                vec![org.into()],
                |r| Ok((r.int("team_id")?, r.int("id")?, r.text("display_name")?)),
            )
            .await?;
        for (team, user, name) in members {
            if let Some(t) = teams.iter_mut().find(|t| t.id == team) {
                t.members.push((user, name));
            }
        }
        Ok(teams)
    }

    /// Every team of every organisation, for the routing table.
    pub async fn all_teams(&self) -> Result<Vec<Team>> {
        self.read_rows(
            "SELECT id, org_id, name FROM teams ORDER BY org_id, name, id",
            vec![],
            team_row,
        )
        .await
    }

    /// The teams `user` is in.
    pub async fn my_teams(&self, user: i64) -> Result<Vec<i64>> {
        self.read_rows(
            "SELECT team_id FROM team_members WHERE user_id = $1 ORDER BY team_id",
            vec![user.into()],
            |r| r.int("team_id"),
        )
        .await
    }

    /// A new team of `org`; a name the organisation has is a duplicate.
    pub async fn create_team(&self, actor: &Actor, org: i64, name: &str, now: i64) -> Result<i64> {
        let mut tx = self.write_tx().await?;
        let decision = policy::may_keep_teams(actor, org);
        let entry = admin_entry(actor, decision, format!("team \"{name}\" aangemaakt"));
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        if let Err(denied) = decision {
            tx.commit().await?;
            return Err(denied.into());
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO teams (org_id, name, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(org)
        .bind(name)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::unique_as(e, "teamnaam"))?;
        tx.commit().await?;
        Ok(id)
    }

    /// Sets who is in a team: staff of the team's own organisation.
    pub async fn set_team_members(
        &self,
        actor: &Actor,
        team: i64,
        users: &[i64],
        now: i64,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        let org: i64 = sqlx::query_scalar("SELECT org_id FROM teams WHERE id = $1")
            .bind(team)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let decision = policy::may_keep_teams(actor, org);
        let detail = format!("team {team}: {} leden", users.len());
        let entry = admin_entry(actor, decision, detail);
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        if let Err(denied) = decision {
            tx.commit().await?;
            return Err(denied.into());
        }
        sqlx::query("DELETE FROM team_members WHERE team_id = $1")
            .bind(team)
            .execute(&mut *tx)
            .await?;
        for user in users {
            let theirs: Option<i64> = sqlx::query_scalar("SELECT org_id FROM users WHERE id = $1")
                .bind(*user)
                .fetch_optional(&mut *tx)
                .await?;
            if theirs != Some(org) {
                return Err(StoreError::NotFound);
            }
            sqlx::query("INSERT INTO team_members (team_id, user_id) VALUES ($1, $2)")
                .bind(team)
                .bind(*user)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Which team of `org` gets new work of each kind no topic routes.
    pub async fn kind_routes(&self, org: i64) -> Result<Vec<KindRoute>> {
        self.read_rows(
            "SELECT kind, team_id, answer_days FROM team_routes WHERE org_id = $1",
            vec![org.into()],
            |r| {
                let kind = r.text("kind")?;
                Ok(KindRoute {
                    kind: WorkKind::from_code(&kind)
                        .map_err(|_| StoreError::Corrupt(format!("route kind {kind:?}")))?,
                    team: r.int("team_id")?,
                    answer_days: r.int("answer_days")?,
                })
            },
        )
        .await
    }

    /// Sets the team (of the admin's own organisation) for a kind of work.
    pub async fn set_kind_route(&self, actor: &Actor, route: &KindRoute, now: i64) -> Result<()> {
        let mut tx = self.write_tx().await?;
        let org: i64 = sqlx::query_scalar("SELECT org_id FROM teams WHERE id = $1")
            .bind(route.team)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let decision = policy::may_keep_teams(actor, org);
        let detail = format!("{} naar team {}", route.kind.code(), route.team);
        let entry = admin_entry(actor, decision, detail);
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        if let Err(denied) = decision {
            tx.commit().await?;
            return Err(denied.into());
        }
        sqlx::query(
            "INSERT INTO team_routes (org_id, kind, team_id, answer_days) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (org_id, kind) DO UPDATE SET team_id = excluded.team_id, answer_days = excluded.answer_days",
        )
        .bind(org)
        .bind(route.kind.code())
        .bind(route.team)
        .bind(route.answer_days)
        .execute(&mut *tx)
        .await?;
        // Open work of the kind that had no team yet goes to it now.
        sqlx::query(
            "UPDATE work_items SET team_id = $1, version = version + 1, updated_at = $2 \
             WHERE org_id = $3 AND kind = $4 AND status = 'open' AND team_id IS NULL",
        )
        .bind(route.team)
        .bind(now)
        .bind(org)
        .bind(route.kind.code())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn admin_entry(
    actor: &Actor,
    outcome: std::result::Result<(), wegwijs_domain::Denied>,
    detail: String,
) -> NewEntry<'_> {
    NewEntry {
        actor,
        resident: None,
        action: Action::TeamGewijzigd,
        purpose: Purpose::Administration,
        outcome,
        detail,
    }
}

/// A team without its members.
fn team_row(r: &dyn crate::read::Cells) -> Result<Team> {
    Ok(Team {
        id: r.int("id")?,
        org_id: r.int("org_id")?,
        name: r.text("name")?,
        members: Vec::new(),
    })
}
