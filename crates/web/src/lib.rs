//! The Wegwijs web app: server-rendered pages that work without JavaScript.
//! The only crate that knows HTTP. Access decisions come from
//! `wegwijs_domain::policy`; personal data comes from the store's audited
//! functions.

mod admin;
mod appointments;
mod auth;
mod consents;
mod demo_digid;
mod error;
mod export;
mod feedback;
mod geldcheck;
mod help;
pub mod i18n;
mod metrics;
mod oidc;
mod ops;
mod pages;
mod partner_api;
mod portal;
mod preparation;
mod privacy;
mod render;
mod resident;
mod routing;
mod schrijfhulp;
mod selfscan;
mod selfscan_admin;
mod selfscan_team;
mod signal_admin;
mod signals;
mod state;
mod visitor;

pub use auth::{hash_password, hash_password_async};
pub use state::{AppState, Explainer, OidcConfig, SharedExplainer, WebConfig};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};

/// The whole app. Layers run outside in: metrics, security headers, the
/// visitor (session, language, CSRF), error pages, then the route.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::home))
        .route("/inloggen", get(auth::login_form).post(auth::login))
        .route("/uitloggen", post(auth::logout))
        .route("/sessie/verlengen", post(auth::stay))
        .route("/taal/{lang}", get(pages::set_language))
        .route("/werk", get(pages::worklist))
        .route("/werk/inwoner/{id}", get(pages::resident_for_staff))
        .route("/team", get(pages::team))
        .route("/signalen", get(signals::worklist))
        .route("/signalen/export", get(signals::export))
        .route("/signalen/zaak/{id}", get(signals::case))
        .route("/signalen/zaak/{id}/contact", post(signals::record_attempt))
        .route("/signalen/zaak/{id}/afsluiten", post(signals::close_case))
        .route("/signalen/wachtrij", get(signals::queue))
        .route("/signalen/wachtrij/{id}", get(signals::queued))
        .route("/signalen/wachtrij/{id}/koppelen", post(signals::link))
        .route("/signalen/wachtrij/{id}/terzijde", post(signals::set_aside))
        .route(
            "/beheer/signalen",
            get(signal_admin::settings).post(signal_admin::save_settings),
        )
        .route("/beheer/signalen/tokens", post(signal_admin::create_token))
        .route(
            "/beheer/signalen/tokens/{id}/intrekken",
            post(signal_admin::revoke_token),
        )
        .route(
            "/beheer/signalen/quarantaine",
            get(signal_admin::quarantine),
        )
        .route(
            "/beheer/signalen/quarantaine/{id}",
            get(signal_admin::quarantined).post(signal_admin::retry),
        )
        .route(
            "/beheer/signalen/quarantaine/{id}/verwijderen",
            post(signal_admin::discard),
        )
        .route(
            "/beheer/gebruikers",
            get(admin::users).post(admin::create_user),
        )
        .route("/beheer/gebruikers/{id}/status", post(admin::set_status))
        .route(
            "/beheer/gebruikers/{id}/wachtwoord",
            get(admin::password_form).post(admin::set_password),
        )
        .route(
            "/schrijfhulp",
            get(schrijfhulp::form).post(schrijfhulp::check),
        )
        .route("/schrijfhulp/resultaat", post(schrijfhulp::results))
        .route("/privacy/logboek", get(privacy::audit_log))
        .route("/privacy/logboek/controleren", post(privacy::verify))
        .route("/mijn", get(portal::overview))
        .route("/mijn/regeling", post(portal::ask_about_lead))
        .route("/mijn/berichten", get(portal::messages))
        .route("/mijn/hulp", get(help::form).post(help::ask))
        .route("/mijn/vraag/{id}", get(help::request_page))
        .route(
            "/mijn/afspraak",
            get(appointments::start).post(appointments::book),
        )
        .route("/mijn/afspraak/{id}", get(appointments::show))
        .route(
            "/mijn/afspraak/{id}/verzetten",
            get(appointments::move_page).post(appointments::move_to),
        )
        .route("/mijn/afspraak/{id}/afzeggen", post(appointments::cancel))
        .route("/mijn/post", get(appointments::demo_mail))
        .route("/mijn/afspraak/{id}/voorbereiden", get(preparation::start))
        .route(
            "/mijn/afspraak/{id}/voorbereiden/{step}",
            get(preparation::show)
                .post(preparation::answer)
                .layer(DefaultBodyLimit::max(visitor::UPLOAD_BODY_BYTES)),
        )
        .route("/mijn/brief/{id}", get(preparation::letter))
        .route(
            "/mijn/brief/{id}/verwijderen",
            post(preparation::remove_letter),
        )
        .route("/werk/brief/{id}", get(preparation::letter))
        .route(
            "/mijn/hoe-was-het/{kind}/{id}",
            get(feedback::form).post(feedback::give),
        )
        .route("/geldcheck", get(geldcheck::form).post(geldcheck::advise))
        .route("/zelfscan", get(selfscan::overview))
        .route("/zelfscan/beginnen", post(selfscan::start))
        .route(
            "/zelfscan/invullen/{id}/{part}",
            get(selfscan::part_form).post(selfscan::save_part),
        )
        .route("/zelfscan/controle/{id}", get(selfscan::check))
        .route("/zelfscan/afronden/{id}", post(selfscan::finish))
        .route("/zelfscan/uitslag/{id}", get(selfscan::result))
        .route("/zelfscan/uitslag/{id}/csv", get(selfscan::result_csv))
        .route(
            "/zelfscan/rondes",
            get(selfscan_team::rounds).post(selfscan_team::open),
        )
        .route("/zelfscan/ronde/{id}", get(selfscan_team::round))
        .route("/zelfscan/ronde/{id}/sluiten", post(selfscan_team::close))
        .route(
            "/zelfscan/ronde/{id}/actiepunten",
            post(selfscan_team::add_action),
        )
        .route("/zelfscan/ronde/{id}/csv", get(selfscan_team::round_csv))
        .route("/zelfscan/actiepunt/{id}", post(selfscan_team::mark_action))
        .route("/beheer/zelfscan", get(selfscan_admin::overview))
        .route(
            "/beheer/zelfscan/{section}",
            get(selfscan_admin::section_form).post(selfscan_admin::save_section),
        )
        .route("/geldcheck/sturen", post(geldcheck::send))
        .route("/werk/hulpvraag/{id}", post(help::answer))
        .route(
            "/beheer/hulp",
            get(routing::routes).post(routing::save_route),
        )
        .route("/beheer/hulp/spreekuur", post(routing::save_hours))
        .route("/mijn/logboek", get(resident::own_log))
        .route("/mijn/alles", get(resident::all_details))
        .route(
            "/mijn/toestemmingen",
            get(consents::show).post(consents::choose),
        )
        .route("/mijn/toestemmingen/pauze", post(consents::pause))
        .route("/mijn/gegevens.json", get(resident::download))
        .route("/inwoner/inloggen", get(resident::login_page))
        .route("/inwoner/inloggen/digid", get(resident::start_login))
        .route("/inwoner/terug", get(resident::callback))
        .route(
            "/demo-digid/.well-known/openid-configuration",
            get(demo_digid::discovery),
        )
        .route("/demo-digid/jwks", get(demo_digid::jwks))
        .route(
            "/demo-digid/authorize",
            get(demo_digid::authorize_form).post(demo_digid::authorize),
        )
        .route("/demo-digid/token", post(demo_digid::token))
        .route("/static/wegwijs.css", get(ops::stylesheet))
        .route("/static/schrijfhulp.js", get(schrijfhulp::script))
        .route("/static/sessie.js", get(ops::session_script))
        .fallback(pages::not_found)
        .layer(from_fn_with_state(state.clone(), error::render_errors))
        .layer(from_fn_with_state(state.clone(), visitor::load_visitor))
        .route(
            "/api/signalen",
            post(partner_api::deliver).layer(DefaultBodyLimit::max(partner_api::MAX_BODY)),
        )
        .route("/api/signalen/terugkoppeling", post(partner_api::feedback))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .layer(from_fn(ops::security_headers))
        .layer(from_fn_with_state(state.clone(), metrics::track))
        .with_state(state)
}
