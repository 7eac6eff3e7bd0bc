//! Rows an import refused with `--skip-invalid`, kept so that the
//! municipality's admin can view, correct and retry them. The corrected row
//! goes through the same intake as any delivery.

use crate::audit::Action;
use crate::audit::{self, NewEntry};
use crate::{Result, Store, StoreError};
use sqlx::Row;
use std::fmt;
use wegwijs_domain::signal::COLUMNS;
use wegwijs_domain::{Actor, Purpose};

/// One refused row with its fields as received and what was wrong.
#[derive(Clone, PartialEq, Eq)]
pub struct QuarantineRow {
    pub id: i64,
    pub import_id: i64,
    pub line: i64,
    pub created_at: i64,
    /// The values in [`COLUMNS`] order.
    pub fields: Vec<String>,
    /// (field, problem code, number the message needs)
    pub problems: Vec<(String, String, Option<i64>)>,
}

impl fmt::Debug for QuarantineRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QuarantineRow")
            .field("id", &self.id)
            .field("line", &self.line)
            .field("fields", &"<hidden>")
            .finish()
    }
}

const SELECT: &str =
    "SELECT id, import_id, line, created_at, fields, problems FROM signal_quarantine";

impl Store {
    /// How many rows wait in the municipality's quarantine; no personal data.
    pub async fn quarantine_count(&self, org: i64) -> Result<i64> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM signal_quarantine WHERE org_id = $1 AND status = 'open'",
        )
        .bind(org)
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get("n")?)
    }

    /// The open quarantine of the admin's municipality, oldest first.
    pub async fn quarantine_rows(
        &self,
        actor: &Actor,
        limit: i64,
        now: i64,
    ) -> Result<Vec<QuarantineRow>> {
        let org = super::signal_admin(actor)?.org_id;
        let mut tx = self.write_tx().await?;
        let rows = sqlx::query(&format!(
            "{SELECT} WHERE org_id = $1 AND status = 'open' ORDER BY id LIMIT $2"
        ))
        .bind(org)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        let list = rows
            .iter()
            .map(quarantine_row)
            .collect::<Result<Vec<_>>>()?;
        if !list.is_empty() {
            let entry = NewEntry {
                actor,
                resident: None,
                action: Action::QuarantaineBekeken,
                purpose: Purpose::SignalIntake,
                outcome: Ok(()),
                detail: format!("{} geweigerde signaalregels", list.len()),
            };
            audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        }
        tx.commit().await?;
        Ok(list)
    }

    /// One open quarantined row of the admin's municipality.
    pub async fn quarantine_row(&self, actor: &Actor, id: i64, now: i64) -> Result<QuarantineRow> {
        let org = super::signal_admin(actor)?.org_id;
        let mut tx = self.write_tx().await?;
        let row = sqlx::query(&format!(
            "{SELECT} WHERE id = $1 AND org_id = $2 AND status = 'open'"
        ))
        .bind(id)
        .bind(org)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let row = quarantine_row(&row)?;
        let entry = NewEntry {
            actor,
            resident: None,
            action: Action::QuarantaineBekeken,
            purpose: Purpose::SignalIntake,
            outcome: Ok(()),
            detail: format!("regel {id}"),
        };
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// The partner a quarantined row came from (none for a file without
    /// one): its correction is taken in as that partner's, whose IDs it
    /// shares.
    pub async fn quarantine_partner(&self, actor: &Actor, id: i64) -> Result<Option<String>> {
        let org = super::signal_admin(actor)?.org_id;
        let row = sqlx::query(
            "SELECT i.deliverer FROM signal_quarantine q JOIN signal_imports i ON i.id = q.import_id \
             WHERE q.id = $1 AND q.org_id = $2",
        )
        .bind(id)
        .bind(org)
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        let deliverer: String = row.try_get("deliverer")?;
        Ok(deliverer.strip_prefix("partner:").map(str::to_string))
    }

    /// Drops an open quarantined row (the partner will send it again, or it
    /// was not a real signal).
    pub async fn discard_quarantined(&self, actor: &Actor, id: i64, now: i64) -> Result<()> {
        let change = super::AdminChange {
            sql: "UPDATE signal_quarantine SET status = 'verwijderd', resolved_at = $1, fields = '{}' \
                  WHERE id = $2 AND org_id = $3 AND status = 'open'",
            id,
            action: Action::QuarantaineVerwijderd,
            purpose: Purpose::SignalIntake,
            detail: format!("regel {id}"),
        };
        self.admin_change(actor, change, now).await
    }
}

fn quarantine_row(r: &sqlx::any::AnyRow) -> Result<QuarantineRow> {
    let corrupt = || StoreError::Corrupt("quarantined row".into());
    let fields: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&r.try_get::<String, _>("fields")?).map_err(|_| corrupt())?;
    let problems: Vec<serde_json::Value> =
        serde_json::from_str(&r.try_get::<String, _>("problems")?).map_err(|_| corrupt())?;
    Ok(QuarantineRow {
        id: r.try_get("id")?,
        import_id: r.try_get("import_id")?,
        line: r.try_get("line")?,
        created_at: r.try_get("created_at")?,
        fields: COLUMNS
            .iter()
            .map(|c| {
                fields
                    .get(*c)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            })
            .collect(),
        problems: problems
            .iter()
            .map(|p| {
                (
                    p["veld"].as_str().unwrap_or("").to_string(),
                    p["probleem"].as_str().unwrap_or("").to_string(),
                    p["n"].as_i64(),
                )
            })
            .collect(),
    })
}
