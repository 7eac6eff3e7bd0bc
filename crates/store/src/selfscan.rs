//! Drempels slechten: the instrument's versions per organisation, and a
//! professional's own runs on it. A run is read and written only by the
//! professional who made it; the audit log records that a run was
//! finished, never what was answered.

use crate::audit::Action;
use crate::audit::{self, NewEntry};
use crate::work::staff_who_may;
use crate::{Result, Store, StoreError, Tx};
use sqlx::Row;
use wegwijs_domain::policy::{Capability, Staff};
use wegwijs_domain::selfscan::{
    Answer, Answers, DRAFT_KEEP_DAYS, Element, Instrument, Item, Part, SHIPPED,
};
use wegwijs_domain::{Actor, Problem, Purpose, ValidationError};

/// One professional's run: its version, round (if any) and answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub id: i64,
    pub version: i64,
    pub round_id: Option<i64>,
    pub started_at: i64,
    pub updated_at: i64,
    pub finished_at: Option<i64>,
    pub answers: Answers,
}

/// A run in the list of one's own runs.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RunSummary {
    pub id: i64,
    pub version: i64,
    pub round_id: Option<i64>,
    pub team: Option<String>,
    pub updated_at: i64,
    pub finished_at: Option<i64>,
    /// When a draft is removed if left alone.
    pub removed_at: i64,
}

/// A stored version of the instrument.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct VersionInfo {
    pub version: i64,
    pub created_at: i64,
    /// The admin who made it; none for the shipped version.
    pub created_by: Option<String>,
}

/// The self-assessment's audit actions; none records an answer.
pub(crate) const ACTION_VERSION: Action = Action::ZelfscanVersieGemaakt;
pub(crate) const ACTION_FINISHED: Action = Action::ZelfscanAfgerond;
pub(crate) const ACTION_DRAFTS_REMOVED: Action = Action::ZelfscanConceptenVerwijderd;
pub(crate) const ACTION_ROUND_OPENED: Action = Action::ZelfscanRondeGeopend;
pub(crate) const ACTION_ROUND_CLOSED: Action = Action::ZelfscanRondeGesloten;
pub(crate) const ACTION_POINT_ADDED: Action = Action::ZelfscanActiepuntVastgelegd;

const DRAFT_KEEP_SECS: i64 = DRAFT_KEEP_DAYS * 24 * 3600;

/// Anyone whose work involves the instrument: professionals, team leads
/// and the admin who keeps it.
fn staff_of_instrument(actor: &Actor) -> Result<&Staff> {
    staff_who_may(actor, Capability::SelfAssessment)
        .or_else(|_| staff_who_may(actor, Capability::InstrumentAdmin))
}

pub(crate) fn entry<'a>(actor: &'a Actor, action: Action, detail: String) -> NewEntry<'a> {
    NewEntry {
        actor,
        resident: None,
        action,
        purpose: Purpose::Reflection,
        outcome: Ok(()),
        detail,
    }
}

impl Store {
    /// The organisation's current instrument (the shipped one until an
    /// admin makes a change).
    pub async fn selfscan_instrument(&self, actor: &Actor) -> Result<Instrument> {
        let staff = staff_of_instrument(actor)?;
        self.ensure_instrument(staff.org_id).await?;
        let row = sqlx::query(
            "SELECT body FROM selfscan_versions WHERE org_id = $1 ORDER BY version DESC LIMIT 1",
        )
        .bind(staff.org_id)
        .fetch_one(self.pool())
        .await?;
        parse_body(&row.try_get::<String, _>("body")?)
    }

    /// One version of the organisation's instrument.
    pub async fn selfscan_instrument_version(
        &self,
        actor: &Actor,
        version: i64,
    ) -> Result<Instrument> {
        let staff = staff_of_instrument(actor)?;
        self.ensure_instrument(staff.org_id).await?;
        instrument_in(self.pool(), staff.org_id, version).await
    }

    /// The organisation's versions, newest first.
    pub async fn selfscan_versions(&self, actor: &Actor) -> Result<Vec<VersionInfo>> {
        let staff = staff_who_may(actor, Capability::InstrumentAdmin)?;
        self.ensure_instrument(staff.org_id).await?;
        let rows = sqlx::query(
            "SELECT v.version, v.created_at, u.display_name FROM selfscan_versions v \
             LEFT JOIN users u ON u.id = v.created_by WHERE v.org_id = $1 ORDER BY v.version DESC",
        )
        .bind(staff.org_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(VersionInfo {
                    version: r.try_get("version")?,
                    created_at: r.try_get("created_at")?,
                    created_by: r.try_get("display_name")?,
                })
            })
            .collect()
    }

    /// Stores `next` as the organisation's next version. When someone else
    /// saved a version meanwhile, nothing is stored: `Duplicate`.
    pub async fn publish_selfscan_version(
        &self,
        actor: &Actor,
        next: &Instrument,
        now: i64,
    ) -> Result<()> {
        let staff = staff_who_may(actor, Capability::InstrumentAdmin)?;
        self.ensure_instrument(staff.org_id).await?;
        let body = serde_json::to_string(next).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        parse_body(&body)?;
        let mut tx = self.write_tx().await?;
        let last: i64 =
            sqlx::query_scalar("SELECT MAX(version) FROM selfscan_versions WHERE org_id = $1")
                .bind(staff.org_id)
                .fetch_one(&mut *tx)
                .await?;
        if next.version != last + 1 {
            return Err(StoreError::Duplicate("zelfscan-versie"));
        }
        sqlx::query(
            "INSERT INTO selfscan_versions (org_id, version, body, created_by, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(staff.org_id)
        .bind(next.version)
        .bind(&body)
        .bind(staff.user_id)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::unique_as(e, "zelfscan-versie"))?;
        let detail = format!("versie {}", next.version);
        audit::append(
            &mut tx,
            self.chain(),
            now,
            &[entry(actor, ACTION_VERSION, detail)],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The professional's draft (alone, or in `round`), started now if
    /// there is none. A round must be open and have them as a member.
    pub async fn start_selfscan(&self, actor: &Actor, round: Option<i64>, now: i64) -> Result<i64> {
        let staff = staff_who_may(actor, Capability::SelfAssessment)?;
        self.ensure_instrument(staff.org_id).await?;
        let mut tx = self.write_tx().await?;
        let existing = match round {
            Some(r) => sqlx::query("SELECT id, finished_at FROM selfscan_runs WHERE user_id = $1 AND round_id = $2")
                .bind(staff.user_id)
                .bind(r),
            None => sqlx::query(
                "SELECT id, finished_at FROM selfscan_runs WHERE user_id = $1 AND round_id IS NULL AND finished_at IS NULL",
            )
            .bind(staff.user_id),
        }
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = existing {
            return Ok(row.try_get("id")?);
        }
        let version: i64 = match round {
            Some(r) => open_round_version(&mut tx, staff, r).await?,
            None => {
                sqlx::query_scalar("SELECT MAX(version) FROM selfscan_versions WHERE org_id = $1")
                    .bind(staff.org_id)
                    .fetch_one(&mut *tx)
                    .await?
            }
        };
        let id = sqlx::query(
            "INSERT INTO selfscan_runs (user_id, org_id, version, round_id, started_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(staff.user_id)
        .bind(staff.org_id)
        .bind(version)
        .bind(round)
        .bind(now)
        .fetch_one(&mut *tx)
        .await;
        let id: i64 = match id {
            Ok(row) => row.try_get("id")?,
            // Two tabs started at once: the other's draft is the one.
            Err(e) => match StoreError::unique_as(e, "zelfscan") {
                StoreError::Duplicate(_) => {
                    drop(tx);
                    return Box::pin(self.start_selfscan(actor, round, now)).await;
                }
                other => return Err(other),
            },
        };
        tx.commit().await?;
        Ok(id)
    }

    /// One of the professional's own runs; anyone else's is `NotFound`.
    pub async fn selfscan_run(&self, actor: &Actor, id: i64) -> Result<Run> {
        let staff = staff_who_may(actor, Capability::SelfAssessment)?;
        let mut conn = self.pool().acquire().await?;
        own_run(&mut conn, staff, id).await
    }

    /// Saves answers to the professional's own draft, all or nothing: a
    /// submission on another version or naming an unknown statement is
    /// refused whole.
    pub async fn save_selfscan_answers(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        answers: &[(String, Answer)],
        now: i64,
    ) -> Result<()> {
        let staff = staff_who_may(actor, Capability::SelfAssessment)?;
        let mut tx = self.write_tx().await?;
        let run = own_draft(&mut tx, staff, id, now).await?;
        let instrument = instrument_in(&mut *tx, staff.org_id, run.version).await?;
        instrument.check_submission(version, answers)?;
        for (code, answer) in answers {
            sqlx::query(
                "INSERT INTO selfscan_answers (run_id, code, answer) VALUES ($1, $2, $3) \
                 ON CONFLICT (run_id, code) DO UPDATE SET answer = excluded.answer",
            )
            .bind(id)
            .bind(code)
            .bind(answer.code())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Finishes the professional's own draft once every statement has an
    /// answer; a round's must still be open.
    pub async fn finish_selfscan(&self, actor: &Actor, id: i64, now: i64) -> Result<()> {
        let staff = staff_who_may(actor, Capability::SelfAssessment)?;
        let mut tx = self.write_tx().await?;
        let run = own_draft(&mut tx, staff, id, now).await?;
        let instrument = instrument_in(&mut *tx, staff.org_id, run.version).await?;
        if instrument.first_open(&run.answers).is_some() {
            let e = ValidationError::new(
                "antwoorden",
                Problem::TooFew {
                    min: instrument.codes().count() as i64,
                },
            );
            return Err(e.into());
        }
        sqlx::query("UPDATE selfscan_runs SET finished_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let detail = match run.round_id {
            Some(r) => format!("ronde {r}, versie {}", run.version),
            None => format!("versie {}", run.version),
        };
        audit::append(
            &mut tx,
            self.chain(),
            now,
            &[entry(actor, ACTION_FINISHED, detail)],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The professional's own runs, newest first.
    pub async fn own_selfscan_runs(&self, actor: &Actor) -> Result<Vec<RunSummary>> {
        let staff = staff_who_may(actor, Capability::SelfAssessment)?;
        let rows = sqlx::query(
            "SELECT r.id, r.version, r.round_id, o.team, r.updated_at, r.finished_at FROM selfscan_runs r \
             LEFT JOIN selfscan_rounds o ON o.id = r.round_id WHERE r.user_id = $1 \
             ORDER BY COALESCE(r.finished_at, r.updated_at) DESC, r.id DESC",
        )
        .bind(staff.user_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let updated_at: i64 = r.try_get("updated_at")?;
                Ok(RunSummary {
                    id: r.try_get("id")?,
                    version: r.try_get("version")?,
                    round_id: r.try_get("round_id")?,
                    team: r.try_get("team")?,
                    updated_at,
                    finished_at: r.try_get("finished_at")?,
                    removed_at: updated_at + DRAFT_KEEP_SECS,
                })
            })
            .collect()
    }

    /// Starts a run (alone or in `round`), answers every statement with
    /// `answer` and finishes it, as the professional: the demo's team and
    /// the tests fill in this way.
    pub async fn fill_in_selfscan(
        &self,
        actor: &Actor,
        round: Option<i64>,
        answer: impl FnMut(Part, Option<Element>, &Item) -> Answer,
        now: i64,
    ) -> Result<i64> {
        let run = self.start_selfscan(actor, round, now).await?;
        let version = self.selfscan_run(actor, run).await?.version;
        let instrument = self.selfscan_instrument_version(actor, version).await?;
        let answers = instrument.answer_each(answer);
        self.save_selfscan_answers(actor, run, version, &answers, now)
            .await?;
        self.finish_selfscan(actor, run, now).await?;
        Ok(run)
    }

    /// Removes drafts nobody touched for [`DRAFT_KEEP_DAYS`] days, and those
    /// of rounds that closed; returns how many.
    pub async fn remove_stale_selfscan_drafts(&self, now: i64) -> Result<u64> {
        let mut tx = self.write_tx().await?;
        // Plain conditions on the row itself, so that a save that touched
        // the draft meanwhile (PostgreSQL rechecks them) keeps it.
        let gone = sqlx::query(
            "DELETE FROM selfscan_runs WHERE finished_at IS NULL AND (updated_at < $1 \
             OR round_id IN (SELECT id FROM selfscan_rounds WHERE closed_at IS NOT NULL))",
        )
        .bind(now - DRAFT_KEEP_SECS)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if gone > 0 {
            let job = Actor::System("zelfscan-concepten");
            let e = NewEntry {
                purpose: Purpose::Retention,
                ..entry(&job, ACTION_DRAFTS_REMOVED, format!("{gone} concepten"))
            };
            audit::append(&mut tx, self.chain(), now, &[e]).await?;
        }
        tx.commit().await?;
        Ok(gone)
    }

    /// Version 1, the shipped instrument, for an organisation that has none.
    async fn ensure_instrument(&self, org: i64) -> Result<()> {
        let any = sqlx::query("SELECT 1 FROM selfscan_versions WHERE org_id = $1 LIMIT 1")
            .bind(org)
            .fetch_optional(self.pool())
            .await?;
        if any.is_some() {
            return Ok(());
        }
        let shipped = Instrument::parse(SHIPPED).map_err(|e| StoreError::Corrupt(e.join("; ")))?;
        sqlx::query(
            "INSERT INTO selfscan_versions (org_id, version, body, created_by, created_at) \
             VALUES ($1, $2, $3, NULL, 0) ON CONFLICT (org_id, version) DO NOTHING",
        )
        .bind(org)
        .bind(shipped.version)
        .bind(SHIPPED)
        .execute(self.pool())
        .await?;
        Ok(())
    }
}

fn parse_body(body: &str) -> Result<Instrument> {
    Instrument::parse(body).map_err(|e| StoreError::Corrupt(format!("zelfscan: {}", e.join("; "))))
}

pub(crate) async fn instrument_in<'e, E>(db: E, org: i64, version: i64) -> Result<Instrument>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let row = sqlx::query("SELECT body FROM selfscan_versions WHERE org_id = $1 AND version = $2")
        .bind(org)
        .bind(version)
        .fetch_optional(db)
        .await?;
    match row {
        Some(r) => parse_body(&r.try_get::<String, _>("body")?),
        None => Err(ValidationError::new("versie", Problem::UnknownVersion).into()),
    }
}

/// The version of an open round the professional is a member of.
async fn open_round_version(tx: &mut Tx, staff: &Staff, round: i64) -> Result<i64> {
    let row = sqlx::query(
        "SELECT o.version, o.closed_at FROM selfscan_rounds o JOIN selfscan_round_members m ON m.round_id = o.id \
         WHERE o.id = $1 AND o.org_id = $2 AND m.user_id = $3",
    )
    .bind(round)
    .bind(staff.org_id)
    .bind(staff.user_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    if row.try_get::<Option<i64>, _>("closed_at")?.is_some() {
        return Err(ValidationError::new("ronde", Problem::Closed).into());
    }
    Ok(row.try_get("version")?)
}

async fn own_run(conn: &mut sqlx::AnyConnection, staff: &Staff, id: i64) -> Result<Run> {
    let row = sqlx::query(
        "SELECT id, version, round_id, started_at, updated_at, finished_at FROM selfscan_runs WHERE id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(staff.user_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let answers = sqlx::query("SELECT code, answer FROM selfscan_answers WHERE run_id = $1")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(Run {
        id: row.try_get("id")?,
        version: row.try_get("version")?,
        round_id: row.try_get("round_id")?,
        started_at: row.try_get("started_at")?,
        updated_at: row.try_get("updated_at")?,
        finished_at: row.try_get("finished_at")?,
        answers: answers_from(&answers)?,
    })
}

/// The professional's own run, while it is a draft and its round is open,
/// locked for this transaction: the round's row first (as closing it
/// does), then the run's, so a round cannot close, nor a draft lapse,
/// halfway through a save or a finish.
async fn own_draft(tx: &mut Tx, staff: &Staff, id: i64, now: i64) -> Result<Run> {
    let run = own_run(tx, staff, id).await?;
    if run.finished_at.is_some() {
        return Err(StoreError::Duplicate("zelfscan-afgerond"));
    }
    if let Some(round) = run.round_id {
        let open = sqlx::query(
            "UPDATE selfscan_rounds SET closed_at = closed_at WHERE id = $1 AND closed_at IS NULL",
        )
        .bind(round)
        .execute(&mut **tx)
        .await?;
        if open.rows_affected() == 0 {
            return Err(ValidationError::new("ronde", Problem::Closed).into());
        }
    }
    let held = sqlx::query(
        "UPDATE selfscan_runs SET updated_at = $1 WHERE id = $2 AND user_id = $3 AND finished_at IS NULL",
    )
    .bind(now)
    .bind(id)
    .bind(staff.user_id)
    .execute(&mut **tx)
    .await?;
    if held.rows_affected() == 0 {
        // Finished or removed meanwhile (another tab, the draft job).
        return match own_run(tx, staff, id).await?.finished_at {
            Some(_) => Err(StoreError::Duplicate("zelfscan-afgerond")),
            None => Err(StoreError::NotFound),
        };
    }
    Ok(run)
}

pub(crate) fn answers_from(rows: &[sqlx::any::AnyRow]) -> Result<Answers> {
    rows.iter().map(answer_from).collect()
}

/// A row of (code, answer, …).
pub(crate) fn answer_from(r: &sqlx::any::AnyRow) -> Result<(String, Answer)> {
    let code: String = r.try_get("code")?;
    let answer: String = r.try_get("answer")?;
    let a = Answer::parse("antwoord", &answer)
        .map_err(|_| StoreError::Corrupt(format!("zelfscan answer {answer:?}")))?;
    Ok((code, a))
}
