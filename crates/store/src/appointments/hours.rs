//! Teams' consultation hours: when a topic's team meets residents, how
//! long a slot is, in which ways, where, and what to bring. No personal
//! data.

use crate::audit::{self, Action, NewEntry};
use crate::{Result, Store, StoreError};
use sqlx::Row;
use wegwijs_domain::appointment::{Hours, Mode};
use wegwijs_domain::help::HelpTopic;
use wegwijs_domain::policy;
use wegwijs_domain::{Actor, Purpose};

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
            action: Action::SpreekuurGewijzigd,
            purpose: Purpose::Administration,
            outcome: decision,
            detail: h.topic.code().to_string(),
        };
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
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
}

fn hours_row(r: &sqlx::any::AnyRow) -> Result<Hours> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("appointment hours {what}"));
    let topic: String = r.try_get("topic")?;
    let days: String = r.try_get("weekdays")?;
    let modes: String = r.try_get("modes")?;
    Ok(Hours {
        topic: HelpTopic::from_code(&topic).map_err(|_| corrupt("topic"))?,
        weekdays: days
            .split(',')
            .map(|d| d.parse::<u8>().map_err(|_| corrupt("weekdays")))
            .collect::<Result<_>>()?,
        start_minute: r.try_get("start_minute")?,
        end_minute: r.try_get("end_minute")?,
        slot_minutes: r.try_get("slot_minutes")?,
        modes: modes
            .split(',')
            .map(|m| Mode::from_code(m).map_err(|_| corrupt("modes")))
            .collect::<Result<_>>()?,
        location: r.try_get("location")?,
        bring: r.try_get("bring")?,
    })
}
