//! Open work of an organisation about residents: the worklist, and the
//! relation that lets caseworkers see a resident's data.

use crate::audit::Action;
use crate::audit::writer::OwnedEntry;
use crate::audit::{self, NewEntry};
use crate::read::Cells;
use crate::{Result, Store, StoreError};
use sqlx::Row;
use wegwijs_domain::person::PersonName;
use wegwijs_domain::policy::{self, Capability};
use wegwijs_domain::{Actor, Purpose, ResidentId, Staff, WorkKind};

/// One line of a caseworker's worklist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkRow {
    pub work_id: i64,
    pub kind: WorkKind,
    pub opened_at: i64,
    pub resident: ResidentId,
    pub name: PersonName,
    pub wijk: String,
}

/// Figures about an organisation's work, without personal data.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct TeamFigures {
    /// Open work per kind code, for every kind (zero included).
    pub open_by_kind: Vec<(String, i64)>,
    pub residents_with_open_work: i64,
    pub closed_total: i64,
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
        let row = sqlx::query(
            "INSERT INTO work_items (org_id, resident_id, kind, status, opened_at) VALUES ($1, $2, $3, 'open', $4) RETURNING id",
        )
        .bind(org)
        .bind(resident.0)
        .bind(kind.code())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
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

    /// Closes work of the actor's own organisation.
    pub async fn close_work(&self, actor: &Actor, work_id: i64, now: i64) -> Result<()> {
        let staff = staff_who_may(actor, Capability::Worklist)?;
        let mut tx = self.write_tx().await?;
        let row = sqlx::query(
            "UPDATE work_items SET status = 'closed', closed_at = $1 WHERE id = $2 AND org_id = $3 AND status = 'open' RETURNING resident_id",
        )
        .bind(now)
        .bind(work_id)
        .bind(staff.org_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let entry = NewEntry {
            actor,
            resident: Some(ResidentId(row.try_get("resident_id")?)),
            action: Action::WerkGesloten,
            purpose: Purpose::Casework,
            outcome: Ok(()),
            detail: format!("werk {work_id}"),
        };
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The open work of the actor's organisation, oldest first, with the
    /// residents' names: each resident shown gets an audit entry.
    pub async fn worklist(&self, actor: &Actor, limit: i64, now: i64) -> Result<Vec<WorkRow>> {
        let staff = staff_who_may(actor, Capability::Worklist)?;
        // One statement: its own consistent view, without a transaction
        // around it (two more trips to the database thread per view).
        let list = self
            .read_rows(
                "SELECT w.id AS work_id, w.kind, w.opened_at, r.id AS resident_id, r.voornamen, r.voorvoegsel, r.achternaam, r.wijk \
                 FROM work_items w JOIN residents r ON r.id = w.resident_id \
                 WHERE w.org_id = $1 AND w.status = 'open' ORDER BY w.opened_at, w.id LIMIT $2",
                vec![staff.org_id.into(), limit.into()],
                work_row,
            )
            .await?;
        // One entry for the view, pointing to the list it showed (kept once);
        // durable before the list leaves the store (group commit).
        let shown: Vec<ResidentId> = list.iter().map(|w| w.resident).collect();
        let shown = audit::ShownList::of(&shown);
        let entry = OwnedEntry {
            actor: *actor,
            resident: None,
            action: Action::WerklijstBekeken,
            purpose: Purpose::Casework,
            outcome: Ok(()),
            detail: shown.detail("naam, wijk"),
        };
        self.audit.log_list(now, entry, shown).await?;
        Ok(list)
    }

    /// How much work an organisation has, open and closed; no personal data.
    pub async fn count_work(&self, org: i64) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM work_items WHERE org_id = $1")
            .bind(org)
            .fetch_one(self.pool())
            .await?;
        Ok(row.try_get("n")?)
    }

    /// Figures for the team lead.
    pub async fn team_figures(&self, actor: &Actor) -> Result<TeamFigures> {
        let staff = staff_who_may(actor, Capability::TeamOverview)?;
        let rows = sqlx::query("SELECT kind, COUNT(*) AS n FROM work_items WHERE org_id = $1 AND status = 'open' GROUP BY kind")
            .bind(staff.org_id)
            .fetch_all(self.pool())
            .await?;
        let mut open_by_kind: Vec<(String, i64)> = WorkKind::ALL
            .iter()
            .map(|k| (k.code().to_string(), 0))
            .collect();
        for r in &rows {
            let kind: String = r.try_get("kind")?;
            if let Some(slot) = open_by_kind.iter_mut().find(|(k, _)| *k == kind) {
                slot.1 = r.try_get("n")?;
            }
        }
        let row = sqlx::query(
            "SELECT COUNT(DISTINCT CASE WHEN status = 'open' THEN resident_id END) AS residents, \
                    COUNT(CASE WHEN status = 'closed' THEN 1 END) AS closed FROM work_items WHERE org_id = $1",
        )
        .bind(staff.org_id)
        .fetch_one(self.pool())
        .await?;
        Ok(TeamFigures {
            open_by_kind,
            residents_with_open_work: row.try_get("residents")?,
            closed_total: row.try_get("closed")?,
        })
    }
}

/// The staff member behind `actor`, when their role has `capability`.
pub(crate) fn staff_who_may(actor: &Actor, capability: Capability) -> Result<&Staff> {
    Ok(policy::staff_with(actor, capability)?)
}

fn work_row(r: &dyn Cells) -> Result<WorkRow> {
    let kind = r.text("kind")?;
    let voorvoegsel = r.opt_text("voorvoegsel")?;
    Ok(WorkRow {
        work_id: r.int("work_id")?,
        kind: WorkKind::from_code(&kind)
            .map_err(|_| StoreError::Corrupt(format!("work kind {kind:?}")))?,
        opened_at: r.int("opened_at")?,
        resident: ResidentId(r.int("resident_id")?),
        name: PersonName::new(
            &r.text("voornamen")?,
            voorvoegsel.as_deref().unwrap_or(""),
            &r.text("achternaam")?,
        )
        .map_err(|e| StoreError::Corrupt(format!("resident {}", e.field)))?,
        wijk: r.text("wijk")?,
    })
}
