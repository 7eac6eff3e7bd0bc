//! The admin's teams: which teams the organisation has, who is in them,
//! and which team gets work of a kind no topic routes (signal cases,
//! possible entitlements, handovers, help after a signal).

use crate::error::AppError;
use crate::render::{page, problem_message};
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Value;
use wegwijs_domain::policy::Capability;
use wegwijs_domain::work::{DEFAULT_ANSWER_DAYS, KindRoute, parse_team_name};
use wegwijs_domain::{Actor, Role, ValidationError, WorkKind};
use wegwijs_store::StoreError;

#[derive(Debug, Default, serde::Deserialize)]
pub struct Notice {
    gelukt: Option<String>,
}

/// What was typed on one of the page's forms, and its problems.
#[derive(Default)]
struct Typed {
    /// "nieuw", or "route-<kind>".
    form: String,
    fields: Vec<(String, String)>,
    errors: Vec<ValidationError>,
}

impl Typed {
    fn get(&self, form: &str, key: &str) -> Option<String> {
        (self.form == form)
            .then(|| {
                self.fields
                    .iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| v.clone())
            })
            .flatten()
    }
}

pub async fn teams(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<Notice>,
) -> Result<Response, AppError> {
    // Completes the key "teams-saved-…".
    let saved = ["team", "leden", "route"]
        .into_iter()
        .find(|s| q.gelukt.as_deref() == Some(*s));
    teams_page(&state, &v, Typed::default(), saved).await
}

async fn teams_page(
    state: &AppState,
    v: &Visitor,
    typed: Typed,
    saved: Option<&str>,
) -> Result<Response, AppError> {
    let me = v.staff(Capability::ManageUsers)?;
    let teams = state.store.teams_of(me.org_id).await?;
    let staff: Vec<Value> = state
        .store
        .users_of_org(me.org_id)
        .await?
        .iter()
        .filter(|u| matches!(u.role, Role::Caseworker | Role::TeamLead))
        .map(|u| context! { id => u.id, name => u.display_name, active => u.active, role => u.role.code() })
        .collect();
    let routes = state.store.kind_routes(me.org_id).await?;
    let kinds: Vec<Value> = WorkKind::ALL
        .iter()
        .filter(|k| k.routed_by_kind())
        .map(|k| {
            let form = format!("route-{}", k.code());
            let stored = routes.iter().find(|r| r.kind == *k);
            let team = typed
                .get(&form, "team")
                .or_else(|| stored.map(|r| r.team.to_string()))
                .unwrap_or_default();
            let days = typed
                .get(&form, "werkdagen")
                .or_else(|| stored.map(|r| r.answer_days.to_string()))
                .unwrap_or_default();
            context! { kind => k.code(), team, days, set => stored.is_some() }
        })
        .collect();
    let teams: Vec<Value> = teams
        .iter()
        .map(|t| {
            let members: Vec<i64> = t.members.iter().map(|(id, _)| *id).collect();
            context! { id => t.id, name => t.name, members }
        })
        .collect();
    let errors: Vec<Value> = typed
        .errors
        .iter()
        .map(|e| {
            let id = match typed.form.as_str() {
                "nieuw" => "veld-teamnaam".to_string(),
                form => format!("veld-{}-{form}", e.field),
            };
            problem_message(state, v.lang, e, &id)
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = page(
        state,
        v,
        "teams.html",
        context! {
            teams, staff, kinds, saved, form_errors => errors,
            invalid => typed.errors.iter().map(|e| format!("{}-{}", e.field, typed.form)).collect::<Vec<_>>(),
            new_name => typed.get("nieuw", "teamnaam").unwrap_or_default(),
            default_days => DEFAULT_ANSWER_DAYS, max_days => wegwijs_domain::help::ANSWER_DAYS_MAX,
        },
    )?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn create(
    State(state): State<AppState>,
    v: Visitor,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let me = v.staff(Capability::ManageUsers)?;
    let typed_name = field(&fields, "teamnaam");
    let result = match parse_team_name(&typed_name) {
        Ok(name) => {
            state
                .store
                .create_team(&Actor::Staff(me), me.org_id, &name, state.now())
                .await
        }
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/beheer/teams?gelukt=team#teams").into_response()),
        Err(e) => retype(&state, &v, ("nieuw", fields), e).await,
    }
}

pub async fn members(
    State(state): State<AppState>,
    v: Visitor,
    Path(team): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let me = v.staff(Capability::ManageUsers)?;
    let users: Vec<i64> = fields
        .iter()
        .filter(|(k, _)| k == "lid")
        .map(|(_, v)| v.parse().map_err(|_| AppError::BadRequest))
        .collect::<Result<_, _>>()?;
    state
        .store
        .set_team_members(&Actor::Staff(me), team, &users, state.now())
        .await?;
    Ok(Redirect::to(&format!("/beheer/teams?gelukt=leden#team-{team}")).into_response())
}

pub async fn route(
    State(state): State<AppState>,
    v: Visitor,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let me = v.staff(Capability::ManageUsers)?;
    let kind = WorkKind::from_code(&field(&fields, "soort")).map_err(|_| AppError::BadRequest)?;
    let form = format!("route-{}", kind.code());
    let checked = KindRoute::validate(kind, &field(&fields, "team"), &field(&fields, "werkdagen"));
    let result = match checked {
        Ok(route) => {
            state
                .store
                .set_kind_route(&Actor::Staff(me), &route, state.now())
                .await
        }
        Err(errors) => {
            let typed = Typed {
                form,
                fields,
                errors,
            };
            return teams_page(&state, &v, typed, None).await;
        }
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/beheer/teams?gelukt=route#{form}")).into_response()),
        Err(StoreError::NotFound) => Err(AppError::BadRequest),
        Err(e) => Err(e.into()),
    }
}

/// The page again with what was typed and the store's problem with it.
async fn retype(
    state: &AppState,
    v: &Visitor,
    (form, fields): (&str, Vec<(String, String)>),
    e: StoreError,
) -> Result<Response, AppError> {
    let problem = match e {
        StoreError::Invalid(p) => p,
        StoreError::Duplicate(what) => {
            ValidationError::new(what, wegwijs_domain::Problem::Duplicate)
        }
        e => return Err(e.into()),
    };
    let typed = Typed {
        form: form.to_string(),
        fields,
        errors: vec![problem],
    };
    teams_page(state, v, typed, None).await
}

fn field(fields: &[(String, String)], name: &str) -> String {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}
