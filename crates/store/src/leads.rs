//! Proactive outreach from the rules scan: households probably entitled to
//! support they do not receive become open work of kind `mogelijk-recht`
//! at the municipality, with one lead per law; caseworkers see the leads
//! of their own organisation's work.

use crate::audit::Action;
use crate::audit::{self, NewEntry};
use crate::{Result, Store, StoreError, Tx};
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use time::Date;
use wegwijs_domain::person::format_date;
use wegwijs_domain::policy::{self, Capability};
use wegwijs_domain::work::EntitlementLead;
use wegwijs_domain::{Actor, Purpose, ResidentId, Voorziening, WorkKind};

/// Rows per INSERT statement.
const BATCH: usize = 500;
/// A lead on work closed this recently (seconds: a year) is not offered again.
const CLOSED_LEAD_KEPT: i64 = 365 * 24 * 3600;

/// What opening the scan's work did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpenedLeads {
    /// New `mogelijk-recht` work items.
    pub work_opened: usize,
    /// Leads added, to new work or to work that was open already.
    pub leads_added: usize,
    /// Leads that open work had already: a rescan adds nothing twice.
    pub leads_known: usize,
}

/// A lead as a caseworker sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeadRow {
    pub work_id: i64,
    pub law: String,
    pub law_name: String,
    pub cents_per_year: Option<i64>,
    pub voorziening: Option<Voorziening>,
    pub found_on: String,
}

impl Store {
    /// Opens work for municipality `org` about every lead's resident, or
    /// adds the lead to their open `mogelijk-recht` work. A lead already on
    /// open work, or on work closed less than a year ago (dealt with, or
    /// the resident said no), is not offered again. The operator's command
    /// only (it follows a scan of the whole register); every resident with
    /// new work or a new lead gets an audit entry.
    pub async fn open_entitlement_work(
        &self,
        actor: &Actor,
        org: i64,
        found_on: Date,
        leads: &[EntitlementLead],
        now: i64,
    ) -> Result<OpenedLeads> {
        let mut tx = self.write_tx().await?;
        if let Err(denied) = policy::may_scan_population(actor) {
            let entry = NewEntry {
                actor,
                resident: None,
                action: Action::MogelijkRechtGeopend,
                purpose: Purpose::ProactiveOutreach,
                outcome: Err(denied),
                detail: format!("werk voor organisatie {org}"),
            };
            audit::append(&mut tx, self.chain(), now, &[entry]).await?;
            tx.commit().await?;
            return Err(denied.into());
        }
        let known = known_leads(&mut tx, org, now - CLOSED_LEAD_KEPT).await?;
        let hold_off = crate::consents::not_to_approach(&mut tx, found_on).await?;
        let mut seen = HashSet::new();
        let fresh: Vec<&EntitlementLead> = leads
            .iter()
            .filter(|l| {
                let key = (l.resident.0, l.law.clone());
                !hold_off.contains(&l.resident.0) && !known.contains(&key) && seen.insert(key)
            })
            .collect();
        let mut open = open_work(&mut tx, org).await?;
        let new: BTreeSet<i64> = fresh
            .iter()
            .map(|l| l.resident.0)
            .filter(|r| !open.contains_key(r))
            .collect();
        let work_opened = self.insert_work(&mut tx, org, &new, now).await?;
        if !new.is_empty() {
            open = open_work(&mut tx, org).await?;
        }
        let added = fresh
            .into_iter()
            .map(|l| Ok((*open.get(&l.resident.0).ok_or(StoreError::NotFound)?, l)))
            .collect::<Result<Vec<_>>>()?;
        let leads_added = self.insert_leads(&mut tx, &added, found_on).await?;
        let mut per_resident: BTreeMap<i64, (i64, usize)> = BTreeMap::new();
        for (work, lead) in &added {
            let e = per_resident.entry(lead.resident.0).or_default();
            *e = (*work, e.1 + 1);
        }
        // What was found stays out of the log: only that there is work.
        let entries: Vec<NewEntry> = per_resident
            .iter()
            .map(|(resident, (work, n))| NewEntry {
                actor,
                resident: Some(ResidentId(*resident)),
                action: Action::MogelijkRechtGeopend,
                purpose: Purpose::ProactiveOutreach,
                outcome: Ok(()),
                detail: format!("werk {work} voor organisatie {org}: {n} regeling(en)"),
            })
            .collect();
        audit::append(&mut tx, self.chain(), now, &entries).await?;
        tx.commit().await?;
        Ok(OpenedLeads {
            work_opened,
            leads_added,
            leads_known: leads.len() - leads_added,
        })
    }

    /// Open `mogelijk-recht` work for each resident; one at a time per
    /// resident even when two scans overlap (a unique index). How many
    /// were opened.
    async fn insert_work(
        &self,
        tx: &mut Tx,
        org: i64,
        residents: &BTreeSet<i64>,
        now: i64,
    ) -> Result<usize> {
        let residents: Vec<i64> = residents.iter().copied().collect();
        let (team, due) = crate::work::route_of(tx, org, WorkKind::MogelijkRecht, now).await?;
        let due = format_date(due);
        let mut opened = 0;
        for chunk in residents.chunks(BATCH) {
            let sql = format!(
                "INSERT INTO work_items (org_id, resident_id, kind, status, opened_at, team_id, due_on, updated_at) \
                 VALUES {} ON CONFLICT DO NOTHING",
                self.backend().placeholders(chunk.len(), 8)
            );
            let mut q = sqlx::query(&sql);
            for resident in chunk {
                q = q
                    .bind(org)
                    .bind(*resident)
                    .bind(WorkKind::MogelijkRecht.code())
                    .bind("open")
                    .bind(now)
                    .bind(team)
                    .bind(due.clone())
                    .bind(now);
            }
            opened += q.execute(&mut **tx).await?.rows_affected();
        }
        // The lines just opened carry their resident's wijk.
        sqlx::query(
            "UPDATE work_items SET wijk = (SELECT r.wijk FROM residents r WHERE r.id = work_items.resident_id) \
             WHERE org_id = $1 AND status = 'open' AND kind = $2 AND opened_at = $3 AND wijk = ''",
        )
        .bind(org)
        .bind(WorkKind::MogelijkRecht.code())
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(usize::try_from(opened).unwrap_or(usize::MAX))
    }

    /// The leads onto their work; how many were new.
    async fn insert_leads(
        &self,
        tx: &mut Tx,
        added: &[(i64, &EntitlementLead)],
        found_on: Date,
    ) -> Result<usize> {
        let day = format_date(found_on);
        let mut inserted = 0;
        for chunk in added.chunks(BATCH) {
            let sql = format!(
                "INSERT INTO entitlement_leads (work_id, law, law_name, cents_per_year, voorziening, found_on) VALUES {} ON CONFLICT DO NOTHING",
                self.backend().placeholders(chunk.len(), 6)
            );
            let mut q = sqlx::query(&sql);
            for (work, lead) in chunk {
                q = q
                    .bind(*work)
                    .bind(lead.law.clone())
                    .bind(lead.law_name.clone())
                    .bind(lead.cents_per_year)
                    .bind(lead.voorziening.map(|v| v.code()))
                    .bind(day.clone());
            }
            inserted += q.execute(&mut **tx).await?.rows_affected();
        }
        Ok(usize::try_from(inserted).unwrap_or(usize::MAX))
    }

    /// The leads of the actor's own organisation's open work about a
    /// resident, for the caseworker who takes it up; audited.
    pub async fn entitlement_leads(
        &self,
        actor: &Actor,
        resident: ResidentId,
        now: i64,
    ) -> Result<Vec<LeadRow>> {
        let staff = crate::work::staff_who_may(actor, Capability::Worklist)?;
        let mut tx = self.write_tx().await?;
        let rows = sqlx::query(
            "SELECT l.work_id, l.law, l.law_name, l.cents_per_year, l.voorziening, l.found_on \
             FROM entitlement_leads l JOIN work_items w ON w.id = l.work_id \
             WHERE w.resident_id = $1 AND w.org_id = $2 AND w.status = 'open' ORDER BY l.id",
        )
        .bind(resident.0)
        .bind(staff.org_id)
        .fetch_all(&mut *tx)
        .await?;
        let leads = rows.iter().map(lead_row).collect::<Result<Vec<_>>>()?;
        if !leads.is_empty() {
            let entry = NewEntry {
                actor,
                resident: Some(resident),
                action: Action::MogelijkRechtBekeken,
                purpose: Purpose::Casework,
                outcome: Ok(()),
                detail: format!("{} regelingen", leads.len()),
            };
            audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        }
        tx.commit().await?;
        Ok(leads)
    }
}

/// Resident → their open `mogelijk-recht` work at `org`.
async fn open_work(tx: &mut Tx, org: i64) -> Result<HashMap<i64, i64>> {
    let rows = sqlx::query(
        "SELECT resident_id, id FROM work_items WHERE org_id = $1 AND kind = $2 AND status = 'open'",
    )
    .bind(org)
    .bind(WorkKind::MogelijkRecht.code())
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("resident_id")?, r.try_get("id")?)))
        .collect()
}

/// (resident, law) of the leads on `org`'s `mogelijk-recht` work that is
/// open or was closed at or after `closed_since`.
async fn known_leads(tx: &mut Tx, org: i64, closed_since: i64) -> Result<HashSet<(i64, String)>> {
    let rows = sqlx::query(
        "SELECT w.resident_id, l.law FROM entitlement_leads l JOIN work_items w ON w.id = l.work_id \
         WHERE w.org_id = $1 AND w.kind = $2 AND (w.status = 'open' OR w.closed_at >= $3)",
    )
    .bind(org)
    .bind(WorkKind::MogelijkRecht.code())
    .bind(closed_since)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("resident_id")?, r.try_get("law")?)))
        .collect()
}

pub(crate) fn lead_row(r: &sqlx::any::AnyRow) -> Result<LeadRow> {
    let voorziening: Option<String> = r.try_get("voorziening")?;
    Ok(LeadRow {
        work_id: r.try_get("work_id")?,
        law: r.try_get("law")?,
        law_name: r.try_get("law_name")?,
        cents_per_year: r.try_get("cents_per_year")?,
        voorziening: voorziening
            .map(|v| {
                Voorziening::from_code(&v)
                    .map_err(|_| StoreError::Corrupt(format!("voorziening {v:?}")))
            })
            .transpose()?,
        found_on: r.try_get("found_on")?,
    })
}
