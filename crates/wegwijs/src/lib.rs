//! The `wegwijs` command: wiring of the store, web app, demo generator and
//! operator commands. The only crate that knows both database backends by
//! configuration, the real clock, and process concerns (signals, logging).

pub mod cli;
pub mod clock;
pub mod config;
pub mod ddas;
pub mod explainer;
pub mod files;
pub mod import;
pub mod jobs;
pub mod maintenance;
pub mod open;
pub mod rules;
pub mod scan;
pub mod seed;
pub mod serve;
pub mod signals;
pub mod taal;
