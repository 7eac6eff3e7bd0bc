//! Gesprek voorbereiden: a resident's answers for one of their planned
//! appointments, the letters they upload (kept in the database, never under
//! the web root), and what the team's caseworker sees once it is sent.

use crate::audit::{self, NewEntry};
use crate::residents::check_and_log;
use crate::{Result, Store, StoreError, Tx};
use sha2::{Digest, Sha256};
use sqlx::Row;
use wegwijs_domain::policy::Capability;
use wegwijs_domain::preparation::Preparation;
use wegwijs_domain::upload::{FileKind, MAX_FILES};
use wegwijs_domain::{Actor, Denied, Purpose, ResidentId};

/// An upload as lists show it (no content).
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
pub struct UploadInfo {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub size: i64,
}

/// A preparation with its letters.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct PreparationView {
    pub answers: Preparation,
    /// When the resident sent it to the caseworker; None while a draft.
    pub sent_at: Option<i64>,
    pub uploads: Vec<UploadInfo>,
}

/// One upload's content, for its download.
pub struct UploadFile {
    pub name: String,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
}

impl Store {
    /// The resident's preparation of their own appointment (empty when they
    /// have not started); audited.
    pub async fn own_preparation(
        &self,
        actor: &Actor,
        resident: ResidentId,
        appointment: i64,
        now: i64,
    ) -> Result<PreparationView> {
        let mut tx = self.write_tx().await?;
        let who = (actor, resident, Purpose::OwnView);
        let detail = format!("afspraak {appointment}");
        let decision =
            check_and_log(&mut tx, self, who, "voorbereiding-bekeken", &detail, now).await?;
        if let Err(denied) = decision {
            tx.commit().await?;
            return Err(denied.into());
        }
        own_appointment(&mut tx, resident, appointment).await?;
        let view = read(&mut tx, appointment).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Saves the answers (a draft until sent; after sending, changes show
    /// to the caseworker at once). `send` marks it sent.
    pub async fn save_preparation(
        &self,
        actor: &Actor,
        resident: ResidentId,
        (appointment, answers, send): (i64, &Preparation, bool),
        now: i64,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        let who = (actor, resident, Purpose::OwnChoice);
        let action = if send {
            "voorbereiding-gestuurd"
        } else {
            "voorbereiding-bewaard"
        };
        let detail = format!("afspraak {appointment}");
        let decision = check_and_log(&mut tx, self, who, action, &detail, now).await?;
        if let Err(denied) = decision {
            tx.commit().await?;
            return Err(denied.into());
        }
        own_appointment(&mut tx, resident, appointment).await?;
        let json = serde_json::to_string(answers)
            .map_err(|e| StoreError::Corrupt(format!("preparation: {e}")))?;
        sqlx::query(
            "INSERT INTO preparations (appointment_id, resident_id, answers, sent_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (appointment_id) DO UPDATE SET answers = excluded.answers, \
             sent_at = COALESCE(preparations.sent_at, excluded.sent_at), updated_at = excluded.updated_at",
        )
        .bind(appointment)
        .bind(resident.0)
        .bind(json)
        .bind(send.then_some(now))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a letter the resident uploads (checked by content by the
    /// caller, [`wegwijs_domain::upload::sniff`]); at most
    /// [`MAX_FILES`] per appointment, else `Duplicate("bestanden")`.
    pub async fn add_upload(
        &self,
        actor: &Actor,
        resident: ResidentId,
        (appointment, name, kind): (i64, &str, FileKind),
        bytes: &[u8],
        now: i64,
    ) -> Result<i64> {
        let mut tx = self.write_tx().await?;
        let who = (actor, resident, Purpose::OwnChoice);
        let detail = format!(
            "afspraak {appointment}: {} bytes {}",
            bytes.len(),
            kind.code()
        );
        let decision = check_and_log(&mut tx, self, who, "brief-toegevoegd", &detail, now).await?;
        if let Err(denied) = decision {
            tx.commit().await?;
            return Err(denied.into());
        }
        own_appointment(&mut tx, resident, appointment).await?;
        let count: i64 = sqlx::query("SELECT COUNT(*) FROM uploads WHERE appointment_id = $1")
            .bind(appointment)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        if count >= MAX_FILES {
            return Err(StoreError::Duplicate("bestanden"));
        }
        let hash = hex::encode(Sha256::digest(bytes));
        let id: i64 = sqlx::query(
            "INSERT INTO uploads (appointment_id, resident_id, name, kind, size, sha256, content, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(appointment)
        .bind(resident.0)
        .bind(name)
        .bind(kind.code())
        .bind(bytes.len() as i64)
        .bind(hash)
        .bind(bytes.to_vec())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        tx.commit().await?;
        Ok(id)
    }

    /// The resident removes one of their own letters.
    pub async fn remove_upload(
        &self,
        actor: &Actor,
        resident: ResidentId,
        upload: i64,
        now: i64,
    ) -> Result<i64> {
        let mut tx = self.write_tx().await?;
        let who = (actor, resident, Purpose::OwnChoice);
        let detail = format!("brief {upload}");
        let decision = check_and_log(&mut tx, self, who, "brief-verwijderd", &detail, now).await?;
        if let Err(denied) = decision {
            tx.commit().await?;
            return Err(denied.into());
        }
        let row = sqlx::query(
            "DELETE FROM uploads WHERE id = $1 AND resident_id = $2 RETURNING appointment_id",
        )
        .bind(upload)
        .bind(resident.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let appointment: i64 = row.try_get(0)?;
        tx.commit().await?;
        Ok(appointment)
    }

    /// A letter's content: for the resident who uploaded it, or a
    /// caseworker of the appointment's organisation once the preparation
    /// is sent. Audited, refusals too.
    pub async fn upload_file(&self, actor: &Actor, upload: i64, now: i64) -> Result<UploadFile> {
        let mut tx = self.write_tx().await?;
        let row = sqlx::query(
            "SELECT u.resident_id, a.org_id, p.sent_at, u.name, u.kind, u.content FROM uploads u \
             JOIN appointments a ON a.id = u.appointment_id \
             LEFT JOIN preparations p ON p.appointment_id = u.appointment_id WHERE u.id = $1",
        )
        .bind(upload)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let resident = ResidentId(row.try_get(0)?);
        let org: i64 = row.try_get(1)?;
        let sent = row.try_get::<Option<i64>, _>(2)?.is_some();
        let detail = format!("brief {upload}");
        let decision = match actor {
            Actor::Resident(_) => {
                let who = (actor, resident, Purpose::OwnView);
                check_and_log(&mut tx, self, who, "brief-bekeken", &detail, now).await?
            }
            Actor::Staff(s) if s.org_id == org && sent => {
                let who = (actor, resident, Purpose::Casework);
                check_and_log(&mut tx, self, who, "brief-bekeken", &detail, now).await?
            }
            _ => {
                let entry = NewEntry {
                    actor,
                    resident: Some(resident),
                    action: "brief-bekeken",
                    purpose: Purpose::Casework,
                    outcome: Err(Denied::NoWorkRelation),
                    detail,
                };
                audit::append(&mut tx, self.backend(), now, &[entry]).await?;
                Err(Denied::NoWorkRelation)
            }
        };
        tx.commit().await?;
        decision?;
        let kind: String = row.try_get(4)?;
        Ok(UploadFile {
            name: row.try_get(3)?,
            kind: FileKind::from_code(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("upload kind {kind:?}")))?,
            bytes: row.try_get(5)?,
        })
    }

    /// A sent preparation of an appointment with the caseworker's
    /// organisation; None while the resident has not sent it. Audited.
    pub async fn org_preparation(
        &self,
        actor: &Actor,
        resident: ResidentId,
        appointment: i64,
        now: i64,
    ) -> Result<Option<PreparationView>> {
        let staff = crate::work::staff_who_may(actor, Capability::Worklist)?;
        let mut tx = self.write_tx().await?;
        let who = (actor, resident, Purpose::Casework);
        let detail = format!("afspraak {appointment}");
        let decision =
            check_and_log(&mut tx, self, who, "voorbereiding-bekeken", &detail, now).await?;
        if let Err(denied) = decision {
            tx.commit().await?;
            return Err(denied.into());
        }
        let ours = sqlx::query(
            "SELECT 1 FROM appointments WHERE id = $1 AND resident_id = $2 AND org_id = $3",
        )
        .bind(appointment)
        .bind(resident.0)
        .bind(staff.org_id)
        .fetch_optional(&mut *tx)
        .await?;
        if ours.is_none() {
            tx.commit().await?;
            return Err(StoreError::NotFound);
        }
        let view = read(&mut tx, appointment).await?;
        tx.commit().await?;
        Ok(view.sent_at.is_some().then_some(view))
    }
}

/// The appointment is the resident's own and still planned.
async fn own_appointment(tx: &mut Tx, resident: ResidentId, appointment: i64) -> Result<()> {
    sqlx::query(
        "SELECT 1 FROM appointments WHERE id = $1 AND resident_id = $2 AND status = 'gepland'",
    )
    .bind(appointment)
    .bind(resident.0)
    .fetch_optional(&mut **tx)
    .await?
    .map(|_| ())
    .ok_or(StoreError::NotFound)
}

async fn read(tx: &mut Tx, appointment: i64) -> Result<PreparationView> {
    let row = sqlx::query("SELECT answers, sent_at FROM preparations WHERE appointment_id = $1")
        .bind(appointment)
        .fetch_optional(&mut **tx)
        .await?;
    let (answers, sent_at) = match row {
        Some(r) => {
            let json: String = r.try_get(0)?;
            let answers = serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("preparation: {e}")))?;
            (answers, r.try_get(1)?)
        }
        None => (Preparation::default(), None),
    };
    let uploads = sqlx::query(
        "SELECT id, name, kind, size FROM uploads WHERE appointment_id = $1 ORDER BY id",
    )
    .bind(appointment)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| {
        let kind: String = r.try_get(2)?;
        Ok(UploadInfo {
            id: r.try_get(0)?,
            name: r.try_get(1)?,
            kind: FileKind::from_code(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("upload kind {kind:?}")))?
                .code(),
            size: r.try_get(3)?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    Ok(PreparationView {
        answers,
        sent_at,
        uploads,
    })
}
