//! The resident's explanation of support the scan found, for the portal:
//! the same laws and the same reading of the register as the scan, for
//! one household, in the plain words of `rules explain --voor inwoner`.

use std::path::Path;
use std::sync::{Arc, Mutex};
use time::Date;
use wegwijs_domain::household::HouseholdFacts;
use wegwijs_rules::{Calculation, Law};

pub struct LawExplainer {
    laws: Vec<Law>,
    /// The calculation for one day: laws change by date, so it is made
    /// again when the day changes.
    compiled: Mutex<Option<(Date, Arc<Calculation>)>>,
}

impl LawExplainer {
    /// The laws under `dir`; None (with a log line) when there are none
    /// or they cannot be read: the portal then explains nothing.
    pub fn from_dir(dir: &Path) -> Option<LawExplainer> {
        if !dir.is_dir() {
            tracing::info!("no laws directory here; the portal shows no explanations");
            return None;
        }
        match crate::rules::load(&[dir.to_path_buf()]) {
            Ok(laws) => Some(LawExplainer {
                laws,
                compiled: Mutex::new(None),
            }),
            Err(e) => {
                tracing::warn!("the portal shows no explanations: {e:#}");
                None
            }
        }
    }

    fn calculation(&self, date: Date) -> Option<Arc<Calculation>> {
        let mut slot = self.compiled.lock().ok()?;
        if let Some((d, calc)) = slot.as_ref()
            && *d == date
        {
            return Some(calc.clone());
        }
        let made = crate::scan::targets(&self.laws, date)
            .and_then(|targets| crate::scan::compile(&self.laws, date, &targets));
        match made {
            Ok(calc) => {
                let calc = Arc::new(calc);
                *slot = Some((date, calc.clone()));
                Some(calc)
            }
            Err(e) => {
                tracing::warn!("the laws do not compile for the portal's explanation: {e:#}");
                None
            }
        }
    }
}

impl wegwijs_web::Explainer for LawExplainer {
    fn explain(&self, household: &HouseholdFacts, law: &str, date: Date) -> Option<String> {
        let calc = self.calculation(date)?;
        let pop = crate::scan::population(std::slice::from_ref(household), calc.inputs()).ok()?;
        let steps: Vec<_> = calc
            .explain(&pop, 0)
            .ok()?
            .into_iter()
            .filter(|s| s.law == law)
            .collect();
        if steps.is_empty() {
            return None;
        }
        Some(wegwijs_rules::explain::resident(&steps))
    }

    fn scanned_laws(&self) -> Vec<String> {
        // A law has a file per version: each name once.
        let mut names: Vec<String> = self
            .laws
            .iter()
            .filter(|l| l.discoverable)
            .map(|l| l.name.clone().unwrap_or_else(|| l.id.clone()))
            .collect();
        names.sort();
        names.dedup();
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;
    use wegwijs_domain::household::Member;
    use wegwijs_domain::{HouseholdRole, ResidentId};
    use wegwijs_web::Explainer;

    fn single_on_a_low_income() -> HouseholdFacts {
        let me = Member {
            id: ResidentId(7),
            role: HouseholdRole::Referentiepersoon,
            geboortedatum: date!(1980 - 05 - 31),
            netto_inkomen_maand: 110_000,
            vermogen: 0,
            voorzieningen: vec![],
            wijk: "Centrum".into(),
        };
        HouseholdFacts::from_members(&[me], date!(2026 - 11 - 23)).unwrap()
    }

    #[test]
    fn a_lead_is_explained_in_plain_words_from_the_laws() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../laws");
        let explainer = LawExplainer::from_dir(&dir).expect("the laws load");
        let today = date!(2026 - 11 - 23);
        let targets = crate::scan::targets(&explainer.laws, today).unwrap();
        let zorg = targets
            .iter()
            .find(|t| t.name.to_lowercase().contains("zorgtoeslag"))
            .expect("zorgtoeslag is discoverable");
        let text = explainer
            .explain(&single_on_a_low_income(), &zorg.law, today)
            .expect("an explanation");
        assert!(text.contains("U heeft waarschijnlijk recht"), "{text}");
        assert!(
            text.contains("Dit is een berekening, geen besluit"),
            "{text}"
        );
        // Only the law asked about.
        assert_eq!(text.matches("Dit is een berekening").count(), 1, "{text}");
        assert!(
            explainer
                .explain(&single_on_a_low_income(), "geen-wet", today)
                .is_none()
        );
        // The compiled laws are kept for the day.
        assert!(explainer.compiled.lock().unwrap().is_some());
    }
}
