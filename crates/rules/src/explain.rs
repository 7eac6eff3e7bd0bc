//! An explanation as text, in Dutch: the whole calculation for the
//! caseworker, and the outcome with its reasons in plain words (B1) for the
//! resident. Both are read from the same [`TraceStep`] trees as the JSON.

use crate::number::{Ratio, Rounding};
use crate::trace::TraceStep;
use std::fmt::Write;
use wegwijs_domain::Money;

/// Every step, with numbers, articles and links: for the caseworker.
pub fn caseworker(outputs: &[TraceStep]) -> String {
    let mut out = String::new();
    for step in outputs {
        let _ = writeln!(out, "{} — {}: {}", step.law_name, label(step), shown(step));
        let _ = writeln!(out, "Artikel {} ({})", step.article, step.url);
        let mut facts = Facts::default();
        facts.collect(step);
        section(&mut out, "Gegevens van de inwoner", &facts.inputs);
        section(&mut out, "Uit andere wetten en artikelen", &facts.from_law);
        section(&mut out, "Vaste waarden uit de wet", &facts.definitions);
        let _ = writeln!(
            out,
            "Berekening (tussenbedragen zonder €-teken zijn in eurocenten):"
        );
        lines(&mut out, step, 1);
        out.push('\n');
    }
    out
}

/// The outcome per law and why, in plain Dutch: for the resident.
pub fn resident(outputs: &[TraceStep]) -> String {
    let mut out = String::new();
    let mut laws: Vec<&str> = Vec::new();
    for s in outputs {
        if !laws.contains(&s.law.as_str()) {
            laws.push(&s.law);
        }
    }
    for law in laws {
        let steps: Vec<&TraceStep> = outputs.iter().filter(|s| s.law == law).collect();
        let name = &steps[0].law_name;
        let _ = writeln!(out, "{name}");
        let right = steps.iter().find(|s| {
            s.name
                .as_deref()
                .is_some_and(|n| n.starts_with("heeft_recht_op"))
        });
        let amount = steps
            .iter()
            .find(|s| s.name.as_deref().is_some_and(|n| n.starts_with("hoogte_")));
        match right.map(|r| r.value == "ja") {
            Some(true) => {
                let _ = write!(out, "U heeft waarschijnlijk recht op deze regeling.");
                if let Some(a) = amount {
                    let _ = write!(out, " Het gaat om ongeveer {} per jaar.", euros_whole(a));
                }
                out.push('\n');
            }
            Some(false) => {
                let _ = writeln!(out, "U heeft waarschijnlijk geen recht op deze regeling.");
                let mut no = Vec::new();
                if let Some(r) = right {
                    unmet(r, &mut no);
                }
                if !no.is_empty() {
                    let _ = writeln!(out, "Dit is de reden:");
                    for n in no {
                        let _ = writeln!(out, "- Dit klopt niet: {n}.");
                    }
                }
            }
            None => {
                for s in &steps {
                    let _ = writeln!(out, "{}: {}.", words(&label(s)), shown(s));
                }
            }
        }
        let mut facts = Facts::default();
        for s in &steps {
            facts.collect(s);
        }
        if !facts.inputs.is_empty() {
            let _ = writeln!(out, "Wij gingen uit van deze gegevens:");
            for (name, value, _) in &facts.inputs {
                let _ = writeln!(out, "- {}: {value}", words(name));
            }
        }
        let _ = writeln!(
            out,
            "Dit is een berekening, geen besluit. Klopt een gegeven niet? Zeg het ons. Dan rekenen we opnieuw.\n"
        );
    }
    out
}

#[derive(Default)]
struct Facts {
    /// (name, value shown, where from)
    inputs: Vec<(String, String, String)>,
    from_law: Vec<(String, String, String)>,
    definitions: Vec<(String, String, String)>,
}

impl Facts {
    fn collect(&mut self, s: &TraceStep) {
        let entry = |s: &TraceStep, from: String| (label(s), shown(s), from);
        let list = match s.kind {
            "input" => Some((&mut self.inputs, s.source.clone().unwrap_or_default())),
            "from_law" => Some((&mut self.from_law, s.source.clone().unwrap_or_default())),
            "definition" => Some((
                &mut self.definitions,
                format!("{}, artikel {}", s.law_name, s.article),
            )),
            _ => None,
        };
        if let Some((list, from)) = list {
            let e = entry(s, from);
            if !list.iter().any(|x| x.0 == e.0) {
                list.push(e);
            }
        }
        if s.kind != "from_law" {
            for c in &s.from {
                self.collect(c);
            }
        }
    }
}

fn section(out: &mut String, title: &str, items: &[(String, String, String)]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "{title}:");
    for (name, value, from) in items {
        if from.is_empty() {
            let _ = writeln!(out, "  - {name}: {value}");
        } else {
            let _ = writeln!(out, "  - {name}: {value} ({from})");
        }
    }
}

/// The calculation as an indented tree; another law's part is shown once,
/// under the input that takes it.
fn lines(out: &mut String, s: &TraceStep, depth: usize) {
    let pad = "  ".repeat(depth);
    let _ = writeln!(out, "{pad}{}: {}", label(s), shown(s));
    for c in &s.from {
        lines(out, c, depth + 1);
    }
}

/// The Dutch name of a step: its own name, or what the operation does.
fn label(s: &TraceStep) -> String {
    if let Some(n) = &s.name {
        return n.clone();
    }
    let w = s.what.as_str();
    let dutch = match w {
        "ADD" => "optellen",
        "SUBTRACT" => "aftrekken",
        "MULTIPLY" => "vermenigvuldigen",
        "MIN" => "het kleinste van",
        "MAX" => "het grootste van",
        "AND" => "alle voorwaarden",
        "OR" => "een van de voorwaarden",
        "NOT" => "niet",
        "AGE" => "leeftijd",
        "DATE_ADD" => "datum plus",
        "DATE" => "datum",
        "DAY_OF_WEEK" => "dag van de week",
        "value" => "waarde",
        "population data" => "gegeven",
        "IF: the condition holds" => "als de voorwaarde geldt",
        "IF: otherwise" => "anders",
        "Equals" => "is gelijk aan",
        "LessThan" => "is kleiner dan",
        "LessOrEqual" => "is niet groter dan",
        "GreaterThan" => "is groter dan",
        "GreaterOrEqual" => "is niet kleiner dan",
        _ if w.starts_with("Round") => "afronden",
        _ if w.starts_with("Ceil") => "naar boven afronden",
        _ if w.starts_with("Floor") => "naar beneden afronden",
        _ if w.starts_with("DIVIDE") => "delen en afronden",
        _ if w.starts_with("DATE_DIFF") => "tijd tussen twee data",
        _ => w,
    };
    dutch.to_string()
}

/// The value in the unit the law declares: eurocents as euros, ratios as
/// percentages; exact where the calculation is exact.
fn shown(s: &TraceStep) -> String {
    let Some(r) = ratio(&s.value) else {
        return s.value.clone();
    };
    match s.unit.as_deref() {
        Some("eurocent") => match r
            .round(Rounding::Round, 0)
            .and_then(|c| i64::try_from(c.num()).ok())
        {
            Some(c) if Ratio::int(c) == r => Money::from_cents(c).to_string(),
            Some(c) => format!("ongeveer {}", Money::from_cents(c)),
            None => s.value.clone(),
        },
        Some("ratio") => match r.checked_mul(Ratio::int(100)) {
            Some(p) => format!("{}%", p.to_string().replace('.', ",")),
            None => s.value.clone(),
        },
        Some("years") => format!("{} jaar", s.value),
        Some("months") => format!("{} maanden", s.value),
        _ => s.value.replace('.', ","),
    }
}

/// Whole euros, for the resident: "€ 670".
fn euros_whole(s: &TraceStep) -> String {
    let cents = ratio(&s.value)
        .and_then(|r| r.round(Rounding::Round, -2))
        .and_then(|c| i64::try_from(c.num()).ok())
        .unwrap_or(0);
    let text = Money::from_cents(cents).to_string();
    text.trim_end_matches(",00").to_string()
}

fn ratio(v: &str) -> Option<Ratio> {
    match v.split_once('/') {
        Some((n, d)) => Ratio::new(n.parse().ok()?, d.parse().ok()?),
        None => Ratio::parse_decimal(v),
    }
}

/// The named conditions that do not hold, nearest to the outcome first.
fn unmet(s: &TraceStep, out: &mut Vec<String>) {
    for c in &s.from {
        if c.value == "nee" && c.name.is_some() {
            let w = words(&label(c));
            if !out.contains(&w) {
                out.push(w);
            }
        } else if c.value == "nee" || c.kind == "operation" {
            unmet(c, out);
        }
    }
}

/// "vermogen_onder_grens" as words: "vermogen onder grens".
fn words(name: &str) -> String {
    name.replace('_', " ")
}
