//! The outbox: messages to residents. Portal messages are delivered at
//! once; e-mail and SMS wait here until a channel sends them. No channel is
//! connected yet: in demo mode the job marks them sent, and the resident
//! sees them in the demo mailbox; in production they wait.

use crate::audit::Action;
use crate::{Result, Store, Tx};
use sqlx::Row;
use wegwijs_domain::{Actor, Purpose, ResidentId};

/// A message to a resident in the portal (the outbox, channel 'portaal').
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub subject: String,
    pub body: String,
}

/// A message in the resident's portal.
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
pub struct PortalMessage {
    pub id: i64,
    pub at: i64,
    pub from: String,
    pub subject: String,
    pub body: String,
    /// What it is about: "hulpvraag:3", "afspraak:2", or "".
    pub about: String,
}

/// An e-mail or SMS to the resident, as the demo mailbox shows it.
/// Holds addresses and texts: no `Debug`, so it cannot reach a log.
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
pub struct SentMail {
    pub channel: String,
    pub address: String,
    pub subject: String,
    pub body: String,
    pub due_at: i64,
    pub sent_at: Option<i64>,
    pub status: String,
}

impl Store {
    /// Sends what is due. Without a connected channel only the demo
    /// "sends" (marks them sent for its mailbox); returns how many.
    pub async fn send_due_mail(&self, demo: bool, now: i64) -> Result<u64> {
        if !demo {
            return Ok(0);
        }
        let done = sqlx::query(
            "UPDATE outbox SET status = 'verstuurd', sent_at = $1 \
             WHERE status = 'wacht' AND due_at <= $1 AND channel IN ('email', 'sms')",
        )
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected())
    }

    /// The resident's messages in the portal, newest first; audited.
    pub async fn own_messages(
        &self,
        actor: &Actor,
        resident: ResidentId,
        now: i64,
    ) -> Result<Vec<PortalMessage>> {
        let who = (actor, resident, Purpose::OwnView);
        let mut tx = self
            .read_access(who, Action::BerichtenBekeken, "", now)
            .await?;
        let list = portal_messages(&mut tx, resident).await?;
        tx.commit().await?;
        Ok(list)
    }

    /// The resident's own e-mail and SMS, newest first: the demo mailbox.
    pub async fn own_mail(
        &self,
        actor: &Actor,
        resident: ResidentId,
        now: i64,
    ) -> Result<Vec<SentMail>> {
        let who = (actor, resident, Purpose::OwnView);
        let mut tx = self.read_access(who, Action::PostBekeken, "", now).await?;
        let rows = sqlx::query(
            "SELECT channel, address, subject, body, due_at, sent_at, status FROM outbox \
             WHERE resident_id = $1 AND channel IN ('email', 'sms') ORDER BY due_at DESC, id DESC LIMIT 200",
        )
        .bind(resident.0)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        rows.iter()
            .map(|r| {
                Ok(SentMail {
                    channel: r.try_get("channel")?,
                    address: r
                        .try_get::<Option<String>, _>("address")?
                        .unwrap_or_default(),
                    subject: r.try_get("subject")?,
                    body: r.try_get("body")?,
                    due_at: r.try_get("due_at")?,
                    sent_at: r.try_get("sent_at")?,
                    status: r.try_get("status")?,
                })
            })
            .collect()
    }
}

/// A message in the resident's portal, delivered at once.
pub(crate) async fn deliver(
    tx: &mut Tx,
    (resident, org): (ResidentId, i64),
    about: &str,
    m: &Message,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO outbox (resident_id, org_id, channel, address, subject, body, about, due_at, status, sent_at, created_at) \
         VALUES ($1, $2, 'portaal', NULL, $3, $4, $5, $6, 'verstuurd', $6, $6)",
    )
    .bind(resident.0)
    .bind(org)
    .bind(&m.subject)
    .bind(&m.body)
    .bind(about)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The resident's portal messages (see [`Store::own_messages`]).
pub(crate) async fn portal_messages(
    tx: &mut Tx,
    resident: ResidentId,
) -> Result<Vec<PortalMessage>> {
    let rows = sqlx::query(
        "SELECT m.id, m.sent_at, o.name, m.subject, m.body, m.about FROM outbox m \
         JOIN organisations o ON o.id = m.org_id \
         WHERE m.resident_id = $1 AND m.channel = 'portaal' AND m.status = 'verstuurd' \
         ORDER BY m.id DESC LIMIT 200",
    )
    .bind(resident.0)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(PortalMessage {
                id: r.try_get("id")?,
                at: r.try_get::<Option<i64>, _>("sent_at")?.unwrap_or_default(),
                from: r.try_get("name")?,
                subject: r.try_get("subject")?,
                body: r.try_get("body")?,
                about: r.try_get("about")?,
            })
        })
        .collect()
}
