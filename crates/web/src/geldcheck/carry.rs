//! The Geldcheck's answers across the DigiD login. Someone not logged in
//! who wants to send their answers gets them kept on the server (not in a
//! URL, which ends up in histories and logs) under a random token in a
//! cookie for an hour; after the login they land on the send step with
//! the answers back. Sending, or the hour passing, removes them.

use super::{Fields, answers_of, question_page, result_page};
use crate::error::AppError;
use crate::state::AppState;
use crate::tokens::{new_token, token_hash};
use crate::visitor::{Visitor, cookie};
use axum::Form;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use wegwijs_domain::Actor;
use wegwijs_domain::geldcheck::QUESTIONS;
use wegwijs_store::forms::HELD_FORM_SECS;

use crate::visitor::CookieName;

const COOKIE: CookieName = CookieName::new("wegwijs_geldcheck", "__Host-wegwijs_geldcheck");
const FORM: &str = "geldcheck";
/// Where the login brings the resident back to.
const RESUME: &str = "/geldcheck/versturen";

/// Keeps the answers and starts the DigiD login, which comes back to
/// [`resume`].
pub async fn hold(
    State(state): State<AppState>,
    v: Visitor,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    if let Some(Actor::Staff(_)) = v.actor() {
        return Err(AppError::Forbidden);
    }
    let answers = answers_of(&fields).map_err(|_| AppError::BadRequest)?;
    if answers.answered() == 0 {
        return Ok(Redirect::to("/geldcheck").into_response());
    }
    let kept: Vec<(String, String)> = answers
        .chosen()
        .iter()
        .map(|(q, a)| (q.to_string(), a.to_string()))
        .collect();
    let token = new_token();
    state
        .store
        .hold_form(&token_hash(&token), FORM, &kept, state.now())
        .await?;
    let mut c = cookie(&state, COOKIE, token);
    c.set_max_age(time::Duration::seconds(HELD_FORM_SECS));
    let login = format!(
        "/inwoner/inloggen/digid?{}",
        serde_urlencoded::to_string([("terug", RESUME)]).map_err(AppError::internal)?
    );
    // A resident already logged in (another tab) goes straight on.
    let to = if v.resident().is_ok() { RESUME } else { &login };
    Ok(([(header::SET_COOKIE, c.to_string())], Redirect::to(to)).into_response())
}

/// After the login: the advice again with the send form, the answers
/// back. When they are gone (over an hour, another browser), the form
/// says so.
pub async fn resume(
    State(state): State<AppState>,
    v: Visitor,
    jar: CookieJar,
) -> Result<Response, AppError> {
    v.resident()?;
    let held = match jar.get(COOKIE.of(&state)) {
        Some(c) => {
            state
                .store
                .held_form(&token_hash(c.value()), FORM, state.now())
                .await?
        }
        None => None,
    };
    let Some(held) = held else {
        let notice = (vec![], Some("gc-answers-gone"));
        return question_page(&state, &v, &Fields::new(), notice, StatusCode::OK);
    };
    // Only the questions the Geldcheck has, as when they were first sent.
    let fields: Fields = held
        .into_iter()
        .filter(|(q, _)| QUESTIONS.iter().any(|k| k.code == q))
        .collect();
    let answers = answers_of(&fields).map_err(|_| AppError::BadRequest)?;
    result_page(&state, &v, &answers, None, StatusCode::OK).await
}

/// After sending: the kept answers and their cookie go. The request is
/// placed by then, so a failure here is logged, not shown: the answers
/// lapse within the hour anyway.
pub async fn forget(state: &AppState, jar: &CookieJar, mut response: Response) -> Response {
    let Some(c) = jar.get(COOKIE.of(state)) else {
        return response;
    };
    if let Err(e) = state.store.drop_held_form(&token_hash(c.value())).await {
        tracing::warn!(error = %e, "kept Geldcheck answers could not be removed after sending");
    }
    let mut gone = cookie(state, COOKIE, String::new());
    gone.make_removal();
    if let Ok(value) = gone.to_string().parse() {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}
