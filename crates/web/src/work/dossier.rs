//! The dossier's contacts and what helps the resident, on the resident
//! page: a contact recorded with begrijpen/willen/kunnen in a few clicks,
//! the course of each pillar over time, and the accommodations.

use super::notes::NoteState;
use crate::error::AppError;
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Value;
use wegwijs_domain::accommodation::{Accommodation, read_ticked};
use wegwijs_domain::bwk::{ContactRecord, ContactWay, Pillar, Reading, TypedContact};
use wegwijs_domain::person::format_date;
use wegwijs_domain::policy::Capability;
use wegwijs_domain::{Actor, ResidentId};
use wegwijs_store::StoreError;

/// The contact form's fields (its inputs are "contact-<field>").
pub const CONTACT_FIELDS: [&str; 9] = [
    "datum",
    "contactvorm",
    "besproken",
    "begrijpen",
    "willen",
    "kunnen",
    "begrijpen-notitie",
    "willen-notitie",
    "kunnen-notitie",
];

/// Contacts, the pillars' course and what helps, for the template.
pub async fn dossier_view(
    state: &AppState,
    actor: &Actor,
    id: ResidentId,
    forms: &NoteState,
) -> Result<Value, AppError> {
    let now = state.now();
    let contacts: Vec<Value> = state
        .store
        .contacts_for(actor, id, now)
        .await?
        .iter()
        .map(|c| {
            let pillars: Vec<Value> = c
                .pillars
                .iter()
                .map(|(p, r, note)| context! { pillar => p.code(), reading => r.code(), note })
                .collect();
            context! { on => format_date(c.on), way => c.way.code(), summary => c.summary, by => c.by, pillars }
        })
        .collect();
    let noted = state.store.accommodations_for(actor, id, now).await?;
    let typed = if forms
        .errors
        .iter()
        .any(|e| CONTACT_FIELDS.contains(&e.field))
    {
        forms.contact.clone()
    } else {
        TypedContact {
            datum: format_date(state.today()),
            ..TypedContact::default()
        }
    };
    Ok(context! {
        contacts,
        typed => Value::from_serialize(&typed),
        invalid => forms.errors.iter().map(|e| e.field).collect::<Vec<_>>(),
        saved => forms.saved.clone(),
        ways => ContactWay::ALL.iter().map(|w| w.code()).collect::<Vec<_>>(),
        pillars => Pillar::ALL.iter().map(|p| p.code()).collect::<Vec<_>>(),
        readings => Reading::ALL.iter().map(|r| r.code()).collect::<Vec<_>>(),
        accommodations => Accommodation::ALL.iter().map(|a| context! { code => a.code(), on => noted.has(*a) }).collect::<Vec<_>>(),
        noted => noted.0.iter().map(|a| a.code()).collect::<Vec<_>>(),
    })
}

pub async fn add_contact(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Form(typed): Form<TypedContact>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::Worklist)?;
    let resident = ResidentId(id);
    let errors = match ContactRecord::validate(&typed, state.today()) {
        Ok(c) => match state
            .store
            .record_contact(&actor, resident, &c, state.now())
            .await
        {
            Ok(_) => {
                let to = format!("/werk/inwoner/{id}?gelukt=contact#contacten");
                return Ok(Redirect::to(&to).into_response());
            }
            Err(StoreError::Invalid(e)) => vec![e],
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    let forms = NoteState {
        contact: typed,
        errors,
        ..NoteState::default()
    };
    super::staff_resident_page(&state, &v, resident, None, None, forms).await
}

pub async fn set_accommodations(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::Worklist)?;
    let ticked: Vec<String> = fields
        .iter()
        .filter(|(k, _)| k == "aanpassing")
        .map(|(_, v)| v.clone())
        .collect();
    // Only the page's own boxes can be ticked: anything else is no form of ours.
    let noted = read_ticked(&ticked).map_err(|_| AppError::BadRequest)?;
    state
        .store
        .set_accommodations(&actor, ResidentId(id), &noted, state.now())
        .await?;
    let to = format!("/werk/inwoner/{id}?gelukt=aanpassingen#wat-helpt");
    Ok(Redirect::to(&to).into_response())
}
