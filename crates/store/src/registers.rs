//! What the registers are made of that lives in the database: the
//! organisations (the controller and the recipients) and the retention
//! terms each municipality set, beside the jobs' fixed terms.

use crate::read::Cells;
use crate::{Result, Store, StoreError};
use wegwijs_domain::registers::Term;
use wegwijs_domain::{Actor, Capability, OrgKind, policy};

/// The installation's part of the registers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegisterFacts {
    /// The municipalities: the controllers.
    pub controllers: Vec<String>,
    pub orgs: Vec<(String, OrgKind)>,
    /// The retention terms the jobs apply.
    pub retention: Vec<Term>,
}

impl Store {
    /// The registers' facts, for the privacy officer.
    pub async fn register_facts(&self, actor: &Actor) -> Result<RegisterFacts> {
        policy::staff_with(actor, Capability::AuditLog)?;
        let rows = sqlx::query("SELECT id, name, kind FROM organisations ORDER BY name, id")
            .fetch_all(self.pool())
            .await?;
        let mut facts = RegisterFacts::default();
        for r in &rows {
            let name = r.text("name")?;
            let kind = OrgKind::from_code(&r.text("kind")?)
                .map_err(|_| StoreError::Corrupt("org kind".into()))?;
            if kind == OrgKind::Gemeente {
                facts.controllers.push(name.clone());
                let s = self.signal_settings(r.int("id")?).await?.retention;
                let term = |data, months: u16| Term {
                    data,
                    amount: i64::from(months),
                    unit: "maanden",
                    org: Some(name.clone()),
                    job: "signalen-bewaartermijn",
                };
                facts
                    .retention
                    .push(term("signalen-niet-opgepakt", s.not_picked_up_months));
                facts
                    .retention
                    .push(term("signalen-na-afsluiting", s.after_case_months));
            }
            facts.orgs.push((name, kind));
        }
        let fixed = |data, amount, unit, job| Term {
            data,
            amount,
            unit,
            org: None,
            job,
        };
        facts.retention.extend([
            fixed(
                "bewaarde-formulieren",
                crate::forms::HELD_FORM_SECS / 60,
                "minuten",
                "sessies-opruimen",
            ),
            fixed(
                "mislukte-inlogpogingen",
                policy::LOGIN_WINDOW_SECS / 60,
                "minuten",
                "sessies-opruimen",
            ),
            fixed(
                "zelfscan-concepten",
                wegwijs_domain::selfscan::DRAFT_KEEP_DAYS,
                "dagen",
                "zelfscan-concepten",
            ),
        ]);
        Ok(facts)
    }
}
