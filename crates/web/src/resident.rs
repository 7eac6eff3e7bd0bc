//! The resident's side: login with DigiD, and their own data.

use crate::auth::start_session;
use crate::error::AppError;
use crate::oidc;
use crate::pages::resident_view;
use crate::render::page;
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use minijinja::context;
use wegwijs_domain::Purpose;
use wegwijs_store::inzage::{ViewedBy, Viewing};
use wegwijs_store::sessions::Subject;

/// "Wie heeft mijn gegevens bekeken": the resident's own extract of the
/// audit log, by organisation and role, never by name.
pub async fn own_log(State(state): State<AppState>, v: Visitor) -> Result<Response, AppError> {
    let me = v.resident()?;
    let (lines, count) = own_log_lines(&state, &v, me).await?;
    let limit = wegwijs_store::inzage::LIMIT;
    let cut_off = count as i64 >= limit;
    page(
        &state,
        &v,
        "resident_log.html",
        context! { lines, cut_off, limit },
    )
}

/// Everything Wegwijs has about the resident on one readable page, made
/// to be printed or saved as PDF (AVG inzage).
pub async fn all_details(State(state): State<AppState>, v: Visitor) -> Result<Response, AppError> {
    let me = v.resident()?;
    let actor = wegwijs_domain::Actor::Resident(me);
    let now = state.now();
    let r = state
        .store
        .read_resident(&actor, me, Purpose::OwnView, now)
        .await?;
    let consents = state
        .store
        .own_consents(&actor, me, state.today(), now)
        .await?;
    let (lines, _) = own_log_lines(&state, &v, me).await?;
    let requests: Vec<minijinja::Value> = state
        .store
        .own_requests(&actor, me, now)
        .await?
        .iter()
        .map(crate::help::request_view)
        .collect();
    let appointments: Vec<minijinja::Value> = state
        .store
        .own_appointments(&actor, me, now)
        .await?
        .iter()
        .map(|a| crate::appointments::appointment_view(&state, v.lang, a))
        .collect();
    let messages = state.store.own_messages(&actor, me, now).await?;
    let ctx = context! {
        requests,
        appointments,
        messages => messages.iter().map(minijinja::Value::from_serialize).collect::<Vec<_>>(),
        r => resident_view(&r, state.clock.as_ref()),
        groups => crate::consents::groups(&consents),
        paused_until => consents.paused_until.map(wegwijs_domain::person::format_date),
        lines,
        made_on => crate::render::format_moment(now),
    };
    page(&state, &v, "resident_all.html", ctx)
}

/// Everything Wegwijs has about the resident, as a JSON file (AVG inzage).
pub async fn download(State(state): State<AppState>, v: Visitor) -> Result<Response, AppError> {
    let me = v.resident()?;
    let actor = wegwijs_domain::Actor::Resident(me);
    let r = state
        .store
        .read_resident(&actor, me, Purpose::OwnView, state.now())
        .await?;
    let log = state
        .store
        .own_audit_extract(&actor, me, state.now())
        .await?;
    let consents = state
        .store
        .own_consents(&actor, me, state.today(), state.now())
        .await?;
    let now = state.now();
    let body = serde_json::json!({
        "gegevens": resident_view(&r, state.clock.as_ref()),
        "toestemmingen": consents,
        "vragen": state.store.own_requests(&actor, me, now).await?,
        "afspraken": state.store.own_appointments(&actor, me, now).await?,
        "berichten": state.store.own_messages(&actor, me, now).await?,
        "email_en_sms": state.store.own_mail(&actor, me, now).await?,
        "voorbereidingen": state
            .store
            .own_preparations(&actor, me, now)
            .await?
            .iter()
            .map(|(appointment, p)| serde_json::json!({
                "afspraak": appointment,
                "antwoorden": p.answers,
                "gestuurd_op": p.sent_at,
                "brieven": p.uploads,
            }))
            .collect::<Vec<_>>(),
        "logboek": log,
    });
    let json = serde_json::to_string_pretty(&body).map_err(AppError::internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"mijn-gegevens.json\"",
            ),
        ],
        json,
    )
        .into_response())
}

/// The resident's log extract as lines in words, and how many there are.
async fn own_log_lines(
    state: &AppState,
    v: &Visitor,
    me: wegwijs_domain::ResidentId,
) -> Result<(Vec<minijinja::Value>, usize), AppError> {
    let extract = state
        .store
        .own_audit_extract(&wegwijs_domain::Actor::Resident(me), me, state.now())
        .await?;
    let lines = extract.iter().map(|e| log_line(state, v.lang, e)).collect();
    Ok((lines, extract.len()))
}

/// One line of the extract in words: when, who, what, why.
fn log_line(state: &AppState, lang: crate::i18n::Lang, e: &Viewing) -> minijinja::Value {
    let t = |key: &str| state.i18n.t(lang, key, &[]);
    let or_other = |prefix: &str, code: &str| {
        let key = format!("{prefix}-{code}");
        if state.i18n.has(lang, &key) {
            t(&key)
        } else {
            t(&format!("{prefix}-anders"))
        }
    };
    let who = match &e.by {
        ViewedBy::Staff { organisation, role } => {
            let role = or_other("log-role", role);
            state.i18n.t(
                lang,
                "log-who-staff",
                &[("org", organisation.as_str().into()), ("role", role.into())],
            )
        }
        ViewedBy::Resident => t("log-who-you"),
        ViewedBy::Household => t("log-who-household"),
        ViewedBy::System => t("log-who-system"),
    };
    context! {
        at => crate::render::format_moment(e.at),
        who,
        what => or_other("log-action", &e.action),
        why => or_other("log-purpose", &e.purpose),
        allowed => e.allowed,
    }
}

fn login_with_message(
    state: &AppState,
    v: &Visitor,
    key: Option<&str>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let form_errors: Vec<_> = key
        .map(|k| context! { message => state.i18n.t(v.lang, k, &[]) })
        .into_iter()
        .collect();
    let mut r = page(state, v, "resident_login.html", context! { form_errors })?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn login_page(State(state): State<AppState>, v: Visitor) -> Result<Response, AppError> {
    if let Some(wegwijs_domain::Actor::Resident(_)) = v.actor() {
        return Ok(Redirect::to("/mijn").into_response());
    }
    login_with_message(&state, &v, None, StatusCode::OK)
}

pub async fn start_login(State(state): State<AppState>, v: Visitor) -> Result<Response, AppError> {
    if !oidc::has_provider(&state) {
        tracing::warn!("resident login asked for, but no OIDC provider is configured");
        return login_with_message(
            &state,
            &v,
            Some("resident-login-failed"),
            StatusCode::SERVICE_UNAVAILABLE,
        );
    }
    match oidc::start(&state).await {
        Ok(r) => Ok(r),
        Err(e) => {
            tracing::warn!(error = %e, "resident login could not start");
            login_with_message(
                &state,
                &v,
                Some("resident-login-failed"),
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
    let flow = jar.get(oidc::FLOW_COOKIE).map(|c| c.value().to_string());
    let result = match (&q.code, &q.state, &q.error) {
        (Some(code), Some(st), None) => oidc::finish(&state, flow.as_deref(), st, code).await,
        (_, _, Some(err)) => Err(format!("provider returned error {err:?}")),
        _ => Err("callback without code or state".to_string()),
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
    let mut r = start_session(&state, &v, Subject::Resident(id), "/mijn").await?;
    r.headers_mut().append(
        header::SET_COOKIE,
        clear.parse().map_err(AppError::internal)?,
    );
    Ok(r)
}
