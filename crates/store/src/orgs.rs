//! Organisations.

use crate::{Result, Store, StoreError};
use sqlx::Row;
use wegwijs_domain::OrgKind;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    #[serde(serialize_with = "kind_code")]
    pub kind: OrgKind,
}

fn kind_code<S: serde::Serializer>(k: &OrgKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(k.code())
}

impl Store {
    pub async fn create_org(&self, name: &str, kind: OrgKind, now: i64) -> Result<i64> {
        let name = wegwijs_domain::person::text("naam", name, 200)?;
        let row = sqlx::query(
            "INSERT INTO organisations (name, kind, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(&name)
        .bind(kind.code())
        .bind(now)
        .fetch_one(self.pool())
        .await
        .map_err(|e| StoreError::unique_as(e, "an organisation with this name"))?;
        Ok(row.try_get("id")?)
    }

    pub async fn org(&self, id: i64) -> Result<Organisation> {
        let row = sqlx::query("SELECT id, name, kind FROM organisations WHERE id = $1")
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        org_from_row(&row)
    }

    pub async fn org_by_name(&self, name: &str) -> Result<Option<Organisation>> {
        let row = sqlx::query("SELECT id, name, kind FROM organisations WHERE name = $1")
            .bind(name.trim())
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(org_from_row).transpose()
    }

    pub async fn orgs(&self) -> Result<Vec<Organisation>> {
        let rows = sqlx::query("SELECT id, name, kind FROM organisations ORDER BY name")
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(org_from_row).collect()
    }
}

fn org_from_row(r: &sqlx::any::AnyRow) -> Result<Organisation> {
    let kind: String = r.try_get("kind")?;
    Ok(Organisation {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        kind: OrgKind::from_code(&kind)
            .map_err(|_| StoreError::Corrupt(format!("organisation kind {kind:?}")))?,
    })
}
