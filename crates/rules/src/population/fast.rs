//! The common population CSV read fast: no quotes, `\n` or `\r\n` line
//! ends, every cell as the column needs it. The file is split at line ends
//! into one part per core, each part parsed straight from its bytes, the
//! parts joined in order. Anything unusual (a quote, a bad cell, a short
//! row, odd whitespace) gives `None`, and the caller reads the file record
//! by record, which knows every case and the messages for it.

use super::{Column, Ids, Population, push_bit, push_cell};
use crate::ir::{ColumnSpec, Ty};

/// What a field of a line is for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Field {
    Id,
    /// The input `specs[j]` in whole units (eurocents, counts).
    Whole(usize),
    /// Any other input `specs[j]`.
    Input(usize),
    Ignored,
}

/// Below this many bytes one core reads the whole file.
const PART_BYTES: usize = 1 << 20;

/// The CSV in memory.
pub(super) fn read(data: &[u8], specs: &[ColumnSpec]) -> Option<Population> {
    read_in_parts(
        data,
        specs,
        crate::cores::count().min(data.len() / PART_BYTES + 1),
    )
}

pub(super) fn read_in_parts(data: &[u8], specs: &[ColumnSpec], n: usize) -> Option<Population> {
    let (fields, body_at) = header(data, specs)?;
    let parts = split(&data[body_at..], n);
    let parsed = crate::cores::each(parts.len(), |k| {
        let rows = rows_hint(parts[k].len(), &data[body_at..]);
        let mut part = Part::new(&fields, specs, rows);
        part.lines(parts[k], usize::MAX, true)?;
        Some(part.finish())
    });
    join(parsed.into_iter().collect::<Option<_>>()?)
}

/// About how many rows `bytes` of the file hold, judged by the first
/// data line (`sample`: the text after the header), a little over so the
/// columns seldom grow.
pub(super) fn rows_hint(bytes: usize, sample: &[u8]) -> usize {
    let line = sample
        .iter()
        .position(|&b| b == b'\n')
        .map_or(sample.len(), |p| p + 1)
        .max(2);
    bytes / line * 5 / 4 + 64
}

/// The fields of the header line and where the rows begin; `None` when
/// the first line is not all there.
pub(super) fn header(data: &[u8], specs: &[ColumnSpec]) -> Option<(Vec<Field>, usize)> {
    let bom = if data.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let end = bom + data[bom..].iter().position(|&b| b == b'\n')?;
    Some((fields(strip_cr(&data[bom..end]), specs)?, end + 1))
}

/// The role of each field, from the header line; `None` when a name the
/// laws need is missing or the line is unusual.
fn fields(header: &[u8], specs: &[ColumnSpec]) -> Option<Vec<Field>> {
    let header = std::str::from_utf8(header).ok()?;
    if header.contains(['"', '\r']) {
        return None;
    }
    let names: Vec<&str> = header.split(',').map(str::trim).collect();
    let mut fields = vec![Field::Ignored; names.len()];
    let mut claim = |name: &str, role: Field| {
        let i = names.iter().position(|n| *n == name)?;
        (fields[i] == Field::Ignored).then(|| fields[i] = role)
    };
    claim("id", Field::Id)?;
    for (j, s) in specs.iter().enumerate() {
        let role = if s.ty == Ty::Num(1) {
            Field::Whole(j)
        } else {
            Field::Input(j)
        };
        claim(&s.name, role)?;
    }
    Some(fields)
}

/// `body` cut into `n` parts, each ending at a line end.
fn split(body: &[u8], n: usize) -> Vec<&[u8]> {
    let mut parts = Vec::with_capacity(n);
    let mut start = 0;
    for k in 1..n {
        let aim = (body.len() * k / n).max(start);
        let end = body[aim..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(body.len(), |p| aim + p + 1);
        parts.push(&body[start..end]);
        start = end;
    }
    parts.push(&body[start..]);
    parts
}

/// The rows of one part of the file, as they are parsed.
pub(super) struct Part<'a> {
    fields: &'a [Field],
    specs: &'a [ColumnSpec],
    columns: Vec<Column>,
    ids: Ids,
    row: usize,
}

impl<'a> Part<'a> {
    /// `bytes`: about how much text the part has.
    /// `rows`: about how many the part has (see [`rows_hint`]).
    pub(super) fn new(fields: &'a [Field], specs: &'a [ColumnSpec], rows: usize) -> Part<'a> {
        let columns = specs
            .iter()
            .map(|s| match Column::empty(s.ty) {
                Column::Int(_) => Column::Int(Vec::with_capacity(rows)),
                Column::Bits(_) => Column::Bits(Vec::with_capacity(rows / 64 + 1)),
                c => c,
            })
            .collect();
        let mut ids = Ids::default();
        ids.ends.reserve(rows);
        Part {
            fields,
            specs,
            columns,
            ids,
            row: 0,
        }
    }

    /// Parses the whole lines of `bytes` that begin before `limit` (all of
    /// `bytes` when `end`: the file ends there). Returns how many bytes it
    /// took and whether a line at or past `limit` was reached. A quote, or
    /// a carriage return other than before a line feed, gives `None`.
    pub(super) fn lines(&mut self, bytes: &[u8], limit: usize, end: bool) -> Option<(usize, bool)> {
        let whole = if end {
            bytes.len()
        } else {
            bytes.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1)
        };
        let bytes = &bytes[..whole];
        let text = std::str::from_utf8(bytes).ok()?;
        let mut pos = 0;
        while pos < bytes.len() {
            if pos >= limit {
                return Some((pos, true));
            }
            match line_end(bytes, pos) {
                Some(empty) => pos += empty,
                None => self.line(bytes, text, &mut pos)?,
            }
        }
        Some((pos, false))
    }

    /// One row, each cell parsed in one pass over its bytes.
    fn line(&mut self, bytes: &[u8], text: &str, pos: &mut usize) -> Option<()> {
        let (fields, specs, row) = (self.fields, self.specs, self.row);
        for (k, &field) in fields.iter().enumerate() {
            let start = *pos;
            let fast = match (field, self.columns.get_mut(field_input(field))) {
                (Field::Whole(_), Some(Column::Int(v))) => {
                    whole_at(bytes, pos).map(|x| v.push(x)).is_some()
                }
                (Field::Input(j), Some(Column::Bits(w))) if specs[j].ty == Ty::Bool => {
                    flag_at(bytes, pos, w, row)
                }
                _ => false,
            };
            if !fast {
                *pos = start;
                while let Some(&b) = bytes
                    .get(*pos)
                    .filter(|&&b| !matches!(b, b',' | b'\n' | b'\r'))
                {
                    if b == b'"' {
                        return None;
                    }
                    *pos += 1;
                }
                // Trimmed as the csv crate trims (Unicode whitespace).
                let cell = text.get(start..*pos)?.trim();
                match field {
                    Field::Id => self.ids.push(cell),
                    Field::Whole(j) | Field::Input(j) => {
                        push_cell(&mut self.columns[j], specs[j].ty, cell, row).ok()?
                    }
                    Field::Ignored => {}
                }
            }
            // A line with fewer or more fields than the header is for the
            // record reader to report.
            let last = k + 1 == fields.len();
            match bytes.get(*pos) {
                Some(b',') if !last => *pos += 1,
                None if last => {}
                Some(_) if last => *pos += line_end(bytes, *pos)?,
                _ => return None,
            }
        }
        self.row += 1;
        Some(())
    }

    pub(super) fn finish(self) -> Population {
        Population {
            ids: self.ids,
            columns: self.specs.iter().cloned().zip(self.columns).collect(),
        }
    }
}

fn field_input(field: Field) -> usize {
    match field {
        Field::Whole(j) | Field::Input(j) => j,
        Field::Id | Field::Ignored => usize::MAX,
    }
}

/// The length of the line end at `pos` (`\n` or `\r\n`), if there is one.
fn line_end(bytes: &[u8], pos: usize) -> Option<usize> {
    match bytes.get(pos..pos + 2) {
        Some(b"\r\n") => Some(2),
        _ => (bytes.get(pos) == Some(&b'\n')).then_some(1),
    }
}

/// A whole number that ends at a comma or line end, read from `pos` on;
/// `pos` is left after its last digit.
fn whole_at(bytes: &[u8], pos: &mut usize) -> Option<i64> {
    let mut p = *pos;
    let negative = bytes.get(p) == Some(&b'-');
    p += usize::from(negative);
    let first = p;
    let mut v = 0i64;
    while let Some(d) = bytes
        .get(p)
        .map(|b| b.wrapping_sub(b'0'))
        .filter(|d| *d <= 9)
    {
        if p - first == 18 {
            return None;
        }
        v = v * 10 + i64::from(d);
        p += 1;
    }
    let ends = matches!(bytes.get(p), None | Some(b',' | b'\n' | b'\r'));
    (p > first && ends).then(|| {
        *pos = p;
        if negative { -v } else { v }
    })
}

/// `true` or `false` ending at a comma or line end, onto the bits of row
/// `row`.
fn flag_at(bytes: &[u8], pos: &mut usize, words: &mut Vec<u64>, row: usize) -> bool {
    let rest = &bytes[*pos..];
    let (value, len) = if rest.starts_with(b"true") {
        (true, 4)
    } else if rest.starts_with(b"false") {
        (false, 5)
    } else {
        return false;
    };
    if !matches!(rest.get(len), None | Some(b',' | b'\n' | b'\r')) {
        return false;
    }
    push_bit(words, row, value);
    *pos += len;
    true
}

fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The parts' rows in order, in columns allocated once at their full size.
pub(super) fn join(parts: Vec<Population>) -> Option<Population> {
    let mut parts = parts.into_iter();
    let mut pop = parts.next()?;
    let rest: Vec<Population> = parts.collect();
    let rows: usize = rest.iter().map(Population::len).sum();
    let text: usize = rest.iter().map(|p| p.ids.text.len()).sum();
    pop.ids.text.reserve_exact(text);
    pop.ids.ends.reserve_exact(rows);
    for (_, c) in &mut pop.columns {
        match c {
            Column::Int(v) => v.reserve_exact(rows),
            Column::Bits(v) => v.reserve_exact(rows / 64 + 1),
            Column::Text(v) => v.reserve_exact(rows),
        }
    }
    for part in rest {
        append(&mut pop, part);
    }
    Some(pop)
}

/// `part`'s rows after `pop`'s.
fn append(pop: &mut Population, part: Population) {
    let rows = pop.len();
    let added = part.len();
    pop.ids.append(part.ids);
    for ((_, to), (_, from)) in pop.columns.iter_mut().zip(part.columns) {
        match (to, from) {
            (Column::Int(a), Column::Int(b)) => a.extend(b),
            (Column::Text(a), Column::Text(b)) => a.extend(b),
            (Column::Bits(a), Column::Bits(b)) => append_bits(a, rows, &b, added),
            _ => {}
        }
    }
}

/// Bits of `added` rows after the bits of `rows` rows; bits past the last
/// row stay zero.
fn append_bits(to: &mut Vec<u64>, rows: usize, from: &[u64], added: usize) {
    let shift = rows % 64;
    to.truncate(rows.div_ceil(64));
    let from = &from[..added.div_ceil(64)];
    if shift == 0 {
        to.extend_from_slice(from);
        return;
    }
    for &w in from {
        if let Some(last) = to.last_mut() {
            *last |= w << shift;
        }
        to.push(w >> (64 - shift));
    }
    to.truncate((rows + added).div_ceil(64));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_join_at_any_offset() {
        for rows in [0usize, 1, 63, 64, 65, 130] {
            for added in [0usize, 1, 63, 64, 65, 200] {
                let a: Vec<bool> = (0..rows).map(|i| i % 3 == 0).collect();
                let b: Vec<bool> = (0..added).map(|i| i % 5 != 1).collect();
                let pack = |v: &[bool]| {
                    let mut w = vec![0u64; v.len().div_ceil(64)];
                    for (i, &x) in v.iter().enumerate() {
                        w[i / 64] |= u64::from(x) << (i % 64);
                    }
                    w
                };
                let mut joined = pack(&a);
                append_bits(&mut joined, rows, &pack(&b), added);
                let want = pack(&[a, b].concat());
                assert_eq!(joined, want, "rows {rows}, added {added}");
            }
        }
    }

    #[test]
    fn parts_end_at_line_ends() {
        let body = b"1,a\n22,bb\n333,ccc\n4,d";
        for n in 1..6 {
            let parts = split(body, n);
            assert_eq!(parts.concat(), body.to_vec());
            let mut end = 0;
            for p in &parts {
                end += p.len();
                assert!(
                    end == body.len() || p.is_empty() || p.ends_with(b"\n"),
                    "{parts:?}"
                );
            }
        }
    }
}
