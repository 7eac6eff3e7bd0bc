//! A deterministic synthetic municipality for demos, tests and benchmarks.
//! Nobody in it exists: names, addresses and BSNs are made up (BSNs pass the
//! elfproef and all start with 9). The same seed gives the same population.

mod names;
mod population;
mod signals;

pub use population::{Config, Summary, generate, write_personen_csv};
pub use signals::{generate_signals, write_signalen_csv};

/// The name of the made-up municipality.
pub const MUNICIPALITY: &str = names::TOWN;
