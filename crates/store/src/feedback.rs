//! Hoe was het?: the contacts a resident may rate (requests done and
//! appointments held, in the last weeks), their answers, and the team's
//! totals, which name nobody.

use crate::audit::Action;
use crate::{Result, Store, StoreError, Tx};
use sqlx::Row;
use wegwijs_domain::feedback::{ASK_DAYS, Feedback};
use wegwijs_domain::policy::Capability;
use wegwijs_domain::{Actor, Purpose, ResidentId};

/// A contact the resident has not rated yet.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Contact {
    /// 'hulpvraag:12' or 'afspraak:3'.
    pub about: String,
    pub org_id: i64,
    pub org_name: String,
    pub team: String,
    /// What it was about: a request's topic, an appointment's subject code.
    pub topic: String,
    pub at: i64,
}

/// An organisation's answers, without who gave them.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct TeamFeedback {
    pub count: i64,
    /// The average score × 10, rounded (38 is 3,8).
    pub average_tenths: Option<i64>,
    /// How many gave 1, 2, 3, 4, 5.
    pub per_score: [i64; 5],
    /// Comments with their score, no names or dates, in the order of
    /// their text (not of time, which could point to someone).
    pub comments: Vec<(i64, String)>,
    /// At least [`MIN_ANSWERS`]: otherwise only `count` is filled in.
    pub enough: bool,
}

/// How many comments the team page shows.
const COMMENTS_SHOWN: i64 = 20;
/// Below this many answers the team sees only how many there are: with
/// one or two, a score or comment could be traced to a resident.
pub const MIN_ANSWERS: i64 = 5;

const CONTACTS: &str = "\
SELECT 'hulpvraag:' || CAST(q.id AS TEXT) AS about, q.org_id, o.name, q.team, q.topic_name AS topic, q.updated_at AS happened_at \
FROM help_requests q JOIN organisations o ON o.id = q.org_id \
WHERE q.resident_id = $1 AND q.status = 'afgerond' AND q.updated_at >= $2 \
AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.about = 'hulpvraag:' || CAST(q.id AS TEXT)) \
UNION ALL \
SELECT 'afspraak:' || CAST(a.id AS TEXT), a.org_id, o.name, a.team, a.topic, a.starts_at \
FROM appointments a JOIN organisations o ON o.id = a.org_id \
WHERE a.resident_id = $1 AND a.status IN ('gepland', 'geweest') \
AND a.starts_at + a.minutes * 60 <= $3 AND a.starts_at >= $2 \
AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.about = 'afspraak:' || CAST(a.id AS TEXT)) \
ORDER BY happened_at DESC";

impl Store {
    /// Requests done and appointments held in the last [`ASK_DAYS`] days
    /// that the resident has not rated; newest first.
    pub async fn contacts_to_rate(
        &self,
        actor: &Actor,
        resident: ResidentId,
        now: i64,
    ) -> Result<Vec<Contact>> {
        let who = (actor, resident, Purpose::OwnView);
        let mut tx = self
            .read_access(who, Action::ContactenBekeken, "", now)
            .await?;
        let list = contacts(&mut tx, resident, now).await?;
        tx.commit().await?;
        Ok(list)
    }

    /// The resident's answer about one of their own contacts to rate;
    /// a second answer about the same contact is `Duplicate`.
    pub async fn give_feedback(
        &self,
        actor: &Actor,
        resident: ResidentId,
        about: &str,
        feedback: &Feedback,
        now: i64,
    ) -> Result<()> {
        let who = (actor, resident, Purpose::OwnChoice);
        let mut tx = self
            .begin_access(who, Action::HoeWasHetGegeven, about, now)
            .await?;
        let rated = sqlx::query("SELECT 1 FROM feedback WHERE about = $1")
            .bind(about)
            .fetch_optional(&mut *tx)
            .await?;
        if rated.is_some() {
            return Err(StoreError::Duplicate("hoe-was-het"));
        }
        let open = sqlx::query(CONTACTS)
            .bind(resident.0)
            .bind(now - ASK_DAYS * 24 * 3600)
            .bind(now)
            .fetch_all(&mut *tx)
            .await?;
        let mut org = None;
        for r in &open {
            if r.try_get::<String, _>("about")? == about {
                org = Some(r.try_get::<i64, _>("org_id")?);
            }
        }
        let org = org.ok_or(StoreError::NotFound)?;
        sqlx::query(
            "INSERT INTO feedback (resident_id, org_id, about, score, comment, at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(resident.0)
        .bind(org)
        .bind(about)
        .bind(feedback.score)
        .bind(&feedback.comment)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::unique_as(e, "hoe-was-het"))?;
        tx.commit().await?;
        Ok(())
    }

    /// The team lead's view of their organisation's answers.
    pub async fn team_feedback(&self, actor: &Actor) -> Result<TeamFeedback> {
        let staff = crate::work::staff_who_may(actor, Capability::TeamOverview)?;
        let rows = sqlx::query(
            "SELECT score, COUNT(*) AS n FROM feedback WHERE org_id = $1 GROUP BY score",
        )
        .bind(staff.org_id)
        .fetch_all(self.pool())
        .await?;
        let mut out = TeamFeedback::default();
        let mut total = 0;
        for r in &rows {
            let (score, n): (i64, i64) = (r.try_get("score")?, r.try_get("n")?);
            if let Some(slot) = usize::try_from(score - 1)
                .ok()
                .and_then(|i| out.per_score.get_mut(i))
            {
                *slot = n;
                out.count += n;
                total += score * n;
            }
        }
        if out.count < MIN_ANSWERS {
            return Ok(TeamFeedback {
                count: out.count,
                ..TeamFeedback::default()
            });
        }
        out.enough = true;
        // Rounded half up, in whole tenths: integers only.
        out.average_tenths = (out.count > 0).then(|| (total * 20 + out.count) / (2 * out.count));
        let comments = sqlx::query(
            "SELECT score, comment FROM feedback WHERE org_id = $1 AND comment <> '' ORDER BY comment LIMIT $2",
        )
        .bind(staff.org_id)
        .bind(COMMENTS_SHOWN)
        .fetch_all(self.pool())
        .await?;
        out.comments = comments
            .iter()
            .map(|r| Ok((r.try_get("score")?, r.try_get("comment")?)))
            .collect::<Result<_>>()?;
        Ok(out)
    }
}

/// The resident's contacts to rate (see [`Store::contacts_to_rate`]).
pub(crate) async fn contacts(tx: &mut Tx, resident: ResidentId, now: i64) -> Result<Vec<Contact>> {
    let rows = sqlx::query(CONTACTS)
        .bind(resident.0)
        .bind(now - ASK_DAYS * 24 * 3600)
        .bind(now)
        .fetch_all(&mut **tx)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Contact {
                about: r.try_get("about")?,
                org_id: r.try_get("org_id")?,
                org_name: r.try_get("name")?,
                team: r.try_get("team")?,
                topic: r.try_get("topic")?,
                at: r.try_get("happened_at")?,
            })
        })
        .collect()
}
