//! "Hoe bereiken wij u": the resident gives their phone number, e-mail
//! address, the way they like best and times to avoid, once; every form
//! that asks it starts from these, and staff who may see their contact
//! see them.

use crate::error::AppError;
use crate::render::{page, problem_message};
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use wegwijs_domain::Actor;
use wegwijs_domain::contact::{ContactDetails, Preferred};

#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct ContactForm {
    #[serde(default)]
    telefoon: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    voorkeur: String,
    #[serde(default)]
    liever_niet: String,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct Saved {
    gelukt: Option<String>,
}

pub async fn form(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<Saved>,
) -> Result<Response, AppError> {
    let me = v.resident()?;
    let known = state
        .store
        .contact_details(&Actor::Resident(me), me, state.now())
        .await?;
    let typed = match known {
        Some(d) => ContactForm {
            telefoon: d.ways.phone.unwrap_or_default(),
            email: d.ways.email.unwrap_or_default(),
            voorkeur: d.preferred.code().into(),
            liever_niet: d.avoid,
        },
        None => ContactForm::default(),
    };
    let saved = q.gelukt.is_some();
    contact_page(&state, &v, &typed, Vec::new(), saved)
}

fn contact_page(
    state: &AppState,
    v: &Visitor,
    typed: &ContactForm,
    errors: Vec<wegwijs_domain::ValidationError>,
    saved: bool,
) -> Result<Response, AppError> {
    let invalid: Vec<&str> = errors.iter().map(|e| e.field).collect();
    let messages: Vec<_> = errors
        .iter()
        .map(|e| problem_message(state, v.lang, e, &format!("veld-{}", e.field)))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = page(
        state,
        v,
        "contact.html",
        context! {
            typed => minijinja::value::Value::from_serialize(typed), invalid, form_errors => messages, saved,
            ways => Preferred::ALL.iter().map(|p| p.code()).collect::<Vec<_>>(),
            avoid_max => wegwijs_domain::contact::AVOID_MAX,
        },
    )?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn save(
    State(state): State<AppState>,
    v: Visitor,
    Form(typed): Form<ContactForm>,
) -> Result<Response, AppError> {
    let me = v.resident()?;
    let checked = ContactDetails::validate(
        &typed.telefoon,
        &typed.email,
        &typed.voorkeur,
        &typed.liever_niet,
    );
    match checked {
        Ok(d) => {
            state
                .store
                .set_contact_details(&Actor::Resident(me), me, &d, state.now())
                .await?;
            Ok(Redirect::to("/mijn/contact?gelukt=1").into_response())
        }
        Err(errors) => contact_page(&state, &v, &typed, errors, false),
    }
}
