//! Staff login and logout. Passwords are hashed with Argon2id off the async
//! runtime; sessions are rotated on every login.

use super::ClientAddr;
use crate::error::AppError;
use crate::render::{page, start_path};
use crate::state::AppState;
use crate::tokens::{new_token, token_hash};
use crate::visitor::{CookieName, SESSION_COOKIE, Visitor, cookie, is_local_path};
use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use fluent_bundle::FluentValue;
use minijinja::context;
use std::sync::OnceLock;
use wegwijs_domain::Actor;
use wegwijs_domain::policy::{self, LOGIN_WINDOW_SECS};
use wegwijs_store::sessions::{Subject, throttle_address};

/// Carries a login between its steps (see `second_factor`).
pub(super) const LOGIN_COOKIE: CookieName =
    CookieName::new("wegwijs_inlog", "__Host-wegwijs_inlog");

/// Why a password could not be hashed.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing: {0}")]
    Hash(argon2::password_hash::Error),
    #[error("password hashing thread: {0}")]
    Thread(#[from] tokio::task::JoinError),
}

/// Hashes a password (Argon2id, default parameters). Slow on purpose: call
/// it from a blocking thread in async code.
pub fn hash_password(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(HashError::Hash)
}

/// [`hash_password`] on a blocking thread, for async callers.
pub async fn hash_password_async(password: String) -> Result<String, HashError> {
    tokio::task::spawn_blocking(move || hash_password(&password)).await?
}

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Checked against when the username is unknown, so that a wrong username
/// takes as long as a wrong password.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password(&new_token()).unwrap_or_default())
}

#[derive(serde::Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    /// The page asked for before logging in (a path on this site).
    #[serde(default)]
    terug: String,
}

#[derive(serde::Deserialize)]
pub struct LoginQuery {
    #[serde(default)]
    terug: String,
    /// Back from a login step that took too long.
    verlopen: Option<String>,
}

/// Where to go after logging in: the page asked for when it is a page on
/// this site, else the role's start page.
fn after_login<'a>(terug: &'a str, actor: &Actor) -> &'a str {
    if is_local_path(terug) && terug != "/" {
        terug
    } else {
        start_path(actor)
    }
}

pub async fn login_form(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<LoginQuery>,
) -> Result<Response, AppError> {
    if let Some(actor) = v.actor() {
        return Ok(Redirect::to(after_login(&q.terug, &actor)).into_response());
    }
    let terug = Some(q.terug).filter(|t| is_local_path(t));
    page(
        &state,
        &v,
        "login.html",
        context! {
            username => "",
            terug,
            form_errors => Vec::<()>::new(),
            expired => q.verlopen.is_some(),
            demo => state.config.demo,
        },
    )
}

pub async fn login(
    State(state): State<AppState>,
    v: Visitor,
    ClientAddr(ip): ClientAddr,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let now = state.now();
    let username = form.username.trim().to_lowercase();
    let address = throttle_address(ip);
    let refuse = |key: &str, args: &[(&str, FluentValue)], status: StatusCode| {
        login_refused(&state, &v, (&form.username, &form.terug), key, args, status)
    };
    let failures = state
        .store
        .login_failures_since(&username, &address, now - LOGIN_WINDOW_SECS)
        .await?;
    if policy::may_try_login(failures).is_err() {
        return locked(&state, &v, &form.username);
    }
    let found = state.store.credentials(&username).await?;
    let (hash, user) = match &found {
        Some((user, hash)) if user.active => (hash.clone(), Some(user.clone())),
        _ => (dummy_hash().to_string(), None),
    };
    let password = form.password.clone();
    let Ok(ok) = state
        .hashing
        .run(move || verify_password(&hash, &password))
        .await
    else {
        state.metrics.login("staff", "busy");
        let mut r = refuse("login-busy", &[], StatusCode::SERVICE_UNAVAILABLE)?;
        r.headers_mut().insert(
            header::RETRY_AFTER,
            header::HeaderValue::from_static(crate::error::BUSY_RETRY_SECS),
        );
        return Ok(r);
    };
    let Some(user) = user.filter(|_| ok) else {
        state
            .store
            .record_login_failure(&username, &address, now)
            .await?;
        state.metrics.login("staff", "failed");
        tracing::info!(user_known = found.is_some(), "staff login failed");
        return refuse("login-failed", &[], StatusCode::UNAUTHORIZED);
    };
    state
        .store
        .clear_login_failures(&username, &address)
        .await?;
    state.metrics.login("staff", "ok");
    tracing::info!(user_id = user.id, org_id = user.org_id, "staff logged in");
    let to = after_login(&form.terug, &Actor::Staff(user.staff()));
    super::second_factor::after_password(&state, &v, &user, to).await
}

/// The login page again, with `key` as the message at the password field.
fn login_refused(
    state: &AppState,
    v: &Visitor,
    (username, terug): (&str, &str),
    key: &str,
    args: &[(&str, FluentValue)],
    status: StatusCode,
) -> Result<Response, AppError> {
    let message = state.i18n.t(v.lang, key, args);
    let errors = vec![context! { message, id => "wachtwoord" }];
    let mut r = page(
        state,
        v,
        "login.html",
        context! {
            username => username.trim(),
            terug => Some(terug).filter(|t| is_local_path(t)),
            form_errors => errors,
        },
    )?;
    *r.status_mut() = status;
    Ok(r)
}

/// Too many failed tries from this address for this account (password or
/// second step): the login page says when to try again.
pub(super) fn locked(state: &AppState, v: &Visitor, username: &str) -> Result<Response, AppError> {
    state.metrics.login("staff", "locked");
    login_refused(
        state,
        v,
        (username, ""),
        "login-locked",
        &[("minutes", FluentValue::from(LOGIN_WINDOW_SECS / 60))],
        StatusCode::TOO_MANY_REQUESTS,
    )
}

/// Checks a password through the hashing gate; a full gate is `Busy`.
pub(super) async fn verify_password_async(
    state: &AppState,
    hash: String,
    password: String,
) -> Result<bool, AppError> {
    state
        .hashing
        .run(move || verify_password(&hash, &password))
        .await
        .map_err(|_| AppError::Busy)
}

/// Hashes a new password through the hashing gate; a full gate is `Busy`.
pub async fn hash_through_gate(state: &AppState, password: String) -> Result<String, AppError> {
    state
        .hashing
        .run(move || hash_password(&password))
        .await?
        .map_err(AppError::internal)
}

/// Ends any session the visitor had and starts a new one with a new token
/// and a new CSRF token (rotation: a token seen before login is worthless
/// after it).
pub async fn start_session(
    state: &AppState,
    v: &Visitor,
    subject: Subject,
    to: &str,
) -> Result<Response, AppError> {
    if let Some(old) = &v.token_hash {
        state.store.delete_session(old).await?;
    }
    let token = new_token();
    state
        .store
        .create_session(
            &token_hash(&token),
            subject,
            &new_token(),
            state.now(),
            state.config.session,
        )
        .await?;
    let c = cookie(state, SESSION_COOKIE, token);
    Ok(([(header::SET_COOKIE, c.to_string())], Redirect::to(to)).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct StayForm {
    #[serde(default)]
    terug: String,
}

/// "Ingelogd blijven": loading the session has extended it already. The
/// page's script asks for JSON (the seconds left); without it, back to the
/// page.
pub async fn stay(
    State(state): State<AppState>,
    v: Visitor,
    headers: axum::http::HeaderMap,
    axum::Form(form): axum::Form<StayForm>,
) -> Result<Response, AppError> {
    let Some(session) = &v.session else {
        return Err(AppError::LoginNeeded { resident: false });
    };
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|a| a.contains("application/json"));
    if wants_json {
        let left = session.expires_at - state.now();
        return Ok(axum::Json(serde_json::json!({ "seconds_left": left })).into_response());
    }
    let back = if crate::visitor::is_local_path(&form.terug) {
        form.terug
    } else {
        "/".to_string()
    };
    Ok(Redirect::to(&back).into_response())
}

pub async fn logout(State(state): State<AppState>, v: Visitor) -> Result<Response, AppError> {
    if let Some(hash) = &v.token_hash {
        state.store.delete_session(hash).await?;
    }
    let mut gone = cookie(&state, SESSION_COOKIE, String::new());
    gone.make_removal();
    Ok((
        [(header::SET_COOKIE, gone.to_string())],
        Redirect::to("/?uitgelogd=1"),
    )
        .into_response())
}
