//! The daily vroegsignalering jobs: outreach tasks from each
//! municipality's plan, and deletion of what has passed its retention term.
//! Both take their day from the caller's (injected) clock.

use super::intake_db::{KEEP_LAST_CASE_ID, lock_intake};
use super::settings::plan_of;
use crate::audit::Action;
use crate::audit::{self, NewEntry};
use crate::{Result, Store};
use sqlx::Row;
use time::{Date, Duration};
use wegwijs_domain::consent::{HouseholdChoices, deciders_born_by};
use wegwijs_domain::person::format_date;
use wegwijs_domain::signal::Retention;
use wegwijs_domain::signal::outreach::MAX_DAY;
use wegwijs_domain::{Actor, Purpose};

/// What one retention run removed for one municipality: counts only.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RetentionCounts {
    pub signals: u64,
    pub cases: u64,
    pub quarantined: u64,
    pub objections: u64,
}

const TASK_BATCH: usize = 500;

impl Store {
    /// Creates the outreach tasks that have come due by `today` for every
    /// open case, from its municipality's plan. Running it again the same
    /// day creates nothing new. Returns how many tasks were created.
    pub async fn plan_outreach(&self, today: Date, now: i64) -> Result<u64> {
        let mut tx = self.write_tx().await?;
        let orgs: Vec<i64> =
            sqlx::query("SELECT DISTINCT org_id FROM signal_cases WHERE closed_on IS NULL")
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| r.try_get("org_id"))
                .collect::<Result<_, _>>()?;
        let earliest = format_date(today - Duration::days(i64::from(MAX_DAY)));
        let mut created = 0;
        for org in orgs {
            let plan = plan_of(&mut tx, org).await?;
            // A household where someone said no, or asked for a pause,
            // gets no tasks. After a pause or a new yes, the plan runs again
            // from that day (`restarts`), so cases older than the window
            // with such a choice are read too.
            let sql = format!(
                "SELECT id, opened_on FROM signal_cases WHERE org_id = $1 AND closed_on IS NULL \
                 AND (opened_on >= $2 OR {}) AND {}",
                crate::consents::household_has_restart("signal_cases.household_id", "$4"),
                crate::consents::household_may_be_approached(
                    "signal_cases.household_id",
                    "$3",
                    "$4"
                )
            );
            let cases = sqlx::query(&sql)
                .bind(org)
                .bind(earliest.clone())
                .bind(format_date(today))
                .bind(format_date(deciders_born_by(today)))
                .fetch_all(&mut *tx)
                .await?;
            let restarts = crate::consents::restarts(&mut tx, org, today).await?;
            // Steps by a channel the household refused are left out.
            let choices = crate::need_to_know::org_case_choices(&mut tx, org, today).await?;
            let no_choice = HouseholdChoices::from_members(&[], today, true);
            let mut rows: Vec<(i64, i64, &'static str, String)> = Vec::new();
            for c in &cases {
                let id: i64 = c.try_get("id")?;
                let opened = super::date(&c.try_get::<String, _>("opened_on")?)?;
                let start = restarts.get(&id).map_or(opened, |r| opened.max(*r));
                if format_date(start) < earliest {
                    continue;
                }
                for (step, s, due) in plan.due(start, today) {
                    if !choices.get(&id).unwrap_or(&no_choice).refuses(s.kind) {
                        rows.push((id, step as i64, s.kind.code(), format_date(due)));
                    }
                }
            }
            for chunk in rows.chunks(TASK_BATCH) {
                let sql = format!(
                    "INSERT INTO outreach_tasks (case_id, step, kind, due_on, status, created_at) VALUES {} \
                     ON CONFLICT (case_id, step) DO UPDATE SET status = 'open', due_on = excluded.due_on, \
                     created_at = excluded.created_at WHERE outreach_tasks.status = 'vervallen'",
                    self.backend().placeholders(chunk.len(), 6)
                );
                let mut q = sqlx::query(&sql);
                for (case, step, kind, due) in chunk {
                    q = q
                        .bind(*case)
                        .bind(*step)
                        .bind(*kind)
                        .bind(due.clone())
                        .bind("open")
                        .bind(now);
                }
                created += q.execute(&mut *tx).await?.rows_affected();
            }
            crate::work::cases::follow_tasks(&mut tx, org, None, now).await?;
        }
        tx.commit().await?;
        Ok(created)
    }

    /// Deletes, per municipality and its terms: signals never picked up
    /// once their term since arrival has passed; cases that were picked up,
    /// with their signals, attempts and tasks, once their term since
    /// closing has passed; quarantined rows as old as unpicked signals;
    /// objections past their end date. Records counts, never content.
    pub async fn apply_retention(
        &self,
        today: Date,
        now: i64,
    ) -> Result<Vec<(i64, RetentionCounts)>> {
        let orgs: Vec<i64> = sqlx::query(
            "SELECT org_id FROM signal_imports UNION SELECT org_id FROM signal_settings",
        )
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| r.try_get("org_id"))
        .collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for org in orgs {
            let retention = self.signal_settings(org).await?.retention;
            let counts = self.retain_org(org, retention, today, now).await?;
            out.push((org, counts));
        }
        Ok(out)
    }

    async fn retain_org(
        &self,
        org: i64,
        retention: Retention,
        today: Date,
        now: i64,
    ) -> Result<RetentionCounts> {
        let unpicked = format_date(retention.not_picked_up_cutoff(today));
        let ended = format_date(retention.after_case_cutoff(today));
        let mut tx = self.write_tx().await?;
        // Case ids are given out under the intake lock; keep the highest
        // before any case goes, so none is ever given out twice.
        lock_intake(&mut tx, self.backend()).await?;
        sqlx::query(KEEP_LAST_CASE_ID).execute(&mut *tx).await?;
        let exec = |sql: &'static str| sqlx::query(sql);
        let signals_unpicked = exec(
            "DELETE FROM signals WHERE org_id = $1 AND received_on < $2 AND (case_id IS NULL OR case_id IN \
             (SELECT id FROM signal_cases WHERE org_id = $1 AND picked_up_on IS NULL))",
        )
        .bind(org)
        .bind(unpicked.clone())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let signals_ended = exec(
            "DELETE FROM signals WHERE org_id = $1 AND case_id IN \
             (SELECT id FROM signal_cases WHERE org_id = $1 AND picked_up_on IS NOT NULL AND closed_on < $2)",
        )
        .bind(org)
        .bind(ended)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let empty = "SELECT id FROM signal_cases c WHERE c.org_id = $1 AND NOT EXISTS \
                     (SELECT 1 FROM signals s WHERE s.case_id = c.id)";
        for child in ["contact_attempts", "outreach_tasks"] {
            sqlx::query(&format!("DELETE FROM {child} WHERE case_id IN ({empty})"))
                .bind(org)
                .execute(&mut *tx)
                .await?;
        }
        let dossiers = forget_cases_work(&mut tx, org, empty).await?;
        let cases = sqlx::query(&format!("DELETE FROM signal_cases WHERE id IN ({empty})"))
            .bind(org)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let quarantine_cutoff = retention_cutoff_secs(retention.not_picked_up_cutoff(today));
        let quarantined =
            exec("DELETE FROM signal_quarantine WHERE org_id = $1 AND created_at < $2")
                .bind(org)
                .bind(quarantine_cutoff)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        let objections = exec("DELETE FROM signal_objections WHERE org_id = $1 AND until_on < $2")
            .bind(org)
            .bind(format_date(today))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let counts = RetentionCounts {
            signals: signals_unpicked + signals_ended,
            cases,
            quarantined,
            objections,
        };
        sqlx::query(
            "INSERT INTO signal_retention_runs (org_id, ran_on, signals, cases, quarantined, objections) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(org)
        .bind(format_date(today))
        .bind(counts.signals as i64)
        .bind(counts.cases as i64)
        .bind(counts.quarantined as i64)
        .bind(counts.objections as i64)
        .execute(&mut *tx)
        .await?;
        let actor = Actor::System("bewaartermijn");
        let entry = NewEntry {
            actor: &actor,
            resident: None,
            action: Action::BewaartermijnToegepast,
            purpose: Purpose::Retention,
            outcome: Ok(()),
            detail: format!(
                "organisatie {org}: {} signalen, {} zaken, {} quarantaineregels, {} bezwaren, \
                 {dossiers} dossierregels verwijderd",
                counts.signals, counts.cases, counts.quarantined, counts.objections
            ),
        };
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(counts)
    }
}

/// The work of the cases `cases` selects (their ids, for organisation $1)
/// goes with them; so does the organisation's dossier (notes, contacts,
/// what helps) of the households' members it has no other open work
/// about. Returns how many dossier rows went.
async fn forget_cases_work(tx: &mut crate::Tx, org: i64, cases: &str) -> Result<u64> {
    let members = format!(
        "SELECT r.id FROM residents r WHERE r.household_id IN \
         (SELECT household_id FROM signal_cases WHERE id IN ({cases}))"
    );
    sqlx::query(&format!(
        "DELETE FROM work_items WHERE org_id = $1 AND kind = 'signaal' AND subject_id IN ({cases})"
    ))
    .bind(org)
    .execute(&mut **tx)
    .await?;
    let mut gone = 0;
    for table in ["case_notes", "contact_records", "accommodations"] {
        gone += sqlx::query(&format!(
            "DELETE FROM {table} WHERE org_id = $1 AND resident_id IN ({members}) AND NOT EXISTS \
             (SELECT 1 FROM work_items w WHERE w.resident_id = {table}.resident_id AND w.org_id = $1 \
             AND w.status = 'open')"
        ))
        .bind(org)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    }
    Ok(gone)
}

/// Midnight UTC of the cutoff day, for rows stamped in unix seconds.
fn retention_cutoff_secs(day: Date) -> i64 {
    day.midnight().assume_utc().unix_timestamp()
}
