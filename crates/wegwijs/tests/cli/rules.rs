//! `wegwijs rules`: laws as code, as an operator and a policy maker use it.

use super::*;

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
    let header =
        "id,toetsingsinkomen,heeft_toeslagpartner,is_verzekerde,partner_is_verzekerde,vermogen\n";
    std::fs::write(
        &input,
        format!("{header}a,3500000,false,true,false,0\nb,4000000,true,true,true,0\n"),
    )
    .unwrap();
    let out = data.join("out.csv");
    let (input_s, out_s) = (input.to_str().unwrap(), out.to_str().unwrap());
    let both = [
        "--output",
        "hoogte_zorgtoeslag",
        "--output",
        "heeft_recht_op_zorgtoeslag",
    ];
    let eval = |extra: &[&str]| {
        rules(
            data,
            "eval",
            &[&["--input", input_s, "--out", out_s], extra].concat(),
        )
    };
    let o = eval(&both);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "id,hoogte_zorgtoeslag,heeft_recht_op_zorgtoeslag\na,67004,true\nb,142183,true\n"
    );
    // A bad cell names line and column, and leaves the earlier output as it was.
    std::fs::write(&input, format!("{header}a,35000.5,false,true,false,0\n")).unwrap();
    let o = eval(&both);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("line 2") && text(&o).contains("toetsingsinkomen"),
        "{}",
        text(&o)
    );
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("b,142183,true")
    );
    // An unknown output lists the ones there are; --set outside its range is refused.
    let o = eval(&["--output", "zorgtoeslag"]);
    assert!(
        text(&o).contains("wet_op_de_zorgtoeslag.hoogte_zorgtoeslag"),
        "{}",
        text(&o)
    );
    let o = eval(&["--set", "kosten_van_bestaan_percentage=80%"]);
    assert!(text(&o).contains("between 0.9 and 1"), "{}", text(&o));

    // explain: the caseworker's steps with articles, the resident's plain words, JSON.
    std::fs::write(&input, format!("{header}a,3500000,false,true,false,0\n")).unwrap();
    let explain = |extra: &[&str]| {
        let o = rules(
            data,
            "explain",
            &[&["--input", input_s, "--id", "a"], &both[..], extra].concat(),
        );
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
    let o = rules(
        data,
        "explain",
        &[&["--input", input_s, "--id", "zz"], &both[..]].concat(),
    );
    assert!(
        text(&o).contains("--id zz") && text(&o).contains("no row with this id"),
        "{}",
        text(&o)
    );

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

/// `rules COMMAND --laws laws --date 2025-06-01 ARGS...`
fn rules(data: &Path, command: &str, args: &[&str]) -> Output {
    let laws = repo("laws");
    let mut all = vec!["rules", command, "--laws", &laws, "--date", "2025-06-01"];
    all.extend_from_slice(args);
    wegwijs(data, &all)
}

/// "NAME: entitled 118 -> 104; ..." as (118, 104).
fn entitled(report: &str, law: &str) -> (usize, usize) {
    let line = report
        .lines()
        .find(|l| l.starts_with(&format!("{law}: entitled ")))
        .unwrap();
    let nums: Vec<usize> = line[law.len() + 11..]
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .take(2)
        .map(|p| p.parse().unwrap())
        .collect();
    (nums[0], nums[1])
}

#[test]
fn rules_scan_and_simulate_work_on_the_register() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let persons = generate(data, "3000", "4");
    assert!(
        wegwijs(data, &["persons", "import", persons.to_str().unwrap()])
            .status
            .success()
    );
    let out = data.join("work.csv");
    let o = rules(data, "scan", &["--out", out.to_str().unwrap()]);
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
    // Resident ids only: no BSN from the register goes into the worklist.
    let register = std::fs::read_to_string(&persons).unwrap();
    let bsns: std::collections::HashSet<&str> = register
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert!(
        work.lines()
            .flat_map(|l| l.split(','))
            .all(|cell| !bsns.contains(cell))
    );

    // On the worklist: no municipality yet is a clear refusal; then work
    // for every household in the file, and a rescan adds nothing twice.
    let o = rules(data, "scan", &["--open-work"]);
    assert!(
        !o.status.success() && text(&o).contains("wegwijs orgs create --kind gemeente"),
        "{}",
        text(&o)
    );
    let org = [
        "orgs",
        "create",
        "--name",
        "Gemeente Proef",
        "--kind",
        "gemeente",
    ];
    assert!(wegwijs(data, &org).status.success());
    let households: std::collections::HashSet<&str> = work
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    let o = rules(data, "scan", &["--open-work"]);
    assert!(
        text(&o).contains(&format!(
            "Work opened for {} households; {} offers added, 0 were on open work already.",
            households.len(),
            work.lines().count() - 1
        )),
        "{}",
        text(&o)
    );
    let o = rules(data, "scan", &["--open-work"]);
    assert!(
        text(&o).contains(&format!(
            "Work opened for 0 households; 0 offers added, {} were on open work already.",
            work.lines().count() - 1
        )),
        "{}",
        text(&o)
    );

    // 90% instead of 100% of the norm: fewer households keep kwijtschelding.
    let o = rules(
        data,
        "simulate",
        &["--set", "kosten_van_bestaan_percentage=0.9"],
    );
    assert!(o.status.success(), "{}", text(&o));
    let (before, after) = entitled(&text(&o), "Kwijtschelding gemeentelijke belastingen");
    assert!(after < before && before > 0, "{}", text(&o));
    let (before, after) = entitled(&text(&o), "Wet op de zorgtoeslag");
    assert_eq!(before, after, "{}", text(&o));
    let o = rules(data, "simulate", &[]);
    assert!(
        !o.status.success() && text(&o).contains("--set NAME=VALUE"),
        "{}",
        text(&o)
    );
}
