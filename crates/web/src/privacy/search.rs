//! The privacy officer's log, searchable: by resident (the search itself
//! is logged with the officer's reason), staff member, organisation,
//! action, purpose, outcome and period; a page at a time, in words; and as
//! a CSV file for an AVG request.

use crate::error::AppError;
use crate::render::{page, problem_message};
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use minijinja::value::Value;
use wegwijs_domain::oversight::{LogSearch, REASONS, TypedSearch, given};
use wegwijs_domain::policy::{AuditScope, Capability};
use wegwijs_domain::{Actor, Purpose, ResidentId, ValidationError};
use wegwijs_store::audit::Action;
use wegwijs_store::oversight::{LogLine, ResidentMatch};

/// Lines per page.
pub const PAGE: i64 = 50;

/// The search as typed, and where the page starts ("at.seq").
#[derive(Debug, Default, serde::Deserialize)]
pub struct Typed {
    #[serde(flatten)]
    search: TypedSearch,
    voor: Option<String>,
}

fn codes() -> (Vec<&'static str>, Vec<&'static str>) {
    (
        Action::ALL.iter().map(|a| a.code()).collect(),
        Purpose::ALL.iter().map(|p| p.code()).collect(),
    )
}

/// Reads the search; finds (and logs the search for) the residents it
/// asks for. Problems are (message, input id) for the page.
async fn understood(
    state: &AppState,
    actor: &Actor,
    typed: &TypedSearch,
) -> Result<(LogSearch, Vec<ResidentId>, Vec<ValidationError>), AppError> {
    let (actions, purposes) = codes();
    let (mut search, mut problems) = LogSearch::read(typed, &actions, &purposes);
    let found = state
        .store
        .find_for_oversight(actor, &search, state.now())
        .await?;
    let residents = match found {
        ResidentMatch::Found(ids) => ids,
        ResidentMatch::None => {
            problems.push(ValidationError::new(
                "inwoner",
                wegwijs_domain::Problem::NoMatch,
            ));
            search.resident = None;
            Vec::new()
        }
        ResidentMatch::TooMany => {
            problems.push(ValidationError::new(
                "inwoner",
                wegwijs_domain::Problem::TooManyFound {
                    max: wegwijs_store::oversight::MAX_NAMESAKES as i64,
                },
            ));
            search.resident = None;
            Vec::new()
        }
    };
    Ok((search, residents, problems))
}

pub async fn search(
    State(state): State<AppState>,
    v: Visitor,
    Query(typed): Query<Typed>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::AuditLog)?;
    let (search, residents, problems) = understood(&state, &actor, &typed.search).await?;
    let before = given(&typed.voor).and_then(|s| {
        let (at, seq) = s.split_once('.')?;
        Some((at.parse().ok()?, seq.parse().ok()?))
    });
    // A search typed wrong shows no lines: the newest lines of everything
    // would look like its result.
    let found = if problems.is_empty() {
        state
            .store
            .search_log(&actor, &search, &residents, before, PAGE)
            .await?
    } else {
        Default::default()
    };
    let scope = state.store.audit_scope(&actor).await?;
    let choices = state.store.search_choices(&actor).await?;
    let lines: Vec<Value> = found
        .lines
        .iter()
        .map(|l| line_view(&state, &v, l))
        .collect();
    let query = query_of(&typed.search);
    let older = found
        .older
        .map(|(at, seq)| format!("/privacy/logboek?{query}&voor={at}.{seq}"));
    let (actions, purposes) = codes();
    let errors: Vec<Value> = problems
        .iter()
        .map(|e| problem_message(&state, v.lang, e, &input_id(e.field)))
        .collect();
    let invalid: Vec<&str> = problems.iter().map(|e| e.field).collect();
    let staff: Vec<Value> = choices
        .staff
        .iter()
        .map(|(id, name, org)| context! { id, name, org })
        .collect();
    let orgs: Vec<Value> = choices
        .orgs
        .iter()
        .map(|(id, name)| context! { id, name })
        .collect();
    let mut r = page(
        &state,
        &v,
        "audit.html",
        context! {
            lines, older, errors, invalid, staff, orgs, actions, purposes,
            reasons => REASONS,
            all_orgs => scope == AuditScope::All,
            typed => context! {
                inwoner => typed.search.inwoner, geboren => typed.search.geboren, reden => typed.search.reden,
                medewerker => typed.search.medewerker, organisatie => typed.search.organisatie,
                actie => typed.search.actie, doel => typed.search.doel,
                uitkomst => typed.search.uitkomst, van => typed.search.van, tot => typed.search.tot,
            },
            searched => !query.is_empty(),
            residents => found.residents,
            export => format!("/privacy/logboek.csv?{query}"),
            paged => before.is_some(),
            wrong => !problems.is_empty(),
            verification => Value::UNDEFINED,
        },
    )?;
    if !problems.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

/// The file for an AVG request: every line the search finds, in words.
pub async fn export(
    State(state): State<AppState>,
    v: Visitor,
    Query(typed): Query<Typed>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::AuditLog)?;
    let (search, residents, problems) = understood(&state, &actor, &typed.search).await?;
    if !problems.is_empty() {
        // The search page names what is wrong, with what was typed.
        let to = format!("/privacy/logboek?{}", query_of(&typed.search));
        return Ok(axum::response::Redirect::to(&to).into_response());
    }
    let lines = state
        .store
        .export_log(&actor, &search, &residents, state.now())
        .await?;
    let t = |k: &str| state.i18n.t(v.lang, k, &[]);
    let header: Vec<String> = [
        "audit-col-seq",
        "audit-col-at",
        "audit-col-actor",
        "audit-col-org",
        "audit-col-resident",
        "audit-col-action",
        "audit-col-purpose",
        "audit-col-outcome",
        "audit-col-detail",
    ]
    .iter()
    .map(|k| t(k))
    .collect();
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            let w = words(&state, &v, l);
            vec![
                l.seq.to_string(),
                crate::templates::format_moment(l.at),
                w.who,
                l.org_name.clone().unwrap_or_default(),
                w.resident,
                w.action,
                w.purpose,
                w.outcome,
                l.detail.clone(),
            ]
        })
        .collect();
    let day = wegwijs_domain::person::format_date(state.today());
    crate::export::csv_attachment(&header, &rows, &format!("logboek-{day}"))
}

/// A line's parts in the reader's words.
struct Words {
    who: String,
    resident: String,
    action: String,
    purpose: String,
    outcome: String,
}

fn words(state: &AppState, v: &Visitor, l: &LogLine) -> Words {
    let t = |k: &str, args: &[(&str, fluent_bundle::FluentValue)]| state.i18n.t(v.lang, k, args);
    let or_code = |prefix: &str, code: &str| {
        let key = format!("{prefix}-{code}");
        if state.i18n.has(v.lang, &key) {
            t(&key, &[])
        } else {
            code.to_string()
        }
    };
    let who = match (&l.staff_name, l.actor.split_once(':')) {
        (Some(name), _) => name.clone(),
        (None, Some(("inwoner", n))) => t("audit-who-resident", &[("n", n.to_string().into())]),
        (None, Some(("systeem", job))) => t("audit-who-system", &[("job", job.to_string().into())]),
        _ => l.actor.clone(),
    };
    let resident = match (l.resident, l.list_size) {
        (Some(n), _) => n.to_string(),
        (None, Some(size)) => t("audit-list-of", &[("n", size.into())]),
        (None, None) => String::new(),
    };
    let outcome = match l.outcome.strip_prefix("geweigerd:") {
        Some(why) => t(
            "audit-refused",
            &[("why", or_code("audit-denied", why).into())],
        ),
        None => t("audit-allowed", &[]),
    };
    Words {
        who,
        resident,
        action: or_code("log-action", &l.action),
        purpose: or_code("purpose", &l.purpose),
        outcome,
    }
}

fn line_view(state: &AppState, v: &Visitor, l: &LogLine) -> Value {
    let w = words(state, v, l);
    context! {
        seq => l.seq, at => l.at, who => w.who, org => l.org_name, resident => w.resident,
        action => w.action, purpose => w.purpose, outcome => w.outcome,
        refused => l.outcome.starts_with("geweigerd"), detail => l.detail,
    }
}

/// The typed search as a query string, for paging and the file.
fn query_of(t: &TypedSearch) -> String {
    let parts = [
        ("inwoner", &t.inwoner),
        ("geboren", &t.geboren),
        ("reden", &t.reden),
        ("medewerker", &t.medewerker),
        ("organisatie", &t.organisatie),
        ("actie", &t.actie),
        ("doel", &t.doel),
        ("uitkomst", &t.uitkomst),
        ("van", &t.van),
        ("tot", &t.tot),
    ];
    let typed: Vec<(&str, &str)> = parts
        .iter()
        .filter_map(|(k, v)| given(v).map(|v| (*k, v)))
        .collect();
    serde_urlencoded::to_string(typed).unwrap_or_default()
}

/// The input a field's problem points to.
pub(super) fn input_id(field: &str) -> String {
    format!("veld-{field}")
}
