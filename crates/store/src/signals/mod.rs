//! Vroegsignalering: arrears signals, their households' cases
//! (vroegsignaalzaken), contact attempts, outreach tasks, objections and
//! partner tokens.

mod cases;
mod casework;
mod import;
mod intake_db;
mod partners;
mod quarantine;
mod queue;
mod report;
mod settings;
mod upkeep;

pub use cases::{AttemptView, CaseFilter, CaseLine, CaseState, CaseView, StatusFilter, TaskView};
pub use import::{Quarantined, SignalImport, SignalImportSummary, SignalSource, SourceKind};
pub use partners::{PartnerKey, PartnerToken};
pub use quarantine::QuarantineRow;
pub use report::ReportPeriod;
pub use settings::{ReportIdentity, SignalSettings};
pub use upkeep::RetentionCounts;

use crate::audit::Action;
use crate::{Backend, Result, StoreError};
use sqlx::Row;
use std::fmt;
use time::Date;
use wegwijs_domain::person::parse_date;
use wegwijs_domain::policy::{self, Capability};
use wegwijs_domain::signal::{ContactKind, PartnerType, Signal, SignalStatus};
use wegwijs_domain::{Actor, Bsn, Money, Postcode, Staff};

/// A stored signal as a caseworker sees it: what the partner sent (the
/// domain's `Signal`, checked when it came in), and what the intake made of
/// it.
#[derive(Clone)]
pub struct SignalView {
    pub id: i64,
    pub signal: Signal,
    pub status: SignalStatus,
    /// How the intake linked it: "bsn", "naam", "hand", or why not.
    pub match_code: String,
    pub received_on: Date,
    pub case_id: Option<i64>,
}

/// Personal data stays out of debug output (and so out of logs).
impl fmt::Debug for SignalView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignalView")
            .field("id", &self.id)
            .field("signal", &self.signal)
            .finish_non_exhaustive()
    }
}

pub(crate) const SIGNAL_SELECT: &str = "SELECT s.id, s.signal_key, s.partner_type, s.klantnummer, s.bsn, \
     s.voorletters, s.voorvoegsel, s.achternaam, s.geboortedatum, s.straat, s.huisnummer, s.toevoeging, \
     s.postcode, s.plaats, s.telefoon, s.email, s.bedrag_cents, s.ontstaansdatum, s.signaaldatum, \
     s.crisis, s.warme_overdracht, s.status, s.match, s.received_on, s.case_id FROM signals s";

pub(crate) fn signal_view(r: &sqlx::any::AnyRow) -> Result<SignalView> {
    let text =
        |column: &str| -> Result<Option<String>> { Ok(r.try_get::<Option<String>, _>(column)?) };
    let day = |column: &str| -> Result<Date> { date(&r.try_get::<String, _>(column)?) };
    let status: String = r.try_get("status")?;
    let huisnummer: Option<i64> = r.try_get("huisnummer")?;
    let signal = Signal {
        id: r.try_get("signal_key")?,
        partner: partner_type(&r.try_get::<String, _>("partner_type")?)?,
        klantnummer: text("klantnummer")?,
        bsn: text("bsn")?
            .map(|b| Bsn::parse(&b).map_err(|_| corrupt("bsn")))
            .transpose()?,
        voorletters: text("voorletters")?,
        voorvoegsel: text("voorvoegsel")?,
        achternaam: text("achternaam")?,
        geboortedatum: text("geboortedatum")?.map(|d| date(&d)).transpose()?,
        straat: text("straat")?,
        huisnummer: huisnummer
            .map(|n| u32::try_from(n).map_err(|_| corrupt("huisnummer")))
            .transpose()?,
        toevoeging: text("toevoeging")?,
        postcode: text("postcode")?
            .map(|p| Postcode::parse(&p).map_err(|_| corrupt("postcode")))
            .transpose()?,
        plaats: text("plaats")?,
        telefoon: text("telefoon")?,
        email: text("email")?,
        bedrag: Money::from_cents(r.try_get("bedrag_cents")?),
        ontstaansdatum: day("ontstaansdatum")?,
        signaaldatum: day("signaaldatum")?,
        crisis: crate::flag(r.try_get("crisis")?),
        warme_overdracht: crate::flag(r.try_get("warme_overdracht")?),
    };
    Ok(SignalView {
        id: r.try_get("id")?,
        signal,
        status: SignalStatus::from_code(&status).ok_or_else(|| corrupt("status"))?,
        match_code: r.try_get("match")?,
        received_on: day("received_on")?,
        case_id: r.try_get("case_id")?,
    })
}

/// "(?, ?, ?)" or "($1, $2, $3)": the parameters of an `IN` list.
pub(crate) fn in_list(backend: Backend, n: usize) -> String {
    backend.placeholders(1, n)
}

/// The caseworker or team lead doing signal work for their own
/// municipality.
pub(crate) fn signal_staff(actor: &Actor) -> Result<Staff> {
    Ok(policy::signal_worker(actor)?)
}

/// The admin managing their own municipality's signal intake.
pub(crate) fn signal_admin(actor: &Actor) -> Result<Staff> {
    Ok(*policy::staff_with(actor, Capability::SignalAdmin)?)
}

/// What an admin changes in one row of their own municipality's intake.
pub(crate) struct AdminChange<'a> {
    /// An UPDATE binding the time as `$1`, the row's id as `$2` and the
    /// organisation as `$3`, changing only a row still open to the change.
    pub sql: &'a str,
    pub id: i64,
    pub action: Action,
    pub purpose: wegwijs_domain::Purpose,
    pub detail: String,
}

impl crate::Store {
    /// Makes `change` and records it in the audit log, together; `NotFound`
    /// when the organisation has no such row open.
    pub(crate) async fn admin_change(
        &self,
        actor: &Actor,
        change: AdminChange<'_>,
        now: i64,
    ) -> Result<()> {
        let org = signal_admin(actor)?.org_id;
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(change.sql)
            .bind(now)
            .bind(change.id)
            .bind(org)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
        let entry = crate::audit::NewEntry {
            actor,
            resident: None,
            action: change.action,
            purpose: change.purpose,
            outcome: Ok(()),
            detail: change.detail,
        };
        crate::audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        Ok(())
    }
}

pub(crate) fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("signal case {what}"))
}

pub(crate) fn date(s: &str) -> Result<Date> {
    parse_date("datum", s).map_err(|_| corrupt("date"))
}

pub(crate) fn partner_type(code: &str) -> Result<PartnerType> {
    PartnerType::from_code(code).ok_or_else(|| corrupt("partner"))
}

pub(crate) fn contact_kind(code: &str) -> Result<ContactKind> {
    ContactKind::from_code(code).ok_or_else(|| corrupt("contact kind"))
}
