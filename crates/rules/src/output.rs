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
        w: impl Write,
    ) -> io::Result<()> {
        self.write_in_batches(results, ids, headers, w, BATCH)
    }

    fn write_in_batches(
        &self,
        results: &Results,
        ids: &Ids,
        headers: &[String],
        mut w: impl Write,
        batch: usize,
    ) -> io::Result<()> {
        w.write_all(b"id")?;
        for h in headers {
            w.write_all(b",")?;
            write_cell(&mut w, h)?;
        }
        w.write_all(b"\n")?;
        let rows = ids.len();
        let mut start = 0;
        while start < rows {
            let n = crate::cores::count().min((rows - start).div_ceil(batch));
            let part =
                |k: usize| (start + k * batch).min(rows)..(start + (k + 1) * batch).min(rows);
            for text in crate::cores::each(n, |k| Some(self.format_rows(results, ids, part(k)))) {
                let text = text.ok_or_else(|| io::Error::other("a formatting thread stopped"))?;
                w.write_all(&text)?;
            }
            start = part(n - 1).end;
        }
        w.flush()
    }

    /// `rows` as CSV lines.
    fn format_rows(&self, results: &Results, ids: &Ids, rows: Range<usize>) -> Vec<u8> {
        let mut out = Vec::with_capacity(rows.len() * (8 + 12 * results.columns.len()));
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
        out
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
    use crate::{Calculation, Population};
    use std::path::PathBuf;

    /// However the rows are cut into batches, the file is the same.
    #[test]
    fn batches_are_written_in_order() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../laws");
        let laws = crate::load_laws(&[dir]).unwrap_or_default();
        let day = time::macros::date!(2025 - 06 - 01);
        let wanted = [(
            "wet_op_de_zorgtoeslag".to_string(),
            "hoogte_zorgtoeslag".to_string(),
        )];
        let Ok(calc) = Calculation::new(&laws, day, &wanted) else {
            panic!("the zorgtoeslag compiles")
        };
        let mut csv = String::from(
            "id,toetsingsinkomen,heeft_toeslagpartner,is_verzekerde,partner_is_verzekerde,vermogen\n",
        );
        for i in 0..50 {
            csv.push_str(&format!("r{i},{},{},true,true,0\n", i * 90_000, i % 2 == 0));
        }
        let pop = Population::read_csv("t.csv", csv.as_bytes(), calc.inputs())
            .unwrap_or_else(|e| panic!("{e:?}"));
        let results = calc.evaluate(&pop).unwrap_or_else(|e| panic!("{e}"));
        let write = |batch| {
            let mut out = Vec::new();
            let headers = ["hoogte_zorgtoeslag".to_string()];
            calc.write_in_batches(&results, &pop.ids, &headers, &mut out, batch)
                .unwrap_or_else(|e| panic!("{e}"));
            String::from_utf8(out).unwrap_or_default()
        };
        let whole = write(1_000);
        assert_eq!(whole.lines().count(), 51);
        assert!(whole.starts_with("id,hoogte_zorgtoeslag\nr0,"), "{whole}");
        for batch in [1, 3, 7, 49, 50] {
            assert_eq!(write(batch), whole, "batches of {batch}");
        }
    }

    #[test]
    fn integers_are_written_like_display() {
        let mut b = super::itoa_buffer();
        for v in [0, 7, -7, 1_234_567, i64::MIN + 1, i64::MAX] {
            assert_eq!(super::itoa(&mut b, v), v.to_string().as_bytes());
        }
    }
}
