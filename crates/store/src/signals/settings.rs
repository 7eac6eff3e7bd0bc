//! Each municipality's vroegsignalering settings: its outreach plan, its
//! retention terms, and who it is in the report to CBS. A municipality that
//! set nothing gets the defaults.

use crate::audit::Action;
use crate::audit::{self, NewEntry};
use crate::{Result, Store, StoreError, Tx};
use sqlx::Row;
use wegwijs_domain::signal::{OutreachPlan, Retention};
use wegwijs_domain::{Actor, Purpose};

/// Who delivers the DDAS report (the "aanleverende organisatie").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportIdentity {
    /// CBS municipality code, four digits ("0518").
    pub gemeentecode: String,
    pub kvk_nummer: String,
    pub contact_naam: String,
    pub contact_email: String,
    pub contact_telefoon: String,
    pub contact_functie: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignalSettings {
    pub plan: OutreachPlan,
    pub retention: Retention,
    pub report: ReportIdentity,
}

const SELECT: &str = "SELECT outreach_plan, retention_not_picked_up, retention_after_case, gemeentecode, \
     kvk_nummer, contact_naam, contact_email, contact_telefoon, contact_functie FROM signal_settings WHERE org_id = $1";

impl Store {
    /// The municipality's settings, or the defaults. No personal data.
    pub async fn signal_settings(&self, org: i64) -> Result<SignalSettings> {
        let mut conn = self.pool().acquire().await?;
        let row = sqlx::query(SELECT)
            .bind(org)
            .fetch_optional(&mut *conn)
            .await?;
        row.map(|r| settings_from_row(&r))
            .transpose()
            .map(Option::unwrap_or_default)
    }

    /// Saves the settings of the admin's own municipality.
    pub async fn save_signal_settings(
        &self,
        actor: &Actor,
        settings: &SignalSettings,
        now: i64,
    ) -> Result<()> {
        let org = super::signal_admin(actor)?.org_id;
        let plan = serde_json::to_string(&settings.plan)
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let r = &settings.report;
        let mut tx = self.write_tx().await?;
        sqlx::query(
            "INSERT INTO signal_settings (org_id, outreach_plan, retention_not_picked_up, retention_after_case, \
             updated_at, gemeentecode, kvk_nummer, contact_naam, contact_email, contact_telefoon, contact_functie) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (org_id) DO UPDATE SET \
             outreach_plan = $2, retention_not_picked_up = $3, retention_after_case = $4, updated_at = $5, \
             gemeentecode = $6, kvk_nummer = $7, contact_naam = $8, contact_email = $9, contact_telefoon = $10, \
             contact_functie = $11",
        )
        .bind(org)
        .bind(plan)
        .bind(i64::from(settings.retention.not_picked_up_months))
        .bind(i64::from(settings.retention.after_case_months))
        .bind(now)
        .bind(r.gemeentecode.clone())
        .bind(r.kvk_nummer.clone())
        .bind(r.contact_naam.clone())
        .bind(r.contact_email.clone())
        .bind(r.contact_telefoon.clone())
        .bind(r.contact_functie.clone())
        .execute(&mut *tx)
        .await?;
        let entry = NewEntry {
            actor,
            resident: None,
            action: Action::SignaalinstellingenGewijzigd,
            purpose: Purpose::Administration,
            outcome: Ok(()),
            detail: format!("organisatie {org}"),
        };
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The outreach plan of `org`, inside a transaction.
pub(super) async fn plan_of(tx: &mut Tx, org: i64) -> Result<OutreachPlan> {
    let row = sqlx::query(SELECT)
        .bind(org)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row
        .map(|r| settings_from_row(&r))
        .transpose()?
        .unwrap_or_default()
        .plan)
}

fn settings_from_row(r: &sqlx::any::AnyRow) -> Result<SignalSettings> {
    let plan: String = r.try_get("outreach_plan")?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("signal settings {what}"));
    let months = |column: &str| -> Result<u16> {
        u16::try_from(r.try_get::<i64, _>(column)?).map_err(|_| corrupt("retention"))
    };
    let text = |column: &str| -> Result<String> {
        Ok(r.try_get::<Option<String>, _>(column)?.unwrap_or_default())
    };
    Ok(SignalSettings {
        plan: serde_json::from_str(&plan).map_err(|_| corrupt("plan"))?,
        retention: Retention::new(
            months("retention_not_picked_up")?,
            months("retention_after_case")?,
        )
        .map_err(|_| corrupt("retention"))?,
        report: ReportIdentity {
            gemeentecode: text("gemeentecode")?,
            kvk_nummer: text("kvk_nummer")?,
            contact_naam: text("contact_naam")?,
            contact_email: text("contact_email")?,
            contact_telefoon: text("contact_telefoon")?,
            contact_functie: text("contact_functie")?,
        },
    })
}
