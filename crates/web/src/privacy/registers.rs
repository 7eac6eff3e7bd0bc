//! The registers, made from the code's configuration and the
//! installation's settings each time they are opened: the register of
//! processing activities (AVG art. 30) and the algorithm register entries,
//! as pages and as JSON.

use crate::error::AppError;
use crate::render::page;
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use minijinja::value::Value;
use wegwijs_domain::policy::{Capability, Purpose};
use wegwijs_domain::registers::{
    AlgorithmEntry, Config, ProcessingRegister, Term, algorithm_register, processing_register,
};
use wegwijs_domain::signal::priority::WEIGHTS;

async fn config(state: &AppState, v: &Visitor) -> Result<Config, AppError> {
    let actor = v.require(Capability::AuditLog)?;
    let facts = state.store.register_facts(&actor).await?;
    let session = &state.config.session;
    let mut retention = facts.retention;
    retention.push(Term {
        data: "sessies",
        amount: session.idle_secs / 60,
        unit: "minuten",
        org: None,
        job: "sessies-opruimen",
    });
    Ok(Config {
        controller: facts.controllers.join(", "),
        purposes: Purpose::ALL.to_vec(),
        orgs: facts.orgs,
        retention,
        weights: WEIGHTS,
        laws: state
            .config
            .explainer
            .as_ref()
            .map(|e| e.0.scanned_laws())
            .unwrap_or_default(),
    })
}

pub async fn registers(State(state): State<AppState>, v: Visitor) -> Result<Response, AppError> {
    let cfg = config(&state, &v).await?;
    let processing = Value::from_serialize(processing_register(&cfg));
    let algorithms: Vec<Value> = algorithm_register(&cfg)
        .iter()
        .map(Value::from_serialize)
        .collect();
    page(
        &state,
        &v,
        "registers.html",
        context! { processing, algorithms },
    )
}

fn download<T: serde::Serialize>(body: T, name: &str) -> Response {
    (
        [(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.json\""),
        )],
        Json(body),
    )
        .into_response()
}

pub async fn processing_json(
    State(state): State<AppState>,
    v: Visitor,
) -> Result<Response, AppError> {
    let register: ProcessingRegister = processing_register(&config(&state, &v).await?);
    Ok(download(register, "verwerkingsregister"))
}

pub async fn algorithms_json(
    State(state): State<AppState>,
    v: Visitor,
) -> Result<Response, AppError> {
    let entries: Vec<AlgorithmEntry> = algorithm_register(&config(&state, &v).await?);
    Ok(download(entries, "algoritmeregister"))
}
