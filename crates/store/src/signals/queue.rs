//! The matching queue: signals the intake could not link to exactly one
//! resident. A caseworker of the municipality looks at the register's
//! likely candidates and links the signal by hand, or sets it aside with a
//! DDAS status (not a resident here, an unjustified signal).

use super::cases::read_residents;
use super::intake_db::{NEXT_CASE_ID, lock_intake, signal_facts_row};
use super::{SIGNAL_SELECT, SignalView, signal_view};
use crate::audit::Action;
use crate::audit::{self, NewEntry};
use crate::{Result, Store, StoreError, Tx};
use sqlx::Row;
use time::{Date, Duration};
use wegwijs_domain::person::format_date;
use wegwijs_domain::signal::{SignalStatus, priority};
use wegwijs_domain::{Actor, Purpose, Resident, ResidentId};

/// Candidates shown for one queued signal, at most.
const MAX_CANDIDATES: i64 = 25;

const QUEUED: &str =
    "s.case_id IS NULL AND s.objection_id IS NULL AND s.status = 'nog-niet-opgepakt'";

impl Store {
    /// The municipality's queue, oldest first, audited as one look at
    /// these signals.
    pub async fn signal_queue(
        &self,
        actor: &Actor,
        limit: i64,
        now: i64,
    ) -> Result<Vec<SignalView>> {
        let org = super::signal_staff(actor)?.org_id;
        let mut tx = self.write_tx().await?;
        let rows = sqlx::query(&format!(
            "{SIGNAL_SELECT} WHERE s.org_id = $1 AND {QUEUED} ORDER BY s.received_on, s.id LIMIT $2"
        ))
        .bind(org)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?;
        let list = rows.iter().map(signal_view).collect::<Result<Vec<_>>>()?;
        if !list.is_empty() {
            let entry = NewEntry {
                actor,
                resident: None,
                action: Action::WachtrijBekeken,
                purpose: Purpose::SignalIntake,
                outcome: Ok(()),
                detail: format!("{} signalen zonder koppeling", list.len()),
            };
            audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        }
        tx.commit().await?;
        Ok(list)
    }

    /// How many signals wait in the municipality's queue; no personal data.
    pub async fn signal_queue_len(&self, org: i64) -> Result<i64> {
        let row = sqlx::query(&format!(
            "SELECT COUNT(*) AS n FROM signals s WHERE s.org_id = $1 AND {QUEUED}"
        ))
        .bind(org)
        .fetch_one(self.pool())
        .await?;
        Ok(row.try_get("n")?)
    }

    /// One queued signal with the residents it may be about (same BSN,
    /// same address, or same birth date and surname). Each candidate shown
    /// is audited with the purpose of linking the signal.
    pub async fn queued_signal(
        &self,
        actor: &Actor,
        signal_id: i64,
        now: i64,
    ) -> Result<(SignalView, Vec<Resident>)> {
        let org = super::signal_staff(actor)?.org_id;
        let mut tx = self.write_tx().await?;
        let signal = queued(&mut tx, org, signal_id).await?;
        let ids = candidates(&mut tx, &signal).await?;
        let found = read_residents(&mut tx, self.backend(), &ids).await?;
        let residents: Vec<Resident> = ids.iter().filter_map(|i| found.get(i).cloned()).collect();
        let mut entries = vec![NewEntry {
            actor,
            resident: None,
            action: Action::SignaalBekeken,
            purpose: Purpose::SignalIntake,
            outcome: Ok(()),
            detail: format!("signaal {signal_id} (wachtrij)"),
        }];
        entries.extend(residents.iter().map(|r| NewEntry {
            actor,
            resident: Some(r.id),
            action: Action::KandidaatBekeken,
            purpose: Purpose::SignalIntake,
            outcome: Ok(()),
            detail: format!("naam, adres, geboortedatum als kandidaat voor signaal {signal_id}"),
        }));
        audit::append(&mut tx, self.chain(), now, &entries).await?;
        tx.commit().await?;
        Ok((signal, residents))
    }

    /// Links a queued signal to one of its candidates: it joins the
    /// household's open case (or opens one), whose priority is computed
    /// again. Only a resident shown as a candidate can be chosen.
    pub async fn link_signal(
        &self,
        actor: &Actor,
        signal_id: i64,
        resident: ResidentId,
        today: Date,
        now: i64,
    ) -> Result<i64> {
        let org = super::signal_staff(actor)?.org_id;
        let mut tx = self.write_tx().await?;
        lock_intake(&mut tx, self.backend()).await?;
        let signal = queued(&mut tx, org, signal_id).await?;
        if !candidates(&mut tx, &signal).await?.contains(&resident.0) {
            return Err(StoreError::NotFound);
        }
        let household: i64 = sqlx::query_scalar("SELECT household_id FROM residents WHERE id = $1")
            .bind(resident.0)
            .fetch_one(&mut *tx)
            .await?;
        let open = sqlx::query(
            "SELECT id FROM signal_cases WHERE org_id = $1 AND household_id = $2 AND closed_on IS NULL",
        )
        .bind(org)
        .bind(household)
        .fetch_optional(&mut *tx)
        .await?;
        let case_id = match open {
            Some(r) => r.try_get("id")?,
            None => {
                let id: i64 = sqlx::query_scalar(NEXT_CASE_ID).fetch_one(&mut *tx).await?;
                sqlx::query(
                    "INSERT INTO signal_cases (id, org_id, household_id, opened_on, priority, level, reasons, updated_at) \
                     VALUES ($1, $2, $3, $4, 0, 'laag', '[]', $5)",
                )
                .bind(id)
                .bind(org)
                .bind(household)
                .bind(format_date(today))
                .bind(now)
                .execute(&mut *tx)
                .await?;
                id
            }
        };
        sqlx::query(
            "UPDATE signals SET case_id = $1, resident_id = $2, match = 'hand' WHERE id = $3",
        )
        .bind(case_id)
        .bind(resident.0)
        .bind(signal_id)
        .execute(&mut *tx)
        .await?;
        recompute_priority(&mut tx, case_id, household, today, now).await?;
        crate::work::cases::follow_cases(&mut tx, org, today, now).await?;
        let entry = NewEntry {
            actor,
            resident: Some(resident),
            action: Action::SignaalGekoppeld,
            purpose: Purpose::SignalIntake,
            outcome: Ok(()),
            detail: format!("signaal {signal_id} aan signaalzaak {case_id}"),
        };
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(case_id)
    }

    /// Takes a queued signal out of the queue with a DDAS status that says
    /// why it is not picked up.
    pub async fn set_signal_aside(
        &self,
        actor: &Actor,
        signal_id: i64,
        status: SignalStatus,
        now: i64,
    ) -> Result<()> {
        let org = super::signal_staff(actor)?.org_id;
        if status == SignalStatus::NogNietOpgepakt {
            return Err(StoreError::Invalid(wegwijs_domain::ValidationError::new(
                "status",
                wegwijs_domain::Problem::UnknownCode,
            )));
        }
        let mut tx = self.write_tx().await?;
        queued(&mut tx, org, signal_id).await?;
        sqlx::query("UPDATE signals SET status = $1 WHERE id = $2")
            .bind(status.code())
            .bind(signal_id)
            .execute(&mut *tx)
            .await?;
        let entry = NewEntry {
            actor,
            resident: None,
            action: Action::SignaalTerzijdeGelegd,
            purpose: Purpose::SignalIntake,
            outcome: Ok(()),
            detail: format!("signaal {signal_id}: {}", status.code()),
        };
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn queued(tx: &mut Tx, org: i64, signal_id: i64) -> Result<SignalView> {
    let row = sqlx::query(&format!(
        "{SIGNAL_SELECT} WHERE s.id = $1 AND s.org_id = $2 AND {QUEUED}"
    ))
    .bind(signal_id)
    .bind(org)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    signal_view(&row)
}

/// Residents the signal may be about, by BSN, address, or birth date with
/// surname; nearest first.
async fn candidates(tx: &mut Tx, s: &SignalView) -> Result<Vec<i64>> {
    let rows = sqlx::query(
        "SELECT id FROM residents WHERE bsn = $1 \
         OR (postcode = $2 AND ($3 = 0 OR huisnummer = $3)) \
         OR (geboortedatum = $4 AND LOWER(achternaam) = LOWER($5)) \
         ORDER BY CASE WHEN bsn = $1 THEN 0 WHEN postcode = $2 AND huisnummer = $3 THEN 1 ELSE 2 END, id LIMIT $6",
    )
    .bind(s.signal.bsn.map(|b| b.expose()).unwrap_or_default())
    .bind(s.signal.postcode.map(|p| p.compact()).unwrap_or_default())
    .bind(s.signal.huisnummer.map_or(0, i64::from))
    .bind(s.signal.geboortedatum.map(format_date).unwrap_or_default())
    .bind(s.signal.achternaam.clone().unwrap_or_default())
    .bind(MAX_CANDIDATES)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
}

/// Weighs the household's open case again against its recent history,
/// after a signal joined it outside an import.
pub(super) async fn recompute_priority(
    tx: &mut Tx,
    case_id: i64,
    household: i64,
    today: Date,
    now: i64,
) -> Result<()> {
    let since = format_date(today - Duration::days(priority::HISTORY_DAYS));
    let rows = sqlx::query(
        "SELECT s.partner_type, s.bedrag_cents, s.ontstaansdatum, s.signaaldatum, s.crisis, \
         s.warme_overdracht, c.id AS case_id FROM signals s JOIN signal_cases c ON c.id = s.case_id \
         WHERE c.household_id = $1 AND (c.id = $2 OR s.signaaldatum >= $3)",
    )
    .bind(household)
    .bind(case_id)
    .bind(since)
    .fetch_all(&mut **tx)
    .await?;
    let facts = rows
        .iter()
        .map(|r| signal_facts_row(r, r.try_get::<i64, _>("case_id")? == case_id))
        .collect::<Result<Vec<_>>>()?;
    let p = priority::assess(&facts, today);
    let reasons =
        serde_json::to_string(&p.reasons).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    sqlx::query("UPDATE signal_cases SET priority = $1, level = $2, reasons = $3, updated_at = $4 WHERE id = $5")
        .bind(i64::from(p.score))
        .bind(p.level.code())
        .bind(reasons)
        .bind(now)
        .bind(case_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
