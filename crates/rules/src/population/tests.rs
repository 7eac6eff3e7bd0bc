//! The fast readers agree with the record-by-record reader on any file:
//! either they give the same population or they hand the file over.

use super::{Population, fast};
use crate::ir::{ColumnSpec, Ty};
use proptest::prelude::*;

fn specs() -> Vec<ColumnSpec> {
    [
        ("a", Ty::Num(1)),
        ("b", Ty::Bool),
        ("c", Ty::Num(100)),
        ("d", Ty::Date),
        ("t", Ty::Text),
    ]
    .into_iter()
    .map(|(name, ty)| ColumnSpec {
        name: name.into(),
        ty,
    })
    .collect()
}

/// A cell for the column `name`: as files usually have it, or (when
/// `quirky`) anything a file might hold.
fn cell(name: &'static str, quirky: bool) -> BoxedStrategy<String> {
    let clean: BoxedStrategy<String> = match name {
        "id" => "[a-z0-9]{1,8}".boxed(),
        "a" => (-99_999_999i64..99_999_999)
            .prop_map(|v| v.to_string())
            .boxed(),
        "b" => any::<bool>().prop_map(|v| v.to_string()).boxed(),
        "c" => (0i64..100_000, 0u8..100)
            .prop_map(|(e, c)| format!("{e}.{c:02}"))
            .boxed(),
        "d" => (1950i32..2030, 1u8..13, 1u8..29)
            .prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}"))
            .boxed(),
        _ => "[A-Za-z0-9 ]{0,6}[A-Za-z0-9]".boxed(),
    };
    if !quirky {
        return clean;
    }
    prop_oneof![
        6 => clean,
        1 => Just(String::new()),
        1 => Just(" 12 ".to_string()),
        1 => Just("\"7\"".to_string()),
        1 => Just("\"a,b\"".to_string()),
        1 => Just("TRUE".to_string()),
        1 => Just("\u{a0}5".to_string()),
        1 => Just("1\r2".to_string()),
        1 => Just("9999999999999999999".to_string()),
        1 => Just("-".to_string()),
        1 => Just("x".to_string()),
    ]
    .boxed()
}

/// A CSV text; `quirky` files may hold anything, others are the common kind.
fn csv(quirky: bool) -> impl Strategy<Value = String> {
    let header = Just(vec!["id", "a", "b", "c", "d", "t", "x"]).prop_shuffle();
    (header, 0usize..40).prop_flat_map(move |(names, rows)| {
        let row: Vec<BoxedStrategy<String>> = names
            .iter()
            .map(|&n| cell(if n == "x" { "t" } else { n }, quirky))
            .collect();
        let endings = if quirky {
            prop_oneof![Just("\n"), Just("\r\n"), Just("\n\n"), Just("")].boxed()
        } else {
            prop_oneof![Just("\n"), Just("\r\n")].boxed()
        };
        (
            proptest::collection::vec((row, endings), rows),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(move |(lines, bom, last_newline)| {
                let mut text = if bom && quirky { "\u{feff}" } else { "" }.to_string();
                text.push_str(&names.join(","));
                text.push('\n');
                let count = lines.len();
                for (i, (cells, end)) in lines.into_iter().enumerate() {
                    text.push_str(&cells.join(","));
                    if i + 1 < count || last_newline {
                        text.push_str(end);
                    }
                }
                text
            })
    })
}

fn by_record(text: &str) -> Result<Population, Vec<crate::DataError>> {
    Population::read_csv_by_record("t.csv", text.as_bytes(), &specs())
}

/// Every way the fast readers cut the file: parts in memory, stretches of
/// a file read in blocks of a few bytes or many.
fn fast_reads(text: &str, file_name: &str) -> Vec<Option<Population>> {
    let specs = specs();
    let mut reads: Vec<Option<Population>> = (1..4)
        .map(|n| fast::read_in_parts(text.as_bytes(), &specs, n))
        .collect();
    let path = std::env::temp_dir().join(format!("{file_name}-{}.csv", std::process::id()));
    if std::fs::write(&path, text).is_ok()
        && let Ok(file) = std::fs::File::open(&path)
    {
        for (n, block) in [(1, 5), (3, 7), (2, 1 << 18)] {
            reads.push(super::file::read_in_stretches(&file, &specs, n, block));
        }
    }
    let _ = std::fs::remove_file(&path);
    reads
}

proptest! {
    #[test]
    fn the_fast_readers_read_common_files_as_the_csv_crate_does(text in csv(false)) {
        let want = by_record(&text);
        prop_assert!(want.is_ok(), "{want:?}");
        for got in fast_reads(&text, "wegwijs-fast-common") {
            prop_assert!(got.is_some(), "the fast reader gave up on {:?}", text);
            prop_assert_eq!(got.as_ref(), want.as_ref().ok());
        }
    }

    #[test]
    fn the_fast_readers_never_disagree_with_the_csv_crate(text in csv(true)) {
        let want = by_record(&text);
        for got in fast_reads(&text, "wegwijs-fast-quirky").into_iter().flatten() {
            prop_assert_eq!(Some(&got), want.as_ref().ok(), "{:?}", text);
        }
    }
}
