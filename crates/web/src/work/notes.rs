//! The case file's notes on the resident page: the journal, newest first,
//! what corrects what, and the form to write one (or a correction).

use crate::error::AppError;
use crate::render::problem_message;
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Value;
use wegwijs_domain::note::{NOTE_MAX, NewNote, NotePurpose};
use wegwijs_domain::policy::Capability;
use wegwijs_domain::{Actor, ResidentId};

/// The note form as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct NoteTyped {
    #[serde(default)]
    pub doel: String,
    #[serde(default)]
    pub notitie: String,
    #[serde(default)]
    pub corrigeert: String,
}

/// The dossier forms' state on the page (notes, contacts, what helps):
/// what was just saved, or what was typed in one of them with its
/// problems.
#[derive(Clone, Debug, Default)]
pub struct NoteState {
    /// "notitie", "contact" or "aanpassingen".
    pub saved: Option<String>,
    pub typed: NoteTyped,
    pub contact: wegwijs_domain::bwk::TypedContact,
    pub errors: Vec<wegwijs_domain::ValidationError>,
}

/// The notes and the form, for the template.
pub async fn notes_view(
    state: &AppState,
    actor: &Actor,
    id: ResidentId,
    note: &NoteState,
) -> Result<Value, AppError> {
    let list: Vec<Value> = state
        .store
        .notes_for(actor, id, state.now())
        .await?
        .iter()
        .map(Value::from_serialize)
        .collect();
    Ok(context! {
        list,
        saved => note.saved.as_deref() == Some("notitie"),
        typed => context! { doel => note.typed.doel, notitie => note.typed.notitie, corrigeert => note.typed.corrigeert },
        invalid => note.errors.iter().map(|e| e.field).collect::<Vec<_>>(),
        purposes => NotePurpose::ALL.iter().map(|p| p.code()).collect::<Vec<_>>(),
        max => NOTE_MAX,
    })
}

pub async fn add(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Form(typed): Form<NoteTyped>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::Worklist)?;
    let resident = ResidentId(id);
    let checked = NewNote::validate(&typed.doel, &typed.notitie, &typed.corrigeert);
    let errors = match checked {
        Ok(note) => match state
            .store
            .add_note(&actor, resident, &note, state.now())
            .await
        {
            Ok(_) => {
                let to = format!("/werk/inwoner/{id}?gelukt=notitie#notities");
                return Ok(Redirect::to(&to).into_response());
            }
            Err(wegwijs_store::StoreError::Invalid(e)) => vec![e],
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    let note = NoteState {
        typed,
        errors,
        ..NoteState::default()
    };
    super::staff_resident_page(&state, &v, resident, None, None, note).await
}

/// The note form's problems as the error summary shows them.
pub fn messages(state: &AppState, v: &Visitor, note: &NoteState) -> Vec<Value> {
    note.errors
        .iter()
        .map(|e| {
            // The contact form's inputs are "contact-…", the notes' "veld-…".
            let form = if super::dossier::CONTACT_FIELDS.contains(&e.field) {
                "contact"
            } else {
                "veld"
            };
            problem_message(state, v.lang, e, &format!("{form}-{}", e.field))
        })
        .collect()
}
