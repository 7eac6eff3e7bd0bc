//! Reading the intake format (docs/signalen.md) from bytes: CSV with a
//! header line, or JSON `{"formaat": "wegwijs-signalen", "versie": 1,
//! "signalen": [{...}, ...]}`. Both stream: rows are handed over one by one,
//! so a file of millions of signals never sits in memory whole. The caller
//! opens the file or request body; this module only parses.

use super::row::{COLUMNS, FORMAT_VERSION, SignalFields};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::io::Read;

pub const JSON_FORMAT_NAME: &str = "wegwijs-signalen";

/// Columns a file must have; the others may be left out (empty).
pub const REQUIRED: [&str; 5] = [
    "ID",
    "signaalpartner",
    "bedrag_cent",
    "ontstaansdatum",
    "signaaldatum",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    /// From its name, `csv` or `json`, in any case.
    pub fn from_code(code: &str) -> Option<Format> {
        match code.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            _ => None,
        }
    }

    /// From a file name's extension.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::from_code(name.rsplit_once('.')?.1)
    }
}

/// The file as a whole cannot be read; nothing in it is used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", position.as_ref().map(|p| format!("{p}: ")).unwrap_or_default())]
pub struct FormatError {
    /// "line 7" or "signaal 7".
    pub position: Option<String>,
    pub message: String,
}

fn fail(position: Option<String>, message: impl Into<String>) -> FormatError {
    FormatError {
        position,
        message: message.into(),
    }
}

/// Where a row was: its CSV line (the header is line 1) or its place in
/// the JSON list (from 1).
pub type Position = u64;

/// Reads every row and hands it to `each`, which may stop the reading by
/// returning an error.
pub fn read<R: Read, E: From<FormatError>>(
    format: Format,
    input: R,
    each: impl FnMut(Position, SignalFields<'_>) -> Result<(), E>,
) -> Result<u64, E> {
    match format {
        Format::Csv => read_csv(input, each),
        Format::Json => read_json(input, each),
    }
}

fn read_csv<R: Read, E: From<FormatError>>(
    input: R,
    mut each: impl FnMut(Position, SignalFields<'_>) -> Result<(), E>,
) -> Result<u64, E> {
    let mut r = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let header = r
        .headers()
        .map_err(|e| fail(Some("line 1".into()), csv_problem(&e)))?
        .clone();
    let names: Vec<&str> = header.iter().collect();
    let map =
        column_map(&names).map_err(|m| fail(Some("line 1 (the header)".into()), m.to_string()))?;
    let mut record = csv::StringRecord::new();
    let mut rows = 0;
    // The csv crate counts lines by \n, but also ends a row at a lone \r
    // (as editors break lines there): two rows could then name one line.
    // Each row is at least one line further than the one before.
    let mut last_line = 1;
    let mut line_of = |found: Option<&csv::Position>| {
        last_line = found.map_or(0, csv::Position::line).max(last_line + 1);
        last_line
    };
    loop {
        match r.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = line_of(e.position());
                return Err(fail(Some(format!("line {line}")), csv_problem(&e)).into());
            }
        }
        rows += 1;
        let mut fields = [""; 20];
        for (i, value) in record.iter().enumerate() {
            if let Some(Some(col)) = map.get(i) {
                fields[*col] = value;
            }
        }
        let line = line_of(record.position());
        each(line, SignalFields(fields))?;
    }
    Ok(rows)
}

fn csv_problem(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { .. } => {
            "has a different number of fields than the header; nothing was imported".into()
        }
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8 text; save the file as UTF-8".into(),
        _ => "cannot be read as CSV".into(),
    }
}

/// For each header position, the column it fills. Names match in any
/// case; unknown, repeated or missing required columns are refused.
/// What is wrong with a delivery's header row.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    #[error("column {0} appears twice")]
    Twice(String),
    #[error(
        "does not match signalen format version {FORMAT_VERSION}: missing columns [{}], unknown columns [{}]; \
         see docs/signalen.md",
        missing.join(", "),
        unknown.join(", ")
    )]
    Columns {
        missing: Vec<String>,
        unknown: Vec<String>,
    },
}

fn column_map(names: &[&str]) -> Result<Vec<Option<usize>>, HeaderError> {
    let mut map = Vec::with_capacity(names.len());
    let mut seen = [false; 20];
    let mut unknown = Vec::new();
    for name in names {
        let name = name.trim().trim_start_matches('\u{feff}');
        match COLUMNS.iter().position(|c| c.eq_ignore_ascii_case(name)) {
            Some(i) if seen[i] => return Err(HeaderError::Twice(name.to_string())),
            Some(i) => {
                seen[i] = true;
                map.push(Some(i));
            }
            None => {
                unknown.push(name.to_string());
                map.push(None);
            }
        }
    }
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|r| !COLUMNS.iter().zip(seen).any(|(c, s)| s && c == r))
        .collect();
    if !unknown.is_empty() || !missing.is_empty() {
        return Err(HeaderError::Columns {
            missing: missing.iter().map(|m| m.to_string()).collect(),
            unknown,
        });
    }
    Ok(map)
}

fn read_json<R: Read, E: From<FormatError>>(
    input: R,
    mut each: impl FnMut(Position, SignalFields<'_>) -> Result<(), E>,
) -> Result<u64, E> {
    let mut stopped: Option<E> = None;
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(input));
    let envelope = Envelope {
        each: &mut each,
        stopped: &mut stopped,
    };
    let result = envelope
        .deserialize(&mut de)
        .and_then(|rows| de.end().map(|_| rows));
    if let Some(e) = stopped {
        return Err(e);
    }
    result.map_err(|e| {
        let position = (e.line() > 0).then(|| format!("line {}", e.line()));
        let message = e.to_string();
        // serde_json appends " at line L column C"; the position says it.
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_string();
        fail(position, message).into()
    })
}

/// A callback's own error stops the parse; it is kept here and returned
/// instead of serde's wrapper.
struct Envelope<'a, F, E> {
    each: &'a mut F,
    stopped: &'a mut Option<E>,
}

impl<'de, F, E> DeserializeSeed<'de> for Envelope<'_, F, E>
where
    F: FnMut(Position, SignalFields<'_>) -> Result<(), E>,
{
    type Value = u64;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<u64, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, F, E> Visitor<'de> for Envelope<'_, F, E>
where
    F: FnMut(Position, SignalFields<'_>) -> Result<(), E>,
{
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an object with formaat, versie and signalen")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<u64, A::Error> {
        let mut rows = None;
        let (mut formaat, mut versie) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "formaat" => formaat = Some(map.next_value::<String>()?),
                "versie" => versie = Some(map.next_value::<u32>()?),
                "signalen" => {
                    rows = Some(map.next_value_seed(List {
                        each: &mut *self.each,
                        stopped: &mut *self.stopped,
                    })?)
                }
                other => {
                    map.next_value::<IgnoredAny>()?;
                    return Err(de::Error::custom(format!(
                        "unknown key {other:?}; the object has formaat, versie and signalen"
                    )));
                }
            }
        }
        if formaat.as_deref() != Some(JSON_FORMAT_NAME) {
            return Err(de::Error::custom(format!(
                "formaat must be \"{JSON_FORMAT_NAME}\"; see docs/signalen.md"
            )));
        }
        if versie != Some(FORMAT_VERSION) {
            return Err(de::Error::custom(format!(
                "versie must be {FORMAT_VERSION}, the version this wegwijs reads"
            )));
        }
        rows.ok_or_else(|| de::Error::custom("signalen is missing"))
    }
}

struct List<'a, F, E> {
    each: &'a mut F,
    stopped: &'a mut Option<E>,
}

impl<'de, F, E> DeserializeSeed<'de> for List<'_, F, E>
where
    F: FnMut(Position, SignalFields<'_>) -> Result<(), E>,
{
    type Value = u64;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<u64, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, F, E> Visitor<'de> for List<'_, F, E>
where
    F: FnMut(Position, SignalFields<'_>) -> Result<(), E>,
{
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a list of signals")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<u64, A::Error> {
        let mut n = 0;
        while let Some(item) = seq.next_element::<Item>()? {
            n += 1;
            let fields = SignalFields(item.0.each_ref().map(String::as_str));
            if let Err(e) = (self.each)(n, fields) {
                *self.stopped = Some(e);
                return Err(de::Error::custom("stopped"));
            }
        }
        Ok(n)
    }
}

/// One signal object: keys are the column names (any case); values are
/// text, numbers, true/false or null.
struct Item([String; 20]);

impl<'de> de::Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Item, D::Error> {
        d.deserialize_map(ItemVisitor)
    }
}

struct ItemVisitor;

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = Item;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "a signal object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item, A::Error> {
        let mut fields: [String; 20] = Default::default();
        while let Some(key) = map.next_key::<String>()? {
            let Some(i) = COLUMNS.iter().position(|c| c.eq_ignore_ascii_case(&key)) else {
                return Err(de::Error::custom(format!(
                    "unknown field {key:?}; see docs/signalen.md for the fields"
                )));
            };
            fields[i] = match map.next_value::<serde_json::Value>()? {
                serde_json::Value::String(s) => s,
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                serde_json::Value::Null => String::new(),
                _ => {
                    return Err(de::Error::custom(format!(
                        "field {key:?} must be text, a number, true/false or null"
                    )));
                }
            };
        }
        Ok(Item(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(format: Format, input: &str) -> Result<Vec<(u64, Vec<String>)>, FormatError> {
        let mut out = Vec::new();
        read::<_, FormatError>(format, input.as_bytes(), |pos, f| {
            out.push((pos, f.0.iter().map(|s| s.to_string()).collect()));
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn csv_columns_in_any_order_and_case() {
        let rows = collect(
            Format::Csv,
            "signaaldatum,id,SignaalPartner,bedrag_cent,ontstaansdatum\n2026-11-01,A1,Huur,100,2026-10-01\n",
        )
        .unwrap();
        assert_eq!(rows[0].0, 2);
        assert_eq!(rows[0].1[0], "A1");
        assert_eq!(rows[0].1[1], "Huur");
        assert_eq!(rows[0].1[17], "2026-11-01");
    }

    /// Found by the fuzzer: a lone \r ends a row, and two rows named one
    /// line. Lines now rise with every row (a quoted \n counted too).
    #[test]
    fn csv_rows_after_a_lone_carriage_return_get_their_own_line() {
        let header = "ID,signaalpartner,bedrag_cent,ontstaansdatum,signaaldatum";
        let input = format!(
            "{header}\nA1,Huur,1,2026-10-01,2026-11-01\rA2,Huur,1,2026-10-01,2026-11-01\r\n\"A\n3\",Huur,1,2026-10-01,2026-11-01\nA4,Huur,1,2026-10-01,2026-11-01\n"
        );
        let lines: Vec<u64> = collect(Format::Csv, &input)
            .unwrap()
            .iter()
            .map(|r| r.0)
            .collect();
        assert_eq!(lines, vec![2, 3, 4, 5]);
    }

    #[test]
    fn csv_header_problems_name_the_columns() {
        let e = collect(Format::Csv, "ID,signaalpartner,bedrag,extra\n").unwrap_err();
        assert_eq!(e.position.as_deref(), Some("line 1 (the header)"));
        assert!(
            e.message
                .contains("missing columns [bedrag_cent, ontstaansdatum, signaaldatum]"),
            "{e}"
        );
        assert!(e.message.contains("unknown columns [bedrag, extra]"), "{e}");
        let e = collect(Format::Csv, "ID,ID\n").unwrap_err();
        assert!(e.message.contains("twice"));
        let e = collect(
            Format::Csv,
            "ID,signaalpartner,bedrag_cent,ontstaansdatum,signaaldatum\n1,2\n",
        )
        .unwrap_err();
        assert_eq!(e.position.as_deref(), Some("line 2"));
    }

    #[test]
    fn json_streams_items_with_their_number() {
        let rows = collect(
            Format::Json,
            r#"{"formaat":"wegwijs-signalen","versie":1,"signalen":[
                {"ID":"A1","signaalpartner":"Energie","bedrag_cent":1250,"crisissignaal":true,"Email":null},
                {"id":"A2"}]}"#,
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].1[15], "1250");
        assert_eq!(rows[0].1[18], "true");
        assert_eq!(
            rows[1],
            (2, {
                let mut v = vec![String::new(); 20];
                v[0] = "A2".into();
                v
            })
        );
    }

    #[test]
    fn json_problems_are_named() {
        let e = collect(Format::Json, r#"{"formaat":"x","versie":1,"signalen":[]}"#).unwrap_err();
        assert!(e.message.contains("formaat must be"), "{e}");
        let e = collect(
            Format::Json,
            r#"{"formaat":"wegwijs-signalen","versie":2,"signalen":[]}"#,
        )
        .unwrap_err();
        assert!(e.message.contains("versie must be 1"), "{e}");
        let e = collect(
            Format::Json,
            r#"{"formaat":"wegwijs-signalen","versie":1,"signalen":[{"bsn":"1"}]}"#,
        )
        .unwrap_err();
        assert!(e.message.contains("unknown field \"bsn\""), "{e}");
        assert_eq!(e.position.as_deref(), Some("line 1"));
        let e = collect(
            Format::Json,
            r#"{"formaat":"wegwijs-signalen","versie":1,"signalen":[{"ID":[1]}]}"#,
        )
        .unwrap_err();
        assert!(e.message.contains("must be text"), "{e}");
        assert!(collect(Format::Json, "[1,2]").is_err());
        assert!(
            collect(
                Format::Json,
                r#"{"formaat":"wegwijs-signalen","versie":1,"signalen":[]} x"#
            )
            .is_err()
        );
    }

    #[test]
    fn a_callback_error_stops_the_reading() {
        #[derive(Debug)]
        struct Stop;
        impl From<FormatError> for Stop {
            fn from(_: FormatError) -> Stop {
                Stop
            }
        }
        let mut seen = 0;
        let r = read(
            Format::Json,
            r#"{"formaat":"wegwijs-signalen","versie":1,"signalen":[{"ID":"1"},{"ID":"2"}]}"#
                .as_bytes(),
            |_, _| {
                seen += 1;
                Err::<(), Stop>(Stop)
            },
        );
        assert!(r.is_err());
        assert_eq!(seen, 1);
        assert_eq!(Format::from_name("x.CSV"), Some(Format::Csv));
        assert_eq!(Format::from_name("x.txt"), None);
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_input_never_panics(input in "\\PC{0,200}") {
            let _ = collect(Format::Csv, &input);
            let _ = collect(Format::Json, &input);
        }
    }
}
