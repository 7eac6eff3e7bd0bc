//! The resident's own data: everything at once (the log's every line too), the download.

use crate::error::AppError;
use crate::render::page;
use crate::state::AppState;
use crate::views::resident_view;
use crate::visitor::Visitor;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use wegwijs_domain::Purpose;
use wegwijs_store::inzage::{ViewedBy, Viewing};

/// Everything Wegwijs has about the resident on one readable page, made
/// to be printed or saved as PDF (AVG inzage).
pub async fn all_details(State(state): State<AppState>, v: Visitor) -> Result<Response, AppError> {
    let me = v.resident()?;
    let actor = wegwijs_domain::Actor::Resident(me);
    let now = state.now();
    let r = state
        .store
        .read_resident(&actor, me, Purpose::OwnView, now)
        .await?;
    let consents = state
        .store
        .own_consents(&actor, me, state.today(), now)
        .await?;
    let lines = own_log_lines(&state, &v, me).await?;
    let requests: Vec<minijinja::Value> = state
        .store
        .own_requests(&actor, me, now)
        .await?
        .iter()
        .map(|q| crate::views::request_view(&state, v.lang, q))
        .collect();
    let appointments: Vec<minijinja::Value> = state
        .store
        .own_appointments(&actor, me, now)
        .await?
        .iter()
        .map(|a| crate::views::appointment_view(&state, v.lang, a))
        .collect();
    let messages = state.store.own_messages(&actor, me, now).await?;
    let ctx = context! {
        requests,
        appointments,
        messages => messages.iter().map(minijinja::Value::from_serialize).collect::<Vec<_>>(),
        r => resident_view(&r, state.clock.as_ref()),
        groups => crate::consents::groups(&consents),
        paused_until => consents.paused_until.map(wegwijs_domain::person::format_date),
        lines,
        made_on => crate::templates::format_moment(now),
    };
    page(&state, &v, "resident_all.html", ctx)
}

/// Everything Wegwijs has about the resident, as a JSON file (AVG inzage).
pub async fn download(State(state): State<AppState>, v: Visitor) -> Result<Response, AppError> {
    let me = v.resident()?;
    let actor = wegwijs_domain::Actor::Resident(me);
    let r = state
        .store
        .read_resident(&actor, me, Purpose::OwnView, state.now())
        .await?;
    let log = state
        .store
        .own_audit_extract(&actor, me, None, state.now())
        .await?;
    let consents = state
        .store
        .own_consents(&actor, me, state.today(), state.now())
        .await?;
    let now = state.now();
    let body = serde_json::json!({
        "gegevens": resident_view(&r, state.clock.as_ref()),
        "toestemmingen": consents,
        "vragen": state.store.own_requests(&actor, me, now).await?,
        "afspraken": state.store.own_appointments(&actor, me, now).await?,
        "berichten": state.store.own_messages(&actor, me, now).await?,
        "email_en_sms": state.store.own_mail(&actor, me, now).await?,
        "voorbereidingen": state
            .store
            .own_preparations(&actor, me, now)
            .await?
            .iter()
            .map(|(appointment, p)| serde_json::json!({
                "afspraak": appointment,
                "antwoorden": p.answers,
                "gestuurd_op": p.sent_at,
                "brieven": p.uploads,
            }))
            .collect::<Vec<_>>(),
        "logboek": log,
    });
    let json = serde_json::to_string_pretty(&body).map_err(AppError::internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"mijn-gegevens.json\"",
            ),
        ],
        json,
    )
        .into_response())
}

/// The resident's log extract as lines in words.
async fn own_log_lines(
    state: &AppState,
    v: &Visitor,
    me: wegwijs_domain::ResidentId,
) -> Result<Vec<minijinja::Value>, AppError> {
    let extract = state
        .store
        .own_audit_extract(
            &wegwijs_domain::Actor::Resident(me),
            me,
            Some(wegwijs_store::inzage::LIMIT),
            state.now(),
        )
        .await?;
    Ok(extract.iter().map(|e| log_line(state, v.lang, e)).collect())
}

/// One line of the extract in words: when, who, what, why.
pub(super) fn log_line(state: &AppState, lang: crate::i18n::Lang, e: &Viewing) -> minijinja::Value {
    let t = |key: &str| state.i18n.t(lang, key, &[]);
    let or_other = |prefix: &str, code: &str| {
        let key = format!("{prefix}-{code}");
        if state.i18n.has(lang, &key) {
            t(&key)
        } else {
            t(&format!("{prefix}-anders"))
        }
    };
    let who = match &e.by {
        ViewedBy::Staff { organisation, role } => {
            let role = or_other("log-role", role);
            state.i18n.t(
                lang,
                "log-who-staff",
                &[("org", organisation.as_str().into()), ("role", role.into())],
            )
        }
        ViewedBy::Resident => t("log-who-you"),
        ViewedBy::Household => t("log-who-household"),
        ViewedBy::System => t("log-who-system"),
    };
    context! {
        at => crate::templates::format_moment(e.at),
        who,
        what => or_other("log-action", &e.action),
        why => or_other("log-purpose", &e.purpose),
        allowed => e.allowed,
    }
}
