//! The one worklist: every kind of open work of an organisation, filtered,
//! sorted and paged in the database, and the team lead's figures counted
//! by the very same conditions, so that a figure and its list agree.

use super::corrupt;
use crate::audit::writer::OwnedEntry;
use crate::audit::{self, Action};
use crate::read::{Cells, Param};
use crate::{Result, Store};
use time::Date;
use wegwijs_domain::person::{PersonName, format_date, parse_date};
use wegwijs_domain::policy::Capability;
use wegwijs_domain::signal::Reason;
use wegwijs_domain::work::{PAGE, Sort, Stage, Who, WorkFilter, WorkSearch};
use wegwijs_domain::{Actor, Purpose, ResidentId, Role, Staff, WorkKind};

/// One line of the worklist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkLine {
    pub work_id: i64,
    pub kind: WorkKind,
    pub stage: Stage,
    pub opened_at: i64,
    pub due_on: Date,
    pub priority: i64,
    pub reasons: Vec<Reason>,
    /// The request, appointment or case it is about.
    pub subject: Option<i64>,
    pub version: i64,
    pub resident: ResidentId,
    pub name: PersonName,
    pub wijk: String,
    pub team: Option<(i64, String)>,
    pub assignee: Option<(i64, String)>,
}

/// A page of the worklist, the number of lines the filter finds in all,
/// and where the next page starts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkPage {
    /// At most [`PAGE`] lines. A page does not count the lines after it:
    /// counting a team's every line on every page would cost more than the
    /// page; the team lead's figures count them all.
    pub lines: Vec<WorkLine>,
    pub next: Option<String>,
}

/// Figures for the team lead; each is the total of a list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TeamFigures {
    /// Open work per kind, for every kind (zero included).
    pub by_kind: Vec<(WorkKind, i64)>,
    pub by_stage: Vec<(Stage, i64)>,
    /// Open work per person who has some: (user, name, count).
    pub by_person: Vec<(i64, String, i64)>,
    /// Open work per team, and work of no team: (team, name, count).
    pub by_team: Vec<(Option<i64>, String, i64)>,
    pub overdue: i64,
    pub residents_with_open_work: i64,
    pub closed_total: i64,
}

const LINE_COLUMNS: &str = "w.id AS work_id, w.kind, w.stage, w.opened_at, w.due_on, w.priority, w.reasons, \
     w.subject_id, w.version, w.team_id, t.name AS team_name, w.assignee, u.display_name AS assignee_name, \
     r.id AS resident_id, r.voornamen, r.voorvoegsel, r.achternaam, r.wijk";
const LINE_FROM: &str = "work_items w JOIN residents r ON r.id = w.resident_id \
     LEFT JOIN teams t ON t.id = w.team_id LEFT JOIN users u ON u.id = w.assignee";

/// A statement made of the code's own pieces, with its values bound by
/// number.
#[derive(Default)]
struct Query {
    sql: String,
    params: Vec<Param>,
}

impl Query {
    fn bind(&mut self, p: impl Into<Param>) -> String {
        self.params.push(p.into());
        format!("${}", self.params.len())
    }

    fn and(&mut self, condition: &str) {
        self.sql.push_str(" AND ");
        self.sql.push_str(condition);
    }
}

/// The conditions every list and figure shares: open work of the staff
/// member's organisation, with the filter's choices. `residents` is the
/// search's result when there was one.
fn conditions(
    q: &mut Query,
    me: &Staff,
    (who, filter): (Who, &WorkFilter),
    residents: Option<&[i64]>,
    today: Date,
) {
    // A team or a person belongs to one organisation: their lists are
    // read through their own index (no look-up per line for the
    // organisation), once the team or person is known to be the actor's.
    q.sql.push_str(" WHERE w.status = 'open'");
    let org = |q: &mut Query| q.bind(me.org_id);
    let my_teams = |q: &mut Query| {
        let user = q.bind(me.user_id);
        format!("w.team_id IN (SELECT team_id FROM team_members WHERE user_id = {user})")
    };
    let person = |q: &mut Query, user: i64| {
        let (p, org) = (q.bind(user), org(q));
        format!("w.assignee = {p} AND {p} IN (SELECT id FROM users WHERE org_id = {org})")
    };
    match who {
        Who::Mine => {
            let mine = person(q, me.user_id);
            q.and(&mine);
        }
        Who::MyTeamsOpen => {
            // `+`: the index on the person would read every line nobody took.
            let teams = my_teams(q);
            q.and(&format!("+w.assignee IS NULL AND {teams}"));
        }
        Who::MyTeams => {
            let teams = my_teams(q);
            q.and(&teams);
        }
        Who::Person(user) => {
            let theirs = person(q, user);
            q.and(&theirs);
        }
        Who::Team(team) => {
            let (p, org) = (q.bind(team), org(q));
            q.and(&format!(
                "w.team_id = {p} AND {p} IN (SELECT id FROM teams WHERE org_id = {org})"
            ));
            // Read as one of "my teams, not taken": nobody has it yet.
            if filter.who == Who::MyTeamsOpen {
                q.and("+w.assignee IS NULL");
            }
        }
        Who::NoTeam => {
            let org = org(q);
            q.and(&format!("w.org_id = {org} AND w.team_id IS NULL"));
        }
        Who::All => {
            let org = org(q);
            q.and(&format!("w.org_id = {org}"));
        }
    }
    if let Some(kind) = filter.kind {
        let p = q.bind(kind.code());
        q.and(&format!("w.kind = {p}"));
    }
    if let Some(stage) = filter.stage {
        let p = q.bind(stage.code());
        q.and(&format!("w.stage = {p}"));
    }
    if let Some(wijk) = &filter.wijk {
        let p = q.bind(wijk.as_str());
        q.and(&format!("w.wijk = {p}"));
    }
    if filter.overdue {
        let p = q.bind(format_date(today).as_str());
        q.and(&format!("w.due_on < {p}"));
    }
    if let Some(ids) = residents {
        let list: Vec<String> = ids.iter().map(|id| q.bind(*id)).collect();
        // An empty list finds nothing.
        let list = if list.is_empty() {
            "NULL".to_string()
        } else {
            list.join(", ")
        };
        q.and(&format!("w.resident_id IN ({list})"));
    }
}

/// The order of a sort, and the condition that continues after `after`
/// ("key~id", as [`cursor`] made it); one that cannot be read starts over.
fn order(q: &mut Query, sort: Sort, after: Option<&str>) -> &'static str {
    let after = after.and_then(|a| a.rsplit_once('~')).and_then(|(k, id)| {
        let id: i64 = id.parse().ok()?;
        match sort {
            Sort::Due => parse_date("na", k)
                .ok()
                .map(|d| (Param::from(format_date(d).as_str()), id)),
            Sort::Priority | Sort::Newest => k.parse::<i64>().ok().map(|k| (Param::from(k), id)),
        }
    });
    if let Some((key, id)) = after {
        let (k, i) = (q.bind(key), q.bind(id));
        q.and(&match sort {
            Sort::Due => format!("(w.due_on > {k} OR (w.due_on = {k} AND w.id > {i}))"),
            Sort::Priority => format!("(w.priority < {k} OR (w.priority = {k} AND w.id > {i}))"),
            Sort::Newest => format!("(w.opened_at < {k} OR (w.opened_at = {k} AND w.id < {i}))"),
        });
    }
    match sort {
        Sort::Due => "w.due_on, w.id",
        Sort::Priority => "w.priority DESC, w.id",
        Sort::Newest => "w.opened_at DESC, w.id DESC",
    }
}

/// The order of [`order`] over the merged pages' columns.
fn merged_order(sort: Sort) -> &'static str {
    match sort {
        Sort::Due => "due_on, work_id",
        Sort::Priority => "priority DESC, work_id",
        Sort::Newest => "opened_at DESC, work_id DESC",
    }
}

/// Where the page after `line` starts.
fn cursor(sort: Sort, line: &WorkLine) -> String {
    match sort {
        Sort::Due => format!("{}~{}", format_date(line.due_on), line.work_id),
        Sort::Priority => format!("{}~{}", line.priority, line.work_id),
        Sort::Newest => format!("{}~{}", line.opened_at, line.work_id),
    }
}

/// A few common prefixes of Dutch surnames are not part of the searched
/// name ("de Vries" is kept as "Vries" with "de").
async fn found(store: &Store, search: &WorkSearch) -> Result<Vec<i64>> {
    let direct = match search {
        WorkSearch::Resident(query) => crate::oversight::residents_found(store, query).await?,
        WorkSearch::Postcode(postcode) => {
            store
                .read_rows(
                    "SELECT id FROM residents WHERE postcode = $1 ORDER BY id LIMIT 200",
                    vec![postcode.compact().as_str().into()],
                    |r| r.int("id"),
                )
                .await?
        }
        WorkSearch::Address(postcode, number) => {
            store
                .read_rows(
                    "SELECT id FROM residents WHERE postcode = $1 AND huisnummer = $2 ORDER BY id LIMIT 200",
                    vec![postcode.compact().as_str().into(), i64::from(*number).into()],
                    |r| r.int("id"),
                )
                .await?
        }
    };
    // The household's work is often under another member (a signal case
    // under its contact): a search finds the whole household.
    let mut all = Vec::new();
    for id in direct.iter().take(200) {
        all.extend(
            store
                .read_rows(
                    "SELECT m.id FROM residents r JOIN residents m ON m.household_id = r.household_id WHERE r.id = $1",
                    vec![(*id).into()],
                    |r| r.int("id"),
                )
                .await?,
        );
    }
    all.sort_unstable();
    all.dedup();
    Ok(all)
}

impl Store {
    /// A page of the actor's organisation's open work, as `filter` says,
    /// continuing `after` the last line of the page before. The view is
    /// one audit entry pointing to the residents it showed; a search says
    /// what it searched by (not the value).
    pub async fn worklist(
        &self,
        actor: &Actor,
        filter: &WorkFilter,
        after: Option<&str>,
        today: Date,
        now: i64,
    ) -> Result<WorkPage> {
        let me = *super::staff_who_may(actor, Capability::Worklist)?;
        let residents = match &filter.search {
            Some(s) => Some(found(self, s).await?),
            None => None,
        };
        // My teams' work is read team by team, each through its own index
        // in order, and the pages merged: one list over several teams
        // would be sorted whole.
        let parts: Vec<Who> = match filter.who {
            Who::MyTeams | Who::MyTeamsOpen => self
                .my_teams(me.user_id)
                .await?
                .into_iter()
                .map(Who::Team)
                .collect(),
            who => vec![who],
        };
        let mut q = Query::default();
        let mut selects = Vec::new();
        for who in &parts {
            let mut part = Query {
                sql: format!("SELECT {LINE_COLUMNS} FROM {LINE_FROM}"),
                params: std::mem::take(&mut q.params),
            };
            conditions(&mut part, &me, (*who, filter), residents.as_deref(), today);
            let order = order(&mut part, filter.sort, after);
            let limit = part.bind(PAGE + 1);
            selects.push(format!("{} ORDER BY {order} LIMIT {limit}", part.sql));
            q.params = part.params;
        }
        q.sql = match selects.len() {
            0 => String::new(),
            1 => selects.remove(0),
            _ => {
                let merged: Vec<String> = selects
                    .iter()
                    .enumerate()
                    .map(|(i, sql)| format!("SELECT * FROM ({sql}) p{i}"))
                    .collect();
                let limit = q.bind(PAGE + 1);
                format!(
                    "{} ORDER BY {} LIMIT {limit}",
                    merged.join(" UNION ALL "),
                    merged_order(filter.sort)
                )
            }
        };
        let mut lines = if q.sql.is_empty() {
            Vec::new()
        } else {
            self.read_rows(q.sql, q.params, work_line).await?
        };
        let next = (lines.len() as i64 > PAGE).then(|| {
            lines.truncate(PAGE as usize);
            cursor(filter.sort, &lines[lines.len() - 1])
        });
        let shown: Vec<ResidentId> = lines.iter().map(|w| w.resident).collect();
        let shown = audit::ShownList::of(&shown);
        let what = match &filter.search {
            Some(s) => format!("gezocht op {}; naam, wijk", s.kind()),
            None => "naam, wijk".to_string(),
        };
        let entry = OwnedEntry {
            actor: *actor,
            resident: None,
            action: Action::WerklijstBekeken,
            purpose: Purpose::Casework,
            outcome: Ok(()),
            detail: shown.detail(&what),
        };
        self.audit.log_list(now, entry, shown).await?;
        Ok(WorkPage { lines, next })
    }

    /// How many lines `filter` finds, every one (the team lead's figures).
    async fn count_lines(
        &self,
        me: &Staff,
        filter: &WorkFilter,
        residents: Option<&[i64]>,
        today: Date,
    ) -> Result<i64> {
        self.count_grouped(me, filter, residents, today, None)
            .await
            .map(|rows| rows.first().map(|(_, n)| *n).unwrap_or(0))
    }

    /// Counts per value of `group` (a column of `w`), or in all.
    async fn count_grouped(
        &self,
        me: &Staff,
        filter: &WorkFilter,
        residents: Option<&[i64]>,
        today: Date,
        group: Option<&'static str>,
    ) -> Result<Vec<(Option<String>, i64)>> {
        let key = group
            .map(|g| format!("CAST(w.{g} AS TEXT)"))
            .unwrap_or("NULL".into());
        let mut q = Query {
            sql: format!("SELECT {key} AS k, COUNT(*) AS n FROM work_items w"),
            ..Query::default()
        };
        conditions(&mut q, me, (filter.who, filter), residents, today);
        if let Some(g) = group {
            q.sql.push_str(&format!(" GROUP BY w.{g}"));
        }
        self.read_rows(q.sql, q.params, |r| Ok((r.opt_text("k")?, r.int("n")?)))
            .await
    }

    /// Figures for the team lead over the organisation's open work: per
    /// kind, status, person and team, and overdue. Each is the total the
    /// worklist shows with the matching filter.
    pub async fn team_figures(&self, actor: &Actor, today: Date) -> Result<TeamFigures> {
        let me = *super::staff_who_may(actor, Capability::TeamOverview)?;
        let all = WorkFilter {
            who: Who::All,
            ..WorkFilter::default()
        };
        let grouped = |g| self.count_grouped(&me, &all, None, today, Some(g));
        let kinds = grouped("kind").await?;
        let count_of = |rows: &[(Option<String>, i64)], code: &str| {
            rows.iter()
                .find(|(k, _)| k.as_deref() == Some(code))
                .map(|(_, n)| *n)
                .unwrap_or(0)
        };
        let by_kind = WorkKind::ALL
            .iter()
            .map(|k| (*k, count_of(&kinds, k.code())))
            .collect();
        let stages = grouped("stage").await?;
        let by_stage = Stage::ALL
            .iter()
            .map(|s| (*s, count_of(&stages, s.code())))
            .collect();
        // Everyone who works cases, also with nothing taken (and anyone
        // blocked since who still has work).
        let held = grouped("assignee").await?;
        let mut by_person: Vec<(i64, String, i64)> = self
            .users_of_org(me.org_id)
            .await?
            .into_iter()
            .map(|p| (count_of(&held, &p.id.to_string()), p))
            .filter(|(n, p)| {
                *n > 0 || (p.active && matches!(p.role, Role::Caseworker | Role::TeamLead))
            })
            .map(|(n, p)| (p.id, p.display_name, n))
            .collect();
        by_person.sort_by(|a, b| a.1.cmp(&b.1));
        let teams = self.teams_of(me.org_id).await?;
        let counted = grouped("team_id").await?;
        let mut by_team: Vec<(Option<i64>, String, i64)> = teams
            .iter()
            .map(|t| {
                (
                    Some(t.id),
                    t.name.clone(),
                    count_of(&counted, &t.id.to_string()),
                )
            })
            .collect();
        let none = counted
            .iter()
            .find(|(k, _)| k.is_none())
            .map(|(_, n)| *n)
            .unwrap_or(0);
        by_team.push((None, String::new(), none));
        let late = WorkFilter {
            overdue: true,
            ..all.clone()
        };
        let overdue = self.count_lines(&me, &late, None, today).await?;
        let (residents, closed) = self.work_totals(me.org_id).await?;
        Ok(TeamFigures {
            by_kind,
            by_stage,
            by_person,
            by_team,
            overdue,
            residents_with_open_work: residents,
            closed_total: closed,
        })
    }

    async fn work_totals(&self, org: i64) -> Result<(i64, i64)> {
        let row = self
            .read_row(
                "SELECT COUNT(DISTINCT CASE WHEN status = 'open' THEN resident_id END) AS residents, \
                 COUNT(CASE WHEN status = 'closed' THEN 1 END) AS closed FROM work_items WHERE org_id = $1",
                vec![org.into()],
                |r| Ok((r.int("residents")?, r.int("closed")?)),
            )
            .await?;
        Ok(row.unwrap_or((0, 0)))
    }
}

fn work_line(r: &dyn Cells) -> Result<WorkLine> {
    let kind = r.text("kind")?;
    let stage = r.text("stage")?;
    let due = r.text("due_on")?;
    let voorvoegsel = r.opt_text("voorvoegsel")?;
    let team = match r.opt_int("team_id")? {
        Some(id) => Some((id, r.opt_text("team_name")?.unwrap_or_default())),
        None => None,
    };
    let assignee = match r.opt_int("assignee")? {
        Some(id) => Some((id, r.opt_text("assignee_name")?.unwrap_or_default())),
        None => None,
    };
    Ok(WorkLine {
        work_id: r.int("work_id")?,
        kind: WorkKind::from_code(&kind).map_err(|_| corrupt(&format!("work kind {kind:?}")))?,
        stage: Stage::from_code(&stage).map_err(|_| corrupt(&format!("work stage {stage:?}")))?,
        opened_at: r.int("opened_at")?,
        due_on: parse_date("due_on", &due).map_err(|_| corrupt("a work item's due date"))?,
        priority: r.int("priority")?,
        reasons: serde_json::from_str(&r.text("reasons")?)
            .map_err(|_| corrupt("a work item's reasons"))?,
        subject: r.opt_int("subject_id")?,
        version: r.int("version")?,
        resident: ResidentId(r.int("resident_id")?),
        name: PersonName::new(
            &r.text("voornamen")?,
            voorvoegsel.as_deref().unwrap_or(""),
            &r.text("achternaam")?,
        )
        .map_err(|e| corrupt(&format!("resident {}", e.field)))?,
        wijk: r.text("wijk")?,
        team,
        assignee,
    })
}
