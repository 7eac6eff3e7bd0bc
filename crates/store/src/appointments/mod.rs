//! Afspraken: teams' consultation hours, residents' appointments (open work
//! of the team's organisation while planned), and their reminders in the
//! outbox, which move and lapse with the appointment.

use crate::audit::Action;
use crate::audit::{self, NewEntry};
use crate::outbox::{Message, deliver};
use crate::residents::check_and_log;
use crate::{Result, Store, StoreError, Tx};

mod hours;
use sqlx::Row;
use wegwijs_domain::appointment::{Hours, MAX_PLANNED, Mode, REMINDER_BEFORE};
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
/// Holds contact details: no `Debug`, so it cannot reach a log.
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
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
    /// The booked times of a team from `from` on, as (start, minutes):
    /// times only, nobody's.
    pub async fn taken_times(&self, topic: HelpTopic, from: i64) -> Result<Vec<(i64, i64)>> {
        let rows = sqlx::query(
            "SELECT starts_at, minutes FROM appointments WHERE topic = $1 AND status = 'gepland' \
             AND starts_at + minutes * 60 > $2 ORDER BY starts_at",
        )
        .bind(topic.code())
        .bind(from)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("starts_at")?, r.try_get("minutes")?)))
            .collect()
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
        let who = (actor, resident, Purpose::OwnChoice);
        let detail = format!("afspraak over {}", booking.topic.code());
        let mut tx = self
            .begin_access(who, Action::AfspraakGemaakt, &detail, now)
            .await?;
        // The audit entry above holds the chain's lock until commit, so no
        // other booking can slip in between these checks and the insert.
        // What the team noted helps: a longer slot, a reminder by text.
        let noted = crate::contacts::noted_in(&mut tx, route.org_id, resident).await?;
        let minutes = noted.slot_minutes(hours.slot_minutes);
        if overlaps(&mut tx, booking.topic, (booking.starts_at, minutes), None).await? {
            return Err(StoreError::Duplicate("tijd"));
        }
        let planned: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM appointments WHERE resident_id = $1 AND topic = $2 \
             AND status = 'gepland' AND starts_at > $3",
        )
        .bind(resident.0)
        .bind(booking.topic.code())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        if planned >= MAX_PLANNED {
            return Err(StoreError::Duplicate("afspraak"));
        }
        let today = crate::need_to_know::day_of(now)?;
        let choices =
            crate::need_to_know::resident_choices(&mut tx, resident, today, false).await?;
        let phone = match (booking.mode, &booking.reminder) {
            (Mode::Telefoon, _) => booking.contact.as_deref(),
            (_, Some(("sms", number))) => Some(number.as_str()),
            _ => None,
        };
        let chosen = booking.reminder.as_ref().map(|(c, a)| (*c, a.as_str()));
        let reminder = noted.reminder(chosen, phone, &choices);
        let work = crate::work::NewWork {
            team: Some(route.team_id),
            due: Some(crate::need_to_know::day_of(booking.starts_at)?),
            ..crate::work::NewWork::new(route.org_id, resident, WorkKind::Afspraak)
        };
        let work = crate::work::open_item(&mut tx, &work, now).await?;
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
        .bind(minutes)
        .bind(booking.mode.code())
        .bind(&hours.location)
        .bind(&hours.bring)
        .bind(&route.phone)
        .bind(reminder.map(|(c, _)| c))
        .bind(now)
        .bind(booking.contact.clone())
        .fetch_one(&mut *tx)
        .await;
        let id: i64 = inserted
            .map_err(|e| StoreError::unique_as(e, "tijd"))?
            .try_get("id")?;
        sqlx::query("UPDATE work_items SET subject_id = $1 WHERE id = $2")
            .bind(id)
            .bind(work)
            .execute(&mut *tx)
            .await?;
        let about = format!("afspraak:{id}");
        deliver(
            &mut tx,
            (resident, route.org_id),
            &about,
            notes.confirmation,
            now,
        )
        .await?;
        let due = booking.starts_at - REMINDER_BEFORE.whole_seconds();
        // Less than a day ahead: the confirmation is the reminder.
        if let (Some((channel, address)), Some(m), true) = (reminder, notes.reminder, due > now) {
            sqlx::query(
                "INSERT INTO outbox (resident_id, org_id, channel, address, subject, body, about, due_at, status, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'wacht', $9)",
            )
            .bind(resident.0)
            .bind(route.org_id)
            .bind(channel)
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
        let who = (actor, resident, Purpose::OwnView);
        let mut tx = self
            .read_access(who, Action::AfsprakenBekeken, "", now)
            .await?;
        let list = appointments(&mut tx, resident, None).await?;
        tx.commit().await?;
        Ok(list)
    }

    /// The resident moves their own planned, future appointment to another
    /// free time (and way); its reminder moves along. No penalty.
    pub async fn move_appointment(
        &self,
        actor: &Actor,
        resident: ResidentId,
        (id, starts_at, mode, contact): (i64, i64, Mode, Option<String>),
        notes: Notes<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        let a = match claim(
            &mut tx,
            self,
            (actor, resident),
            (id, Action::AfspraakVerzet),
            now,
        )
        .await?
        {
            Ok(a) => a,
            Err(e) => {
                tx.commit().await?;
                return Err(e);
            }
        };
        if overlaps(&mut tx, a.topic, (starts_at, a.minutes), Some(id)).await? {
            return Err(StoreError::Duplicate("tijd"));
        }
        sqlx::query(
            "UPDATE appointments SET starts_at = $1, mode = $2, updated_at = $3, contact = $4 WHERE id = $5",
        )
        .bind(starts_at)
        .bind(mode.code())
        .bind(now)
        .bind(contact)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::unique_as(e, "tijd"))?;
        // The work (and a preparation's) is due on the new day.
        sqlx::query(
            "UPDATE work_items SET due_on = $1, version = version + 1, updated_at = $2 \
             WHERE subject_id = $3 AND kind IN ('afspraak', 'voorbereiding') AND status = 'open'",
        )
        .bind(wegwijs_domain::person::format_date(
            crate::need_to_know::day_of(starts_at)?,
        ))
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let about = format!("afspraak:{id}");
        let due = starts_at - REMINDER_BEFORE.whole_seconds();
        if let (Some(m), true) = (notes.reminder, a.reminder.is_some()) {
            move_reminder(&mut tx, &about, m, due, now).await?;
        }
        deliver(&mut tx, (resident, a.org), &about, notes.confirmation, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The resident cancels their own planned, future appointment: the
    /// time is free again, the reminder lapses, the work closes.
    pub async fn cancel_appointment(
        &self,
        actor: &Actor,
        resident: ResidentId,
        id: i64,
        confirmation: &Message,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        let a = match claim(
            &mut tx,
            self,
            (actor, resident),
            (id, Action::AfspraakAfgezegd),
            now,
        )
        .await?
        {
            Ok(a) => a,
            Err(e) => {
                tx.commit().await?;
                return Err(e);
            }
        };
        sqlx::query("UPDATE appointments SET status = 'afgezegd', updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        close_work(&mut tx, a.work, now).await?;
        let about = format!("afspraak:{id}");
        sqlx::query("UPDATE outbox SET status = 'vervallen' WHERE about = $1 AND status = 'wacht'")
            .bind(&about)
            .execute(&mut *tx)
            .await?;
        deliver(&mut tx, (resident, a.org), &about, confirmation, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Appointments that have taken place: marked 'geweest', and the work
    /// they opened closed, so the team's access ends with the meeting
    /// (a day later, for the caseworker's notes). Returns how many.
    pub async fn finish_past_appointments(&self, now: i64) -> Result<usize> {
        const NOTES_DAY: i64 = 24 * 3600;
        let mut tx = self.write_tx().await?;
        let rows = sqlx::query(
            "UPDATE appointments SET status = 'geweest', updated_at = $1 \
             WHERE status = 'gepland' AND starts_at + minutes * 60 + $2 <= $1 RETURNING resident_id, work_id, id",
        )
        .bind(now)
        .bind(NOTES_DAY)
        .fetch_all(&mut *tx)
        .await?;
        let actor = Actor::System("afspraken");
        let mut entries = Vec::new();
        for r in &rows {
            let (resident, work, id): (i64, i64, i64) = (
                r.try_get("resident_id")?,
                r.try_get("work_id")?,
                r.try_get("id")?,
            );
            close_work(&mut tx, work, now).await?;
            entries.push((
                resident,
                format!("afspraak {id} geweest, werk {work} gesloten"),
            ));
        }
        let entries: Vec<NewEntry> = entries
            .into_iter()
            .map(|(resident, detail)| NewEntry {
                actor: &actor,
                resident: Some(ResidentId(resident)),
                action: Action::WerkGesloten,
                purpose: Purpose::Casework,
                outcome: Ok(()),
                detail,
            })
            .collect();
        if !entries.is_empty() {
            audit::append(&mut tx, self.chain(), now, &entries).await?;
        }
        tx.commit().await?;
        Ok(rows.len())
    }

    /// A resident's appointments with the caseworker's organisation; audited.
    pub async fn org_appointments_for(
        &self,
        actor: &Actor,
        resident: ResidentId,
        now: i64,
    ) -> Result<Vec<AppointmentView>> {
        let staff = crate::work::staff_who_may(actor, Capability::Worklist)?;
        let who = (actor, resident, Purpose::Casework);
        let mut tx = self
            .read_access(who, Action::AfsprakenBekeken, "", now)
            .await?;
        let list = appointments(&mut tx, resident, Some(staff.org_id)).await?;
        tx.commit().await?;
        Ok(list)
    }
}

/// A resident's own planned, future appointment, as moving or cancelling
/// needs it.
struct Planned {
    org: i64,
    work: i64,
    topic: HelpTopic,
    minutes: i64,
    reminder: Option<String>,
}

/// The appointment `id` if it is the resident's own, planned and still to
/// come, with the attempt logged. Someone else's is refused in the log
/// (under the one who tried: the owner learns nothing from it) and not
/// found; the caller commits either way.
async fn claim(
    tx: &mut Tx,
    store: &Store,
    (actor, resident): (&Actor, ResidentId),
    (id, action): (i64, Action),
    now: i64,
) -> Result<Result<Planned>> {
    let row = sqlx::query(
        "SELECT resident_id, org_id, work_id, topic, minutes, reminder, status, starts_at \
         FROM appointments WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(r) = row else {
        return Ok(Err(StoreError::NotFound));
    };
    let detail = format!("afspraak {id}");
    let owner = ResidentId(r.try_get("resident_id")?);
    if let Err(denied) = policy::may_change_appointment(actor, owner) {
        let attempt = (action, detail.as_str());
        audit::refuse_others_item(tx, store.chain(), (actor, resident), attempt, denied, now)
            .await?;
        return Ok(Err(StoreError::NotFound));
    }
    let who = (actor, resident, Purpose::OwnChoice);
    if let Err(denied) = check_and_log(tx, store, who, action, &detail, now).await? {
        return Ok(Err(denied.into()));
    }
    let status: String = r.try_get("status")?;
    if status != "gepland" || r.try_get::<i64, _>("starts_at")? <= now {
        return Ok(Err(StoreError::NotFound));
    }
    let topic: String = r.try_get("topic")?;
    Ok(Ok(Planned {
        org: r.try_get("org_id")?,
        work: r.try_get("work_id")?,
        topic: HelpTopic::from_code(&topic)
            .map_err(|_| StoreError::Corrupt(format!("appointment topic {topic:?}")))?,
        minutes: r.try_get("minutes")?,
        reminder: r.try_get("reminder")?,
    }))
}

/// Does [start, start + minutes) overlap a planned appointment of the team
/// (other than `except`)?
async fn overlaps(
    tx: &mut Tx,
    topic: HelpTopic,
    (start, minutes): (i64, i64),
    except: Option<i64>,
) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM appointments WHERE topic = $1 AND status = 'gepland' AND id <> $2 \
         AND starts_at < $3 AND starts_at + minutes * 60 > $4",
    )
    .bind(topic.code())
    .bind(except.unwrap_or(0))
    .bind(start + minutes * 60)
    .bind(start)
    .fetch_one(&mut **tx)
    .await?;
    Ok(n > 0)
}

/// The waiting reminder moves to the new day; one already sent (or left
/// out when the meeting was near) is made again from the last one's
/// address. A new time less than a day ahead gets none.
async fn move_reminder(tx: &mut Tx, about: &str, m: &Message, due: i64, now: i64) -> Result<()> {
    if due <= now {
        sqlx::query("UPDATE outbox SET status = 'vervallen' WHERE about = $1 AND status = 'wacht'")
            .bind(about)
            .execute(&mut **tx)
            .await?;
        return Ok(());
    }
    let moved = sqlx::query(
        "UPDATE outbox SET due_at = $1, subject = $2, body = $3 WHERE about = $4 AND status = 'wacht'",
    )
    .bind(due)
    .bind(&m.subject)
    .bind(&m.body)
    .bind(about)
    .execute(&mut **tx)
    .await?;
    if moved.rows_affected() == 0 {
        sqlx::query(
            "INSERT INTO outbox (resident_id, org_id, channel, address, subject, body, about, due_at, status, created_at) \
             SELECT resident_id, org_id, channel, address, $1, $2, about, $3, 'wacht', $4 FROM outbox \
             WHERE id = (SELECT MAX(id) FROM outbox WHERE about = $5 AND channel IN ('email', 'sms'))",
        )
        .bind(&m.subject)
        .bind(&m.body)
        .bind(due)
        .bind(now)
        .bind(about)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The appointment's work, and the work on its preparation, end with it.
async fn close_work(tx: &mut Tx, work: i64, now: i64) -> Result<()> {
    let ended = (wegwijs_domain::work::Outcome::Elders, "");
    crate::work::close_item(tx, work, ended, now).await?;
    let preparation = sqlx::query(
        "SELECT p.id FROM work_items a JOIN work_items p ON p.subject_id = a.subject_id \
         WHERE a.id = $1 AND p.kind = 'voorbereiding' AND p.status = 'open'",
    )
    .bind(work)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(p) = preparation {
        crate::work::close_item(tx, p.try_get("id")?, ended, now).await?;
    }
    Ok(())
}

pub(crate) async fn appointments(
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
            let mode: String = r.try_get("mode")?;
            Ok(AppointmentView {
                id: r.try_get("id")?,
                topic: r.try_get("topic")?,
                org_name: r.try_get("name")?,
                team: r.try_get("team")?,
                starts_at: r.try_get("starts_at")?,
                minutes: r.try_get("minutes")?,
                mode: Mode::from_code(&mode)
                    .map_err(|_| StoreError::Corrupt(format!("appointment mode {mode:?}")))?
                    .code(),
                location: r.try_get("location")?,
                bring: r.try_get("bring")?,
                phone: r.try_get("phone")?,
                reminder: r.try_get("reminder")?,
                status: r.try_get("status")?,
                contact: r.try_get("contact")?,
            })
        })
        .collect()
}
