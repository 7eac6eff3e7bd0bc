//! The privacy officer's view of the audit log: searchable, as a file,
//! the signals worth a look, and the log's verification.

mod registers;
mod search;
mod signals;

use crate::error::AppError;
use crate::render::page;
use crate::routes::Routes;
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::extract::State;
use axum::response::Response;
use minijinja::context;
use minijinja::value::Value;

use wegwijs_domain::policy::Capability;
use wegwijs_store::audit::Break;

pub fn routes() -> Routes {
    Routes::new()
        .page("/privacy/logboek", Capability::AuditLog, search::search)
        .nav(Capability::AuditLog, "/privacy/logboek", "nav-audit", 60)
        .get("/privacy/logboek.csv", search::export)
        .page("/privacy/signalen", Capability::AuditLog, signals::signals)
        .nav(
            Capability::AuditLog,
            "/privacy/signalen",
            "nav-audit-signals",
            61,
        )
        .post("/privacy/logboek/controleren", verify)
        .page(
            "/privacy/registers",
            Capability::AuditLog,
            registers::registers,
        )
        .nav(
            Capability::AuditLog,
            "/privacy/registers",
            "nav-registers",
            62,
        )
        .get(
            "/privacy/verwerkingsregister.json",
            registers::processing_json,
        )
        .get(
            "/privacy/algoritmeregister.json",
            registers::algorithms_json,
        )
}

pub async fn verify(State(state): State<AppState>, v: Visitor) -> Result<Response, AppError> {
    // Checking the chain is the privacy officer's (any organisation's).
    v.staff(Capability::AuditLog)?;
    let result = state.store.verify_audit().await?;
    let breaks: Vec<Value> = result
        .breaks
        .iter()
        .map(|b| match b {
            Break::Changed { seq } => context! { key => "audit-break-changed", seq },
            Break::Missing { after, next } => {
                context! { key => "audit-break-missing", from => after + 1, to => next - 1 }
            }
            Break::OutOfChain { seq } => context! { key => "audit-break-order", seq },
            Break::Subjects { seq } => context! { key => "audit-break-subjects", seq },
            Break::Shortened {
                checkpoint,
                entries,
            } => context! { key => "audit-break-shortened", seq => checkpoint, entries },
            Break::WitnessMissing => context! { key => "audit-break-witness-missing" },
            Break::WitnessAltered { line } => {
                context! { key => "audit-break-witness-altered", seq => line }
            }
            Break::WitnessUnreadable(_) => context! { key => "audit-break-witness-unreadable" },
        })
        .collect();
    if !breaks.is_empty() {
        tracing::error!(breaks = breaks.len(), "audit log verification found breaks");
    }
    let (head_seq, head_hash) = result.head.clone().unzip();
    let verification = context! { entries => result.entries, breaks, head_seq, head_hash };
    page(&state, &v, "audit_verified.html", context! { verification })
}
