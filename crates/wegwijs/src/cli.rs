//! The command line. Every command takes --data-dir or --database-url.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "wegwijs",
    version,
    about = "Wegwijs: reach residents with money worries early, and serve them well."
)]
pub struct Cli {
    /// Configuration file (TOML). Default: ./wegwijs.toml when it exists.
    #[arg(long, env = "WEGWIJS_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Folder of the embedded SQLite database (default ./wegwijs-data).
    #[arg(long, env = "WEGWIJS_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Database to use instead: sqlite://PATH or postgres://USER@HOST/DATABASE.
    #[arg(long, env = "WEGWIJS_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Mode of a database this command creates: `--demo` (or `--demo true`)
    /// for a demo with made-up people, `--demo false` for production. Only
    /// `serve` on an empty database makes a demo without being told; every
    /// other command makes a production database. A stored mode never changes.
    #[arg(long, env = "WEGWIJS_DEMO", global = true, num_args = 0..=1, default_missing_value = "true")]
    pub demo: Option<bool>,
    /// Write logs as JSON lines.
    #[arg(long, env = "WEGWIJS_LOG_JSON", global = true)]
    pub log_json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web app (applies migrations; a new, empty database becomes a demo with made-up data).
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long, env = "WEGWIJS_LISTEN")]
        listen: Option<String>,
        /// The address people use to reach the app (default http://LISTEN).
        #[arg(long, env = "WEGWIJS_PUBLIC_URL")]
        public_url: Option<String>,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Demo and benchmark data.
    Demo {
        #[command(subcommand)]
        command: DemoCommand,
    },
    /// The population register.
    Persons {
        #[command(subcommand)]
        command: PersonsCommand,
    },
    /// Arrears signals from creditors (vroegsignalering).
    Signals {
        #[command(subcommand)]
        command: SignalsCommand,
    },
    /// The municipality's report to CBS (DDAS vroegsignalering).
    Ddas {
        #[command(subcommand)]
        command: DdasCommand,
    },
    /// Laws as code (regelrecht format): check, calculate, explain, test.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Plain language (B1): what makes a Dutch text hard to read.
    Taal {
        #[command(subcommand)]
        command: TaalCommand,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Organisations.
    Orgs {
        #[command(subcommand)]
        command: OrgsCommand,
    },
    /// Staff accounts.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Write a consistent copy of the SQLite database while the app runs.
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// Replace the SQLite database with a backup (stop `serve` first).
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum DemoCommand {
    /// Write a synthetic municipality as CSV (DIR/personen.csv; see docs/personen-csv.md), and signals.
    Generate {
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..=wegwijs_demo::Config::MAX_PERSONS as u64))]
        persons: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
        /// Ages are computed against this date (YYYY-MM-DD), so output is the same every day.
        #[arg(long, default_value = "2026-01-01")]
        reference_date: String,
        /// Also write DIR/signalen.csv with this many arrears signals about these persons.
        #[arg(long)]
        signals: Option<u64>,
    },
}

#[derive(Debug, Subcommand)]
pub enum PersonsCommand {
    /// Load a personen.csv extract: all rows or none; loading it again changes nothing.
    Import { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum SignalsCommand {
    /// Take in a delivery of signals (see docs/signalen.md). Exit status: 0 all taken in;
    /// 1 nothing taken in (a bad row without --skip-invalid, or an unreadable file);
    /// 2 taken in, but some rows were put in quarantine.
    Import {
        file: PathBuf,
        /// csv or json; by default from the file's extension.
        #[arg(long, value_parser = ["csv", "json"])]
        format: Option<String>,
        /// Take in the good rows and keep the bad ones in quarantine for correction.
        #[arg(long)]
        skip_invalid: bool,
        /// The municipality the signals are for; needed only when there are several.
        #[arg(long)]
        gemeente: Option<String>,
        /// The creditor that sent the file, as its partner token is labelled:
        /// signal IDs are its own (another creditor's "D2" is another signal).
        #[arg(long)]
        partner: Option<String>,
        /// Also write every problem to this CSV file (line, field, problem).
        #[arg(long)]
        report: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum DdasCommand {
    /// Write the report over a period as JSON in the DDAS v0.9 exchange model
    /// (docs/signalen.md): signals received and cases opened in the period.
    Export {
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// Last day (included), YYYY-MM-DD.
        #[arg(long)]
        to: String,
        #[arg(long)]
        out: PathBuf,
        /// The municipality; needed only when there are several.
        #[arg(long)]
        gemeente: Option<String>,
        /// The CBS gemeentecode (four digits), when the settings page has none.
        #[arg(long)]
        gemeentecode: Option<String>,
        /// Code of the software supplier (codeGegevensleverancier).
        #[arg(long, default_value = "WEGWIJS")]
        leverancier: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain against the audit key and the witness's last
    /// checkpoint; exits with status 1 when any entry was changed, removed
    /// (also at the end) or reordered.
    Verify,
    /// Print a new random audit key (hex) to keep apart from the database.
    NewKey,
}

#[derive(Debug, Subcommand)]
pub enum OrgsCommand {
    /// Add an organisation.
    Create {
        #[arg(long)]
        name: String,
        /// gemeente, uwv, cak, svb, duo, belastingdienst, toeslagen, woningcorporatie, energie, water, zorgverzekeraar, schuldhulp, overig
        #[arg(long)]
        kind: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Add a staff account; reads the password from the first line of standard input.
    Create {
        /// The organisation's name, as created with `orgs create`.
        #[arg(long)]
        org: String,
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: String,
        /// medewerker, teamleider, privacy-officer or beheerder
        #[arg(long)]
        role: String,
    },
}

/// Where the laws are, the date, and policy changes to try.
#[derive(Debug, clap::Args)]
pub struct LawArgs {
    /// Folder (or file) of law files; may be given more than once.
    #[arg(long = "laws", default_value = "laws")]
    pub laws: Vec<PathBuf>,
    /// The calculation date, YYYY-MM-DD (default today): each law's version
    /// in force on it is used.
    #[arg(long)]
    pub date: Option<String>,
    /// Change a definition before calculating, e.g. inkomensgrens_percentage=120%
    /// (or LAW.NAME=VALUE); within the range the law allows.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum TaalCommand {
    /// Check a text: plain text, Markdown (.md) or HTML (.html) by its name,
    /// `-` for standard input. Shows each sentence with its findings; exit
    /// status 1 when a finding blocks (for CI over letter templates).
    Check {
        file: PathBuf,
        /// One JSON object: level, difficulty, flesch_douma, leesindex_a,
        /// stats and findings.
        #[arg(long)]
        json: bool,
        /// plain, markdown or html, instead of guessing from the name.
        #[arg(long)]
        format: Option<String>,
        /// A municipality's own list of formal words (the same format as
        /// crates/taal/data/formele_woorden.tsv), added to the shipped one.
        #[arg(long = "woorden")]
        words: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Check law files against the regelrecht schema v0.5.6 and the engine.
    /// Exit status 0 when every file is a valid law, otherwise 1 with the reasons.
    Validate {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Calculate for every row of a CSV (an id column and one column per
    /// input: eurocents as integers, true/false, YYYY-MM-DD) into a CSV with
    /// id and one column per output.
    Eval {
        #[command(flatten)]
        law: LawArgs,
        #[arg(long)]
        input: PathBuf,
        #[arg(long)]
        out: PathBuf,
        /// Outputs to calculate (NAME or LAW.NAME); default: every output in force.
        #[arg(long = "output")]
        outputs: Vec<String>,
    },
    /// Explain the calculation for one row of a CSV: every input, definition,
    /// condition and step with the article it rests on.
    Explain {
        #[command(flatten)]
        law: LawArgs,
        #[arg(long)]
        input: PathBuf,
        #[arg(long)]
        id: String,
        #[arg(long = "output")]
        outputs: Vec<String>,
        /// In plain Dutch for the resident, instead of the caseworker's version.
        #[arg(long, conflicts_with = "json")]
        plain: bool,
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// Calculate every law marked discoverable over the registered population
    /// and list the households probably entitled but not receiving it, per
    /// law and wijk; --out writes them as a worklist CSV, --open-work puts
    /// them on the municipality's worklist (kind "mogelijk recht").
    Scan {
        #[command(flatten)]
        law: LawArgs,
        #[arg(long)]
        out: Option<PathBuf>,
        /// Open work for every household found (or add the law to its open
        /// work); a rescan adds nothing twice.
        #[arg(long)]
        open_work: bool,
        /// The municipality whose worklist it is; needed when there are several.
        #[arg(long, requires = "open_work")]
        gemeente: Option<String>,
    },
    /// What-if: the discoverable laws over the register with the current
    /// definitions and with --set changes; how many households change, which
    /// way, the cost, per wijk.
    Simulate {
        #[command(flatten)]
        law: LawArgs,
    },
    /// Run the scenario files (*.yaml) under DIR: given inputs, expected
    /// outputs (see docs/rules.md). Exit status 1 when any scenario fails.
    Test {
        dir: PathBuf,
        #[arg(long = "laws", default_value = "laws")]
        laws: Vec<PathBuf>,
    },
}
