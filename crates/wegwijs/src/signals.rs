//! `wegwijs signals import`: checks the whole delivery first, then takes it
//! in within one transaction. By default a file with any bad row imports
//! nothing; with `skip_invalid` the good rows are imported and the bad ones
//! kept in quarantine for an admin to correct.

use crate::import::RowProblem;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::Path;

use wegwijs_domain::signal::format::{self, Format, FormatError};
use wegwijs_domain::signal::{DeliveryCheck, Signal, SignalFields};
use wegwijs_domain::{Actor, Clock, OrgKind};
use wegwijs_store::Store;
use wegwijs_store::signals::{Quarantined, SignalImportSummary, SignalSource, SourceKind};

/// Rows handed from the reading thread to the database at a time.
const BATCH: usize = 5_000;
/// Batches the reader may be ahead: it checks while the register loads.
const QUEUE: usize = 24;

pub struct ImportOptions<'a> {
    pub path: &'a Path,
    pub format: Option<Format>,
    pub skip_invalid: bool,
    /// The municipality's name; may be left out when there is one.
    pub gemeente: Option<&'a str>,
    /// The creditor that sent the file (its IDs are its own).
    pub partner: Option<&'a str>,
}

pub enum Outcome {
    Imported {
        summary: SignalImportSummary,
        problems: Vec<RowProblem>,
    },
    Refused {
        problems: Vec<RowProblem>,
        rows: u64,
    },
}

/// Reading stopped: the file is unreadable as a whole, or the import ended.
#[derive(Debug, thiserror::Error)]
enum Stop {
    #[error(transparent)]
    Format(#[from] FormatError),
    #[error("the import stopped")]
    Closed,
}

pub async fn import_signals(
    store: &Store,
    clock: &dyn Clock,
    options: &ImportOptions<'_>,
) -> anyhow::Result<Outcome> {
    let path = options.path;
    let format = match options.format {
        Some(f) => f,
        None => Format::from_name(&path.to_string_lossy()).with_context(|| {
            format!(
                "{}: cannot tell the format from the name; name it .csv or .json, or give --format csv|json",
                path.display()
            )
        })?,
    };
    let org = municipality(store, options.gemeente).await?;
    let today = clock.today();
    let file = open(path)?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);

    let bar = ProgressBar::new(size);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} ({eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let actor = Actor::System("signals-import");
    let source = SignalSource {
        kind: SourceKind::File,
        name: path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        sha256: None,
        token: None,
        partner: options.partner.map(str::to_string),
    };
    // One pass: a thread reads and checks, the database takes batches. A bad
    // row without --skip-invalid stops the writing (the transaction is
    // dropped, so nothing stays), but the reading goes on to report all.
    // Reading starts first, so it runs while the import reads the register.
    let (send, mut receive) = tokio::sync::mpsc::channel::<(Vec<Signal>, Vec<Quarantined>)>(QUEUE);
    let skip_invalid = options.skip_invalid;
    let progress = bar.clone();
    let reader = tokio::task::spawn_blocking(move || {
        read_and_check(file, format, today, skip_invalid, &progress, send)
    });
    // About a hundred bytes a signal; it only decides how matching reads the register.
    let expected = (size / 100) as usize;
    let mut import = store
        .begin_signal_import(
            &actor,
            org,
            &source,
            expected,
            clock.now().unix_timestamp(),
            today,
        )
        .await?;
    while let Some((good, quarantined)) = receive.recv().await {
        import.push(good).await?;
        import.quarantine(&quarantined).await?;
    }
    let (rows, problems) = reader.await?.with_context(|| path.display().to_string())?;
    bar.finish_and_clear();
    if !problems.is_empty() && !skip_invalid {
        drop(import);
        return Ok(Outcome::Refused { problems, rows });
    }
    let summary = import.commit().await?;
    Ok(Outcome::Imported { summary, problems })
}

fn open(path: &Path) -> anyhow::Result<std::fs::File> {
    std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))
}

/// Counts the bytes read, for the progress bar.
struct Counting<R> {
    inner: R,
    bar: ProgressBar,
}

impl<R: std::io::Read> std::io::Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}

/// Reads every row, checks it, and finds IDs used twice in the file.
/// Good rows (and, with `skip_invalid`, bad ones for quarantine) go to
/// `send` in batches; after the first problem without `skip_invalid`
/// nothing more is sent.
fn read_and_check(
    file: std::fs::File,
    format: Format,
    today: time::Date,
    skip_invalid: bool,
    bar: &ProgressBar,
    send: tokio::sync::mpsc::Sender<(Vec<Signal>, Vec<Quarantined>)>,
) -> anyhow::Result<(u64, Vec<RowProblem>)> {
    let unit = match format {
        Format::Csv => "line",
        Format::Json => "signaal",
    };
    let mut problems: Vec<RowProblem> = Vec::new();
    let mut check = DeliveryCheck::new(today, None);
    let (mut good, mut quarantined) = (Vec::with_capacity(BATCH), Vec::new());
    let input = Counting {
        inner: file,
        bar: bar.clone(),
    };
    let rows = format::read::<_, Stop>(format, input, |pos, fields: SignalFields<'_>| {
        let mut row_problems = match check.check(pos, &fields) {
            Ok(s) => {
                if problems.is_empty() || skip_invalid {
                    good.push(s);
                }
                Vec::new()
            }
            Err(errors) => errors,
        };
        if !row_problems.is_empty() {
            if skip_invalid {
                quarantined.push(Quarantined {
                    line: pos,
                    fields: fields.0.iter().map(|s| s.to_string()).collect(),
                    problems: row_problems.iter().map(|(e, _)| e.clone()).collect(),
                });
            }
            problems.extend(
                row_problems
                    .drain(..)
                    .map(|(error, first_line)| RowProblem {
                        unit,
                        line: pos,
                        error,
                        first_line,
                    }),
            );
        }
        if good.len() + quarantined.len() >= BATCH && (problems.is_empty() || skip_invalid) {
            let batch = (std::mem::take(&mut good), std::mem::take(&mut quarantined));
            send.blocking_send(batch).map_err(|_| Stop::Closed)?;
        }
        Ok(())
    })
    .map_err(|e| match e {
        Stop::Format(e) => anyhow::anyhow!("{e}; nothing was imported"),
        Stop::Closed => anyhow::anyhow!("the import stopped"),
    })?;
    if problems.is_empty() || skip_invalid {
        send.blocking_send((good, quarantined))
            .map_err(|_| anyhow::anyhow!("the import stopped"))?;
    }
    Ok((rows, problems))
}

/// The municipality the signals are for: named, or the only one there is.
pub(crate) async fn municipality(store: &Store, name: Option<&str>) -> anyhow::Result<i64> {
    let orgs = store.orgs().await?;
    let gemeenten: Vec<_> = orgs
        .iter()
        .filter(|o| o.kind == OrgKind::Gemeente)
        .collect();
    match name {
        Some(n) => gemeenten
            .iter()
            .find(|o| o.name == n)
            .map(|o| o.id)
            .with_context(|| {
                format!(
                    "--gemeente: there is no municipality named {n:?}; see `wegwijs orgs create`"
                )
            }),
        None => match gemeenten.as_slice() {
            [one] => Ok(one.id),
            [] => anyhow::bail!(
                "there is no municipality yet; add one with `wegwijs orgs create --kind gemeente --name NAME`"
            ),
            _ => anyhow::bail!("there are several municipalities; say which with --gemeente NAME"),
        },
    }
}

/// Tells the operator what happened; the exit status says it to scripts.
pub fn report(
    path: &Path,
    outcome: &Outcome,
    report_file: Option<&Path>,
) -> anyhow::Result<std::process::ExitCode> {
    use crate::import::{print_problems, write_report};
    let (problems, code) = match outcome {
        Outcome::Imported {
            summary: s,
            problems,
        } => {
            println!(
                "{}: {} new signals ({} linked by BSN, {} by name and address, {} waiting to be linked by hand, \
                 {} on arrears with an objection), {} already received; {} cases opened, {} updated.",
                path.display(),
                s.new,
                s.matched_bsn,
                s.matched_name,
                s.queued,
                s.objected,
                s.known,
                s.cases_opened,
                s.cases_updated
            );
            if s.quarantined > 0 {
                let lines: std::collections::BTreeSet<u64> =
                    problems.iter().map(|p| p.line).collect();
                eprintln!(
                    "{}: {} rows were not valid and are in quarantine; an admin can correct them under Beheer:",
                    path.display(),
                    lines.len()
                );
                print_problems(problems);
            }
            (problems, if s.quarantined > 0 { 2 } else { 0 })
        }
        Outcome::Refused { problems, rows } => {
            let lines: std::collections::BTreeSet<u64> = problems.iter().map(|p| p.line).collect();
            eprintln!(
                "{}: {} of {rows} rows are not valid; nothing was imported. Correct them and import again, \
                 or use --skip-invalid to import the rest:",
                path.display(),
                lines.len()
            );
            print_problems(problems);
            (problems, 1)
        }
    };
    if let Some(file) = report_file {
        write_report(file, problems)?;
    }
    Ok(std::process::ExitCode::from(code))
}
