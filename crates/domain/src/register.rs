//! The population register extract format (`personen.csv`), one row per
//! person. Documented in docs/personen-csv.md. The demo generator writes it
//! and `wegwijs persons import` reads it, both through [`PersonRow`].

use crate::bsn::Bsn;
use crate::error::{Problem, ValidationError};
use crate::money::Money;
use crate::person::{Address, PersonName, parse_past_date, text};
use crate::resident::{Finances, HouseholdRole, ResidentRecord, Voorziening};
use serde::{Deserialize, Serialize};
use time::Date;

/// One row of `personen.csv`, as text. Field names are the column names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonRow {
    pub bsn: String,
    pub voornamen: String,
    pub voorvoegsel: String,
    pub geslachtsnaam: String,
    pub geboortedatum: String,
    pub straat: String,
    pub huisnummer: String,
    pub huisletter: String,
    pub huisnummertoevoeging: String,
    pub postcode: String,
    pub woonplaats: String,
    pub wijk: String,
    pub buurt: String,
    pub huishouden: String,
    pub rol_in_huishouden: String,
    pub netto_inkomen_maand_cent: String,
    pub vermogen_cent: String,
    pub voorzieningen: String,
}

/// The version of the format; docs/personen-csv.md describes each version.
pub const FORMAT_VERSION: u32 = 1;

impl PersonRow {
    /// Validates every field; returns all problems, not just the first, so a
    /// person fixing the file sees them at once.
    pub fn to_record(&self, today: Date) -> Result<ResidentRecord, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let bsn = keep(&mut errors, Bsn::parse(&self.bsn));
        let name = keep(
            &mut errors,
            PersonName::new(&self.voornamen, &self.voorvoegsel, &self.geslachtsnaam)
                .map_err(rename_name),
        );
        let geboortedatum = keep(
            &mut errors,
            parse_past_date("geboortedatum", &self.geboortedatum, today),
        );
        let address = keep(
            &mut errors,
            Address::new(
                &self.straat,
                &self.huisnummer,
                &self.huisletter,
                &self.huisnummertoevoeging,
                &self.postcode,
                &self.woonplaats,
            )
            .map_err(rename_address),
        );
        let wijk = keep(&mut errors, text("wijk", &self.wijk, 80));
        let buurt = keep(&mut errors, text("buurt", &self.buurt, 80));
        let huishouden = keep(&mut errors, text("huishouden", &self.huishouden, 64));
        let rol = keep(
            &mut errors,
            HouseholdRole::from_code(&self.rol_in_huishouden),
        );
        let inkomen = keep(
            &mut errors,
            Money::parse_cents("netto_inkomen_maand_cent", &self.netto_inkomen_maand_cent),
        );
        let vermogen = keep(
            &mut errors,
            Money::parse_cents("vermogen_cent", &self.vermogen_cent),
        );
        let voorzieningen = keep(&mut errors, Voorziening::parse_list(&self.voorzieningen));
        // Every value is present exactly when no problem was noted.
        let record = (|| {
            Some(ResidentRecord {
                bsn: bsn?,
                name: name?,
                geboortedatum: geboortedatum?,
                address: address?,
                wijk: wijk?,
                buurt: buurt?,
                huishouden: huishouden?,
                rol_in_huishouden: rol?,
                finances: Finances {
                    netto_inkomen_maand: inkomen?,
                    vermogen: vermogen?,
                    voorzieningen: voorzieningen?,
                },
            })
        })();
        match record {
            Some(r) if errors.is_empty() => Ok(r),
            _ => Err(errors),
        }
    }
}

/// The value, or `None` with the problem noted.
pub(crate) fn keep<T>(
    errors: &mut Vec<ValidationError>,
    r: Result<T, ValidationError>,
) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

/// The column is called geslachtsnaam in the file.
fn rename_name(e: ValidationError) -> ValidationError {
    match e.field {
        "achternaam" => ValidationError::new("geslachtsnaam", e.problem),
        _ => e,
    }
}

fn rename_address(e: ValidationError) -> ValidationError {
    match e.field {
        "toevoeging" => ValidationError::new("huisnummertoevoeging", e.problem),
        _ => e,
    }
}

/// The columns of personen.csv, in the order `demo generate` writes them.
pub const COLUMNS: &[&str] = &[
    "bsn",
    "voornamen",
    "voorvoegsel",
    "geslachtsnaam",
    "geboortedatum",
    "straat",
    "huisnummer",
    "huisletter",
    "huisnummertoevoeging",
    "postcode",
    "woonplaats",
    "wijk",
    "buurt",
    "huishouden",
    "rol_in_huishouden",
    "netto_inkomen_maand_cent",
    "vermogen_cent",
    "voorzieningen",
];

/// The file as a whole cannot be read; nothing in it is used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FileError(pub String);

/// A row's problem, by line (the header is line 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowProblem {
    pub line: u64,
    pub error: ValidationError,
    /// For a BSN seen before: the line where it first appeared.
    pub first_line: Option<u64>,
}

/// Reads a personen.csv register extract: checks the header (every column,
/// none unknown), then hands each valid record to `each` and collects the
/// problems of the others (a BSN seen twice included). A row that is not
/// CSV stops the reading: the file as a whole is refused. Returns the
/// number of rows.
pub fn read<R: std::io::Read, E: From<FileError>>(
    input: R,
    today: Date,
    problems: &mut Vec<RowProblem>,
    mut each: impl FnMut(ResidentRecord) -> Result<(), E>,
) -> Result<u64, E> {
    let mut r = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    check_header(&mut r)?;
    let mut seen: std::collections::HashMap<Bsn, u64> = std::collections::HashMap::new();
    let mut rows = 0;
    for result in r.deserialize::<PersonRow>() {
        rows += 1;
        let line = rows + 1;
        let row = result.map_err(|e| {
            let what = match e.kind() {
                csv::ErrorKind::UnequalLengths { .. } => {
                    "has a different number of fields than the header"
                }
                csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8 text",
                _ => "cannot be read as CSV",
            };
            FileError(format!("line {line} {what}; nothing was imported"))
        })?;
        match row.to_record(today) {
            Ok(record) => match seen.get(&record.bsn) {
                Some(first) => problems.push(RowProblem {
                    line,
                    error: duplicate_bsn(),
                    first_line: Some(*first),
                }),
                None => {
                    seen.insert(record.bsn, line);
                    each(record)?;
                }
            },
            Err(errors) => problems.extend(errors.into_iter().map(|error| RowProblem {
                line,
                error,
                first_line: None,
            })),
        }
    }
    Ok(rows)
}

fn check_header<R: std::io::Read>(r: &mut csv::Reader<R>) -> Result<(), FileError> {
    let header: Vec<String> = r
        .headers()
        .map_err(|_| FileError("cannot read the header line".into()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let missing: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .filter(|c| !header.iter().any(|h| h == c))
        .collect();
    let unknown: Vec<&str> = header
        .iter()
        .map(String::as_str)
        .filter(|h| !COLUMNS.contains(h))
        .collect();
    if !missing.is_empty() || !unknown.is_empty() {
        return Err(FileError(format!(
            "line 1 (the header) does not match personen.csv format version {FORMAT_VERSION}: missing columns [{}], unknown columns [{}]; see docs/personen-csv.md",
            missing.join(", "),
            unknown.join(", ")
        )));
    }
    Ok(())
}

/// Problems a single row cannot show: the same BSN twice in one file.
pub fn duplicate_bsn() -> ValidationError {
    ValidationError::new("bsn", Problem::Duplicate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn good() -> PersonRow {
        PersonRow {
            bsn: "111222333".into(),
            voornamen: "Fatima".into(),
            voorvoegsel: "el".into(),
            geslachtsnaam: "Amrani".into(),
            geboortedatum: "1990-02-03".into(),
            straat: "Merelstraat".into(),
            huisnummer: "4".into(),
            huisletter: "".into(),
            huisnummertoevoeging: "".into(),
            postcode: "9901 AB".into(),
            woonplaats: "Wegwijzerveen".into(),
            wijk: "Noord".into(),
            buurt: "Vogelbuurt".into(),
            huishouden: "HH-1".into(),
            rol_in_huishouden: "referentiepersoon".into(),
            netto_inkomen_maand_cent: "185000".into(),
            vermogen_cent: "0".into(),
            voorzieningen: "zorgtoeslag".into(),
        }
    }

    #[test]
    fn a_good_row_validates() {
        let r = good().to_record(date!(2026 - 11 - 22)).unwrap();
        assert_eq!(r.name.formal(), "F. el Amrani");
        assert_eq!(r.finances.voorzieningen, vec![Voorziening::Zorgtoeslag]);
    }

    #[test]
    fn every_problem_is_reported_with_its_column() {
        let mut row = good();
        row.bsn = "123456789".into();
        row.postcode = "99 AB".into();
        row.geboortedatum = "2030-01-01".into();
        row.geslachtsnaam = "".into();
        row.vermogen_cent = "-5".into();
        let errors = row.to_record(date!(2026 - 11 - 22)).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| (e.field, e.problem.code())).collect();
        assert_eq!(
            fields,
            [
                ("bsn", "elfproef"),
                ("geslachtsnaam", "empty"),
                ("geboortedatum", "in-future"),
                ("postcode", "postcode-format"),
                ("vermogen_cent", "negative")
            ]
        );
    }

    proptest! {
        #[test]
        fn arbitrary_rows_never_panic(fields in proptest::collection::vec("\\PC{0,12}", 18)) {
            let f = |i: usize| fields[i].clone();
            let row = PersonRow {
                bsn: f(0), voornamen: f(1), voorvoegsel: f(2), geslachtsnaam: f(3), geboortedatum: f(4),
                straat: f(5), huisnummer: f(6), huisletter: f(7), huisnummertoevoeging: f(8), postcode: f(9),
                woonplaats: f(10), wijk: f(11), buurt: f(12), huishouden: f(13), rol_in_huishouden: f(14),
                netto_inkomen_maand_cent: f(15), vermogen_cent: f(16), voorzieningen: f(17),
            };
            let _ = row.to_record(date!(2026 - 11 - 22));
        }
    }
}
