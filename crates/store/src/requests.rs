//! Hulp vragen: the routing table an admin keeps, the requests residents
//! place in the portal (each one open work of the organisation it went
//! to), their steps, and the caseworker's answers on them.

use crate::audit::Action;
use crate::audit::{self, NewEntry};
use crate::outbox::{Message, deliver};
use crate::{Result, Store, StoreError, Tx};
use sqlx::Row;
use time::Date;
use wegwijs_domain::contact::ContactWays;
use wegwijs_domain::help::{HelpRoute, HelpTopic, RequestKind, RequestStatus};
use wegwijs_domain::person::{format_date, parse_date};
use wegwijs_domain::policy::{self, Capability};
use wegwijs_domain::{Actor, OrgKind, Purpose, ResidentId, WorkKind};

/// The same question in the same words within this many seconds is the
/// same request.
const SAME_QUESTION_SECS: i64 = 3600;

/// A line of the routing table with the organisation's name.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RouteRow {
    #[serde(flatten)]
    pub route: HelpRoute,
    pub org_name: String,
}

/// What the resident asks, as the store keeps it.
#[derive(Clone, PartialEq, Eq)]
pub struct NewRequest {
    pub kind: RequestKind,
    /// A help topic's code, or the law's id for "aanvragen"/"bel mij".
    pub topic: String,
    /// The topic in words as the resident chose it (a law's name).
    pub topic_name: String,
    pub own_words: String,
    /// How the resident asked to be reached about it (for "bel mij": the
    /// number to call).
    pub reach: ContactWays,
}

impl std::fmt::Debug for NewRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewRequest")
            .field("kind", &self.kind)
            .field("topic", &self.topic)
            .finish_non_exhaustive()
    }
}

/// A request with its timeline, for the resident or the caseworker.
/// Holds the resident's own words: no `Debug`, so it cannot reach a log.
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
pub struct RequestView {
    pub id: i64,
    pub kind: &'static str,
    pub topic: String,
    pub topic_name: String,
    pub own_words: String,
    pub reach: ContactWays,
    pub org_name: String,
    pub team: String,
    pub contact_phone: String,
    pub status: &'static str,
    pub answer_by: String,
    pub created_at: i64,
    pub steps: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Step {
    pub at: i64,
    pub status: &'static str,
    pub note: String,
}

impl Store {
    /// The routing table; no personal data, so anyone's page may show it.
    pub async fn help_routes(&self) -> Result<Vec<RouteRow>> {
        let rows = sqlx::query(
            "SELECT r.topic, r.org_id, r.team_id, t.name AS team, r.answer_days, r.phone, o.name AS org_name \
             FROM help_routes r JOIN organisations o ON o.id = r.org_id JOIN teams t ON t.id = r.team_id",
        )
        .fetch_all(self.pool())
        .await?;
        let mut routes = rows.iter().map(route_row).collect::<Result<Vec<_>>>()?;
        routes.sort_by_key(|r| HelpTopic::ALL.iter().position(|t| *t == r.route.topic));
        Ok(routes)
    }

    /// Sets where questions on a topic go. Only an admin of a municipality
    /// keeps the table; the change is logged without personal data.
    pub async fn set_help_route(&self, actor: &Actor, route: &HelpRoute, now: i64) -> Result<()> {
        let mut tx = self.write_tx().await?;
        let kind = actor_org_kind(&mut tx, actor).await?;
        let decision = policy::may_keep_help_routes(actor, kind);
        // The team is one of the chosen organisation's.
        let target = sqlx::query("SELECT id FROM teams WHERE id = $1 AND org_id = $2")
            .bind(route.team_id)
            .bind(route.org_id)
            .fetch_optional(&mut *tx)
            .await?;
        let entry = NewEntry {
            actor,
            resident: None,
            action: Action::HulprouteGewijzigd,
            purpose: Purpose::Administration,
            outcome: decision,
            detail: format!("{} naar organisatie {}", route.topic.code(), route.org_id),
        };
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        if let Err(denied) = decision {
            tx.commit().await?;
            return Err(denied.into());
        }
        if target.is_none() {
            return Err(StoreError::NotFound);
        }
        sqlx::query(
            "INSERT INTO help_routes (topic, org_id, team_id, answer_days, phone, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (topic) DO UPDATE SET org_id = excluded.org_id, \
             team_id = excluded.team_id, answer_days = excluded.answer_days, phone = excluded.phone, \
             updated_at = excluded.updated_at",
        )
        .bind(route.topic.code())
        .bind(route.org_id)
        .bind(route.team_id)
        .bind(route.answer_days)
        .bind(&route.phone)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Places the resident's request along `route`: open work for the
    /// route's organisation (so its caseworkers may see the resident), the
    /// first step, and the confirmation in the resident's messages, in one
    /// transaction. Only the resident places their own.
    pub async fn place_request(
        &self,
        actor: &Actor,
        resident: ResidentId,
        request: &NewRequest,
        (route, answer_by): (&HelpRoute, Date),
        confirmation: &Message,
        now: i64,
    ) -> Result<i64> {
        let detail = format!("{} over {}", request.kind.code(), request.topic);
        let who = (actor, resident, Purpose::OwnChoice);
        let mut tx = self
            .begin_access(who, Action::HulpvraagGesteld, &detail, now)
            .await?;
        // Asking twice about the same support is the same request; so is
        // the same question in the same words within the hour (the back
        // button brings the typed form back with a new one-time token).
        let same = if matches!(
            request.kind,
            RequestKind::Aanvragen | RequestKind::Terugbellen
        ) {
            sqlx::query(
                "SELECT id FROM help_requests WHERE resident_id = $1 AND kind = $2 AND topic = $3 \
                 AND status <> 'afgerond' ORDER BY id LIMIT 1",
            )
            .bind(resident.0)
            .bind(request.kind.code())
            .bind(&request.topic)
            .fetch_optional(&mut *tx)
            .await?
        } else {
            sqlx::query(
                "SELECT id FROM help_requests WHERE resident_id = $1 AND kind = $2 AND topic = $3 \
                 AND own_words = $4 AND status <> 'afgerond' AND created_at > $5 ORDER BY id LIMIT 1",
            )
            .bind(resident.0)
            .bind(request.kind.code())
            .bind(&request.topic)
            .bind(&request.own_words)
            .bind(now - SAME_QUESTION_SECS)
            .fetch_optional(&mut *tx)
            .await?
        };
        if let Some(row) = same {
            tx.commit().await?;
            return Ok(row.try_get("id")?);
        }
        let work = crate::work::NewWork {
            team: Some(route.team_id),
            due: Some(answer_by),
            ..crate::work::NewWork::new(route.org_id, resident, WorkKind::Hulpvraag)
        };
        let work = crate::work::open_item(&mut tx, &work, now).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO help_requests (resident_id, org_id, work_id, team, kind, topic, topic_name, \
             own_words, callback_phone, callback_email, status, answer_by, contact_phone, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
        )
        .bind(resident.0)
        .bind(route.org_id)
        .bind(work)
        .bind(&route.team)
        .bind(request.kind.code())
        .bind(&request.topic)
        .bind(&request.topic_name)
        .bind(&request.own_words)
        .bind(request.reach.phone.clone())
        .bind(request.reach.email.clone())
        .bind(RequestStatus::Ontvangen.code())
        .bind(format_date(answer_by))
        .bind(&route.phone)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        add_step(&mut tx, id, RequestStatus::Ontvangen, "", None, now).await?;
        sqlx::query("UPDATE work_items SET subject_id = $1 WHERE id = $2")
            .bind(id)
            .bind(work)
            .execute(&mut *tx)
            .await?;
        let about = format!("hulpvraag:{id}");
        deliver(&mut tx, (resident, route.org_id), &about, confirmation, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The resident's own requests, newest first, with their steps.
    pub async fn own_requests(
        &self,
        actor: &Actor,
        resident: ResidentId,
        now: i64,
    ) -> Result<Vec<RequestView>> {
        let who = (actor, resident, Purpose::OwnView);
        let mut tx = self
            .read_access(who, Action::HulpvragenBekeken, "", now)
            .await?;
        let list = requests(&mut tx, resident, None).await?;
        tx.commit().await?;
        Ok(list)
    }

    /// How the resident last asked to be reached (the newest phone number
    /// and e-mail address they gave with a request), to fill in their next
    /// form; only for the resident themselves, audited.
    pub async fn known_contact_ways(
        &self,
        actor: &Actor,
        resident: ResidentId,
        now: i64,
    ) -> Result<ContactWays> {
        let who = (actor, resident, Purpose::OwnView);
        let mut tx = self
            .read_access(who, Action::ContactgegevensBekeken, "", now)
            .await?;
        let newest = |column: &str| {
            format!(
                "SELECT {column} AS way FROM help_requests WHERE resident_id = $1 \
                 AND {column} IS NOT NULL ORDER BY id DESC LIMIT 1"
            )
        };
        // What the resident gave once comes first; else what they gave last.
        if let Some(d) = crate::contacts::contact_details_in(&mut tx, resident).await? {
            tx.commit().await?;
            return Ok(d.ways);
        }
        let mut ways = ContactWays::default();
        for (column, slot) in [
            ("callback_phone", &mut ways.phone),
            ("callback_email", &mut ways.email),
        ] {
            let row = sqlx::query(&newest(column))
                .bind(resident.0)
                .fetch_optional(&mut *tx)
                .await?;
            *slot = row.map(|r| r.try_get("way")).transpose()?;
        }
        tx.commit().await?;
        Ok(ways)
    }

    /// The requests a resident placed with the caseworker's organisation,
    /// for the caseworker who works on them; audited.
    pub async fn org_requests_for(
        &self,
        actor: &Actor,
        resident: ResidentId,
        now: i64,
    ) -> Result<Vec<RequestView>> {
        let staff = crate::work::staff_who_may(actor, Capability::Worklist)?;
        let who = (actor, resident, Purpose::Casework);
        let mut tx = self
            .read_access(who, Action::HulpvragenBekeken, "", now)
            .await?;
        let list = requests(&mut tx, resident, Some(staff.org_id)).await?;
        tx.commit().await?;
        Ok(list)
    }

    /// A caseworker moves a request on: a new step with a note to the
    /// resident, a message in the resident's portal, and, when it is done,
    /// the work closed. Only staff of the organisation it went to.
    pub async fn answer_request(
        &self,
        actor: &Actor,
        request: i64,
        (status, note): (RequestStatus, &str),
        message: &Message,
        now: i64,
    ) -> Result<ResidentId> {
        crate::work::staff_who_may(actor, Capability::Worklist)?;
        let mut tx = self.write_tx().await?;
        if status == RequestStatus::Ontvangen {
            let e = wegwijs_domain::ValidationError::new(
                "status",
                wegwijs_domain::Problem::UnknownCode,
            );
            return Err(e.into());
        }
        let row = sqlx::query(
            "SELECT resident_id, org_id, work_id, status FROM help_requests WHERE id = $1",
        )
        .bind(request)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let (resident, org, work): (i64, i64, i64) = (
            row.try_get("resident_id")?,
            row.try_get("org_id")?,
            row.try_get("work_id")?,
        );
        // Done is done: its work is closed; a new question is a new request.
        let current: String = row.try_get("status")?;
        if current == RequestStatus::Afgerond.code() {
            return Err(StoreError::NotFound);
        }
        let decision = policy::may_answer_request(actor, org);
        // The same step again without a word would be a second, empty
        // message to the resident.
        if decision.is_ok() && current == status.code() && note.is_empty() {
            let e = wegwijs_domain::ValidationError::new(
                "status",
                wegwijs_domain::Problem::NothingChanged,
            );
            return Err(e.into());
        }
        let entry = NewEntry {
            actor,
            resident: Some(ResidentId(resident)),
            action: Action::HulpvraagBeantwoord,
            purpose: Purpose::Casework,
            outcome: decision,
            detail: format!("hulpvraag {request}: {}", status.code()),
        };
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        if let Err(denied) = decision {
            tx.commit().await?;
            return Err(denied.into());
        }
        // Only from the status the caseworker's page showed: of two answers
        // sent at once, the second is told the request changed.
        let changed = sqlx::query(
            "UPDATE help_requests SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
        )
        .bind(status.code())
        .bind(now)
        .bind(request)
        .bind(current.clone())
        .execute(&mut *tx)
        .await?;
        if changed.rows_affected() == 0 {
            return Err(StoreError::Conflict(crate::Conflict::Changed));
        }
        add_step(&mut tx, request, status, note, Some(org), now).await?;
        if status == RequestStatus::Afgerond {
            let done = (wegwijs_domain::work::Outcome::Elders, "");
            crate::work::close_item(&mut tx, work, done, now).await?;
        } else {
            sqlx::query(
                "UPDATE work_items SET stage = 'in-behandeling', version = version + 1, updated_at = $1 \
                 WHERE id = $2 AND status = 'open' AND stage = 'nieuw'",
            )
            .bind(now)
            .bind(work)
            .execute(&mut *tx)
            .await?;
        }
        let about = format!("hulpvraag:{request}");
        deliver(&mut tx, (ResidentId(resident), org), &about, message, now).await?;
        tx.commit().await?;
        Ok(ResidentId(resident))
    }

    /// Whom a request of the caseworker's own organisation is about (to
    /// show their page again); another organisation's is not found.
    pub async fn request_resident(&self, actor: &Actor, request: i64) -> Result<ResidentId> {
        let staff = crate::work::staff_who_may(actor, Capability::Worklist)?;
        let row =
            sqlx::query("SELECT resident_id FROM help_requests WHERE id = $1 AND org_id = $2")
                .bind(request)
                .bind(staff.org_id)
                .fetch_optional(self.pool())
                .await?
                .ok_or(StoreError::NotFound)?;
        Ok(ResidentId(row.try_get("resident_id")?))
    }
}

/// The kind of the acting staff member's organisation, if staff.
pub(crate) async fn actor_org_kind(tx: &mut Tx, actor: &Actor) -> Result<Option<OrgKind>> {
    let Actor::Staff(s) = actor else {
        return Ok(None);
    };
    let row = sqlx::query("SELECT kind FROM organisations WHERE id = $1")
        .bind(s.org_id)
        .fetch_one(&mut **tx)
        .await?;
    let kind: String = row.try_get("kind")?;
    Ok(OrgKind::from_code(&kind).ok())
}

async fn add_step(
    tx: &mut Tx,
    request: i64,
    status: RequestStatus,
    note: &str,
    by_org: Option<i64>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO help_request_steps (request_id, at, status, note, by_org) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(request)
    .bind(now)
    .bind(status.code())
    .bind(note)
    .bind(by_org)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A resident's requests (of one organisation, or all), newest first.
pub(crate) async fn requests(
    tx: &mut Tx,
    resident: ResidentId,
    org: Option<i64>,
) -> Result<Vec<RequestView>> {
    let rows = sqlx::query(
        "SELECT q.id, q.kind, q.topic, q.topic_name, q.own_words, q.callback_phone, q.callback_email, o.name AS org_name, q.team, \
         q.contact_phone, q.status, q.answer_by, q.created_at FROM help_requests q \
         JOIN organisations o ON o.id = q.org_id \
         WHERE q.resident_id = $1 AND ($2 = 0 OR q.org_id = $2) ORDER BY q.id DESC",
    )
    .bind(resident.0)
    .bind(org.unwrap_or(0))
    .fetch_all(&mut **tx)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let steps = sqlx::query(
            "SELECT at, status, note FROM help_request_steps WHERE request_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|s| {
            Ok(Step {
                at: s.try_get("at")?,
                status: status(&s.try_get::<String, _>("status")?)?,
                note: s.try_get("note")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let kind: String = r.try_get("kind")?;
        let answer_by: String = r.try_get("answer_by")?;
        parse_date("answer_by", &answer_by)
            .map_err(|_| StoreError::Corrupt("request answer date".into()))?;
        out.push(RequestView {
            id,
            kind: RequestKind::from_code(&kind)
                .map_err(|_| StoreError::Corrupt(format!("request kind {kind:?}")))?
                .code(),
            topic: r.try_get("topic")?,
            topic_name: r.try_get("topic_name")?,
            own_words: r.try_get("own_words")?,
            reach: ContactWays {
                phone: r.try_get("callback_phone")?,
                email: r.try_get("callback_email")?,
            },
            org_name: r.try_get("org_name")?,
            team: r.try_get("team")?,
            contact_phone: r.try_get("contact_phone")?,
            status: status(&r.try_get::<String, _>("status")?)?,
            answer_by,
            created_at: r.try_get("created_at")?,
            steps,
        });
    }
    Ok(out)
}

fn status(code: &str) -> Result<&'static str> {
    RequestStatus::from_code(code)
        .map(RequestStatus::code)
        .map_err(|_| StoreError::Corrupt(format!("request status {code:?}")))
}

fn route_row(r: &sqlx::any::AnyRow) -> Result<RouteRow> {
    let topic: String = r.try_get("topic")?;
    Ok(RouteRow {
        route: HelpRoute {
            topic: HelpTopic::from_code(&topic)
                .map_err(|_| StoreError::Corrupt(format!("route topic {topic:?}")))?,
            org_id: r.try_get("org_id")?,
            team_id: r.try_get("team_id")?,
            team: r.try_get("team")?,
            answer_days: r.try_get("answer_days")?,
            phone: r.try_get("phone")?,
        },
        org_name: r.try_get("org_name")?,
    })
}
