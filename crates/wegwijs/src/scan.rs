//! `wegwijs rules scan` and `rules simulate`: every law marked discoverable,
//! calculated over the whole register at once, to find households that are
//! probably entitled but do not receive it, and to try a policy change.

use anyhow::{anyhow, bail};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use time::Date;
use wegwijs_domain::household::HouseholdFacts;
use wegwijs_domain::spreadsheet::inert;
use wegwijs_domain::work::EntitlementLead;
use wegwijs_domain::{Actor, Money, ResidentId, Voorziening};
use wegwijs_rules::{Calculation, Column, ColumnSpec, Law, Population, Ty, Value, in_force};
use wegwijs_store::Store;
use wegwijs_store::leads::OpenedLeads;

/// The demo municipality's yearly aanslag for afvalstoffenheffing and
/// rioolheffing, the taxes kwijtschelding is asked for: one person, more.
/// A municipality's own figures come from its tax records.
const AANSLAG_EENPERSOONS: i64 = 34_300;
const AANSLAG_MEERPERSOONS: i64 = 45_600;
/// The register shows this month's income only; a household on bijstand is
/// assumed to have had a low income for the reference period (the
/// caseworker checks it), others are not assumed to.
const MAANDEN_BIJ_BIJSTAND: i64 = 36;

/// A discoverable law as the scan reads it: its right and amount outputs,
/// and the voorziening that shows someone receives it already.
#[derive(Debug, Clone)]
pub struct Target {
    pub law: String,
    pub name: String,
    pub right: String,
    pub amount: Option<String>,
    pub voorziening: Option<Voorziening>,
}

/// The laws in force marked discoverable, with their outputs named
/// `heeft_recht_op_*` and `hoogte_*`.
pub fn targets(laws: &[Law], date: Date) -> anyhow::Result<Vec<Target>> {
    let mut out = Vec::new();
    for law in in_force(laws, date).into_iter().filter(|l| l.discoverable) {
        let outputs: Vec<&str> = law
            .articles
            .iter()
            .flat_map(|a| a.outputs.iter().map(|o| o.name.as_str()))
            .collect();
        let right = outputs
            .iter()
            .find(|o| o.starts_with("heeft_recht_op"))
            .ok_or_else(|| {
                anyhow!(
                    "{}: a discoverable law needs an output named heeft_recht_op_...",
                    law.file
                )
            })?;
        out.push(Target {
            law: law.id.clone(),
            name: law.name.clone().unwrap_or_else(|| law.id.clone()),
            right: right.to_string(),
            amount: outputs
                .iter()
                .find(|o| o.starts_with("hoogte_"))
                .map(|o| o.to_string()),
            voorziening: match law.id.as_str() {
                "wet_op_de_zorgtoeslag" => Some(Voorziening::Zorgtoeslag),
                "kwijtschelding_gemeentelijke_belastingen" => Some(Voorziening::Kwijtschelding),
                "individuele_inkomenstoeslag" => Some(Voorziening::Inkomenstoeslag),
                _ => None,
            },
        });
    }
    if out.is_empty() {
        bail!("no law in force on {date} is marked discoverable");
    }
    Ok(out)
}

/// The calculation of every target's outputs.
pub fn compile(laws: &[Law], date: Date, targets: &[Target]) -> anyhow::Result<Calculation> {
    let wanted: Vec<(String, String)> = targets
        .iter()
        .flat_map(|t| {
            std::iter::once((t.law.clone(), t.right.clone()))
                .chain(t.amount.iter().map(|a| (t.law.clone(), a.clone())))
        })
        .collect();
    Calculation::new(laws, date, &wanted).map_err(|errors| {
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        anyhow!("the laws do not compile for {date}:\n{}", shown.join("\n"))
    })
}

/// The households as the laws' inputs; an input the register cannot give
/// is an error naming it.
pub fn population(
    households: &[HouseholdFacts],
    specs: &[ColumnSpec],
) -> anyhow::Result<Population> {
    let mut columns = Vec::new();
    for spec in specs {
        let ints =
            |f: &dyn Fn(&HouseholdFacts) -> i64| Column::Int(households.iter().map(f).collect());
        let bits = |f: &dyn Fn(&HouseholdFacts) -> bool| {
            let mut words = vec![0u64; households.len().div_ceil(64)];
            for (i, h) in households.iter().enumerate() {
                words[i / 64] |= u64::from(f(h)) << (i % 64);
            }
            Column::Bits(words)
        };
        let column = match (spec.name.as_str(), spec.ty) {
            ("toetsingsinkomen", Ty::Num(1)) => ints(&|h| 12 * h.netto_inkomen_maand),
            ("netto_inkomen", Ty::Num(1)) => ints(&|h| h.netto_inkomen_maand),
            ("vermogen", Ty::Num(1)) => ints(&|h| h.vermogen),
            ("aanslag_gemeentelijke_belastingen", Ty::Num(1)) => ints(&|h| {
                if h.heeft_partner || h.heeft_kinderen {
                    AANSLAG_MEERPERSOONS
                } else {
                    AANSLAG_EENPERSOONS
                }
            }),
            ("maanden_laag_inkomen", Ty::Num(1)) => ints(&|h| {
                if h.receives(Voorziening::Bijstand) {
                    MAANDEN_BIJ_BIJSTAND
                } else {
                    0
                }
            }),
            ("geboortedatum", Ty::Date) => {
                ints(&|h| i64::from(h.geboortedatum.to_julian_day()) - 2_440_588)
            }
            ("heeft_toeslagpartner" | "heeft_partner", Ty::Bool) => bits(&|h| h.heeft_partner),
            ("partner_is_verzekerde", Ty::Bool) => bits(&|h| h.heeft_partner),
            ("is_verzekerde", Ty::Bool) => bits(&|_| true),
            ("heeft_kinderen", Ty::Bool) => bits(&|h| h.heeft_kinderen),
            (name, ty) => bail!(
                "the register has no data for the input {name} ({ty:?}); give it in a CSV with `rules eval` instead"
            ),
        };
        columns.push((spec.clone(), column));
    }
    Ok(Population {
        ids: households
            .iter()
            .map(|h| h.referent.0.to_string())
            .collect(),
        columns,
    })
}

/// One household's result for one law.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding {
    pub entitled: bool,
    pub cents: i64,
    pub receives: bool,
}

/// Per target, per household.
pub fn findings(
    calc: &Calculation,
    households: &[HouseholdFacts],
    targets: &[Target],
) -> anyhow::Result<Vec<Vec<Finding>>> {
    let pop = population(households, calc.inputs())?;
    let results = calc.evaluate(&pop).map_err(|e| anyhow!("{e}"))?;
    let outputs = calc.outputs();
    let index = |law: &str, name: &str| outputs.iter().position(|(l, o)| l == law && o == name);
    targets
        .iter()
        .map(|t| {
            let right =
                index(&t.law, &t.right).ok_or_else(|| anyhow!("{} not calculated", t.right))?;
            let amount = t.amount.as_ref().and_then(|a| index(&t.law, a));
            Ok(households
                .iter()
                .enumerate()
                .map(|(row, h)| Finding {
                    entitled: results.value(right, row) == Value::Bool(true),
                    cents: amount.map_or(0, |a| cents(results.value(a, row))),
                    receives: t.voorziening.is_some_and(|v| h.receives(v)),
                })
                .collect())
        })
        .collect()
}

fn cents(v: Value) -> i64 {
    match v {
        Value::Num(r) if r.den() == 1 => i64::try_from(r.num()).unwrap_or(0),
        _ => 0,
    }
}

/// The scan's report: per law, how many are probably entitled and how many
/// of them do not receive it, with the amount, and per wijk. Returns the
/// number of offers to make.
pub fn report(
    households: &[HouseholdFacts],
    targets: &[Target],
    found: &[Vec<Finding>],
    mut w: impl Write,
) -> anyhow::Result<usize> {
    writeln!(w, "{} households in the register.", households.len())?;
    let mut missed_total = 0;
    for (t, f) in targets.iter().zip(found) {
        let entitled = f.iter().filter(|x| x.entitled).count();
        let missed: Vec<usize> = (0..f.len())
            .filter(|&i| f[i].entitled && !f[i].receives)
            .collect();
        let amount: i64 = missed.iter().map(|&i| f[i].cents).sum();
        missed_total += missed.len();
        writeln!(
            w,
            "{}: {entitled} probably entitled, {} of them do not receive it ({} a year together).",
            t.name,
            missed.len(),
            Money::from_cents(amount)
        )?;
        let mut by_wijk: BTreeMap<&str, (usize, i64)> = BTreeMap::new();
        for &i in &missed {
            let e = by_wijk.entry(households[i].wijk.as_str()).or_default();
            e.0 += 1;
            e.1 += f[i].cents;
        }
        for (wijk, (n, c)) in by_wijk {
            writeln!(w, "  {wijk}: {n} ({})", Money::from_cents(c))?;
        }
    }
    Ok(missed_total)
}

/// Every household and law to offer: probably entitled, not receiving it
/// (or the register cannot tell).
pub fn leads(
    households: &[HouseholdFacts],
    targets: &[Target],
    found: &[Vec<Finding>],
) -> Vec<EntitlementLead> {
    let mut out = Vec::new();
    for (t, f) in targets.iter().zip(found) {
        for (h, x) in households.iter().zip(f) {
            if x.entitled && !x.receives {
                out.push(EntitlementLead {
                    resident: h.referent,
                    law: t.law.clone(),
                    law_name: t.name.clone(),
                    cents_per_year: t.amount.as_ref().map(|_| x.cents),
                    voorziening: t.voorziening,
                });
            }
        }
    }
    out
}

/// Why a lead is offered, in words for the worklist file.
fn reason(lead: &EntitlementLead) -> String {
    match (lead.voorziening, lead.cents_per_year) {
        (Some(_), Some(cents)) => format!(
            "{}: waarschijnlijk recht, ongeveer {} per jaar; ontvangt het nu niet",
            lead.law_name,
            Money::from_cents(cents)
        ),
        (Some(_), None) => format!(
            "{}: waarschijnlijk recht; ontvangt het nu niet",
            lead.law_name
        ),
        (None, _) => format!(
            "{}: waarschijnlijk recht; of het al ontvangen wordt is onbekend",
            lead.law_name
        ),
    }
}

/// The worklist file: one line per lead, with resident ids (no BSN or
/// name), the wijk and the reason in words.
pub fn write_worklist(
    households: &[HouseholdFacts],
    leads: &[EntitlementLead],
    out: impl Write,
) -> anyhow::Result<()> {
    let wijk: HashMap<ResidentId, &str> = households
        .iter()
        .map(|h| (h.referent, h.wijk.as_str()))
        .collect();
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(["resident_id", "wijk", "law", "amount_cents", "reason"])?;
    for lead in leads {
        let wijk = wijk.get(&lead.resident).copied().unwrap_or_default();
        csv.write_record([
            lead.resident.0.to_string(),
            inert(wijk).into_owned(),
            inert(&lead.law).into_owned(),
            lead.cents_per_year.unwrap_or(0).to_string(),
            inert(&reason(lead)).into_owned(),
        ])?;
    }
    csv.flush()?;
    Ok(())
}

/// The leads as open work of the municipality (named, or the only one),
/// in one transaction; tells the operator what changed.
pub async fn open_work(
    store: &Store,
    gemeente: Option<&str>,
    date: Date,
    leads: &[EntitlementLead],
    now: i64,
) -> anyhow::Result<OpenedLeads> {
    let org = crate::signals::municipality(store, gemeente).await?;
    let actor = Actor::System("rules-scan");
    Ok(store
        .open_entitlement_work(&actor, org, date, leads, now)
        .await?)
}

/// What a policy change does: per law, households that gain or lose the
/// right, the change in cost, and per wijk.
pub fn compare(
    households: &[HouseholdFacts],
    targets: &[Target],
    before: &[Vec<Finding>],
    after: &[Vec<Finding>],
    mut w: impl Write,
) -> anyhow::Result<()> {
    for (t, (b, a)) in targets.iter().zip(before.iter().zip(after)) {
        let mut gain = 0;
        let mut lose = 0;
        let mut higher = 0;
        let mut lower = 0;
        let mut cost = 0i64;
        let mut by_wijk: BTreeMap<&str, (i64, i64, i64)> = BTreeMap::new();
        for i in 0..households.len() {
            let (x, y) = (b[i], a[i]);
            let delta = y.cents - x.cents;
            cost += delta;
            match (x.entitled, y.entitled) {
                (false, true) => gain += 1,
                (true, false) => lose += 1,
                _ if delta > 0 => higher += 1,
                _ if delta < 0 => lower += 1,
                _ => {}
            }
            if x.entitled != y.entitled || delta != 0 {
                let e = by_wijk.entry(households[i].wijk.as_str()).or_default();
                e.0 += i64::from(y.entitled && !x.entitled);
                e.1 += i64::from(x.entitled && !y.entitled);
                e.2 += delta;
            }
        }
        let entitled = |f: &[Finding]| f.iter().filter(|x| x.entitled).count();
        writeln!(
            w,
            "{}: entitled {} -> {}; {gain} households gain the right, {lose} lose it, {higher} get more, {lower} less; cost {} a year.",
            t.name,
            entitled(b),
            entitled(a),
            signed(cost)
        )?;
        for (wijk, (g, l, c)) in by_wijk {
            writeln!(w, "  {wijk}: +{g} / -{l} households, {}", signed(c))?;
        }
    }
    Ok(())
}

fn signed(cents: i64) -> String {
    let m = Money::from_cents(cents.abs());
    if cents < 0 {
        format!("-{m}")
    } else {
        format!("+{m}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What reaches the worklist file from law files or the register stays
    /// text in a spreadsheet.
    #[test]
    fn the_worklist_file_keeps_formulas_as_text() {
        let lead = EntitlementLead {
            resident: ResidentId(7),
            law: "=HYPERLINK(\"x\")".into(),
            law_name: "@zorgtoeslag".into(),
            cents_per_year: Some(134_400),
            voorziening: None,
        };
        let mut out = Vec::new();
        write_worklist(&[], &[lead], &mut out).unwrap();
        let mut reader = csv::Reader::from_reader(out.as_slice());
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!(&row[0], "7");
        assert_eq!(&row[2], "'=HYPERLINK(\"x\")");
        assert_eq!(&row[3], "134400");
        assert!(!row[4].starts_with(['=', '+', '-', '@']), "{}", &row[4]);
    }
}
