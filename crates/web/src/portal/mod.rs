//! Mijn overzicht: the resident's own page (`overview`: signals, leads with
//! the laws' explanation, open requests, messages), saying a fact behind a
//! lead is wrong (`correction`), who looked at their data (`log`), and
//! their own data (`own`: everything at once, the download).

mod contact;
mod correction;
mod helps;
mod log;
mod overview;
mod own;

use crate::routes::Routes;
use wegwijs_domain::policy::Capability;

pub fn routes() -> Routes {
    Routes::new()
        .page("/mijn", Capability::ResidentPortal, overview::overview)
        .nav(Capability::ResidentPortal, "/mijn", "nav-portal", 100)
        .post("/mijn/regeling", overview::ask_about_lead)
        .once()
        .get("/mijn/regeling/{law}/klopt-niet", correction::form)
        .post("/mijn/regeling/{law}/klopt-niet", correction::send)
        .once()
        .page(
            "/mijn/berichten",
            Capability::ResidentPortal,
            overview::messages,
        )
        .nav(
            Capability::ResidentPortal,
            "/mijn/berichten",
            "nav-messages",
            120,
        )
        .page("/mijn/logboek", Capability::ResidentPortal, log::own_log)
        .page(
            "/mijn/wat-helpt",
            Capability::ResidentPortal,
            helps::what_helps,
        )
        .page("/mijn/contact", Capability::ResidentPortal, contact::form)
        .post("/mijn/contact", contact::save)
        .once()
        .page("/mijn/alles", Capability::ResidentPortal, own::all_details)
        .get("/mijn/gegevens.json", own::download)
}
