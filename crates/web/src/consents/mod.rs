//! Toestemmingen: the resident gives and withdraws consent per purpose and
//! channel, and can ask not to be approached for a while. Every choice
//! takes effect at once and is kept with the version of its text.

use crate::error::AppError;
use crate::render::{page, problem_message};
use crate::routes::Routes;
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Value;
use serde::Deserialize;
use wegwijs_domain::consent::{PAUSE_MONTHS, TEXT_VERSION, Topic, pause_until};
use wegwijs_domain::policy::Capability;
use wegwijs_domain::{Actor, ValidationError};
use wegwijs_store::consents::{Change, Consents};

pub fn routes() -> Routes {
    Routes::new()
        .page("/mijn/toestemmingen", Capability::ResidentPortal, show)
        .post("/mijn/toestemmingen", choose)
        .post("/mijn/toestemmingen/pauze", pause)
}

/// The topics in the order the page shows them, in three groups.
const GROUPS: &[(&str, &[Topic])] = &[
    ("delen", &[Topic::DelenSchuldhulp, Topic::DelenUwv]),
    ("benaderen", &[Topic::ProactiefBenaderen, Topic::NaamTonen]),
    (
        "kanalen",
        &[
            Topic::Brief,
            Topic::Telefoon,
            Topic::Email,
            Topic::Sms,
            Topic::Huisbezoek,
        ],
    ),
];

#[derive(Debug, Default, Deserialize)]
pub struct Saved {
    gelukt: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ChoiceForm {
    #[serde(default)]
    onderwerp: String,
    #[serde(default)]
    keuze: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct PauseForm {
    #[serde(default)]
    periode: String,
    #[serde(default)]
    stoppen: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    v: Visitor,
    Query(saved): Query<Saved>,
) -> Result<Response, AppError> {
    let notice = match saved.gelukt.as_deref() {
        Some("keuze") => Some("consent-saved"),
        Some("pauze") => Some("consent-pause-saved"),
        _ => None,
    };
    consent_page(&state, &v, notice, vec![], "", StatusCode::OK).await
}

pub async fn choose(
    State(state): State<AppState>,
    v: Visitor,
    Form(form): Form<ChoiceForm>,
) -> Result<Response, AppError> {
    let me = v.resident()?;
    let given = match form.keuze.as_str() {
        "ja" => Ok(true),
        "nee" => Ok(false),
        _ => Err(ValidationError::new(
            "keuze",
            wegwijs_domain::Problem::NotYesNo,
        )),
    };
    match Topic::from_code(&form.onderwerp).and_then(|t| given.map(|g| (t, g))) {
        Ok((topic, given)) => {
            let change = Change::Set(topic, given);
            state
                .store
                .change_consent(&Actor::Resident(me), me, change, state.now())
                .await?;
            Ok(Redirect::to("/mijn/toestemmingen?gelukt=keuze").into_response())
        }
        Err(e) => {
            let errors = vec![problem_message(&state, v.lang, &e, "")];
            consent_page(
                &state,
                &v,
                None,
                errors,
                "",
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub async fn pause(
    State(state): State<AppState>,
    v: Visitor,
    Form(form): Form<PauseForm>,
) -> Result<Response, AppError> {
    let me = v.resident()?;
    let change = if form.stoppen.is_some() {
        Ok(Change::EndPause)
    } else {
        pause_until(state.today(), &form.periode).map(Change::Pause)
    };
    match change {
        Ok(change) => {
            state
                .store
                .change_consent(&Actor::Resident(me), me, change, state.now())
                .await?;
            Ok(Redirect::to("/mijn/toestemmingen?gelukt=pauze").into_response())
        }
        Err(e) => {
            let errors = vec![problem_message(&state, v.lang, &e, "veld-periode")];
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            consent_page(&state, &v, None, errors, &form.periode, status).await
        }
    }
}

/// The topics with their state, in the page's three groups.
pub(crate) fn groups(consents: &Consents) -> Vec<Value> {
    GROUPS
        .iter()
        .map(|(name, topics)| {
            let items: Vec<Value> = topics
                .iter()
                .filter_map(|t| consents.topics.iter().find(|s| s.topic == t.code()))
                .map(|s| {
                    let sharing = !Topic::from_code(s.topic)
                        .is_ok_and(|t| t.is_household_matter() || t == Topic::NaamTonen);
                    // A young child's own choices count for nothing: say
                    // what holds instead (nothing is shared).
                    let given = s.given && (consents.decides || !sharing);
                    context! { code => s.topic, given, chosen => s.chosen, sharing }
                })
                .collect();
            context! { name, items }
        })
        .collect()
}

async fn consent_page(
    state: &AppState,
    v: &Visitor,
    notice: Option<&'static str>,
    errors: Vec<Value>,
    periode: &str,
    status: StatusCode,
) -> Result<Response, AppError> {
    let me = v.resident()?;
    let consents = state
        .store
        .own_consents(&Actor::Resident(me), me, state.today(), state.now())
        .await?;
    let groups = groups(&consents);
    // The other members' choices that hold for the household: one's own
    // stand on the cards below.
    let mut others = consents.household.clone();
    others.not_approached.retain(|b| b.resident != me);
    others.channel_noes.retain(|(_, b)| b.resident != me);
    if others
        .paused_until
        .as_ref()
        .is_some_and(|(_, b)| b.resident == me)
    {
        others.paused_until = None;
    }
    let ctx = context! {
        groups,
        paused_until => consents.paused_until.map(wegwijs_domain::person::format_date),
        months => PAUSE_MONTHS,
        periode,
        errors,
        notice,
        version => TEXT_VERSION,
        decides => consents.decides,
        household => crate::views::choices_view(&others),
    };
    let mut r = page(state, v, "consents.html", ctx)?;
    *r.status_mut() = status;
    Ok(r)
}
