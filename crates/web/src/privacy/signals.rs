//! Signals worth a look, computed from the log: a staff member opening
//! many more residents than usual in an hour, reads outside working hours,
//! many refusals in a row. Each links to the lines behind it.

use super::search::input_id;
use crate::error::AppError;
use crate::render::{page, problem_message};
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use minijinja::value::Value;
use std::collections::HashMap;
use wegwijs_domain::clock::{dutch_day_start, dutch_local};
use wegwijs_domain::oversight::{Signal, Thresholds, TypedThresholds, given, read_period};
use wegwijs_domain::person::format_date;
use wegwijs_domain::policy::Capability;

/// Days a period without a start looks back.
const DEFAULT_DAYS: i64 = 7;

#[derive(Debug, Default, serde::Deserialize)]
pub struct Typed {
    #[serde(flatten)]
    thresholds: TypedThresholds,
    van: Option<String>,
    tot: Option<String>,
}

pub async fn signals(
    State(state): State<AppState>,
    v: Visitor,
    Query(typed): Query<Typed>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::AuditLog)?;
    let (thresholds, mut problems) = Thresholds::read(&typed.thresholds);
    let (from, to) = read_period(
        given(&typed.van),
        given(&typed.tot),
        ("periode-van", "periode-tot"),
        &mut problems,
    );
    let to = to.unwrap_or(state.today());
    let from = from.unwrap_or(to - time::Duration::days(DEFAULT_DAYS - 1));
    let until = to.next_day().map_or(i64::MAX, dutch_day_start);
    let found = state
        .store
        .log_signals(&actor, (dutch_day_start(from), until), &thresholds)
        .await?;
    let names: HashMap<i64, String> = state
        .store
        .search_choices(&actor)
        .await?
        .staff
        .into_iter()
        .map(|(id, name, _)| (id, name))
        .collect();
    let found: Vec<Value> = found
        .iter()
        .map(|s| signal_view(s, &names, &thresholds))
        .collect();
    let errors: Vec<Value> = problems
        .iter()
        .map(|e| problem_message(&state, v.lang, e, &input_id(e.field)))
        .collect();
    let invalid: Vec<&str> = problems.iter().map(|e| e.field).collect();
    let t = &typed.thresholds;
    let mut r = page(
        &state,
        &v,
        "audit_signals.html",
        context! {
            signals => found, errors, invalid,
            van => typed.van.clone().unwrap_or_else(|| format_date(from)),
            tot => typed.tot.clone().unwrap_or_else(|| format_date(to)),
            typed => context! {
                per_uur => t.per_uur.clone().unwrap_or_else(|| thresholds.per_hour.to_string()),
                keer_mediaan => t.keer_mediaan.clone().unwrap_or_else(|| thresholds.times_median.to_string()),
                nacht_van => t.nacht_van.clone().unwrap_or_else(|| thresholds.night_from.to_string()),
                nacht_tot => t.nacht_tot.clone().unwrap_or_else(|| thresholds.night_until.to_string()),
                weigeringen => t.weigeringen.clone().unwrap_or_else(|| thresholds.refusals.to_string()),
            },
        },
    )?;
    if !problems.is_empty() {
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(r)
}

fn signal_view(s: &Signal, names: &HashMap<i64, String>, t: &Thresholds) -> Value {
    let name = |id: &i64| {
        names
            .get(id)
            .cloned()
            .unwrap_or_else(|| format!("medewerker {id}"))
    };
    let hour_parts = |hour: i64| {
        let local = time::OffsetDateTime::from_unix_timestamp(hour)
            .map(dutch_local)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        (format_date(local.date()), local.hour())
    };
    match s {
        Signal::ManyInAnHour {
            staff,
            hour,
            residents,
            median,
        } => {
            let (day, h) = hour_parts(*hour);
            // Said by the limit it passed: the absolute one, else the
            // staff member's own median.
            let kind = if *residents > t.per_hour {
                "veel"
            } else {
                "veel-mediaan"
            };
            context! {
                kind, name => name(staff), day, hour => h, residents, median,
                limit => t.per_hour, times => t.times_median,
                lines => format!("/privacy/logboek?medewerker={staff}&van={day}&tot={day}"),
            }
        }
        Signal::AtNight {
            staff,
            hour,
            residents,
        } => {
            let (day, h) = hour_parts(*hour);
            context! {
                kind => "nacht", name => name(staff), day, hour => h, residents,
                lines => format!("/privacy/logboek?medewerker={staff}&van={day}&tot={day}"),
            }
        }
        Signal::RefusedInARow {
            staff,
            count,
            first_seq,
            last_seq,
        } => context! {
            kind => "weigeringen", name => name(staff), count, first => first_seq, last => last_seq,
            lines => format!("/privacy/logboek?medewerker={staff}&uitkomst=geweigerd"),
        },
    }
}
