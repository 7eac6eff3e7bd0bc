//! Results as CSV: `id` and one column per output; numbers as integers
//! (or exact decimals), true/false, YYYY-MM-DD. The contract `rules eval`
//! keeps with the tools that read its output.

use crate::ir::Ty;
use crate::population::{Column, Ids, bit};
use crate::{Calculation, Results};
use std::io::{self, Write};
use std::ops::Range;

/// Rows one core formats at a time.
const BATCH: usize = 1 << 16;

impl Calculation {
    /// Writes every row of `results`; `headers` names the output columns.
    /// The cores format batches of rows side by side; the batches are
    /// written in order.
    pub fn write_csv(
        &self,
        results: &Results,
        ids: &Ids,
        headers: &[String],
        mut w: impl Write,
    ) -> io::Result<()> {
        w.write_all(b"id")?;
        for h in headers {
            w.write_all(b",")?;
            write_cell(&mut w, h)?;
        }
        w.write_all(b"\n")?;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let rows = ids.len();
        // One buffer per core, used again for every batch: fresh memory for
        // the whole text would cost more than formatting it.
        let mut texts: Vec<Vec<u8>> = vec![Vec::new(); cores];
        let mut start = 0;
        while start < rows {
            let batch =
                |k: usize| (start + k * BATCH).min(rows)..(start + (k + 1) * BATCH).min(rows);
            std::thread::scope(|s| {
                for (k, text) in texts.iter_mut().enumerate() {
                    let rows = batch(k);
                    s.spawn(move || self.format_rows(results, ids, rows, text));
                }
            });
            for t in &texts {
                w.write_all(t)?;
            }
            start = batch(cores - 1).end;
        }
        w.flush()
    }

    /// `rows` as CSV lines into `text`, which is emptied first.
    fn format_rows(&self, results: &Results, ids: &Ids, rows: Range<usize>, text: &mut Vec<u8>) {
        // A local vector: through the reference each push would reload it.
        let mut out = std::mem::take(text);
        out.clear();
        let mut digits = itoa_buffer();
        for row in rows {
            // Writing into a Vec cannot fail.
            let _ = write_cell(&mut out, ids.get(row).unwrap_or_default());
            for (o, column) in results.columns.iter().enumerate() {
                out.push(b',');
                match (column, results.tys[o]) {
                    (Column::Int(v), Ty::Num(1)) => {
                        out.extend_from_slice(itoa(&mut digits, v[row]))
                    }
                    (Column::Bits(b), _) => {
                        out.extend_from_slice(if bit(b, row) { b"true" } else { b"false" })
                    }
                    _ => {
                        let _ = write_cell(&mut out, &self.show(results.value(o, row)));
                    }
                }
            }
            out.push(b'\n');
        }
        *text = out;
    }
}

fn write_cell(w: &mut impl Write, text: &str) -> io::Result<()> {
    if text.contains([',', '"', '\n', '\r']) {
        write!(w, "\"{}\"", text.replace('"', "\"\""))
    } else {
        w.write_all(text.as_bytes())
    }
}

fn itoa_buffer() -> [u8; 20] {
    [0; 20]
}

/// An i64 in decimal without allocating: a million rows each need one.
fn itoa(buf: &mut [u8; 20], v: i64) -> &[u8] {
    let mut n = v.unsigned_abs();
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    &buf[i..]
}

#[cfg(test)]
mod tests {
    #[test]
    fn integers_are_written_like_display() {
        let mut b = super::itoa_buffer();
        for v in [0, 7, -7, 1_234_567, i64::MIN + 1, i64::MAX] {
            assert_eq!(super::itoa(&mut b, v), v.to_string().as_bytes());
        }
    }
}
