//! The resident's own extract of the audit log (AVG inzage): who looked at
//! or changed their data — the organisation and the role, never the staff
//! member's name — when, why and what. Reading it is logged too.

use crate::audit::Action;
use crate::audit::{self, NewEntry};
use crate::residents::resident_facts;
use crate::{Result, Store};
use sqlx::Row;
use wegwijs_domain::{Actor, Purpose, ResidentId, policy};

/// One line of the extract.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Viewing {
    pub at: i64,
    /// Who, as the resident may know it.
    pub by: ViewedBy,
    /// What was done (an audit action code, e.g. "inwoner-bekeken").
    pub action: String,
    /// Why (a purpose code, e.g. "dienstverlening").
    pub purpose: String,
    /// Whether it was allowed; a refused attempt is shown too.
    pub allowed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ViewedBy {
    /// A staff member of an organisation, by role only.
    Staff { organisation: String, role: String },
    /// The resident themselves.
    Resident,
    /// Someone of the resident's household (the explanation of support
    /// the household may get uses everyone's figures).
    Household,
    /// Wegwijs itself (an import, a scheduled job).
    System,
}

/// The newest lines the page with everything shows; the download keeps
/// every line.
pub const LIMIT: i64 = 1_000;

/// Others' lines per page of the resident's log.
pub const PAGE: i64 = 25;
/// Days of the resident's own use shown at most (the newest).
pub const OWN_DAYS: usize = 31;

/// What the resident's log page asks for: others' lines of one
/// organisation only, a period (unix seconds, `until` not included), a page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogQuery {
    pub org: Option<i64>,
    pub from: Option<i64>,
    pub until: Option<i64>,
    /// 1 for the newest lines.
    pub page: i64,
}

impl LogQuery {
    /// For the reading's audit entry: "pagina 2, organisatie 3, vanaf
    /// 1764543600, tot 1765148400" (the parts given; moments in seconds).
    fn describe(&self) -> String {
        let mut parts = vec![format!("pagina {}", self.page)];
        let given = [
            ("organisatie", self.org),
            ("vanaf", self.from),
            ("tot", self.until),
        ];
        for (name, value) in given {
            if let Some(v) = value {
                parts.push(format!("{name} {v}"));
            }
        }
        parts.join(", ")
    }
}

/// The resident's log as its page shows it: what others did (and what the
/// resident changed), one page of it; the resident's own looking folded
/// into a count per day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogPage {
    pub others: Vec<Viewing>,
    /// Older lines of others than this page holds exist.
    pub more: bool,
    /// Dutch days (YYYY-MM-DD), newest first, with how many times the
    /// resident looked at their own data that day; at most [`OWN_DAYS`].
    pub own_days: Vec<(String, i64)>,
    /// Own use on more days than shown.
    pub own_more: bool,
    /// The organisations that appear in the resident's log, by name.
    pub orgs: Vec<(i64, String)>,
}

/// The audit entries about a resident: their own, and the list views that
/// showed them (kept once per list).
const ABOUT: &str = "SELECT seq FROM audit_log WHERE resident_id = $1 \
     UNION SELECT l.seq FROM audit_list_members m \
     JOIN audit_log l ON l.list_digest = m.digest WHERE m.resident_id = $1";

/// A line of the log: what [`viewing_from_row`] reads.
const LINE: &str = "a.at, o.name AS org_name, u.role, a.actor, a.action, a.purpose, a.outcome \
     FROM audit_log a \
     LEFT JOIN organisations o ON o.id = a.actor_org \
     LEFT JOIN users u ON a.actor = 'medewerker:' || CAST(u.id AS TEXT)";

impl Store {
    /// The resident's own extract, the newest `limit` lines or every one
    /// (the download keeps every line); only the resident may ask for it.
    pub async fn own_audit_extract(
        &self,
        actor: &Actor,
        resident: ResidentId,
        limit: Option<i64>,
        now: i64,
    ) -> Result<Vec<Viewing>> {
        let (mut tx, decision) = self.log_reading(actor, resident).await?;
        // Read before the entry of this reading is written: the extract
        // shows what others did before the resident looked.
        let rows = match decision {
            Ok(()) => {
                sqlx::query(&format!(
                    "SELECT {LINE} WHERE a.seq IN ({ABOUT}) ORDER BY a.seq DESC LIMIT $2"
                ))
                .bind(resident.0)
                .bind(limit.unwrap_or(i64::MAX))
                .fetch_all(&mut *tx)
                .await?
            }
            Err(_) => Vec::new(),
        };
        self.log_read((tx, decision), actor, resident, String::new(), now)
            .await?;
        rows.iter().map(|r| viewing_from_row(r, resident)).collect()
    }
}

impl Store {
    /// The resident's log page; only the resident may ask for it, and the
    /// reading is logged (with the filter, never a name).
    pub async fn own_log_page(
        &self,
        actor: &Actor,
        resident: ResidentId,
        query: &LogQuery,
        now: i64,
    ) -> Result<LogPage> {
        let (mut tx, decision) = self.log_reading(actor, resident).await?;
        let page = match decision {
            Ok(()) => log_page(&mut tx, resident, query).await?,
            Err(_) => LogPage::default(),
        };
        let detail = query.describe();
        self.log_read((tx, decision), actor, resident, detail, now)
            .await?;
        Ok(page)
    }
}

impl Store {
    /// A reading of a resident's log: its transaction (the reading's entry
    /// is written in it, after the read) and whether `actor` may.
    async fn log_reading(
        &self,
        actor: &Actor,
        resident: ResidentId,
    ) -> Result<(crate::Tx, Result<(), wegwijs_domain::Denied>)> {
        let mut tx = self.write_tx().await?;
        let facts = resident_facts(&mut tx, resident).await?;
        let decision = policy::may_read_resident(actor, resident, Purpose::OwnView, &facts);
        Ok((tx, decision))
    }

    /// Logs the reading, allowed or refused, and commits; then a refusal
    /// is the error.
    async fn log_read(
        &self,
        (mut tx, decision): (crate::Tx, Result<(), wegwijs_domain::Denied>),
        actor: &Actor,
        resident: ResidentId,
        detail: String,
        now: i64,
    ) -> Result<()> {
        let entry = NewEntry {
            actor,
            resident: Some(resident),
            action: Action::LogboekIngezien,
            purpose: Purpose::OwnView,
            outcome: decision,
            detail,
        };
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(decision?)
    }
}

/// Reads the page before the entry of this reading is written.
async fn log_page(tx: &mut crate::Tx, resident: ResidentId, q: &LogQuery) -> Result<LogPage> {
    let own = format!("inwoner:{}", resident.0);
    let (from, until) = (q.from.unwrap_or(i64::MIN), q.until.unwrap_or(i64::MAX));
    let page = q.page.max(1);
    let rows = sqlx::query(&format!(
        "SELECT {LINE} WHERE a.seq IN ({ABOUT}) AND NOT (a.actor = $2 AND a.purpose = $8) \
         AND ($3 = 0 OR a.actor_org = $3) \
         AND a.at >= $4 AND a.at < $5 ORDER BY a.seq DESC LIMIT $6 OFFSET $7"
    ))
    .bind(resident.0)
    .bind(&own)
    .bind(q.org.unwrap_or(0))
    .bind(from)
    .bind(until)
    .bind(PAGE + 1)
    .bind((page - 1) * PAGE)
    .bind(Purpose::OwnView.code())
    .fetch_all(&mut **tx)
    .await?;
    let mut others = rows
        .iter()
        .map(|r| viewing_from_row(r, resident))
        .collect::<Result<Vec<_>>>()?;
    let more = others.len() as i64 > PAGE;
    others.truncate(PAGE as usize);
    // The resident's own use has no organisation: one chosen hides it.
    let moments: Vec<i64> = if q.org.is_some() {
        Vec::new()
    } else {
        sqlx::query_scalar(&format!(
            "SELECT a.at FROM audit_log a WHERE a.seq IN ({ABOUT}) AND a.actor = $2 \
             AND a.purpose = $5 AND a.at >= $3 AND a.at < $4 ORDER BY a.seq DESC"
        ))
        .bind(resident.0)
        .bind(&own)
        .bind(from)
        .bind(until)
        .bind(Purpose::OwnView.code())
        .fetch_all(&mut **tx)
        .await?
    };
    let (own_days, own_more) = per_day(&moments);
    let orgs = sqlx::query(&format!(
        "SELECT DISTINCT o.id, o.name FROM audit_log a JOIN organisations o ON o.id = a.actor_org \
         WHERE a.seq IN ({ABOUT}) ORDER BY o.name"
    ))
    .bind(resident.0)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("id")?, r.try_get("name")?)))
    .collect::<Result<Vec<_>>>()?;
    Ok(LogPage {
        others,
        more,
        own_days,
        own_more,
        orgs,
    })
}

/// Moments counted per Dutch day, the newest [`OWN_DAYS`] days first.
fn per_day(moments: &[i64]) -> (Vec<(String, i64)>, bool) {
    let mut days = std::collections::BTreeMap::<String, i64>::new();
    for &at in moments {
        if let Ok(t) = time::OffsetDateTime::from_unix_timestamp(at) {
            let day = wegwijs_domain::clock::dutch_local(t).date();
            *days
                .entry(wegwijs_domain::person::format_date(day))
                .or_default() += 1;
        }
    }
    let more = days.len() > OWN_DAYS;
    (days.into_iter().rev().take(OWN_DAYS).collect(), more)
}

fn viewing_from_row(r: &sqlx::any::AnyRow, resident: ResidentId) -> Result<Viewing> {
    let actor: String = r.try_get("actor")?;
    let own = format!("inwoner:{}", resident.0);
    let by = match (
        r.try_get::<Option<String>, _>("org_name")?,
        r.try_get::<Option<String>, _>("role")?,
    ) {
        (Some(organisation), role) if actor.starts_with("medewerker:") => ViewedBy::Staff {
            organisation,
            role: role.unwrap_or_default(),
        },
        _ if actor == own => ViewedBy::Resident,
        _ if actor.starts_with("inwoner:") => ViewedBy::Household,
        _ => ViewedBy::System,
    };
    let outcome: String = r.try_get("outcome")?;
    Ok(Viewing {
        at: r.try_get("at")?,
        by,
        action: r.try_get("action")?,
        purpose: r.try_get("purpose")?,
        allowed: outcome == "toegestaan",
    })
}

#[cfg(test)]
mod tests {
    use super::LogQuery;

    #[test]
    fn a_reading_of_the_log_is_described_by_the_filter_parts_given() {
        let all = LogQuery {
            page: 1,
            ..LogQuery::default()
        };
        assert_eq!(all.describe(), "pagina 1");
        let some = LogQuery {
            org: Some(3),
            until: Some(1_765_148_400),
            page: 2,
            ..all
        };
        assert_eq!(some.describe(), "pagina 2, organisatie 3, tot 1765148400");
    }
}
