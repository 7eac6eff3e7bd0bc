//! The privacy officer's search of the audit log: by resident (the search
//! itself is logged, with the officer's reason), staff member,
//! organisation, action, purpose, outcome and period, newest first, a page
//! at a time; the same as a file; and the signals worth a look.

use crate::audit::Action;
use crate::audit::writer::OwnedEntry;
use crate::read::Cells;
use crate::{Result, Store, StoreError};
use std::collections::HashMap;
use wegwijs_domain::clock::dutch_day_start;
use wegwijs_domain::oversight::{
    HourCount, LogSearch, ResidentQuery, Signal, Thresholds, hour_signals, refusal_runs,
};
use wegwijs_domain::policy::{self, AuditScope};
use wegwijs_domain::{Actor, OrgKind, Purpose, ResidentId};

/// Residents a search by surname may find at most; more asks for a BSN.
pub const MAX_NAMESAKES: usize = 25;
/// Lines a file of the log holds at most.
pub const EXPORT_MAX: i64 = 100_000;

/// One line of the log as the privacy officer reads it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LogLine {
    pub seq: i64,
    pub at: i64,
    /// The actor's code ("medewerker:3", "inwoner:8", "systeem:scan").
    pub actor: String,
    /// A staff member's name, for the privacy officer.
    pub staff_name: Option<String>,
    pub org_name: Option<String>,
    /// The resident's number in Wegwijs (never their name: the officer's
    /// own access shows none of a resident's data).
    pub resident: Option<i64>,
    /// A list view's number of residents, when the line is one.
    pub list_size: Option<i64>,
    pub action: String,
    pub purpose: String,
    pub outcome: String,
    pub detail: String,
}

/// A page of lines, and where the next (older) page starts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogPage {
    pub lines: Vec<LogLine>,
    /// The last line's (at, seq): the next page is older than it.
    pub older: Option<(i64, i64)>,
    /// The search by resident found these residents (by number).
    pub residents: Vec<i64>,
}

/// What the search's fields can offer: the staff and organisations in
/// the officer's scope.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchChoices {
    /// (user id, name, organisation name).
    pub staff: Vec<(i64, String, String)>,
    pub orgs: Vec<(i64, String)>,
}

/// Why a search found nothing to search for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResidentMatch {
    Found(Vec<ResidentId>),
    /// No resident with this BSN or surname.
    None,
    /// More than [`MAX_NAMESAKES`] with this surname.
    TooMany,
}

impl Store {
    /// The officer's scope of the log, decided by the policy.
    pub async fn audit_scope(&self, actor: &Actor) -> Result<AuditScope> {
        let staff = policy::staff_with(actor, wegwijs_domain::Capability::AuditLog)?;
        let kind: String = self
            .read_row(
                "SELECT kind FROM organisations WHERE id = $1",
                vec![staff.org_id.into()],
                |r| r.text("kind"),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        let kind = OrgKind::from_code(&kind).map_err(|_| StoreError::Corrupt("org kind".into()))?;
        Ok(policy::audit_scope(actor, kind)?)
    }

    /// The staff and organisations the search's fields offer.
    pub async fn search_choices(&self, actor: &Actor) -> Result<SearchChoices> {
        let scope = self.audit_scope(actor).await?;
        let org = match scope {
            AuditScope::All => None,
            AuditScope::Org(o) => Some(o),
        };
        let staff = sqlx::query(
            "SELECT u.id, u.display_name, o.name FROM users u JOIN organisations o ON o.id = u.org_id \
             WHERE ($1 IS NULL OR u.org_id = $1) ORDER BY o.name, u.display_name, u.id",
        )
        .bind(org)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| Ok((r.int("id")?, r.text("display_name")?, r.text("name")?)))
        .collect::<Result<_>>()?;
        let orgs = sqlx::query(
            "SELECT id, name FROM organisations WHERE ($1 IS NULL OR id = $1) ORDER BY name, id",
        )
        .bind(org)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| Ok((r.int("id")?, r.text("name")?)))
        .collect::<Result<_>>()?;
        Ok(SearchChoices { staff, orgs })
    }

    /// Finds the residents a search by resident asks for, and logs the
    /// search under each of them with the officer's reason: the residents'
    /// own logs show that the log was searched for them.
    pub async fn find_for_oversight(
        &self,
        actor: &Actor,
        search: &LogSearch,
        now: i64,
    ) -> Result<ResidentMatch> {
        self.audit_scope(actor).await?;
        let Some(query) = &search.resident else {
            return Ok(ResidentMatch::Found(Vec::new()));
        };
        let ids = residents_found(self, query).await?;
        // A search that finds nobody (or too many to search) is logged too,
        // without residents.
        let outcome = match ids.len() {
            0 => Some((ResidentMatch::None, "niemand gevonden")),
            n if n > MAX_NAMESAKES => Some((ResidentMatch::TooMany, "te veel gevonden")),
            _ => None,
        };
        if let Some((found, said)) = outcome {
            let entry = OwnedEntry {
                actor: *actor,
                resident: None,
                action: Action::LogboekDoorzocht,
                purpose: Purpose::Oversight,
                outcome: Ok(()),
                detail: format!("{} ({said})", search.describe()),
            };
            self.audit.log(now, vec![entry]).await?;
            return Ok(found);
        }
        let entries = ids
            .iter()
            .map(|id| OwnedEntry {
                actor: *actor,
                resident: Some(ResidentId(*id)),
                action: Action::LogboekDoorzocht,
                purpose: Purpose::Oversight,
                outcome: Ok(()),
                detail: search.describe(),
            })
            .collect();
        self.audit.log(now, entries).await?;
        Ok(ResidentMatch::Found(
            ids.into_iter().map(ResidentId).collect(),
        ))
    }

    /// A page of the log that `search` asks for, in the officer's scope,
    /// newest first, older than `before` (at, seq). `residents`: what
    /// [`Store::find_for_oversight`] found, when searching by resident.
    pub async fn search_log(
        &self,
        actor: &Actor,
        search: &LogSearch,
        residents: &[ResidentId],
        before: Option<(i64, i64)>,
        limit: i64,
    ) -> Result<LogPage> {
        let scope = self.audit_scope(actor).await?;
        let mut lines = self
            .log_lines(scope, search, residents, before, limit + 1)
            .await?;
        let more = lines.len() as i64 > limit;
        lines.truncate(limit as usize);
        let older = lines.last().filter(|_| more).map(|l| (l.at, l.seq));
        Ok(LogPage {
            lines,
            older,
            residents: residents.iter().map(|r| r.0).collect(),
        })
    }

    /// Every line `search` finds (at most [`EXPORT_MAX`]), for a file; the
    /// export is logged like a search.
    pub async fn export_log(
        &self,
        actor: &Actor,
        search: &LogSearch,
        residents: &[ResidentId],
        now: i64,
    ) -> Result<Vec<LogLine>> {
        let scope = self.audit_scope(actor).await?;
        let entry = OwnedEntry {
            actor: *actor,
            resident: None,
            action: Action::LogboekGeexporteerd,
            purpose: Purpose::Oversight,
            outcome: Ok(()),
            detail: search.describe(),
        };
        self.audit.log(now, vec![entry]).await?;
        self.log_lines(scope, search, residents, None, EXPORT_MAX)
            .await
    }

    async fn log_lines(
        &self,
        scope: AuditScope,
        search: &LogSearch,
        residents: &[ResidentId],
        before: Option<(i64, i64)>,
        limit: i64,
    ) -> Result<Vec<LogLine>> {
        if search.resident.is_some() && residents.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::default();
        sql.push(
            "SELECT l.seq, l.at, l.actor, l.resident_id, l.action, l.purpose, l.outcome, l.detail, \
             o.name AS org_name, al.size AS list_size FROM ",
        );
        if residents.is_empty() {
            sql.push("audit_log l");
        } else {
            // A resident's own lines and the list views they were on, found
            // through their indexes first: filtering the time index instead
            // would walk the whole log for a resident with few lines.
            let ids: Vec<String> = residents.iter().map(|r| r.0.to_string()).collect();
            let ids = ids.join(", ");
            // Ids are numbers from the database, not typed text.
            sql.push(&format!(
                "(SELECT seq FROM audit_log WHERE resident_id IN ({ids}) UNION \
                 SELECT a.seq FROM audit_list_members m JOIN audit_log a ON a.list_digest = m.digest \
                 WHERE m.resident_id IN ({ids})) c JOIN audit_log l ON l.seq = c.seq"
            ));
        }
        sql.push(
            " LEFT JOIN organisations o ON o.id = l.actor_org \
             LEFT JOIN audit_lists al ON al.digest = l.list_digest WHERE 1 = 1",
        );
        if let AuditScope::Org(org) = scope {
            sql.and("l.actor_org = {}", Arg::Int(org));
        }
        if let Some(org) = search.org {
            sql.and("l.actor_org = {}", Arg::Int(org));
        }
        if let Some(staff) = search.staff {
            sql.and("l.actor = {}", Arg::Text(format!("medewerker:{staff}")));
        }
        if let Some(a) = &search.action {
            sql.and("l.action = {}", Arg::Text(a.clone()));
        }
        if let Some(p) = &search.purpose {
            sql.and("l.purpose = {}", Arg::Text(p.clone()));
        }
        if search.refused_only {
            // The same words as the partial index audit_refused.
            sql.push(" AND l.outcome <> 'toegestaan'");
        }
        if let Some(from) = search.from {
            sql.and("l.at >= {}", Arg::Int(dutch_day_start(from)));
        }
        if let Some(to) = search.to.and_then(|d| d.next_day()) {
            sql.and("l.at < {}", Arg::Int(dutch_day_start(to)));
        }
        if let Some((at, seq)) = before {
            let (a, b) = (sql.arg(Arg::Int(at)), sql.arg(Arg::Int(seq)));
            sql.push(&format!(
                " AND (l.at < {a} OR (l.at = {a} AND l.seq < {b}))"
            ));
        }
        let n = sql.arg(Arg::Int(limit));
        sql.push(&format!(" ORDER BY l.at DESC, l.seq DESC LIMIT {n}"));
        let mut q = sqlx::query(&sql.text);
        for a in &sql.args {
            q = match a {
                Arg::Int(v) => q.bind(*v),
                Arg::Text(v) => q.bind(v.clone()),
            };
        }
        let mut lines = q
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| log_line(r))
            .collect::<Result<Vec<_>>>()?;
        name_staff(self, &mut lines).await?;
        Ok(lines)
    }
}

impl Store {
    /// The signals worth a look in the period `[from, until)` (unix
    /// seconds), in the officer's scope, by the thresholds given.
    pub async fn log_signals(
        &self,
        actor: &Actor,
        (from, until): (i64, i64),
        t: &Thresholds,
    ) -> Result<Vec<Signal>> {
        let scope = self.audit_scope(actor).await?;
        let org = match scope {
            AuditScope::All => None,
            AuditScope::Org(o) => Some(o),
        };
        let rows = sqlx::query(
            "SELECT actor, at - (at % 3600) AS hour, COUNT(DISTINCT resident_id) AS residents \
             FROM audit_log WHERE at >= $1 AND at < $2 AND ($3 IS NULL OR actor_org = $3) \
             AND actor LIKE 'medewerker:%' AND resident_id IS NOT NULL AND outcome = 'toegestaan' \
             GROUP BY actor, at - (at % 3600)",
        )
        .bind(from)
        .bind(until)
        .bind(org)
        .fetch_all(self.pool())
        .await?;
        let mut counts = Vec::new();
        for r in &rows {
            let Some(staff) = staff_id(&r.text("actor")?) else {
                continue;
            };
            let hour = r.int("hour")?;
            let local = time::OffsetDateTime::from_unix_timestamp(hour)
                .map(wegwijs_domain::clock::dutch_local)
                .map_err(|_| StoreError::Corrupt("audit time".into()))?;
            counts.push(HourCount {
                staff,
                hour,
                day: local.date(),
                local_hour: local.hour(),
                residents: r.int("residents")?,
            });
        }
        counts.sort_by_key(|c| (c.hour, c.staff));
        let mut out = hour_signals(&counts, t);
        let rows = sqlx::query(
            "SELECT actor, seq, outcome FROM audit_log WHERE at >= $1 AND at < $2 AND actor IN \
             (SELECT actor FROM audit_log WHERE at >= $1 AND at < $2 AND ($3 IS NULL OR actor_org = $3) \
             AND actor LIKE 'medewerker:%' AND outcome <> 'toegestaan' GROUP BY actor HAVING COUNT(*) >= $4) \
             ORDER BY actor, seq",
        )
        .bind(from)
        .bind(until)
        .bind(org)
        .bind(t.refusals)
        .fetch_all(self.pool())
        .await?;
        let mut per_staff: std::collections::BTreeMap<i64, Vec<(i64, bool)>> = Default::default();
        for r in &rows {
            if let Some(staff) = staff_id(&r.text("actor")?) {
                let refused = r.text("outcome")?.starts_with("geweigerd");
                per_staff
                    .entry(staff)
                    .or_default()
                    .push((r.int("seq")?, refused));
            }
        }
        for (staff, entries) in per_staff {
            out.extend(refusal_runs(staff, &entries, t));
        }
        Ok(out)
    }
}

fn log_line(r: &dyn Cells) -> Result<LogLine> {
    Ok(LogLine {
        seq: r.int("seq")?,
        at: r.int("at")?,
        actor: r.text("actor")?,
        staff_name: None,
        org_name: r.opt_text("org_name")?,
        resident: r.opt_int("resident_id")?,
        list_size: r.opt_int("list_size")?,
        action: r.text("action")?,
        purpose: r.text("purpose")?,
        outcome: r.text("outcome")?,
        detail: r.text("detail")?,
    })
}

/// Residents with this surname (and date of birth, if given), also when it
/// was typed with its prefix ("de Vries" finds achternaam "Vries" with
/// voorvoegsel "de"; "Vries" finds it too).
/// The residents a BSN or a surname finds, in id order.
pub(crate) async fn residents_found(store: &Store, query: &ResidentQuery) -> Result<Vec<i64>> {
    match query {
        ResidentQuery::Bsn(bsn) => sqlx::query("SELECT id FROM residents WHERE bsn = $1")
            .bind(bsn.expose())
            .fetch_all(store.pool())
            .await?
            .iter()
            .map(|r| r.int("id"))
            .collect(),
        ResidentQuery::Surname(name, born) => namesakes(store, name, *born).await,
    }
}

async fn namesakes(store: &Store, typed: &str, born: Option<time::Date>) -> Result<Vec<i64>> {
    let born = born.map(wegwijs_domain::person::format_date);
    let words: Vec<&str> = typed.split_whitespace().collect();
    let mut found = Vec::new();
    for start in 0..words.len() {
        let (prefix, surname) = (words[..start].join(" "), words[start..].join(" "));
        let rows = sqlx::query(
            "SELECT id, voorvoegsel FROM residents WHERE lower(achternaam) = lower($1) \
             AND ($2 IS NULL OR geboortedatum = $2) ORDER BY id LIMIT 1000",
        )
        .bind(surname)
        .bind(born.clone())
        .fetch_all(store.pool())
        .await?;
        for r in &rows {
            let theirs = r.opt_text("voorvoegsel")?.unwrap_or_default();
            if prefix.is_empty() || theirs.eq_ignore_ascii_case(&prefix) {
                found.push(r.int("id")?);
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    Ok(found)
}

/// The staff members' names of these lines, looked up at once.
async fn name_staff(store: &Store, lines: &mut [LogLine]) -> Result<()> {
    let mut ids: Vec<i64> = lines.iter().filter_map(|l| staff_id(&l.actor)).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    let list: Vec<String> = ids.iter().map(i64::to_string).collect();
    // Ids are numbers parsed from the log, not typed text.
    let names: HashMap<i64, String> = sqlx::query(&format!(
        "SELECT id, display_name FROM users WHERE id IN ({})",
        list.join(", ")
    ))
    .fetch_all(store.pool())
    .await?
    .iter()
    .map(|r| Ok((r.int("id")?, r.text("display_name")?)))
    .collect::<Result<_>>()?;
    for l in lines {
        l.staff_name = staff_id(&l.actor).and_then(|id| names.get(&id).cloned());
    }
    Ok(())
}

/// SQL with numbered parameters, built from the parts a search has.
#[derive(Default)]
struct Sql {
    text: String,
    args: Vec<Arg>,
}

enum Arg {
    Int(i64),
    Text(String),
}

impl Sql {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// Adds `arg` and returns its placeholder.
    fn arg(&mut self, arg: Arg) -> String {
        self.args.push(arg);
        format!("${}", self.args.len())
    }

    /// " AND " + `condition` with its `{}` the placeholder of `arg`.
    fn and(&mut self, condition: &str, arg: Arg) {
        let p = self.arg(arg);
        self.text.push_str(" AND ");
        self.text.push_str(&condition.replace("{}", &p));
    }
}

/// The staff member's user id in an actor code, if it is one.
pub fn staff_id(actor: &str) -> Option<i64> {
    actor.strip_prefix("medewerker:")?.parse().ok()
}
