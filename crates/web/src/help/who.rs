//! Wie helpt u?: for every subject a resident can ask about, who picks it
//! up, their number and how soon they answer. It reads only the routing
//! table, which holds no personal data, so nothing is logged.

use crate::error::AppError;
use crate::render::page;
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::extract::State;
use axum::response::Response;
use minijinja::context;
use minijinja::value::Value;
use wegwijs_domain::help::HelpTopic;

pub async fn who_helps(State(state): State<AppState>, v: Visitor) -> Result<Response, AppError> {
    v.resident()?;
    let routes = state.store.help_routes().await?;
    // In the order of the question form, so the page reads like it.
    let helpers: Vec<Value> = HelpTopic::ALL
        .iter()
        .filter_map(|topic| routes.iter().find(|r| r.route.topic == *topic))
        .map(|r| {
            context! {
                topic => r.route.topic.code(),
                org => r.org_name,
                team => r.route.team,
                phone => r.route.phone,
                days => r.route.answer_days,
            }
        })
        .collect();
    page(&state, &v, "help_who.html", context! { helpers })
}
