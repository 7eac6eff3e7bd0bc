//! The rules engine as its users meet it: shipped laws against published
//! figures, law authors' mistakes, and the column-wise result against the
//! one-resident calculation.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use std::path::PathBuf;
use time::macros::date;
use wegwijs_rules::number::Ratio;
use wegwijs_rules::params::SettingError;
use wegwijs_rules::{Calculation, Column, Law, Population, Problem, Value, load_laws, parse_law};

fn laws() -> Vec<Law> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../laws");
    load_laws(&[dir]).unwrap_or_else(|e| {
        panic!(
            "{}",
            e.iter()
                .map(|x| x.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    })
}

fn zorgtoeslag(date: time::Date) -> Calculation {
    Calculation::new(
        &laws(),
        date,
        &[("wet_op_de_zorgtoeslag".into(), "hoogte_zorgtoeslag".into())],
    )
    .unwrap()
}

fn csv_population(calc: &Calculation, text: &str) -> Population {
    Population::read_csv("test.csv", text.as_bytes(), calc.inputs()).unwrap()
}

fn cents(calc: &Calculation, pop: &Population) -> Vec<i64> {
    let r = calc.evaluate(pop).unwrap();
    (0..pop.len())
        .map(|i| match r.value(0, i) {
            Value::Num(x) => i64::try_from(x.num()).unwrap(),
            v => panic!("{v:?}"),
        })
        .collect()
}

#[test]
fn zorgtoeslag_2025_matches_the_amounts_dienst_toeslagen_publishes() {
    let calc = zorgtoeslag(date!(2025 - 06 - 01));
    let pop = csv_population(
        &calc,
        "id,toetsingsinkomen,heeft_toeslagpartner,is_verzekerde,partner_is_verzekerde,vermogen\n\
        alleen-35000,3500000,false,true,false,0\n\
        partner-40000,4000000,true,true,true,0\n\
        alleen-laag,1000000,false,true,false,0\n\
        partner-niet-verzekerd,4000000,true,true,false,0\n\
        te-veel-vermogen,1000000,false,true,false,14189601\n\
        niet-verzekerd,1000000,false,false,false,0\n\
        boven-grens,4000000,false,true,false,0\n",
    );
    // Dienst Toeslagen, proefberekening / "Hoeveel zorgtoeslag" 2025:
    // EUR 670,04; EUR 1.421,83; maximum single EUR 1.573,42; half of 1.421,83 rounded.
    assert_eq!(
        cents(&calc, &pop),
        vec![67_004, 142_183, 157_342, 71_092, 0, 0, 0]
    );
}

/// Someone without a partner reads nothing about a partner in their
/// explanation ("Uw partner heeft een zorgverzekering: nee" was there).
#[test]
fn a_single_person_is_not_told_about_a_partner() {
    let calc = zorgtoeslag(date!(2025 - 06 - 01));
    let pop = csv_population(
        &calc,
        "id,toetsingsinkomen,heeft_toeslagpartner,is_verzekerde,partner_is_verzekerde,vermogen\n\
        alleen,3500000,false,true,false,0\n\
        samen,4000000,true,true,true,0\n",
    );
    let plain = |row| wegwijs_rules::explain::resident(&calc.explain(&pop, row).unwrap());
    let single = plain(0);
    assert!(
        single.contains("Wij gingen uit van deze gegevens:"),
        "{single}"
    );
    assert!(!single.contains("Uw partner"), "{single}");
    let together = plain(1);
    assert!(
        together.contains("Uw partner heeft een zorgverzekering"),
        "{together}"
    );
}

/// Two versions of one law; the output is 1 in the old one and 2 in the new.
fn versions() -> Vec<Law> {
    let version = |from: &str, to: Option<&str>, value: &str| {
        let text = law_with(&format!(
            "              operation: ADD\n              values: [0, {value}]"
        ))
        .replace(
            "valid_from: '2025-01-01'",
            &format!(
                "valid_from: '{from}'{}",
                to.map(|t| format!("\nvalid_to: '{t}'")).unwrap_or_default()
            ),
        );
        parse_law("t.yaml", &text).unwrap()
    };
    vec![
        version("2026-01-01", None, "2"),
        version("2025-01-01", None, "1"),
    ]
}

#[test]
fn the_version_in_force_on_the_date_is_used() {
    let x = |laws: &[Law], d: time::Date| {
        let calc =
            Calculation::new(laws, d, &[("t".into(), "x".into())]).map_err(|e| e[0].to_string())?;
        let pop = Population::read_csv("p.csv", "id,a\n1,0\n".as_bytes(), calc.inputs()).unwrap();
        Ok::<_, String>(calc.evaluate(&pop).unwrap().value(0, 0))
    };
    let laws = versions();
    assert_eq!(
        x(&laws, date!(2025 - 12 - 31)),
        Ok(Value::Num(Ratio::int(1)))
    );
    assert_eq!(
        x(&laws, date!(2026 - 01 - 01)),
        Ok(Value::Num(Ratio::int(2)))
    );
    let before = x(&laws, date!(2024 - 12 - 31)).unwrap_err();
    assert!(
        before.contains("no law with this $id is in force on 2024-12-31"),
        "{before}"
    );
    // A version that ended (valid_to) is not in force after its last day.
    let mut ended = laws;
    ended[0].valid_to = Some(date!(2026 - 06 - 30));
    assert!(x(&ended, date!(2026 - 07 - 01)).is_err());
    assert_eq!(
        x(&ended, date!(2026 - 06 - 30)),
        Ok(Value::Num(Ratio::int(2)))
    );
}

fn law_with(action_value: &str) -> String {
    format!(
        "$id: t\nregulatory_layer: BELEIDSREGEL\npublication_date: '2025-01-01'\nvalid_from: '2025-01-01'\n\
         url: https://example.org/t\narticles:\n  - number: '1'\n    text: t\n    url: https://example.org/t#1\n\
         \x20   machine_readable:\n      execution:\n        input:\n          - name: a\n            type: amount\n\
         \x20           source:\n              description: population\n        output:\n          - name: x\n\
         \x20           type: amount\n          - name: y\n            type: amount\n        actions:\n\
         \x20         - output: x\n            value:\n{action_value}\n          - output: y\n            value: $x\n"
    )
}

fn compile_errors(text: &str) -> Vec<wegwijs_rules::LawError> {
    match parse_law("t.yaml", text) {
        Err(e) => e,
        Ok(law) => Calculation::new(&[law], date!(2025 - 06 - 01), &[])
            .err()
            .unwrap_or_default(),
    }
}

#[test]
fn an_unknown_operation_is_named_with_file_article_line_and_path() {
    let e = compile_errors(&law_with(
        "              operation: PLUS\n              values: [1, 2]",
    ));
    assert_eq!(
        e[0].problem,
        Problem::UnknownOperation("PLUS".into()),
        "{e:?}"
    );
    let shown = e[0].to_string();
    assert!(shown.starts_with("t.yaml:25: article 1: at /articles/0/machine_readable/execution/actions/0/value/operation"), "{shown}");
}

#[test]
fn a_missing_input_a_cycle_and_a_type_mismatch_are_reported_where_they_are() {
    let e = compile_errors(&law_with(
        "              operation: ADD\n              values: [$a, $b]",
    ));
    assert_eq!(e[0].problem, Problem::MissingInput("b".into()), "{e:?}");
    assert!(
        e[0].place.path.ends_with("/actions/0/value/values/1"),
        "{}",
        e[0]
    );

    let e = compile_errors(&law_with(
        "              operation: ADD\n              values: [$a, $y]",
    ));
    assert!(
        matches!(&e[0].problem, Problem::Cycle(names) if names.join(" ") == "t.x t.y t.x"),
        "{e:?}"
    );

    let e = compile_errors(&law_with(
        "              operation: ADD\n              values: [$a, true]",
    ));
    assert!(matches!(&e[0].problem, Problem::TypeMismatch(_)), "{e:?}");
    assert!(e[0].place.line.is_some());
}

#[test]
fn the_schema_refuses_what_it_does_not_allow_with_the_path() {
    let text = law_with("              operation: ADD\n              values: [$a, 1]")
        .replace("regulatory_layer: BELEIDSREGEL", "regulatory_layer: WET");
    let e = compile_errors(&text);
    assert!(
        e.iter()
            .any(|x| matches!(&x.problem, Problem::Schema(m) if m.contains("bwb_id"))),
        "{e:?}"
    );
}

#[test]
fn dividing_by_a_value_per_resident_must_be_rounded() {
    let e = compile_errors(&law_with(
        "              operation: DIVIDE\n              values: [1000, $a]",
    ));
    assert!(e[0].to_string().contains("ROUND"), "{e:?}");
    let ok = compile_errors(&law_with(
        "              operation: ROUND\n              precision: 0\n              value:\n                operation: DIVIDE\n                values: [1000, $a]",
    ));
    assert!(ok.is_empty(), "{ok:?}");
}

fn population(rows: &[(i64, bool, bool, bool, i64)]) -> Population {
    let calc = zorgtoeslag(date!(2025 - 06 - 01));
    let mut text = String::from(
        "id,toetsingsinkomen,heeft_toeslagpartner,is_verzekerde,partner_is_verzekerde,vermogen\n",
    );
    for (i, r) in rows.iter().enumerate() {
        text.push_str(&format!("{i},{},{},{},{},{}\n", r.0, r.1, r.2, r.3, r.4));
    }
    csv_population(&calc, &text)
}

/// A household with every input of the shipped laws, as CSV cells.
fn household() -> impl Strategy<Value = Vec<String>> {
    (
        (
            0i64..12_000_000,
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            0i64..30_000_000,
        ),
        (
            -25_000i64..15_000,
            any::<bool>(),
            0i64..400_000,
            0i64..100_000,
            0i64..60,
        ),
    )
        .prop_map(
            |(
                (inkomen, partner, verzekerd, pv, vermogen),
                (born, kids, netto, aanslag, maanden),
            )| {
                let d = time::Date::from_julian_day(2_440_588 + born as i32).unwrap();
                [
                    ("toetsingsinkomen", inkomen.to_string()),
                    ("heeft_toeslagpartner", partner.to_string()),
                    ("heeft_partner", partner.to_string()),
                    ("is_verzekerde", verzekerd.to_string()),
                    ("partner_is_verzekerde", pv.to_string()),
                    ("vermogen", vermogen.to_string()),
                    ("geboortedatum", d.to_string()),
                    ("heeft_kinderen", kids.to_string()),
                    ("netto_inkomen", netto.to_string()),
                    ("aanslag_gemeentelijke_belastingen", aanslag.to_string()),
                    ("maanden_laag_inkomen", maanden.to_string()),
                ]
                .map(|(k, v)| format!("{k}={v}"))
                .to_vec()
            },
        )
}

fn households_csv(calc: &Calculation, rows: &[Vec<String>]) -> Population {
    let names: Vec<&str> = calc.inputs().iter().map(|c| c.name.as_str()).collect();
    let mut text = format!("id,{}\n", names.join(","));
    for (i, r) in rows.iter().enumerate() {
        let cell = |n: &str| {
            r.iter()
                .find_map(|kv| kv.strip_prefix(&format!("{n}=")))
                .unwrap_or_else(|| panic!("no generator for input {n}"))
                .to_string()
        };
        let cells: Vec<String> = names.iter().map(|n| cell(n)).collect();
        text.push_str(&format!("{i},{}\n", cells.join(",")));
    }
    csv_population(calc, &text)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Chunks, bit columns, denominators, dates and threads against exact
    /// fractions one resident at a time, for every row and every output of
    /// every shipped law, in both years.
    #[test]
    fn the_column_result_equals_the_traced_result_for_every_row(
        rows in prop::collection::vec(household(), 1..5000),
        year2026 in any::<bool>(),
    ) {
        let date = if year2026 { date!(2026 - 06 - 01) } else { date!(2025 - 06 - 01) };
        let calc = Calculation::new(&laws(), date, &[]).unwrap();
        let pop = households_csv(&calc, &rows);
        let results = calc.evaluate(&pop).unwrap();
        for row in 0..pop.len() {
            let traced = calc.evaluate_row(&pop, row).unwrap();
            for (o, v) in traced.iter().enumerate() {
                prop_assert_eq!(results.value(o, row), *v, "row {} output {:?}", row, calc.outputs()[o]);
            }
        }
    }
}

#[test]
fn an_explanation_names_inputs_definitions_and_articles() {
    let calc = zorgtoeslag(date!(2025 - 06 - 01));
    let pop = population(&[(3_500_000, false, true, false, 0)]);
    let steps = calc.explain(&pop, 0).unwrap();
    let json = serde_json::to_string(&steps).unwrap();
    for needle in [
        "\"value\":\"67004\"",
        "toetsingsinkomen",
        "percentage_toetsingsinkomen",
        "#Artikel2",
        "#Artikel4",
        "vermogen_onder_grens",
    ] {
        assert!(json.contains(needle), "{needle} missing from {json}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Law files come from outside: any text, and any damage to a good
    /// one, gives a law or errors that name the file, never a panic.
    #[test]
    fn any_law_text_gives_a_law_or_errors_naming_the_file(
        cut in 0usize..2000, insert in "[ -~\n]{0,12}", noise in "[ -~\n]{0,200}"
    ) {
        let good = law_with("              operation: ADD\n              values: [$a, 1]");
        let at = good.char_indices().map(|(i, _)| i).nth(cut % good.len()).unwrap_or(0);
        for text in [format!("{}{insert}{}", &good[..at], &good[at..]), noise.clone()] {
            if let Err(errors) = parse_law("x.yaml", &text) {
                prop_assert!(!errors.is_empty());
                prop_assert!(errors.iter().all(|e| e.place.file == "x.yaml"));
            }
        }
    }
}

proptest! {
    /// Population cells: whole eurocents read back exactly; anything else is
    /// refused with the line and the column, never a panic.
    #[test]
    fn population_cells_read_exactly_or_are_refused_with_their_place(cents in -10_000_000_000i64..10_000_000_000, junk in "[ -~]{0,12}") {
        let calc = zorgtoeslag(date!(2025 - 06 - 01));
        let header = "id,toetsingsinkomen,heeft_toeslagpartner,is_verzekerde,partner_is_verzekerde,vermogen\n";
        let pop = Population::read_csv("p.csv", format!("{header}1,{cents},true,true,false,0\n").as_bytes(), calc.inputs()).unwrap();
        let col = calc.inputs().iter().position(|c| c.name == "toetsingsinkomen").unwrap();
        prop_assert_eq!(&pop.columns[col].1, &Column::Int(vec![cents]));
        let junk = junk.replace([',', '"'], "");
        if let Err(errors) = Population::read_csv("p.csv", format!("{header}1,{junk},true,true,false,0\n").as_bytes(), calc.inputs()) {
            let shown = errors[0].to_string();
            prop_assert!(shown.starts_with("p.csv: line 2: column \"toetsingsinkomen\""), "{}", shown);
        }
    }
}

/// Every scenario file in `scenarios/` (the golden figures with their
/// sources) passes against the shipped laws.
#[test]
fn the_shipped_scenarios_pass() {
    let laws = laws();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 7, "{files:?}");
    let mut failed = Vec::new();
    let mut count = 0;
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let outcomes = wegwijs_rules::scenario::run_file(&laws, &f.display().to_string(), &text)
            .unwrap_or_else(|e| panic!("{e}"));
        for o in outcomes {
            count += 1;
            if !o.failures.is_empty() {
                failed.push(format!("{}: {}: {:?}", f.display(), o.name, o.failures));
            }
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert!(count >= 35, "{count}");
}

#[test]
fn a_failing_scenario_says_what_was_expected_and_calculated() {
    let text = "date: 2025-06-01\nlaw: participatiewet\nscenarios:\n  - name: wrong\n    given: {geboortedatum: 1985-03-10, heeft_partner: false, heeft_kinderen: false}\n    expect: {bijstandsnorm: 134546}\n  - name: incomplete\n    given: {geboortedatum: 1985-03-10, heeft_partnr: false}\n    expect: {bijstandsnorm: 1}\n";
    let o = wegwijs_rules::scenario::run_file(&laws(), "s.yaml", text).unwrap();
    assert_eq!(
        o[0].failures,
        vec!["participatiewet.bijstandsnorm: expected 134546, calculated 134545".to_string()]
    );
    assert_eq!(o[0].line, Some(4));
    assert!(
        o[1].failures
            .contains(&"input heeft_partner is not given".to_string()),
        "{:?}",
        o[1]
    );
    assert!(
        o[1].failures
            .iter()
            .any(|f| f.contains("heeft_partnr is not an input")),
        "{:?}",
        o[1]
    );
}

#[test]
fn a_setting_changes_a_definition_within_its_range_only() {
    let mut laws = laws();
    let set = |s: &str| s.parse::<wegwijs_rules::Setting>().unwrap();
    wegwijs_rules::apply_settings(&mut laws, &[set("inkomensgrens_percentage=120%")]).unwrap();
    let e = wegwijs_rules::apply_settings(&mut laws, &[set("kosten_van_bestaan_percentage=0.85")])
        .unwrap_err();
    assert!(matches!(e, SettingError::OutOfRange(_)), "{e}");
    assert!(e.to_string().contains("between 0.9 and 1"), "{e}");
    let e = wegwijs_rules::apply_settings(&mut laws, &[set("inkomensgrens=1.2")]).unwrap_err();
    assert!(
        matches!(&e, SettingError::Unknown { name, known, .. }
            if name == "inkomensgrens" && known.contains("inkomensgrens_percentage")),
        "{e}"
    );
    let e = wegwijs_rules::apply_settings(&mut laws, &[set("referteperiode_maanden=drie")])
        .unwrap_err();
    assert!(matches!(e, SettingError::WrongKind { .. }), "{e}");
    assert!(e.to_string().contains("is a number"), "{e}");
    assert_eq!(
        "zonder-is".parse::<wegwijs_rules::Setting>(),
        Err(SettingError::NotNameValue("zonder-is".into()))
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Scenario files come from outside too: damage to a good one gives
    /// outcomes or an error naming the file, never a panic; --set text any
    /// string parses or is refused.
    #[test]
    fn damaged_scenario_files_and_settings_never_panic(
        cut in 0usize..400, insert in "[ -~\n]{0,12}", setting in "[ -~]{0,30}"
    ) {
        let good = "date: 2025-06-01\nlaw: participatiewet\nscenarios:\n  - name: a\n    given: {geboortedatum: 1985-03-10, heeft_partner: false, heeft_kinderen: false}\n    expect: {bijstandsnorm: 134545}\n";
        let at = cut % good.len();
        let text = format!("{}{insert}{}", &good[..at], &good[at..]);
        if let Err(e) = wegwijs_rules::scenario::run_file(&laws(), "s.yaml", &text) {
            prop_assert!(e.at.starts_with("s.yaml"), "{}", e);
        }
        if let Ok(s) = setting.parse::<wegwijs_rules::Setting>() {
            let _ = wegwijs_rules::apply_settings(&mut laws(), &[s]);
        }
    }
}

/// The resident's explanation names what decides, in plain words: not a
/// condition that only chose a branch, not a rule that holds for them.
#[test]
fn the_residents_explanation_gives_the_reasons_that_decide() {
    let calc = Calculation::new(&laws(), date!(2025 - 06 - 01), &[]).unwrap();
    let names: Vec<&str> = calc.inputs().iter().map(|c| c.name.as_str()).collect();
    // (toetsingsinkomen, partner, verzekerd, vermogen, geboren, netto, maanden)
    let rows = [
        (
            "3500000",
            "false",
            "true",
            "30000000",
            "1980-01-01",
            "320000",
            "10",
        ),
        ("5000000", "false", "true", "0", "2006-01-01", "300000", "2"),
        (
            "1500000",
            "true",
            "false",
            "0",
            "1950-01-01",
            "150000",
            "40",
        ),
    ];
    let mut text = format!("id,{}\n", names.join(","));
    for (i, r) in rows.iter().enumerate() {
        let cells: Vec<&str> = names
            .iter()
            .map(|n| match *n {
                "toetsingsinkomen" => r.0,
                "heeft_toeslagpartner" | "heeft_partner" | "partner_is_verzekerde" => r.1,
                "is_verzekerde" => r.2,
                "vermogen" => r.3,
                "geboortedatum" => r.4,
                "netto_inkomen" => r.5,
                "maanden_laag_inkomen" => r.6,
                "heeft_kinderen" => "false",
                "aanslag_gemeentelijke_belastingen" => "34300",
                other => panic!("no value for {other}"),
            })
            .collect();
        text.push_str(&format!("{i},{}\n", cells.join(",")));
    }
    let pop = csv_population(&calc, &text);
    let plain = |row| wegwijs_rules::explain::resident(&calc.explain(&pop, row).unwrap());

    let rich = plain(0);
    for reason in [
        "Uw spaargeld en bezit zijn hoger dan de grens.",
        "Uw inkomen is hoger dan de grens van de gemeente.",
        "U heeft nog niet lang genoeg een laag inkomen.",
        "Uw inkomen is hoog genoeg om de belastingen zelf te betalen.",
        "Uw geboortedatum: 1 januari 1980",
    ] {
        assert!(rich.contains(reason), "{reason:?} in\n{rich}");
    }
    // The partner condition only chose which limit applies; at 45 the AOW
    // age is no reason; the shared bijstandsnormen are not a law to offer.
    for not_a_reason in ["toeslagpartner.", "AOW", "pensioen", "Participatiewet", "_"] {
        assert!(!rich.contains(not_a_reason), "{not_a_reason:?} in\n{rich}");
    }
    let young = plain(1);
    assert!(
        young.contains("U bent jonger dan de leeftijd voor deze regeling."),
        "{young}"
    );
    assert!(
        young.contains("Uw inkomen is te hoog voor deze regeling."),
        "{young}"
    );
    let old = plain(2);
    assert!(old.contains("U heeft de AOW-leeftijd."), "{old}");
    assert!(
        old.contains("U heeft geen zorgverzekering in Nederland."),
        "{old}"
    );
}
