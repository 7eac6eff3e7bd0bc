//! Drempels, the self-assessment: one's own run in four parts and its
//! result (`own`), team rounds with the session view and action points
//! (`team`), and the admin's editing of the instrument (`admin`).

mod admin;
mod own;
mod team;

use crate::routes::Routes;
use wegwijs_domain::policy::Capability;

pub fn routes() -> Routes {
    Routes::new()
        .page("/zelfscan", Capability::SelfAssessment, own::overview)
        .nav(Capability::SelfAssessment, "/zelfscan", "nav-selfscan", 70)
        .post("/zelfscan/beginnen", own::start)
        .once()
        .get("/zelfscan/invullen/{id}/{part}", own::part_form)
        .post("/zelfscan/invullen/{id}/{part}", own::save_part)
        .get("/zelfscan/controle/{id}", own::check)
        .post("/zelfscan/afronden/{id}", own::finish)
        .once()
        .get("/zelfscan/uitslag/{id}", own::result)
        .get("/zelfscan/uitslag/{id}/csv", own::result_csv)
        .page("/zelfscan/rondes", Capability::TeamRounds, team::rounds)
        .post("/zelfscan/rondes", team::open)
        .once()
        .nav(
            Capability::TeamRounds,
            "/zelfscan/rondes",
            "nav-selfscan-rounds",
            75,
        )
        .get("/zelfscan/ronde/{id}", team::round)
        .post("/zelfscan/ronde/{id}/sluiten", team::close)
        .once()
        .post("/zelfscan/ronde/{id}/actiepunten", team::add_action)
        .once()
        .get("/zelfscan/ronde/{id}/csv", team::round_csv)
        .post("/zelfscan/actiepunt/{id}", team::mark_action)
        .page(
            "/beheer/zelfscan",
            Capability::InstrumentAdmin,
            admin::overview,
        )
        .nav(
            Capability::InstrumentAdmin,
            "/beheer/zelfscan",
            "nav-selfscan-admin",
            55,
        )
        .get("/beheer/zelfscan/{section}", admin::section_form)
        .post("/beheer/zelfscan/{section}", admin::save_section)
}
