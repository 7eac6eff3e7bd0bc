//! The start page, language switch, and the caseworker's and team lead's
//! pages.

use crate::error::AppError;
use crate::render::page;
use crate::routes::Routes;
use crate::state::AppState;
use crate::views::resident_view;
use crate::visitor::Visitor;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use minijinja::value::Value;
use wegwijs_domain::help::RequestStatus;
use wegwijs_domain::policy::{Capability, FieldGroup};
use wegwijs_domain::{Money, Purpose, ResidentId};

mod actions;
mod dossier;
mod list;
mod notes;
pub(crate) use notes::NoteState;

pub fn routes() -> Routes {
    Routes::new()
        .page("/werk", Capability::Worklist, list::worklist)
        .nav(Capability::Worklist, "/werk", "nav-worklist", 10)
        .post("/werk/{id}/oppakken", actions::take)
        .post("/werk/{id}/toewijzen", actions::assign)
        .post("/werk/{id}/status", actions::stage)
        .post("/werk/{id}/afronden", actions::finish)
        .post("/werk/toewijzen", actions::assign_many)
        .get("/werk/inwoner/{id}", resident_for_staff)
        .post("/werk/inwoner/{id}/notitie", notes::add)
        .once()
        .post("/werk/inwoner/{id}/contact", dossier::add_contact)
        .once()
        .post(
            "/werk/inwoner/{id}/aanpassingen",
            dossier::set_accommodations,
        )
        .page("/team", Capability::TeamOverview, team)
        .nav(Capability::TeamOverview, "/team", "nav-team", 30)
}

#[derive(serde::Deserialize)]
pub struct Saved {
    gelukt: Option<String>,
    /// The request whose answer was saved: the notice stands beside it.
    vraag: Option<i64>,
    /// The note to correct: the note form says so and carries it.
    corrigeer: Option<i64>,
}

pub async fn resident_for_staff(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<Saved>,
) -> Result<Response, AppError> {
    let answered = q.vraag.filter(|_| q.gelukt.as_deref() == Some("antwoord"));
    let note = notes::NoteState {
        saved: q.gelukt.clone(),
        typed: notes::NoteTyped {
            corrigeert: q.corrigeer.map(|n| n.to_string()).unwrap_or_default(),
            ..Default::default()
        },
        ..Default::default()
    };
    staff_resident_page(&state, &v, ResidentId(id), None, answered, note).await
}

/// An answer to a request the caseworker must change: which request, what
/// was typed, and the message.
pub struct AnswerProblem {
    pub request: i64,
    pub status: String,
    pub note: String,
    /// "status" or "bericht": the input to mark.
    pub input: &'static str,
    pub error: Value,
}

/// The resident as a caseworker sees them: facts, leads, and the requests
/// the resident placed with the caseworker's organisation.
pub async fn staff_resident_page(
    state: &AppState,
    v: &Visitor,
    id: ResidentId,
    problem: Option<AnswerProblem>,
    answered: Option<i64>,
    note: notes::NoteState,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::Worklist)?;
    let now = state.now();
    let r = state
        .store
        .read_resident(&actor, id, Purpose::Casework, now)
        .await?;
    // Each part only where its field group is shown (the store's lists
    // are the organisation's own; this keeps them to need-to-know too).
    let shows = |g| r.access.shows(g);
    let leads: Vec<Value> = if shows(FieldGroup::Voorzieningen) {
        state.store.entitlement_leads(&actor, id, now).await?
    } else {
        Vec::new()
    }
    .iter()
    .map(|l| {
        context! {
            law_name => l.law_name,
            amount => l.cents_per_year.map(|c| Money::from_cents(c).to_string()),
            known_unknown => l.voorziening.is_none(),
            found_on => l.found_on,
        }
    })
    .collect();
    let own_contact = shows(FieldGroup::HulpvragenAfspraken);
    let requests: Vec<Value> = if own_contact {
        state.store.org_requests_for(&actor, id, now).await?
    } else {
        Vec::new()
    }
    .iter()
    .map(|q| {
        let typed = problem.as_ref().filter(|p| p.request == q.id);
        context! {
            typed_status => typed.map(|p| p.status.clone()),
            typed_note => typed.map(|p| p.note.clone()),
            invalid => typed.map(|p| p.input),
            ..crate::views::request_view(state, v.lang, q)
        }
    })
    .collect();
    let mut appointments: Vec<Value> = Vec::new();
    let booked = if own_contact {
        state.store.org_appointments_for(&actor, id, now).await?
    } else {
        Vec::new()
    };
    for a in booked {
        let prepared = state
            .store
            .org_preparation(&actor, id, a.id, now)
            .await?
            .map(|p| crate::views::preparation_view(&p));
        appointments.push(context! {
            prepared,
            how => crate::views::how_for_staff(state, v.lang, &a),
            ..crate::views::appointment_view(state, v.lang, &a)
        });
    }
    let reach = if shows(FieldGroup::Contact) {
        state.store.contact_details(&actor, id, now).await?
    } else {
        None
    }
    .map(|d| crate::views::reach_view(&d));
    let signal_case = if shows(FieldGroup::Betalingsachterstanden) {
        state.store.open_case_of(&actor, id).await?
    } else {
        None
    };
    let (notes, dossier) = if shows(FieldGroup::Dossier) {
        (
            Some(notes::notes_view(state, &actor, id, &note).await?),
            Some(dossier::dossier_view(state, &actor, id, &note).await?),
        )
    } else {
        (None, None)
    };
    let statuses: Vec<&str> = RequestStatus::ALL.iter().map(|s| s.code()).collect();
    let status = if problem.is_some() || !note.errors.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut response = page(
        state,
        v,
        "resident.html",
        context! {
            r => resident_view(&r, state.clock.as_ref()), leads, requests, statuses, appointments,
            note_max => wegwijs_domain::help::OWN_WORDS_MAX,
            form_errors => problem.map(|p| vec![p.error]).unwrap_or_default().into_iter().chain(notes::messages(state, v, &note)).collect::<Vec<_>>(),
            title_key => "resident-title", portal => false, answered, notes, dossier, resident_id => id.0, signal_case, reach,
        },
    )?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn team(State(state): State<AppState>, v: Visitor) -> Result<Response, AppError> {
    let actor = v.require(Capability::TeamOverview)?;
    let f = state.store.team_figures(&actor, state.today()).await?;
    let feedback = state.store.team_feedback(&actor).await?;
    let average = feedback
        .average_tenths
        .map(|t| format!("{},{}", t / 10, t % 10));
    // Each figure links to the list that counts it (the same filter).
    let link = |filter: &[(&str, &str)]| {
        let mut all = vec![("wie", "alles")];
        all.extend_from_slice(filter);
        format!(
            "/werk?{}",
            serde_urlencoded::to_string(&all).unwrap_or_default()
        )
    };
    let by_kind: Vec<Value> = f
        .by_kind
        .iter()
        .map(|(k, n)| context! { kind => k.code(), n, href => link(&[("soort", k.code())]) })
        .collect();
    let by_stage: Vec<Value> = f
        .by_stage
        .iter()
        .map(|(s, n)| context! { stage => s.code(), n, href => link(&[("status", s.code())]) })
        .collect();
    let by_person: Vec<Value> = f
        .by_person
        .iter()
        .map(|(id, name, n)| {
            let who = wegwijs_domain::work::Who::Person(*id).code();
            context! { name, n, href => format!("/werk?wie={who}") }
        })
        .collect();
    let by_team: Vec<Value> = f
        .by_team
        .iter()
        .map(|(id, name, n)| {
            let who = match id {
                Some(t) => wegwijs_domain::work::Who::Team(*t),
                None => wegwijs_domain::work::Who::NoTeam,
            };
            context! { name, none => id.is_none(), n, href => format!("/werk?wie={}", who.code()) }
        })
        .collect();
    page(
        &state,
        &v,
        "team.html",
        context! {
            by_kind, by_stage, by_person, by_team,
            overdue => f.overdue, overdue_href => link(&[("te_laat", "ja")]),
            residents => f.residents_with_open_work, closed => f.closed_total,
            feedback, average, min_answers => wegwijs_store::feedback::MIN_ANSWERS,
        },
    )
}
