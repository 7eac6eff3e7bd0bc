//! A population CSV read from its file on all cores: each core reads its
//! own stretch of the file in small blocks into one buffer it reuses, so
//! the file is never in memory whole (a large file would need as much
//! memory again, and fresh memory is slow to hand out).

use super::Population;
use super::fast::{Part, header, join, rows_hint};
use crate::cores;
use crate::ir::ColumnSpec;
use std::fs::File;
use std::os::unix::fs::FileExt;

/// What one read asks for; a stretch is parsed a block at a time.
const BLOCK: usize = 1 << 18;
/// Below this many bytes one core reads the whole file.
const STRETCH: u64 = 1 << 20;
/// A line longer than this goes to the record reader.
const LONG_LINE: usize = 1 << 20;
/// The header line must end within this many bytes.
const HEADER: usize = 1 << 16;

/// `None` when the file is not the common kind (see the fast reader) or
/// changes while it is read: the caller then reads it record by record.
pub(super) fn read(file: &File, specs: &[ColumnSpec]) -> Option<Population> {
    let len = file.metadata().ok()?.len();
    let n = cores::count().min(usize::try_from(len / STRETCH).ok()? + 1);
    read_in_stretches(file, specs, n, BLOCK)
}

/// `n` stretches, read `block` bytes at a time.
pub(super) fn read_in_stretches(
    file: &File,
    specs: &[ColumnSpec],
    n: usize,
    block: usize,
) -> Option<Population> {
    let len = file.metadata().ok()?.len();
    let mut first = vec![0; HEADER.min(usize::try_from(len).ok()?)];
    file.read_exact_at(&mut first, 0).ok()?;
    let (fields, body_at) = header(&first, specs)?;
    let body = body_at as u64;
    // Core k takes the lines that begin in [from(k), from(k + 1)).
    let from = |k: usize| body + (len - body) * k as u64 / n as u64;
    let parsed = cores::each(n, |k| {
        let bytes = usize::try_from(from(k + 1) - from(k)).ok()?;
        let mut part = Part::new(&fields, specs, rows_hint(bytes, &first[body_at..]));
        stretch(file, (from(k), from(k + 1)), (body, len), block, &mut part)?;
        Some(part.finish())
    });
    join(parsed.into_iter().collect::<Option<_>>()?)
}

/// The lines that begin in `[from, to)` onto `part`. Past `from`, a line
/// begins after a line feed; the line that begins before `to` is read to
/// its end, past `to` when it runs on.
fn stretch(
    file: &File,
    (from, to): (u64, u64),
    (body, len): (u64, u64),
    block: usize,
    part: &mut Part,
) -> Option<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(2 * block);
    // The file offset of buf[0]. Unless the stretch starts the rows, look
    // from the byte before it for the line feed that ends someone else's
    // line.
    let mut at = if from > body { from - 1 } else { from };
    let mut seeking = from > body;
    loop {
        let have = buf.len();
        let want = block.min(usize::try_from(len.saturating_sub(at + have as u64)).ok()?);
        buf.resize(have + want, 0);
        file.read_exact_at(&mut buf[have..], at + have as u64)
            .ok()?;
        let end = at + buf.len() as u64 >= len;
        if seeking {
            match buf.iter().position(|&b| b == b'\n') {
                Some(p) => {
                    buf.drain(..=p);
                    at += p as u64 + 1;
                    seeking = false;
                }
                None if end => return Some(()),
                None => {
                    at += buf.len() as u64;
                    buf.clear();
                    continue;
                }
            }
        }
        let limit = usize::try_from(to.saturating_sub(at)).unwrap_or(usize::MAX);
        let (taken, reached) = part.lines(&buf, limit, end)?;
        if reached || end {
            return Some(());
        }
        // A line longer than a few blocks is not the common file; the
        // record reader takes it (looking for its end again and again
        // here would cost time squared).
        if taken == 0 && buf.len() > (4 * block).max(LONG_LINE) {
            return None;
        }
        buf.drain(..taken);
        at += taken as u64;
    }
}
