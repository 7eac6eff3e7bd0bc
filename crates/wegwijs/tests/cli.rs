//! The wegwijs command as an operator uses it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The audit key of the production databases these tests make.
const TEST_KEY: &str = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

/// The command, as an operator with the installation's audit key runs it.
fn wegwijs(data: &Path, args: &[&str]) -> Output {
    keyless(data, args, &[("WEGWIJS_AUDIT_KEY", TEST_KEY)])
}

/// The command with no audit key given, and `env` set.
fn keyless(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wegwijs"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("WEGWIJS_DATABASE_URL")
        .env_remove("WEGWIJS_CONFIG")
        .env_remove("WEGWIJS_AUDIT_KEY")
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

/// Runs `f` on a pool over a SQLite file, as someone outside wegwijs would.
fn with_pool<T>(db: &Path, f: impl AsyncFnOnce(&sqlx::AnyPool) -> T) -> T {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        let out = f(&pool).await;
        pool.close().await;
        out
    })
}

/// Runs SQL on a SQLite file directly.
fn raw_sql(db: &Path, sql: &str) {
    with_pool(db, async |pool| {
        sqlx::query(sql).execute(pool).await.unwrap();
    })
}

/// Counts rows in a SQLite file's table.
fn count(db: &Path, table: &str) -> i64 {
    with_pool(db, async |pool| {
        use sqlx::Row;
        sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(pool)
            .await
            .unwrap()
            .get(0)
    })
}

/// `serve` on an address of another host, which can never be bound: the
/// command sets up the database and then stops.
fn serve_unbindable(data: &Path, demo: bool) -> Output {
    let demo = if demo { "true" } else { "false" };
    wegwijs(
        data,
        &["serve", "--demo", demo, "--listen", "192.0.2.1:8080"],
    )
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn generate(dir: &Path, persons: &str, seed: &str) -> PathBuf {
    let out = dir.join(format!("gen-{persons}-{seed}"));
    let o = wegwijs(
        dir,
        &[
            "demo",
            "generate",
            "--persons",
            persons,
            "--seed",
            seed,
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    out.join("personen.csv")
}

#[test]
fn generate_is_deterministic_and_import_is_validated_atomic_and_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let a = generate(dir.path(), "300", "7");
    let b = generate(dir.path(), "300", "7");
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let data = dir.path().join("data");

    // A file with bad rows imports nothing and says where and why.
    let csv = std::fs::read_to_string(&a).unwrap();
    let mut lines: Vec<String> = csv.lines().map(String::from).collect();
    let bad_bsn = lines[3].replacen(&lines[3][..9], "123456789", 1);
    lines[3] = bad_bsn;
    lines[5] = lines[5].replace(",Wegwijzerveen,", ",,");
    lines[8] = lines[2].clone();
    let broken = dir.path().join("broken.csv");
    std::fs::write(&broken, lines.join("\n")).unwrap();
    let o = wegwijs(&data, &["persons", "import", broken.to_str().unwrap()]);
    let report = text(&o);
    assert_eq!(o.status.code(), Some(1), "{report}");
    assert!(
        report.contains("3 of 300 rows are not valid; nothing was imported"),
        "{report}"
    );
    assert!(
        report.contains("line 4, bsn fails the eleven-test (elfproef)"),
        "{report}"
    );
    assert!(report.contains("line 6, woonplaats is empty"), "{report}");
    assert!(
        report.contains(
            "line 9, bsn occurs more than once; each value may occur only once (first on line 3)"
        ),
        "{report}"
    );
    assert!(!report.contains("123456789"), "values are not echoed");

    let o = wegwijs(&data, &["persons", "import", a.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("300 persons added or changed, 0 unchanged"),
        "{}",
        text(&o)
    );
    let o = wegwijs(&data, &["persons", "import", a.to_str().unwrap()]);
    assert!(
        text(&o).contains("0 persons added or changed, 300 unchanged"),
        "{}",
        text(&o)
    );

    // A header that is not the format is refused before anything else.
    let wrong = dir.path().join("wrong.csv");
    std::fs::write(&wrong, "bsn,naam\n111222333,Jan\n").unwrap();
    let o = wegwijs(&data, &["persons", "import", wrong.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(text(&o).contains("line 1 (the header) does not match personen.csv format version 1: missing columns [voornamen,"), "{}", text(&o));

    // The audit log is intact, and a changed entry is found.
    let o = wegwijs(&data, &["audit", "verify"]);
    assert!(
        o.status.success() && text(&o).contains("The audit log is intact: 301 entries checked."),
        "{}",
        text(&o)
    );

    // Backup, then restore it over a changed database.
    let backup = dir.path().join("backup.db");
    let o = wegwijs(&data, &["backup", "--out", backup.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let c = generate(dir.path(), "20", "99");
    wegwijs(&data, &["persons", "import", c.to_str().unwrap()]);
    // What is not a database is refused at once, and leaves nothing behind.
    // (The lock file beside the database is its lasting companion.)
    let files = || -> Vec<_> {
        let mut f: Vec<_> = std::fs::read_dir(&data)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_none_or(|e| e != "lock"))
            .collect();
        f.sort();
        f
    };
    let before = files();
    let started = std::time::Instant::now();
    let o = wegwijs(&data, &["restore", "--from", c.to_str().unwrap()]);
    assert!(
        !o.status.success() && text(&o).contains("is not a SQLite database"),
        "{}",
        text(&o)
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "at once"
    );
    assert_eq!(before, files(), "nothing left behind");
    let o = wegwijs(&data, &["restore", "--from", backup.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    // The database, its backup and the kept copy: readable by their owner only.
    #[cfg(unix)]
    for f in [data.join("wegwijs.db"), backup.clone()] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&f).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{}", f.display());
    }
    assert!(
        text(&o).contains("Restored") && text(&o).contains("301 audit entries, chain intact"),
        "{}",
        text(&o)
    );
    let o = wegwijs(&data, &["persons", "import", a.to_str().unwrap()]);
    assert!(
        text(&o).contains("0 persons added or changed, 300 unchanged"),
        "the restored data is the backup's: {}",
        text(&o)
    );
    // The replaced database is kept beside it, complete and readable.
    let kept = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.to_string_lossy().contains(".before-restore-")
                && p.to_string_lossy().ends_with(|c: char| c.is_ascii_digit())
        })
        .expect("the previous database is kept");
    let kept_url = format!("sqlite://{}", kept.display());
    let o = wegwijs(&data, &["--database-url", &kept_url, "audit", "verify"]);
    assert!(
        text(&o).contains("The audit log is intact: 321 entries checked."),
        "{}",
        text(&o)
    );
}

#[test]
fn bad_configuration_and_newer_databases_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("wegwijs.toml");
    std::fs::write(&cfg, "demo = true\n\n[session]\nidle_minutes = \"lang\"\n").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_wegwijs"))
        .args(["--config", cfg.to_str().unwrap(), "migrate"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(
        text(&o).contains(
            "wegwijs.toml, line 4, column 16: invalid type: string \"lang\", expected i64"
        ),
        "{}",
        text(&o)
    );

    let data = dir.path().join("data");
    let o = wegwijs(&data, &["migrate"]);
    assert!(o.status.success(), "{}", text(&o));
    raw_sql(
        &data.join("wegwijs.db"),
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (999, 'future', 1, x'00', 0)",
    );
    let o = wegwijs(&data, &["migrate"]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("the database has migration 999, which this wegwijs does not know"),
        "{}",
        text(&o)
    );
}

#[test]
fn a_database_keeps_its_mode() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // A production database is set up without demo data.
    let o = serve_unbindable(&data, false);
    assert!(
        !o.status.success(),
        "an address of another host cannot be bound"
    );
    let o = serve_unbindable(&data, true);
    assert!(
        text(&o).contains(
            "this database was set up in productie mode, but the configuration asks for demo mode"
        ),
        "{}",
        text(&o)
    );
    let o = wegwijs(&data, &["audit", "verify"]);
    assert!(
        text(&o).contains("1 entry checked"),
        "no demo data in production, only the switch to the audit key: {}",
        text(&o)
    );
}

/// A database is a demo only when asked for or when `serve` starts on an
/// empty one: one filled by commands stays production, and asking for a
/// demo on it is refused.
#[test]
fn only_serve_on_an_empty_database_makes_a_demo() {
    let dir = tempfile::tempdir().unwrap();
    let mode = |data: &Path| {
        with_pool(&data.join("wegwijs.db"), async |pool| {
            use sqlx::Row;
            sqlx::query("SELECT value FROM meta WHERE key = 'mode'")
                .fetch_one(pool)
                .await
                .unwrap()
                .get::<String, _>("value")
        })
    };
    // `orgs create` on a new folder: production, and `serve` keeps it so.
    let filled = dir.path().join("filled");
    let o = wegwijs(
        &filled,
        &[
            "orgs",
            "create",
            "--name",
            "Gemeente Echt",
            "--kind",
            "gemeente",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(mode(&filled), "productie");
    wegwijs(&filled, &["serve", "--listen", "192.0.2.1:8080"]);
    assert_eq!(
        count(&filled.join("wegwijs.db"), "users"),
        0,
        "no demo staff"
    );
    let o = serve_unbindable(&filled, true);
    assert!(text(&o).contains("productie mode"), "{}", text(&o));

    // `migrate` makes production; `migrate --demo` a demo.
    let plain = dir.path().join("plain");
    let o = wegwijs(&plain, &["migrate"]);
    assert!(text(&o).contains("productie mode"), "{}", text(&o));
    let asked = dir.path().join("asked");
    let o = wegwijs(&asked, &["migrate", "--demo"]);
    assert!(text(&o).contains("demo mode"), "{}", text(&o));

    // A database filled before modes were stored at creation (no mode, but
    // organisations) never becomes a demo, and asking for one is refused.
    let old = dir.path().join("old");
    let o = wegwijs(
        &old,
        &[
            "orgs",
            "create",
            "--name",
            "Gemeente Oud",
            "--kind",
            "gemeente",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    raw_sql(
        &old.join("wegwijs.db"),
        "DELETE FROM meta WHERE key = 'mode'",
    );
    let o = serve_unbindable(&old, true);
    assert!(
        text(&o).contains("already holds organisations or residents"),
        "{}",
        text(&o)
    );
    wegwijs(&old, &["serve", "--listen", "192.0.2.1:8080"]);
    assert_eq!(mode(&old), "productie");
    assert_eq!(count(&old.join("wegwijs.db"), "users"), 0, "no demo staff");
}

/// A production database needs the installation's audit key; a demo makes
/// its own (readable by its owner only); the witness records the chain's
/// head at the end of every command, and `serve` refuses another key.
#[test]
fn the_audit_key_is_given_or_made_for_a_demo() {
    let dir = tempfile::tempdir().unwrap();
    let prod = dir.path().join("prod");
    let o = keyless(&prod, &["migrate"], &[]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("a production database needs an audit key")
            && text(&o).contains("wegwijs audit new-key"),
        "{}",
        text(&o)
    );
    let o = keyless(&prod, &["audit", "new-key"], &[]);
    let key = String::from_utf8_lossy(&o.stdout).trim().to_string();
    assert_eq!(key.len(), 64, "{key}");
    let key_file = dir.path().join("elders").join("audit.key");
    std::fs::create_dir_all(key_file.parent().unwrap()).unwrap();
    std::fs::write(&key_file, &key).unwrap();
    let cfg = dir.path().join("prod.toml");
    std::fs::write(
        &cfg,
        format!(
            "demo = false\naudit_key_file = \"{}\"\n",
            key_file.display()
        ),
    )
    .unwrap();
    let with_cfg = |args: &[&str]| {
        let mut all = vec!["--config", cfg.to_str().unwrap()];
        all.extend_from_slice(args);
        keyless(&prod, &all, &[])
    };
    let o = with_cfg(&[
        "orgs",
        "create",
        "--name",
        "Gemeente Sleutel",
        "--kind",
        "gemeente",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let o = with_cfg(&["audit", "verify"]);
    assert!(
        o.status.success() && text(&o).contains("Last checkpoint in"),
        "{}",
        text(&o)
    );
    assert!(
        !prod.join("audit.key").exists(),
        "the key stays where it is kept"
    );
    // Another key: `serve` refuses it, and verification finds the mismatch.
    let other = "ff".repeat(32);
    let o = keyless(
        &prod,
        &["serve", "--listen", "192.0.2.1:8080"],
        &[("WEGWIJS_AUDIT_KEY", &other)],
    );
    assert!(
        text(&o).contains("the audit key does not fit"),
        "{}",
        text(&o)
    );
    // A demo makes its own key, readable by its owner only.
    let demo = dir.path().join("demo");
    let o = keyless(&demo, &["migrate", "--demo"], &[]);
    assert!(o.status.success(), "{}", text(&o));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for f in ["audit.key", "audit-witness"] {
            let mode = std::fs::metadata(demo.join(f))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{f}");
        }
    }
    let o = keyless(&demo, &["audit", "verify"], &[]);
    assert!(o.status.success(), "{}", text(&o));
}

/// The demo brings half a year of signals, linked into cases, and a team
/// of four that answered one self-assessment round; a second start adds
/// nothing.
#[test]
fn the_demo_has_signals_and_a_self_assessment_round() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let cfg = dir.path().join("wegwijs.toml");
    std::fs::write(&cfg, "demo_persons = 2000\n").unwrap();
    let serve = || {
        Command::new(env!("CARGO_BIN_EXE_wegwijs"))
            .arg("--config")
            .arg(&cfg)
            .arg("--data-dir")
            .arg(&data)
            .args(["serve", "--demo", "true", "--listen", "192.0.2.1:8080"])
            .env_remove("WEGWIJS_DATABASE_URL")
            .output()
            .unwrap()
    };
    serve();
    let db = data.join("wegwijs.db");
    // Five a month per 1,000 residents, for six months.
    assert_eq!(count(&db, "signals"), 60);
    assert!(count(&db, "signal_cases") > 0);
    // Four in the round, and the caseworker's own run before it.
    assert_eq!(count(&db, "selfscan_rounds"), 1);
    assert_eq!(count(&db, "selfscan_round_members"), 4);
    assert_eq!(count(&db, "selfscan_runs"), 5);
    assert_eq!(count(&db, "selfscan_answers"), 5 * 40);
    assert_eq!(count(&db, "selfscan_actions"), 1);
    serve();
    assert_eq!(count(&db, "signals"), 60);
    assert_eq!(count(&db, "signal_imports"), 1);
    assert_eq!(count(&db, "selfscan_runs"), 5);
}

#[path = "cli/durable.rs"]
mod durable;
#[path = "cli/faults.rs"]
mod faults;
#[path = "cli/rules.rs"]
mod rules;
#[path = "cli/signals.rs"]
mod signals;
#[path = "cli/taal.rs"]
mod taal;
