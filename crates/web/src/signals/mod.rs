//! Vroegsignalering: the caseworker's signal worklist, a household's case
//! and the matching queue (`casework`), the admin's outreach plan,
//! retention, partner tokens and quarantine (`admin`), and the partners'
//! token-authenticated delivery and feedback (`partner_api`).

mod admin;
mod casework;
mod partner_api;
mod queue;

use crate::routes::Routes;
use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::post;
use wegwijs_domain::policy::Capability;

pub fn routes() -> Routes {
    Routes::new()
        .page("/signalen", Capability::Worklist, casework::worklist)
        .nav(Capability::Worklist, "/signalen", "nav-signals", 20)
        .get("/signalen/export", casework::export)
        .get("/signalen/zaak/{id}", casework::case)
        .post("/signalen/zaak/{id}/contact", casework::record_attempt)
        .once()
        .post("/signalen/zaak/{id}/afsluiten", casework::close_case)
        .once()
        .page("/signalen/wachtrij", Capability::Worklist, queue::queue)
        .get("/signalen/wachtrij/{id}", queue::queued)
        .post("/signalen/wachtrij/{id}/koppelen", queue::link)
        .once()
        .post("/signalen/wachtrij/{id}/terzijde", queue::set_aside)
        .once()
        .page("/beheer/signalen", Capability::SignalAdmin, admin::settings)
        .post("/beheer/signalen", admin::save_settings)
        .nav(
            Capability::SignalAdmin,
            "/beheer/signalen",
            "nav-signal-admin",
            45,
        )
        .post("/beheer/signalen/tokens", admin::create_token)
        .once()
        .post(
            "/beheer/signalen/tokens/{id}/intrekken",
            admin::revoke_token,
        )
        .page(
            "/beheer/signalen/quarantaine",
            Capability::SignalAdmin,
            admin::quarantine,
        )
        .get("/beheer/signalen/quarantaine/{id}", admin::quarantined)
        .post("/beheer/signalen/quarantaine/{id}", admin::retry)
        .once()
        .post(
            "/beheer/signalen/quarantaine/{id}/verwijderen",
            admin::discard,
        )
}

/// The partner API: outside the session and CSRF layer, since partners
/// authenticate with a token of their own.
pub fn partner_routes() -> Routes {
    Routes::bare()
        .method(
            "/api/signalen",
            Method::POST,
            post(partner_api::deliver).layer(DefaultBodyLimit::max(partner_api::MAX_BODY)),
        )
        .post("/api/signalen/terugkoppeling", partner_api::feedback)
}
