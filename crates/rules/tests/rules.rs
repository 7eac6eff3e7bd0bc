//! The rules engine as its users meet it: shipped laws against published
//! figures, law authors' mistakes, and the column-wise result against the
//! one-resident calculation.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use std::path::PathBuf;
use time::macros::date;
use wegwijs_rules::number::Ratio;
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Chunks, bit columns, denominators and threads against exact fractions
    /// one resident at a time, for every row.
    #[test]
    fn the_column_result_equals_the_traced_result_for_every_row(
        rows in prop::collection::vec((0i64..12_000_000, any::<bool>(), any::<bool>(), any::<bool>(), 0i64..30_000_000), 1..5000)
    ) {
        let calc = Calculation::new(&laws(), date!(2025 - 06 - 01), &[]).unwrap();
        let pop = population(&rows);
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
