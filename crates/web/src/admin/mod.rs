//! User management for an organisation's admin. Admins manage accounts of
//! their own organisation only, and see no resident data.

use crate::error::AppError;
use crate::render::{page, problem_message};
use crate::routes::Routes;
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Value;
use wegwijs_domain::org::{check_new_password, parse_username};
use wegwijs_domain::person::text;
use wegwijs_domain::policy::{self, Capability};
use wegwijs_domain::{Actor, Problem, Role, Staff, ValidationError};
use wegwijs_store::StoreError;
use wegwijs_store::users::NewUser;

mod teams;

pub fn routes() -> Routes {
    Routes::new()
        .page("/beheer/gebruikers", Capability::ManageUsers, users)
        .post("/beheer/gebruikers", create_user)
        .once()
        .nav(
            Capability::ManageUsers,
            "/beheer/gebruikers",
            "nav-users",
            40,
        )
        .post("/beheer/gebruikers/{id}/status", set_status)
        .get("/beheer/gebruikers/{id}/wachtwoord", password_form)
        .post("/beheer/gebruikers/{id}/wachtwoord", set_password)
        .post("/beheer/gebruikers/{id}/tweede-stap", reset_second_factor)
        .page("/beheer/teams", Capability::ManageUsers, teams::teams)
        .nav(Capability::ManageUsers, "/beheer/teams", "nav-teams", 41)
        .post("/beheer/teams", teams::create)
        .once()
        .post("/beheer/teams/{id}/leden", teams::members)
        .post("/beheer/teams/route", teams::route)
}

fn admin(v: &Visitor) -> Result<Staff, AppError> {
    v.staff(Capability::ManageUsers)
}

#[derive(serde::Deserialize, serde::Serialize, Default)]
pub struct NewUserForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    role: String,
    #[serde(default, skip_serializing)]
    password: String,
}

#[derive(serde::Deserialize)]
pub struct Notice {
    gelukt: Option<String>,
    naam: Option<String>,
}

/// Only these notices can be asked for in the URL.
fn notice_key(code: &str) -> Option<&'static str> {
    match code {
        "toegevoegd" => Some("users-created"),
        "opgeslagen" => Some("users-saved"),
        "wachtwoord" => Some("users-password-saved"),
        "tweede-stap" => Some("users-second-factor-cleared"),
        _ => None,
    }
}

async fn users_page(
    state: &AppState,
    v: &Visitor,
    me: Staff,
    form: &NewUserForm,
    errors: Vec<Value>,
    notice: Option<(&str, String)>,
) -> Result<Response, AppError> {
    let users = state.store.users_of_org(me.org_id).await?;
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.code()).collect();
    let (notice, notice_arg) = notice
        .map(|(k, a)| (Some(k), a))
        .unwrap_or((None, String::new()));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = page(
        state,
        v,
        "users.html",
        context! { users, roles, me => me.user_id, form, form_errors => errors, notice, notice_arg, demo => state.config.demo },
    )?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn users(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<Notice>,
) -> Result<Response, AppError> {
    let me = admin(&v)?;
    let notice = q
        .gelukt
        .as_deref()
        .and_then(notice_key)
        .map(|k| (k, q.naam.clone().unwrap_or_default()));
    let form = NewUserForm {
        role: Role::Caseworker.code().into(),
        ..Default::default()
    };
    users_page(&state, &v, me, &form, vec![], notice).await
}

pub async fn create_user(
    State(state): State<AppState>,
    v: Visitor,
    Form(form): Form<NewUserForm>,
) -> Result<Response, AppError> {
    let me = admin(&v)?;
    let mut errors = Vec::new();
    let mut check = |r: Result<(), ValidationError>, id: &str| {
        if let Err(e) = r {
            errors.push(problem_message(&state, v.lang, &e, id));
        }
    };
    check(text("naam", &form.name, 200).map(drop), "naam");
    check(parse_username(&form.username).map(drop), "gebruikersnaam");
    check(Role::from_code(&form.role).map(drop), "rol");
    let org = state.store.org(me.org_id).await?.name;
    check(
        check_new_password(&form.password, &[&form.username, &form.name, &org]),
        "wachtwoord",
    );
    if !errors.is_empty() {
        return users_page(&state, &v, me, &form, errors, None).await;
    }
    let role = Role::from_code(&form.role).map_err(|_| AppError::BadRequest)?;
    let password = form.password.clone();
    let hash = crate::auth::hash_through_gate(&state, password).await?;
    let new = NewUser {
        org_id: me.org_id,
        username: &form.username,
        display_name: &form.name,
        role,
        password_hash: hash,
    };
    match state
        .store
        .create_user(&Actor::Staff(me), new, state.now())
        .await
    {
        Ok(_) => {
            let name = parse_username(&form.username).unwrap_or_default();
            Ok(
                Redirect::to(&format!("/beheer/gebruikers?gelukt=toegevoegd&naam={name}"))
                    .into_response(),
            )
        }
        Err(StoreError::Duplicate(_)) => {
            let e = ValidationError::new("gebruikersnaam", Problem::Duplicate);
            let errors = vec![problem_message(&state, v.lang, &e, "gebruikersnaam")];
            users_page(&state, &v, me, &form, errors, None).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize)]
pub struct StatusForm {
    active: String,
}

pub async fn set_status(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    let me = admin(&v)?;
    let active = match form.active.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::BadRequest),
    };
    if id == me.user_id {
        let message = state.i18n.t(v.lang, "users-cannot-block-self", &[]);
        let form = NewUserForm {
            role: Role::Caseworker.code().into(),
            ..Default::default()
        };
        return users_page(&state, &v, me, &form, vec![context! { message }], None).await;
    }
    state
        .store
        .set_user_active(&me, id, active, state.now())
        .await?;
    Ok(Redirect::to("/beheer/gebruikers?gelukt=opgeslagen").into_response())
}

async fn user_of_my_org(
    state: &AppState,
    me: &Staff,
    id: i64,
) -> Result<wegwijs_store::users::User, AppError> {
    let user = state.store.user(id).await?;
    // Another organisation's account is not found, as if it did not exist.
    policy::may_manage_user(&Actor::Staff(*me), user.org_id).map_err(|_| AppError::NotFound)?;
    Ok(user)
}

pub async fn password_form(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let me = admin(&v)?;
    let user = user_of_my_org(&state, &me, id).await?;
    page(
        &state,
        &v,
        "password.html",
        context! { user, form_errors => Vec::<()>::new() },
    )
}

#[derive(serde::Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

pub async fn set_password(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let me = admin(&v)?;
    let user = user_of_my_org(&state, &me, id).await?;
    let org = state.store.org(me.org_id).await?.name;
    let context = [user.username.as_str(), &user.display_name, &org];
    if let Err(e) = check_new_password(&form.password, &context) {
        let errors = vec![problem_message(&state, v.lang, &e, "wachtwoord")];
        let mut r = page(
            &state,
            &v,
            "password.html",
            context! { user, form_errors => errors },
        )?;
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(r);
    }
    let password = form.password;
    let hash = crate::auth::hash_through_gate(&state, password).await?;
    state
        .store
        .set_password(&Actor::Staff(me), me.org_id, user.id, &hash, state.now())
        .await?;
    Ok(Redirect::to("/beheer/gebruikers?gelukt=wachtwoord").into_response())
}

/// A lost phone: the account sets its second step up again at the next
/// login (its sessions end; logged).
pub async fn reset_second_factor(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let me = admin(&v)?;
    let user = user_of_my_org(&state, &me, id).await?;
    state
        .store
        .reset_second_factor(&Actor::Staff(me), me.org_id, user.id, state.now())
        .await?;
    Ok(Redirect::to(&format!(
        "/beheer/gebruikers?gelukt=tweede-stap&naam={}",
        user.username
    ))
    .into_response())
}
