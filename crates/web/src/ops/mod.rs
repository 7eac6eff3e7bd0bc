//! Health, readiness, metrics (and the layer that counts requests), the
//! stylesheet and script, and security headers.

use crate::assets;
use crate::metrics::{RequestLabels, RouteLabels};
use crate::routes::Routes;
use crate::state::AppState;
use axum::extract::{MatchedPath, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// Health, metrics and static files: outside the session layer, so that a
/// probe or a stylesheet makes no session or cookie and a slow database
/// does not hold up "alive".
pub fn bare_routes() -> Routes {
    Routes::bare()
        .get("/healthz", healthz)
        .get("/readyz", readyz)
        .get("/metrics", metrics_with_token)
        .get("/static/{file}", asset)
        .get("/favicon.ico", favicon)
}

/// Browsers ask for /favicon.ico where a page names no icon (a PDF, an
/// error from a proxy): the one icon, by its versioned link.
pub async fn favicon() -> Redirect {
    Redirect::temporary(&assets::href("favicon.svg"))
}

/// Alive: the process answers.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Ready: the database answers too. Load balancers send traffic only then.
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// `/metrics` on the app's own address: only with the configured token;
/// otherwise not found, as if it were not there.
pub async fn metrics_with_token(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Response {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "));
    let fits = match (&state.config.metrics_token, given) {
        (Some(token), Some(given)) => {
            // Compared as digests: the time taken tells nothing of the token.
            crate::tokens::token_hash(token) == crate::tokens::token_hash(given)
        }
        _ => false,
    };
    if fits {
        metrics(State(state)).await
    } else {
        StatusCode::NOT_FOUND.into_response()
    }
}

/// The metrics, for the separate metrics address (no token asked there).
pub async fn metrics(State(state): State<AppState>) -> Response {
    let mut out = String::new();
    match prometheus_client::encoding::text::encode(&mut out, &state.metrics.registry) {
        Ok(()) => (
            [(
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            out,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[derive(serde::Deserialize)]
pub struct AssetQuery {
    v: Option<String>,
}

/// A static file. Linked with its version (see `assets`) it may be kept
/// for a year; without, or with an old version, for five minutes. Its
/// version is its ETag, so a browser asking again gets a 304.
pub async fn asset(
    Path(file): Path<String>,
    Query(q): Query<AssetQuery>,
    headers: HeaderMap,
) -> Response {
    let Some((asset, version)) = assets::find(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!("\"{version}\"");
    let cache = if q.v.as_deref() == Some(version) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| h.split(',').any(|t| t.trim() == etag));
    let head = [
        (header::CONTENT_TYPE, asset.mime.to_string()),
        (header::CACHE_CONTROL, cache.to_string()),
        (header::ETAG, etag.clone()),
    ];
    if unchanged {
        return (StatusCode::NOT_MODIFIED, head).into_response();
    }
    (head, asset.body).into_response()
}

/// Scripts and requests only from this site (never inline), no framing, no
/// referrer leaks to other sites, and no caching of pages (they may hold
/// personal data). Every page works without its script.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut r = next.run(req).await;
    let h = r.headers_mut();
    // Reached over https: browsers come back only over https for a year.
    if state.config.secure_cookies() {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    let set = |h: &mut axum::http::HeaderMap, name, value: &'static str| {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::REFERRER_POLICY, "same-origin");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::CACHE_CONTROL, "no-store");
    set(
        h,
        header::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=()",
    );
    r
}

/// Counts every request by route pattern and status, and times it.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "other".into());
    let response = next.run(req).await;
    let status = response.status().as_u16();
    state
        .metrics
        .requests
        .get_or_create(&RequestLabels {
            method,
            route: route.clone(),
            status,
        })
        .inc();
    state
        .metrics
        .durations
        .get_or_create(&RouteLabels { route })
        .observe(started.elapsed().as_secs_f64());
    response
}
