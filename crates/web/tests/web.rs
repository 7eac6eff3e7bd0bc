//! The web app through HTTP, as browsers and other servers use it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;

#[path = "web/access.rs"]
mod access;
#[path = "web/access_portal.rs"]
mod access_portal;
#[path = "web/access_selfscan.rs"]
mod access_selfscan;
#[path = "web/access_signals.rs"]
mod access_signals;
#[path = "web/access_work.rs"]
mod access_work;
#[path = "web/accounts.rs"]
mod accounts;
#[path = "web/appointments.rs"]
mod appointments;
#[path = "web/geldcheck.rs"]
mod geldcheck;
#[path = "web/need_to_know.rs"]
mod need_to_know;
#[path = "web/notes.rs"]
mod notes;
#[path = "web/once.rs"]
mod once;
#[path = "web/own_log.rs"]
mod own_log;
#[path = "web/pages.rs"]
mod pages;
#[path = "web/plans.rs"]
mod plans;
#[path = "web/portal.rs"]
mod portal;
#[path = "web/preparation.rs"]
mod preparation;
#[path = "web/privacy.rs"]
mod privacy;
#[path = "web/residents.rs"]
mod residents;
#[path = "web/schrijfhulp.rs"]
mod schrijfhulp;
#[path = "web/second_factor.rs"]
mod second_factor;
#[path = "web/selfscan.rs"]
mod selfscan;
#[path = "web/signals.rs"]
mod signals;
#[path = "web/work.rs"]
mod work;
