//! The case file's notes: written once, never changed; a correction is a
//! new note that points to the one it corrects. An organisation keeps its
//! own notes of a resident, where need-to-know shows it the dossier.

use crate::audit::writer::OwnedEntry;
use crate::audit::{self, Action, NewEntry};
use crate::need_to_know::day_of;
use crate::read::Cells;
use crate::residents::resident_facts;
use crate::{Result, Store, StoreError, Tx};
use wegwijs_domain::note::NewNote;
use wegwijs_domain::policy;
use wegwijs_domain::{Actor, Denied, Problem, Purpose, ResidentId, Staff, ValidationError};

/// A note as the case file shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct NoteView {
    pub id: i64,
    pub at: i64,
    /// The staff member who wrote it.
    pub author: String,
    pub purpose: String,
    pub body: String,
    pub corrects: Option<i64>,
    /// The notes that correct this one.
    pub corrected_by: Vec<i64>,
}

impl Store {
    /// Writes a note in the actor's organisation's dossier of `resident`.
    /// Refused (and logged) unless need-to-know shows the actor the
    /// dossier; a correction must correct a note of the same dossier.
    pub async fn add_note(
        &self,
        actor: &Actor,
        resident: ResidentId,
        note: &NewNote,
        now: i64,
    ) -> Result<i64> {
        let (staff, mut tx) = self
            .dossier_write(actor, resident, (Action::NotitieGeschreven, "notitie"), now)
            .await?;
        if let Some(id) = note.corrects {
            let same = sqlx::query(
                "SELECT id FROM case_notes WHERE id = $1 AND org_id = $2 AND resident_id = $3",
            )
            .bind(id)
            .bind(staff.org_id)
            .bind(resident.0)
            .fetch_optional(&mut *tx)
            .await?;
            if same.is_none() {
                return Err(StoreError::Invalid(ValidationError::new(
                    "corrigeert",
                    Problem::UnknownCode,
                )));
            }
        }
        let id: i64 = sqlx::query(
            "INSERT INTO case_notes (org_id, resident_id, user_id, purpose, body, corrects, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(staff.org_id)
        .bind(resident.0)
        .bind(staff.user_id)
        .bind(note.purpose.code())
        .bind(note.body.clone())
        .bind(note.corrects)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .int("id")?;
        let detail = match note.corrects {
            Some(c) => format!("notitie {id}, corrigeert notitie {c}"),
            None => format!("notitie {id}"),
        };
        let entry = NewEntry::casework(actor, resident, Action::NotitieGeschreven, Ok(()), detail);
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The actor's organisation's notes of `resident`, newest first, with
    /// what corrects what. Read as the dossier field group, and logged.
    pub async fn notes_for(
        &self,
        actor: &Actor,
        resident: ResidentId,
        now: i64,
    ) -> Result<Vec<NoteView>> {
        let (staff, mut tx) = self
            .dossier_read(actor, resident, (Action::NotitiesBekeken, "notities"), now)
            .await?;
        let rows = sqlx::query(
            "SELECT n.id, n.created_at, u.display_name, n.purpose, n.body, n.corrects FROM case_notes n \
             JOIN users u ON u.id = n.user_id WHERE n.resident_id = $1 AND n.org_id = $2 ORDER BY n.id DESC",
        )
        .bind(resident.0)
        .bind(staff.org_id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let mut notes: Vec<NoteView> = rows
            .iter()
            .map(|r| {
                Ok(NoteView {
                    id: r.int("id")?,
                    at: r.int("created_at")?,
                    author: r.text("display_name")?,
                    purpose: r.text("purpose")?,
                    body: r.text("body")?,
                    corrects: r.opt_int("corrects")?,
                    corrected_by: Vec::new(),
                })
            })
            .collect::<Result<_>>()?;
        let fixes: Vec<(i64, i64)> = notes
            .iter()
            .filter_map(|n| n.corrects.map(|c| (c, n.id)))
            .collect();
        for n in &mut notes {
            n.corrected_by = fixes
                .iter()
                .filter(|(c, _)| *c == n.id)
                .map(|(_, f)| *f)
                .collect();
        }
        Ok(notes)
    }
}

impl Store {
    /// Opens a write to the actor's organisation's dossier of `resident`:
    /// allowed where need-to-know shows the dossier; a refusal is logged
    /// (and committed) under `what` before it is returned.
    pub(crate) async fn dossier_write(
        &self,
        actor: &Actor,
        resident: ResidentId,
        (action, what): (Action, &str),
        now: i64,
    ) -> Result<(Staff, Tx)> {
        let Actor::Staff(staff) = actor else {
            return Err(Denied::Role.into());
        };
        let (access, _) = self
            .field_access_of(actor, resident, Purpose::Casework, day_of(now)?)
            .await?;
        let mut tx = self.write_tx().await?;
        let facts = resident_facts(&mut tx, resident).await?;
        let decision = policy::may_read_resident(actor, resident, Purpose::Casework, &facts)
            .and_then(|()| policy::may_keep_notes(&access));
        if let Err(denied) = decision {
            let entry = NewEntry::casework(actor, resident, action, Err(denied), what);
            audit::append(&mut tx, self.chain(), now, &[entry]).await?;
            tx.commit().await?; // the refusal stays in the log
            return Err(denied.into());
        }
        Ok((*staff, tx))
    }

    /// Opens a read of the actor's organisation's dossier of `resident`,
    /// logged under `action`; a refusal is logged the same way.
    pub(crate) async fn dossier_read(
        &self,
        actor: &Actor,
        resident: ResidentId,
        (action, what): (Action, &str),
        now: i64,
    ) -> Result<(Staff, Tx)> {
        let Actor::Staff(staff) = actor else {
            return Err(Denied::Role.into());
        };
        let (access, _) = self
            .field_access_of(actor, resident, Purpose::Casework, day_of(now)?)
            .await?;
        if let Err(denied) = policy::may_keep_notes(&access) {
            refuse(self, actor, resident, (action, what), denied, now).await?;
            return Err(denied.into());
        }
        let who = (actor, resident, Purpose::Casework);
        let tx = self.read_access(who, action, what, now).await?;
        Ok((*staff, tx))
    }
}

/// A refused read of the notes, logged as every refusal is.
pub(crate) async fn refuse(
    store: &Store,
    actor: &Actor,
    resident: ResidentId,
    (action, what): (Action, &str),
    denied: Denied,
    now: i64,
) -> Result<()> {
    let entry = OwnedEntry {
        actor: *actor,
        resident: Some(resident),
        action,
        purpose: Purpose::Casework,
        outcome: Err(denied),
        detail: what.to_string(),
    };
    store.audit.log(now, vec![entry]).await
}
