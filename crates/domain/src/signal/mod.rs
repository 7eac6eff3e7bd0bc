//! Vroegsignalering: arrears signals from creditors (Wgs art. 2.2.1), in
//! the terms of the DDAS model: intake rows and their validation, matching
//! to the register, a household's priority, and the outreach plan.

pub mod casework;
pub mod ddas;
pub mod delivery;
pub mod format;
pub mod kinds;
pub mod matching;
pub mod outreach;
pub mod priority;
pub mod retention;
pub mod row;

pub use casework::{Closing, ContactAttempt};
pub use delivery::DeliveryCheck;
pub use kinds::{ContactKind, Dagdeel, EndResult, PartnerType, SignalStatus};
pub use matching::{MatchOutcome, Matcher, RegisterEntry};
pub use outreach::{OutreachPlan, OutreachStep};
pub use priority::{Level, Priority, Reason, SignalFacts};
pub use retention::Retention;
pub use row::{COLUMNS, Signal, SignalFields};
