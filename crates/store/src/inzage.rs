//! The resident's own extract of the audit log (AVG inzage): who looked at
//! or changed their data — the organisation and the role, never the staff
//! member's name — when, why and what. Reading it is logged too.

use crate::audit::Action;
use crate::audit::{self, NewEntry};
use crate::residents::resident_facts;
use crate::{Result, Store};
use sqlx::Row;
use wegwijs_domain::{Actor, Purpose, ResidentId, policy};

/// One line of the extract.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Viewing {
    pub at: i64,
    /// Who, as the resident may know it.
    pub by: ViewedBy,
    /// What was done (an audit action code, e.g. "inwoner-bekeken").
    pub action: String,
    /// Why (a purpose code, e.g. "dienstverlening").
    pub purpose: String,
    /// Whether it was allowed; a refused attempt is shown too.
    pub allowed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ViewedBy {
    /// A staff member of an organisation, by role only.
    Staff { organisation: String, role: String },
    /// The resident themselves.
    Resident,
    /// Someone of the resident's household (the explanation of support
    /// the household may get uses everyone's figures).
    Household,
    /// Wegwijs itself (an import, a scheduled job).
    System,
}

/// The newest entries first; enough for years of ordinary use. A page
/// that shows this many says that older lines exist.
pub const LIMIT: i64 = 1_000;

impl Store {
    /// The resident's own extract; only the resident may ask for it.
    pub async fn own_audit_extract(
        &self,
        actor: &Actor,
        resident: ResidentId,
        now: i64,
    ) -> Result<Vec<Viewing>> {
        let mut tx = self.write_tx().await?;
        let facts = resident_facts(&mut tx, resident).await?;
        let decision = policy::may_read_resident(actor, resident, Purpose::OwnView, &facts);
        // Read before the entry of this reading is written: the extract
        // shows what others did before the resident looked.
        let rows = match decision {
            Ok(()) => sqlx::query(
                "SELECT a.at, o.name AS org_name, u.role, a.actor, a.action, a.purpose, a.outcome \
                     FROM audit_log a \
                     LEFT JOIN organisations o ON o.id = a.actor_org \
                     LEFT JOIN users u ON a.actor = 'medewerker:' || CAST(u.id AS TEXT) \
                     WHERE a.seq IN (SELECT seq FROM audit_log WHERE resident_id = $1 \
                     UNION SELECT l.seq FROM audit_list_members m \
                     JOIN audit_log l ON l.list_digest = m.digest WHERE m.resident_id = $1) \
                     ORDER BY a.seq DESC LIMIT $2",
            )
            .bind(resident.0)
            .bind(LIMIT)
            .fetch_all(&mut *tx)
            .await?,
            Err(_) => Vec::new(),
        };
        let entry = NewEntry {
            actor,
            resident: Some(resident),
            action: Action::LogboekIngezien,
            purpose: Purpose::OwnView,
            outcome: decision,
            detail: String::new(),
        };
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        decision?;
        rows.iter().map(|r| viewing_from_row(r, resident)).collect()
    }
}

fn viewing_from_row(r: &sqlx::any::AnyRow, resident: ResidentId) -> Result<Viewing> {
    let actor: String = r.try_get("actor")?;
    let own = format!("inwoner:{}", resident.0);
    let by = match (
        r.try_get::<Option<String>, _>("org_name")?,
        r.try_get::<Option<String>, _>("role")?,
    ) {
        (Some(organisation), role) if actor.starts_with("medewerker:") => ViewedBy::Staff {
            organisation,
            role: role.unwrap_or_default(),
        },
        _ if actor == own => ViewedBy::Resident,
        _ if actor.starts_with("inwoner:") => ViewedBy::Household,
        _ => ViewedBy::System,
    };
    let outcome: String = r.try_get("outcome")?;
    Ok(Viewing {
        at: r.try_get("at")?,
        by,
        action: r.try_get("action")?,
        purpose: r.try_get("purpose")?,
        allowed: outcome == "toegestaan",
    })
}
