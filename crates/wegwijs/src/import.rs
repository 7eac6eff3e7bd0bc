//! `wegwijs persons import`: validates the whole file first, then loads it in
//! one transaction. A file with any bad row loads nothing.

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::Path;
use wegwijs_domain::register;
use wegwijs_domain::spreadsheet::inert;
use wegwijs_domain::{Actor, Clock, ResidentRecord, ValidationError};
use wegwijs_store::Store;
use wegwijs_store::residents::ImportSummary;

/// One problem in a file, by line (1 is the header) or, in a JSON list,
/// by item number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// "line" or "signaal".
    pub unit: &'static str,
    pub line: u64,
    pub error: ValidationError,
    /// For duplicates: the line where the value first appeared.
    pub first_line: Option<u64>,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}, {}", self.unit, self.line, self.error)?;
        if let Some(first) = self.first_line {
            write!(f, " (first on line {first})")?;
        }
        Ok(())
    }
}

/// Prints the first problems for a person at a terminal; the rest are
/// counted (a report file can hold them all).
pub fn print_problems(problems: &[RowProblem]) {
    const SHOWN: usize = 200;
    for p in problems.iter().take(SHOWN) {
        eprintln!("  {p}");
    }
    if problems.len() > SHOWN {
        eprintln!("  ... and {} more problems", problems.len() - SHOWN);
    }
}

/// Writes every problem as CSV: position, field, problem, first position.
pub fn write_report(path: &Path, problems: &[RowProblem]) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_path(path)
        .with_context(|| format!("cannot write the report {}", path.display()))?;
    w.write_record(["plaats", "veld", "probleem", "eerder_op"])?;
    for p in problems {
        w.write_record([
            format!("{} {}", p.unit, p.line),
            inert(p.error.field).into_owned(),
            p.error.problem.to_string(),
            p.first_line.map(|l| l.to_string()).unwrap_or_default(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

pub enum Outcome {
    Imported(ImportSummary),
    Refused {
        problems: Vec<RowProblem>,
        rows: u64,
    },
}

const BATCH: usize = 5_000;

fn open(path: &Path) -> anyhow::Result<std::fs::File> {
    std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))
}

/// Reads every row of the file (see [`register::read`]); the problems of
/// its rows by line.
fn read_rows(
    path: &Path,
    today: time::Date,
    problems: &mut Vec<RowProblem>,
    each: impl FnMut(ResidentRecord) -> anyhow::Result<()>,
) -> anyhow::Result<u64> {
    let mut found = Vec::new();
    let rows = register::read(open(path)?, today, &mut found, each)?;
    problems.extend(found.into_iter().map(|p| RowProblem {
        unit: "line",
        line: p.line,
        error: p.error,
        first_line: p.first_line,
    }));
    Ok(rows)
}

pub async fn import_persons(
    store: &Store,
    clock: &dyn Clock,
    path: &Path,
) -> anyhow::Result<Outcome> {
    let today = clock.today();
    // Pass 1: validate everything; nothing is written when anything is wrong.
    let p = path.to_owned();
    let (rows, problems) = tokio::task::spawn_blocking(move || {
        let mut problems = Vec::new();
        read_rows(&p, today, &mut problems, |_| Ok(())).map(|rows| (rows, problems))
    })
    .await??;
    if !problems.is_empty() {
        return Ok(Outcome::Refused { problems, rows });
    }
    // Pass 2: stream batches from a reader thread into one transaction.
    let bar = ProgressBar::new(rows);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} persons ({eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let actor = Actor::System("persons-import");
    let mut import = store
        .begin_register_import(&actor, clock.now().unix_timestamp())
        .await?;
    let (send, mut receive) = tokio::sync::mpsc::channel::<Vec<ResidentRecord>>(2);
    let p = path.to_owned();
    let reader = tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let mut batch = Vec::with_capacity(BATCH);
        let stopped = || anyhow::anyhow!("the import stopped");
        read_rows(&p, today, &mut Vec::new(), |record| {
            batch.push(record);
            if batch.len() == BATCH {
                send.blocking_send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                    .map_err(|_| stopped())?;
            }
            Ok(())
        })?;
        send.blocking_send(batch).map_err(|_| stopped())
    });
    while let Some(batch) = receive.recv().await {
        import.push(&batch).await?;
        bar.set_position(import.records_done() as u64);
    }
    reader.await??;
    if import.records_done() as u64 != rows {
        anyhow::bail!(
            "{} changed while it was being imported; nothing was imported",
            path.display()
        );
    }
    let summary = import.commit().await?;
    bar.finish_and_clear();
    Ok(Outcome::Imported(summary))
}
