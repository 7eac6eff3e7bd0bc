//! Gesprek voorbereiden: one question per screen, each skippable, for one
//! of the resident's planned appointments; letters as photo or PDF; a
//! summary they can change and send; the caseworker sees it once sent.

use crate::error::AppError;
use crate::render::{page, problem_message};
use crate::routes::Routes;
use crate::state::AppState;
use crate::visitor::UPLOAD_BODY_BYTES;
use crate::visitor::Visitor;
use axum::extract::DefaultBodyLimit;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::Method;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use minijinja::context;
use minijinja::value::Value;
use wegwijs_domain::appointment::Mode;
use wegwijs_domain::help::OWN_WORDS_MAX;
use wegwijs_domain::preparation::{HARD_THINGS, Step};
use wegwijs_domain::upload::{self, MAX_BYTES, MAX_FILES};
use wegwijs_domain::{Actor, ResidentId, ValidationError};
use wegwijs_store::StoreError;
use wegwijs_store::preparations::{PreparationView, UploadFile};

pub fn routes() -> Routes {
    Routes::new()
        .get("/mijn/afspraak/{id}/voorbereiden", start)
        .get("/mijn/afspraak/{id}/voorbereiden/{step}", show)
        .method(
            "/mijn/afspraak/{id}/voorbereiden/{step}",
            Method::POST,
            post(answer).layer(DefaultBodyLimit::max(UPLOAD_BODY_BYTES)),
        )
        .once()
        .get("/mijn/brief/{id}", own_letter)
        .post("/mijn/brief/{id}/verwijderen", remove_letter)
        .once()
        .get("/werk/brief/{id}", staff_letter)
}

/// The summary's place in the URL, after the five steps.
const SUMMARY: &str = "klaar";

pub async fn start(v: Visitor, Path(id): Path<i64>) -> Result<Redirect, AppError> {
    v.resident()?;
    let first = Step::ALL[0].code();
    Ok(Redirect::to(&format!(
        "/mijn/afspraak/{id}/voorbereiden/{first}"
    )))
}

#[derive(Default, serde::Deserialize)]
pub struct Back {
    terug: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, step)): Path<(i64, String)>,
    axum::extract::Query(back): axum::extract::Query<Back>,
) -> Result<Response, AppError> {
    let me = v.resident()?;
    let view = own(&state, me, id).await?;
    if step == SUMMARY {
        return summary_page(&state, &v, id, &view);
    }
    let step = Step::from_code(&step).ok_or(AppError::NotFound)?;
    let to_summary = back.terug.as_deref() == Some(SUMMARY);
    let typed = to_summary.then(|| Typed {
        fields: vec![("terug".into(), SUMMARY.into())],
        ticked: view.answers.lastig.clone(),
    });
    step_page(&state, &v, (id, step), &view, typed, vec![])
}

/// What was typed on a step that could not be taken.
struct Typed {
    fields: Vec<(String, String)>,
    ticked: Vec<String>,
}

fn step_page(
    state: &AppState,
    v: &Visitor,
    (id, step): (i64, Step),
    view: &PreparationView,
    typed: Option<Typed>,
    errors: Vec<Value>,
) -> Result<Response, AppError> {
    let a = &view.answers;
    let saved = |code: &str| match code {
        "onderwerp" => a.onderwerp.clone(),
        "zorgen" => a.zorgen.clone(),
        "brieven" => a.brieven.clone(),
        "lastig_anders" => a.lastig_anders.clone(),
        "mee" => a.mee.clone(),
        _ => String::new(),
    };
    let value = |code: &str| match &typed {
        Some(t) => t
            .fields
            .iter()
            .find(|(k, _)| k == code)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| saved(code)),
        None => saved(code),
    };
    let back = typed
        .as_ref()
        .is_some_and(|t| t.fields.iter().any(|(k, v)| k == "terug" && v == SUMMARY));
    let failed = !errors.is_empty();
    let ticked: Vec<String> = match &typed {
        Some(t) => t.ticked.clone(),
        None => a.lastig.clone(),
    };
    let ctx = context! {
        id,
        step => step.code(),
        number => step.number(),
        total => Step::ALL.len(),
        previous => step.previous().map(Step::code),
        text => value(if step == Step::Lastig { "lastig_anders" } else { step.code() }),
        hard => HARD_THINGS,
        ticked,
        uploads => view.uploads.iter().map(Value::from_serialize).collect::<Vec<_>>(),
        room => (view.uploads.len() as i64) < MAX_FILES,
        max_files => MAX_FILES,
        max_mb => MAX_BYTES / (1024 * 1024),
        max => OWN_WORDS_MAX,
        back,
        remote => view.mode != Mode::Balie,
        form_errors => errors,
    };
    let status = if failed {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut r = page(state, v, "preparation_step.html", ctx)?;
    *r.status_mut() = status;
    Ok(r)
}

fn summary_page(
    state: &AppState,
    v: &Visitor,
    id: i64,
    view: &PreparationView,
) -> Result<Response, AppError> {
    let a = &view.answers;
    let answers: Vec<Value> = Step::ALL
        .iter()
        .map(|s| {
            let text = match s {
                Step::Onderwerp => a.onderwerp.clone(),
                Step::Zorgen => a.zorgen.clone(),
                Step::Brieven => a.brieven.clone(),
                Step::Lastig => a.lastig_anders.clone(),
                Step::Mee => a.mee.clone(),
            };
            let things = if *s == Step::Lastig {
                a.lastig.clone()
            } else {
                vec![]
            };
            context! { step => s.code(), text, things }
        })
        .collect();
    let ctx = context! {
        id,
        answers,
        uploads => view.uploads.iter().map(Value::from_serialize).collect::<Vec<_>>(),
        sent => view.sent_at.is_some(),
        remote => view.mode != Mode::Balie,
        empty => a.is_empty() && view.uploads.is_empty(),
    };
    page(state, v, "preparation_summary.html", ctx)
}

async fn own(state: &AppState, me: ResidentId, id: i64) -> Result<PreparationView, AppError> {
    Ok(state
        .store
        .own_preparation(&Actor::Resident(me), me, id, state.now())
        .await?)
}

/// A step's answer: saved, or skipped ("Sla over"), then the next step or
/// the summary. The letters step comes as multipart with an optional file.
pub async fn answer(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, step)): Path<(i64, String)>,
    req: Request,
) -> Result<Response, AppError> {
    let me = v.resident()?;
    if step == SUMMARY {
        return send(&state, me, id).await;
    }
    let step = Step::from_code(&step).ok_or(AppError::NotFound)?;
    let cut = req
        .extensions()
        .get::<crate::visitor::UploadCut>()
        .is_some();
    let (fields, file) = if step == Step::Brieven {
        multipart_fields(req, cut).await?
    } else {
        let axum::Form(fields) = axum::Form::<Vec<(String, String)>>::from_request(req, &())
            .await
            .map_err(|_| AppError::BadRequest)?;
        (fields, None)
    };
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    // From the summary ("Verander") a step goes back to the summary.
    let next = match step.next() {
        Some(n) if field("terug") != Some(SUMMARY) => {
            format!("/mijn/afspraak/{id}/voorbereiden/{}", n.code())
        }
        _ => format!("/mijn/afspraak/{id}/voorbereiden/{SUMMARY}"),
    };
    let actor = Actor::Resident(me);
    // Skipping moves on and changes nothing: an earlier answer stays (to
    // take it away, empty the field and go on).
    if field("actie") == Some("overslaan") {
        return Ok(Redirect::to(&next).into_response());
    }
    let ticked: Vec<String> = fields
        .iter()
        .filter(|(k, _)| k == "lastig")
        .map(|(_, v)| v.clone())
        .collect();
    let mut answers = own(&state, me, id).await?.answers;
    let mut problems: Vec<ValidationError> =
        answers.set(step, field, &ticked).err().unwrap_or_default();
    if cut {
        let max_mb = upload::MAX_BYTES / (1024 * 1024);
        problems.push(ValidationError::new(
            "bestand",
            wegwijs_domain::Problem::FileTooLarge { max_mb },
        ));
    }
    // A letter that is fine is kept even when the text needs changing:
    // nobody should have to choose the file twice.
    if let Some((name, bytes)) = &file {
        match upload::sniff("bestand", bytes) {
            Ok(kind) => {
                let name = upload::display_name(name, kind);
                let added = state
                    .store
                    .add_upload(&actor, me, (id, &name, kind), bytes, state.now())
                    .await;
                match added {
                    Ok(_) => {}
                    Err(StoreError::Duplicate(_)) => problems.push(ValidationError::new(
                        "bestand",
                        wegwijs_domain::Problem::TooMany { max: MAX_FILES },
                    )),
                    Err(e) => return Err(e.into()),
                }
            }
            Err(e) => problems.push(e),
        }
    }
    if !problems.is_empty() {
        let errors = problems
            .iter()
            .map(|e| {
                let input = e.field.strip_prefix("gesprek-").unwrap_or(e.field);
                problem_message(&state, v.lang, e, &format!("veld-{input}"))
            })
            .collect();
        let typed = Typed { fields, ticked };
        let view = own(&state, me, id).await?;
        return step_page(&state, &v, (id, step), &view, Some(typed), errors);
    }
    state
        .store
        .save_preparation(&actor, me, (id, &answers, false), state.now())
        .await?;
    Ok(Redirect::to(&next).into_response())
}

/// The text fields and the one file (its name and bytes) of the letters
/// step. An empty file input sends a part without bytes: no file. Of a
/// body `cut` off at the size limit, the fields before the file.
async fn multipart_fields(
    req: Request,
    cut: bool,
) -> Result<(Vec<(String, String)>, Option<(String, Vec<u8>)>), AppError> {
    let mut form = Multipart::from_request(req, &())
        .await
        .map_err(|_| AppError::BadRequest)?;
    let mut fields = Vec::new();
    let mut file = None;
    loop {
        let part = match form.next_field().await {
            Ok(Some(part)) => part,
            Ok(None) => break,
            Err(_) if cut => break,
            Err(_) => return Err(AppError::TooLarge),
        };
        let name = part.name().unwrap_or_default().to_string();
        if name == "bestand" {
            if cut {
                break;
            }
            let given = part.file_name().unwrap_or_default().to_string();
            let bytes = part.bytes().await.map_err(|_| AppError::TooLarge)?;
            if !bytes.is_empty() {
                file = Some((given, bytes.to_vec()));
            }
        } else {
            let text = part.text().await.map_err(|_| AppError::BadRequest)?;
            fields.push((name, text));
        }
    }
    Ok((fields, file))
}

async fn send(state: &AppState, me: ResidentId, id: i64) -> Result<Response, AppError> {
    state
        .store
        .send_preparation(&Actor::Resident(me), me, id, state.now())
        .await?;
    Ok(Redirect::to(&format!("/mijn/afspraak/{id}?gelukt=voorbereid")).into_response())
}

/// The resident removes one of their letters, and is back at the step.
pub async fn remove_letter(
    State(state): State<AppState>,
    v: Visitor,
    Path(upload): Path<i64>,
) -> Result<Response, AppError> {
    let me = v.resident()?;
    let id = state
        .store
        .remove_upload(&Actor::Resident(me), me, upload, state.now())
        .await?;
    Ok(Redirect::to(&format!("/mijn/afspraak/{id}/voorbereiden/brieven")).into_response())
}

/// A letter for the resident who uploaded it (`/mijn/brief/{id}`).
pub async fn own_letter(
    State(state): State<AppState>,
    v: Visitor,
    Path(upload): Path<i64>,
) -> Result<Response, AppError> {
    let actor = Actor::Resident(v.resident()?);
    letter(&state, &actor, upload).await
}

/// A letter for the team's caseworker once the preparation is sent
/// (`/werk/brief/{id}`).
pub async fn staff_letter(
    State(state): State<AppState>,
    v: Visitor,
    Path(upload): Path<i64>,
) -> Result<Response, AppError> {
    // The store decides and logs, so that every staff member's attempt,
    // refused ones too, is in the resident's log.
    let actor = v.any_staff()?;
    letter(&state, &actor, upload).await
}

/// A letter as an attachment, with the type its content showed; the store
/// asks the policy who may see it.
async fn letter(state: &AppState, actor: &Actor, upload: i64) -> Result<Response, AppError> {
    let UploadFile { name, kind, bytes } =
        state.store.upload_file(actor, upload, state.now()).await?;
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, kind.mime().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{ascii}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_summary_is_not_a_step() {
        assert!(wegwijs_domain::preparation::Step::from_code(super::SUMMARY).is_none());
    }
}
