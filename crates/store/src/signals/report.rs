//! The municipality's DDAS report to CBS over a period: the signals that
//! came in during it, and the cases (vroegsignaalzaken) opened during it
//! with their signals and contact attempts.

use super::date;
use super::{ReportIdentity, SIGNAL_SELECT, SignalView, signal_view};
use crate::audit::Action;
use crate::audit::{self, NewEntry};
use crate::{Result, Store, StoreError};
use sqlx::Row;
use std::collections::{BTreeMap, HashSet};
use time::Date;
use wegwijs_domain::person::format_date;
use wegwijs_domain::policy;
use wegwijs_domain::signal::ddas::{
    Client, Contactpersoon, Contactpoging, Levering, Organisatie, SignaalRef, Signaalpartner,
    Uitwisselmodel, Vroegsignaal, Vroegsignaalzaak, whole_euros,
};
use wegwijs_domain::signal::{ContactKind, Dagdeel, EndResult};
use wegwijs_domain::{Actor, Problem, Purpose, ValidationError};

/// The days a report covers, both included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportPeriod {
    pub from: Date,
    pub to: Date,
}

const CASES_IN_PERIOD: &str =
    "SELECT id FROM signal_cases WHERE org_id = $1 AND opened_on >= $2 AND opened_on <= $3";

impl Store {
    /// Builds the DDAS report of municipality `org` for `period`, as
    /// delivered by `id` (usually the municipality's settings).
    /// `supplier` is the code of the software supplier; `delivered_at`
    /// an RFC 3339 time. Refused when there is no gemeentecode.
    #[allow(clippy::too_many_arguments)]
    pub async fn ddas_report(
        &self,
        actor: &Actor,
        org: i64,
        id: &ReportIdentity,
        period: ReportPeriod,
        supplier: &str,
        delivered_at: &str,
        now: i64,
    ) -> Result<Uitwisselmodel> {
        policy::may_report_statistics(actor)?;
        let id = id.clone();
        if id.gemeentecode.is_empty() {
            return Err(ValidationError::new("gemeentecode", Problem::Empty).into());
        }
        let (from, to) = (format_date(period.from), format_date(period.to));
        let mut tx = self.write_tx().await?;
        let name: String = sqlx::query("SELECT name FROM organisations WHERE id = $1")
            .bind(org)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_get("name")?;
        let signals = sqlx::query(&format!(
            "{SIGNAL_SELECT} WHERE s.org_id = $1 AND ((s.received_on >= $2 AND s.received_on <= $3) \
             OR s.case_id IN ({CASES_IN_PERIOD})) ORDER BY s.id"
        ))
        .bind(org)
        .bind(from.clone())
        .bind(to.clone())
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(signal_view)
        .collect::<Result<Vec<_>>>()?;
        let case_rows = sqlx::query(
            "SELECT id, opened_on, picked_up_on, result FROM signal_cases \
             WHERE org_id = $1 AND opened_on >= $2 AND opened_on <= $3 ORDER BY id",
        )
        .bind(org)
        .bind(from.clone())
        .bind(to.clone())
        .fetch_all(&mut *tx)
        .await?;
        let attempt_rows = sqlx::query(&format!(
            "SELECT case_id, kind, on_date, dagdeel, reached FROM contact_attempts \
             WHERE case_id IN ({CASES_IN_PERIOD}) ORDER BY case_id, on_date, id"
        ))
        .bind(org)
        .bind(from.clone())
        .bind(to.clone())
        .fetch_all(&mut *tx)
        .await?;
        let mut attempts: BTreeMap<i64, Vec<Contactpoging>> = BTreeMap::new();
        for r in &attempt_rows {
            let kind: String = r.try_get("kind")?;
            let dagdeel: String = r.try_get("dagdeel")?;
            let corrupt = || StoreError::Corrupt("contact attempt".into());
            attempts
                .entry(r.try_get("case_id")?)
                .or_default()
                .push(Contactpoging {
                    soort: ContactKind::from_code(&kind)
                        .ok_or_else(corrupt)?
                        .ddas()
                        .into(),
                    bereikt: crate::flag(r.try_get("reached")?),
                    datum: r.try_get("on_date")?,
                    dagdeel: Dagdeel::from_code(&dagdeel)
                        .ok_or_else(corrupt)?
                        .ddas()
                        .into(),
                });
        }
        let mut zaken = Vec::new();
        let in_cases: HashSet<i64> = signals.iter().filter_map(|s| s.case_id).collect();
        for r in &case_rows {
            let case: i64 = r.try_get("id")?;
            if !in_cases.contains(&case) {
                continue;
            }
            let result: Option<String> = r.try_get("result")?;
            zaken.push(Vroegsignaalzaak {
                resultaat: result
                    .map(|c| {
                        EndResult::from_code(&c)
                            .map(|e| e.ddas().to_string())
                            .ok_or_else(|| StoreError::Corrupt("case result".into()))
                    })
                    .transpose()?,
                matchingsdatum: format_date(date(&r.try_get::<String, _>("opened_on")?)?),
                startdatum_matchtingperiode: from.clone(),
                datum_opgepakt: r.try_get("picked_up_on")?,
                einddatum_matchingperiode: to.clone(),
                vroegsignalen: signals
                    .iter()
                    .filter(|s| s.case_id == Some(case))
                    .map(|s| SignaalRef {
                        id: s.signal.id.clone(),
                    })
                    .collect(),
                contactpogingen: attempts.remove(&case).unwrap_or_default(),
            });
        }
        let vroegsignalen: Vec<Vroegsignaal> = signals.iter().map(vroegsignaal).collect();
        let entry = NewEntry {
            actor,
            resident: None,
            action: Action::DdasRapportGemaakt,
            purpose: Purpose::Statistics,
            outcome: Ok(()),
            detail: format!(
                "organisatie {org}, {from} tot en met {to}: {} signalen, {} zaken",
                vroegsignalen.len(),
                zaken.len()
            ),
        };
        audit::append(&mut tx, self.chain(), now, &[entry]).await?;
        tx.commit().await?;
        let contact = (!id.contact_naam.is_empty()).then(|| Contactpersoon {
            naam: id.contact_naam.clone(),
            telefoonnummer: id.contact_telefoon.clone(),
            email: id.contact_email.clone(),
            functietitel: id.contact_functie.clone(),
        });
        Ok(Uitwisselmodel {
            code_gegevensleverancier: supplier.to_string(),
            startdatum_levering: from,
            einddatum_levering: to,
            aanleverdatum_en_tijd: delivered_at.to_string(),
            leveringen: vec![Levering {
                teller: 1,
                gemeentecode: id.gemeentecode,
                aanleverende_organisatie: Organisatie {
                    naam: name,
                    kvk_nummer: id.kvk_nummer,
                    contactpersoonen: contact.into_iter().collect(),
                },
                vroegsignalen,
                vroegsignaalzaken: zaken,
            }],
        })
    }
}

fn vroegsignaal(view: &SignalView) -> Vroegsignaal {
    let s = &view.signal;
    let some = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
    Vroegsignaal {
        id: s.id.clone(),
        crisissignaal: s.crisis,
        warme_overdracht: s.warme_overdracht,
        bedrag: whole_euros(s.bedrag),
        ontstaansdatum: format_date(s.ontstaansdatum),
        signaaldatum: format_date(s.signaaldatum),
        status: view.status.ddas().to_string(),
        signaalpartner: Signaalpartner {
            soort: s.partner.ddas().to_string(),
        },
        client: Client {
            burgerservicenummer: s.bsn.map(|b| b.expose()),
            voorletters: some(&s.voorletters),
            voorvoegsel: some(&s.voorvoegsel),
            achternaam: some(&s.achternaam),
            geboortedatum: s.geboortedatum.map(format_date),
            straatnaam: some(&s.straat),
            postcode: s.postcode.map(|p| p.compact()),
            huisnummer: s.huisnummer.map(|n| n.to_string()),
            huisnummertoevoeging: some(&s.toevoeging),
            plaatsnaam: some(&s.plaats),
        },
    }
}
