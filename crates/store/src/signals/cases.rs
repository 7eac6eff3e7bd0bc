//! A municipality's signal cases (vroegsignaalzaken): the caseworker's
//! worklist by priority, the household view, contact attempts and the end
//! result. Every read of a household writes audit entries with its purpose.

use super::{SignalView, contact_kind, corrupt, date, in_list, partner_type, signal_view};
use crate::audit::Action;
use crate::audit::writer::OwnedEntry;
use crate::audit::{self, NewEntry};
use crate::residents::{RESIDENT_COLUMNS, resident_from_row};
use crate::{Result, Store, StoreError, Tx};
use sqlx::Row;
use std::collections::HashMap;
use time::Date;
use wegwijs_domain::person::format_date;
use wegwijs_domain::policy;
use wegwijs_domain::signal::{
    ContactAttempt, ContactKind, Dagdeel, EndResult, Level, PartnerType, Reason,
};
use wegwijs_domain::{Actor, Money, Purpose, Resident};

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
    pub const ALL: [CaseState; 3] = [CaseState::New, CaseState::InContact, CaseState::Closed];

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
    /// The household's choices that hold today (channels, a pause, a no).
    pub choices: wegwijs_domain::consent::HouseholdChoices,
    /// What the municipality noted helps the household's contact.
    pub accommodations: wegwijs_domain::accommodation::Noted,
    /// How the household's contact would like to be reached.
    pub reach: Option<wegwijs_domain::contact::ContactDetails>,
}

const CASE_COLUMNS: &str = "c.id, c.org_id, c.household_id, c.opened_on, c.picked_up_on, c.closed_on, \
     c.result, c.trajectory_on, c.priority, c.level, c.reasons";

impl Store {
    /// The actor's municipality's cases, highest priority first, with
    /// each household's contact; the view is one audit entry that points to
    /// the list of contacts it showed (see `audit::ShownList`).
    pub async fn signal_worklist(
        &self,
        actor: &Actor,
        filter: &CaseFilter,
        limit: i64,
        today: Date,
        now: i64,
    ) -> Result<Vec<CaseLine>> {
        let org = super::signal_staff(actor)?.org_id;
        let mut tx = self.read_tx().await?;
        let cutoff = today - time::Duration::days(i64::from(filter.min_age_days.unwrap_or(0)));
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM signal_cases c WHERE c.org_id = $1 AND {} \
             AND ($2 = '' OR EXISTS (SELECT 1 FROM residents r WHERE r.household_id = c.household_id AND r.wijk = $2)) \
             AND ($3 = '' OR EXISTS (SELECT 1 FROM signals s WHERE s.case_id = c.id AND s.partner_type = $3)) \
             AND c.opened_on <= $4 ORDER BY c.priority DESC, c.opened_on, c.id LIMIT $5",
            filter.status.sql()
        );
        let rows = sqlx::query(&sql)
            .bind(org)
            .bind(filter.wijk.clone().unwrap_or_default())
            .bind(filter.partner.map(|p| p.code()).unwrap_or("").to_string())
            .bind(format_date(cutoff))
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?;
        let heads = rows.iter().map(case_head).collect::<Result<Vec<_>>>()?;
        let lines = self.complete_lines(&mut tx, heads).await?;
        tx.commit().await?;
        let shown: Vec<wegwijs_domain::ResidentId> = lines
            .iter()
            .filter_map(|l| l.contact.as_ref().map(|r| r.id))
            .collect();
        let shown = audit::ShownList::of(&shown);
        let entry = OwnedEntry {
            actor: *actor,
            resident: None,
            action: Action::SignalenlijstBekeken,
            purpose: Purpose::Casework,
            outcome: Ok(()),
            detail: shown.detail("naam, wijk, prioriteit"),
        };
        self.audit.log_list(now, entry, shown).await?;
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
        let mut q = sqlx::query(&sql);
        for id in &ids {
            q = q.bind(*id);
        }
        // (case, resident, partner, amount) per signal, in order.
        let signals = q
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get::<i64, _>("case_id")?,
                    r.try_get::<Option<i64>, _>("resident_id")?,
                    r.try_get::<String, _>("partner_type")?,
                    r.try_get::<i64, _>("bedrag_cents")?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let tasks_sql = format!(
            "SELECT case_id, kind, due_on FROM outreach_tasks WHERE status = 'open' AND case_id IN {list} ORDER BY due_on, step"
        );
        let mut tasks_q = sqlx::query(&tasks_sql);
        for id in &ids {
            tasks_q = tasks_q.bind(*id);
        }
        let mut next: HashMap<i64, (ContactKind, Date)> = HashMap::new();
        for r in tasks_q.fetch_all(&mut **tx).await? {
            let kind: String = r.try_get("kind")?;
            let due: String = r.try_get("due_on")?;
            // The earliest open task is the next step.
            let task = (contact_kind(&kind)?, date(&due)?);
            next.entry(r.try_get("case_id")?).or_insert(task);
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
                action: Action::SignaalzaakBekeken,
                purpose: Purpose::Casework,
                outcome: Err(denied),
                detail: format!("signaalzaak {case_id}"),
            };
            audit::append(&mut tx, self.chain(), now, &[entry]).await?;
            tx.commit().await?;
            return Err(denied.into());
        }
        let (picked_up_on, trajectory_on, household, org) = (
            head.picked_up_on,
            head.trajectory_on,
            head.household,
            head.org,
        );
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
        let today = crate::need_to_know::day_of(now)?;
        let choices = crate::need_to_know::case_choices(&mut tx, case_id, today).await?;
        let (accommodations, reach) = match line.contact.as_ref() {
            Some(c) => (
                crate::contacts::noted_in(&mut tx, org, c.id).await?,
                crate::contacts::contact_details_in(&mut tx, c.id).await?,
            ),
            None => (Default::default(), None),
        };
        let entries: Vec<NewEntry> = members
            .iter()
            .map(|m| NewEntry {
                actor,
                resident: Some(m.id),
                action: Action::SignaalzaakBekeken,
                purpose: Purpose::Casework,
                outcome: Ok(()),
                detail: format!(
                    "signaalzaak {case_id}: huishouden, {} signalen, contactpogingen, keuzes, wat helpt, contactgegevens",
                    signals.len()
                ),
            })
            .collect();
        audit::append(&mut tx, self.chain(), now, &entries).await?;
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
            choices,
            accommodations,
            reach,
        })
    }
}

/// A case row before its signals are added.
pub(super) struct CaseHead {
    pub id: i64,
    pub org: i64,
    pub household: i64,
    pub opened_on: Date,
    pub picked_up_on: Option<Date>,
    pub closed_on: Option<Date>,
    pub result: Option<EndResult>,
    pub trajectory_on: Option<Date>,
    pub score: i64,
    pub level: Level,
    pub reasons: Vec<Reason>,
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
    let opt_date = |column: &str| -> Result<Option<Date>> {
        r.try_get::<Option<String>, _>(column)?
            .map(|s| date(&s))
            .transpose()
    };
    let result: Option<String> = r.try_get("result")?;
    let level: String = r.try_get("level")?;
    let reasons: String = r.try_get("reasons")?;
    Ok(CaseHead {
        id: r.try_get("id")?,
        org: r.try_get("org_id")?,
        household: r.try_get("household_id")?,
        opened_on: date(&r.try_get::<String, _>("opened_on")?)?,
        picked_up_on: opt_date("picked_up_on")?,
        closed_on: opt_date("closed_on")?,
        result: result
            .map(|c| EndResult::from_code(&c).ok_or_else(|| corrupt("result")))
            .transpose()?,
        trajectory_on: opt_date("trajectory_on")?,
        score: r.try_get("priority")?,
        level: Level::from_code(&level).ok_or_else(|| corrupt("level"))?,
        reasons: serde_json::from_str(&reasons).map_err(|_| corrupt("reasons"))?,
    })
}

pub(super) async fn fetch_head(tx: &mut Tx, case_id: i64) -> Result<CaseHead> {
    let row = sqlx::query(&format!(
        "SELECT {CASE_COLUMNS} FROM signal_cases c WHERE c.id = $1"
    ))
    .bind(case_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(StoreError::NotFound)?;
    case_head(&row)
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
            let dagdeel: String = r.try_get("dagdeel")?;
            Ok(AttemptView {
                attempt: ContactAttempt {
                    kind: contact_kind(&r.try_get::<String, _>("kind")?)?,
                    on: date(&r.try_get::<String, _>("on_date")?)?,
                    dagdeel: Dagdeel::from_code(&dagdeel).ok_or_else(|| corrupt("dagdeel"))?,
                    reached: crate::flag(r.try_get("reached")?),
                },
                by: r.try_get("display_name")?,
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
                kind: contact_kind(&r.try_get::<String, _>("kind")?)?,
                due_on: date(&r.try_get::<String, _>("due_on")?)?,
                status: r.try_get("status")?,
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
                partner_type(&r.try_get::<String, _>("partner_type")?)?,
                date(&r.try_get::<String, _>("until_on")?)?,
            ))
        })
        .collect()
}
