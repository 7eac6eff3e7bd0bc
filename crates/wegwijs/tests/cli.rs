//! The wegwijs command as an operator uses it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn wegwijs(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wegwijs"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("WEGWIJS_DATABASE_URL")
        .env_remove("WEGWIJS_CONFIG")
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
        o.status.success() && text(&o).contains("The audit log is intact: 300 entries checked."),
        "{}",
        text(&o)
    );

    // Backup, then restore it over a changed database.
    let backup = dir.path().join("backup.db");
    let o = wegwijs(&data, &["backup", "--out", backup.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let c = generate(dir.path(), "20", "99");
    wegwijs(&data, &["persons", "import", c.to_str().unwrap()]);
    let o = wegwijs(&data, &["restore", "--from", backup.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("Restored") && text(&o).contains("300 audit entries, chain intact"),
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
    let o = Command::new(env!("CARGO_BIN_EXE_wegwijs"))
        .arg("--database-url")
        .arg(format!("sqlite://{}", kept.display()))
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert!(
        text(&o).contains("The audit log is intact: 320 entries checked."),
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
        text(&o).contains("0 entries checked"),
        "no demo data in production: {}",
        text(&o)
    );
}

/// The demo brings half a year of signals, linked into cases; a second
/// start adds nothing.
#[test]
fn the_demo_has_signals_to_work_on() {
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
    serve();
    assert_eq!(count(&db, "signals"), 60);
    assert_eq!(count(&db, "signal_imports"), 1);
}

#[test]
fn signal_imports_are_all_or_nothing_quarantine_on_request_and_never_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let db = data.join("wegwijs.db");
    let out = dir.path().join("gen");
    let o = wegwijs(
        &data,
        &[
            "demo",
            "generate",
            "--persons",
            "300",
            "--signals",
            "120",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let persons = out.join("personen.csv");
    let signals = out.join("signalen.csv");
    let o = wegwijs(&data, &["signals", "import", signals.to_str().unwrap()]);
    assert!(!o.status.success());
    assert!(text(&o).contains("no municipality yet"), "{}", text(&o));
    assert!(
        wegwijs(
            &data,
            &[
                "orgs",
                "create",
                "--name",
                "Gemeente Wegwijzerveen",
                "--kind",
                "gemeente"
            ]
        )
        .status
        .success()
    );
    assert!(
        wegwijs(&data, &["persons", "import", persons.to_str().unwrap()])
            .status
            .success()
    );

    // A file with a bad row and a repeated ID imports nothing by default.
    let mut csv = std::fs::read_to_string(&signals).unwrap();
    let first = csv.lines().nth(1).unwrap().to_string();
    csv.push_str("X-1,Bank,,,,,Jansen,,,1,,7001 AB,,,,12,2026-01-01,2026-02-01,nee,nee\n");
    csv.push_str(&first);
    csv.push('\n');
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, &csv).unwrap();
    let report = dir.path().join("report.csv");
    let o = wegwijs(
        &data,
        &[
            "signals",
            "import",
            bad.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("2 of 122 rows are not valid; nothing was imported"),
        "{t}"
    );
    assert!(
        t.contains("line 122, signaalpartner is not one of the known values"),
        "{t}"
    );
    assert!(t.contains("line 123, ID occurs more than once"), "{t}");
    assert!(t.contains("(first on line 2)"), "{t}");
    assert!(!t.contains("Jansen"), "values never appear in reports: {t}");
    assert_eq!(std::fs::read_to_string(&report).unwrap().lines().count(), 3);
    assert_eq!(count(&db, "signals"), 0);
    assert_eq!(count(&db, "signal_imports"), 0);

    // With --skip-invalid the good rows go in and the bad ones to quarantine.
    let o = wegwijs(
        &data,
        &["signals", "import", bad.to_str().unwrap(), "--skip-invalid"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("120 new signals"), "{}", text(&o));
    assert_eq!(count(&db, "signals"), 120);
    assert_eq!(count(&db, "signal_quarantine"), 2);

    // The same file again, as JSON too: nothing new.
    let o = wegwijs(&data, &["signals", "import", signals.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("0 new signals"), "{}", text(&o));
    let json = dir.path().join("signalen.json");
    let mut items = Vec::new();
    let mut r = csv::Reader::from_path(&signals).unwrap();
    let header = r.headers().unwrap().clone();
    for rec in r.records() {
        let rec = rec.unwrap();
        let obj: serde_json::Map<String, serde_json::Value> = header
            .iter()
            .zip(rec.iter())
            .map(|(k, v)| (k.to_string(), v.into()))
            .collect();
        items.push(serde_json::Value::Object(obj));
    }
    let doc = serde_json::json!({"formaat": "wegwijs-signalen", "versie": 1, "signalen": items});
    std::fs::write(&json, doc.to_string()).unwrap();
    let o = wegwijs(&data, &["signals", "import", json.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("0 new signals (") && text(&o).contains("120 already received"),
        "{}",
        text(&o)
    );
    assert_eq!(count(&db, "signals"), 120);

    // The CBS report validates against the DDAS v0.9 JSON schema.
    let report = dir.path().join("ddas.json");
    let export = |extra: &[&str]| {
        let mut args = vec![
            "ddas",
            "export",
            "--from",
            "2000-01-01",
            "--to",
            "2100-12-31",
            "--out",
            report.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        wegwijs(&data, &args)
    };
    let o = export(&[]);
    assert!(!o.status.success());
    assert!(text(&o).contains("gemeentecode"), "{}", text(&o));
    let o = export(&["--gemeentecode", "518"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("four-digit"), "{}", text(&o));
    assert!(!report.exists(), "nothing is written for a refused export");
    let o = export(&["--gemeentecode", "0518"]);
    assert!(o.status.success(), "{}", text(&o));
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let schema: serde_json::Value = serde_json::from_str(include_str!(
        "../../../standards/ddas-vroegsignalering-v0.9-json_schema_Uitwisselmodel.json"
    ))
    .unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let levering = &doc["leveringen"][0];
    assert_eq!(levering["gemeentecode"], "0518");
    assert_eq!(levering["vroegsignalen"].as_array().unwrap().len(), 120);
    assert!(!levering["vroegsignaalzaken"].as_array().unwrap().is_empty());
    assert!(
        levering["vroegsignalen"][0]["bedrag"].is_i64(),
        "whole euros"
    );
}

fn repo(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
        .display()
        .to_string()
}

#[test]
fn rules_validate_eval_explain_and_test_keep_their_contract() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let laws = repo("laws");
    // validate: 0 for the shipped laws, 1 with file, line and reason for a broken one.
    let shipped = repo("laws/wet_op_de_zorgtoeslag/2025-01-01.yaml");
    assert!(
        wegwijs(data, &["rules", "validate", &shipped])
            .status
            .success()
    );
    let broken = data.join("broken.yaml");
    let law = std::fs::read_to_string(&shipped)
        .unwrap()
        .replace("operation: MAX", "operation: MAXIMUM");
    std::fs::write(&broken, law).unwrap();
    let o = wegwijs(
        data,
        &["rules", "validate", &shipped, broken.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("broken.yaml:") && text(&o).contains("MAXIMUM"),
        "{}",
        text(&o)
    );

    // eval: id plus one column per output; true/false; integers.
    let input = data.join("in.csv");
    std::fs::write(
        &input,
        "id,toetsingsinkomen,heeft_toeslagpartner,is_verzekerde,partner_is_verzekerde,vermogen\n\
         a,3500000,false,true,false,0\nb,4000000,true,true,true,0\n",
    )
    .unwrap();
    let out = data.join("out.csv");
    let args = [
        "rules",
        "eval",
        "--laws",
        &laws,
        "--date",
        "2025-06-01",
        "--input",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--output",
        "hoogte_zorgtoeslag",
        "--output",
        "heeft_recht_op_zorgtoeslag",
    ];
    let o = wegwijs(data, &args);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "id,hoogte_zorgtoeslag,heeft_recht_op_zorgtoeslag\na,67004,true\nb,142183,true\n"
    );
    // A bad cell names line and column, and leaves no output behind.
    std::fs::write(&input, "id,toetsingsinkomen,heeft_toeslagpartner,is_verzekerde,partner_is_verzekerde,vermogen\na,35000.5,false,true,false,0\n").unwrap();
    std::fs::remove_file(&out).unwrap();
    let o = wegwijs(data, &args);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("line 2") && text(&o).contains("toetsingsinkomen"),
        "{}",
        text(&o)
    );
    assert!(!out.exists());
    // An unknown output lists the ones there are; --set outside its range is refused.
    let o = wegwijs(
        data,
        &[
            "rules",
            "eval",
            "--laws",
            &laws,
            "--date",
            "2025-06-01",
            "--input",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--output",
            "zorgtoeslag",
        ],
    );
    assert!(
        text(&o).contains("wet_op_de_zorgtoeslag.hoogte_zorgtoeslag"),
        "{}",
        text(&o)
    );
    let o = wegwijs(
        data,
        &[
            "rules",
            "eval",
            "--laws",
            &laws,
            "--date",
            "2025-06-01",
            "--set",
            "kosten_van_bestaan_percentage=80%",
            "--input",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(text(&o).contains("between 0.9 and 1"), "{}", text(&o));

    // explain: the caseworker's steps with articles, the resident's plain words, JSON.
    std::fs::write(&input, "id,toetsingsinkomen,heeft_toeslagpartner,is_verzekerde,partner_is_verzekerde,vermogen\na,3500000,false,true,false,0\n").unwrap();
    let explain = |extra: &[&str]| {
        let mut a = vec![
            "rules",
            "explain",
            "--laws",
            &laws,
            "--date",
            "2025-06-01",
            "--input",
            input.to_str().unwrap(),
            "--id",
            "a",
            "--output",
            "hoogte_zorgtoeslag",
            "--output",
            "heeft_recht_op_zorgtoeslag",
        ];
        a.extend_from_slice(extra);
        let o = wegwijs(data, &a);
        assert!(o.status.success(), "{}", text(&o));
        String::from_utf8(o.stdout).unwrap()
    };
    let staff = explain(&[]);
    assert!(
        staff.contains("hoogte_zorgtoeslag: € 670,04")
            && staff.contains("drempelinkomen: € 28.406,00")
            && staff.contains("#Artikel2"),
        "{staff}"
    );
    let plain = explain(&["--plain"]);
    assert!(
        plain.contains(
            "U heeft waarschijnlijk recht op deze regeling. Het gaat om ongeveer € 670 per jaar."
        ),
        "{plain}"
    );
    let json: serde_json::Value = serde_json::from_str(&explain(&["--json"])).unwrap();
    assert_eq!(json[0]["value"], "67004");

    // test: the shipped scenarios pass; a wrong expectation fails with exit 1.
    let o = wegwijs(
        data,
        &["rules", "test", &repo("scenarios"), "--laws", &laws],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains(" 0 failed."), "{}", text(&o));
    let wrong = data.join("scenarios");
    std::fs::create_dir(&wrong).unwrap();
    std::fs::write(wrong.join("s.yaml"), "date: 2025-06-01\nlaw: participatiewet\nscenarios:\n  - name: te hoog\n    given: {geboortedatum: 1985-03-10, heeft_partner: false, heeft_kinderen: false}\n    expect: {bijstandsnorm: 1}\n").unwrap();
    let o = wegwijs(
        data,
        &["rules", "test", wrong.to_str().unwrap(), "--laws", &laws],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o).contains("FAIL") && text(&o).contains("expected 1, calculated 134545"),
        "{}",
        text(&o)
    );
}

#[test]
fn rules_scan_and_simulate_work_on_the_register() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let laws = repo("laws");
    let persons = generate(data, "3000", "4");
    assert!(
        wegwijs(data, &["persons", "import", persons.to_str().unwrap()])
            .status
            .success()
    );
    let out = data.join("work.csv");
    let o = wegwijs(
        data,
        &[
            "rules",
            "scan",
            "--laws",
            &laws,
            "--date",
            "2025-06-01",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let shown = text(&o);
    assert!(
        shown.contains("Wet op de zorgtoeslag:") && shown.contains("do not receive it"),
        "{shown}"
    );
    let work = std::fs::read_to_string(&out).unwrap();
    assert!(
        work.starts_with("resident_id,wijk,law,amount_cents,reason\n"),
        "{work}"
    );
    assert!(work.lines().count() > 10, "{work}");
    // No BSN or name goes into the worklist: resident ids only.
    let register = std::fs::read_to_string(&persons).unwrap();
    let bsn = register.lines().nth(1).unwrap().split(',').next().unwrap();
    assert!(!work.contains(bsn));

    let o = wegwijs(
        data,
        &[
            "rules",
            "simulate",
            "--laws",
            &laws,
            "--date",
            "2025-06-01",
            "--set",
            "kosten_van_bestaan_percentage=0.9",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("Kwijtschelding gemeentelijke belastingen: entitled"),
        "{}",
        text(&o)
    );
    assert!(text(&o).contains("lose it"), "{}", text(&o));
    let o = wegwijs(
        data,
        &["rules", "simulate", "--laws", &laws, "--date", "2025-06-01"],
    );
    assert!(
        !o.status.success() && text(&o).contains("--set NAME=VALUE"),
        "{}",
        text(&o)
    );
}
