//! A municipality admin's vroegsignalering pages: the outreach plan,
//! retention terms and report identity; partner API tokens; and the
//! quarantine of refused rows, to correct and retry.

use crate::error::AppError;
use crate::render::{page, problem_message};
use crate::state::AppState;
use crate::tokens::{new_token, token_hash};
use crate::visitor::Visitor;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fluent_bundle::FluentValue;
use minijinja::context;
use minijinja::value::Value;
use std::collections::HashMap;
use wegwijs_domain::person::text;
use wegwijs_domain::policy::{self, Capability};
use wegwijs_domain::signal::{
    COLUMNS, ContactKind, OutreachPlan, OutreachStep, PartnerType, Retention, Signal, SignalFields,
};
use wegwijs_domain::{Actor, Problem, ValidationError};
use wegwijs_store::signals::{ReportIdentity, SignalSettings, SignalSource, SourceKind};

/// Rows of steps the settings form offers.
const PLAN_ROWS: usize = 5;

fn admin(v: &Visitor) -> Result<Actor, AppError> {
    v.require(Capability::SignalAdmin)
}

fn org_of(actor: &Actor) -> Result<i64, AppError> {
    policy::staff_with(actor, Capability::SignalAdmin)
        .map(|s| s.org_id)
        .map_err(|_| AppError::Forbidden)
}

/// The settings form as typed: plain strings, so nothing is lost on error.
type SettingsForm = HashMap<String, String>;

fn form_of(s: &SignalSettings) -> SettingsForm {
    let mut f = SettingsForm::new();
    for (i, step) in s.plan.steps.iter().enumerate() {
        f.insert(format!("dag{i}"), step.day.to_string());
        f.insert(format!("soort{i}"), step.kind.code().to_string());
    }
    if s.plan.card_when_not_home {
        f.insert("kaartje".into(), "ja".into());
    }
    f.insert(
        "niet-opgepakt".into(),
        s.retention.not_picked_up_months.to_string(),
    );
    f.insert(
        "na-afsluiting".into(),
        s.retention.after_case_months.to_string(),
    );
    let r = &s.report;
    for (k, v) in [
        ("gemeentecode", &r.gemeentecode),
        ("kvk", &r.kvk_nummer),
        ("contact-naam", &r.contact_naam),
        ("contact-email", &r.contact_email),
        ("contact-telefoon", &r.contact_telefoon),
        ("contact-functie", &r.contact_functie),
    ] {
        f.insert(k.into(), v.clone());
    }
    f
}

/// A problem of the form, with the plan's step it is about (counted from 0).
type FormProblem = (Option<usize>, ValidationError);

/// Checks the whole form; every problem is returned at once, a step's with
/// its number.
fn settings_of(f: &SettingsForm) -> Result<SignalSettings, Vec<FormProblem>> {
    let get = |k: &str| f.get(k).map(|s| s.trim()).unwrap_or("");
    let mut step_errors: Vec<FormProblem> = Vec::new();
    let mut steps = Vec::new();
    for i in 0..PLAN_ROWS {
        let (day, kind) = (get(&format!("dag{i}")), get(&format!("soort{i}")));
        if day.is_empty() && kind.is_empty() {
            continue;
        }
        let max = i64::from(wegwijs_domain::signal::outreach::MAX_DAY);
        let day = match day.parse::<u16>() {
            Ok(d) if i64::from(d) <= max => Ok(d),
            _ => Err(ValidationError::new(
                "dag",
                Problem::OutOfRange { min: 0, max },
            )),
        };
        let kind = ContactKind::parse("soort", kind);
        match (day, kind) {
            (Ok(day), Ok(kind)) => steps.push(OutreachStep { day, kind }),
            (d, k) => step_errors.extend(d.err().into_iter().chain(k.err()).map(|e| (Some(i), e))),
        }
    }
    let mut errors: Vec<ValidationError> = Vec::new();
    let plan = if step_errors.is_empty() {
        OutreachPlan::new(steps, get("kaartje") == "ja").map_err(|e| errors.push(e))
    } else {
        Err(())
    };
    let months = |k: &'static str| {
        get(k)
            .parse::<u16>()
            .map_err(|_| ValidationError::new(k, Problem::NotDigits))
    };
    let retention = match (months("niet-opgepakt"), months("na-afsluiting")) {
        (Ok(a), Ok(b)) => Retention::new(a, b).map_err(|e| errors.push(e)),
        (a, b) => {
            errors.extend(a.err().into_iter().chain(b.err()));
            Err(())
        }
    };
    let code = get("gemeentecode");
    if !code.is_empty() && (code.len() != 4 || !code.bytes().all(|b| b.is_ascii_digit())) {
        errors.push(ValidationError::new(
            "gemeentecode",
            Problem::WrongLength { expected: 4 },
        ));
    }
    let kvk = get("kvk");
    if !kvk.is_empty() && (kvk.len() != 8 || !kvk.bytes().all(|b| b.is_ascii_digit())) {
        errors.push(ValidationError::new(
            "kvk",
            Problem::WrongLength { expected: 8 },
        ));
    }
    let mut optional =
        |k: &'static str, check: fn(&'static str, &str) -> Result<String, ValidationError>| {
            let typed = get(k).trim();
            if typed.is_empty() {
                return String::new();
            }
            check(k, typed).unwrap_or_else(|e| {
                errors.push(e);
                typed.to_string()
            })
        };
    let contact_email = optional("contact-email", wegwijs_domain::contact::email);
    let contact_telefoon = optional("contact-telefoon", wegwijs_domain::contact::phone);
    let mut short = |k: &'static str| match text(k, get(k), 200) {
        Ok(s) => s,
        Err(e) if e.problem == Problem::Empty => String::new(),
        Err(e) => {
            errors.push(e);
            String::new()
        }
    };
    let report = ReportIdentity {
        gemeentecode: code.to_string(),
        kvk_nummer: kvk.to_string(),
        contact_naam: short("contact-naam"),
        contact_email,
        contact_telefoon,
        contact_functie: short("contact-functie"),
    };
    match (plan, retention) {
        (Ok(plan), Ok(retention)) if errors.is_empty() => Ok(SignalSettings {
            plan,
            retention,
            report,
        }),
        _ => Err(step_errors
            .into_iter()
            .chain(errors.into_iter().map(|e| (None, e)))
            .collect()),
    }
}

#[derive(serde::Deserialize)]
pub struct Notice {
    gelukt: Option<String>,
}

async fn settings_page(
    state: &AppState,
    v: &Visitor,
    actor: &Actor,
    form: SettingsForm,
    errors: Vec<Value>,
    notice: Option<&'static str>,
    new_token: Option<String>,
) -> Result<Response, AppError> {
    let tokens: Vec<Value> = state
        .store
        .partner_tokens(actor)
        .await?
        .iter()
        .map(|t| {
            context! {
                id => t.id, label => t.label, partner => t.partner.code(),
                created => t.created_at, revoked => t.revoked_at, used => t.last_used_at,
            }
        })
        .collect();
    let quarantined = state.store.quarantine_count(org_of(actor)?).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut r = page(
        state,
        v,
        "signal_settings.html",
        context! {
            form, form_errors => errors, notice, tokens, new_token, quarantined,
            rows => (0..PLAN_ROWS).collect::<Vec<_>>(),
            kinds => ContactKind::ALL.iter().filter(|k| **k != ContactKind::Administratief).map(|k| k.code()).collect::<Vec<_>>(),
            partners => PartnerType::ALL.iter().map(|p| p.code()).collect::<Vec<_>>(),
        },
    )?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn settings(
    State(state): State<AppState>,
    v: Visitor,
    Query(n): Query<Notice>,
) -> Result<Response, AppError> {
    let actor = admin(&v)?;
    let current = state.store.signal_settings(org_of(&actor)?).await?;
    let notice = match n.gelukt.as_deref() {
        Some("opgeslagen") => Some("signal-settings-saved"),
        Some("ingetrokken") => Some("signal-token-revoked"),
        _ => None,
    };
    settings_page(&state, &v, &actor, form_of(&current), vec![], notice, None).await
}

pub async fn save_settings(
    State(state): State<AppState>,
    v: Visitor,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    let actor = admin(&v)?;
    match settings_of(&form) {
        Ok(s) => {
            state
                .store
                .save_signal_settings(&actor, &s, state.now())
                .await?;
            Ok(Redirect::to("/beheer/signalen?gelukt=opgeslagen").into_response())
        }
        Err(errors) => {
            let errors = errors
                .iter()
                .map(|(step, e)| {
                    // A step's problem points at its own field and says
                    // which step; one about the whole plan at the plan.
                    let anchor = match (step, e.field) {
                        (Some(i), f) => format!("veld-{f}{i}"),
                        (None, "dag" | "soort" | "stappen") => "plan-kop".to_string(),
                        (None, f) => format!("veld-{f}"),
                    };
                    let message = problem_message(&state, v.lang, e, &anchor);
                    match step {
                        Some(i) => {
                            let n = FluentValue::from(*i as i64 + 1);
                            let prefix =
                                state
                                    .i18n
                                    .t(v.lang, "signal-plan-step-problem", &[("n", n)]);
                            let text = message
                                .get_attr("message")
                                .map(|m| m.to_string())
                                .unwrap_or_default();
                            context! { message => format!("{prefix} {text}"), id => anchor }
                        }
                        None => message,
                    }
                })
                .collect();
            settings_page(&state, &v, &actor, form, errors, None, None).await
        }
    }
}

#[derive(serde::Deserialize, Default)]
pub struct TokenForm {
    #[serde(default)]
    label: String,
    #[serde(default)]
    partner: String,
}

/// Makes a token and shows it once; only its hash is kept.
pub async fn create_token(
    State(state): State<AppState>,
    v: Visitor,
    Form(form): Form<TokenForm>,
) -> Result<Response, AppError> {
    let actor = admin(&v)?;
    let current = form_of(&state.store.signal_settings(org_of(&actor)?).await?);
    let label = text("label", &form.label, 100);
    let partner = PartnerType::parse("partner", &form.partner);
    match (label, partner) {
        (Ok(label), Ok(partner)) => {
            let token = format!("wwp_{}", new_token());
            state
                .store
                .create_partner_token(&actor, &label, partner, &token_hash(&token), state.now())
                .await?;
            settings_page(
                &state,
                &v,
                &actor,
                current,
                vec![],
                Some("signal-token-made"),
                Some(token),
            )
            .await
        }
        (l, p) => {
            let errors = l
                .err()
                .into_iter()
                .chain(p.err())
                .map(|e| problem_message(&state, v.lang, &e, &format!("veld-token-{}", e.field)))
                .collect();
            settings_page(&state, &v, &actor, current, errors, None, None).await
        }
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = admin(&v)?;
    state
        .store
        .revoke_partner_token(&actor, id, state.now())
        .await?;
    Ok(Redirect::to("/beheer/signalen?gelukt=ingetrokken").into_response())
}

#[derive(serde::Deserialize)]
pub struct QuarantineNotice {
    gelukt: Option<String>,
}

pub async fn quarantine(
    State(state): State<AppState>,
    v: Visitor,
    Query(n): Query<QuarantineNotice>,
) -> Result<Response, AppError> {
    let actor = admin(&v)?;
    let rows: Vec<Value> = state
        .store
        .quarantine_rows(&actor, 500, state.now())
        .await?
        .iter()
        .map(|r| {
            context! {
                id => r.id, line => r.line, import => r.import_id,
                signal => r.fields.first().cloned().unwrap_or_default(),
                partner => r.fields.get(1).cloned().unwrap_or_default(),
                problems => r.problems.iter().map(|(f, p, _)| format!("{f}: {p}")).collect::<Vec<_>>(),
            }
        })
        .collect();
    let notice = match n.gelukt.as_deref() {
        Some("verwerkt") => Some("quarantine-retried"),
        Some("verwijderd") => Some("quarantine-discarded"),
        _ => None,
    };
    page(
        &state,
        &v,
        "signal_quarantine.html",
        context! { rows, notice },
    )
}

async fn quarantined_page(
    state: &AppState,
    v: &Visitor,
    actor: &Actor,
    id: i64,
    typed: Option<(Vec<String>, Vec<ValidationError>)>,
) -> Result<Response, AppError> {
    let row = state.store.quarantine_row(actor, id, state.now()).await?;
    let anchor = |field: &str| {
        let i = COLUMNS.iter().position(|c| *c == field).unwrap_or(0);
        format!("kolom{i}")
    };
    let (values, bad, messages): (Vec<String>, Vec<String>, Vec<Value>) = match typed {
        Some((values, errors)) => (
            values,
            errors.iter().map(|e| e.field.to_string()).collect(),
            errors
                .iter()
                .map(|e| problem_message(state, v.lang, e, &anchor(e.field)))
                .collect(),
        ),
        None => (
            row.fields.clone(),
            row.problems.iter().map(|(f, _, _)| f.clone()).collect(),
            row.problems
                .iter()
                .map(|(field, code, n)| {
                    let label = state.i18n.t(v.lang, &format!("field-{field}"), &[]);
                    let mut args = vec![("field", label.into())];
                    if let Some(n) = n {
                        args.push(("n", (*n).into()));
                    }
                    let message = state.i18n.t(v.lang, &format!("problem-{code}"), &args);
                    context! { message, id => anchor(field) }
                })
                .collect(),
        ),
    };
    let fields: Vec<Value> = COLUMNS
        .iter()
        .zip(&values)
        .enumerate()
        .map(|(i, (name, value))| context! { i, name, value, bad => bad.iter().any(|b| b == name) })
        .collect();
    page(
        state,
        v,
        "signal_quarantined.html",
        context! { id, line => row.line, fields, form_errors => messages },
    )
}

pub async fn quarantined(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = admin(&v)?;
    quarantined_page(&state, &v, &actor, id, None).await
}

/// Checks the corrected row like any delivery and takes it in; the
/// quarantined row is marked done in the same transaction.
pub async fn retry(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let actor = admin(&v)?;
    let values: Vec<String> = (0..COLUMNS.len())
        .map(|i| form.get(&format!("kolom{i}")).cloned().unwrap_or_default())
        .collect();
    let refs: Vec<&str> = values.iter().map(String::as_str).collect();
    let fields: [&str; 20] = refs.try_into().map_err(|_| AppError::BadRequest)?;
    let signal = match Signal::validate(&SignalFields(fields), state.today()) {
        Ok(s) => s,
        Err(errors) => {
            return quarantined_page(&state, &v, &actor, id, Some((values.clone(), errors)))
                .await
                .map(|mut r| {
                    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                    r
                });
        }
    };
    let source = SignalSource {
        kind: SourceKind::Correction,
        name: format!("quarantaine {id}"),
        sha256: None,
        token: None,
        partner: state.store.quarantine_partner(&actor, id).await?,
    };
    let mut import = state
        .store
        .begin_signal_import(
            &actor,
            org_of(&actor)?,
            &source,
            1,
            state.now(),
            state.today(),
        )
        .await?;
    import.push(vec![signal]).await?;
    import.resolve_quarantined(id).await?;
    import.commit().await?;
    Ok(Redirect::to("/beheer/signalen/quarantaine?gelukt=verwerkt").into_response())
}

pub async fn discard(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = admin(&v)?;
    state
        .store
        .discard_quarantined(&actor, id, state.now())
        .await?;
    Ok(Redirect::to("/beheer/signalen/quarantaine?gelukt=verwijderd").into_response())
}
