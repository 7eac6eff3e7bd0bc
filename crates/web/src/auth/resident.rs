//! The resident's login: DigiD through an OpenID Connect broker (the demo
//! provider in demo mode).

use super::oidc;
use super::staff::start_session;
use crate::error::AppError;
use crate::render::page;
use crate::state::AppState;
use crate::visitor::{Visitor, is_local_path};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use minijinja::context;
use wegwijs_store::sessions::Subject;

/// The page asked for before logging in (a path on this site).
#[derive(Default, serde::Deserialize)]
pub struct Back {
    #[serde(default)]
    terug: String,
}

impl Back {
    fn path(&self) -> Option<&str> {
        Some(self.terug.as_str()).filter(|t| is_local_path(t) && *t != "/")
    }
}

fn login_with_message(
    state: &AppState,
    v: &Visitor,
    key: Option<&str>,
    back: Option<&str>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let form_errors: Vec<_> = key
        .map(|k| context! { message => state.i18n.t(v.lang, k, &[]) })
        .into_iter()
        .collect();
    let start = match back {
        Some(b) => format!(
            "/inwoner/inloggen/digid?{}",
            serde_urlencoded::to_string([("terug", b)]).map_err(AppError::internal)?
        ),
        None => "/inwoner/inloggen/digid".to_string(),
    };
    let ctx = context! { form_errors, start };
    let mut r = page(state, v, "resident_login.html", ctx)?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn login_page(
    State(state): State<AppState>,
    v: Visitor,
    Query(back): Query<Back>,
) -> Result<Response, AppError> {
    if let Some(wegwijs_domain::Actor::Resident(_)) = v.actor() {
        return Ok(Redirect::to(back.path().unwrap_or("/mijn")).into_response());
    }
    login_with_message(&state, &v, None, back.path(), StatusCode::OK)
}

pub async fn start_login(
    State(state): State<AppState>,
    v: Visitor,
    Query(back): Query<Back>,
) -> Result<Response, AppError> {
    if !oidc::has_provider(&state) {
        tracing::warn!("resident login asked for, but no OIDC provider is configured");
        return login_with_message(
            &state,
            &v,
            Some("resident-login-failed"),
            back.path(),
            StatusCode::SERVICE_UNAVAILABLE,
        );
    }
    match oidc::start(&state, back.path()).await {
        Ok(r) => Ok(r),
        Err(e) => {
            tracing::warn!(error = %e, "resident login could not start");
            login_with_message(
                &state,
                &v,
                Some("resident-login-failed"),
                back.path(),
                StatusCode::BAD_GATEWAY,
            )
        }
    }
}

#[derive(serde::Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

pub async fn callback(
    State(state): State<AppState>,
    v: Visitor,
    headers: HeaderMap,
    Query(q): Query<Callback>,
) -> Result<Response, AppError> {
    let jar = CookieJar::from_headers(&headers);
    let flow = jar
        .get(oidc::FLOW_COOKIE.of(&state))
        .map(|c| c.value().to_string());
    let back = oidc::return_path(flow.as_deref());
    let result = match (&q.code, &q.state, &q.error) {
        (Some(code), Some(st), None) => oidc::finish(&state, flow.as_deref(), st, code).await,
        (_, _, Some(err)) => Err(oidc::LoginError::Provider(err.clone())),
        _ => Err(oidc::LoginError::NoCode),
    };
    let clear = oidc::clear_flow_cookie(&state);
    let bsn = match result {
        Ok(bsn) => bsn,
        Err(e) => {
            state.metrics.login("resident", "failed");
            tracing::warn!(error = %e, "resident login failed");
            let mut r = login_with_message(
                &state,
                &v,
                Some("resident-login-failed"),
                back.as_deref(),
                StatusCode::UNAUTHORIZED,
            )?;
            r.headers_mut().append(
                header::SET_COOKIE,
                clear.parse().map_err(AppError::internal)?,
            );
            return Ok(r);
        }
    };
    let Some(id) = state.store.resident_login(&bsn, state.now()).await? else {
        state.metrics.login("resident", "unknown");
        tracing::info!("resident login: no resident with this BSN");
        let mut r = login_with_message(
            &state,
            &v,
            Some("resident-not-found"),
            None,
            StatusCode::FORBIDDEN,
        )?;
        r.headers_mut().append(
            header::SET_COOKIE,
            clear.parse().map_err(AppError::internal)?,
        );
        return Ok(r);
    };
    state.metrics.login("resident", "ok");
    tracing::info!(resident_id = id.0, "resident logged in");
    let to = back.as_deref().unwrap_or("/mijn");
    let mut r = start_session(&state, &v, Subject::Resident(id), to).await?;
    r.headers_mut().append(
        header::SET_COOKIE,
        clear.parse().map_err(AppError::internal)?,
    );
    Ok(r)
}
