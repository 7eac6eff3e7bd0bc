//! Vroegsignalering: arrears signals, their households' cases
//! (vroegsignaalzaken), contact attempts, outreach tasks, objections and
//! partner tokens.

mod import;
mod intake_db;

pub use import::{Quarantined, SignalImport, SignalImportSummary, SignalSource, SourceKind};
