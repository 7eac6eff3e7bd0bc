//! Afspraken: teams' consultation hours, residents' appointments (open work
//! of the team's organisation while planned), and their reminders in the
//! outbox, which move and lapse with the appointment.

use crate::audit::{self, NewEntry};
use crate::outbox::{Message, deliver};
use crate::residents::check_and_log;
use crate::{Result, Store, StoreError, Tx};
use sqlx::Row;
use wegwijs_domain::appointment::{Hours, Mode, REMINDER_BEFORE};
use wegwijs_domain::help::{HelpRoute, HelpTopic};
use wegwijs_domain::policy::{self, Capability};
use wegwijs_domain::{Actor, Purpose, ResidentId, WorkKind};

/// What the resident chose.
#[derive(Clone, PartialEq, Eq)]
pub struct Booking {
    pub topic: HelpTopic,
    pub starts_at: i64,
    pub mode: Mode,
    /// The number to call (by phone) or the e-mail address for the video
    /// link; None at the desk.
    pub contact: Option<String>,
    /// 'email' or 'sms' with the address or number; None for no reminder.
    pub reminder: Option<(&'static str, String)>,
}

impl std::fmt::Debug for Booking {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Booking")
            .field("topic", &self.topic)
            .field("starts_at", &self.starts_at)
            .finish_non_exhaustive()
    }
}

/// An appointment as the resident or the caseworker sees it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AppointmentView {
    pub id: i64,
    pub topic: String,
    pub org_name: String,
    pub team: String,
    pub starts_at: i64,
    pub minutes: i64,
    pub mode: &'static str,
    pub location: String,
    pub bring: String,
    pub phone: String,
    pub contact: Option<String>,
    pub reminder: Option<String>,
    pub status: String,
}

/// The portal message and, when a reminder was asked for, its text.
pub struct Notes<'a> {
    pub confirmation: &'a Message,
    pub reminder: Option<&'a Message>,
}

const COLUMNS: &str = "a.id, a.topic, o.name, a.team, a.starts_at, a.minutes, a.mode, a.location, \
                       a.bring, a.phone, a.reminder, a.status, a.contact";

impl Store {
    /// Every team's hours; no personal data.
    pub async fn appointment_hours(&self) -> Result<Vec<Hours>> {
        let rows = sqlx::query(
            "SELECT topic, weekdays, start_minute, end_minute, slot_minutes, modes, location, bring \
             FROM appointment_hours",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(hours_row).collect()
    }

    /// Sets a team's hours; who may: as for the routing table.
    pub async fn set_appointment_hours(&self, actor: &Actor, h: &Hours, now: i64) -> Result<()> {
        let mut tx = self.write_tx().await?;
        let kind = crate::requests::actor_org_kind(&mut tx, actor).await?;
        let decision = policy::may_keep_help_routes(actor, kind);
        let entry = NewEntry {
            actor,
            resident: None,
            action: "spreekuur-gewijzigd",
            purpose: Purpose::Administration,
            outcome: decision,
            detail: h.topic.code().to_string(),
        };
        audit::append(&mut tx, self.backend(), now, &[entry]).await?;
        if let Err(denied) = decision {
            tx.commit().await?;
            return Err(denied.into());
        }
        let days: Vec<String> = h.weekdays.iter().map(u8::to_string).collect();
        let modes: Vec<&str> = h.modes.iter().map(|m| m.code()).collect();
        sqlx::query(
            "INSERT INTO appointment_hours (topic, weekdays, start_minute, end_minute, slot_minutes, modes, \
             location, bring, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (topic) DO UPDATE SET weekdays = excluded.weekdays, start_minute = excluded.start_minute, \
             end_minute = excluded.end_minute, slot_minutes = excluded.slot_minutes, modes = excluded.modes, \
             location = excluded.location, bring = excluded.bring, updated_at = excluded.updated_at",
        )
        .bind(h.topic.code())
        .bind(days.join(","))
        .bind(h.start_minute)
        .bind(h.end_minute)
        .bind(h.slot_minutes)
        .bind(modes.join(","))
        .bind(&h.location)
        .bind(&h.bring)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The booked times of a team from `from` on: times only, nobody's.
    pub async fn taken_times(&self, topic: HelpTopic, from: i64) -> Result<Vec<i64>> {
        let rows = sqlx::query(
            "SELECT starts_at FROM appointments WHERE topic = $1 AND status = 'gepland' AND starts_at >= $2",
        )
        .bind(topic.code())
        .bind(from)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// Books a time with the team of `route`: the appointment, open work for
    /// the team's organisation, the confirmation in the portal, and the
    /// reminder in the outbox (a day before, or at once when that has
    /// passed). A time someone else took meanwhile is `Duplicate`.
    pub async fn book_appointment(
        &self,
        actor: &Actor,
        resident: ResidentId,
        (booking, route, hours): (&Booking, &HelpRoute, &Hours),
        notes: Notes<'_>,
        now: i64,
    ) -> Result<i64> {
        let mut tx = self.write_tx().await?;
        let who = (actor, resident, Purpose::OwnChoice);
        let detail = format!("afspraak over {}", booking.topic.code());
        let decision = check_and_log(&mut tx, self, who, "afspraak-gemaakt", &detail, now).await?;
        if let Err(denied) = decision {
            tx.commit().await?;
            return Err(denied.into());
        }
        let work: i64 = sqlx::query(
            "INSERT INTO work_items (org_id, resident_id, kind, status, opened_at) \
             VALUES ($1, $2, $3, 'open', $4) RETURNING id",
        )
        .bind(route.org_id)
        .bind(resident.0)
        .bind(WorkKind::Aanmelding.code())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        let inserted = sqlx::query(
            "INSERT INTO appointments (resident_id, org_id, work_id, topic, team, starts_at, minutes, mode, \
             location, bring, phone, reminder, status, created_at, updated_at, contact) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'gepland', $13, $13, $14) RETURNING id",
        )
        .bind(resident.0)
        .bind(route.org_id)
        .bind(work)
        .bind(booking.topic.code())
        .bind(&route.team)
        .bind(booking.starts_at)
        .bind(hours.slot_minutes)
        .bind(booking.mode.code())
        .bind(&hours.location)
        .bind(&hours.bring)
        .bind(&route.phone)
        .bind(booking.reminder.as_ref().map(|(c, _)| *c))
        .bind(now)
        .bind(booking.contact.clone())
        .fetch_one(&mut *tx)
        .await;
        let id: i64 = inserted
            .map_err(|e| StoreError::unique_as(e, "tijd"))?
            .try_get(0)?;
        let about = format!("afspraak:{id}");
        deliver(
            &mut tx,
            (resident, route.org_id),
            &about,
            notes.confirmation,
            now,
        )
        .await?;
        if let (Some((channel, address)), Some(m)) = (&booking.reminder, notes.reminder) {
            let due = (booking.starts_at - REMINDER_BEFORE.whole_seconds()).max(now);
            sqlx::query(
                "INSERT INTO outbox (resident_id, org_id, channel, address, subject, body, about, due_at, status, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'wacht', $9)",
            )
            .bind(resident.0)
            .bind(route.org_id)
            .bind(*channel)
            .bind(address)
            .bind(&m.subject)
            .bind(&m.body)
            .bind(&about)
            .bind(due)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// The resident's appointments, soonest first, planned and past.
    pub async fn own_appointments(
        &self,
        actor: &Actor,
        resident: ResidentId,
        now: i64,
    ) -> Result<Vec<AppointmentView>> {
        let mut tx = self.write_tx().await?;
        let who = (actor, resident, Purpose::OwnView);
        let decision = check_and_log(&mut tx, self, who, "afspraken-bekeken", "", now).await?;
        if let Err(denied) = decision {
            tx.commit().await?;
            return Err(denied.into());
        }
        let list = appointments(&mut tx, resident, None).await?;
        tx.commit().await?;
        Ok(list)
    }

    /// The resident moves their own planned appointment to another free
    /// time (and way); its reminder moves along. One click, no penalty.
    pub async fn move_appointment(
        &self,
        actor: &Actor,
        resident: ResidentId,
        (id, starts_at, mode, contact): (i64, i64, Mode, Option<String>),
        notes: Notes<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        let who = (actor, resident, Purpose::OwnChoice);
        let detail = format!("afspraak {id}");
        let decision = check_and_log(&mut tx, self, who, "afspraak-verzet", &detail, now).await?;
        if let Err(denied) = decision {
            tx.commit().await?;
            return Err(denied.into());
        }
        let moved = sqlx::query(
            "UPDATE appointments SET starts_at = $1, mode = $2, updated_at = $3, contact = $6 \
             WHERE id = $4 AND resident_id = $5 AND status = 'gepland' RETURNING org_id",
        )
        .bind(starts_at)
        .bind(mode.code())
        .bind(now)
        .bind(id)
        .bind(resident.0)
        .bind(contact)
        .fetch_optional(&mut *tx)
        .await;
        let org: i64 = moved
            .map_err(|e| StoreError::unique_as(e, "tijd"))?
            .ok_or(StoreError::NotFound)?
            .try_get(0)?;
        let about = format!("afspraak:{id}");
        if let Some(m) = notes.reminder {
            let due = (starts_at - REMINDER_BEFORE.whole_seconds()).max(now);
            sqlx::query(
                "UPDATE outbox SET due_at = $1, subject = $2, body = $3 WHERE about = $4 AND status = 'wacht'",
            )
            .bind(due)
            .bind(&m.subject)
            .bind(&m.body)
            .bind(&about)
            .execute(&mut *tx)
            .await?;
        }
        deliver(&mut tx, (resident, org), &about, notes.confirmation, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The resident cancels their own planned appointment: the time is
    /// free again, the reminder lapses, the work closes.
    pub async fn cancel_appointment(
        &self,
        actor: &Actor,
        resident: ResidentId,
        id: i64,
        confirmation: &Message,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        let who = (actor, resident, Purpose::OwnChoice);
        let detail = format!("afspraak {id}");
        let decision = check_and_log(&mut tx, self, who, "afspraak-afgezegd", &detail, now).await?;
        if let Err(denied) = decision {
            tx.commit().await?;
            return Err(denied.into());
        }
        let row = sqlx::query(
            "UPDATE appointments SET status = 'afgezegd', updated_at = $1 \
             WHERE id = $2 AND resident_id = $3 AND status = 'gepland' RETURNING org_id, work_id",
        )
        .bind(now)
        .bind(id)
        .bind(resident.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let (org, work): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
        sqlx::query("UPDATE work_items SET status = 'closed', closed_at = $1 WHERE id = $2 AND status = 'open'")
            .bind(now)
            .bind(work)
            .execute(&mut *tx)
            .await?;
        let about = format!("afspraak:{id}");
        sqlx::query("UPDATE outbox SET status = 'vervallen' WHERE about = $1 AND status = 'wacht'")
            .bind(&about)
            .execute(&mut *tx)
            .await?;
        deliver(&mut tx, (resident, org), &about, confirmation, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A resident's appointments with the caseworker's organisation; audited.
    pub async fn org_appointments_for(
        &self,
        actor: &Actor,
        resident: ResidentId,
        now: i64,
    ) -> Result<Vec<AppointmentView>> {
        let staff = crate::work::staff_who_may(actor, Capability::Worklist)?;
        let mut tx = self.write_tx().await?;
        let list = appointments(&mut tx, resident, Some(staff.org_id)).await?;
        if !list.is_empty() {
            let entry = NewEntry {
                actor,
                resident: Some(resident),
                action: "afspraken-bekeken",
                purpose: Purpose::Casework,
                outcome: Ok(()),
                detail: format!("{} afspraken", list.len()),
            };
            audit::append(&mut tx, self.backend(), now, &[entry]).await?;
        }
        tx.commit().await?;
        Ok(list)
    }
}

async fn appointments(
    tx: &mut Tx,
    resident: ResidentId,
    org: Option<i64>,
) -> Result<Vec<AppointmentView>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM appointments a JOIN organisations o ON o.id = a.org_id \
         WHERE a.resident_id = $1 AND ($2 = 0 OR a.org_id = $2) ORDER BY a.starts_at, a.id"
    ))
    .bind(resident.0)
    .bind(org.unwrap_or(0))
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| {
            let mode: String = r.try_get(6)?;
            Ok(AppointmentView {
                id: r.try_get(0)?,
                topic: r.try_get(1)?,
                org_name: r.try_get(2)?,
                team: r.try_get(3)?,
                starts_at: r.try_get(4)?,
                minutes: r.try_get(5)?,
                mode: Mode::from_code(&mode)
                    .map_err(|_| StoreError::Corrupt(format!("appointment mode {mode:?}")))?
                    .code(),
                location: r.try_get(7)?,
                bring: r.try_get(8)?,
                phone: r.try_get(9)?,
                reminder: r.try_get(10)?,
                status: r.try_get(11)?,
                contact: r.try_get(12)?,
            })
        })
        .collect()
}

fn hours_row(r: &sqlx::any::AnyRow) -> Result<Hours> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("appointment hours {what}"));
    let topic: String = r.try_get(0)?;
    let days: String = r.try_get(1)?;
    let modes: String = r.try_get(5)?;
    Ok(Hours {
        topic: HelpTopic::from_code(&topic).map_err(|_| corrupt("topic"))?,
        weekdays: days
            .split(',')
            .map(|d| d.parse::<u8>().map_err(|_| corrupt("weekdays")))
            .collect::<Result<_>>()?,
        start_minute: r.try_get(2)?,
        end_minute: r.try_get(3)?,
        slot_minutes: r.try_get(4)?,
        modes: modes
            .split(',')
            .map(|m| Mode::from_code(m).map_err(|_| corrupt("modes")))
            .collect::<Result<_>>()?,
        location: r.try_get(6)?,
        bring: r.try_get(7)?,
    })
}
