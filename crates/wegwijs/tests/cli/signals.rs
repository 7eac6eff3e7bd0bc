//! Signal deliveries as an operator takes them in.

use super::*;

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
        "../../../../standards/ddas-vroegsignalering-v0.9-json_schema_Uitwisselmodel.json"
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
