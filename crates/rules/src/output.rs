//! Results as CSV: `id` and one column per output; numbers as integers
//! (or exact decimals), true/false, YYYY-MM-DD. The contract `rules eval`
//! keeps with the tools that read its output.

use crate::ir::Ty;
use crate::population::{Column, bit};
use crate::{Calculation, Results};
use std::io::{self, Write};

impl Calculation {
    /// Writes every row of `results`; `headers` names the output columns.
    pub fn write_csv(
        &self,
        results: &Results,
        ids: &[String],
        headers: &[String],
        mut w: impl Write,
    ) -> io::Result<()> {
        w.write_all(b"id")?;
        for h in headers {
            w.write_all(b",")?;
            write_cell(&mut w, h)?;
        }
        w.write_all(b"\n")?;
        let mut digits = itoa_buffer();
        for (row, id) in ids.iter().enumerate() {
            write_cell(&mut w, id)?;
            for (o, column) in results.columns.iter().enumerate() {
                w.write_all(b",")?;
                match (column, results.tys[o]) {
                    (Column::Int(v), Ty::Num(1)) => w.write_all(itoa(&mut digits, v[row]))?,
                    (Column::Bits(b), _) => {
                        w.write_all(if bit(b, row) { b"true" } else { b"false" })?
                    }
                    _ => write_cell(&mut w, &self.show(results.value(o, row)))?,
                }
            }
            w.write_all(b"\n")?;
        }
        w.flush()
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
