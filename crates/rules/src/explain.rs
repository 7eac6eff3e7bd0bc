//! An explanation as text, in Dutch: the whole calculation for the
//! caseworker, and the outcome with its reasons in plain words (B1) for the
//! resident. Both are read from the same [`TraceStep`] trees as the JSON.

use crate::number::{Ratio, Rounding};
use crate::trace::TraceStep;
use std::fmt::Write;
use wegwijs_domain::Money;

mod plain;

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
    // A law without a right of its own (the bijstandsnormen the others
    // use) is shown only when it is all that was asked for.
    let has_right = |law: &str| {
        outputs.iter().any(|s| {
            s.law == law
                && s.name
                    .as_deref()
                    .is_some_and(|n| n.starts_with("heeft_recht_op"))
        })
    };
    if laws.iter().any(|l| has_right(l)) {
        laws.retain(|l| has_right(l));
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
                    reasons(r, &mut no);
                }
                if !no.is_empty() {
                    let _ = writeln!(out, "Dit is de reden:");
                    for n in no {
                        let _ = writeln!(out, "- {n}");
                    }
                }
            }
            None => {
                for s in &steps {
                    let _ = writeln!(out, "{}: {}.", plain::label(&label(s)), shown(s));
                }
            }
        }
        let mut facts = Vec::new();
        for s in &steps {
            resident_facts(s, &mut facts);
        }
        // Someone without a partner is not told about their partner.
        let single = facts.iter().any(|(n, v)| {
            matches!(n.as_str(), "heeft_toeslagpartner" | "heeft_partner") && is_no(v)
        });
        if single {
            facts.retain(|(n, _)| !n.starts_with("partner_"));
        }
        if !facts.is_empty() {
            let _ = writeln!(out, "Wij gingen uit van deze gegevens:");
            for (name, value) in &facts {
                let _ = writeln!(out, "- {}: {value}", plain::label(name));
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

/// "nee" (or false) as a fact's value is shown.
fn is_no(value: &str) -> bool {
    matches!(value, "nee" | "false")
}

/// The inputs about the resident anywhere in the calculation, other laws'
/// parts included, once each.
fn resident_facts(s: &TraceStep, out: &mut Vec<(String, String)>) {
    if let ("input", Some(name)) = (s.kind, &s.name)
        && !out.iter().any(|(n, _)| n == name)
    {
        out.push((
            name.clone(),
            plain::date(&s.value).unwrap_or_else(|| shown(s)),
        ));
    }
    for c in &s.from {
        resident_facts(c, out);
    }
}

/// Why a condition of the right does not hold, in plain sentences, the
/// nearest to the outcome first. Only what decides counts: of a choice
/// (IF) the branch taken, not the condition that chose it.
fn reasons(s: &TraceStep, out: &mut Vec<String>) {
    let decisive: &[TraceStep] = if s.what.starts_with("IF") {
        s.from.last().map(std::slice::from_ref).unwrap_or_default()
    } else {
        &s.from
    };
    for c in decisive {
        let sentence = match (c.value.as_str(), c.name.as_deref()) {
            ("ja", Some(name)) if s.what == "NOT" => {
                Some(plain::plain(name).and_then(|p| p.when_so).map_or_else(
                    || format!("Dit geldt voor u: {}.", plain::label(name)),
                    String::from,
                ))
            }
            ("nee", Some(name)) => match plain::plain(name).and_then(|p| p.when_not) {
                Some(text) => Some(text.to_string()),
                None if c.from.is_empty() || c.kind == "input" => {
                    Some(format!("Dit klopt niet: {}.", plain::label(name)))
                }
                None => {
                    reasons(c, out);
                    None
                }
            },
            ("nee", None) if COMPARES.contains(&c.what.as_str()) => Some(compared(c)),
            ("nee", None) => {
                reasons(c, out);
                None
            }
            _ => None,
        };
        if let Some(text) = sentence
            && !out.contains(&text)
        {
            out.push(text);
        }
    }
}

const COMPARES: [&str; 5] = [
    "Equals",
    "LessThan",
    "LessOrEqual",
    "GreaterThan",
    "GreaterOrEqual",
];

/// A comparison that does not hold, as a sentence: the shipped laws' own,
/// or its two sides in words.
fn compared(c: &TraceStep) -> String {
    let side = |i: usize| c.from.get(i).map(operand).unwrap_or_default();
    let (left, right) = (side(0), side(1));
    if let Some(text) = plain::comparison(&left, &c.what, &right) {
        return text.to_string();
    }
    let words = |x: &str| {
        if x.chars()
            .all(|ch| ch.is_ascii_digit() || "-.,/".contains(ch))
        {
            x.replace('.', ",")
        } else {
            plain::label(x).to_lowercase()
        }
    };
    format!(
        "Dit klopt niet: {} {} {}.",
        words(&left),
        label(c),
        words(&right)
    )
}

/// What one side of a comparison is: its name, the branch an IF took, or
/// the number itself.
fn operand(s: &TraceStep) -> String {
    match (&s.name, s.what.starts_with("IF")) {
        (Some(n), _) => n.clone(),
        (None, true) => s.from.last().map(operand).unwrap_or_default(),
        (None, false) => s.value.clone(),
    }
}
