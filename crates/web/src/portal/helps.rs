//! "Wat helpt u": what organisations noted helps the resident (an
//! interpreter, a call after a letter, more time), in plain words, and how
//! to ask for a change.

use crate::error::AppError;
use crate::render::page;
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::extract::State;
use axum::response::Response;
use minijinja::context;
use minijinja::value::Value;
use wegwijs_domain::Actor;

pub async fn what_helps(State(state): State<AppState>, v: Visitor) -> Result<Response, AppError> {
    let me = v.resident()?;
    let noted = state
        .store
        .own_accommodations(&Actor::Resident(me), me, state.now())
        .await?;
    let orgs: Vec<Value> = noted
        .iter()
        .map(|o| context! { org => o.org_name, codes => o.noted.0.iter().map(|a| a.code()).collect::<Vec<_>>() })
        .collect();
    page(&state, &v, "what_helps.html", context! { orgs })
}
