//! Hulp vragen ("no wrong door"): the resident's one short form, the page
//! of a request with its timeline, the caseworker's answer, and the routing
//! table an admin keeps.

mod routing;
mod who;

use crate::error::AppError;
use crate::i18n::Lang;
use crate::render::{page, problem_message};
use crate::routes::Routes;
use crate::state::AppState;
use crate::templates::long_date;
use crate::views::{ContactFields, request_view};
use crate::visitor::Visitor;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fluent_bundle::FluentValue;
use minijinja::context;
use minijinja::value::Value;
use wegwijs_domain::help::{
    HelpQuestion, HelpTopic, OWN_WORDS_MAX, RequestKind, RequestStatus, add_working_days, free_text,
};
use wegwijs_domain::person::format_date;
use wegwijs_domain::policy::Capability;
use wegwijs_domain::{Actor, ResidentId};
use wegwijs_store::outbox::Message;
use wegwijs_store::requests::{NewRequest, RouteRow};

pub fn routes() -> Routes {
    Routes::new()
        .page("/mijn/hulp", Capability::ResidentPortal, form)
        .post("/mijn/hulp", ask)
        .once()
        .nav(Capability::ResidentPortal, "/mijn/hulp", "nav-help", 110)
        .get("/mijn/vraag/{id}", request_page)
        .post("/werk/hulpvraag/{id}", answer)
        .once()
        .get("/beheer/hulp", routing::routes)
        .post("/beheer/hulp", routing::save_route)
        .nav(
            Capability::ManageUsers,
            "/beheer/hulp",
            "nav-help-routes",
            50,
        )
        .post("/beheer/hulp/spreekuur", routing::save_hours)
        .page(
            "/mijn/wie-helpt",
            Capability::ResidentPortal,
            who::who_helps,
        )
        .nav(
            Capability::ResidentPortal,
            "/mijn/wie-helpt",
            "nav-who",
            115,
        )
}

#[derive(Default, serde::Deserialize, serde::Serialize)]
pub struct QuestionForm {
    #[serde(default)]
    onderwerp: String,
    #[serde(default)]
    woorden: String,
    #[serde(flatten)]
    reach: ContactFields,
}

/// The form, with the phone number and e-mail address the resident gave
/// last time filled in.
pub async fn form(State(state): State<AppState>, v: Visitor) -> Result<Response, AppError> {
    let me = v.resident()?;
    let form = QuestionForm {
        reach: ContactFields::known(&state, me).await?,
        ..QuestionForm::default()
    };
    question_page(&state, &v, &form, vec![], StatusCode::OK)
}

fn question_page(
    state: &AppState,
    v: &Visitor,
    form: &QuestionForm,
    errors: Vec<Value>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let topics: Vec<&str> = HelpTopic::ALL.iter().map(|t| t.code()).collect();
    let ctx = context! { topics, form, form_errors => errors, max => OWN_WORDS_MAX };
    let mut r = page(state, v, "help.html", ctx)?;
    *r.status_mut() = status;
    Ok(r)
}

/// The question goes where the routing table says; the resident lands on
/// the page of their request, which says what happens next and when.
pub async fn ask(
    State(state): State<AppState>,
    v: Visitor,
    Form(form): Form<QuestionForm>,
) -> Result<Response, AppError> {
    let me = v.resident()?;
    let checked = (
        HelpQuestion::validate(&form.onderwerp, &form.woorden),
        form.reach.validate(),
    );
    let (q, reach) = match checked {
        (Ok(q), Ok(reach)) => (q, reach),
        (q, reach) => {
            let errors = q
                .err()
                .into_iter()
                .chain(reach.err())
                .flatten()
                .map(|e| {
                    let id = match e.field {
                        "onderwerp" => "veld-onderwerp-geld".to_string(),
                        field => format!("veld-{field}"),
                    };
                    problem_message(&state, v.lang, &e, &id)
                })
                .collect();
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return question_page(&state, &v, &form, errors, status);
        }
    };
    let topic_name = state
        .i18n
        .t(Lang::Nl, &format!("help-topic-{}", q.topic.code()), &[]);
    let request = NewRequest {
        kind: RequestKind::Hulpvraag,
        topic: q.topic.code().to_string(),
        topic_name,
        own_words: q.own_words,
        reach,
    };
    match routed(&state, &v, me, &request, q.topic).await? {
        Some(id) => Ok(Redirect::to(&format!("/mijn/vraag/{id}?nieuw=1")).into_response()),
        // No team is set up yet: the question stays in the form.
        None => {
            let message = state.i18n.t(v.lang, "help-no-route", &[]);
            let errors = vec![context! { message, id => "veld-woorden" }];
            question_page(&state, &v, &form, errors, StatusCode::SERVICE_UNAVAILABLE)
        }
    }
}

/// Who picks up a question about `topic`: its own route, else the one of
/// "iets anders" (no wrong door).
fn route_for(routes: &[RouteRow], topic: HelpTopic) -> Option<&RouteRow> {
    routes
        .iter()
        .find(|r| r.route.topic == topic)
        .or_else(|| routes.iter().find(|r| r.route.topic == HelpTopic::Anders))
}

/// Places a request along the route for `topic` (see [`route_for`]), with
/// the confirmation message in the resident's language. None when no route
/// is set at all.
pub(crate) async fn routed(
    state: &AppState,
    v: &Visitor,
    me: ResidentId,
    request: &NewRequest,
    topic: HelpTopic,
) -> Result<Option<i64>, AppError> {
    let routes = state.store.help_routes().await?;
    let Some(route) = route_for(&routes, topic) else {
        tracing::warn!(
            topic = topic.code(),
            "a resident's request has no route: set the routing table"
        );
        return Ok(None);
    };
    let answer_by = add_working_days(state.today(), route.route.answer_days);
    let args = [
        ("team", FluentValue::from(route.route.team.as_str())),
        ("org", FluentValue::from(route.org_name.as_str())),
        (
            "date",
            FluentValue::from(long_date(&state.i18n, v.lang, &format_date(answer_by))),
        ),
        ("phone", FluentValue::from(route.route.phone.as_str())),
    ];
    let confirmation = Message {
        subject: state.i18n.t(v.lang, "msg-request-subject", &[]),
        body: state.i18n.t(v.lang, "msg-request-body", &args),
    };
    let id = state
        .store
        .place_request(
            &Actor::Resident(me),
            me,
            request,
            (&route.route, answer_by),
            &confirmation,
            state.now(),
        )
        .await?;
    Ok(Some(id))
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct NewQuery {
    nieuw: Option<String>,
}

/// One of the resident's requests; another's is not found.
pub async fn request_page(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<NewQuery>,
) -> Result<Response, AppError> {
    let me = v.resident()?;
    let all = state
        .store
        .own_requests(&Actor::Resident(me), me, state.now())
        .await?;
    let request = all.iter().find(|r| r.id == id).ok_or(AppError::NotFound)?;
    let ctx = context! { q => request_view(&state, v.lang, request), new => q.nieuw.is_some() };
    page(&state, &v, "request.html", ctx)
}

#[derive(Default, serde::Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    bericht: String,
}

/// The caseworker moves a request on; the resident gets a message.
pub async fn answer(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::Worklist)?;
    // "Ontvangen" is where a request starts, not a step a caseworker sets.
    let checked = RequestStatus::from_code(&form.status)
        .and_then(|s| match s {
            RequestStatus::Ontvangen => Err(wegwijs_domain::ValidationError::new(
                "status",
                wegwijs_domain::Problem::UnknownCode,
            )),
            s => Ok(s),
        })
        .and_then(|s| free_text("bericht", &form.bericht, OWN_WORDS_MAX).map(|n| (s, n)));
    let (status, note) = match checked {
        Ok(ok) => ok,
        Err(e) => return answer_problem(&state, &v, id, &form, &e).await,
    };
    // Messages to residents are in Dutch: the portal shows them as written.
    let body = match note.as_str() {
        "" => state
            .i18n
            .t(Lang::Nl, &format!("msg-step-{}", status.code()), &[]),
        n => format!(
            "{}\n\n{n}",
            state
                .i18n
                .t(Lang::Nl, &format!("msg-step-{}", status.code()), &[])
        ),
    };
    let message = Message {
        subject: state.i18n.t(Lang::Nl, "msg-step-subject", &[]),
        body,
    };
    let answered = state
        .store
        .answer_request(&actor, id, (status, &note), &message, state.now())
        .await;
    let resident = match answered {
        Ok(r) => r,
        Err(wegwijs_store::StoreError::Invalid(e)) => {
            return answer_problem(&state, &v, id, &form, &e).await;
        }
        Err(e) => return Err(e.into()),
    };
    // A request that is done ends its work (and with it, often, the
    // reason to see the resident): back to the worklist, said so. Else to
    // the request itself, with the notice beside it.
    let to = if status == RequestStatus::Afgerond {
        "/werk?gelukt=beantwoord".to_string()
    } else {
        format!(
            "/werk/inwoner/{}?gelukt=antwoord&vraag={id}#vraag-{id}",
            resident.0
        )
    };
    Ok(Redirect::to(&to).into_response())
}

/// The caseworker's page again, with what they typed and what to change.
async fn answer_problem(
    state: &AppState,
    v: &Visitor,
    id: i64,
    form: &AnswerForm,
    e: &wegwijs_domain::ValidationError,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::Worklist)?;
    let resident = state.store.request_resident(&actor, id).await?;
    let input = if e.field == "status" {
        "status"
    } else {
        "bericht"
    };
    let problem = crate::work::AnswerProblem {
        request: id,
        status: form.status.clone(),
        note: form.bericht.clone(),
        input,
        error: problem_message(state, v.lang, e, &format!("veld-{input}-{id}")),
    };
    let note = crate::work::NoteState::default();
    crate::work::staff_resident_page(state, v, resident, Some(problem), None, note).await
}
