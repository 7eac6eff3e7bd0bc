//! `wegwijs rules ...`: law files checked, calculated over a CSV, one
//! resident explained, scenario files run. The engine is wegwijs-rules;
//! this module reads and writes the files and speaks to the operator.

use anyhow::{Context, anyhow, bail};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use time::Date;
use wegwijs_rules::{Calculation, Law, Population, Setting, apply_settings, in_force};

/// Loads every law under `dirs`; all problems at once.
pub fn load(dirs: &[PathBuf]) -> anyhow::Result<Vec<Law>> {
    let laws = wegwijs_rules::load_laws(dirs).map_err(|errors| {
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        anyhow!("the laws are not valid:\n{}", shown.join("\n"))
    })?;
    if laws.is_empty() {
        bail!(
            "no law files (*.yaml) under {}",
            dirs.iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(laws)
}

/// The laws with `--set` changes applied.
pub fn with_settings(laws: &[Law], settings: &[Setting]) -> anyhow::Result<Vec<Law>> {
    let mut laws = laws.to_vec();
    apply_settings(&mut laws, settings).map_err(|e| anyhow!("--set {e}"))?;
    Ok(laws)
}

pub fn parse_date(flag: &'static str, text: &str) -> anyhow::Result<Date> {
    wegwijs_domain::person::parse_date(flag, text).map_err(|e| anyhow!("--{e}"))
}

/// `rules validate`: every file read against the schema, then compiled with
/// the other files given (an input whose source is another law needs that
/// law among them); exit 1 when any is not a valid law.
pub fn validate(files: &[PathBuf]) -> ExitCode {
    let mut problems: Vec<(usize, Vec<String>)> = Vec::new();
    let mut laws: Vec<(usize, Law)> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        match std::fs::read_to_string(f) {
            Err(e) => problems.push((i, vec![format!("{}: cannot read: {e}", f.display())])),
            Ok(text) => match wegwijs_rules::parse_law(&f.display().to_string(), &text) {
                Ok(law) => laws.push((i, law)),
                Err(es) => problems.push((i, es.iter().map(|e| e.to_string()).collect())),
            },
        }
    }
    let all: Vec<Law> = laws.iter().map(|(_, l)| l.clone()).collect();
    for (i, law) in &laws {
        let own: Vec<(String, String)> = law
            .articles
            .iter()
            .flat_map(|a| a.outputs.iter().map(|o| (law.id.clone(), o.name.clone())))
            .collect();
        match Calculation::new(&all, law.valid_from, &own) {
            Ok(_) => println!(
                "{}: valid ({} from {})",
                files[*i].display(),
                law.id,
                law.valid_from
            ),
            Err(es) => problems.push((*i, es.iter().map(|e| e.to_string()).collect())),
        }
    }
    problems.sort_by_key(|(i, _)| *i);
    for (_, ps) in &problems {
        for p in ps {
            eprintln!("{p}");
        }
    }
    if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "{} of {} files are not valid laws.",
            problems.len(),
            files.len()
        );
        ExitCode::from(1)
    }
}

/// `--output NAME` as (law, output): NAME alone when one law in force has
/// it, LAW.NAME otherwise.
pub fn resolve_outputs(
    laws: &[Law],
    date: Date,
    names: &[String],
) -> anyhow::Result<Vec<(String, String)>> {
    let chosen = in_force(laws, date);
    let declared = |l: &Law, n: &str| {
        l.articles
            .iter()
            .any(|a| a.outputs.iter().any(|o| o.name == n))
    };
    names
        .iter()
        .map(|name| {
            if let Some((law, out)) = name.split_once('.') {
                return Ok((law.to_string(), out.to_string()));
            }
            let owners: Vec<&str> = chosen
                .iter()
                .filter(|l| declared(l, name))
                .map(|l| l.id.as_str())
                .collect();
            match owners.as_slice() {
                [one] => Ok((one.to_string(), name.clone())),
                [] => Err(anyhow!(
                    "--output {name}: no law in force on {date} has this output; outputs are: {}",
                    all_outputs(&chosen).join(", ")
                )),
                many => Err(anyhow!(
                    "--output {name}: several laws have it; write one of: {}",
                    many.iter()
                        .map(|l| format!("{l}.{name}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }
        })
        .collect()
}

fn all_outputs(laws: &[&Law]) -> Vec<String> {
    laws.iter()
        .flat_map(|l| {
            l.articles
                .iter()
                .flat_map(|a| a.outputs.iter().map(|o| format!("{}.{}", l.id, o.name)))
        })
        .collect()
}

pub fn compile(laws: &[Law], date: Date, outputs: &[String]) -> anyhow::Result<Calculation> {
    let wanted = resolve_outputs(laws, date, outputs)?;
    Calculation::new(laws, date, &wanted).map_err(|errors| {
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        anyhow!("the laws do not compile for {date}:\n{}", shown.join("\n"))
    })
}

/// The population in a CSV file, with every cell problem listed.
pub fn read_population(calc: &Calculation, input: &Path) -> anyhow::Result<Population> {
    Population::read_csv_file(input, calc.inputs()).map_err(|errors| {
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        anyhow!(
            "{} cannot be used; nothing was calculated. Correct it and run again:\n{}",
            input.display(),
            shown.join("\n")
        )
    })
}

/// Output column names: the output's name, or LAW.NAME where two laws
/// share one.
pub fn headers(calc: &Calculation) -> Vec<String> {
    let outs = calc.outputs();
    outs.iter()
        .map(|(law, o)| {
            if outs.iter().filter(|(_, x)| x == o).count() > 1 {
                format!("{law}.{o}")
            } else {
                o.clone()
            }
        })
        .collect()
}

/// `rules eval`: the whole CSV, or no output file at all.
pub fn eval(calc: &Calculation, input: &Path, out: &Path) -> anyhow::Result<usize> {
    let pop = read_population(calc, input)?;
    let results = calc.evaluate(&pop).map_err(|e| anyhow!("{e}"))?;
    crate::files::write_atomically(out, |w| {
        Ok(calc.write_csv(&results, &pop.ids, &headers(calc), w)?)
    })?;
    Ok(pop.len())
}

/// How `rules explain` shows the explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Explanation {
    Caseworker,
    Resident,
    Json,
}

pub fn explain(
    calc: &Calculation,
    input: &Path,
    id: &str,
    how: Explanation,
    mut w: impl Write,
) -> anyhow::Result<()> {
    let pop = read_population(calc, input)?;
    let row = pop
        .ids
        .position(id)
        .ok_or_else(|| anyhow!("--id {id}: {} has no row with this id", input.display()))?;
    let steps = calc.explain(&pop, row).map_err(|e| anyhow!("{e}"))?;
    let text = match how {
        Explanation::Json => serde_json::to_string_pretty(&steps)?,
        Explanation::Caseworker => wegwijs_rules::explain::caseworker(&steps),
        Explanation::Resident => wegwijs_rules::explain::resident(&steps),
    };
    writeln!(w, "{}", text.trim_end())?;
    Ok(())
}

/// `rules test DIR`: every scenario file under DIR; exit 1 when any
/// scenario fails or a file cannot be run.
pub fn test(laws: &[Law], dir: &Path) -> anyhow::Result<ExitCode> {
    let files = wegwijs_rules::law_files(&[dir.to_path_buf()])
        .with_context(|| format!("cannot read {}", dir.display()))?;
    if files.is_empty() {
        bail!("no scenario files (*.yaml) under {}", dir.display());
    }
    let (mut passed, mut failed) = (0, 0);
    for f in files {
        let name = f.display().to_string();
        let text = std::fs::read_to_string(&f).with_context(|| format!("cannot read {name}"))?;
        match wegwijs_rules::scenario::run_file(laws, &name, &text) {
            Err(e) => {
                failed += 1;
                println!("FAIL {e}");
            }
            Ok(outcomes) => {
                for o in outcomes {
                    let line = o.line.unwrap_or(0);
                    if o.failures.is_empty() {
                        passed += 1;
                        println!("pass {name}:{line}: {}", o.name);
                    } else {
                        failed += 1;
                        println!("FAIL {name}:{line}: {}", o.name);
                        for x in o.failures {
                            println!("       {x}");
                        }
                    }
                }
            }
        }
    }
    println!("{passed} passed, {failed} failed.");
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
