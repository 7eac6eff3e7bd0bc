//! The worklist's actions: take, give to a colleague (one line or many),
//! set where it stands, finish. Each goes back to the same list with what
//! was done; a problem shows at its line with what was typed; someone who
//! acted first is named, and nothing is lost.

use super::list::{Shown, list_page, list_query};
use crate::error::AppError;
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use fluent_bundle::FluentValue;
use minijinja::context;
use wegwijs_domain::policy::Capability;
use wegwijs_domain::work::{Stage, TypedFilter, finishing};
use wegwijs_domain::{Problem, ValidationError, WorkKind};
use wegwijs_store::{Conflict, StoreError};

/// A line's action form, as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ActionForm {
    /// The line's version on the page the action was sent from.
    #[serde(default)]
    versie: String,
    #[serde(default)]
    aan: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    soort: String,
    #[serde(default)]
    uitkomst: String,
    #[serde(default)]
    reden: String,
    /// The list's filters, to show the same list again.
    #[serde(default)]
    terug: String,
}

impl ActionForm {
    fn back(&self) -> TypedFilter {
        serde_urlencoded::from_str(&self.terug).unwrap_or_default()
    }

    fn version(&self) -> Result<i64, AppError> {
        self.versie.trim().parse().map_err(|_| AppError::BadRequest)
    }

    fn typed(&self) -> Vec<(String, String)> {
        vec![
            ("uitkomst".into(), self.uitkomst.clone()),
            ("reden".into(), self.reden.clone()),
        ]
    }
}

/// Back to the list the action came from, at its line.
fn done(back: &TypedFilter, what: &str, line: i64) -> Response {
    let query = list_query(back);
    let sep = if query.is_empty() { "" } else { "&" };
    Redirect::to(&format!(
        "/werk?{query}{sep}gelukt={what}&regel={line}#werk-{line}"
    ))
    .into_response()
}

/// The list again, with the store's answer at the line: a field's
/// problem, or who acted first.
async fn refused(
    state: &AppState,
    v: &Visitor,
    (form, line): (&ActionForm, i64),
    e: StoreError,
) -> Result<Response, AppError> {
    let mut shown = Shown {
        line: Some(line),
        typed: form.typed(),
        ..Shown::default()
    };
    match e {
        StoreError::Invalid(e) => shown.errors.push(e),
        StoreError::Conflict(c) => {
            let i18n = &state.i18n;
            let text = match c {
                Conflict::TakenBy(name) => {
                    let name = FluentValue::from(name);
                    i18n.t(v.lang, "work-conflict-taken", &[("name", name)])
                }
                Conflict::Closed => i18n.t(v.lang, "work-conflict-closed", &[]),
                Conflict::Changed => i18n.t(v.lang, "work-conflict-changed", &[]),
            };
            shown.conflict = Some(context! { text, line });
        }
        e => return Err(e.into()),
    }
    list_page(state, v, &form.back(), None, shown).await
}

async fn answer(
    state: &AppState,
    v: &Visitor,
    (form, line, what): (&ActionForm, i64, &str),
    result: Result<(), StoreError>,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(done(&form.back(), what, line)),
        Err(e) => refused(state, v, (form, line), e).await,
    }
}

pub async fn take(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::Worklist)?;
    let result = state.store.take_work(&actor, id, state.now()).await;
    answer(&state, &v, (&form, id, "opgepakt"), result).await
}

pub async fn assign(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::Worklist)?;
    let seen = form.version()?;
    let Ok(to) = form.aan.trim().parse::<i64>() else {
        let e = ValidationError::new("aan", Problem::NotChosen);
        return refused(&state, &v, (&form, id), e.into()).await;
    };
    let result = state
        .store
        .assign_work(&actor, (id, seen), to, state.now())
        .await;
    answer(&state, &v, (&form, id, "toegewezen"), result).await
}

pub async fn stage(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::Worklist)?;
    let seen = form.version()?;
    let stage = match Stage::from_code(form.status.trim()) {
        Ok(s) => s,
        Err(e) => return refused(&state, &v, (&form, id), e.into()).await,
    };
    let result = state
        .store
        .set_work_stage(&actor, (id, seen), stage, state.now())
        .await;
    answer(&state, &v, (&form, id, "status"), result).await
}

pub async fn finish(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::Worklist)?;
    let seen = form.version()?;
    let kind = WorkKind::from_code(&form.soort).map_err(|_| AppError::BadRequest)?;
    let (outcome, reason) = match finishing(kind, &form.uitkomst, &form.reden) {
        Ok(f) => f,
        Err(errors) => {
            let shown = Shown {
                line: Some(id),
                errors,
                typed: form.typed(),
                ..Shown::default()
            };
            return list_page(&state, &v, &form.back(), None, shown).await;
        }
    };
    let result = state
        .store
        .finish_work(&actor, (id, seen), (outcome, &reason), state.now())
        .await;
    answer(&state, &v, (&form, id, "afgerond"), result).await
}

/// The team lead gives the ticked lines to one colleague.
pub async fn assign_many(
    State(state): State<AppState>,
    v: Visitor,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::TeamOverview)?;
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let back: TypedFilter = serde_urlencoded::from_str(field("terug")).unwrap_or_default();
    let lines: Vec<i64> = fields
        .iter()
        .filter(|(k, _)| k == "werk")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let to = field("aan").trim().parse::<i64>();
    let mut errors = Vec::new();
    if lines.is_empty() {
        errors.push(ValidationError::new("werk", Problem::NotChosen));
    }
    if to.is_err() {
        errors.push(ValidationError::new("bulk-aan", Problem::NotChosen));
    }
    let (Ok(to), true) = (to, errors.is_empty()) else {
        // What was ticked stays ticked.
        let shown = Shown {
            line: Some(0),
            errors,
            typed: fields
                .iter()
                .filter(|(k, _)| k == "werk")
                .cloned()
                .collect(),
            ..Shown::default()
        };
        return list_page(&state, &v, &back, None, shown).await;
    };
    let given = state
        .store
        .assign_many(&actor, &lines, to, state.now())
        .await?;
    let query = list_query(&back);
    let sep = if query.is_empty() { "" } else { "&" };
    let to = format!(
        "/werk?{query}{sep}gelukt=bulk&regel={given}&van={}#lijst",
        lines.len()
    );
    Ok(Redirect::to(&to).into_response())
}
