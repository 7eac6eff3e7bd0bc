//! Mijn overzicht: what is known about the resident and offered to them —
//! arrears signals, support they are probably entitled to with the laws'
//! explanation and a way to ask for it, their requests as a timeline,
//! their messages — and the resident's own facts.

use crate::error::AppError;
use crate::help::routed;
use crate::render::{page, problem_message};
use crate::state::AppState;
use crate::views::resident_view;
use crate::views::{contact_view, message_view, request_view};
use crate::visitor::Visitor;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Value;
use wegwijs_domain::contact::ContactWays;
use wegwijs_domain::help::{HelpTopic, RequestKind};
use wegwijs_domain::{Actor, Money, ResidentId, ValidationError};
use wegwijs_store::leads::LeadRow;
use wegwijs_store::requests::{NewRequest, RequestView};

/// How many messages the overview shows; the rest are a click away.
const MESSAGES_SHOWN: usize = 3;

#[derive(Default, serde::Deserialize)]
pub struct Thanks {
    bedankt: Option<String>,
}

pub async fn overview(
    State(state): State<AppState>,
    v: Visitor,
    axum::extract::Query(q): axum::extract::Query<Thanks>,
) -> Result<Response, AppError> {
    let notice = q.bedankt.map(|_| "feedback-thanks");
    overview_page(&state, &v, None, notice, StatusCode::OK).await
}

/// A "Bel mij hierover" that needs a better number: which law, what was
/// typed, what is wrong.
struct CallbackProblem {
    law: String,
    phone: String,
    error: Value,
}

async fn overview_page(
    state: &AppState,
    v: &Visitor,
    problem: Option<CallbackProblem>,
    notice: Option<&'static str>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let me = v.resident()?;
    let actor = Actor::Resident(me);
    let now = state.now();
    // One read, one audit entry, for the whole page.
    let own = state.store.own_page(&actor, me, now).await?;
    let (r, overview, requests, messages) =
        (own.resident, own.overview, own.requests, own.messages);
    let appointments: Vec<Value> = own
        .appointments
        .iter()
        .filter(|a| a.status == "gepland" && a.starts_at > now)
        .map(|a| crate::views::appointment_view(state, v.lang, a))
        .collect();
    let leads = lead_views(
        state,
        v.lang,
        me,
        &overview.leads,
        &requests,
        problem.as_ref(),
    )
    .await?;
    let signals: Vec<Value> = overview
        .signals
        .iter()
        .map(|s| {
            context! {
                partner => s.partner_type,
                amount => Money::from_cents(s.cents).to_string(),
                date => s.signal_date,
                org => s.org_name,
                open => s.open,
                picked_up => s.picked_up,
            }
        })
        .collect();
    let more_messages = messages.len() > MESSAGES_SHOWN;
    let messages: Vec<Value> = messages
        .iter()
        .take(MESSAGES_SHOWN)
        .map(message_view)
        .collect();
    let open_requests: Vec<Value> = requests
        .iter()
        .filter(|q| q.status != "afgerond")
        .map(|q| request_view(state, v.lang, q))
        .collect();
    let done_requests = requests.len() - open_requests.len();
    let to_rate: Vec<Value> = own.to_rate.iter().map(contact_view).collect();
    let ctx = context! {
        r => resident_view(&r, state.clock.as_ref()),
        title_key => "portal-title",
        leads,
        signals,
        requests => open_requests,
        done_requests,
        messages,
        more_messages,
        appointments,
        to_rate,
        notice,
        form_errors => problem.map(|p| vec![p.error]).unwrap_or_default(),
    };
    let mut response = page(state, v, "portal.html", ctx)?;
    *response.status_mut() = status;
    Ok(response)
}

/// Each lead with the laws' explanation, and the request the resident
/// already placed about it, if one is open.
async fn lead_views(
    state: &AppState,
    lang: crate::i18n::Lang,
    me: ResidentId,
    leads: &[LeadRow],
    requests: &[RequestView],
    problem: Option<&CallbackProblem>,
) -> Result<Vec<Value>, AppError> {
    let household = match (&state.config.explainer, leads.is_empty()) {
        (Some(_), false) => {
            state
                .store
                .own_household(&Actor::Resident(me), me, state.today(), state.now())
                .await?
        }
        _ => None,
    };
    // The laws are compiled once a day and calculated per lead: off the
    // async runtime.
    let explanations: Vec<Option<String>> = match (&state.config.explainer, household) {
        (Some(e), Some(h)) => {
            let (e, laws, today) = (
                e.0.clone(),
                leads.iter().map(|l| l.law.clone()).collect::<Vec<_>>(),
                state.today(),
            );
            tokio::task::spawn_blocking(move || {
                laws.iter().map(|law| e.explain(&h, law, today)).collect()
            })
            .await
            .map_err(AppError::internal)?
        }
        _ => vec![None; leads.len()],
    };
    Ok(leads
        .iter()
        .zip(explanations)
        .map(|(l, text)| {
            let explanation = text.map(|text| explanation_blocks(&text));
            let asked = requests
                .iter()
                .find(|q| q.topic == l.law && q.status != "afgerond")
                .map(|q| context! { id => q.id, kind => q.kind, status => q.status });
            let typed = problem.filter(|p| p.law == l.law);
            let title = lead_title(state, lang, l);
            context! {
                law => l.law,
                law_name => l.law_name,
                title,
                amount => l.cents_per_year.map(|c| Money::from_cents(c).to_string()),
                explanation,
                asked,
                phone => typed.map(|p| p.phone.clone()).unwrap_or_default(),
                phone_invalid => typed.is_some(),
            }
        })
        .collect())
}

/// What a lead gives ("Zorgtoeslag"), where the messages say it; else the
/// law's own name.
pub(super) fn lead_title(state: &AppState, lang: crate::i18n::Lang, lead: &LeadRow) -> String {
    let key = format!("lead-gives-{}", lead.law);
    if state.i18n.has(lang, &key) {
        state.i18n.t(lang, &key, &[])
    } else {
        lead.law_name.clone()
    }
}

/// The explanation's lines as paragraphs and lists; its first line is the
/// law's name, which the page shows as the heading.
fn explanation_blocks(text: &str) -> Vec<Value> {
    let mut blocks = Vec::new();
    let mut items: Vec<&str> = Vec::new();
    for line in text.lines().skip(1).map(str::trim) {
        if let Some(item) = line.strip_prefix("- ") {
            items.push(item);
            continue;
        }
        if !items.is_empty() {
            blocks.push(context! { items => std::mem::take(&mut items) });
        }
        if !line.is_empty() {
            blocks.push(context! { text => line });
        }
    }
    if !items.is_empty() {
        blocks.push(context! { items });
    }
    blocks
}

#[derive(Default, serde::Deserialize)]
pub struct LeadForm {
    #[serde(default)]
    regeling: String,
    #[serde(default)]
    soort: String,
    #[serde(default)]
    telefoon: String,
}

/// "Ik wil dit aanvragen" or "Bel mij hierover" on a lead: a request to
/// the team that handles money matters, about this law.
pub async fn ask_about_lead(
    State(state): State<AppState>,
    v: Visitor,
    Form(form): Form<LeadForm>,
) -> Result<Response, AppError> {
    let me = v.resident()?;
    let actor = Actor::Resident(me);
    let kind = match RequestKind::from_code(&form.soort) {
        Ok(k @ (RequestKind::Aanvragen | RequestKind::Terugbellen)) => k,
        _ => return Err(AppError::BadRequest),
    };
    let overview = state.store.own_overview(&actor, me, state.now()).await?;
    // Only a lead of the resident's own: another law is not found.
    let lead = overview
        .leads
        .iter()
        .find(|l| l.law == form.regeling)
        .ok_or(AppError::NotFound)?;
    let reach = if kind == RequestKind::Terugbellen {
        match wegwijs_domain::contact::phone("telefoonnummer", &form.telefoon) {
            Ok(p) => ContactWays::phone(p),
            Err(e) => return callback_problem(&state, &v, &form, &e).await,
        }
    } else {
        ContactWays::default()
    };
    let request = NewRequest {
        kind,
        topic: lead.law.clone(),
        topic_name: lead.law_name.clone(),
        own_words: String::new(),
        reach,
    };
    match routed(&state, &v, me, &request, HelpTopic::Geld).await? {
        Some(id) => Ok(Redirect::to(&format!("/mijn/vraag/{id}?nieuw=1")).into_response()),
        None => Err(AppError::Unavailable),
    }
}

async fn callback_problem(
    state: &AppState,
    v: &Visitor,
    form: &LeadForm,
    e: &ValidationError,
) -> Result<Response, AppError> {
    let problem = CallbackProblem {
        law: form.regeling.clone(),
        phone: form.telefoon.clone(),
        error: problem_message(state, v.lang, e, &format!("telefoon-{}", form.regeling)),
    };
    overview_page(
        state,
        v,
        Some(problem),
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// All the resident's messages.
pub async fn messages(State(state): State<AppState>, v: Visitor) -> Result<Response, AppError> {
    let me = v.resident()?;
    let list = state
        .store
        .own_messages(&Actor::Resident(me), me, state.now())
        .await?;
    let messages: Vec<Value> = list.iter().map(message_view).collect();
    page(&state, &v, "messages.html", context! { messages })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explanation_becomes_paragraphs_and_lists() {
        let text = "Zorgtoeslag\nU heeft waarschijnlijk recht.\nDit is de reden:\n- a\n- b\nKlopt het niet?\n";
        let blocks = explanation_blocks(text);
        let shown: Vec<String> = blocks.iter().map(|b| b.to_string()).collect();
        assert_eq!(blocks.len(), 4, "{shown:?}");
        assert!(shown[0].contains("U heeft waarschijnlijk recht."));
        assert!(shown[2].contains("items") && shown[2].contains("\"b\""));
        assert!(!shown.iter().any(|s| s.contains("Zorgtoeslag")));
    }
}
