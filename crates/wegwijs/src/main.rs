use clap::Parser;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;
use wegwijs::cli::{
    AuditCommand, Cli, Command, DdasCommand, DemoCommand, OrgsCommand, PersonsCommand,
    RulesCommand, SignalsCommand, TaalCommand, UsersCommand,
};
use wegwijs::config::{self, Overrides};
use wegwijs::import::{self, Outcome};
use wegwijs::{clock::SystemClock, ddas, maintenance, serve, signals};
use wegwijs_domain::Clock;
use wegwijs_domain::signal::format::Format;

fn main() -> ExitCode {
    let started = Instant::now();
    let cli = Cli::parse();
    init_logging(cli.log_json);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("wegwijs: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli, started)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("wegwijs: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs never contain BSNs, names or addresses: the types that hold them
/// hide themselves in debug output, and log statements name ids only.
fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("WEGWIJS_LOG")
        .unwrap_or_else(|_| "info,sqlx=warn".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().init()
    } else {
        builder.init()
    }
}

async fn run(cli: Cli, started: Instant) -> anyhow::Result<ExitCode> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let mut overrides = Overrides {
        data_dir: cli.data_dir.clone(),
        database_url: cli.database_url.clone(),
        json_logs: cli.log_json,
        demo: cli.demo,
        ..Default::default()
    };
    if let Command::Serve { listen, public_url } = &cli.command {
        overrides.listen = listen.clone();
        overrides.public_url = public_url.clone();
    }
    let settings = config::settings(cli.config.as_deref(), &overrides)?;
    match cli.command {
        Command::Serve { .. } => serve::serve(&settings, clock, started).await?,
        Command::Migrate => maintenance::migrate(&settings).await?,
        Command::Demo {
            command:
                DemoCommand::Generate {
                    persons,
                    seed,
                    out,
                    reference_date,
                    signals,
                },
        } => {
            let reference_date =
                wegwijs_domain::person::parse_date("reference-date", &reference_date)
                    .map_err(|e| anyhow::anyhow!("--{e}"))?;
            let cfg = wegwijs_demo::Config {
                persons: persons as usize,
                seed,
                reference_date,
            };
            let t = Instant::now();
            let summary = wegwijs_demo::write_personen_csv(&cfg, &out)?;
            println!(
                "Wrote {} persons in {} households to {} in {:.2} s.",
                summary.persons,
                summary.households,
                out.join("personen.csv").display(),
                t.elapsed().as_secs_f64()
            );
            if let Some(count) = signals {
                let t = Instant::now();
                wegwijs_demo::write_signalen_csv(&cfg, count as usize, &out)?;
                println!(
                    "Wrote {count} signals to {} in {:.2} s.",
                    out.join("signalen.csv").display(),
                    t.elapsed().as_secs_f64()
                );
            }
        }
        Command::Persons {
            command: PersonsCommand::Import { file },
        } => {
            let store = wegwijs::open::store(&settings).await?;
            let outcome = import::import_persons(&store, clock.as_ref(), &file).await;
            store.close().await;
            match outcome? {
                Outcome::Imported(s) => println!(
                    "{}: {} persons added or changed, {} unchanged.",
                    file.display(),
                    s.written,
                    s.unchanged
                ),
                Outcome::Refused { problems, rows } => {
                    let lines: std::collections::BTreeSet<u64> =
                        problems.iter().map(|p| p.line).collect();
                    eprintln!(
                        "{}: {} of {rows} rows are not valid; nothing was imported. Correct them and import again:",
                        file.display(),
                        lines.len()
                    );
                    import::print_problems(&problems);
                    return Ok(ExitCode::from(1));
                }
            }
        }
        Command::Signals {
            command:
                SignalsCommand::Import {
                    file,
                    format,
                    skip_invalid,
                    gemeente,
                    partner,
                    report,
                },
        } => {
            let store = wegwijs::open::store(&settings).await?;
            let options = signals::ImportOptions {
                path: &file,
                format: format.as_deref().and_then(Format::from_code),
                skip_invalid,
                gemeente: gemeente.as_deref(),
                partner: partner.as_deref(),
            };
            let outcome = signals::import_signals(&store, clock.as_ref(), &options).await;
            // Closing lets SQLite fold its write-ahead log into the file.
            store.close().await;
            return signals::report(&file, &outcome?, report.as_deref());
        }
        Command::Ddas {
            command:
                DdasCommand::Export {
                    from,
                    to,
                    out,
                    gemeente,
                    gemeentecode,
                    leverancier,
                },
        } => {
            let store = wegwijs::open::store(&settings).await?;
            let options = ddas::ExportOptions {
                from: &from,
                to: &to,
                out: &out,
                gemeente: gemeente.as_deref(),
                gemeentecode: gemeentecode.as_deref(),
                supplier: &leverancier,
            };
            let done = ddas::export(&store, clock.as_ref(), &options).await;
            store.close().await;
            done?;
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => return maintenance::verify_audit(&settings).await,
        Command::Audit {
            command: AuditCommand::NewKey,
        } => println!("{}", wegwijs_store::audit::AuditKey::generate().to_hex()),
        Command::Orgs {
            command: OrgsCommand::Create { name, kind },
        } => maintenance::create_org(&settings, &name, &kind, clock.as_ref()).await?,
        Command::Users {
            command:
                UsersCommand::Create {
                    org,
                    username,
                    name,
                    role,
                },
        } => {
            maintenance::create_user(&settings, &org, &username, &name, &role, clock.as_ref())
                .await?
        }
        Command::Backup { out } => maintenance::backup(&settings, &out).await?,
        Command::Restore { from } => maintenance::restore(&settings, &from, clock.as_ref()).await?,
        Command::Rules { command } => return run_rules(command, &settings, clock.as_ref()).await,
        Command::Taal {
            command:
                TaalCommand::Check {
                    file,
                    json,
                    format,
                    words,
                },
        } => return wegwijs::taal::check(&file, json, format.as_deref(), words.as_deref()),
    }
    Ok(ExitCode::SUCCESS)
}

async fn run_rules(
    command: RulesCommand,
    settings: &config::Settings,
    clock: &dyn Clock,
) -> anyhow::Result<ExitCode> {
    use wegwijs::{rules, scan};
    // The laws as written, the date, and the --set changes (not yet applied:
    // simulate compares both).
    let laws_of = |law: &wegwijs::cli::LawArgs| -> anyhow::Result<_> {
        let date = match &law.date {
            Some(d) => rules::parse_date("date", d)?,
            None => clock.now().date(),
        };
        let settings = law
            .set
            .iter()
            .map(|s| s.parse().map_err(|e| anyhow::anyhow!("--set {e}")))
            .collect::<anyhow::Result<Vec<wegwijs_rules::Setting>>>()?;
        Ok((rules::load(&law.laws)?, date, settings))
    };
    let setup = |law: &wegwijs::cli::LawArgs, outputs: &[String]| -> anyhow::Result<_> {
        let (laws, date, settings) = laws_of(law)?;
        rules::compile(&rules::with_settings(&laws, &settings)?, date, outputs)
    };
    match command {
        RulesCommand::Validate { files } => Ok(rules::validate(&files)),
        RulesCommand::Eval {
            law,
            input,
            out,
            outputs,
        } => {
            let t = Instant::now();
            let calc = setup(&law, &outputs)?;
            let rows = rules::eval(&calc, &input, &out)?;
            eprintln!(
                "{rows} rows calculated into {} in {:.2} s.",
                out.display(),
                t.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Explain {
            law,
            input,
            id,
            outputs,
            plain,
            json,
        } => {
            let calc = setup(&law, &outputs)?;
            let how = match (plain, json) {
                (true, _) => rules::Explanation::Resident,
                (_, true) => rules::Explanation::Json,
                _ => rules::Explanation::Caseworker,
            };
            rules::explain(&calc, &input, &id, how, std::io::stdout().lock())?;
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Test { dir, laws } => {
            let laws = rules::load(&laws)?;
            rules::test(&laws, &dir)
        }
        RulesCommand::Scan {
            law,
            out,
            open_work,
            gemeente,
        } => {
            let t = Instant::now();
            let (laws, date, settings_) = laws_of(&law)?;
            let laws = rules::with_settings(&laws, &settings_)?;
            let targets = scan::targets(&laws, date)?;
            let calc = scan::compile(&laws, date, &targets)?;
            let store = wegwijs::open::store(settings).await?;
            let result = async {
                let households = read_households(&store, clock, date).await?;
                let read = t.elapsed().as_secs_f64();
                let found = scan::findings(&calc, &households, &targets)?;
                let missed = scan::report(&households, &targets, &found, std::io::stdout().lock())?;
                let leads = scan::leads(&households, &targets, &found);
                if let Some(path) = &out {
                    wegwijs::files::write_atomically(path, |w| {
                        scan::write_worklist(&households, &leads, w)
                    })?;
                }
                if open_work {
                    let now = clock.now().unix_timestamp();
                    let o = scan::open_work(&store, gemeente.as_deref(), date, &leads, now).await?;
                    println!(
                        "Work opened for {} households; {} offers added, {} were on open work already.",
                        o.work_opened, o.leads_added, o.leads_known
                    );
                }
                eprintln!(
                    "Scan on {date}: {missed} offers to make; register read in {read:.2} s, all in {:.2} s.",
                    t.elapsed().as_secs_f64()
                );
                anyhow::Ok(())
            }
            .await;
            store.close().await;
            result?;
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Simulate { law } => {
            if law.set.is_empty() {
                anyhow::bail!(
                    "give at least one change: --set NAME=VALUE (e.g. inkomensgrens_percentage=120%)"
                );
            }
            let (base, date, settings_) = laws_of(&law)?;
            let changed = rules::with_settings(&base, &settings_)?;
            let targets = scan::targets(&base, date)?;
            let before = scan::compile(&base, date, &targets)?;
            let after = scan::compile(&changed, date, &targets)?;
            let store = wegwijs::open::store(settings).await?;
            let households = read_households(&store, clock, date).await;
            store.close().await;
            let households = households?;
            let b = scan::findings(&before, &households, &targets)?;
            let a = scan::findings(&after, &households, &targets)?;
            println!(
                "{} households; {} against the current definitions:",
                households.len(),
                law.set.join(", ")
            );
            scan::compare(&households, &targets, &b, &a, std::io::stdout().lock())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn read_households(
    store: &wegwijs_store::Store,
    clock: &dyn Clock,
    date: time::Date,
) -> anyhow::Result<Vec<wegwijs_domain::household::HouseholdFacts>> {
    let actor = wegwijs_domain::Actor::System("rules-scan");
    Ok(store
        .scan_households(&actor, date, clock.now().unix_timestamp())
        .await?)
}
