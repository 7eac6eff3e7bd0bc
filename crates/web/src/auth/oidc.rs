//! Resident login with OpenID Connect, as municipalities do DigiD through a
//! broker: authorization code flow with PKCE, state and nonce; the ID token
//! is verified (signature from the provider's JWKS, issuer, audience,
//! expiry against the injected clock, nonce) and the BSN taken from a claim.

use crate::state::AppState;
use crate::visitor::{cookie, is_local_path};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata,
    CoreResponseType, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthenticationFlow, AuthorizationCode, Client, ClientId, ClientSecret,
    CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields,
    IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, StandardErrorResponse,
    StandardTokenResponse,
};
use std::collections::BTreeMap;
use wegwijs_domain::Bsn;

use crate::visitor::CookieName;

pub const FLOW_COOKIE: CookieName = CookieName::new("wegwijs_oidc", "__Host-wegwijs_oidc");
/// The path of the built-in demo provider, below the public URL.
pub const DEMO_ISSUER_PATH: &str = "/demo-digid";
pub const DEMO_CLIENT_ID: &str = "wegwijs-demo";
pub const CALLBACK_PATH: &str = "/inwoner/terug";

/// Claims beyond the standard ones; the BSN claim's name differs per broker.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ExtraClaims(pub BTreeMap<String, serde_json::Value>);
impl AdditionalClaims for ExtraClaims {}

pub type IdFields = IdTokenFields<
    ExtraClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
pub type TokenResponse = StandardTokenResponse<IdFields, CoreTokenType>;
type DigidClient = Client<
    ExtraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    TokenResponse,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Which provider to use: the configured broker, or in demo mode without
/// one, the built-in demo provider.
struct Provider {
    issuer: String,
    client_id: String,
    client_secret: String,
    bsn_claim: String,
}

fn provider(state: &AppState) -> Option<Provider> {
    match (&state.config.oidc, state.config.demo) {
        (Some(o), _) => Some(Provider {
            issuer: o.issuer.clone(),
            client_id: o.client_id.clone(),
            client_secret: o.client_secret.clone(),
            bsn_claim: o.bsn_claim.clone(),
        }),
        (None, true) => Some(Provider {
            issuer: format!("{}{DEMO_ISSUER_PATH}", state.config.public_url),
            client_id: DEMO_CLIENT_ID.into(),
            client_secret: state.demo_secret.clone(),
            bsn_claim: "bsn".into(),
        }),
        (None, false) => None,
    }
}

/// Why a resident's login did not go through; logged, never shown (the
/// page says to try again or call). No personal data in any of them.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("no resident login configured")]
    NotConfigured,
    #[error("a configured address is not a URL: {0}")]
    BadUrl(String),
    #[error("discovery: {0}")]
    Discovery(String),
    #[error("no login in progress (cookie missing or expired)")]
    NoFlow,
    #[error("login cookie malformed")]
    MalformedFlow,
    #[error("state does not match")]
    StateMismatch,
    #[error("provider returned error {0:?}")]
    Provider(String),
    #[error("callback without code or state")]
    NoCode,
    #[error("token exchange: {0}")]
    Exchange(String),
    #[error("no ID token in the response")]
    NoIdToken,
    #[error("ID token: {0}")]
    IdToken(String),
    #[error("ID token has no {0} claim")]
    NoBsnClaim(String),
    #[error("BSN claim: {0}")]
    BadBsn(wegwijs_domain::Problem),
}

async fn client(state: &AppState, p: &Provider) -> Result<DigidClient, LoginError> {
    let issuer = IssuerUrl::new(p.issuer.clone()).map_err(|e| LoginError::BadUrl(e.to_string()))?;
    let metadata = CoreProviderMetadata::discover_async(issuer, &state.http)
        .await
        .map_err(|e| LoginError::Discovery(e.to_string()))?;
    let redirect = RedirectUrl::new(format!("{}{CALLBACK_PATH}", state.config.public_url))
        .map_err(|e| LoginError::BadUrl(e.to_string()))?;
    Ok(DigidClient::from_provider_metadata(
        metadata,
        ClientId::new(p.client_id.clone()),
        Some(ClientSecret::new(p.client_secret.clone())),
    )
    .set_redirect_uri(redirect))
}

/// Sends the resident to the provider, remembering state, nonce and PKCE
/// verifier in a short-lived cookie.
/// Starts the login; `back` (a path on this site) is where the resident
/// goes after it, kept in the flow cookie beside state, nonce and verifier.
pub async fn start(state: &AppState, back: Option<&str>) -> Result<Response, LoginError> {
    let p = provider(state).ok_or(LoginError::NotConfigured)?;
    let client = client(state, &p).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(
            AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        // "openid" is always asked for: adding it again sent "openid openid".
        .set_pkce_challenge(challenge)
        .url();
    let back = back.filter(|b| is_local_path(b)).unwrap_or_default();
    let value = format!(
        "{}.{}.{}.{}",
        csrf.secret(),
        nonce.secret(),
        verifier.secret(),
        hex::encode(back)
    );
    let mut c = cookie(state, FLOW_COOKIE, value);
    c.set_max_age(time::Duration::minutes(10));
    Ok((
        [(header::SET_COOKIE, c.to_string())],
        Redirect::to(url.as_str()),
    )
        .into_response())
}

/// Completes the login: checks state, exchanges the code, verifies the ID
/// token and returns the BSN. Errors say what failed, without personal data.
pub async fn finish(
    state: &AppState,
    flow_cookie: Option<&str>,
    returned_state: &str,
    code: &str,
) -> Result<Bsn, LoginError> {
    let p = provider(state).ok_or(LoginError::NotConfigured)?;
    let mut parts = flow_cookie.ok_or(LoginError::NoFlow)?.splitn(4, '.');
    let (Some(expected_state), Some(nonce), Some(verifier)) =
        (parts.next(), parts.next(), parts.next())
    else {
        return Err(LoginError::MalformedFlow);
    };
    if expected_state.is_empty() || expected_state.as_bytes() != returned_state.as_bytes() {
        return Err(LoginError::StateMismatch);
    }
    let client = client(state, &p).await?;
    let token = client
        .exchange_code(AuthorizationCode::new(code.to_string()))
        .map_err(|e| LoginError::Exchange(e.to_string()))?
        .set_pkce_verifier(PkceCodeVerifier::new(verifier.to_string()))
        .request_async(&state.http)
        .await
        .map_err(|e| LoginError::Exchange(e.to_string()))?;
    let id_token = openidconnect::TokenResponse::id_token(&token).ok_or(LoginError::NoIdToken)?;
    let clock = state.clock.clone();
    let verifier = client.id_token_verifier().set_time_fn(move || {
        chrono::DateTime::from_timestamp(clock.now().unix_timestamp(), 0).unwrap_or_default()
    });
    let claims = id_token
        .claims(&verifier, &Nonce::new(nonce.to_string()))
        .map_err(|e| LoginError::IdToken(e.to_string()))?;
    let raw = if p.bsn_claim == "sub" {
        Some(claims.subject().as_str().to_string())
    } else {
        claims
            .additional_claims()
            .0
            .get(&p.bsn_claim)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let raw = raw.ok_or_else(|| LoginError::NoBsnClaim(p.bsn_claim.clone()))?;
    Bsn::parse(&raw).map_err(|e| LoginError::BadBsn(e.problem))
}

/// Where the resident asked to go after the login (see [`start`]), if
/// anywhere: a path on this site.
pub fn return_path(flow_cookie: Option<&str>) -> Option<String> {
    let hex_path = flow_cookie?.splitn(4, '.').nth(3)?;
    let path = String::from_utf8(hex::decode(hex_path).ok()?).ok()?;
    is_local_path(&path).then_some(path)
}

pub fn has_provider(state: &AppState) -> bool {
    provider(state).is_some()
}

pub fn clear_flow_cookie(state: &AppState) -> String {
    let mut c = cookie(state, FLOW_COOKIE, String::new());
    c.make_removal();
    c.to_string()
}
