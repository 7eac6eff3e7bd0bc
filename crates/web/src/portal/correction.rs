//! "Klopt een gegeven niet? Zeg het ons": the resident says which fact
//! behind a lead is wrong and what is right. It becomes a request to the
//! team that handles money matters, which checks it and calculates again.

use super::overview::lead_title;
use crate::error::AppError;
use crate::help::routed;
use crate::render::{page, problem_message};
use crate::state::AppState;
use crate::views::ContactFields;
use crate::visitor::Visitor;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Value;
use wegwijs_domain::help::{HelpTopic, OWN_WORDS_MAX, RequestKind, correction};
use wegwijs_domain::{Actor, ResidentId};
use wegwijs_store::leads::LeadRow;
use wegwijs_store::requests::NewRequest;

#[derive(Default, serde::Deserialize, serde::Serialize)]
pub struct CorrectionForm {
    #[serde(default)]
    juist: String,
    #[serde(flatten)]
    reach: ContactFields,
}

/// The resident's own lead about `law`; another law is not found.
async fn own_lead(state: &AppState, me: ResidentId, law: &str) -> Result<LeadRow, AppError> {
    let overview = state
        .store
        .own_overview(&Actor::Resident(me), me, state.now())
        .await?;
    overview
        .leads
        .into_iter()
        .find(|l| l.law == law)
        .ok_or(AppError::NotFound)
}

pub async fn form(
    State(state): State<AppState>,
    v: Visitor,
    Path(law): Path<String>,
) -> Result<Response, AppError> {
    let me = v.resident()?;
    let lead = own_lead(&state, me, &law).await?;
    let form = CorrectionForm {
        reach: ContactFields::known(&state, me).await?,
        ..CorrectionForm::default()
    };
    correction_page(&state, &v, &lead, &form, vec![])
}

fn correction_page(
    state: &AppState,
    v: &Visitor,
    lead: &LeadRow,
    form: &CorrectionForm,
    errors: Vec<Value>,
) -> Result<Response, AppError> {
    let failed = !errors.is_empty();
    let ctx = context! {
        law => lead.law,
        title => lead_title(state, v.lang, lead),
        form,
        form_errors => errors,
        max => OWN_WORDS_MAX,
    };
    let mut r = page(state, v, "correction.html", ctx)?;
    if failed {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

pub async fn send(
    State(state): State<AppState>,
    v: Visitor,
    Path(law): Path<String>,
    Form(form): Form<CorrectionForm>,
) -> Result<Response, AppError> {
    let me = v.resident()?;
    let lead = own_lead(&state, me, &law).await?;
    let checked = (correction(&form.juist), form.reach.validate());
    let (text, reach) = match checked {
        (Ok(text), Ok(reach)) => (text, reach),
        (text, reach) => {
            let errors = text
                .err()
                .into_iter()
                .chain(reach.err().into_iter().flatten())
                .map(|e| problem_message(&state, v.lang, &e, &format!("veld-{}", e.field)))
                .collect();
            return correction_page(&state, &v, &lead, &form, errors);
        }
    };
    let request = NewRequest {
        kind: RequestKind::Correctie,
        topic: lead.law.clone(),
        topic_name: lead.law_name.clone(),
        own_words: text,
        reach,
    };
    match routed(&state, &v, me, &request, HelpTopic::Geld).await? {
        Some(id) => Ok(Redirect::to(&format!("/mijn/vraag/{id}?nieuw=1")).into_response()),
        None => Err(AppError::Unavailable),
    }
}
