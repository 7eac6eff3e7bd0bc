//! The access matrix's rows for the resident's portal and what serves it
//! (requests, appointments, letters, the routing table, the Geldcheck):
//! each tried with the resident's own ids and the other resident's.

use crate::access::{DONE, LOGIN, Row};
use crate::harness::TestApp;

pub(crate) fn rows(app: &TestApp) -> Vec<Row> {
    let (vraag_a, vraag_b) = (app.request_a, app.request_b);
    let (afspraak_a, afspraak_b) = (app.appointment_a, app.appointment_b);
    let (brief_a, brief_b) = (app.letter_a, app.letter_b);
    vec![
        (
            "/mijn",
            "GET",
            "/mijn".into(),
            [LOGIN, 403, 403, 403, 403, 200, 403, 403],
        ),
        (
            "/mijn/regeling",
            "POST",
            "/mijn/regeling".into(),
            [LOGIN, 403, 403, 403, 403, 422, 403, 403],
        ),
        (
            "/mijn/berichten",
            "GET",
            "/mijn/berichten".into(),
            [LOGIN, 403, 403, 403, 403, 200, 403, 403],
        ),
        (
            "/mijn/hulp",
            "GET",
            "/mijn/hulp".into(),
            [LOGIN, 403, 403, 403, 403, 200, 403, 403],
        ),
        (
            "/mijn/hulp",
            "POST",
            "/mijn/hulp".into(),
            [LOGIN, 403, 403, 403, 403, 422, 403, 403],
        ),
        // Contact details with nothing filled in: the fields named.
        (
            "/mijn/contact",
            "POST",
            "/mijn/contact".into(),
            [LOGIN, 403, 403, 403, 403, 422, 403, 403],
        ),
        (
            "/mijn/vraag/{id}",
            "GET",
            format!("/mijn/vraag/{vraag_a}"),
            [LOGIN, 403, 403, 403, 403, 200, 403, 403],
        ),
        (
            "/mijn/vraag/{id}",
            "GET",
            format!("/mijn/vraag/{vraag_b}"),
            [LOGIN, 403, 403, 403, 403, 404, 403, 403],
        ),
        (
            "/werk/hulpvraag/{id}",
            "POST",
            format!("/werk/hulpvraag/{vraag_a}"),
            [LOGIN, DONE, DONE, 403, 403, 403, 404, 403],
        ),
        (
            "/werk/hulpvraag/{id}",
            "POST",
            format!("/werk/hulpvraag/{vraag_b}"),
            [LOGIN, 404, 404, 403, 403, 403, DONE, 403],
        ),
        (
            "/mijn/afspraak",
            "GET",
            "/mijn/afspraak".into(),
            [LOGIN, 403, 403, 403, 403, 200, 403, 403],
        ),
        (
            "/mijn/afspraak",
            "POST",
            "/mijn/afspraak".into(),
            [LOGIN, 403, 403, 403, 403, 422, 403, 403],
        ),
        (
            "/mijn/afspraak/{id}",
            "GET",
            format!("/mijn/afspraak/{afspraak_a}"),
            [LOGIN, 403, 403, 403, 403, 200, 403, 403],
        ),
        (
            "/mijn/afspraak/{id}",
            "GET",
            format!("/mijn/afspraak/{afspraak_b}"),
            [LOGIN, 403, 403, 403, 403, 404, 403, 403],
        ),
        (
            "/mijn/afspraak/{id}/verzetten",
            "GET",
            format!("/mijn/afspraak/{afspraak_a}/verzetten"),
            [LOGIN, 403, 403, 403, 403, 200, 403, 403],
        ),
        (
            "/mijn/afspraak/{id}/verzetten",
            "GET",
            format!("/mijn/afspraak/{afspraak_b}/verzetten"),
            [LOGIN, 403, 403, 403, 403, 404, 403, 403],
        ),
        (
            "/mijn/afspraak/{id}/verzetten",
            "POST",
            format!("/mijn/afspraak/{afspraak_a}/verzetten"),
            [LOGIN, 403, 403, 403, 403, 422, 403, 403],
        ),
        (
            "/mijn/afspraak/{id}/verzetten",
            "POST",
            format!("/mijn/afspraak/{afspraak_b}/verzetten"),
            [LOGIN, 403, 403, 403, 403, 404, 403, 403],
        ),
        (
            "/mijn/afspraak/{id}/afzeggen",
            "GET",
            format!("/mijn/afspraak/{afspraak_a}/afzeggen"),
            [LOGIN, 403, 403, 403, 403, 200, 403, 403],
        ),
        (
            "/mijn/afspraak/{id}/afzeggen",
            "GET",
            format!("/mijn/afspraak/{afspraak_b}/afzeggen"),
            [LOGIN, 403, 403, 403, 403, 404, 403, 403],
        ),
        (
            "/mijn/afspraak/{id}/afzeggen",
            "POST",
            format!("/mijn/afspraak/{afspraak_b}/afzeggen"),
            [LOGIN, 403, 403, 403, 403, 404, 403, 403],
        ),
        (
            "/mijn/afspraak/{id}/voorbereiden",
            "GET",
            format!("/mijn/afspraak/{afspraak_a}/voorbereiden"),
            [LOGIN, 403, 403, 403, 403, DONE, 403, 403],
        ),
        (
            "/mijn/afspraak/{id}/voorbereiden/{step}",
            "GET",
            format!("/mijn/afspraak/{afspraak_a}/voorbereiden/zorgen"),
            [LOGIN, 403, 403, 403, 403, 200, 403, 403],
        ),
        (
            "/mijn/afspraak/{id}/voorbereiden/{step}",
            "GET",
            format!("/mijn/afspraak/{afspraak_b}/voorbereiden/klaar"),
            [LOGIN, 403, 403, 403, 403, 404, 403, 403],
        ),
        (
            "/mijn/afspraak/{id}/voorbereiden/{step}",
            "POST",
            format!("/mijn/afspraak/{afspraak_a}/voorbereiden/mee"),
            [LOGIN, 403, 403, 403, 403, DONE, 403, 403],
        ),
        (
            "/mijn/afspraak/{id}/voorbereiden/{step}",
            "POST",
            format!("/mijn/afspraak/{afspraak_b}/voorbereiden/mee"),
            [LOGIN, 403, 403, 403, 403, 404, 403, 403],
        ),
        (
            "/mijn/brief/{id}",
            "GET",
            format!("/mijn/brief/{brief_a}"),
            [LOGIN, 403, 403, 403, 403, 200, 403, 403],
        ),
        (
            "/mijn/brief/{id}",
            "GET",
            format!("/mijn/brief/{brief_b}"),
            [LOGIN, 403, 403, 403, 403, 404, 403, 403],
        ),
        (
            "/mijn/brief/{id}/verwijderen",
            "POST",
            format!("/mijn/brief/{brief_b}/verwijderen"),
            [LOGIN, 403, 403, 403, 403, 404, 403, 403],
        ),
        (
            "/werk/brief/{id}",
            "GET",
            format!("/werk/brief/{brief_a}"),
            [LOGIN, 200, 200, 404, 404, 403, 404, 404],
        ),
        (
            "/werk/brief/{id}",
            "GET",
            format!("/werk/brief/{brief_b}"),
            [LOGIN, 404, 404, 404, 404, 403, 404, 404],
        ),
        (
            "/mijn/post",
            "GET",
            "/mijn/post".into(),
            [LOGIN, 403, 403, 403, 403, 200, 403, 403],
        ),
        (
            "/beheer/hulp/spreekuur",
            "POST",
            "/beheer/hulp/spreekuur".into(),
            [LOGIN, 403, 403, 403, 400, 403, 403, 400],
        ),
        (
            "/mijn/hoe-was-het/{kind}/{id}",
            "GET",
            format!("/mijn/hoe-was-het/hulpvraag/{vraag_b}"),
            [LOGIN, 403, 403, 403, 403, 404, 403, 403],
        ),
        (
            "/mijn/hoe-was-het/{kind}/{id}",
            "POST",
            format!("/mijn/hoe-was-het/hulpvraag/{vraag_b}"),
            [LOGIN, 403, 403, 403, 403, 404, 403, 403],
        ),
        (
            "/geldcheck",
            "GET",
            "/geldcheck".into(),
            [200, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "/geldcheck",
            "POST",
            "/geldcheck".into(),
            [200, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "/geldcheck/sturen",
            "POST",
            "/geldcheck/sturen".into(),
            // (no answers: back to the questions)
            [LOGIN, 403, 403, 403, 403, DONE, 403, 403],
        ),
        (
            "/mijn/regeling/{law}/klopt-niet",
            "GET",
            "/mijn/regeling/wet_op_de_zorgtoeslag/klopt-niet".into(),
            [LOGIN, 403, 403, 403, 403, 200, 403, 403],
        ),
        (
            "/mijn/regeling/{law}/klopt-niet",
            "POST",
            "/mijn/regeling/wet_op_de_zorgtoeslag/klopt-niet".into(),
            [LOGIN, 403, 403, 403, 403, 422, 403, 403],
        ),
        // Kept across the DigiD login: not for staff, who have no DigiD.
        (
            "/geldcheck/bewaren",
            "POST",
            "/geldcheck/bewaren".into(),
            // (no answers: back to the questions)
            [DONE, 403, 403, 403, 403, DONE, 403, 403],
        ),
        (
            "/geldcheck/versturen",
            "GET",
            "/geldcheck/versturen".into(),
            [LOGIN, 403, 403, 403, 403, 200, 403, 403],
        ),
        (
            "/beheer/hulp",
            "GET",
            "/beheer/hulp".into(),
            [LOGIN, 403, 403, 403, 200, 403, 403, 200],
        ),
        (
            "/beheer/hulp",
            "POST",
            "/beheer/hulp".into(),
            [LOGIN, 403, 403, 403, 400, 403, 403, 400],
        ),
        (
            "/mijn/logboek",
            "GET",
            "/mijn/logboek".into(),
            [LOGIN, 403, 403, 403, 403, 200, 403, 403],
        ),
        (
            "/mijn/alles",
            "GET",
            "/mijn/alles".into(),
            [LOGIN, 403, 403, 403, 403, 200, 403, 403],
        ),
        (
            "/mijn/toestemmingen",
            "GET",
            "/mijn/toestemmingen".into(),
            [LOGIN, 403, 403, 403, 403, 200, 403, 403],
        ),
        (
            "/mijn/toestemmingen",
            "POST",
            "/mijn/toestemmingen".into(),
            [LOGIN, 403, 403, 403, 403, 422, 403, 403],
        ),
        (
            "/mijn/toestemmingen/pauze",
            "POST",
            "/mijn/toestemmingen/pauze".into(),
            [LOGIN, 403, 403, 403, 403, 422, 403, 403],
        ),
        (
            "/mijn/gegevens.json",
            "GET",
            "/mijn/gegevens.json".into(),
            [LOGIN, 403, 403, 403, 403, 200, 403, 403],
        ),
    ]
}
