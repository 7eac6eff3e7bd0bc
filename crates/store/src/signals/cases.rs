//! A municipality's signal cases (vroegsignaalzaken): the caseworker's
//! worklist by priority, the household view, contact attempts and the end
//! result. Every read of a household writes audit entries with its purpose.

use super::settings::plan_of;
use super::{SignalView, in_list, signal_view};
use crate::audit::{self, NewEntry};
use crate::residents::{RESIDENT_COLUMNS, resident_from_row};
use crate::{Result, Store, StoreError, Tx};
use sqlx::Row;
use std::collections::HashMap;
use time::Date;
use wegwijs_domain::person::{format_date, parse_date};
use wegwijs_domain::policy;
use wegwijs_domain::signal::{
    Closing, ContactAttempt, ContactKind, Dagdeel, EndResult, Level, PartnerType, Reason,
};
use wegwijs_domain::{Actor, Denied, Money, Purpose, Resident, ResidentId, Staff, WorkKind};

/// Which cases a worklist shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StatusFilter {
    /// Not closed (new and in contact).
    #[default]
    Open,
    /// Nobody has tried to reach the household yet.
    New,
    /// At least one contact attempt, not closed.
    InContact,
    Closed,
}

impl StatusFilter {
    pub const ALL: [StatusFilter; 4] = [
        StatusFilter::Open,
        StatusFilter::New,
        StatusFilter::InContact,
        StatusFilter::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StatusFilter::Open => "open",
            StatusFilter::New => "nieuw",
            StatusFilter::InContact => "in-contact",
            StatusFilter::Closed => "afgesloten",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    fn sql(self) -> &'static str {
        match self {
            StatusFilter::Open => "c.closed_on IS NULL",
            StatusFilter::New => "c.closed_on IS NULL AND c.picked_up_on IS NULL",
            StatusFilter::InContact => "c.closed_on IS NULL AND c.picked_up_on IS NOT NULL",
            StatusFilter::Closed => "c.closed_on IS NOT NULL",
        }
    }
}

/// A worklist's filters; `None` means any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseFilter {
    pub status: StatusFilter,
    pub wijk: Option<String>,
    pub partner: Option<PartnerType>,
    /// Only cases opened at least this many days ago.
    pub min_age_days: Option<u16>,
}

/// The state of a case as the worklist shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseState {
    New,
    InContact,
    Closed,
}

impl CaseState {
    pub fn code(self) -> &'static str {
        match self {
            CaseState::New => "nieuw",
            CaseState::InContact => "in-contact",
            CaseState::Closed => "afgesloten",
        }
    }
}

/// One line of the signal worklist: a household's case.
#[derive(Clone, Debug)]
pub struct CaseLine {
    pub id: i64,
    pub state: CaseState,
    pub score: i64,
    pub level: Level,
    pub reasons: Vec<Reason>,
    pub opened_on: Date,
    pub closed_on: Option<Date>,
    pub result: Option<EndResult>,
    /// The resident the first linked signal is about, the household's
    /// contact.
    pub contact: Option<Resident>,
    pub partners: Vec<PartnerType>,
    pub total: Money,
    pub signals: u32,
    /// The next open outreach task, if any.
    pub next_task: Option<(ContactKind, Date)>,
}

/// A contact attempt as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttemptView {
    pub attempt: ContactAttempt,
    pub by: String,
}

/// An outreach task made from the plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskView {
    pub kind: ContactKind,
    pub due_on: Date,
    /// "open", "gedaan" or "vervallen".
    pub status: String,
}

/// Everything about one household's case, for the household view.
#[derive(Clone, Debug)]
pub struct CaseView {
    pub line: CaseLine,
    pub picked_up_on: Option<Date>,
    pub trajectory_on: Option<Date>,
    pub members: Vec<Resident>,
    pub signals: Vec<SignalView>,
    pub attempts: Vec<AttemptView>,
    pub tasks: Vec<TaskView>,
    /// End dates of objections recorded on this household's arrears.
    pub objections: Vec<(PartnerType, Date)>,
}

const CASE_COLUMNS: &str = "c.id, c.org_id, c.household_id, c.opened_on, c.picked_up_on, c.closed_on, \
     c.result, c.trajectory_on, c.priority, c.level, c.reasons";

fn staff_for_signals(actor: &Actor) -> Result<Staff> {
    match actor {
        Actor::Staff(s) => {
            policy::may_work_signals(actor, s.org_id)?;
            Ok(*s)
        }
        _ => Err(Denied::Role.into()),
    }
}

impl Store {
    /// The actor's municipality's cases, highest priority first, with
    /// each household's contact; every household shown is audited.
    pub async fn signal_worklist(
        &self,
        actor: &Actor,
        filter: &CaseFilter,
        limit: i64,
        today: Date,
        now: i64,
    ) -> Result<Vec<CaseLine>> {
        let staff = staff_for_signals(actor)?;
        let mut tx = self.write_tx().await?;
        let cutoff = today - time::Duration::days(i64::from(filter.min_age_days.unwrap_or(0)));
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM signal_cases c WHERE c.org_id = $1 AND {} \
             AND ($2 = '' OR EXISTS (SELECT 1 FROM residents r WHERE r.household_id = c.household_id AND r.wijk = $2)) \
             AND ($3 = '' OR EXISTS (SELECT 1 FROM signals s WHERE s.case_id = c.id AND s.partner_type = $3)) \
             AND c.opened_on <= $4 ORDER BY c.priority DESC, c.opened_on, c.id LIMIT $5",
            filter.status.sql()
        );
        let rows = sqlx::query(&sql)
            .bind(staff.org_id)
            .bind(filter.wijk.clone().unwrap_or_default())
            .bind(filter.partner.map(|p| p.code()).unwrap_or("").to_string())
            .bind(format_date(cutoff))
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?;
        let heads = rows.iter().map(case_head).collect::<Result<Vec<_>>>()?;
        let lines = self.complete_lines(&mut tx, heads).await?;
        let entries: Vec<NewEntry> = lines
            .iter()
            .map(|l| NewEntry {
                actor,
                resident: l.contact.as_ref().map(|r| r.id),
                action: "signalenlijst-bekeken",
                purpose: Purpose::Casework,
                outcome: Ok(()),
                detail: format!("naam, wijk, prioriteit (signaalzaak {})", l.id),
            })
            .collect();
        audit::append(&mut tx, self.backend(), now, &entries).await?;
        tx.commit().await?;
        Ok(lines)
    }

    /// Adds signals, contacts and next tasks to the cases' heads.
    async fn complete_lines(&self, tx: &mut Tx, heads: Vec<CaseHead>) -> Result<Vec<CaseLine>> {
        if heads.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = heads.iter().map(|h| h.id).collect();
        let list = in_list(self.backend(), ids.len());
        let sql = format!(
            "SELECT case_id, resident_id, partner_type, bedrag_cents FROM signals WHERE case_id IN {list} ORDER BY id"
        );
        let mut q = sqlx::query_as::<_, (i64, Option<i64>, String, i64)>(&sql);
        for id in &ids {
            q = q.bind(*id);
        }
        let signals = q.fetch_all(&mut **tx).await?;
        let tasks_sql = format!(
            "SELECT case_id, kind, due_on FROM outreach_tasks WHERE status = 'open' AND case_id IN {list} ORDER BY due_on DESC, step DESC"
        );
        let mut tasks_q = sqlx::query(&tasks_sql);
        for id in &ids {
            tasks_q = tasks_q.bind(*id);
        }
        let mut next: HashMap<i64, (ContactKind, Date)> = HashMap::new();
        for r in tasks_q.fetch_all(&mut **tx).await? {
            let kind: String = r.try_get(1)?;
            let due: String = r.try_get(2)?;
            next.insert(r.try_get(0)?, (contact_kind(&kind)?, date(&due)?));
        }
        let contacts: Vec<i64> = {
            let mut firsts: HashMap<i64, i64> = HashMap::new();
            for (case, resident, _, _) in &signals {
                if let Some(r) = resident {
                    firsts.entry(*case).or_insert(*r);
                }
            }
            let mut v: Vec<i64> = firsts.values().copied().collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let residents = read_residents(tx, self.backend(), &contacts).await?;
        let mut lines = Vec::with_capacity(heads.len());
        for h in heads {
            let mine = signals.iter().filter(|s| s.0 == h.id);
            let mut partners = Vec::new();
            let (mut total, mut count, mut contact) = (0i64, 0u32, None);
            for (_, resident, partner, cents) in mine {
                partners.push(partner_type(partner)?);
                total = total.saturating_add(*cents);
                count += 1;
                if contact.is_none() {
                    contact = resident.and_then(|r| residents.get(&r).cloned());
                }
            }
            partners.sort_unstable();
            partners.dedup();
            lines.push(CaseLine {
                next_task: next.get(&h.id).copied(),
                state: h.state(),
                id: h.id,
                score: h.score,
                level: h.level,
                reasons: h.reasons,
                opened_on: h.opened_on,
                closed_on: h.closed_on,
                result: h.result,
                contact,
                partners,
                total: Money::from_cents(total),
                signals: count,
            });
        }
        Ok(lines)
    }

    /// One household's case with all its signals, attempts and tasks, for
    /// a caseworker of the municipality. Every member shown is audited;
    /// a refusal is audited too.
    pub async fn signal_case(&self, actor: &Actor, case_id: i64, now: i64) -> Result<CaseView> {
        let mut tx = self.write_tx().await?;
        let head = fetch_head(&mut tx, case_id).await?;
        if let Err(denied) = policy::may_work_signals(actor, head.org) {
            let entry = NewEntry {
                actor,
                resident: None,
                action: "signaalzaak-bekeken",
                purpose: Purpose::Casework,
                outcome: Err(denied),
                detail: format!("signaalzaak {case_id}"),
            };
            audit::append(&mut tx, self.backend(), now, &[entry]).await?;
            tx.commit().await?;
            return Err(denied.into());
        }
        let (picked_up_on, trajectory_on, household) =
            (head.picked_up_on, head.trajectory_on, head.household);
        let mut lines = self.complete_lines(&mut tx, vec![head]).await?;
        let line = lines.pop().ok_or(StoreError::NotFound)?;
        let members = sqlx::query(&format!(
            "SELECT {RESIDENT_COLUMNS} FROM residents r JOIN households h ON h.id = r.household_id \
             WHERE r.household_id = $1 ORDER BY r.geboortedatum, r.id"
        ))
        .bind(household)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(resident_from_row)
        .collect::<Result<Vec<_>>>()?;
        let signals = sqlx::query(&format!(
            "{} WHERE s.case_id = $1 ORDER BY s.signaaldatum, s.id",
            super::SIGNAL_SELECT
        ))
        .bind(case_id)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(signal_view)
        .collect::<Result<Vec<_>>>()?;
        let attempts = attempts_of(&mut tx, case_id).await?;
        let tasks = tasks_of(&mut tx, case_id).await?;
        let objections = objections_of(&mut tx, household).await?;
        let entries: Vec<NewEntry> = members
            .iter()
            .map(|m| NewEntry {
                actor,
                resident: Some(m.id),
                action: "signaalzaak-bekeken",
                purpose: Purpose::Casework,
                outcome: Ok(()),
                detail: format!(
                    "signaalzaak {case_id}: huishouden, {} signalen, contactpogingen",
                    signals.len()
                ),
            })
            .collect();
        audit::append(&mut tx, self.backend(), now, &entries).await?;
        tx.commit().await?;
        Ok(CaseView {
            line,
            picked_up_on,
            trajectory_on,
            members,
            signals,
            attempts,
            tasks,
            objections,
        })
    }

    /// When the case was opened, for checking an attempt's date. Only for
    /// caseworkers of the case's municipality.
    pub async fn signal_case_opened(&self, actor: &Actor, case_id: i64) -> Result<Date> {
        let mut tx = self.pool().begin().await?;
        let head = fetch_head(&mut tx, case_id).await?;
        policy::may_work_signals(actor, head.org)?;
        Ok(head.opened_on)
    }

    /// Records a contact attempt. The first attempt marks the case picked
    /// up; it completes the oldest open task of its kind; a home visit
    /// that finds nobody in adds a card task when the plan says so.
    pub async fn record_contact_attempt(
        &self,
        actor: &Actor,
        case_id: i64,
        attempt: &ContactAttempt,
        now: i64,
    ) -> Result<()> {
        let Actor::Staff(staff) = actor else {
            return Err(Denied::Role.into());
        };
        let mut tx = self.write_tx().await?;
        let head = fetch_head(&mut tx, case_id).await?;
        policy::may_work_signals(actor, head.org)?;
        if head.closed_on.is_some() {
            return Err(StoreError::NotFound);
        }
        if attempt.on < head.opened_on {
            return Err(StoreError::Invalid(wegwijs_domain::ValidationError::new(
                "datum",
                wegwijs_domain::Problem::BeforeCaseOpened,
            )));
        }
        let on = format_date(attempt.on);
        sqlx::query(
            "INSERT INTO contact_attempts (case_id, kind, on_date, dagdeel, reached, user_id, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(case_id)
        .bind(attempt.kind.code())
        .bind(on.clone())
        .bind(attempt.dagdeel.code())
        .bind(i64::from(attempt.reached))
        .bind(staff.user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE signal_cases SET picked_up_on = $1, updated_at = $2 WHERE id = $3 AND picked_up_on IS NULL",
        )
        .bind(on.clone())
        .bind(now)
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE outreach_tasks SET status = 'gedaan', done_at = $1 WHERE id = \
             (SELECT id FROM outreach_tasks WHERE case_id = $2 AND kind = $3 AND status = 'open' ORDER BY due_on, step LIMIT 1)",
        )
        .bind(now)
        .bind(case_id)
        .bind(attempt.kind.code())
        .execute(&mut *tx)
        .await?;
        if attempt.kind == ContactKind::Huisbezoek && !attempt.reached {
            let plan = plan_of(&mut tx, head.org).await?;
            if plan.card_when_not_home {
                sqlx::query(
                    "INSERT INTO outreach_tasks (case_id, step, kind, due_on, status, created_at) \
                     VALUES ($1, -1, 'kaartje', $2, 'open', $3) ON CONFLICT (case_id, step) DO NOTHING",
                )
                .bind(case_id)
                .bind(on)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
        }
        let contact = household_contact(&mut tx, case_id).await?;
        let entry = NewEntry {
            actor,
            resident: contact,
            action: "contactpoging-vastgelegd",
            purpose: Purpose::Casework,
            outcome: Ok(()),
            detail: format!(
                "signaalzaak {case_id}: {} {} {}",
                attempt.kind.code(),
                attempt.dagdeel.code(),
                if attempt.reached {
                    "bereikt"
                } else {
                    "niet bereikt"
                }
            ),
        };
        audit::append(&mut tx, self.backend(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends a case with its DDAS end result. Help accepted opens a
    /// trajectory (work for the municipality about the household's
    /// contact); a refusal may carry an objection that keeps the household
    /// from being approached on these arrears until its end date.
    pub async fn close_signal_case(
        &self,
        actor: &Actor,
        case_id: i64,
        closing: &Closing,
        today: Date,
        now: i64,
    ) -> Result<()> {
        let Actor::Staff(staff) = actor else {
            return Err(Denied::Role.into());
        };
        let mut tx = self.write_tx().await?;
        let head = fetch_head(&mut tx, case_id).await?;
        policy::may_work_signals(actor, head.org)?;
        if head.closed_on.is_some() {
            return Err(StoreError::NotFound);
        }
        let day = format_date(today);
        let result = closing.result;
        sqlx::query(
            "UPDATE signal_cases SET closed_on = $1, result = $2, \
             picked_up_on = CASE WHEN $3 = 1 THEN COALESCE(picked_up_on, $1) ELSE picked_up_on END, \
             trajectory_on = CASE WHEN $4 = 1 THEN $1 ELSE NULL END, updated_at = $5 WHERE id = $6",
        )
        .bind(day.clone())
        .bind(result.code())
        .bind(i64::from(result.picked_up()))
        .bind(i64::from(result.help_accepted()))
        .bind(now)
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
        if let Some(status) = result.signal_status() {
            sqlx::query("UPDATE signals SET status = $1 WHERE case_id = $2")
                .bind(status.code())
                .bind(case_id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "UPDATE outreach_tasks SET status = 'vervallen', done_at = $1 WHERE case_id = $2 AND status = 'open'",
        )
        .bind(now)
        .bind(case_id)
        .execute(&mut *tx)
        .await?;
        let contact = household_contact(&mut tx, case_id).await?;
        if let Some(until) = closing.objection_until {
            sqlx::query(
                "INSERT INTO signal_objections (org_id, household_id, partner_type, klantnummer, recorded_on, until_on, user_id) \
                 SELECT DISTINCT $1, $2, partner_type, klantnummer, $3, $4, $5 FROM signals WHERE case_id = $6",
            )
            .bind(head.org)
            .bind(head.household)
            .bind(day.clone())
            .bind(format_date(until))
            .bind(staff.user_id)
            .bind(case_id)
            .execute(&mut *tx)
            .await?;
        }
        if let (true, Some(resident)) = (result.help_accepted(), contact) {
            sqlx::query(
                "INSERT INTO work_items (org_id, resident_id, kind, status, opened_at) VALUES ($1, $2, $3, 'open', $4)",
            )
            .bind(head.org)
            .bind(resident.0)
            .bind(WorkKind::Signaal.code())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        let entry = NewEntry {
            actor,
            resident: contact,
            action: "signaalzaak-afgesloten",
            purpose: Purpose::Casework,
            outcome: Ok(()),
            detail: format!(
                "signaalzaak {case_id}: {}{}",
                result.code(),
                if closing.objection_until.is_some() {
                    ", bezwaar vastgelegd"
                } else {
                    ""
                }
            ),
        };
        audit::append(&mut tx, self.backend(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A case row before its signals are added.
struct CaseHead {
    id: i64,
    org: i64,
    household: i64,
    opened_on: Date,
    picked_up_on: Option<Date>,
    closed_on: Option<Date>,
    result: Option<EndResult>,
    trajectory_on: Option<Date>,
    score: i64,
    level: Level,
    reasons: Vec<Reason>,
}

impl CaseHead {
    fn state(&self) -> CaseState {
        match (self.closed_on, self.picked_up_on) {
            (Some(_), _) => CaseState::Closed,
            (None, Some(_)) => CaseState::InContact,
            (None, None) => CaseState::New,
        }
    }
}

fn case_head(r: &sqlx::any::AnyRow) -> Result<CaseHead> {
    let opt_date = |i: usize| -> Result<Option<Date>> {
        r.try_get::<Option<String>, _>(i)?
            .map(|s| date(&s))
            .transpose()
    };
    let result: Option<String> = r.try_get(6)?;
    let level: String = r.try_get(9)?;
    let reasons: String = r.try_get(10)?;
    Ok(CaseHead {
        id: r.try_get(0)?,
        org: r.try_get(1)?,
        household: r.try_get(2)?,
        opened_on: date(&r.try_get::<String, _>(3)?)?,
        picked_up_on: opt_date(4)?,
        closed_on: opt_date(5)?,
        result: result
            .map(|c| EndResult::from_code(&c).ok_or_else(|| corrupt("result")))
            .transpose()?,
        trajectory_on: opt_date(7)?,
        score: r.try_get(8)?,
        level: Level::from_code(&level).ok_or_else(|| corrupt("level"))?,
        reasons: serde_json::from_str(&reasons).map_err(|_| corrupt("reasons"))?,
    })
}

async fn fetch_head(tx: &mut Tx, case_id: i64) -> Result<CaseHead> {
    let row = sqlx::query(&format!(
        "SELECT {CASE_COLUMNS} FROM signal_cases c WHERE c.id = $1"
    ))
    .bind(case_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    case_head(&row)
}

/// The resident of the case's first linked signal.
async fn household_contact(tx: &mut Tx, case_id: i64) -> Result<Option<ResidentId>> {
    let row = sqlx::query(
        "SELECT resident_id FROM signals WHERE case_id = $1 AND resident_id IS NOT NULL ORDER BY id LIMIT 1",
    )
    .bind(case_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| r.try_get(0)).transpose()?.map(ResidentId))
}

pub(super) async fn read_residents(
    tx: &mut Tx,
    backend: crate::Backend,
    ids: &[i64],
) -> Result<HashMap<i64, Resident>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT {RESIDENT_COLUMNS} FROM residents r JOIN households h ON h.id = r.household_id WHERE r.id IN {}",
            in_list(backend, chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        for row in q.fetch_all(&mut **tx).await? {
            let r = resident_from_row(&row)?;
            out.insert(r.id.0, r);
        }
    }
    Ok(out)
}

async fn attempts_of(tx: &mut Tx, case_id: i64) -> Result<Vec<AttemptView>> {
    let rows = sqlx::query(
        "SELECT a.kind, a.on_date, a.dagdeel, a.reached, u.display_name FROM contact_attempts a \
         JOIN users u ON u.id = a.user_id WHERE a.case_id = $1 ORDER BY a.on_date, a.id",
    )
    .bind(case_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| {
            let dagdeel: String = r.try_get(2)?;
            Ok(AttemptView {
                attempt: ContactAttempt {
                    kind: contact_kind(&r.try_get::<String, _>(0)?)?,
                    on: date(&r.try_get::<String, _>(1)?)?,
                    dagdeel: Dagdeel::from_code(&dagdeel).ok_or_else(|| corrupt("dagdeel"))?,
                    reached: crate::flag(r.try_get(3)?),
                },
                by: r.try_get(4)?,
            })
        })
        .collect()
}

async fn tasks_of(tx: &mut Tx, case_id: i64) -> Result<Vec<TaskView>> {
    let rows = sqlx::query(
        "SELECT kind, due_on, status FROM outreach_tasks WHERE case_id = $1 ORDER BY due_on, step",
    )
    .bind(case_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(TaskView {
                kind: contact_kind(&r.try_get::<String, _>(0)?)?,
                due_on: date(&r.try_get::<String, _>(1)?)?,
                status: r.try_get(2)?,
            })
        })
        .collect()
}

async fn objections_of(tx: &mut Tx, household: i64) -> Result<Vec<(PartnerType, Date)>> {
    let rows = sqlx::query(
        "SELECT partner_type, until_on FROM signal_objections WHERE household_id = $1 ORDER BY until_on",
    )
    .bind(household)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                partner_type(&r.try_get::<String, _>(0)?)?,
                date(&r.try_get::<String, _>(1)?)?,
            ))
        })
        .collect()
}

pub(super) fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("signal case {what}"))
}

pub(super) fn date(s: &str) -> Result<Date> {
    parse_date("datum", s).map_err(|_| corrupt("date"))
}

pub(super) fn partner_type(code: &str) -> Result<PartnerType> {
    PartnerType::from_code(code).ok_or_else(|| corrupt("partner"))
}

fn contact_kind(code: &str) -> Result<ContactKind> {
    ContactKind::from_code(code).ok_or_else(|| corrupt("contact kind"))
}
