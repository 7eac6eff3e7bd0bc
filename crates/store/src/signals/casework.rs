//! What a caseworker records on a signal case: contact attempts (which
//! also move the outreach tasks along) and the end result, with the
//! trajectory it may start and the objection it may carry.

use super::cases::{CaseHead, fetch_head};
use super::settings::plan_of;
use crate::audit::Action;
use crate::audit::{self, NewEntry};
use crate::{Result, Store, StoreError, Tx};
use sqlx::Row;
use time::Date;
use wegwijs_domain::person::format_date;
use wegwijs_domain::policy;
use wegwijs_domain::signal::{Closing, ContactAttempt, ContactKind};
use wegwijs_domain::{Actor, Purpose, ResidentId, Staff, WorkKind};

impl Store {
    /// A write transaction on an open case that `actor` may work on: a
    /// caseworker or team lead of its municipality.
    async fn open_case_to_work(
        &self,
        actor: &Actor,
        case_id: i64,
    ) -> Result<(Staff, Tx, CaseHead)> {
        let staff = policy::signal_worker(actor)?;
        let mut tx = self.write_tx().await?;
        let head = fetch_head(&mut tx, case_id).await?;
        policy::may_work_signals(actor, head.org)?;
        if head.closed_on.is_some() {
            return Err(StoreError::NotFound);
        }
        Ok((staff, tx, head))
    }

    /// When the case was opened, for checking an attempt's date. Only for
    /// caseworkers of the case's municipality.
    pub async fn signal_case_opened(&self, actor: &Actor, case_id: i64) -> Result<Date> {
        let mut tx = self.pool().begin().await?;
        let head = fetch_head(&mut tx, case_id).await?;
        policy::may_work_signals(actor, head.org)?;
        Ok(head.opened_on)
    }

    /// The open case of `resident`'s household at the actor's municipality,
    /// if there is one: the resident's page links to it. Asked only where
    /// need-to-know shows the arrears.
    pub async fn open_case_of(&self, actor: &Actor, resident: ResidentId) -> Result<Option<i64>> {
        let staff = policy::signal_worker(actor)?;
        self.read_row(
            "SELECT c.id FROM signal_cases c JOIN residents r ON r.household_id = c.household_id \
             WHERE r.id = $1 AND c.org_id = $2 AND c.closed_on IS NULL",
            vec![resident.0.into(), staff.org_id.into()],
            |r| r.int("id"),
        )
        .await
    }

    /// Records a contact attempt. The first attempt marks the case picked
    /// up; it completes the oldest open task of its kind; a home visit
    /// that finds nobody in adds a card task when the plan says so.
    pub async fn record_contact_attempt(
        &self,
        actor: &Actor,
        case_id: i64,
        attempt: &ContactAttempt,
        now: i64,
    ) -> Result<()> {
        let (staff, mut tx, head) = self.open_case_to_work(actor, case_id).await?;
        if attempt.on < head.opened_on {
            return Err(StoreError::Invalid(wegwijs_domain::ValidationError::new(
                "datum",
                wegwijs_domain::Problem::BeforeCaseOpened,
            )));
        }
        // A "no" to this channel, to being approached, or a pause holds:
        // the attempt is not made, so it cannot be recorded as made.
        let today = crate::need_to_know::day_of(now)?;
        let choices = crate::need_to_know::case_choices(&mut tx, case_id, today).await?;
        if choices.refuses(attempt.kind) {
            return Err(StoreError::Invalid(wegwijs_domain::ValidationError::new(
                "soort",
                wegwijs_domain::Problem::ChannelRefused,
            )));
        }
        let on = format_date(attempt.on);
        sqlx::query(
            "INSERT INTO contact_attempts (case_id, kind, on_date, dagdeel, reached, user_id, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(case_id)
        .bind(attempt.kind.code())
        .bind(on.clone())
        .bind(attempt.dagdeel.code())
        .bind(i64::from(attempt.reached))
        .bind(staff.user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE signal_cases SET picked_up_on = $1, updated_at = $2 WHERE id = $3 AND picked_up_on IS NULL",
        )
        .bind(on.clone())
        .bind(now)
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE outreach_tasks SET status = 'gedaan', done_at = $1 WHERE id = \
             (SELECT id FROM outreach_tasks WHERE case_id = $2 AND kind = $3 AND status = 'open' ORDER BY due_on, step LIMIT 1)",
        )
        .bind(now)
        .bind(case_id)
        .bind(attempt.kind.code())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE work_items SET stage = 'in-behandeling', version = version + 1, updated_at = $1 \
             WHERE subject_id = $2 AND kind = 'signaal' AND status = 'open' AND stage = 'nieuw'",
        )
        .bind(now)
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
        if attempt.kind == ContactKind::Huisbezoek && !attempt.reached {
            let plan = plan_of(&mut tx, head.org).await?;
            if plan.card_when_not_home {
                sqlx::query(
                    "INSERT INTO outreach_tasks (case_id, step, kind, due_on, status, created_at) \
                     VALUES ($1, -1, 'kaartje', $2, 'open', $3) ON CONFLICT (case_id, step) DO NOTHING",
                )
                .bind(case_id)
                .bind(on)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        }
        let contact = household_contact(&mut tx, case_id).await?;
        if let (ContactKind::Brief, Some(resident)) = (attempt.kind, contact) {
            call_after_letter(
                &mut tx,
                (case_id, head.org, resident),
                (attempt.on, &choices),
                now,
            )
            .await?;
        }
        crate::work::cases::follow_tasks(&mut tx, head.org, Some(case_id), now).await?;
        let entry = NewEntry {
            actor,
            resident: contact,
            action: Action::ContactpogingVastgelegd,
            purpose: Purpose::Casework,
            outcome: Ok(()),
            detail: format!(
                "signaalzaak {case_id}: {} {} {}",
                attempt.kind.code(),
                attempt.dagdeel.code(),
                if attempt.reached {
                    "bereikt"
                } else {
                    "niet bereikt"
                }
            ),
        };
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends a case with its DDAS end result. Help accepted opens a
    /// trajectory (work for the municipality about the household's
    /// contact); a refusal may carry an objection that keeps the household
    /// from being approached on these arrears until its end date.
    pub async fn close_signal_case(
        &self,
        actor: &Actor,
        case_id: i64,
        closing: &Closing,
        today: Date,
        now: i64,
    ) -> Result<()> {
        let (staff, mut tx, head) = self.open_case_to_work(actor, case_id).await?;
        let day = format_date(today);
        let result = closing.result;
        sqlx::query(
            "UPDATE signal_cases SET closed_on = $1, result = $2, \
             picked_up_on = CASE WHEN $3 = 1 THEN COALESCE(picked_up_on, $1) ELSE picked_up_on END, \
             trajectory_on = CASE WHEN $4 = 1 THEN $1 ELSE NULL END, updated_at = $5 WHERE id = $6",
        )
        .bind(day.clone())
        .bind(result.code())
        .bind(i64::from(result.picked_up()))
        .bind(i64::from(result.help_accepted()))
        .bind(now)
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
        if let Some(status) = result.signal_status() {
            sqlx::query("UPDATE signals SET status = $1 WHERE case_id = $2")
                .bind(status.code())
                .bind(case_id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "UPDATE outreach_tasks SET status = 'vervallen', done_at = $1 WHERE case_id = $2 AND status = 'open'",
        )
        .bind(now)
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
        let contact = household_contact(&mut tx, case_id).await?;
        if let Some(until) = closing.objection_until {
            sqlx::query(
                "INSERT INTO signal_objections (org_id, household_id, partner_type, klantnummer, recorded_on, until_on, user_id) \
                 SELECT DISTINCT $1, $2, partner_type, klantnummer, $3, $4, $5 FROM signals WHERE case_id = $6",
            )
            .bind(head.org)
            .bind(head.household)
            .bind(day.clone())
            .bind(format_date(until))
            .bind(staff.user_id)
            .bind(case_id)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(work) = crate::work::open_item_of(&mut tx, WorkKind::Signaal, case_id).await? {
            let ended = (wegwijs_domain::work::Outcome::Elders, result.code());
            crate::work::close_item(&mut tx, work, ended, now).await?;
        }
        if let (true, Some(resident)) = (result.help_accepted(), contact) {
            let help = crate::work::NewWork {
                subject: Some(case_id),
                ..crate::work::NewWork::new(head.org, resident, WorkKind::Traject)
            };
            crate::work::open_item(&mut tx, &help, now).await?;
        }
        let entry = NewEntry {
            actor,
            resident: contact,
            action: Action::SignaalzaakAfgesloten,
            purpose: Purpose::Casework,
            outcome: Ok(()),
            detail: format!(
                "signaalzaak {case_id}: {}{}",
                result.code(),
                if closing.objection_until.is_some() {
                    ", bezwaar vastgelegd"
                } else {
                    ""
                }
            ),
        };
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// "Bel na elke brief": a letter sent makes a call task for the next
/// working day (one open at a time), unless the household refused the
/// phone or the resident would rather not be called.
async fn call_after_letter(
    tx: &mut Tx,
    (case_id, org, resident): (i64, i64, ResidentId),
    (sent_on, choices): (Date, &wegwijs_domain::consent::HouseholdChoices),
    now: i64,
) -> Result<()> {
    let noted = crate::contacts::noted_in(tx, org, resident).await?;
    if !noted.call_after_letter(choices) {
        return Ok(());
    }
    let due = wegwijs_domain::help::add_working_days(sent_on, 1);
    sqlx::query(
        "INSERT INTO outreach_tasks (case_id, step, kind, due_on, status, created_at) \
         VALUES ($1, $2, $3, $4, 'open', $5) ON CONFLICT (case_id, step) DO UPDATE SET \
         status = 'open', due_on = excluded.due_on, created_at = excluded.created_at",
    )
    .bind(case_id)
    .bind(CALL_AFTER_LETTER_STEP)
    .bind(ContactKind::Telefoon.code())
    .bind(format_date(due))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The outreach task step of the call after a letter (the plan's steps
/// count from 0; -1 is the card after a visit).
const CALL_AFTER_LETTER_STEP: i64 = -2;

/// The resident of the case's first linked signal.
async fn household_contact(tx: &mut Tx, case_id: i64) -> Result<Option<ResidentId>> {
    let row = sqlx::query(
        "SELECT resident_id FROM signals WHERE case_id = $1 AND resident_id IS NOT NULL ORDER BY id LIMIT 1",
    )
    .bind(case_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row
        .map(|r| r.try_get("resident_id"))
        .transpose()?
        .map(ResidentId))
}
