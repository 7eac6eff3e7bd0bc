//! The matching queue: signals the intake could not link to a resident,
//! linked by hand or set aside by a caseworker.

use super::casework::{PAGE_LIMIT, signal_view};

use crate::error::AppError;
use crate::render::page;
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Value;
use wegwijs_domain::ResidentId;
use wegwijs_domain::person::format_date;
use wegwijs_domain::policy::Capability;
use wegwijs_domain::signal::SignalStatus;

pub async fn queue(State(state): State<AppState>, v: Visitor) -> Result<Response, AppError> {
    let actor = v.require(Capability::Worklist)?;
    let list = state
        .store
        .signal_queue(&actor, PAGE_LIMIT, state.now())
        .await?;
    let rows: Vec<Value> = list.iter().map(signal_view).collect();
    page(&state, &v, "signal_queue.html", context! { rows })
}

pub async fn queued(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::Worklist)?;
    let (signal, candidates) = state.store.queued_signal(&actor, id, state.now()).await?;
    let candidates: Vec<Value> = candidates
        .iter()
        .map(|r| {
            context! {
                id => r.id.0,
                name => r.record.name.formal(),
                birth => format_date(r.record.geboortedatum),
                address => format!("{}, {} {}", r.record.address.street_line(), r.record.address.postcode, r.record.address.woonplaats),
            }
        })
        .collect();
    let aside: Vec<&str> = SignalStatus::ALL
        .iter()
        .filter(|s| **s != SignalStatus::NogNietOpgepakt)
        .map(|s| s.code())
        .collect();
    page(
        &state,
        &v,
        "signal_queued.html",
        context! { s => signal_view(&signal), candidates, aside },
    )
}

#[derive(serde::Deserialize)]
pub struct LinkForm {
    inwoner: i64,
}

pub async fn link(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Form(form): Form<LinkForm>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::Worklist)?;
    let case = state
        .store
        .link_signal(
            &actor,
            id,
            ResidentId(form.inwoner),
            state.today(),
            state.now(),
        )
        .await?;
    Ok(Redirect::to(&format!("/signalen/zaak/{case}")).into_response())
}

#[derive(serde::Deserialize)]
pub struct AsideForm {
    #[serde(default)]
    status: String,
}

pub async fn set_aside(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Form(form): Form<AsideForm>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::Worklist)?;
    let status = SignalStatus::from_code(&form.status)
        .filter(|s| *s != SignalStatus::NogNietOpgepakt)
        .ok_or(AppError::BadRequest)?;
    state
        .store
        .set_signal_aside(&actor, id, status, state.now())
        .await?;
    Ok(Redirect::to("/signalen/wachtrij").into_response())
}
