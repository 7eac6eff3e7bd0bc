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
    // In the order of the question form, so the page reads like it; a
    // subject without a team of its own goes where the form sends it.
    let helpers: Vec<Value> = HelpTopic::ALL
        .iter()
        .filter_map(|topic| super::route_for(&routes, *topic).map(|r| (topic, r)))
        .map(|(topic, r)| {
            context! {
                topic => topic.code(),
                org => r.org_name,
                team => r.route.team,
                phone => r.route.phone,
                days => r.route.answer_days,
            }
        })
        .collect();
    page(&state, &v, "help_who.html", context! { helpers })
}
