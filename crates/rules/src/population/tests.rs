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

/// A cell for the column `name`, as files usually have it.
fn cell(name: &str) -> BoxedStrategy<String> {
    match name.trim() {
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
    }
}

/// Something unusual a file might hold; a file gets one of them, so that
/// the harmless ones still meet the fast readers.
#[derive(Debug, Clone)]
enum Quirk {
    /// A cell replaced, at (row, column) modulo the file's size.
    Cell(usize, usize, &'static str),
    /// A line ended otherwise.
    Ending(usize, &'static str),
    /// The header with spaces around a name, a name twice, or no id.
    Header(usize, usize),
    Bom,
    NoLastNewline,
}

fn quirk() -> impl Strategy<Value = Quirk> {
    let cells = prop_oneof![
        Just(""),
        Just(" 12 "),
        Just("\"7\""),
        Just("\"a,b\""),
        Just("TRUE"),
        Just("\u{a0}5"),
        Just("\u{b}5\u{b}"),
        Just("\u{3000}ab"),
        Just(" x y "),
        Just("1\r2"),
        Just("9999999999999999999"),
        Just("-"),
        Just("x"),
    ];
    let endings = prop_oneof![Just("\n\n"), Just("\r"), Just(",\n"), Just("\r\r\n")];
    prop_oneof![
        4 => (0usize..40, 0usize..7, cells).prop_map(|(r, c, v)| Quirk::Cell(r, c, v)),
        2 => (0usize..40, endings).prop_map(|(r, e)| Quirk::Ending(r, e)),
        2 => (0usize..3, 0usize..7).prop_map(|(q, at)| Quirk::Header(q, at)),
        1 => Just(Quirk::Bom),
        1 => Just(Quirk::NoLastNewline),
    ]
}

/// A CSV text: the common kind, with `quirk` applied when there is one.
fn csv(quirk: Option<Quirk>) -> impl Strategy<Value = String> {
    let names = Just(vec!["id", "a", "b", "c", "d", "t", "x"]).prop_shuffle();
    (names, 1usize..40).prop_flat_map(move |(names, rows)| {
        let row: Vec<BoxedStrategy<String>> = names.iter().map(|n| cell(n)).collect();
        let ending = prop_oneof![Just("\n"), Just("\r\n")];
        let quirk = quirk.clone();
        proptest::collection::vec((row, ending), rows).prop_map(move |mut lines| {
            let mut names = names.clone();
            let mut text = String::new();
            let mut last_newline = true;
            match quirk {
                Some(Quirk::Cell(r, c, v)) => {
                    let r = r % lines.len();
                    lines[r].0[c % names.len()] = v.to_string();
                }
                Some(Quirk::Ending(r, e)) => {
                    let r = r % lines.len();
                    lines[r].1 = e;
                }
                Some(Quirk::Header(q, at)) => match q {
                    0 => names[at] = if names[at] == "a" { " a " } else { "\tb" },
                    1 => names[at] = names[(at + 1) % names.len()],
                    _ => names[at] = "name",
                },
                Some(Quirk::Bom) => text.push('\u{feff}'),
                Some(Quirk::NoLastNewline) => last_newline = false,
                None => {}
            }
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
    std::fs::write(&path, text).unwrap();
    let file = std::fs::File::open(&path).unwrap();
    for (n, block) in [(1, 5), (3, 7), (2, 1 << 18)] {
        reads.push(super::file::read_in_stretches(&file, &specs, n, block));
    }
    std::fs::remove_file(&path).unwrap();
    reads
}

proptest! {
    #[test]
    fn the_fast_readers_read_common_files_as_the_csv_crate_does(text in csv(None)) {
        let want = by_record(&text);
        prop_assert!(want.is_ok(), "{want:?}");
        for got in fast_reads(&text, "wegwijs-fast-common") {
            prop_assert!(got.is_some(), "the fast reader gave up on {:?}", text);
            prop_assert_eq!(got.as_ref(), want.as_ref().ok());
        }
    }

    #[test]
    fn the_fast_readers_never_disagree_with_the_csv_crate(
        text in quirk().prop_flat_map(|q| csv(Some(q)))
    ) {
        let want = by_record(&text);
        for got in fast_reads(&text, "wegwijs-fast-quirky").into_iter().flatten() {
            prop_assert_eq!(Some(&got), want.as_ref().ok(), "{:?}", text);
        }
    }
}
