//! Who is asking: the session (if any), the language and the CSRF token,
//! resolved once per request by [`load_visitor`]. Every POST is checked
//! against the CSRF token here, so no form can forget it.

use crate::error::AppError;
use crate::i18n::Lang;
use crate::routes::NavEntry;
use crate::state::AppState;
use crate::tokens::{new_token, token_hash};
use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, Method, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use std::sync::Arc;
use wegwijs_domain::policy::{self, Capability};
use wegwijs_domain::{Actor, ResidentId, Staff};
use wegwijs_store::sessions::Session;

/// A cookie's name: plain over http (development, tests), with the
/// `__Host-` prefix under https, so the browser takes it only when it is
/// Secure, for the whole site and from this host (no subdomain can set it).
#[derive(Clone, Copy, Debug)]
pub struct CookieName {
    plain: &'static str,
    host: &'static str,
}

impl CookieName {
    pub const fn new(plain: &'static str, host: &'static str) -> CookieName {
        CookieName { plain, host }
    }

    pub fn of(self, state: &AppState) -> &'static str {
        if state.config.secure_cookies() {
            self.host
        } else {
            self.plain
        }
    }
}

pub const SESSION_COOKIE: CookieName = CookieName::new("wegwijs_sessie", "__Host-wegwijs_sessie");
pub const CSRF_COOKIE: CookieName = CookieName::new("wegwijs_csrf", "__Host-wegwijs_csrf");
pub const LANG_COOKIE: CookieName = CookieName::new("wegwijs_taal", "__Host-wegwijs_taal");
const CSRF_FIELD: &str = "csrf";

/// Form bodies larger than this are refused before parsing.
const MAX_FORM_BYTES: usize = 256 * 1024;

/// A letter upload: one file and a few fields, as multipart.
pub const UPLOAD_BODY_BYTES: usize = wegwijs_domain::upload::MAX_BYTES + 64 * 1024;

/// Only the letter upload takes multipart bodies (and their size).
fn takes_uploads(path: &str) -> bool {
    path.starts_with("/mijn/afspraak/") && path.ends_with("/voorbereiden/brieven")
}

/// Paths that take POSTs from other servers, not from our forms: they carry
/// their own authentication.
const CSRF_EXEMPT: &[&str] = &["/demo-digid/token"];

#[derive(Clone, Debug)]
pub struct Visitor {
    pub session: Option<Session>,
    pub token_hash: Option<String>,
    pub lang: Lang,
    /// The token forms must send back.
    pub csrf: String,
    pub path: String,
    /// The path with its query string: where a language switch comes back
    /// to (the demo DigiD page needs its `request`, a filtered list its
    /// filter).
    pub here: String,
    /// The whole menu; the page shows the entries the policy allows.
    pub nav: Arc<[NavEntry]>,
}

impl Visitor {
    pub fn actor(&self) -> Option<Actor> {
        self.session.as_ref().map(|s| s.actor)
    }

    /// The actor, if the policy lets them use `capability`; otherwise a
    /// redirect to the right login page or a refusal.
    pub fn require(&self, capability: Capability) -> Result<Actor, AppError> {
        match self.actor() {
            None => Err(AppError::LoginNeeded {
                resident: capability == Capability::ResidentPortal,
            }),
            Some(a) if policy::may(&a, capability) => Ok(a),
            Some(_) => Err(AppError::Forbidden),
        }
    }

    /// The staff member, if the policy lets them use `capability`.
    pub fn staff(&self, capability: Capability) -> Result<Staff, AppError> {
        let actor = self.require(capability)?;
        policy::staff_with(&actor, capability)
            .copied()
            .map_err(|_| AppError::Forbidden)
    }

    /// The actor, when they are staff of any role: for the few staff
    /// addresses where the store decides (and logs) what each role may.
    pub fn any_staff(&self) -> Result<Actor, AppError> {
        match self.actor() {
            None => Err(AppError::LoginNeeded { resident: false }),
            Some(a @ Actor::Staff(_)) => Ok(a),
            Some(_) => Err(AppError::Forbidden),
        }
    }

    pub fn resident(&self) -> Result<ResidentId, AppError> {
        match self.require(Capability::ResidentPortal)? {
            Actor::Resident(id) => Ok(id),
            _ => Err(AppError::Forbidden),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        parts
            .extensions
            .get::<Visitor>()
            .cloned()
            .ok_or_else(|| AppError::internal("visitor layer missing"))
    }
}

/// A path on this site that is safe to redirect to: absolute, not
/// protocol-relative, and only visible ASCII (a decoded CR/LF or other
/// control character would be an invalid header, or a header injection).
pub fn is_local_path(p: &str) -> bool {
    p.starts_with('/')
        && !p.starts_with("//")
        && !p.contains('\\')
        && p.bytes().all(|b| b.is_ascii_graphic())
}

/// Whether `response` sets the cookie `name` already.
fn sets_cookie(response: &Response, name: &str) -> bool {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split('=').next() == Some(name))
}

pub fn cookie(state: &AppState, name: CookieName, value: String) -> Cookie<'static> {
    Cookie::build((name.of(state), value))
        .path("/")
        .http_only(true)
        .secure(state.config.secure_cookies())
        .same_site(SameSite::Lax)
        .build()
}

fn language(state: &AppState, headers: &HeaderMap, jar: &CookieJar) -> Lang {
    if let Some(lang) = jar
        .get(LANG_COOKIE.of(state))
        .and_then(|c| Lang::from_code(c.value()))
    {
        return lang;
    }
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if accept.trim_start().to_ascii_lowercase().starts_with("en") {
        Lang::En
    } else {
        Lang::Nl
    }
}

/// Marks a request whose upload was larger than [`UPLOAD_BODY_BYTES`]: its
/// body holds the first bytes only, enough for the fields before the file.
#[derive(Clone, Copy, Debug)]
pub struct UploadCut;

/// The body's first `limit` bytes, and whether there were more; `None`
/// when the body could not be read.
async fn read_up_to(mut body: Body, limit: usize) -> Option<(axum::body::Bytes, bool)> {
    use axum::body::HttpBody;
    let mut out = Vec::new();
    while let Some(frame) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await
    {
        let Ok(data) = frame.ok()?.into_data() else {
            continue;
        };
        let room = limit - out.len();
        if data.len() > room {
            out.extend_from_slice(&data[..room]);
            return Some((out.into(), true));
        }
        out.extend_from_slice(&data);
    }
    Some((out.into(), false))
}

/// The fields this layer reads itself, from a form or a multipart body
/// (where the form puts them first): the CSRF token and the one-time token.
async fn guard_fields(
    headers: &HeaderMap,
    bytes: &axum::body::Bytes,
    multipart: bool,
) -> (String, Option<String>) {
    let mut fields: Vec<(String, String)> = Vec::new();
    if multipart {
        use axum::extract::{FromRequest, Multipart};
        // The tokens are in the first parts: the first bytes are enough (and
        // the extractor's own limit of 2 MB would refuse a whole letter).
        let head = bytes.slice(..bytes.len().min(64 * 1024));
        let mut req = Request::new(Body::from(head));
        if let Some(ct) = headers.get(header::CONTENT_TYPE) {
            req.headers_mut().insert(header::CONTENT_TYPE, ct.clone());
        }
        if let Ok(mut form) = Multipart::from_request(req, &()).await {
            while let Ok(Some(field)) = form.next_field().await {
                let Some(name) = field.name().map(str::to_string) else {
                    continue;
                };
                if name != CSRF_FIELD && name != crate::once::FIELD {
                    continue;
                }
                fields.push((name, field.text().await.unwrap_or_default()));
            }
        }
    } else {
        fields = serde_urlencoded::from_bytes(bytes).unwrap_or_default();
    }
    let take = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    (
        take(CSRF_FIELD).unwrap_or_default(),
        take(crate::once::FIELD),
    )
}

/// A request refused before its handler: the error with the visitor, so
/// that `render::render_errors` can show the page in their language.
fn rejected(visitor: Visitor, err: AppError) -> Response {
    let mut response = err.into_response();
    response.extensions_mut().insert(visitor);
    response
}

pub async fn load_visitor(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let jar = CookieJar::from_headers(&parts.headers);
    let lang = language(&state, &parts.headers, &jar);
    let path = parts.uri.path().to_string();
    let here = parts
        .uri
        .path_and_query()
        .map_or_else(|| path.clone(), |p| p.to_string());
    let nav = parts
        .extensions
        .get::<Arc<[NavEntry]>>()
        .cloned()
        .unwrap_or_else(|| Arc::from(Vec::new()));
    let session_cookie = jar
        .get(SESSION_COOKIE.of(&state))
        .map(|c| c.value().to_string());
    let (session, token_hash) = match &session_cookie {
        Some(token) => {
            let hash = token_hash(token);
            match state
                .store
                .session(&hash, state.now(), state.config.session)
                .await
            {
                Ok(s) => (s, Some(hash)),
                Err(e) => {
                    let v = Visitor {
                        session: None,
                        token_hash: None,
                        lang,
                        csrf: String::new(),
                        path,
                        here,
                        nav,
                    };
                    return rejected(v, AppError::from(e));
                }
            }
        }
        None => (None, None),
    };
    let anon = jar
        .get(CSRF_COOKIE.of(&state))
        .map(|c| c.value().to_string())
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()));
    let fresh_anon = anon.is_none();
    let anon = anon.unwrap_or_else(new_token);
    let csrf = session
        .as_ref()
        .map(|s| s.csrf_token.clone())
        .unwrap_or_else(|| anon.clone());
    let stale_session = session_cookie.is_some() && session.is_none();
    let visitor = Visitor {
        session,
        token_hash,
        lang,
        csrf,
        path,
        here,
        nav,
    };

    let body = if parts.method == Method::POST && !CSRF_EXEMPT.contains(&visitor.path.as_str()) {
        // Only a logged-in resident may send a letter's worth of bytes.
        let resident = matches!(visitor.actor(), Some(Actor::Resident(_)));
        let multipart = resident
            && takes_uploads(&visitor.path)
            && parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("multipart/form-data"));
        let limit = if multipart {
            UPLOAD_BODY_BYTES
        } else {
            MAX_FORM_BYTES
        };
        // An upload larger than a letter may be is read up to the limit: the
        // CSRF token and the text come before the file, so the step can say
        // the file is too large and keep what was typed.
        let bytes = if multipart {
            match read_up_to(body, limit).await {
                Some((bytes, cut)) => {
                    if cut {
                        parts.extensions.insert(UploadCut);
                    }
                    bytes
                }
                None => return rejected(visitor, AppError::TooLarge),
            }
        } else {
            match to_bytes(body, limit).await {
                Ok(bytes) => bytes,
                Err(_) => return rejected(visitor, AppError::BadRequest),
            }
        };
        let (sent, once) = guard_fields(&parts.headers, &bytes, multipart).await;
        if let Some(token) = once.and_then(crate::once::FormOnce::parse) {
            parts.extensions.insert(token);
        }
        if !crate::tokens::matches(&sent, &visitor.csrf) {
            return rejected(visitor, AppError::Csrf);
        }
        Body::from(bytes)
    } else {
        body
    };
    parts.extensions.insert(visitor.clone());
    let mut response = next.run(Request::from_parts(parts, body)).await;
    let refused = response.status().is_client_error() || response.status().is_server_error();
    if refused || response.extensions().get::<AppError>().is_some() {
        // For `render::render_errors`, outside this layer, to make the page.
        response.extensions_mut().insert(visitor);
    }
    let mut set = Vec::new();
    if fresh_anon {
        set.push(cookie(&state, CSRF_COOKIE, anon));
    }
    // A stale session cookie is removed, unless this response (a login)
    // sets a new one: a removal after it would log the visitor out again.
    if stale_session && !sets_cookie(&response, SESSION_COOKIE.of(&state)) {
        let mut gone = cookie(&state, SESSION_COOKIE, String::new());
        gone.make_removal();
        set.push(gone);
    }
    for c in set {
        if let Ok(v) = c.to_string().parse() {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}
