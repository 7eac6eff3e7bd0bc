//! Errors as pages that tell a person what to do next.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use wegwijs_store::StoreError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppError {
    /// Not logged in: go to the staff or the resident login.
    LoginNeeded {
        resident: bool,
    },
    Forbidden,
    NotFound,
    /// The form's CSRF token is missing or wrong (often: an old tab).
    Csrf,
    BadRequest,
    /// The demo login was asked for outside demo mode.
    DemoOff,
    /// The request body is larger than the form or upload may be.
    TooLarge,
    /// A page asked for in a way it does not take (a form's address
    /// opened again, reloaded after a refused form).
    WrongMethod,
    /// Something the page needs is not set up (e.g. no team picks up
    /// questions yet); the resident is told to call instead.
    Unavailable,
    /// A form that creates something was sent again: the first post
    /// showed a page (not a place to send the second to), or still runs.
    AlreadySent {
        running: bool,
    },
    /// Too many passwords are being checked at once (a flood of logins):
    /// try again shortly.
    Busy,
    /// The database does not answer (down, restarting, unreachable): try
    /// again in a few minutes; nothing sent is lost.
    DatabaseDown,
    /// Someone else changed the same thing first; nothing was saved.
    Changed,
    /// Our fault; the reference ties the page to the log line.
    Internal {
        reference: String,
    },
}

impl AppError {
    /// Logs the cause with a short reference and returns the error that
    /// shows that reference. Causes carry no personal data (store errors
    /// name fields, never values).
    pub fn internal(cause: impl std::fmt::Display) -> AppError {
        let reference = crate::tokens::new_token()[..8].to_string();
        tracing::error!(%reference, error = %cause, "internal error");
        AppError::Internal { reference }
    }

    pub(crate) fn status(&self) -> StatusCode {
        match self {
            AppError::LoginNeeded { .. } => StatusCode::SEE_OTHER,
            AppError::Forbidden | AppError::Csrf | AppError::DemoOff => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest => StatusCode::BAD_REQUEST,
            AppError::Unavailable | AppError::Busy | AppError::DatabaseDown => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::WrongMethod => StatusCode::METHOD_NOT_ALLOWED,
            AppError::AlreadySent { .. } | AppError::Changed => StatusCode::CONFLICT,
            AppError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub(crate) fn keys(&self) -> (&'static str, &'static str) {
        match self {
            AppError::Forbidden | AppError::LoginNeeded { .. } => {
                ("error-title-403", "error-text-403")
            }
            AppError::NotFound => ("error-title-404", "error-text-404"),
            AppError::Csrf => ("error-title-csrf", "error-text-csrf"),
            AppError::BadRequest => ("error-title-bad-request", "error-text-bad-request"),
            AppError::DemoOff => ("error-title-demo-off", "error-text-demo-off"),
            AppError::Unavailable => ("error-title-503", "error-text-503"),
            AppError::Busy => ("error-title-busy", "error-text-busy"),
            AppError::DatabaseDown => ("error-title-down", "error-text-down"),
            AppError::TooLarge => ("error-title-413", "error-text-413"),
            AppError::WrongMethod => ("error-title-405", "error-text-405"),
            AppError::AlreadySent { running: false } => ("error-title-sent", "error-text-sent"),
            AppError::AlreadySent { running: true } => {
                ("error-title-running", "error-text-running")
            }
            AppError::Changed => ("error-title-changed", "error-text-changed"),
            AppError::Internal { .. } => ("error-title-500", "error-text-500"),
        }
    }
}

/// When to try again after [`AppError::Busy`], in seconds.
pub(crate) const BUSY_RETRY_SECS: &str = "30";

impl From<crate::auth::Busy> for AppError {
    fn from(_: crate::auth::Busy) -> AppError {
        AppError::Busy
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            // Data the store refuses (logged there) is, for this visitor,
            // not there: the same answer whether the id exists or not, so
            // that ids of others' residents and items cannot be probed.
            // (What a role may not use at all is `Forbidden`, decided
            // before the store is asked.)
            StoreError::Denied(_) => AppError::NotFound,
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(_) => AppError::Changed,
            e if e.is_unavailable() => {
                tracing::warn!(error = %e, "the database does not answer");
                AppError::DatabaseDown
            }
            other => AppError::internal(other),
        }
    }
}

/// Handlers return this; `render::render_errors` turns it into a page, since only
/// a layer can see the visitor and the templates.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::LoginNeeded { resident } => {
                let mut r = Redirect::to(if resident {
                    "/inwoner/inloggen"
                } else {
                    "/inloggen"
                })
                .into_response();
                // So that the page layer can add where to come back to.
                r.extensions_mut().insert(self);
                r
            }
            other => {
                let mut r = other.status().into_response();
                if matches!(other, AppError::Busy | AppError::DatabaseDown) {
                    r.headers_mut().insert(
                        axum::http::header::RETRY_AFTER,
                        axum::http::HeaderValue::from_static(BUSY_RETRY_SECS),
                    );
                }
                r.extensions_mut().insert(other);
                r
            }
        }
    }
}
