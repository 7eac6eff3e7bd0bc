//! Population data as columns: one per input the laws read, typed by the
//! compiled calculation (eurocents and numbers as exact integers over the
//! column's denominator, true/false as bits, dates as day numbers).

use crate::dates;
use crate::error::DataError;
use crate::ir::{ColumnSpec, Ty};
use crate::law::parse_date;

mod fast;
#[cfg(unix)]
mod file;

#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Numerators, day numbers.
    Int(Vec<i64>),
    /// One bit per row, 64 rows a word.
    Bits(Vec<u64>),
    Text(Vec<String>),
}

impl Column {
    pub fn empty(ty: Ty) -> Column {
        match ty {
            Ty::Bool => Column::Bits(Vec::new()),
            Ty::Text => Column::Text(Vec::new()),
            _ => Column::Int(Vec::new()),
        }
    }

    pub fn len_hint(&self) -> usize {
        match self {
            Column::Int(v) => v.len(),
            Column::Bits(v) => v.len() * 64,
            Column::Text(v) => v.len(),
        }
    }
}

pub fn bit(words: &[u64], i: usize) -> bool {
    words[i / 64] >> (i % 64) & 1 == 1
}

/// The row ids, one string buffer for all of them: a million rows need no
/// million allocations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ids {
    text: String,
    ends: Vec<usize>,
}

impl Ids {
    pub fn push(&mut self, id: &str) {
        self.text.push_str(id);
        self.ends.push(self.text.len());
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn get(&self, row: usize) -> Option<&str> {
        let end = *self.ends.get(row)?;
        let start = if row == 0 { 0 } else { self.ends[row - 1] };
        Some(&self.text[start..end])
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).filter_map(|r| self.get(r))
    }

    pub fn position(&self, id: &str) -> Option<usize> {
        self.iter().position(|x| x == id)
    }

    /// The id of a row for a message: empty when there is no such row.
    pub fn name(&self, row: usize) -> String {
        self.get(row).unwrap_or_default().to_string()
    }

    fn append(&mut self, other: Ids) {
        let base = self.text.len();
        self.text.push_str(&other.text);
        self.ends.extend(other.ends.iter().map(|e| e + base));
    }
}

impl<S: AsRef<str>> FromIterator<S> for Ids {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Ids {
        let mut ids = Ids::default();
        for id in iter {
            ids.push(id.as_ref());
        }
        ids
    }
}

/// Rows of population data: an id per row and the columns a calculation reads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Population {
    pub ids: Ids,
    pub columns: Vec<(ColumnSpec, Column)>,
}

impl Population {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns
            .iter()
            .find(|(s, _)| s.name == name)
            .map(|(_, c)| c)
    }

    /// Reads a CSV with an `id` column and a column per input `specs` names
    /// (more columns are allowed and ignored). Every bad cell is reported
    /// with its line and column.
    pub fn read_csv(
        file: &str,
        mut data: impl std::io::Read,
        specs: &[ColumnSpec],
    ) -> Result<Population, Vec<DataError>> {
        let mut bytes = Vec::new();
        data.read_to_end(&mut bytes).map_err(|e| {
            vec![DataError::File {
                file: file.to_string(),
                problem: format!("cannot read: {e}"),
            }]
        })?;
        Population::from_csv(file, &bytes, specs)
    }

    /// [`Population::read_csv`] of a file, read on all cores a block at a
    /// time; anything unusual record by record.
    pub fn read_csv_file(
        path: &std::path::Path,
        specs: &[ColumnSpec],
    ) -> Result<Population, Vec<DataError>> {
        let name = path.display().to_string();
        let cannot = |e: std::io::Error| {
            vec![DataError::File {
                file: name.clone(),
                problem: format!("cannot read: {e}"),
            }]
        };
        #[cfg(unix)]
        {
            let file = std::fs::File::open(path).map_err(cannot)?;
            if let Some(pop) = file::read(&file, specs) {
                return Ok(pop);
            }
        }
        // Streamed: a large file with one quoted cell is not read whole.
        let file = std::fs::File::open(path).map_err(cannot)?;
        Population::read_csv_by_record(&name, std::io::BufReader::new(file), specs)
    }

    /// [`Population::read_csv`] of a file already in memory: the common
    /// file parsed on all cores, anything unusual record by record.
    pub fn from_csv(
        file: &str,
        bytes: &[u8],
        specs: &[ColumnSpec],
    ) -> Result<Population, Vec<DataError>> {
        match fast::read(bytes, specs) {
            Some(pop) => Ok(pop),
            None => Population::read_csv_by_record(file, bytes, specs),
        }
    }

    /// [`Population::read_csv`] one record at a time through the csv crate:
    /// quoted cells, every kind of line end, and the messages for whatever
    /// is wrong. The fast reader hands anything unusual to this one.
    pub fn read_csv_by_record(
        file: &str,
        data: impl std::io::Read,
        specs: &[ColumnSpec],
    ) -> Result<Population, Vec<DataError>> {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(data);
        let whole = |problem: String| {
            vec![DataError::File {
                file: file.to_string(),
                problem,
            }]
        };
        let headers = reader
            .headers()
            .map_err(|e| whole(format!("cannot read the header line: {e}")))?
            .clone();
        let find = |name: &str| headers.iter().position(|h| h == name);
        let id_at = find("id").ok_or_else(|| {
            whole(
                "there is no column \"id\"; the first line must name the columns, one of them id"
                    .into(),
            )
        })?;
        let mut missing = Vec::new();
        let mut at = Vec::new();
        for s in specs {
            match find(&s.name) {
                Some(i) => at.push(i),
                None => missing.push(s.name.clone()),
            }
        }
        if !missing.is_empty() {
            return Err(whole(format!(
                "the laws need these columns, which the file lacks: {}",
                missing.join(", ")
            )));
        }
        let mut pop = Population {
            ids: Ids::default(),
            columns: specs
                .iter()
                .map(|s| (s.clone(), Column::empty(s.ty)))
                .collect(),
        };
        let mut errors = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    errors.push(DataError::File {
                        file: file.to_string(),
                        problem: e.to_string(),
                    });
                    break;
                }
            }
            let line = record.position().map_or(0, |p| p.line());
            let row = pop.ids.len();
            pop.ids.push(record.get(id_at).unwrap_or_default());
            for ((spec, column), &i) in pop.columns.iter_mut().zip(&at) {
                let cell = record.get(i).unwrap_or_default();
                if let Err(problem) = push_cell(column, spec.ty, cell, row)
                    && errors.len() < 100
                {
                    errors.push(DataError::Cell {
                        file: file.to_string(),
                        line,
                        column: spec.name.clone(),
                        problem: problem.to_string(),
                    });
                }
            }
        }
        if errors.is_empty() {
            Ok(pop)
        } else {
            Err(errors)
        }
    }
}

/// Why a cell does not fit its column's type; the message says what to
/// write instead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CellError {
    #[error("{0:?} is not a date; write YYYY-MM-DD")]
    NotADate(String),
    #[error("{0:?} is not true or false")]
    NotABool(String),
    #[error("empty; give a whole number")]
    Empty,
    #[error("{0:?} is not a number; write digits, e.g. 3500000 for € 35.000,00 in eurocents")]
    NotANumber(String),
    #[error("{cell:?} has {given} decimals; this column takes {allowed}")]
    TooManyDecimals {
        cell: String,
        given: usize,
        allowed: usize,
    },
    #[error("{0:?} is too large")]
    TooLarge(String),
    #[error("internal: column of the wrong kind")]
    WrongColumn,
}

/// Appends one cell, or says why it does not fit the type.
pub fn push_cell(column: &mut Column, ty: Ty, cell: &str, row: usize) -> Result<(), CellError> {
    match (column, ty) {
        (Column::Int(v), Ty::Num(den)) => {
            v.push(parse_number(cell, den)?);
        }
        (Column::Int(v), Ty::Date) => {
            let d = parse_date(cell).ok_or_else(|| CellError::NotADate(cell.into()))?;
            v.push(dates::from_date(d));
        }
        (Column::Bits(w), Ty::Bool) => {
            let b = match cell {
                "true" => true,
                "false" => false,
                _ => return Err(CellError::NotABool(cell.into())),
            };
            push_bit(w, row, b);
        }
        (Column::Text(v), Ty::Text) => v.push(cell.to_string()),
        _ => return Err(CellError::WrongColumn),
    }
    Ok(())
}

/// Row `row`'s bit, the rows before it already there.
pub(crate) fn push_bit(words: &mut Vec<u64>, row: usize, value: bool) {
    if row.is_multiple_of(64) {
        words.push(0);
    }
    if value && let Some(last) = words.last_mut() {
        *last |= 1 << (row % 64);
    }
}

/// A number with at most as many decimals as `den` (a power of ten) allows,
/// as a numerator over `den`. Amounts are whole eurocents.
fn parse_number(cell: &str, den: i64) -> Result<i64, CellError> {
    let decimals = den.ilog10() as usize;
    let (int, frac) = cell.split_once('.').unwrap_or((cell, ""));
    let negative = int.starts_with('-');
    let digits = int.trim_start_matches(['-', '+']);
    let ok = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit());
    if !ok {
        return Err(if cell.is_empty() {
            CellError::Empty
        } else {
            CellError::NotANumber(cell.into())
        });
    }
    if frac.len() > decimals {
        return Err(CellError::TooManyDecimals {
            cell: cell.into(),
            given: frac.len(),
            allowed: decimals,
        });
    }
    let padded = format!("{digits}{frac:0<decimals$}");
    let v: i64 = padded
        .parse()
        .map_err(|_| CellError::TooLarge(cell.into()))?;
    Ok(if negative { -v } else { v })
}

#[cfg(test)]
mod tests;
