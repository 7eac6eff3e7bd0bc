//! A staff login after the password, outside demo mode: a password an
//! admin set is replaced first, then the second factor (TOTP, RFC 6238) is
//! set up (a QR code as SVG, the secret in groups to type, and single-use
//! recovery codes shown once) or asked for. The steps share one address,
//! `/inloggen/stap`, and a short-lived challenge; no session exists until
//! the last step is done.

use super::ClientAddr;
use super::staff::{LOGIN_COOKIE, locked, start_session, verify_password_async};
use crate::error::AppError;
use crate::render::{page, problem_message};
use crate::state::AppState;
use crate::tokens::{new_token, token_hash};
use crate::visitor::{Visitor, cookie};
use axum::Form;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use minijinja::context;
use rand::RngCore;
use totp_rs::{Algorithm, TOTP};
use wegwijs_domain::{Problem, ValidationError};
use wegwijs_store::second_factor::{Challenge, Stage};
use wegwijs_store::sessions::{Subject, throttle_address};
use wegwijs_store::users::User;

/// Seconds per code, and how many steps either side are accepted (clocks
/// of phones drift).
const STEP_SECS: u64 = 30;
const RECOVERY_CODES: usize = 10;
const ISSUER: &str = "Wegwijs";

/// After a right password: in a demo, in at once; otherwise on to the
/// first step this account still needs.
pub async fn after_password(
    state: &AppState,
    v: &Visitor,
    user: &User,
    destination: &str,
) -> Result<Response, AppError> {
    if state.config.demo {
        return start_session(state, v, Subject::Staff(user.id), destination).await;
    }
    let stage = if user.must_change_password {
        Stage::NewPassword
    } else if user.second_factor {
        Stage::Code
    } else {
        Stage::SetUp
    };
    let token = new_token();
    let challenge = Challenge {
        user_id: user.id,
        stage,
        destination: destination.to_string(),
    };
    state
        .store
        .start_login_challenge(&token_hash(&token), &challenge, state.now())
        .await?;
    let c = cookie(state, LOGIN_COOKIE, token);
    Ok((
        [(header::SET_COOKIE, c.to_string())],
        Redirect::to("/inloggen/stap"),
    )
        .into_response())
}

/// The login waiting for this visitor; none sends them back to the start.
async fn waiting(
    state: &AppState,
    jar: &CookieJar,
) -> Result<Option<(String, Challenge)>, AppError> {
    let Some(token) = jar
        .get(LOGIN_COOKIE.of(state))
        .map(|c| c.value().to_string())
    else {
        return Ok(None);
    };
    let hash = token_hash(&token);
    Ok(state
        .store
        .login_challenge(&hash, state.now())
        .await?
        .map(|c| (hash, c)))
}

fn back_to_start() -> Response {
    Redirect::to("/inloggen?verlopen=1").into_response()
}

pub async fn step_form(
    State(state): State<AppState>,
    v: Visitor,
    jar: CookieJar,
) -> Result<Response, AppError> {
    let Some((_, challenge)) = waiting(&state, &jar).await? else {
        return Ok(back_to_start());
    };
    show(&state, &v, challenge, Vec::new()).await
}

/// The page of the step the login is at; setting up shows the account's
/// pending key (the same over tries, until a code confirms it).
async fn show(
    state: &AppState,
    v: &Visitor,
    challenge: Challenge,
    form_errors: Vec<minijinja::Value>,
) -> Result<Response, AppError> {
    let status = if form_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut setup = None;
    if challenge.stage == Stage::SetUp {
        let nonce = state
            .store
            .pending_second_factor(challenge.user_id, &new_token())
            .await?;
        let user = state.store.user(challenge.user_id).await?;
        let totp = totp(state, user.id, &nonce)?;
        setup = Some(context! {
            qr => qr_svg(&otpauth_url(&totp, &user.username))?,
            secret => grouped(&totp.get_secret_base32()),
        });
    }
    let mut r = page(
        state,
        v,
        "login_step.html",
        context! { stage => challenge.stage.code(), setup, form_errors },
    )?;
    *r.status_mut() = status;
    Ok(r)
}

#[derive(serde::Deserialize)]
pub struct StepForm {
    #[serde(default)]
    wachtwoord: String,
    #[serde(default)]
    herhaling: String,
    #[serde(default)]
    code: String,
}

pub async fn step(
    State(state): State<AppState>,
    v: Visitor,
    jar: CookieJar,
    ClientAddr(ip): ClientAddr,
    Form(form): Form<StepForm>,
) -> Result<Response, AppError> {
    let Some((hash, challenge)) = waiting(&state, &jar).await? else {
        return Ok(back_to_start());
    };
    let user = state.store.user(challenge.user_id).await?;
    match challenge.stage {
        Stage::NewPassword => new_password(&state, &v, (&hash, challenge, &user), &form).await,
        Stage::SetUp => set_up(&state, &v, (&hash, challenge, &user), &form.code).await,
        Stage::Code => {
            let address = throttle_address(ip);
            code(&state, &v, (&hash, challenge, &user), &form.code, &address).await
        }
    }
}

async fn new_password(
    state: &AppState,
    v: &Visitor,
    (hash, challenge, user): (&str, Challenge, &User),
    form: &StepForm,
) -> Result<Response, AppError> {
    let org = state.store.org(user.org_id).await?.name;
    let typed = (form.wachtwoord.as_str(), form.herhaling.as_str());
    if let Some(error) = super::password::new_password_problem(state, v, user, &org, typed) {
        return show(state, v, challenge, vec![error]).await;
    }
    // The admin's password must not be chosen again.
    let old = state.store.password_hash(user.id).await?;
    if verify_password_async(state, old, form.wachtwoord.clone()).await? {
        let message = state.i18n.t(v.lang, "login-step-same-password", &[]);
        let errors = vec![context! { message, id => "wachtwoord" }];
        return show(state, v, challenge, errors).await;
    }
    let password = form.wachtwoord.clone();
    let new_hash = super::staff::hash_through_gate(state, password).await?;
    state
        .store
        .change_own_password(&user.staff(), &new_hash, state.now())
        .await?;
    let next = if user.second_factor {
        Stage::Code
    } else {
        Stage::SetUp
    };
    state.store.advance_login_challenge(hash, next).await?;
    Ok(Redirect::to("/inloggen/stap").into_response())
}

async fn set_up(
    state: &AppState,
    v: &Visitor,
    (hash, challenge, user): (&str, Challenge, &User),
    code: &str,
) -> Result<Response, AppError> {
    let nonce = state
        .store
        .pending_second_factor(user.id, &new_token())
        .await?;
    let totp = totp(state, user.id, &nonce)?;
    let Some(step) = matching_step(&totp, code, state.now()) else {
        // No recovery codes yet: the message for setting up names none.
        let message = state.i18n.t(v.lang, "login-step-setup-wrong-code", &[]);
        let errors = vec![context! { message, id => "code" }];
        return show(state, v, challenge, errors).await;
    };
    let codes = recovery_codes();
    state
        .store
        .confirm_second_factor(user.id, (&nonce, step), &codes, state.now())
        .await?;
    state.store.end_login_challenge(hash).await?;
    tracing::info!(user_id = user.id, "second factor set up");
    let session = start_session(state, v, Subject::Staff(user.id), &challenge.destination).await?;
    // The codes are shown once, on the page the new session starts with.
    let cookies: Vec<_> = session
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .cloned()
        .collect();
    let mut r = page(
        state,
        v,
        "recovery_codes.html",
        context! { codes, destination => challenge.destination },
    )?;
    for c in cookies {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(r)
}

async fn code(
    state: &AppState,
    v: &Visitor,
    (hash, challenge, user): (&str, Challenge, &User),
    code: &str,
    address: &str,
) -> Result<Response, AppError> {
    let now = state.now();
    let failures = state
        .store
        .login_failures_since(
            &user.username,
            address,
            now - wegwijs_domain::policy::LOGIN_WINDOW_SECS,
        )
        .await?;
    if wegwijs_domain::policy::may_try_login(failures).is_err() {
        state.store.end_login_challenge(hash).await?;
        return locked(state, v, &user.username);
    }
    let right = match state.store.second_factor(user.id).await? {
        Some(f) => {
            let totp = totp(state, user.id, &f.nonce)?;
            match matching_step(&totp, code, now) {
                Some(step) => state.store.use_second_factor_step(user.id, step).await?,
                None => state.store.use_recovery_code(user.id, code, now).await?,
            }
        }
        None => false,
    };
    if !right {
        state
            .store
            .record_login_failure(&user.username, address, now)
            .await?;
        state.metrics.login("staff", "failed");
        tracing::info!(user_id = user.id, "second login step failed");
        let e = ValidationError::new("code", Problem::WrongCode);
        let errors = vec![problem_message(state, v.lang, &e, "code")];
        return show(state, v, challenge, errors).await;
    }
    state
        .store
        .clear_login_failures(&user.username, address)
        .await?;
    state.store.end_login_challenge(hash).await?;
    state.metrics.login("staff", "ok");
    tracing::info!(user_id = user.id, org_id = user.org_id, "staff logged in");
    start_session(state, v, Subject::Staff(user.id), &challenge.destination).await
}

fn totp(state: &AppState, user_id: i64, nonce: &str) -> Result<TOTP, AppError> {
    let secret = state.store.second_factor_secret(user_id, nonce);
    TOTP::new(Algorithm::SHA1, 6, 0, STEP_SECS, secret).map_err(AppError::internal)
}

/// The time step whose code `code` is, within one step of now.
fn matching_step(totp: &TOTP, code: &str, now: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let now = u64::try_from(now).ok()?;
    let step = now / STEP_SECS;
    [step, step.saturating_sub(1), step + 1]
        .into_iter()
        .find(|s| totp.check(&code, s * STEP_SECS))
        .and_then(|s| i64::try_from(s).ok())
}

/// The otpauth:// address authenticator apps read from the QR code.
fn otpauth_url(totp: &TOTP, username: &str) -> String {
    let enc = |s: &str| {
        openidconnect::url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>()
    };
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits=6&period={STEP_SECS}",
        enc(ISSUER),
        enc(username),
        totp.get_secret_base32(),
        enc(ISSUER)
    )
}

fn qr_svg(data: &str) -> Result<String, AppError> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::new(data.as_bytes()).map_err(AppError::internal)?;
    Ok(code
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .build())
}

/// The secret in groups of four, to type by hand.
fn grouped(base32: &str) -> String {
    let chars: Vec<char> = base32.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A new set of recovery codes.
pub(super) fn recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODES).map(|_| recovery_code()).collect()
}

/// A recovery code: 10 characters from an alphabet without look-alikes
/// (50 bits), written as two groups.
fn recovery_code() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 10];
    rand::rng().fill_bytes(&mut bytes);
    let s: String = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    format!("{}-{}", &s[..5], &s[5..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_within_a_step_and_recovery_codes_look_right() {
        let totp = TOTP::new(Algorithm::SHA1, 6, 0, STEP_SECS, vec![7; 20]).unwrap();
        let now = 1_800_000_000;
        let code = totp.generate(now as u64);
        assert_eq!(matching_step(&totp, &code, now), Some(now / 30));
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(matching_step(&totp, &spaced, now + 30), Some(now / 30));
        assert_eq!(matching_step(&totp, &code, now + 90), None, "too late");
        assert_eq!(matching_step(&totp, "12345", now), None);
        let r = recovery_code();
        assert_eq!(r.len(), 11);
        assert_eq!(
            wegwijs_store::second_factor::normalise_code(&r.to_uppercase()).len(),
            10
        );
        let url = otpauth_url(&totp, "j.de vries");
        assert!(
            url.starts_with("otpauth://totp/Wegwijs:j.de+vries?secret="),
            "{url}"
        );
        assert!(qr_svg(&url).unwrap().starts_with("<?xml"));
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }
}
