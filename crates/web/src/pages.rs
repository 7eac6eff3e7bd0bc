//! The start page, language switch, and the caseworker's and team lead's
//! pages.

use crate::error::AppError;
use crate::i18n::Lang;
use crate::render::{page, start_path};
use crate::state::AppState;
use crate::visitor::{LANG_COOKIE, Visitor, cookie};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Value;
use wegwijs_domain::help::RequestStatus;
use wegwijs_domain::person::{age_on, format_date};
use wegwijs_domain::policy::Capability;
use wegwijs_domain::{Clock, Money, Purpose, Resident, ResidentId, Voorziening};

#[derive(serde::Deserialize)]
pub struct HomeQuery {
    uitgelogd: Option<String>,
}

pub async fn home(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<HomeQuery>,
) -> Result<Response, AppError> {
    if let Some(actor) = v.actor() {
        return Ok(Redirect::to(start_path(&actor)).into_response());
    }
    let notice = q.uitgelogd.map(|_| "logged-out");
    page(&state, &v, "home.html", context! { notice })
}

#[derive(serde::Deserialize)]
pub struct LangQuery {
    terug: Option<String>,
}

/// Switches the language and goes back to the page the person was on (only
/// to a path on this site).
pub async fn set_language(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(q): Query<LangQuery>,
) -> Result<Response, AppError> {
    let lang = Lang::from_code(&lang).ok_or(AppError::NotFound)?;
    let back = q
        .terug
        .filter(|p| is_local_path(p))
        .unwrap_or_else(|| "/".into());
    let mut c = cookie(&state, LANG_COOKIE, lang.code().to_string());
    c.set_max_age(time::Duration::days(365));
    Ok(([(header::SET_COOKIE, c.to_string())], Redirect::to(&back)).into_response())
}

/// A path on this site that is safe to redirect to: absolute, not
/// protocol-relative, and only visible ASCII (a decoded CR/LF or other
/// control character would be an invalid header, or a header injection).
pub fn is_local_path(p: &str) -> bool {
    p.starts_with('/')
        && !p.starts_with("//")
        && !p.contains('\\')
        && p.bytes().all(|b| b.is_ascii_graphic())
}

pub async fn worklist(State(state): State<AppState>, v: Visitor) -> Result<Response, AppError> {
    let actor = v.require(Capability::Worklist)?;
    let rows = state.store.worklist(&actor, 200, state.now()).await?;
    let rows: Vec<Value> = rows
        .iter()
        .map(|w| context! { resident => w.resident.0, name => w.name.formal(), kind => w.kind.code(), wijk => w.wijk, opened_at => w.opened_at })
        .collect();
    page(&state, &v, "worklist.html", context! { rows })
}

pub async fn resident_for_staff(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    staff_resident_page(&state, &v, ResidentId(id), None).await
}

/// An answer to a request the caseworker must change: which request, what
/// was typed, and the message.
pub struct AnswerProblem {
    pub request: i64,
    pub status: String,
    pub note: String,
    pub error: Value,
}

/// The resident as a caseworker sees them: facts, leads, and the requests
/// the resident placed with the caseworker's organisation.
pub async fn staff_resident_page(
    state: &AppState,
    v: &Visitor,
    id: ResidentId,
    problem: Option<AnswerProblem>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::Worklist)?;
    let now = state.now();
    let r = state
        .store
        .read_resident(&actor, id, Purpose::Casework, now)
        .await?;
    let leads: Vec<Value> = state
        .store
        .entitlement_leads(&actor, id, now)
        .await?
        .iter()
        .map(|l| {
            context! {
                law_name => l.law_name,
                amount => l.cents_per_year.map(|c| Money::from_cents(c).to_string()),
                known_unknown => l.voorziening.is_none(),
                found_on => l.found_on,
            }
        })
        .collect();
    let requests: Vec<Value> = state
        .store
        .org_requests_for(&actor, id, now)
        .await?
        .iter()
        .map(|q| {
            let typed = problem.as_ref().filter(|p| p.request == q.id);
            context! {
                typed_status => typed.map(|p| p.status.clone()),
                typed_note => typed.map(|p| p.note.clone()),
                invalid => typed.is_some(),
                ..crate::help::request_view(q)
            }
        })
        .collect();
    let mut appointments: Vec<Value> = Vec::new();
    for a in state.store.org_appointments_for(&actor, id, now).await? {
        let prepared = state
            .store
            .org_preparation(&actor, id, a.id, now)
            .await?
            .map(|p| crate::preparation::staff_view(&p));
        appointments.push(context! {
            prepared,
            ..crate::appointments::appointment_view(state, v.lang, &a)
        });
    }
    let statuses: Vec<&str> = RequestStatus::ALL.iter().map(|s| s.code()).collect();
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut response = page(
        state,
        v,
        "resident.html",
        context! {
            r => resident_view(&r, state.clock.as_ref()), leads, requests, statuses, appointments,
            note_max => wegwijs_domain::help::OWN_WORDS_MAX,
            form_errors => problem.map(|p| vec![p.error]).unwrap_or_default(),
            title_key => "resident-title", portal => false,
        },
    )?;
    *response.status_mut() = status;
    Ok(response)
}

/// A resident's facts as the templates show them.
pub fn resident_view(r: &Resident, clock: &dyn Clock) -> Value {
    let rec = &r.record;
    context! {
        name => rec.name.formal(),
        bsn => rec.bsn.expose(),
        birth => format_date(rec.geboortedatum),
        age => age_on(rec.geboortedatum, clock.today()),
        street => rec.address.street_line(),
        postcode => rec.address.postcode.to_string(),
        town => rec.address.woonplaats,
        wijk => rec.wijk,
        buurt => rec.buurt,
        household_role => rec.rol_in_huishouden.code(),
        income => rec.finances.netto_inkomen_maand.to_string(),
        assets => rec.finances.vermogen.to_string(),
        benefits => rec.finances.voorzieningen.iter().map(|b: &Voorziening| b.code()).collect::<Vec<_>>(),
    }
}

pub async fn team(State(state): State<AppState>, v: Visitor) -> Result<Response, AppError> {
    let actor = v.require(Capability::TeamOverview)?;
    let figures = state.store.team_figures(&actor).await?;
    let feedback = state.store.team_feedback(&actor).await?;
    let average = feedback
        .average_tenths
        .map(|t| format!("{},{}", t / 10, t % 10));
    page(
        &state,
        &v,
        "team.html",
        context! { figures, feedback, average, min_answers => wegwijs_store::feedback::MIN_ANSWERS },
    )
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}
