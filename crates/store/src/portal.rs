//! What the resident's overview reads about them: arrears signals linked
//! to them, support the rules scan found for their household, and their
//! household's facts for the explanation. Only the resident, audited.

use crate::audit::Action;
use crate::audit::NewEntry;
use crate::leads::{LeadRow, lead_row};
use crate::scan::{MEMBER_COLUMNS, member_row};
use crate::{Result, Store, Tx};
use sqlx::Row;
use time::Date;
use wegwijs_domain::household::HouseholdFacts;
use wegwijs_domain::{Actor, Purpose, ResidentId, WorkKind};

/// An arrears signal about the resident, as the resident sees it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct OwnSignal {
    /// The kind of creditor (DDAS signaalpartner code), never the file's ID.
    pub partner_type: String,
    pub cents: i64,
    pub signal_date: String,
    /// The municipality that received it.
    pub org_name: String,
    /// The case is open (someone will contact them, or has).
    pub open: bool,
    pub picked_up: bool,
}

/// Everything Mijn overzicht shows, read at once under one audit entry.
/// Holds personal data: no `Debug`.
pub struct OwnPage {
    pub resident: wegwijs_domain::policy::Seen,
    pub overview: Overview,
    pub requests: Vec<crate::requests::RequestView>,
    pub messages: Vec<crate::outbox::PortalMessage>,
    pub appointments: Vec<crate::appointments::AppointmentView>,
    pub to_rate: Vec<crate::feedback::Contact>,
}

/// Everything on the resident's overview that comes from others' work.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Overview {
    pub signals: Vec<OwnSignal>,
    pub leads: Vec<LeadRow>,
}

impl Store {
    /// The signals linked to the resident and the leads on their open
    /// "mogelijk recht" work; one audit entry.
    pub async fn own_overview(
        &self,
        actor: &Actor,
        resident: ResidentId,
        now: i64,
    ) -> Result<Overview> {
        let who = (actor, resident, Purpose::OwnView);
        let detail = "signalen, mogelijke regelingen";
        let mut tx = self
            .read_access(who, Action::OverzichtBekeken, detail, now)
            .await?;
        let overview = Overview {
            signals: own_signals(&mut tx, resident).await?,
            leads: own_leads(&mut tx, resident).await?,
        };
        tx.commit().await?;
        Ok(overview)
    }

    /// Everything Mijn overzicht shows, in one read transaction with one
    /// audit entry that names every part (a page view was eight store calls
    /// with eight entries, each queued for the write lock).
    pub async fn own_page(&self, actor: &Actor, resident: ResidentId, now: i64) -> Result<OwnPage> {
        let who = (actor, resident, Purpose::OwnView);
        let detail =
            "gegevens, signalen, mogelijke regelingen, vragen, berichten, afspraken, contacten";
        let mut tx = self
            .read_access(who, Action::OverzichtBekeken, detail, now)
            .await?;
        let page = OwnPage {
            resident: wegwijs_domain::policy::Seen::new(
                crate::residents::fetch_resident(&mut tx, resident).await?,
                wegwijs_domain::policy::field_access(actor, Purpose::OwnView, None),
                Default::default(),
                Vec::new(),
            ),
            overview: Overview {
                signals: own_signals(&mut tx, resident).await?,
                leads: own_leads(&mut tx, resident).await?,
            },
            requests: crate::requests::requests(&mut tx, resident, None).await?,
            messages: crate::outbox::portal_messages(&mut tx, resident).await?,
            appointments: crate::appointments::appointments(&mut tx, resident, None).await?,
            to_rate: crate::feedback::contacts(&mut tx, resident, now).await?,
        };
        tx.commit().await?;
        Ok(page)
    }

    /// The resident's household as the laws see it, to explain a lead to
    /// the resident who is its referent; `None` for anyone else in the
    /// household (the facts are the household's totals).
    pub async fn own_household(
        &self,
        actor: &Actor,
        resident: ResidentId,
        today: Date,
        now: i64,
    ) -> Result<Option<HouseholdFacts>> {
        let who = (actor, resident, Purpose::OwnView);
        let detail = "huishouden: inkomen, vermogen, voorzieningen";
        let mut tx = self
            .read_access(who, Action::UitlegBerekend, detail, now)
            .await?;
        let rows = sqlx::query(&format!(
            "SELECT {MEMBER_COLUMNS} FROM residents WHERE household_id = \
             (SELECT household_id FROM residents WHERE id = $1) ORDER BY id"
        ))
        .bind(resident.0)
        .fetch_all(&mut *tx)
        .await?;
        let members = rows.iter().map(member_row).collect::<Result<Vec<_>>>()?;
        let facts =
            HouseholdFacts::from_members(&members, today).filter(|h| h.referent == resident);
        if facts.is_some() {
            // The explanation shows household totals: every member whose
            // figures went into them sees that read in their own log.
            let mut others = Vec::new();
            for r in &rows {
                let id: i64 = r.try_get("id")?;
                if id != resident.0 {
                    others.push(ResidentId(id));
                }
            }
            let entries: Vec<NewEntry> = others
                .iter()
                .map(|m| NewEntry {
                    actor,
                    resident: Some(*m),
                    action: Action::UitlegBerekend,
                    purpose: Purpose::OwnView,
                    outcome: Ok(()),
                    detail: "inkomen, vermogen, voorzieningen in de huishoudtotalen van de uitleg"
                        .into(),
                })
                .collect();
            if !entries.is_empty() {
                crate::audit::append(&mut tx, self.chain(), now, &entries).await?;
            }
        }
        tx.commit().await?;
        Ok(facts)
    }
}

async fn own_signals(tx: &mut Tx, resident: ResidentId) -> Result<Vec<OwnSignal>> {
    let rows = sqlx::query(
        "SELECT s.partner_type, s.bedrag_cents, s.signaaldatum, o.name, c.closed_on, c.picked_up_on \
         FROM signals s JOIN signal_cases c ON c.id = s.case_id JOIN organisations o ON o.id = s.org_id \
         WHERE s.resident_id = $1 ORDER BY s.signaaldatum DESC, s.id DESC",
    )
    .bind(resident.0)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(OwnSignal {
                partner_type: r.try_get("partner_type")?,
                cents: r.try_get("bedrag_cents")?,
                signal_date: r.try_get("signaaldatum")?,
                org_name: r.try_get("name")?,
                open: r.try_get::<Option<String>, _>("closed_on")?.is_none(),
                picked_up: r.try_get::<Option<String>, _>("picked_up_on")?.is_some(),
            })
        })
        .collect()
}

async fn own_leads(tx: &mut Tx, resident: ResidentId) -> Result<Vec<LeadRow>> {
    let rows = sqlx::query(
        "SELECT l.work_id, l.law, l.law_name, l.cents_per_year, l.voorziening, l.found_on \
         FROM entitlement_leads l JOIN work_items w ON w.id = l.work_id \
         WHERE w.resident_id = $1 AND w.kind = $2 AND w.status = 'open' ORDER BY l.id",
    )
    .bind(resident.0)
    .bind(WorkKind::MogelijkRecht.code())
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(lead_row).collect()
}
