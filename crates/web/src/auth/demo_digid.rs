//! The built-in demo DigiD provider: a small OpenID Connect provider that
//! lets one pick a made-up resident. It answers only in demo mode; the
//! resident login talks to it over HTTP exactly as to a real broker.
//!
//! Authorization codes are random, opaque, single-use and two minutes
//! valid; they are kept in memory, as the demo runs as one instance. The BSN
//! never appears in a URL.

use super::oidc::{
    CALLBACK_PATH, DEMO_CLIENT_ID, DEMO_ISSUER_PATH, ExtraClaims, IdFields, TokenResponse,
};
use crate::error::AppError;
use crate::render::page;
use crate::state::AppState;
use crate::tokens::new_token;
use crate::visitor::Visitor;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Json};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use minijinja::context;
use openidconnect::core::{
    CoreGenderClaim, CoreJsonWebKeySet, CoreJwsSigningAlgorithm, CoreProviderMetadata,
    CoreResponseType, CoreRsaPrivateSigningKey, CoreSubjectIdentifierType, CoreTokenType,
};
use openidconnect::{
    AccessToken, Audience, AuthUrl, EmptyAdditionalProviderMetadata, EmptyExtraTokenFields,
    IdToken, IdTokenClaims, IssuerUrl, JsonWebKeyId, JsonWebKeySetUrl, Nonce, PrivateSigningKey,
    ResponseTypes, StandardClaims, SubjectIdentifier, TokenUrl,
};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;
use wegwijs_domain::Bsn;

const KEY_PEM: &str = include_str!("demo_digid_key.pem");
const CODE_LIFETIME_SECS: i64 = 120;

fn demo_only(state: &AppState) -> Result<(), AppError> {
    if state.config.demo {
        Ok(())
    } else {
        Err(AppError::DemoOff)
    }
}

fn issuer(state: &AppState) -> String {
    format!("{}{DEMO_ISSUER_PATH}", state.config.public_url)
}

fn signing_key() -> Result<CoreRsaPrivateSigningKey, AppError> {
    CoreRsaPrivateSigningKey::from_pem(KEY_PEM, Some(JsonWebKeyId::new("demo-digid".into())))
        .map_err(AppError::internal)
}

fn url<T>(
    make: impl FnOnce(String) -> Result<T, openidconnect::url::ParseError>,
    s: String,
) -> Result<T, AppError> {
    make(s).map_err(AppError::internal)
}

pub async fn discovery(State(state): State<AppState>) -> Result<Response, AppError> {
    demo_only(&state)?;
    let base = issuer(&state);
    let metadata = CoreProviderMetadata::new(
        url(IssuerUrl::new, base.clone())?,
        url(AuthUrl::new, format!("{base}/authorize"))?,
        url(JsonWebKeySetUrl::new, format!("{base}/jwks"))?,
        vec![ResponseTypes::new(vec![CoreResponseType::Code])],
        vec![CoreSubjectIdentifierType::Public],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
        EmptyAdditionalProviderMetadata {},
    )
    .set_token_endpoint(Some(url(TokenUrl::new, format!("{base}/token"))?));
    Ok(Json(metadata).into_response())
}

pub async fn jwks(State(state): State<AppState>) -> Result<Response, AppError> {
    demo_only(&state)?;
    Ok(Json(CoreJsonWebKeySet::new(vec![
        signing_key()?.as_verification_key(),
    ]))
    .into_response())
}

/// What the relying party asked for, carried through the picker form.
#[derive(serde::Deserialize, serde::Serialize)]
pub struct AuthRequest {
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    redirect_uri: String,
    #[serde(default)]
    response_type: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    nonce: String,
    #[serde(default)]
    code_challenge: String,
    #[serde(default)]
    code_challenge_method: String,
}

impl AuthRequest {
    fn check(&self, state: &AppState) -> Result<(), AppError> {
        let expected = format!("{}{CALLBACK_PATH}", state.config.public_url);
        let ok = self.client_id == DEMO_CLIENT_ID
            && self.redirect_uri == expected
            && self.response_type == "code"
            && self.code_challenge_method == "S256"
            && !self.code_challenge.is_empty()
            && !self.state.is_empty();
        if ok {
            Ok(())
        } else {
            Err(AppError::BadRequest)
        }
    }
}

/// How many made-up residents the demo login offers; it logs in no one else.
const DEMO_CHOICES: i64 = 12;

pub async fn authorize_form(
    State(state): State<AppState>,
    v: Visitor,
    Query(req): Query<AuthRequest>,
) -> Result<Response, AppError> {
    demo_only(&state)?;
    req.check(&state)?;
    let people: Vec<_> = state
        .store
        .demo_login_candidates(DEMO_CHOICES, state.now())
        .await?
        .into_iter()
        .map(|(bsn, name)| context! { bsn => bsn.expose(), name })
        .collect();
    let request = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&req).map_err(AppError::internal)?);
    page(&state, &v, "demo_digid.html", context! { people, request })
}

#[derive(serde::Deserialize)]
pub struct PickForm {
    #[serde(default)]
    request: String,
    #[serde(default)]
    bsn: String,
}

/// What an authorization code stands for, until it is exchanged.
pub struct DemoCode {
    bsn: String,
    nonce: String,
    challenge: String,
    expires: i64,
}

/// Issued codes, by code. Expired ones are dropped whenever a code is issued.
/// The demo routes share one through an `Extension` layer (see `routes`).
pub type DemoCodes = Arc<std::sync::Mutex<HashMap<String, DemoCode>>>;

fn issue_code(state: &AppState, codes: &DemoCodes, content: DemoCode) -> String {
    let code = new_token();
    let now = state.now();
    let mut codes = codes.lock().unwrap_or_else(|e| e.into_inner());
    codes.retain(|_, c| c.expires >= now);
    codes.insert(code.clone(), content);
    code
}

fn redeem_code(state: &AppState, codes: &DemoCodes, code: &str) -> Option<DemoCode> {
    let now = state.now();
    let mut codes = codes.lock().unwrap_or_else(|e| e.into_inner());
    codes.remove(code).filter(|c| c.expires >= now)
}

/// A stable, opaque subject per resident that does not reveal the BSN.
fn subject(state: &AppState, bsn: &str) -> Result<String, AppError> {
    let mut m =
        Hmac::<Sha256>::new_from_slice(state.demo_secret.as_bytes()).map_err(AppError::internal)?;
    m.update(bsn.as_bytes());
    Ok(hex::encode(&m.finalize().into_bytes()[..16]))
}

pub async fn authorize(
    State(state): State<AppState>,
    Extension(codes): Extension<DemoCodes>,
    Form(form): Form<PickForm>,
) -> Result<Response, AppError> {
    demo_only(&state)?;
    let raw = URL_SAFE_NO_PAD
        .decode(&form.request)
        .map_err(|_| AppError::BadRequest)?;
    let req: AuthRequest = serde_json::from_slice(&raw).map_err(|_| AppError::BadRequest)?;
    req.check(&state)?;
    let bsn = Bsn::parse(&form.bsn).map_err(|_| AppError::BadRequest)?;
    if let Err(e) = state
        .store
        .demo_login_offered(&bsn, DEMO_CHOICES, state.now())
        .await
    {
        tracing::info!("demo login refused: the BSN was not among those offered");
        return Err(e.into());
    }
    let content = DemoCode {
        bsn: bsn.expose(),
        nonce: req.nonce,
        challenge: req.code_challenge,
        expires: state.now() + CODE_LIFETIME_SECS,
    };
    let code = issue_code(&state, &codes, content);
    let mut target =
        openidconnect::url::Url::parse(&req.redirect_uri).map_err(|_| AppError::BadRequest)?;
    target
        .query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", &req.state);
    Ok(Redirect::to(target.as_str()).into_response())
}

#[derive(serde::Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    grant_type: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    code_verifier: String,
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default)]
    client_secret: Option<String>,
}

fn oauth_error(kind: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(serde_json::json!({ "error": kind })),
    )
        .into_response()
}

/// Client authentication by HTTP Basic (the default of most clients) or by
/// form fields.
fn client_authenticated(state: &AppState, headers: &HeaderMap, form: &TokenForm) -> bool {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Basic "))
        .and_then(|b| STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok());
    let (id, secret) = match basic.as_deref().and_then(|b| b.split_once(':')) {
        Some((i, s)) => (i.to_string(), s.to_string()),
        None => (
            form.client_id.clone().unwrap_or_default(),
            form.client_secret.clone().unwrap_or_default(),
        ),
    };
    let decode = |s: &str| {
        openidconnect::url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    decode(&id) == DEMO_CLIENT_ID && decode(&secret) == state.demo_secret
}

pub async fn token(
    State(state): State<AppState>,
    Extension(codes): Extension<DemoCodes>,
    headers: HeaderMap,
    Form(form): Form<TokenForm>,
) -> Result<Response, AppError> {
    demo_only(&state)?;
    if form.grant_type != "authorization_code" {
        return Ok(oauth_error("unsupported_grant_type"));
    }
    if !client_authenticated(&state, &headers, &form) {
        return Ok((
            StatusCode::UNAUTHORIZED,
            Json(serde_json::json!({ "error": "invalid_client" })),
        )
            .into_response());
    }
    let now = state.now();
    let Some(content) = redeem_code(&state, &codes, &form.code) else {
        return Ok(oauth_error("invalid_grant"));
    };
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(form.code_verifier.as_bytes()));
    if challenge != content.challenge {
        return Ok(oauth_error("invalid_grant"));
    }
    let at = |secs: i64| chrono::DateTime::from_timestamp(secs, 0).unwrap_or_default();
    let mut extra = ExtraClaims::default();
    extra
        .0
        .insert("bsn".into(), serde_json::Value::String(content.bsn.clone()));
    let subject = subject(&state, &content.bsn)?;
    let claims = IdTokenClaims::<ExtraClaims, CoreGenderClaim>::new(
        url(IssuerUrl::new, issuer(&state))?,
        vec![Audience::new(DEMO_CLIENT_ID.into())],
        at(now + 300),
        at(now),
        StandardClaims::new(SubjectIdentifier::new(subject)),
        extra,
    )
    .set_nonce(Some(Nonce::new(content.nonce)));
    let access = AccessToken::new(new_token());
    let id_token = IdToken::new(
        claims,
        &signing_key()?,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        Some(&access),
        None,
    )
    .map_err(AppError::internal)?;
    let mut response = TokenResponse::new(
        access,
        CoreTokenType::Bearer,
        IdFields::new(Some(id_token), EmptyExtraTokenFields {}),
    );
    response.set_expires_in(Some(&std::time::Duration::from_secs(300)));
    Ok(Json(response).into_response())
}
