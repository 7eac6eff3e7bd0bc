//! Geldcheck: ten short questions about money for anyone, logged in or
//! not, with plain advice. Nothing is stored or logged; a logged-in
//! resident may send the answers with a request to be called. Someone who
//! is not logged in may keep the answers across the DigiD login (`carry`).

mod carry;

use crate::error::AppError;
use crate::help::routed;
use crate::i18n::Lang;
use crate::render::{page, problem_message};
use crate::routes::Routes;
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use minijinja::context;
use minijinja::value::Value;
use std::collections::HashMap;
use wegwijs_domain::contact::ContactWays;
use wegwijs_domain::geldcheck::{Answers, QUESTIONS};
use wegwijs_domain::help::{HelpTopic, RequestKind};
use wegwijs_domain::{Actor, contact};
use wegwijs_store::requests::NewRequest;

pub fn routes() -> Routes {
    Routes::new()
        .get("/geldcheck", form)
        .post("/geldcheck", advise)
        .post("/geldcheck/sturen", send)
        .once()
        .post("/geldcheck/bewaren", carry::hold)
        .get("/geldcheck/versturen", carry::resume)
}

type Fields = HashMap<String, String>;

pub async fn form(State(state): State<AppState>, v: Visitor) -> Result<Response, AppError> {
    question_page(&state, &v, &Fields::new(), (vec![], None), StatusCode::OK)
}

/// The questions, with what was chosen, the problems, and a notice (the
/// message key of one) above them.
fn question_page(
    state: &AppState,
    v: &Visitor,
    typed: &Fields,
    (errors, notice): (Vec<Value>, Option<&str>),
    status: StatusCode,
) -> Result<Response, AppError> {
    let questions: Vec<Value> = QUESTIONS
        .iter()
        .map(|q| {
            let chosen = typed.get(q.code).cloned().unwrap_or_default();
            context! { code => q.code, answers => q.answers, chosen }
        })
        .collect();
    // Not `notice`: the layout shows that one itself, in green.
    let warning = notice.map(|key| state.i18n.t(v.lang, key, &[]));
    let ctx = context! { questions, form_errors => errors, warning };
    let mut r = page(state, v, "geldcheck.html", ctx)?;
    *r.status_mut() = status;
    Ok(r)
}

fn answers_of(fields: &Fields) -> Result<Answers, Vec<wegwijs_domain::ValidationError>> {
    Answers::from_fields(|q| fields.get(q).map(String::as_str))
}

/// The advice, shown at once; nothing is kept.
pub async fn advise(
    State(state): State<AppState>,
    v: Visitor,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    match answers_of(&fields) {
        Ok(answers) => result_page(&state, &v, &answers, None, StatusCode::OK).await,
        Err(errors) => {
            let errors = errors
                .iter()
                .map(|e| problem_message(&state, v.lang, e, &format!("vraag-{}", e.field)))
                .collect();
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            question_page(&state, &v, &fields, (errors, None), status)
        }
    }
}

/// A number to send with that needs changing: what was typed, the message.
struct PhoneProblem {
    typed: String,
    error: Value,
}

/// The advice, and the way to send it: the form with the number to call
/// (the one the resident gave last time, or what they typed), or for
/// someone not logged in, the way to log in without losing the answers.
async fn result_page(
    state: &AppState,
    v: &Visitor,
    answers: &Answers,
    problem: Option<PhoneProblem>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let advice = answers.advice();
    let resident = match v.actor() {
        Some(Actor::Resident(me)) => Some(me),
        _ => None,
    };
    let phone = state
        .store
        .help_routes()
        .await?
        .into_iter()
        .find(|r| r.route.topic == HelpTopic::Geld)
        .map(|r| r.route.phone);
    let chosen: Vec<Value> = answers
        .chosen()
        .iter()
        .map(|(q, a)| context! { question => q, answer => a })
        .collect();
    let (typed, errors) = match (problem, resident) {
        (Some(p), _) => (p.typed, vec![p.error]),
        (None, Some(me)) => {
            let known = state
                .store
                .known_contact_ways(&Actor::Resident(me), me, state.now())
                .await?;
            (known.phone.unwrap_or_default(), vec![])
        }
        (None, None) => (String::new(), vec![]),
    };
    let ctx = context! {
        outlook => advice.outlook.code(),
        items => advice.items,
        answered => answers.answered(),
        chosen,
        resident => resident.is_some(),
        phone,
        typed,
        form_errors => errors,
    };
    let mut r = page(state, v, "geldcheck_result.html", ctx)?;
    *r.status_mut() = status;
    Ok(r)
}

/// The resident sends the answers with a request to be called: a request
/// to the money team, the answers in words as its text.
pub async fn send(
    State(state): State<AppState>,
    v: Visitor,
    jar: CookieJar,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let me = v.resident()?;
    let answers = answers_of(&fields).map_err(|_| AppError::BadRequest)?;
    // Nothing answered is nothing to send (the page offers no button then).
    if answers.answered() == 0 {
        return Ok(Redirect::to("/geldcheck").into_response());
    }
    let typed = fields.get("telefoon").cloned().unwrap_or_default();
    let phone = match contact::phone("telefoonnummer", &typed) {
        Ok(p) => p,
        Err(e) => {
            let error = problem_message(&state, v.lang, &e, "veld-telefoon");
            let problem = Some(PhoneProblem { typed, error });
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return result_page(&state, &v, &answers, problem, status).await;
        }
    };
    let request = NewRequest {
        kind: RequestKind::Geldcheck,
        topic: "geldcheck".into(),
        topic_name: state.i18n.t(Lang::Nl, "gc-title", &[]),
        own_words: summary(&state, &answers),
        reach: ContactWays::phone(phone),
    };
    match routed(&state, &v, me, &request, HelpTopic::Geld).await? {
        Some(id) => {
            let to = format!("/mijn/vraag/{id}?nieuw=1");
            Ok(carry::forget(&state, &jar, Redirect::to(&to).into_response()).await)
        }
        None => Err(AppError::Unavailable),
    }
}

/// The answers in words, in Dutch for the team: one line per question,
/// the answer after a dash.
fn summary(state: &AppState, answers: &Answers) -> String {
    let t = |key: String| state.i18n.t(Lang::Nl, &key, &[]);
    answers
        .chosen()
        .iter()
        .map(|(q, a)| {
            format!(
                "{} — {}",
                t(format!("gc-q-{q}")),
                t(format!("gc-a-{q}-{a}"))
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}
