//! Forms that create something are sent once. Each carries a one-time
//! token (`macros.html`: `once_field()`); the first post claims it, and a
//! second post of the same form (a double click, the browser's "resend")
//! is shown where the first one led, instead of making a second request,
//! booking or message. A post whose input was refused releases its token,
//! so the corrected form can be sent.

use crate::error::AppError;
use crate::state::AppState;
use crate::visitor::{Visitor, is_local_path};
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use wegwijs_store::forms::Claim;

/// The form field that carries the token.
pub const FIELD: &str = "eenmalig";

/// A well-formed one-time token from a form (128 bits, hex).
#[derive(Clone, Debug)]
pub struct FormOnce(String);

impl FormOnce {
    pub fn parse(sent: String) -> Option<FormOnce> {
        (sent.len() == 32 && sent.bytes().all(|b| b.is_ascii_hexdigit())).then_some(FormOnce(sent))
    }
}

/// Whose token it is: the session's, or an anonymous visitor's CSRF
/// token's (hashed: both are secrets). Another visitor's token is never
/// theirs.
fn owner(v: &Visitor) -> String {
    match &v.token_hash {
        Some(session) => format!("s:{session}"),
        None => format!("a:{}", crate::tokens::token_hash(&v.csrf)),
    }
}

/// The layer, inside the visitor layer (which read the token from the
/// body and checked the CSRF token).
pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (Some(token), Some(v)) = (
        req.extensions().get::<FormOnce>().cloned(),
        req.extensions().get::<Visitor>().cloned(),
    ) else {
        return next.run(req).await;
    };
    let owner = owner(&v);
    let deadline = tokio::time::Instant::now() + state.config.form_wait;
    loop {
        let claim = match state.store.claim_form(&owner, &token.0, state.now()).await {
            Ok(c) => c,
            Err(e) => return AppError::internal(e).into_response(),
        };
        match claim {
            Claim::First => return first_post(&state, &owner, &token, req, next).await,
            Claim::Again {
                result: Some(to),
                finished: true,
            } => return Redirect::to(&to).into_response(),
            Claim::Again { finished, .. } => {
                // A double click: the first post is still running.
                if finished || tokio::time::Instant::now() >= deadline {
                    return AppError::AlreadySent { running: !finished }.into_response();
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
    }
}

/// Runs the first post and records where it led; a refusal (of the
/// input, of access, a login needed) releases the token.
async fn first_post(
    state: &AppState,
    owner: &str,
    token: &FormOnce,
    req: Request,
    next: Next,
) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    let done = (status.is_success() || status.is_redirection())
        && response.extensions().get::<AppError>().is_none();
    let outcome = if done {
        let to = response
            .headers()
            .get(header::LOCATION)
            .and_then(|l| l.to_str().ok())
            .filter(|l| is_local_path(l));
        state
            .store
            .finish_form(owner, &token.0, to, state.now())
            .await
    } else {
        state.store.release_form(owner, &token.0).await
    };
    if let Err(e) = outcome {
        // The post itself went through; only a resend is no longer caught.
        tracing::warn!(error = %e, "cannot record a form's one-time token");
    }
    response
}
