//! Pages: a template rendered with the context every page shares (the
//! visitor's language, menu and CSRF token), and errors as pages.

use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use fluent_bundle::FluentValue;
use minijinja::context;
use minijinja::value::Value;
use wegwijs_domain::policy;
use wegwijs_domain::{Actor, Role};

/// The menu entry of the page: the longest href the path is in.
fn current_href<'a>(path: &str, hrefs: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    hrefs
        .filter(|h| {
            path == *h
                || path
                    .strip_prefix(h)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .max_by_key(|h| h.len())
}

fn base_context(state: &AppState, v: &Visitor) -> Value {
    let actor = v.actor();
    let nav: Vec<Value> = match &actor {
        Some(a) => {
            let mine: Vec<_> = v
                .nav
                .iter()
                .filter(|n| policy::may(a, n.capability))
                .collect();
            let current = current_href(&v.path, mine.iter().map(|n| n.href));
            mine.iter()
                .map(|n| context! { href => n.href, label => n.label, current => current == Some(n.href) })
                .collect()
        }
        None => vec![],
    };
    let who = match (&actor, &v.session) {
        (Some(Actor::Resident(_)), _) => context! { resident => true },
        (Some(Actor::Staff(s)), Some(sess)) => context! {
            resident => false,
            name => sess.display_name.clone(),
            org => sess.org_name.clone(),
            role => s.role.code(),
        },
        _ => Value::from(()),
    };
    // Seconds until the session ends without use: the page warns before.
    let session_left = v.session.as_ref().map(|s| s.expires_at - state.now());
    context! {
        lang => v.lang.code(),
        session_left,
        demo => state.config.demo,
        csrf => crate::tokens::mask(&v.csrf),
        path => v.path.clone(),
        here => v.here.clone(),
        who,
        nav,
    }
}

/// Renders `template` with the shared context merged with `ctx`.
pub fn page(
    state: &AppState,
    v: &Visitor,
    template: &str,
    ctx: Value,
) -> Result<Response, AppError> {
    let html = render_html(state, v, template, ctx)?;
    Ok(Html(html).into_response())
}

pub fn render_html(
    state: &AppState,
    v: &Visitor,
    template: &str,
    ctx: Value,
) -> Result<String, AppError> {
    let base = base_context(state, v);
    let merged = context! { ..ctx, ..base };
    let tmpl = state
        .templates
        .get_template(template)
        .map_err(AppError::internal)?;
    tmpl.render(merged).map_err(AppError::internal)
}

/// Where each role starts after logging in.
pub fn start_path(actor: &Actor) -> &'static str {
    match actor {
        Actor::Staff(s) => match s.role {
            Role::Caseworker => "/werk",
            Role::TeamLead => "/team",
            Role::PrivacyOfficer => "/privacy/logboek",
            Role::Admin => "/beheer/gebruikers",
        },
        Actor::Resident(_) => "/mijn",
        Actor::System(_) => "/",
    }
}

/// A validation problem as the page shows it: the message, and the id of
/// the input it is about (for the link in the error summary).
pub fn problem_message(
    state: &AppState,
    lang: Lang,
    e: &wegwijs_domain::ValidationError,
    input_id: &str,
) -> Value {
    let field = state.i18n.t(lang, &format!("field-{}", e.field), &[]);
    let mut args: Vec<(&str, FluentValue)> = vec![("field", FluentValue::from(field))];
    if let Some(n) = e.problem.arg() {
        args.push(("n", FluentValue::from(n)));
    }
    if let wegwijs_domain::Problem::OutOfRange { min, max }
    | wegwijs_domain::Problem::PhoneLength { min, max } = e.problem
    {
        args.push(("min", FluentValue::from(min)));
        args.push(("max", FluentValue::from(max)));
    }
    let message = state
        .i18n
        .t(lang, &format!("problem-{}", e.problem.code()), &args);
    context! { message, id => input_id }
}

/// The error page for `err`, in the visitor's language, with a link back
/// to `back` (a path on this site the person came from) when there is one.
fn error_page_back(state: &AppState, v: &Visitor, err: AppError, back: Option<String>) -> Response {
    if let AppError::LoginNeeded { .. } = err {
        return err.into_response();
    }
    let (title_key, text_key) = err.keys();
    let reference = match &err {
        AppError::Internal { reference } => reference.clone(),
        _ => String::new(),
    };
    let html = render_html(
        state,
        v,
        "error.html",
        context! { title_key, text_key, reference, back },
    );
    match html {
        Ok(h) => (err.status(), Html(h)).into_response(),
        Err(_) => (err.status(), "Wegwijs: error").into_response(),
    }
}

/// Turns an [`AppError`] answer into its page. It runs outside the visitor
/// layer, which leaves the visitor on every error answer (also its own
/// refusals, such as a missing CSRF token); cookies that layer set stay.
pub async fn render_errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let back = came_from(&state, req.headers());
    // A page opened before logging in (a link in an e-mail, a bookmark) is
    // where staff and residents land after it.
    let asked = (req.method() == axum::http::Method::GET)
        .then(|| req.uri().path_and_query().map(|p| p.to_string()))
        .flatten();
    let response = next.run(req).await;
    let Some(v) = response.extensions().get::<Visitor>() else {
        return response;
    };
    let err = match response.extensions().get::<AppError>() {
        Some(AppError::LoginNeeded { resident }) => {
            let login = if *resident {
                "/inwoner/inloggen"
            } else {
                "/inloggen"
            };
            return login_redirect(login, asked.as_deref(), &response);
        }
        Some(err) => err.clone(),
        None => match framework_refusal(&response) {
            Some(err) => err,
            None => return response,
        },
    };
    let mut page = error_page_back(&state, v, err, back);
    for cookie in response.headers().get_all(header::SET_COOKIE) {
        page.headers_mut()
            .append(header::SET_COOKIE, cookie.clone());
    }
    page
}

/// To the `login` page, which sends one back to `asked` afterwards.
fn login_redirect(login: &str, asked: Option<&str>, response: &Response) -> Response {
    let to = match asked.filter(|p| crate::visitor::is_local_path(p)) {
        Some(path) => format!(
            "{login}?{}",
            serde_urlencoded::to_string([("terug", path)]).unwrap_or_default()
        ),
        None => login.to_string(),
    };
    let mut r = axum::response::Redirect::to(&to).into_response();
    for cookie in response.headers().get_all(header::SET_COOKIE) {
        r.headers_mut().append(header::SET_COOKIE, cookie.clone());
    }
    r
}

/// A refusal axum wrote itself, as plain text in English ("Failed to
/// deserialize query string", "Invalid URL", a method the route does not
/// take): it becomes our page, in the visitor's language, with a next step.
fn framework_refusal(response: &Response) -> Option<AppError> {
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|c| c.to_str().ok())
        .is_none_or(|c| c.starts_with("text/plain"));
    if !plain {
        return None;
    }
    match response.status() {
        StatusCode::BAD_REQUEST
        | StatusCode::UNPROCESSABLE_ENTITY
        | StatusCode::UNSUPPORTED_MEDIA_TYPE => Some(AppError::BadRequest),
        StatusCode::METHOD_NOT_ALLOWED => Some(AppError::WrongMethod),
        StatusCode::NOT_FOUND => Some(AppError::NotFound),
        _ => None,
    }
}

/// The page on this site the request came from (its `Referer`), for the
/// error page's "back" link.
fn came_from(state: &AppState, headers: &axum::http::HeaderMap) -> Option<String> {
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let path = referer.strip_prefix(state.config.public_url.trim_end_matches('/'))?;
    crate::visitor::is_local_path(path).then(|| path.to_string())
}
