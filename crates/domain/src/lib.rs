//! The Wegwijs domain: types that cannot hold invalid values, and the rules of
//! the game (who may do what). No I/O: no files, network, database or clock
//! reads happen here; time is passed in through [`clock::Clock`].

pub mod accommodation;
pub mod appointment;
pub mod bsn;
pub mod bwk;
pub mod clock;
pub mod consent;
pub mod contact;
pub mod error;
pub mod feedback;
pub mod geldcheck;
pub mod help;
pub mod household;
pub mod money;
pub mod note;
pub mod org;
pub mod oversight;
pub mod person;
pub mod policy;
pub mod postcode;
pub mod preparation;
pub mod register;
pub mod registers;
pub mod resident;
pub mod selfscan;
pub mod signal;
pub mod spreadsheet;
pub mod upload;
pub mod work;

pub use bsn::Bsn;
pub use clock::Clock;
pub use error::{Problem, ValidationError};
pub use money::Money;
pub use org::{OrgKind, Role};
pub use person::{Address, PersonName};
pub use policy::{Actor, Capability, Denied, Purpose, Staff};
pub use postcode::Postcode;
pub use resident::{Finances, HouseholdRole, Resident, ResidentId, ResidentRecord, Voorziening};
pub use work::WorkKind;
