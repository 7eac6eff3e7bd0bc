//! Hoe was het?: after a request is done or an appointment held, the
//! portal asks one question (how easy was it to arrange, 1 to 5) and
//! offers room for a comment. The team lead sees totals and comments.

use crate::error::AppError;
use crate::render::{page, problem_message};
use crate::routes::Routes;
use crate::state::AppState;
use crate::views::contact_view;
use crate::visitor::Visitor;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Value;
use wegwijs_domain::Actor;
use wegwijs_domain::feedback::{COMMENT_MAX, Feedback};
use wegwijs_store::StoreError;
use wegwijs_store::feedback::Contact;

pub fn routes() -> Routes {
    Routes::new()
        .get("/mijn/hoe-was-het/{kind}/{id}", form)
        .post("/mijn/hoe-was-het/{kind}/{id}", give)
        .once()
}

#[derive(Default, serde::Deserialize, serde::Serialize)]
pub struct FeedbackForm {
    #[serde(default)]
    cijfer: String,
    #[serde(default)]
    opmerking: String,
}

async fn contact(state: &AppState, v: &Visitor, about: &str) -> Result<Contact, AppError> {
    let me = v.resident()?;
    let open = state
        .store
        .contacts_to_rate(&Actor::Resident(me), me, state.now())
        .await?;
    open.into_iter()
        .find(|c| c.about == about)
        .ok_or(AppError::NotFound)
}

fn about(kind: &str, id: i64) -> Result<String, AppError> {
    match kind {
        "hulpvraag" | "afspraak" => Ok(format!("{kind}:{id}")),
        _ => Err(AppError::NotFound),
    }
}

pub async fn form(
    State(state): State<AppState>,
    v: Visitor,
    Path((kind, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let c = contact(&state, &v, &about(&kind, id)?).await?;
    feedback_page(
        &state,
        &v,
        &c,
        &FeedbackForm::default(),
        vec![],
        StatusCode::OK,
    )
}

fn feedback_page(
    state: &AppState,
    v: &Visitor,
    c: &Contact,
    form: &FeedbackForm,
    errors: Vec<Value>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let ctx = context! { c => contact_view(c), form, form_errors => errors, max => COMMENT_MAX };
    let mut r = page(state, v, "feedback.html", ctx)?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn give(
    State(state): State<AppState>,
    v: Visitor,
    Path((kind, id)): Path<(String, i64)>,
    Form(form): Form<FeedbackForm>,
) -> Result<Response, AppError> {
    let me = v.resident()?;
    let about = about(&kind, id)?;
    let c = contact(&state, &v, &about).await?;
    let feedback = match Feedback::validate(&form.cijfer, &form.opmerking) {
        Ok(f) => f,
        Err(errors) => {
            let errors = errors
                .iter()
                .map(|e| {
                    let id = if e.field == "cijfer" {
                        "veld-cijfer"
                    } else {
                        "veld-opmerking"
                    };
                    problem_message(&state, v.lang, e, id)
                })
                .collect();
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return feedback_page(&state, &v, &c, &form, errors, status);
        }
    };
    match state
        .store
        .give_feedback(&Actor::Resident(me), me, &about, &feedback, state.now())
        .await
    {
        // A second answer (two tabs) changes nothing: thanks all the same.
        Ok(()) | Err(StoreError::Duplicate(_)) => {
            Ok(Redirect::to("/mijn?bedankt=1").into_response())
        }
        Err(e) => Err(e.into()),
    }
}
