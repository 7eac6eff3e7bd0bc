//! Every SQL statement the app ran, as sqlx reports it (target
//! `sqlx::query`) and the store's direct SQLite reads (target
//! `wegwijs_store::read`), for the test that asks each one's query plan.
//! SQLite runs statements on threads of its own, so they reach the global
//! subscriber; PostgreSQL runs them in the request's task, so they reach
//! the request's own subscriber: both carry this layer.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, OnceLock};
use tracing::field::{Field, Visit};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::Filter;

pub type Statements = Arc<Mutex<BTreeSet<String>>>;

/// The statements that reached the global subscriber (SQLite's).
pub fn global_statements() -> Statements {
    static SET: OnceLock<Statements> = OnceLock::new();
    SET.get_or_init(Statements::default).clone()
}

/// A layer that keeps the text of every statement in `into`.
pub fn capture<S>(into: Statements) -> impl Layer<S>
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    Capture(into).with_filter(only_statements())
}

fn only_statements<S>() -> impl Filter<S> {
    EnvFilter::new("sqlx::query=trace,wegwijs_store::read=trace")
}

struct Capture(Statements);

impl<S: tracing::Subscriber> Layer<S> for Capture {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let mut v = Fields::default();
        event.record(&mut v);
        // sqlx puts a statement longer than its summary in `db.statement`
        // (framed by blank lines); a short one is its own summary.
        let sql = if v.statement.trim().is_empty() {
            v.summary
        } else {
            v.statement
        };
        let sql = sql.trim();
        if !sql.is_empty() {
            self.0.lock().unwrap().insert(sql.to_string());
        }
    }
}

#[derive(Default)]
struct Fields {
    summary: String,
    statement: String,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        match field.name() {
            "summary" => self.summary = value.to_string(),
            "db.statement" => self.statement = value.to_string(),
            _ => {}
        }
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        match field.name() {
            "summary" => self.summary = format!("{value:?}"),
            "db.statement" => self.statement = format!("{value:?}"),
            _ => {}
        }
    }
}
