//! The register read as households, for the proactive rules scan and
//! what-if simulations: one audit entry for the batch, read in pages.

use crate::audit::{self, NewEntry};
use crate::{Result, Store, StoreError};
use sqlx::Row;
use time::Date;
use wegwijs_domain::household::{HouseholdFacts, Member};
use wegwijs_domain::person::parse_date;
use wegwijs_domain::policy;
use wegwijs_domain::{Actor, HouseholdRole, Purpose, ResidentId, Voorziening};

/// Rows per page: bounded memory on a register of millions.
const PAGE: i64 = 100_000;

impl Store {
    /// Every household of the register with the facts the laws ask about.
    /// Allowed for the operator's command only; the read is audited (also
    /// when refused) with the purpose of proactive outreach.
    pub async fn scan_households(
        &self,
        actor: &Actor,
        today: Date,
        now: i64,
    ) -> Result<Vec<HouseholdFacts>> {
        self.scan_households_in_pages(actor, today, now, PAGE).await
    }

    /// [`Store::scan_households`] with a page size of choice: tests show a
    /// household split over two pages is read whole.
    pub async fn scan_households_in_pages(
        &self,
        actor: &Actor,
        today: Date,
        now: i64,
        page: i64,
    ) -> Result<Vec<HouseholdFacts>> {
        let decision = policy::may_scan_population(actor);
        let mut tx = self.write_tx().await?;
        let entry = NewEntry {
            actor,
            resident: None,
            action: "register-doorgerekend",
            purpose: Purpose::ProactiveOutreach,
            outcome: decision,
            detail: "alle huishoudens: geboortedatum, rol, inkomen, vermogen, voorzieningen, wijk"
                .to_string(),
        };
        audit::append(&mut tx, self.backend(), now, &[entry]).await?;
        tx.commit().await?;
        decision?;
        let mut households = Vec::new();
        let mut members: Vec<Member> = Vec::new();
        let (mut after_household, mut after_id) = (i64::MIN, i64::MIN);
        let mut current = None;
        loop {
            let rows = sqlx::query(
                "SELECT household_id, id, rol_in_huishouden, geboortedatum, inkomen_cents, vermogen_cents, voorzieningen, wijk \
                 FROM residents WHERE household_id > $1 OR (household_id = $1 AND id > $2) \
                 ORDER BY household_id, id LIMIT $3",
            )
            .bind(after_household)
            .bind(after_id)
            .bind(page)
            .fetch_all(self.pool())
            .await?;
            for r in &rows {
                let household: i64 = r.try_get(0)?;
                if current != Some(household) {
                    households.extend(HouseholdFacts::from_members(&members, today));
                    members.clear();
                    current = Some(household);
                }
                members.push(member(r)?);
                (after_household, after_id) = (household, r.try_get(1)?);
            }
            if (rows.len() as i64) < page {
                break;
            }
        }
        households.extend(HouseholdFacts::from_members(&members, today));
        Ok(households)
    }
}

fn member(r: &sqlx::any::AnyRow) -> Result<Member> {
    let corrupt =
        |e: wegwijs_domain::ValidationError| StoreError::Corrupt(format!("resident {}", e.field));
    Ok(Member {
        id: ResidentId(r.try_get(1)?),
        role: HouseholdRole::from_code(&r.try_get::<String, _>(2)?).map_err(corrupt)?,
        geboortedatum: parse_date("geboortedatum", &r.try_get::<String, _>(3)?).map_err(corrupt)?,
        netto_inkomen_maand: r.try_get(4)?,
        vermogen: r.try_get(5)?,
        voorzieningen: Voorziening::parse_list(&r.try_get::<String, _>(6)?).map_err(corrupt)?,
        wijk: r.try_get(7)?,
    })
}
