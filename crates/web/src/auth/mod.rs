//! Logging in and out: staff with a password (`staff`), residents with
//! DigiD through OpenID Connect (`resident`, `oidc`), and the built-in demo
//! DigiD provider (`demo_digid`, demo mode only).

mod demo_digid;
mod guard;
mod oidc;
mod password;
mod resident;
mod second_factor;
mod staff;

pub use guard::{Busy, ClientAddr, HashGate};
pub use staff::{hash_password, hash_password_async, hash_through_gate};

use crate::routes::Routes;
use axum::Extension;

pub fn routes() -> Routes {
    let staff = Routes::new()
        .get("/inloggen", staff::login_form)
        .post("/inloggen", staff::login)
        .get("/inloggen/stap", second_factor::step_form)
        .post("/inloggen/stap", second_factor::step)
        .get("/account/wachtwoord", password::form)
        .post("/account/wachtwoord", password::change)
        .post("/account/herstelcodes", password::renew_codes)
        .post("/uitloggen", staff::logout)
        .post("/sessie/verlengen", staff::stay)
        .get("/inwoner/inloggen", resident::login_page)
        .get("/inwoner/inloggen/digid", resident::start_login)
        .get(oidc::CALLBACK_PATH, resident::callback);
    let demo = Routes::new()
        .get(
            "/demo-digid/.well-known/openid-configuration",
            demo_digid::discovery,
        )
        .get("/demo-digid/jwks", demo_digid::jwks)
        .get("/demo-digid/authorize", demo_digid::authorize_form)
        .post("/demo-digid/authorize", demo_digid::authorize)
        .post("/demo-digid/token", demo_digid::token)
        .layer(Extension(demo_digid::DemoCodes::default()));
    staff.merge(demo)
}
