//! The Wegwijs web app: server-rendered pages that work without JavaScript.
//! The only crate that knows HTTP. Access decisions come from
//! `wegwijs_domain::policy`; personal data comes from the store's audited
//! functions.
//!
//! One folder per feature, each with its handlers, a `routes()` and its
//! templates beside it; below them the shared parts, layered so that none
//! imports one above it: `tokens`, `i18n`, `metrics`, `templates` (leaves)
//! → `state` → `error` → `visitor` → `once`, `render`, `views`, `export`.

mod assets;
mod error;
mod export;
pub mod i18n;
mod metrics;
mod once;
mod render;
pub mod routes;
mod state;
mod templates;
mod tokens;
mod views;
mod visitor;

mod admin;
mod appointments;
mod auth;
mod consents;
mod feedback;
mod geldcheck;
mod help;
mod home;
mod ops;
mod portal;
mod preparation;
mod privacy;
mod schrijfhulp;
mod selfscan;
mod signals;
mod work;

pub use auth::{hash_password, hash_password_async};
pub use state::{AppState, Explainer, OidcConfig, SharedExplainer, WebConfig};

use axum::middleware::from_fn_with_state;
use axum::{Extension, Router};
use routes::{NavEntry, RouteInfo, Routes};
use std::sync::Arc;
use tower_http::compression::CompressionLayer;

/// Every feature's routes, in menu-independent order.
fn features() -> Routes {
    home::routes()
        .merge(auth::routes())
        .merge(work::routes())
        .merge(signals::routes())
        .merge(admin::routes())
        .merge(privacy::routes())
        .merge(schrijfhulp::routes())
        .merge(portal::routes())
        .merge(help::routes())
        .merge(appointments::routes())
        .merge(preparation::routes())
        .merge(feedback::routes())
        .merge(geldcheck::routes())
        .merge(consents::routes())
        .merge(selfscan::routes())
}

/// Routes outside the session layer: they carry their own authentication
/// or none (health, metrics, the partner API).
fn bare() -> Routes {
    ops::bare_routes().merge(signals::partner_routes())
}

/// Every method and path the app serves, from the same lists the router is
/// built from (for the access-matrix test and the browser walk).
pub fn route_list() -> Vec<RouteInfo> {
    let mut all = features().list().to_vec();
    all.extend_from_slice(bare().list());
    all
}

/// The menu, in order; each entry shown when the policy allows it.
pub fn menu() -> Vec<NavEntry> {
    features().menu()
}

/// Only `/metrics`, for a separate listen address that only the scraper
/// reaches (`metrics_listen`).
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", axum::routing::get(ops::metrics))
        .with_state(state)
}

/// The whole app. Layers run outside in: metrics, compression, security
/// headers, error pages, the visitor (session, language, CSRF), forms sent
/// once, then the route.
pub fn router(state: AppState) -> Router {
    let features = features();
    let menu: Arc<[NavEntry]> = features.menu().into();
    features
        .into_router()
        .fallback(home::not_found)
        .layer(from_fn_with_state(state.clone(), once::guard))
        .layer(from_fn_with_state(state.clone(), visitor::load_visitor))
        .layer(Extension(menu))
        .layer(from_fn_with_state(state.clone(), render::render_errors))
        .merge(bare().into_router())
        .layer(from_fn_with_state(state.clone(), ops::security_headers))
        // gzip or brotli, as the browser accepts; tokens in pages are
        // masked per response (`tokens::mask`), so compression gives no
        // BREACH-style way to guess them. At level 4, not the default:
        // brotli's default (11) made a compressed worklist cost more than
        // rendering it (1,660 views a second against 2,620 uncompressed),
        // for 2% fewer bytes than level 4.
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .br(true)
                .quality(tower_http::CompressionLevel::Precise(4)),
        )
        .layer(from_fn_with_state(state.clone(), ops::track))
        .with_state(state)
}
