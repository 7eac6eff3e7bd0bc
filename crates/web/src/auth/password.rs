//! A staff member changes their own password: the current one, then the
//! new one twice. Every session of the account ends; this one starts anew.

use super::staff::{start_session, verify_password_async};
use crate::error::AppError;
use crate::render::{page, problem_message};
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::{Value, context};
use wegwijs_domain::org::check_new_password;
use wegwijs_domain::{Actor, Problem, ValidationError};
use wegwijs_store::sessions::Subject;

fn staff_member(v: &Visitor) -> Result<wegwijs_domain::Staff, AppError> {
    match v.any_staff()? {
        Actor::Staff(s) => Ok(s),
        _ => Err(AppError::Forbidden),
    }
}

#[derive(serde::Deserialize)]
pub struct Changed {
    gewijzigd: Option<String>,
}

pub async fn form(
    State(state): State<AppState>,
    v: Visitor,
    axum::extract::Query(q): axum::extract::Query<Changed>,
) -> Result<Response, AppError> {
    staff_member(&v)?;
    show_with(&state, &v, Vec::new(), q.gewijzigd.is_some()).await
}

async fn show(
    state: &AppState,
    v: &Visitor,
    form_errors: Vec<Value>,
) -> Result<Response, AppError> {
    show_with(state, v, form_errors, false).await
}

async fn show_with(
    state: &AppState,
    v: &Visitor,
    form_errors: Vec<Value>,
    changed: bool,
) -> Result<Response, AppError> {
    let status = if form_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let me = staff_member(v)?;
    let user = state.store.user(me.user_id).await?;
    let codes_left = state.store.recovery_codes_left(me.user_id).await?;
    let second_factor = user.second_factor && !state.config.demo;
    let mut r = page(
        state,
        v,
        "own_password.html",
        context! { form_errors, changed, second_factor, codes_left },
    )?;
    *r.status_mut() = status;
    Ok(r)
}

/// What is wrong with a new password typed twice (too short, easy to
/// guess with the person's own words, the two differ), as the message at
/// its field; none when it may be used.
pub(super) fn new_password_problem(
    state: &AppState,
    v: &Visitor,
    user: &wegwijs_store::users::User,
    org: &str,
    (new, repeated): (&str, &str),
) -> Option<Value> {
    let context = [user.username.as_str(), &user.display_name, org];
    let checked = check_new_password(new, &context).and_then(|()| {
        (new == repeated)
            .then_some(())
            .ok_or(ValidationError::new("herhaling", Problem::NotTheSame))
    });
    let e = checked.err()?;
    let id = if e.field == "herhaling" {
        "herhaling"
    } else {
        "wachtwoord"
    };
    Some(problem_message(state, v.lang, &e, id))
}

#[derive(serde::Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    huidig: String,
    #[serde(default)]
    wachtwoord: String,
    #[serde(default)]
    herhaling: String,
}

pub async fn change(
    State(state): State<AppState>,
    v: Visitor,
    Form(form): Form<ChangeForm>,
) -> Result<Response, AppError> {
    let me = staff_member(&v)?;
    let user = state.store.user(me.user_id).await?;
    let org = state.store.org(me.org_id).await?.name;
    let old = state.store.password_hash(me.user_id).await?;
    if !verify_password_async(&state, old.clone(), form.huidig.clone()).await? {
        let message = state.i18n.t(v.lang, "own-password-wrong-current", &[]);
        return show(&state, &v, vec![context! { message, id => "huidig" }]).await;
    }
    if let Some(error) =
        new_password_problem(&state, &v, &user, &org, (&form.wachtwoord, &form.herhaling))
    {
        return show(&state, &v, vec![error]).await;
    }
    if form.wachtwoord == form.huidig {
        let message = state.i18n.t(v.lang, "login-step-same-password", &[]);
        return show(&state, &v, vec![context! { message, id => "wachtwoord" }]).await;
    }
    let password = form.wachtwoord;
    let hash = super::staff::hash_through_gate(&state, password).await?;
    state
        .store
        .change_own_password(&me, &hash, state.now())
        .await?;
    tracing::info!(user_id = me.user_id, "own password changed");
    start_session(
        &state,
        &v,
        Subject::Staff(me.user_id),
        "/account/wachtwoord?gewijzigd=1",
    )
    .await
}

#[derive(serde::Deserialize)]
pub struct RenewForm {
    #[serde(default)]
    huidig: String,
}

/// New recovery codes, after the current password: the old ones stop
/// working. Shown once, like the first ones.
pub async fn renew_codes(
    State(state): State<AppState>,
    v: Visitor,
    Form(form): Form<RenewForm>,
) -> Result<Response, AppError> {
    let me = staff_member(&v)?;
    let user = state.store.user(me.user_id).await?;
    if !user.second_factor || state.config.demo {
        return Err(AppError::NotFound);
    }
    let old = state.store.password_hash(me.user_id).await?;
    if !verify_password_async(&state, old, form.huidig).await? {
        let message = state.i18n.t(v.lang, "own-password-wrong-current", &[]);
        return show(&state, &v, vec![context! { message, id => "huidig-codes" }]).await;
    }
    let codes = super::second_factor::recovery_codes();
    state
        .store
        .renew_recovery_codes(&me, &codes, state.now())
        .await?;
    let mut r = page(
        &state,
        &v,
        "recovery_codes.html",
        context! { codes, destination => "/account/wachtwoord" },
    )?;
    r.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(r)
}
