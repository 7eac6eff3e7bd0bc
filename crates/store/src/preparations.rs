//! Gesprek voorbereiden: a resident's answers for one of their planned
//! appointments, the letters they upload (kept in the database, never under
//! the web root), and what the team's caseworker sees once it is sent.

use crate::audit::Action;
use crate::audit::{self, NewEntry};
use crate::residents::check_and_log;
use crate::{Result, Store, StoreError, Tx};
use sha2::{Digest, Sha256};
use sqlx::Row;
use wegwijs_domain::appointment::Mode;
use wegwijs_domain::policy::{self, Capability};
use wegwijs_domain::preparation::Preparation;
use wegwijs_domain::upload::{FileKind, MAX_FILES};
use wegwijs_domain::{Actor, Purpose, ResidentId};

/// An upload as lists show it (no content).
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
pub struct UploadInfo {
    pub id: i64,
    pub name: String,
    pub kind: &'static str,
    pub size: i64,
}

/// A preparation with its letters.
#[derive(Clone, PartialEq, Eq)]
pub struct PreparationView {
    pub answers: Preparation,
    /// When the resident sent it to the caseworker; None while a draft.
    pub sent_at: Option<i64>,
    pub uploads: Vec<UploadInfo>,
    /// How the appointment takes place: at a desk someone comes along; on
    /// the phone or by video they listen in.
    pub mode: Mode,
}

/// One upload's content, for its download.
pub struct UploadFile {
    pub name: String,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
}

impl Store {
    /// The resident's preparation of their own planned appointment (empty
    /// when they have not started); audited.
    pub async fn own_preparation(
        &self,
        actor: &Actor,
        resident: ResidentId,
        appointment: i64,
        now: i64,
    ) -> Result<PreparationView> {
        let mut tx = self.write_tx().await?;
        let who = (actor, resident, Purpose::OwnView);
        let claimed = claim(
            &mut tx,
            self,
            who,
            (appointment, Action::VoorbereidingBekeken),
            now,
        )
        .await?;
        if let Err(e) = claimed {
            tx.commit().await?;
            return Err(e);
        }
        let view = read(&mut tx, appointment).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// All the resident's preparations, of any appointment (AVG inzage):
    /// (appointment, preparation with its letters' names).
    pub async fn own_preparations(
        &self,
        actor: &Actor,
        resident: ResidentId,
        now: i64,
    ) -> Result<Vec<(i64, PreparationView)>> {
        let who = (actor, resident, Purpose::OwnView);
        let mut tx = self
            .read_access(who, Action::VoorbereidingBekeken, "", now)
            .await?;
        let rows = sqlx::query(
            "SELECT id FROM appointments a WHERE resident_id = $1 AND (EXISTS (SELECT 1 FROM preparations p \
             WHERE p.appointment_id = a.id) OR EXISTS (SELECT 1 FROM uploads u WHERE u.appointment_id = a.id)) ORDER BY id",
        )
        .bind(resident.0)
        .fetch_all(&mut *tx)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: i64 = r.try_get("id")?;
            out.push((id, read(&mut tx, id).await?));
        }
        tx.commit().await?;
        Ok(out)
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
            Action::VoorbereidingGestuurd
        } else {
            Action::VoorbereidingBewaard
        };
        let claimed = claim(&mut tx, self, who, (appointment, action), now).await?;
        if let Err(e) = claimed {
            tx.commit().await?;
            return Err(e);
        }
        let json = serde_json::to_string(answers)
            .map_err(|_| StoreError::Corrupt("preparation answers".into()))?;
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
        if send {
            preparation_work(&mut tx, appointment, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Sends the answers as they stand to the team (an empty preparation
    /// when nothing was answered); a change made meanwhile in another
    /// window is kept, not overwritten.
    pub async fn send_preparation(
        &self,
        actor: &Actor,
        resident: ResidentId,
        appointment: i64,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.write_tx().await?;
        let who = (actor, resident, Purpose::OwnChoice);
        let claimed = claim(
            &mut tx,
            self,
            who,
            (appointment, Action::VoorbereidingGestuurd),
            now,
        )
        .await?;
        if let Err(e) = claimed {
            tx.commit().await?;
            return Err(e);
        }
        sqlx::query(
            "INSERT INTO preparations (appointment_id, resident_id, answers, sent_at, updated_at) \
             VALUES ($1, $2, '{}', $3, $3) ON CONFLICT (appointment_id) DO UPDATE SET \
             sent_at = COALESCE(preparations.sent_at, excluded.sent_at)",
        )
        .bind(appointment)
        .bind(resident.0)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        preparation_work(&mut tx, appointment, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a letter the resident uploads (checked by content by the
    /// caller, [`wegwijs_domain::upload::sniff`]); at most [`MAX_FILES`]
    /// per appointment, else `Duplicate("bestanden")`.
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
        let claimed = claim(
            &mut tx,
            self,
            who,
            (appointment, Action::BriefToegevoegd),
            now,
        )
        .await?;
        if let Err(e) = claimed {
            tx.commit().await?;
            return Err(e);
        }
        let count: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM uploads WHERE appointment_id = $1")
                .bind(appointment)
                .fetch_one(&mut *tx)
                .await?;
        if count >= MAX_FILES {
            return Err(StoreError::Duplicate("bestanden"));
        }
        let hash = hex::encode(Sha256::digest(bytes));
        let id: i64 = sqlx::query_scalar(
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
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The resident removes one of their own letters; returns its
    /// appointment.
    pub async fn remove_upload(
        &self,
        actor: &Actor,
        resident: ResidentId,
        upload: i64,
        now: i64,
    ) -> Result<i64> {
        let mut tx = self.write_tx().await?;
        let row = sqlx::query("SELECT resident_id, appointment_id FROM uploads WHERE id = $1")
            .bind(upload)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let detail = format!("brief {upload}");
        let owner = ResidentId(row.try_get("resident_id")?);
        if let Err(denied) = policy::may_remove_letter(actor, owner) {
            let attempt = (Action::BriefVerwijderd, detail.as_str());
            audit::refuse_others_item(
                &mut tx,
                self.chain(),
                (actor, resident),
                attempt,
                denied,
                now,
            )
            .await?;
            tx.commit().await?;
            return Err(StoreError::NotFound);
        }
        let who = (actor, resident, Purpose::OwnChoice);
        if let Err(denied) =
            check_and_log(&mut tx, self, who, Action::BriefVerwijderd, &detail, now).await?
        {
            tx.commit().await?;
            return Err(denied.into());
        }
        sqlx::query("DELETE FROM uploads WHERE id = $1")
            .bind(upload)
            .execute(&mut *tx)
            .await?;
        let appointment: i64 = row.try_get("appointment_id")?;
        tx.commit().await?;
        Ok(appointment)
    }

    /// A letter's content: for the resident who uploaded it, or a
    /// caseworker of the appointment's organisation once the preparation is
    /// sent (and the appointment not cancelled). Decided before the content
    /// is read; audited, refusals too.
    pub async fn upload_file(&self, actor: &Actor, upload: i64, now: i64) -> Result<UploadFile> {
        let mut tx = self.write_tx().await?;
        let row = sqlx::query(
            "SELECT u.resident_id, a.org_id, p.sent_at, a.status FROM uploads u \
             JOIN appointments a ON a.id = u.appointment_id \
             LEFT JOIN preparations p ON p.appointment_id = u.appointment_id WHERE u.id = $1",
        )
        .bind(upload)
        .fetch_optional(&mut *tx)
        .await?;
        let detail = format!("brief {upload}");
        let Some(row) = row else {
            // Tried like someone else's letter, logged like one: neither
            // the answer nor the log tells which ids exist.
            match actor {
                Actor::Resident(me) => {
                    let attempt = (Action::BriefBekeken, detail.as_str());
                    let denied = wegwijs_domain::Denied::NotOwnData;
                    let who = (actor, *me);
                    audit::refuse_others_item(&mut tx, self.chain(), who, attempt, denied, now)
                        .await?;
                }
                _ => {
                    let entry = NewEntry {
                        actor,
                        resident: None,
                        action: Action::BriefBekeken,
                        purpose: Purpose::Casework,
                        outcome: Err(wegwijs_domain::Denied::NoWorkRelation),
                        detail,
                    };
                    audit::append(&mut tx, self.chain(), now, &[entry]).await?;
                }
            }
            tx.commit().await?;
            return Err(StoreError::NotFound);
        };
        let letter = policy::Letter {
            owner: ResidentId(row.try_get("resident_id")?),
            org: row.try_get("org_id")?,
            sent: row.try_get::<Option<i64>, _>("sent_at")?.is_some(),
            held: matches!(
                row.try_get::<String, _>("status")?.as_str(),
                "gepland" | "geweest"
            ),
        };
        let decision = match (policy::may_see_letter(actor, &letter), actor) {
            (Ok(purpose), _) => {
                let who = (actor, letter.owner, purpose);
                check_and_log(&mut tx, self, who, Action::BriefBekeken, &detail, now).await?
            }
            (Err(denied), Actor::Resident(me)) => {
                let attempt = (Action::BriefBekeken, detail.as_str());
                audit::refuse_others_item(
                    &mut tx,
                    self.chain(),
                    (actor, *me),
                    attempt,
                    denied,
                    now,
                )
                .await?;
                Err(denied)
            }
            (Err(denied), _) => {
                let entry = NewEntry {
                    actor,
                    resident: Some(letter.owner),
                    action: Action::BriefBekeken,
                    purpose: Purpose::Casework,
                    outcome: Err(denied),
                    detail,
                };
                audit::append(&mut tx, self.chain(), now, &[entry]).await?;
                Err(denied)
            }
        };
        if let Err(denied) = decision {
            tx.commit().await?;
            return Err(denied.into());
        }
        let file = sqlx::query("SELECT name, kind, content FROM uploads WHERE id = $1")
            .bind(upload)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        let kind: String = file.try_get("kind")?;
        Ok(UploadFile {
            name: file.try_get("name")?,
            kind: FileKind::from_code(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("upload kind {kind:?}")))?,
            bytes: file.try_get("content")?,
        })
    }

    /// A sent preparation of a planned or held appointment with the
    /// caseworker's organisation; None (nothing read, nothing logged) while
    /// it is a draft or the appointment was cancelled.
    pub async fn org_preparation(
        &self,
        actor: &Actor,
        resident: ResidentId,
        appointment: i64,
        now: i64,
    ) -> Result<Option<PreparationView>> {
        let staff = crate::work::staff_who_may(actor, Capability::Worklist)?;
        let mut tx = self.write_tx().await?;
        let sent = sqlx::query(
            "SELECT p.sent_at FROM appointments a JOIN preparations p ON p.appointment_id = a.id \
             WHERE a.id = $1 AND a.resident_id = $2 AND a.org_id = $3 \
             AND a.status IN ('gepland', 'geweest') AND p.sent_at IS NOT NULL",
        )
        .bind(appointment)
        .bind(resident.0)
        .bind(staff.org_id)
        .fetch_optional(&mut *tx)
        .await?;
        if sent.is_none() {
            return Ok(None);
        }
        let who = (actor, resident, Purpose::Casework);
        let detail = format!("afspraak {appointment}");
        let decision = check_and_log(
            &mut tx,
            self,
            who,
            Action::VoorbereidingBekeken,
            &detail,
            now,
        )
        .await?;
        if let Err(denied) = decision {
            tx.commit().await?;
            return Err(denied.into());
        }
        let view = read(&mut tx, appointment).await?;
        tx.commit().await?;
        Ok(Some(view))
    }
}

/// The appointment is the resident's own and still planned; the attempt is
/// logged as allowed. Someone else's is refused in the log under the one who
/// tried (the owner learns nothing from it) and not found; the caller
/// commits the refusal.
async fn claim(
    tx: &mut Tx,
    store: &Store,
    (actor, resident, purpose): (&Actor, ResidentId, Purpose),
    (appointment, action): (i64, Action),
    now: i64,
) -> Result<Result<()>> {
    let row = sqlx::query("SELECT resident_id, status FROM appointments WHERE id = $1")
        .bind(appointment)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(row) = row else {
        return Ok(Err(StoreError::NotFound));
    };
    let detail = format!("afspraak {appointment}");
    let owner = ResidentId(row.try_get("resident_id")?);
    if let Err(denied) = policy::may_change_appointment(actor, owner) {
        let attempt = (action, detail.as_str());
        audit::refuse_others_item(tx, store.chain(), (actor, resident), attempt, denied, now)
            .await?;
        return Ok(Err(StoreError::NotFound));
    }
    let who = (actor, resident, purpose);
    if let Err(denied) = check_and_log(tx, store, who, action, &detail, now).await? {
        return Ok(Err(denied.into()));
    }
    if row.try_get::<String, _>("status")? != "gepland" {
        return Ok(Err(StoreError::NotFound));
    }
    Ok(Ok(()))
}

async fn read(tx: &mut Tx, appointment: i64) -> Result<PreparationView> {
    let row = sqlx::query("SELECT answers, sent_at FROM preparations WHERE appointment_id = $1")
        .bind(appointment)
        .fetch_optional(&mut **tx)
        .await?;
    let (answers, sent_at) = match row {
        Some(r) => {
            let json: String = r.try_get("answers")?;
            // serde's message could quote the resident's words: not logged.
            let answers = serde_json::from_str(&json)
                .map_err(|_| StoreError::Corrupt("preparation answers".into()))?;
            (answers, r.try_get("sent_at")?)
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
        let kind: String = r.try_get("kind")?;
        Ok(UploadInfo {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            kind: FileKind::from_code(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("upload kind {kind:?}")))?
                .code(),
            size: r.try_get("size")?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    let mode: String = sqlx::query("SELECT mode FROM appointments WHERE id = $1")
        .bind(appointment)
        .fetch_one(&mut **tx)
        .await?
        .try_get("mode")?;
    let mode = Mode::from_code(&mode)
        .map_err(|_| StoreError::Corrupt(format!("appointment mode {mode:?}")))?;
    Ok(PreparationView {
        answers,
        sent_at,
        uploads,
        mode,
    })
}

/// A sent preparation is work for the appointment's team, due on the
/// appointment's day: once, however often it is sent.
async fn preparation_work(tx: &mut crate::Tx, appointment: i64, now: i64) -> Result<()> {
    use wegwijs_domain::WorkKind;
    let Some(work) = crate::work::open_item_of(tx, WorkKind::Afspraak, appointment).await? else {
        return Ok(()); // the appointment's work has ended: nothing to prepare for
    };
    if crate::work::any_item_of(tx, WorkKind::Voorbereiding, appointment).await? {
        return Ok(());
    }
    let row =
        sqlx::query("SELECT org_id, resident_id, team_id, due_on FROM work_items WHERE id = $1")
            .bind(work)
            .fetch_one(&mut **tx)
            .await?;
    let due: String = row.try_get("due_on")?;
    let new = crate::work::NewWork {
        subject: Some(appointment),
        team: row.try_get("team_id")?,
        due: Some(
            wegwijs_domain::person::parse_date("due_on", &due)
                .map_err(|_| crate::StoreError::Corrupt("a work item's due date".into()))?,
        ),
        ..crate::work::NewWork::new(
            row.try_get("org_id")?,
            ResidentId(row.try_get("resident_id")?),
            WorkKind::Voorbereiding,
        )
    };
    crate::work::open_item(tx, &new, now).await?;
    Ok(())
}
