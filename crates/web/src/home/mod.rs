//! The start page, the language switch and the page for a path that does
//! not exist.

use crate::error::AppError;
use crate::i18n::Lang;
use crate::render::{page, start_path};
use crate::routes::Routes;
use crate::state::AppState;
use crate::visitor::{LANG_COOKIE, Visitor, cookie, is_local_path};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;

pub fn routes() -> Routes {
    Routes::new()
        .get("/", home)
        .get("/taal/{lang}", set_language)
}

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

pub async fn not_found() -> AppError {
    AppError::NotFound
}
