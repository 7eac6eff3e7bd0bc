//! Scenario files: given inputs and expected outputs per law and date, run
//! by `wegwijs rules test`. The format is documented in docs/rules.md:
//!
//! ```yaml
//! date: 2025-06-01
//! law: wet_op_de_zorgtoeslag          # for expectations without "law."
//! source: Dienst Toeslagen, proefberekening 2025
//! set: {kosten_van_bestaan_percentage: 0.9}   # optional, as --set
//! scenarios:
//!   - name: alleenstaande, toetsingsinkomen EUR 35.000
//!     given: {toetsingsinkomen: 3500000, heeft_toeslagpartner: false}
//!     expect: {hoogte_zorgtoeslag: 67004}
//! ```

use crate::law::{Law, parse_date};
use crate::number::Ratio;
use crate::params::{Setting, apply_settings};
use crate::scalar::Value;
use crate::source::{self, Scalar};
use crate::{Calculation, Population, dates};
use marked_yaml::Node;

/// The outcome of one scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub name: String,
    pub line: Option<usize>,
    /// Empty when the scenario passes.
    pub failures: Vec<String>,
}

struct Scenario {
    name: String,
    line: Option<usize>,
    given: Vec<(String, String)>,
    expect: Vec<((String, String), String)>,
}

/// Why a scenario file cannot run, with its place (file, or file:line).
#[derive(Debug, thiserror::Error)]
#[error("{at}: {problem}")]
pub struct ScenarioError {
    pub at: String,
    pub problem: ScenarioProblem,
}

#[derive(Debug, thiserror::Error)]
pub enum ScenarioProblem {
    #[error("{0}")]
    Yaml(String),
    #[error("the top level must be a mapping with date and scenarios")]
    NotAMapping,
    #[error("\"date\" is missing: give the calculation date, YYYY-MM-DD")]
    NoDate,
    #[error("date {0:?} is not a date; write YYYY-MM-DD")]
    NotADate(String),
    #[error("\"scenarios\" is missing: give a list of scenarios")]
    NoScenarios,
    #[error("scenario {0} must be a mapping with name, given and expect")]
    ScenarioNotAMapping(usize),
    #[error("{name}: \"{key}\" is missing or not a mapping")]
    NoPairs { name: String, key: String },
    #[error("{name}: {key}.{field} must be one value")]
    NotOneValue {
        name: String,
        key: String,
        field: String,
    },
    #[error("{name}: expect.{field} names no law: write LAW.{field}, or give \"law\" at the top")]
    NoLaw { name: String, field: String },
    #[error("set: {0}")]
    Setting(#[from] crate::params::SettingError),
    #[error("the laws do not compile for {date}:\n{errors}")]
    Compile { date: String, errors: String },
}

/// Runs every scenario of one file against `laws`. A file that cannot be
/// read or whose laws do not compile is an error with its place.
pub fn run_file(laws: &[Law], file: &str, text: &str) -> Result<Vec<Outcome>, ScenarioError> {
    let fail = |problem: ScenarioProblem| ScenarioError {
        at: file.to_string(),
        problem,
    };
    let root = source::parse(file, text).map_err(|e| ScenarioError {
        at: file.to_string(),
        problem: ScenarioProblem::Yaml(e.to_string()),
    })?;
    let top = root
        .as_mapping()
        .ok_or_else(|| fail(ScenarioProblem::NotAMapping))?;
    let get = |k: &str| top.get_scalar(k).map(|s| s.as_str().to_string());
    let date_text = get("date").ok_or_else(|| fail(ScenarioProblem::NoDate))?;
    let date =
        parse_date(&date_text).ok_or_else(|| fail(ScenarioProblem::NotADate(date_text.clone())))?;
    let default_law = get("law");
    let list = top
        .get_sequence("scenarios")
        .ok_or_else(|| fail(ScenarioProblem::NoScenarios))?;
    let mut scenarios = Vec::new();
    for (i, node) in list.iter().enumerate() {
        scenarios.push(read(file, &root, node, i, default_law.as_deref())?);
    }
    // Policy choices to try, as `--set` gives them.
    let mut settings = Vec::new();
    if let Some(set) = top.get_mapping("set") {
        for (k, v) in set.iter() {
            let value = v.as_scalar().map(|s| s.as_str()).unwrap_or_default();
            settings.push(
                format!("{}={value}", k.as_str())
                    .parse::<Setting>()
                    .map_err(|e| fail(e.into()))?,
            );
        }
    }
    let mut changed;
    let laws = if settings.is_empty() {
        laws
    } else {
        changed = laws.to_vec();
        apply_settings(&mut changed, &settings).map_err(|e| fail(e.into()))?;
        &changed[..]
    };
    let mut wanted: Vec<(String, String)> = Vec::new();
    for s in &scenarios {
        for (key, _) in &s.expect {
            if !wanted.contains(key) {
                wanted.push(key.clone());
            }
        }
    }
    let calc = Calculation::new(laws, date, &wanted).map_err(|errors| {
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        fail(ScenarioProblem::Compile {
            date: date_text.clone(),
            errors: shown.join("\n"),
        })
    })?;
    Ok(scenarios.iter().map(|s| check(&calc, file, s)).collect())
}

fn read(
    file: &str,
    root: &Node,
    node: &Node,
    i: usize,
    default_law: Option<&str>,
) -> Result<Scenario, ScenarioError> {
    let path = format!("/scenarios/{i}");
    let line = source::line_at(root, &path);
    let at = format!("{file}:{}", line.unwrap_or(0));
    let fail = |problem| ScenarioError {
        at: at.clone(),
        problem,
    };
    let m = node
        .as_mapping()
        .ok_or_else(|| fail(ScenarioProblem::ScenarioNotAMapping(i + 1)))?;
    let name = m
        .get_scalar("name")
        .map_or_else(|| format!("scenario {}", i + 1), |n| n.as_str().to_string());
    let pairs = |key: &str| -> Result<Vec<(String, String)>, ScenarioError> {
        let Some(map) = m.get_mapping(key) else {
            return Err(fail(ScenarioProblem::NoPairs {
                name: name.clone(),
                key: key.into(),
            }));
        };
        map.iter()
            .map(|(k, v)| match v.as_scalar() {
                Some(s) if source::scalar(s) != Scalar::Null => {
                    Ok((k.as_str().to_string(), s.as_str().to_string()))
                }
                _ => Err(fail(ScenarioProblem::NotOneValue {
                    name: name.clone(),
                    key: key.into(),
                    field: k.as_str().into(),
                })),
            })
            .collect()
    };
    let given = pairs("given")?;
    let mut expect = Vec::new();
    for (k, v) in pairs("expect")? {
        let key = match (k.split_once('.'), default_law) {
            (Some((law, out)), _) => (law.to_string(), out.to_string()),
            (None, Some(law)) => (law.to_string(), k),
            (None, None) => {
                return Err(fail(ScenarioProblem::NoLaw {
                    name: name.clone(),
                    field: k,
                }));
            }
        };
        expect.push((key, v));
    }
    Ok(Scenario {
        name,
        line,
        given,
        expect,
    })
}

fn check(calc: &Calculation, file: &str, s: &Scenario) -> Outcome {
    let mut failures = Vec::new();
    let mut header = String::from("id");
    let mut row = String::from("scenario");
    for spec in calc.inputs() {
        match s.given.iter().find(|(k, _)| *k == spec.name) {
            Some((_, v)) => {
                header.push(',');
                header.push_str(&spec.name);
                row.push(',');
                row.push_str(&csv_cell(v));
            }
            None => failures.push(format!("input {} is not given", spec.name)),
        }
    }
    for (k, _) in &s.given {
        if !calc.inputs().iter().any(|c| c.name == *k) {
            failures.push(format!(
                "given {k} is not an input of this calculation (a typing error?)"
            ));
        }
    }
    if !failures.is_empty() {
        return outcome(s, failures);
    }
    let csv = format!("{header}\n{row}\n");
    let pop = match Population::read_csv(file, csv.as_bytes(), calc.inputs()) {
        Ok(p) => p,
        Err(errors) => {
            let shown = errors.iter().map(|e| e.to_string()).collect();
            return outcome(s, shown);
        }
    };
    let values = match calc.evaluate_row(&pop, 0) {
        Ok(v) => v,
        Err(e) => return outcome(s, vec![e.to_string()]),
    };
    let outputs = calc.outputs();
    for (key, expected) in &s.expect {
        let Some(i) = outputs.iter().position(|o| o == key) else {
            failures.push(format!("{}.{} is not an output", key.0, key.1));
            continue;
        };
        let actual = values[i];
        if !matches(actual, expected) && calc.show(actual) != *expected {
            failures.push(format!(
                "{}.{}: expected {expected}, calculated {}",
                key.0,
                key.1,
                calc.show(actual)
            ));
        }
    }
    outcome(s, failures)
}

fn outcome(s: &Scenario, failures: Vec<String>) -> Outcome {
    Outcome {
        name: s.name.clone(),
        line: s.line,
        failures,
    }
}

fn matches(actual: Value, expected: &str) -> bool {
    match actual {
        Value::Num(r) => Ratio::parse_decimal(expected) == Some(r),
        Value::Bool(b) => expected == if b { "true" } else { "false" },
        Value::Date(d) => parse_date(expected).map(dates::from_date) == Some(d),
        Value::Text(_) => false,
    }
}

fn csv_cell(v: &str) -> String {
    if v.contains([',', '"', '\n']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}
