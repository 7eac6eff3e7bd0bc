//! Mijn overzicht: the resident's own page (`overview`: signals, leads with
//! the laws' explanation, open requests, messages) and their own data
//! (`own`: who looked at it, everything at once, the download).

mod overview;
mod own;

use crate::routes::Routes;
use wegwijs_domain::policy::Capability;

pub fn routes() -> Routes {
    Routes::new()
        .get("/mijn", overview::overview)
        .nav(Capability::ResidentPortal, "/mijn", "nav-portal", 100)
        .post("/mijn/regeling", overview::ask_about_lead)
        .get("/mijn/berichten", overview::messages)
        .nav(
            Capability::ResidentPortal,
            "/mijn/berichten",
            "nav-messages",
            120,
        )
        .get("/mijn/logboek", own::own_log)
        .get("/mijn/alles", own::all_details)
        .get("/mijn/gegevens.json", own::download)
}
