//! The API through which signal partners deliver signals and hear back.
//! Each partner authenticates with its own token (`Authorization: Bearer`),
//! made by the municipality's admin; no session, no cookies, no CSRF.
//!
//! `POST /api/signalen` takes a delivery in the intake format (CSV with
//! `Content-Type: text/csv`, or JSON) — all or nothing, unless
//! `?overslaan=ja` keeps bad rows in quarantine. `POST
//! /api/signalen/terugkoppeling` with `{"ID": [...]}` answers "opgepakt" or
//! "niet opgepakt" per signal the partner delivered, never why.

use crate::state::AppState;
use crate::tokens::token_hash;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use wegwijs_domain::signal::format::{self, Format, FormatError};
use wegwijs_domain::signal::{DeliveryCheck, Signal, SignalFields};
use wegwijs_domain::{Actor, ValidationError};
use wegwijs_store::signals::{PartnerKey, Quarantined, SignalSource, SourceKind};

/// Largest delivery in one post; bigger ones go in parts (or as a file).
pub const MAX_BODY: usize = 20 * 1024 * 1024;

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "fout": message }))).into_response()
}

async fn partner(state: &AppState, headers: &HeaderMap) -> Result<PartnerKey, Response> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let unauthorized = || {
        let mut r = error(
            StatusCode::UNAUTHORIZED,
            "Geen geldige token. Stuur de token die de gemeente u gaf mee als: Authorization: Bearer <token>.",
        );
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
        r
    };
    let token = token.ok_or_else(unauthorized)?;
    match state
        .store
        .partner_by_token(&token_hash(token), state.now())
        .await
    {
        Ok(Some(key)) => Ok(key),
        Ok(None) => Err(unauthorized()),
        Err(e) => Err(error(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!(
                "Er ging iets mis bij ons (ref {}). Probeer het later opnieuw.",
                reference(e)
            ),
        )),
    }
}

fn reference(e: impl std::fmt::Display) -> String {
    let reference = crate::tokens::new_token()[..8].to_string();
    tracing::error!(%reference, error = %e, "partner api error");
    reference
}

#[derive(serde::Deserialize)]
pub struct DeliveryQuery {
    overslaan: Option<String>,
}

/// One refused row, by line (CSV) or place in the list (JSON).
fn problem_json(pos: u64, e: &ValidationError) -> serde_json::Value {
    json!({ "regel": pos, "veld": e.field, "probleem": e.problem.code(), "uitleg": format!("{} {}", e.field, e.problem) })
}

pub async fn deliver(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<DeliveryQuery>,
    body: Bytes,
) -> Response {
    let key = match partner(&state, &headers).await {
        Ok(k) => k,
        Err(r) => return r,
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let format = if content_type.starts_with("text/csv") {
        Format::Csv
    } else if content_type.starts_with("application/json") {
        Format::Json
    } else {
        return error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Stuur de signalen als Content-Type: text/csv of application/json (zie docs/signalen.md).",
        );
    };
    let skip_invalid = q.overslaan.as_deref() == Some("ja");
    let today = state.today();
    let (mut good, mut bad, mut problems) = (Vec::new(), Vec::new(), Vec::new());
    let mut check = DeliveryCheck::new(today, Some(key.partner));
    let read =
        format::read::<_, FormatError>(format, &body[..], |pos, fields: SignalFields<'_>| {
            let errors: Vec<ValidationError> = match check.check(pos, &fields) {
                Ok(s) => {
                    good.push(s);
                    vec![]
                }
                Err(errors) => errors.into_iter().map(|(e, _)| e).collect(),
            };
            if !errors.is_empty() {
                problems.extend(errors.iter().map(|e| problem_json(pos, e)));
                bad.push(Quarantined {
                    line: pos,
                    fields: fields.0.iter().map(|s| s.to_string()).collect(),
                    problems: errors,
                });
            }
            Ok(())
        });
    if let Err(e) = read {
        return error(
            StatusCode::BAD_REQUEST,
            &format!("{e}; er is niets ontvangen."),
        );
    }
    if !problems.is_empty() && !skip_invalid {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({
                "ontvangen": 0,
                "fouten": problems,
                "uitleg": "Er is niets ontvangen. Verbeter deze regels en stuur alles opnieuw, of stuur met ?overslaan=ja om de goede regels te laten ontvangen."
            })),
        )
            .into_response();
    }
    match take_in(&state, &key, good, &bad).await {
        Ok(s) => (
            StatusCode::OK,
            Json(json!({
                "ontvangen": s.new,
                "al_ontvangen": s.known,
                "in_quarantaine": s.quarantined,
                "fouten": problems,
            })),
        )
            .into_response(),
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!(
                "Er ging iets mis bij ons (ref {}); er is niets ontvangen.",
                reference(e)
            ),
        ),
    }
}

async fn take_in(
    state: &AppState,
    key: &PartnerKey,
    good: Vec<Signal>,
    bad: &[Quarantined],
) -> Result<wegwijs_store::signals::SignalImportSummary, wegwijs_store::StoreError> {
    let actor = Actor::System("partner-api");
    let source = SignalSource {
        kind: SourceKind::Api,
        name: format!("token {}", key.token_id),
        sha256: None,
        token: Some(key.token_id),
        partner: None,
    };
    let mut import = state
        .store
        .begin_signal_import(
            &actor,
            key.org,
            &source,
            good.len(),
            state.now(),
            state.today(),
        )
        .await?;
    import.push(good).await?;
    import.quarantine(bad).await?;
    import.commit().await
}

#[derive(serde::Deserialize)]
pub struct FeedbackRequest {
    #[serde(rename = "ID")]
    ids: Vec<String>,
}

pub async fn feedback(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let key = match partner(&state, &headers).await {
        Ok(k) => k,
        Err(r) => return r,
    };
    let Ok(request) = serde_json::from_slice::<FeedbackRequest>(&body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "Stuur JSON als {\"ID\": [\"signaal-ID\", ...]}.",
        );
    };
    match state
        .store
        .partner_feedback(&key, &request.ids, state.now())
        .await
    {
        Ok(list) => {
            let signalen: Vec<serde_json::Value> = list
                .iter()
                .map(|(id, picked)| {
                    json!({ "ID": id, "status": if *picked { "opgepakt" } else { "niet opgepakt" } })
                })
                .collect();
            Json(json!({ "signalen": signalen })).into_response()
        }
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("Er ging iets mis bij ons (ref {}).", reference(e)),
        ),
    }
}
