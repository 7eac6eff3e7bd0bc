//! "Wie heeft mijn gegevens bekeken?": the resident's log, readable. What
//! others did comes first, a page at a time; the resident's own use is
//! folded into one line per day; a filter by organisation and period.

use super::own::log_line;
use crate::error::AppError;
use crate::render::{page, problem_message};
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::extract::{Query, State};
use axum::response::Response;
use minijinja::context;
use minijinja::value::Value;
use time::Date;
use wegwijs_domain::error::{Problem, ValidationError};
use wegwijs_domain::oversight::{given, read_period};
use wegwijs_domain::person::format_date;
use wegwijs_store::inzage::LogQuery;

/// The filter as typed (a link or the form).
#[derive(Debug, Default, serde::Deserialize)]
pub struct Typed {
    organisatie: Option<String>,
    van: Option<String>,
    tot: Option<String>,
    pagina: Option<String>,
}

/// The filter as understood: the parts that were typed right.
#[derive(Debug, Default, PartialEq, Eq)]
struct Filter {
    org: Option<i64>,
    from: Option<Date>,
    to: Option<Date>,
    page: i64,
}

impl Filter {
    /// Reads what was typed; a part that is wrong is left out and named.
    fn read(typed: &Typed) -> (Filter, Vec<(ValidationError, &'static str)>) {
        let mut problems = Vec::new();
        let org = given(&typed.organisatie).and_then(|s| match s.parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                let e = ValidationError::new("organisatie", Problem::UnknownCode);
                problems.push((e, "veld-organisatie"));
                None
            }
        });
        let mut wrong = Vec::new();
        let (from, to) = read_period(
            given(&typed.van),
            given(&typed.tot),
            ("periode-van", "periode-tot"),
            &mut wrong,
        );
        problems.extend(wrong.into_iter().map(|e| {
            let id = if e.field == "periode-van" {
                "veld-periode-van"
            } else {
                "veld-periode-tot"
            };
            (e, id)
        }));
        let page = given(&typed.pagina)
            .and_then(|p| p.parse::<i64>().ok())
            .filter(|p| (1..=100_000).contains(p))
            .unwrap_or(1);
        (
            Filter {
                org,
                from,
                to,
                page,
            },
            problems,
        )
    }

    fn query(&self) -> LogQuery {
        use wegwijs_domain::clock::dutch_day_start;
        LogQuery {
            org: self.org,
            from: self.from.map(dutch_day_start),
            // Up to and including the last day.
            until: self.to.and_then(|d| d.next_day()).map(dutch_day_start),
            page: self.page,
        }
    }

    /// The link to page `page` with this filter.
    fn href(&self, page: i64) -> String {
        let mut parts = Vec::new();
        if let Some(o) = self.org {
            parts.push(format!("organisatie={o}"));
        }
        if let Some(d) = self.from {
            parts.push(format!("van={}", format_date(d)));
        }
        if let Some(d) = self.to {
            parts.push(format!("tot={}", format_date(d)));
        }
        parts.push(format!("pagina={page}"));
        format!("/mijn/logboek?{}", parts.join("&"))
    }
}

pub async fn own_log(
    State(state): State<AppState>,
    v: Visitor,
    Query(typed): Query<Typed>,
) -> Result<Response, AppError> {
    let me = v.resident()?;
    let (filter, problems) = Filter::read(&typed);
    let actor = wegwijs_domain::Actor::Resident(me);
    let log = state
        .store
        .own_log_page(&actor, me, &filter.query(), state.now())
        .await?;
    let errors: Vec<Value> = problems
        .iter()
        .map(|(e, id)| problem_message(&state, v.lang, e, id))
        .collect();
    let invalid: Vec<&str> = problems.iter().map(|(_, id)| *id).collect();
    let others: Vec<Value> = log
        .others
        .iter()
        .map(|e| log_line(&state, v.lang, e))
        .collect();
    let own_days: Vec<Value> = log
        .own_days
        .iter()
        .map(|(day, times)| {
            let day = crate::templates::long_date(&state.i18n, v.lang, day);
            context! { day, times }
        })
        .collect();
    let orgs: Vec<Value> = log
        .orgs
        .iter()
        .map(|(id, name)| context! { id, name, chosen => filter.org == Some(*id) })
        .collect();
    let ctx = context! {
        others,
        own_days,
        own_more => log.own_more,
        org_chosen => filter.org.is_some(),
        orgs,
        errors,
        invalid,
        typed_van => typed.van.clone().unwrap_or_default(),
        typed_tot => typed.tot.clone().unwrap_or_default(),
        filtered => filter.org.is_some() || filter.from.is_some() || filter.to.is_some(),
        page => filter.page,
        newer => (filter.page > 1).then(|| filter.href(filter.page - 1)),
        older => log.more.then(|| filter.href(filter.page + 1)),
    };
    page(&state, &v, "resident_log.html", ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(org: &str, van: &str, tot: &str, pagina: &str) -> Typed {
        let some = |s: &str| Some(s.to_string());
        Typed {
            organisatie: some(org),
            van: some(van),
            tot: some(tot),
            pagina: some(pagina),
        }
    }

    #[test]
    fn a_filter_keeps_what_was_typed_right_and_names_the_rest() {
        let (f, problems) = Filter::read(&typed("3", "2026-11-01", "2026-11-30", "2"));
        assert!(problems.is_empty());
        assert_eq!(f.org, Some(3));
        assert_eq!(f.page, 2);
        assert_eq!(
            f.href(3),
            "/mijn/logboek?organisatie=3&van=2026-11-01&tot=2026-11-30&pagina=3"
        );
        let (f, problems) = Filter::read(&typed("UWV", "1-11-2026", "2026-11-30", "x"));
        let fields: Vec<_> = problems.iter().map(|(e, _)| e.field).collect();
        assert_eq!(fields, ["organisatie", "periode-van"]);
        assert_eq!((f.org, f.from, f.page), (None, None, 1));
        assert!(f.to.is_some());
        // An end before the start is named; the start stays.
        let (f, problems) = Filter::read(&typed("", "2026-11-30", "2026-11-01", ""));
        assert_eq!(problems[0].0.problem, Problem::NotAfterStart);
        assert!(f.from.is_some() && f.to.is_none());
        // Nothing typed is no filter at all.
        let (f, problems) = Filter::read(&Typed::default());
        assert!(problems.is_empty());
        assert_eq!(
            f,
            Filter {
                page: 1,
                ..Filter::default()
            }
        );
    }

    #[test]
    fn the_period_runs_from_the_first_day_up_to_and_including_the_last() {
        let (f, _) = Filter::read(&typed("", "2026-12-07", "2026-12-07", ""));
        let q = f.query();
        assert_eq!(q.until.unwrap() - q.from.unwrap(), 24 * 3600);
    }
}
