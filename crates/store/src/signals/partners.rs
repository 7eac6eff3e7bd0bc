//! Signal partners' API tokens and the feedback they may get. Tokens are
//! made by a municipality's admin; only their SHA-256 hashes are stored.
//! A partner hears back only "opgepakt" or "niet opgepakt" about signals it
//! delivered with its own token, never why.

use super::partner_type;
use crate::audit::Action;
use crate::audit::{self, NewEntry};
use crate::{Result, Store};
use sqlx::Row;
use wegwijs_domain::signal::PartnerType;
use wegwijs_domain::{Actor, Purpose};

/// A token as the admin sees it (never the token itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartnerToken {
    pub id: i64,
    pub label: String,
    pub partner: PartnerType,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

/// Who is posting, once their token checked out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartnerKey {
    pub token_id: i64,
    pub org: i64,
    pub partner: PartnerType,
}

/// Feedback requests are answered for at most this many signal IDs.
pub const MAX_FEEDBACK_IDS: usize = 1_000;

impl Store {
    /// Stores a new token's hash for the admin's municipality.
    pub async fn create_partner_token(
        &self,
        actor: &Actor,
        label: &str,
        partner: PartnerType,
        token_hash: &str,
        now: i64,
    ) -> Result<i64> {
        let admin = super::signal_admin(actor)?;
        let (org, user) = (admin.org_id, admin.user_id);
        let mut tx = self.write_tx().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO partner_tokens (org_id, label, partner_type, token_hash, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(org)
        .bind(label.to_string())
        .bind(partner.code())
        .bind(token_hash.to_string())
        .bind(now)
        .bind(user)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let entry = NewEntry {
            actor,
            resident: None,
            action: Action::PartnertokenGemaakt,
            purpose: Purpose::Administration,
            outcome: Ok(()),
            detail: format!("token {id} ({})", partner.code()),
        };
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The admin's municipality's tokens, newest first.
    pub async fn partner_tokens(&self, actor: &Actor) -> Result<Vec<PartnerToken>> {
        let org = super::signal_admin(actor)?.org_id;
        let rows = sqlx::query(
            "SELECT id, label, partner_type, created_at, revoked_at, last_used_at FROM partner_tokens \
             WHERE org_id = $1 ORDER BY id DESC",
        )
        .bind(org)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PartnerToken {
                    id: r.try_get("id")?,
                    label: r.try_get("label")?,
                    partner: partner_type(&r.try_get::<String, _>("partner_type")?)?,
                    created_at: r.try_get("created_at")?,
                    revoked_at: r.try_get("revoked_at")?,
                    last_used_at: r.try_get("last_used_at")?,
                })
            })
            .collect()
    }

    /// Revokes a token of the admin's own municipality; it stops working at once.
    pub async fn revoke_partner_token(&self, actor: &Actor, id: i64, now: i64) -> Result<()> {
        let change = super::AdminChange {
            sql: "UPDATE partner_tokens SET revoked_at = $1 WHERE id = $2 AND org_id = $3 AND revoked_at IS NULL",
            id,
            action: Action::PartnertokenIngetrokken,
            purpose: Purpose::Administration,
            detail: format!("token {id}"),
        };
        self.admin_change(actor, change, now).await
    }

    /// The partner behind a token's hash, if the token exists and is not
    /// revoked; notes when it was last used.
    pub async fn partner_by_token(&self, token_hash: &str, now: i64) -> Result<Option<PartnerKey>> {
        let row = sqlx::query(
            "UPDATE partner_tokens SET last_used_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL \
             RETURNING id, org_id, partner_type",
        )
        .bind(now)
        .bind(token_hash.to_string())
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| {
            Ok(PartnerKey {
                token_id: r.try_get("id")?,
                org: r.try_get("org_id")?,
                partner: partner_type(&r.try_get::<String, _>("partner_type")?)?,
            })
        })
        .transpose()
    }

    /// For each of `ids` that this partner delivered with this token:
    /// whether the municipality picked it up. Unknown IDs are left out.
    pub async fn partner_feedback(
        &self,
        key: &PartnerKey,
        ids: &[String],
        now: i64,
    ) -> Result<Vec<(String, bool)>> {
        let ids = &ids[..ids.len().min(MAX_FEEDBACK_IDS)];
        let mut out = Vec::new();
        let mut tx = self.write_tx().await?;
        for chunk in ids.chunks(500) {
            let sql = format!(
                "SELECT s.signal_key, c.picked_up_on FROM signals s JOIN signal_imports i ON i.id = s.import_id \
                 LEFT JOIN signal_cases c ON c.id = s.case_id \
                 WHERE i.token_id = $1 AND s.org_id = $2 AND s.signal_key IN {}",
                shifted_list(chunk.len())
            );
            let mut q = sqlx::query(&sql).bind(key.token_id).bind(key.org);
            for id in chunk {
                q = q.bind(id.clone());
            }
            for r in q.fetch_all(&mut *tx).await? {
                out.push((
                    r.try_get("signal_key")?,
                    r.try_get::<Option<String>, _>("picked_up_on")?.is_some(),
                ));
            }
        }
        out.sort();
        let actor = Actor::System("partner-api");
        let entry = NewEntry {
            actor: &actor,
            resident: None,
            action: Action::TerugkoppelingGegeven,
            purpose: Purpose::SignalIntake,
            outcome: Ok(()),
            detail: format!("token {}: {} signalen", key.token_id, out.len()),
        };
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(out)
    }
}

/// An `IN` list whose numbered parameters start at $3 (after two others).
/// Numbered on SQLite too: mixed with `$1`, bare `?` would count from one.
fn shifted_list(n: usize) -> String {
    let list: Vec<String> = (3..3 + n).map(|i| format!("${i}")).collect();
    format!("({})", list.join(", "))
}
