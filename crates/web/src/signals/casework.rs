//! Vroegsignalering pages for caseworkers and team leads: the worklist by
//! priority (with CSV and XLSX export), a household's case with its
//! signals, contact attempts and end result, and the matching queue.

use crate::error::AppError;
use crate::i18n::Lang;
use crate::render::{page, problem_message};
use crate::state::AppState;
use crate::views::explain;
use crate::visitor::Visitor;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fluent_bundle::FluentValue;
use minijinja::context;
use minijinja::value::Value;
use wegwijs_domain::person::format_date;
use wegwijs_domain::policy::Capability;
use wegwijs_domain::signal::{
    Closing, ContactAttempt, ContactKind, Dagdeel, EndResult, PartnerType,
};
use wegwijs_domain::{Actor, ValidationError};
use wegwijs_store::signals::{CaseFilter, CaseLine, SignalView, StatusFilter};

/// Cases on one page, and in one export.
pub(super) const PAGE_LIMIT: i64 = 200;
const EXPORT_LIMIT: i64 = 10_000;

#[derive(serde::Deserialize, serde::Serialize, Default, Clone)]
pub struct FilterQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    wijk: String,
    #[serde(default)]
    partner: String,
    #[serde(default, rename = "ouder-dan")]
    ouder_dan: String,
    /// Only for the export; the links to it add it themselves.
    #[serde(default, skip_serializing)]
    formaat: String,
}

/// The largest "at least this many days old" the filter takes (ten years).
const MAX_AGE_DAYS: u16 = 3650;

impl FilterQuery {
    /// Unknown choices fall back to "any"; a number of days that is not one
    /// filters nothing and is said on the page ([`FilterQuery::age_problem`]).
    fn filter(&self) -> CaseFilter {
        CaseFilter {
            status: StatusFilter::from_code(&self.status).unwrap_or_default(),
            wijk: Some(self.wijk.trim().to_string()).filter(|w| !w.is_empty()),
            partner: PartnerType::from_code(&self.partner),
            min_age_days: self.age_days(),
        }
    }

    fn age_days(&self) -> Option<u16> {
        self.ouder_dan
            .trim()
            .parse()
            .ok()
            .filter(|d| *d <= MAX_AGE_DAYS)
    }

    /// Typed, but not a number of days from 0 to [`MAX_AGE_DAYS`].
    fn age_problem(&self) -> bool {
        !self.ouder_dan.trim().is_empty() && self.age_days().is_none()
    }
}

fn line_view(state: &AppState, lang: Lang, l: &CaseLine) -> Value {
    let contact = l.contact.as_ref();
    context! {
        id => l.id,
        state => l.state.code(),
        level => l.level.code(),
        why => explain(state, lang, &l.reasons),
        opened => format_date(l.opened_on),
        name => contact.map(|r| r.record.name.formal()),
        wijk => contact.map(|r| r.record.wijk.clone()),
        partners => l.partners.iter().map(|p| p.code()).collect::<Vec<_>>(),
        total => l.total.to_string(),
        signals => l.signals,
        next_task => l.next_task.map(|(k, d)| context! { kind => k.code(), due => format_date(d) }),
        result => l.result.map(|r| r.code()),
    }
}

pub async fn worklist(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<FilterQuery>,
) -> Result<Response, AppError> {
    let staff = v.staff(Capability::Worklist)?;
    let actor = Actor::Staff(staff);
    let lines = state
        .store
        .signal_worklist(&actor, &q.filter(), PAGE_LIMIT, state.today(), state.now())
        .await?;
    let rows: Vec<Value> = lines.iter().map(|l| line_view(&state, v.lang, l)).collect();
    let queued = state.store.signal_queue_len(staff.org_id).await?;
    let wijken = state.store.wijken().await?;
    let export_query = serde_urlencoded::to_string(&q).unwrap_or_default();
    let form_errors: Vec<Value> = q
        .age_problem()
        .then(|| {
            let n = FluentValue::from(i64::from(MAX_AGE_DAYS));
            let message = state
                .i18n
                .t(v.lang, "signals-filter-age-problem", &[("max", n)]);
            context! { message, id => "ouder-dan" }
        })
        .into_iter()
        .collect();
    let status = if form_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut response = page(
        &state,
        &v,
        "signal_worklist.html",
        context! {
            rows, queued, wijken, q, export_query, limit => PAGE_LIMIT, form_errors,
            statuses => StatusFilter::ALL.iter().map(|s| s.code()).collect::<Vec<_>>(),
            partners => PartnerType::ALL.iter().map(|p| p.code()).collect::<Vec<_>>(),
        },
    )?;
    *response.status_mut() = status;
    Ok(response)
}

/// The worklist as CSV or XLSX, with the same filters; each household in
/// it is audited like on the page.
pub async fn export(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<FilterQuery>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::Worklist)?;
    let xlsx = match q.formaat.as_str() {
        "csv" => false,
        "xlsx" => true,
        _ => return Err(AppError::BadRequest),
    };
    let lines = state
        .store
        .signal_worklist(
            &actor,
            &q.filter(),
            EXPORT_LIMIT,
            state.today(),
            state.now(),
        )
        .await?;
    let t = |k: &str| state.i18n.t(v.lang, k, &[]);
    let header: Vec<String> = [
        "export-col-case",
        "export-col-level",
        "export-col-name",
        "export-col-wijk",
        "export-col-partners",
        "export-col-total",
        "export-col-signals",
        "export-col-opened",
        "export-col-state",
        "export-col-next",
        "export-col-why",
    ]
    .iter()
    .map(|k| t(k))
    .collect();
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|l| {
            let contact = l.contact.as_ref();
            vec![
                l.id.to_string(),
                t(&format!("level-{}", l.level.code())),
                contact.map(|r| r.record.name.formal()).unwrap_or_default(),
                contact.map(|r| r.record.wijk.clone()).unwrap_or_default(),
                l.partners
                    .iter()
                    .map(|p| t(&format!("partner-{}", p.code())))
                    .collect::<Vec<_>>()
                    .join(", "),
                l.total.to_string(),
                l.signals.to_string(),
                format_date(l.opened_on),
                t(&format!("case-state-{}", l.state.code())),
                l.next_task
                    .map(|(k, d)| {
                        format!("{} {}", t(&format!("contact-{}", k.code())), format_date(d))
                    })
                    .unwrap_or_default(),
                explain(&state, v.lang, &l.reasons),
            ]
        })
        .collect();
    let stamp = format_date(state.today());
    let (body, mime, ext) = if xlsx {
        (
            crate::export::xlsx(&header, &rows).map_err(AppError::internal)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    } else {
        (
            crate::export::csv(&header, &rows).map_err(AppError::internal)?,
            "text/csv; charset=utf-8",
            "csv",
        )
    };
    Ok(crate::export::attachment(
        body,
        mime,
        &format!("signalen-{stamp}.{ext}"),
    ))
}

pub(super) fn signal_view(view: &SignalView) -> Value {
    let s = &view.signal;
    context! {
        id => view.id,
        key => s.id,
        partner => s.partner.code(),
        klantnummer => s.klantnummer,
        name => s.name(),
        birth => s.geboortedatum.map(format_date),
        address => s.address(),
        phone => s.telefoon,
        email => s.email,
        amount => s.bedrag.to_string(),
        since => format_date(s.ontstaansdatum),
        signalled => format_date(s.signaaldatum),
        received => format_date(view.received_on),
        crisis => s.crisis,
        warm => s.warme_overdracht,
        status => view.status.code(),
        how => view.match_code,
    }
}

#[derive(serde::Deserialize, serde::Serialize, Default, Clone)]
pub struct AttemptForm {
    #[serde(default)]
    soort: String,
    #[serde(default)]
    datum: String,
    #[serde(default)]
    dagdeel: String,
    #[serde(default)]
    bereikt: String,
}

#[derive(serde::Deserialize, serde::Serialize, Default, Clone)]
pub struct CloseForm {
    #[serde(default)]
    resultaat: String,
    #[serde(default)]
    bezwaar: Option<String>,
    #[serde(default)]
    tot: String,
}

#[derive(serde::Deserialize)]
pub struct Notice {
    gelukt: Option<String>,
}

/// The household's case page, with its two forms filled with `attempt`
/// and `close` (what was typed, after an error).
async fn case_page(
    state: &AppState,
    v: &Visitor,
    id: i64,
    attempt: AttemptForm,
    close: CloseForm,
    errors: Vec<Value>,
    notice: Option<&'static str>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::Worklist)?;
    let case = state.store.signal_case(&actor, id, state.now()).await?;
    let members: Vec<Value> = case
        .members
        .iter()
        .map(|m| {
            context! {
                id => m.id.0,
                name => m.record.name.formal(),
                birth => format_date(m.record.geboortedatum),
                role => m.record.rol_in_huishouden.code(),
                address => m.record.address.street_line(),
            }
        })
        .collect();
    let attempts: Vec<Value> = case
        .attempts
        .iter()
        .map(|a| {
            context! {
                kind => a.attempt.kind.code(),
                on => format_date(a.attempt.on),
                dagdeel => a.attempt.dagdeel.code(),
                reached => a.attempt.reached,
                by => a.by,
            }
        })
        .collect();
    let tasks: Vec<Value> = case
        .tasks
        .iter()
        .map(|t| context! { kind => t.kind.code(), due => format_date(t.due_on), status => t.status })
        .collect();
    let objections: Vec<Value> = case
        .objections
        .iter()
        .map(|(p, until)| context! { partner => p.code(), until => format_date(*until) })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    // A fresh form suggests today; a sent one shows what was sent, also an
    // empty date the message is about.
    let untouched = [
        &attempt.soort,
        &attempt.datum,
        &attempt.dagdeel,
        &attempt.bereikt,
    ]
    .iter()
    .all(|f| f.is_empty());
    let attempt = AttemptForm {
        datum: if untouched {
            format_date(state.today())
        } else {
            attempt.datum
        },
        ..attempt
    };
    let mut r = page(
        state,
        v,
        "signal_case.html",
        context! {
            case => line_view(state, v.lang, &case.line),
            picked_up => case.picked_up_on.map(format_date),
            trajectory => case.trajectory_on.map(format_date),
            members, attempts, tasks, objections, choices => crate::views::choices_view(&case.choices),
            helps => case.accommodations.0.iter().map(|a| a.code()).collect::<Vec<_>>(),
            contact_id => case.line.contact.as_ref().map(|c| c.id.0),
            reach => case.reach.as_ref().map(crate::views::reach_view),
            signals => case.signals.iter().map(signal_view).collect::<Vec<_>>(),
            attempt, close, form_errors => errors, notice,
            kinds => ContactKind::ALL.iter().map(|k| k.code()).collect::<Vec<_>>(),
            refused_kinds => ContactKind::ALL.iter().filter(|k| case.choices.refuses(**k)).map(|k| k.code()).collect::<Vec<_>>(),
            dagdelen => Dagdeel::ALL.iter().map(|d| d.code()).collect::<Vec<_>>(),
            results => EndResult::ALL.iter().map(|r| r.code()).collect::<Vec<_>>(),
            today => format_date(state.today()),
        },
    )?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn case(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> Result<Response, AppError> {
    let notice = match n.gelukt.as_deref() {
        Some("contact") => Some("case-attempt-saved"),
        Some("afgesloten") => Some("case-closed"),
        _ => None,
    };
    case_page(
        &state,
        &v,
        id,
        AttemptForm::default(),
        CloseForm::default(),
        vec![],
        notice,
    )
    .await
}

fn messages(state: &AppState, lang: Lang, errors: &[ValidationError]) -> Vec<Value> {
    errors
        .iter()
        .map(|e| problem_message(state, lang, e, &format!("veld-{}", e.field)))
        .collect()
}

pub async fn record_attempt(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Form(form): Form<AttemptForm>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::Worklist)?;
    let opened = state.store.signal_case_opened(&actor, id).await?;
    match ContactAttempt::new(
        &form.soort,
        &form.datum,
        &form.dagdeel,
        &form.bereikt,
        opened,
        state.today(),
    ) {
        Ok(attempt) => {
            match state
                .store
                .record_contact_attempt(&actor, id, &attempt, state.now())
                .await
            {
                Ok(()) => Ok(
                    Redirect::to(&format!("/signalen/zaak/{id}?gelukt=contact")).into_response()
                ),
                // The household refused this channel: said on the form, kept.
                Err(wegwijs_store::StoreError::Invalid(e)) => {
                    let errors = messages(&state, v.lang, &[e]);
                    case_page(&state, &v, id, form, CloseForm::default(), errors, None).await
                }
                Err(e) => Err(e.into()),
            }
        }
        Err(errors) => {
            let errors = messages(&state, v.lang, &errors);
            case_page(&state, &v, id, form, CloseForm::default(), errors, None).await
        }
    }
}

pub async fn close_case(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Form(form): Form<CloseForm>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::Worklist)?;
    match Closing::new(
        &form.resultaat,
        form.bezwaar.is_some(),
        &form.tot,
        state.today(),
    ) {
        Ok(closing) => {
            state
                .store
                .close_signal_case(&actor, id, &closing, state.today(), state.now())
                .await?;
            Ok(Redirect::to(&format!("/signalen/zaak/{id}?gelukt=afgesloten")).into_response())
        }
        Err(errors) => {
            let errors = messages(&state, v.lang, &errors);
            case_page(&state, &v, id, AttemptForm::default(), form, errors, None).await
        }
    }
}
