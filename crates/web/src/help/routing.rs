//! The admin's routing table: per topic, the organisation and team that
//! pick up residents' questions, and that team's consultation hours.

use crate::error::AppError;
use crate::render::{page, problem_message};
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Value;
use wegwijs_domain::appointment::{Hours, Mode};
use wegwijs_domain::help::{HelpRoute, HelpTopic};
use wegwijs_domain::policy::Capability;
use wegwijs_domain::{Actor, Staff};
use wegwijs_store::StoreError;

/// An admin of a municipality: the municipality is the front door.
async fn route_keeper(state: &AppState, v: &Visitor) -> Result<Staff, AppError> {
    let s = v.staff(Capability::ManageUsers)?;
    let kind = state.store.org(s.org_id).await?.kind;
    wegwijs_domain::policy::may_keep_help_routes(&Actor::Staff(s), Some(kind))
        .map_err(|_| AppError::Forbidden)?;
    Ok(s)
}

#[derive(Debug, Default, Clone, serde::Deserialize, serde::Serialize)]
pub struct RouteForm {
    #[serde(default)]
    onderwerp: String,
    /// The team's id: a team of one of the organisations.
    #[serde(default)]
    team: String,
    #[serde(default)]
    werkdagen: String,
    #[serde(default)]
    telefoon: String,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct SavedQuery {
    gelukt: Option<String>,
    spreekuur: Option<String>,
}

pub async fn routes(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    route_keeper(&state, &v).await?;
    let saved = match (q.gelukt, q.spreekuur) {
        (Some(t), _) => HelpTopic::from_code(&t).ok().map(|t| ("routes-saved", t)),
        (_, Some(t)) => HelpTopic::from_code(&t).ok().map(|t| ("hours-saved", t)),
        _ => None,
    };
    routes_page(&state, &v, Typed::Nothing, vec![], saved, StatusCode::OK).await
}

/// What an admin typed, in one of the page's two forms per topic.
enum Typed<'a> {
    Nothing,
    Route(&'a RouteForm),
    Hours(&'a HoursForm),
}

async fn routes_page(
    state: &AppState,
    v: &Visitor,
    typed: Typed<'_>,
    errors: Vec<Value>,
    saved: Option<(&str, HelpTopic)>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (typed, typed_hours) = match typed {
        Typed::Nothing => (None, None),
        Typed::Route(r) => (Some(r), None),
        Typed::Hours(h) => (None, Some(h)),
    };
    let stored = state.store.help_routes().await?;
    let hours = state.store.appointment_hours().await?;
    let orgs = state.store.orgs().await?;
    let rows: Vec<Value> = HelpTopic::ALL
        .iter()
        .map(|t| {
            let form = match (typed, stored.iter().find(|r| r.route.topic == *t)) {
                (Some(f), _) if f.onderwerp == t.code() => f.clone(),
                (_, Some(r)) => RouteForm {
                    onderwerp: t.code().into(),
                    team: r.route.team_id.to_string(),
                    werkdagen: r.route.answer_days.to_string(),
                    telefoon: r.route.phone.clone(),
                },
                _ => RouteForm {
                    onderwerp: t.code().into(),
                    ..RouteForm::default()
                },
            };
            let set = stored.iter().any(|r| r.route.topic == *t);
            let invalid = typed.is_some_and(|f| f.onderwerp == t.code()) && !errors.is_empty();
            let h = match (typed_hours, hours.iter().find(|h| h.topic == *t)) {
                (Some(f), _) if f.onderwerp == t.code() => f.clone(),
                (_, Some(h)) => HoursForm::from(h),
                _ => HoursForm {
                    onderwerp: t.code().into(),
                    ..HoursForm::default()
                },
            };
            let hours_set = hours.iter().any(|h| h.topic == *t);
            let hours_invalid =
                typed_hours.is_some_and(|f| f.onderwerp == t.code()) && !errors.is_empty();
            context! { topic => t.code(), form, set, invalid, hours => h, hours_set, hours_invalid }
        })
        .collect();
    let teams = state.store.all_teams().await?;
    let orgs: Vec<Value> = orgs
        .iter()
        .map(|o| {
            let teams: Vec<Value> = teams
                .iter()
                .filter(|t| t.org_id == o.id)
                .map(|t| context! { id => t.id.to_string(), name => t.name })
                .collect();
            context! { id => o.id.to_string(), name => o.name, teams }
        })
        .collect();
    let ctx = context! {
        rows, orgs, form_errors => errors,
        saved => saved.map(|(what, t)| context! { what, topic => t.code() }),
        weekdays => [1, 2, 3, 4, 5, 6, 7],
        modes => Mode::ALL.iter().map(|m| m.code()).collect::<Vec<_>>(),
        max_days => wegwijs_domain::help::ANSWER_DAYS_MAX,
    };
    let mut r = page(state, v, "help_routes.html", ctx)?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn save_route(
    State(state): State<AppState>,
    v: Visitor,
    Form(form): Form<RouteForm>,
) -> Result<Response, AppError> {
    let me = route_keeper(&state, &v).await?;
    let topic = HelpTopic::from_code(&form.onderwerp).map_err(|_| AppError::BadRequest)?;
    // The organisation is the chosen team's; an unknown team is not chosen.
    let teams = state.store.all_teams().await?;
    let chosen = form.team.trim().parse::<i64>().ok();
    let org = teams
        .iter()
        .find(|t| Some(t.id) == chosen)
        .map(|t| t.org_id)
        .unwrap_or(0);
    let form = RouteForm {
        team: if org == 0 {
            String::new()
        } else {
            form.team.clone()
        },
        ..form
    };
    let t = topic.code();
    let route = match HelpRoute::validate(topic, org, &form.team, &form.werkdagen, &form.telefoon) {
        Ok(r) => r,
        Err(errors) => {
            let errors = errors
                .iter()
                .map(|e| problem_message(&state, v.lang, e, &format!("veld-{}-{t}", e.field)))
                .collect();
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return routes_page(&state, &v, Typed::Route(&form), errors, None, status).await;
        }
    };
    match state
        .store
        .set_help_route(&Actor::Staff(me), &route, state.now())
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/beheer/hulp?gelukt={t}#route-{t}")).into_response()),
        Err(StoreError::NotFound) => Err(AppError::BadRequest),
        Err(e) => Err(e.into()),
    }
}

/// The hours form; a checkbox per weekday and per way (a form without
/// script sends a box only when ticked).
#[derive(Debug, Default, Clone, serde::Deserialize, serde::Serialize)]
pub struct HoursForm {
    #[serde(default)]
    onderwerp: String,
    dag1: Option<String>,
    dag2: Option<String>,
    dag3: Option<String>,
    dag4: Option<String>,
    dag5: Option<String>,
    dag6: Option<String>,
    dag7: Option<String>,
    #[serde(default)]
    begintijd: String,
    #[serde(default)]
    eindtijd: String,
    #[serde(default)]
    duur: String,
    vorm_balie: Option<String>,
    vorm_telefoon: Option<String>,
    vorm_video: Option<String>,
    #[serde(default)]
    plaats: String,
    #[serde(default)]
    meenemen: String,
}

impl HoursForm {
    fn days(&self) -> Vec<String> {
        [
            &self.dag1, &self.dag2, &self.dag3, &self.dag4, &self.dag5, &self.dag6, &self.dag7,
        ]
        .iter()
        .enumerate()
        .filter(|(_, d)| d.is_some())
        .map(|(i, _)| (i + 1).to_string())
        .collect()
    }

    fn modes(&self) -> Vec<String> {
        [
            (&self.vorm_balie, Mode::Balie),
            (&self.vorm_telefoon, Mode::Telefoon),
            (&self.vorm_video, Mode::Video),
        ]
        .iter()
        .filter(|(ticked, _)| ticked.is_some())
        .map(|(_, m)| m.code().to_string())
        .collect()
    }
}

impl From<&Hours> for HoursForm {
    fn from(h: &Hours) -> HoursForm {
        let day = |n: u8| h.weekdays.contains(&n).then(|| "ja".to_string());
        let way = |m: Mode| h.modes.contains(&m).then(|| "ja".to_string());
        let clock = |m: i64| format!("{:02}:{:02}", m / 60, m % 60);
        HoursForm {
            onderwerp: h.topic.code().into(),
            dag1: day(1),
            dag2: day(2),
            dag3: day(3),
            dag4: day(4),
            dag5: day(5),
            dag6: day(6),
            dag7: day(7),
            begintijd: clock(h.start_minute),
            eindtijd: clock(h.end_minute),
            duur: h.slot_minutes.to_string(),
            vorm_balie: way(Mode::Balie),
            vorm_telefoon: way(Mode::Telefoon),
            vorm_video: way(Mode::Video),
            plaats: h.location.clone(),
            meenemen: h.bring.clone(),
        }
    }
}

pub async fn save_hours(
    State(state): State<AppState>,
    v: Visitor,
    Form(form): Form<HoursForm>,
) -> Result<Response, AppError> {
    let me = route_keeper(&state, &v).await?;
    let topic = HelpTopic::from_code(&form.onderwerp).map_err(|_| AppError::BadRequest)?;
    let t = topic.code();
    let checked = Hours::validate(
        topic,
        &form.days(),
        (&form.begintijd, &form.eindtijd, &form.duur),
        &form.modes(),
        (&form.plaats, &form.meenemen),
    );
    let hours = match checked {
        Ok(h) => h,
        Err(errors) => {
            let errors = errors
                .iter()
                .map(|e| problem_message(&state, v.lang, e, &format!("uur-{}-{t}", e.field)))
                .collect();
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return routes_page(&state, &v, Typed::Hours(&form), errors, None, status).await;
        }
    };
    state
        .store
        .set_appointment_hours(&Actor::Staff(me), &hours, state.now())
        .await?;
    Ok(Redirect::to(&format!("/beheer/hulp?spreekuur={t}#spreekuur-{t}")).into_response())
}
