//! One operation over one chunk. Loops are plain and branch-free where
//! they can be, so the compiler vectorises them; overflow is collected per
//! loop and located only when it happened.

use super::{Src, WORDS, Worker};
use crate::dates;
use crate::expr::{Compare, DateUnit};
use crate::ir::{Ir, NodeId, Op, Ty};
use crate::number::{Rounding, div_rounded};
use crate::population::{Column, bit};

type Fault = Option<(usize, String)>;
const OVERFLOW: &str = "the numbers grow beyond exact 64-bit arithmetic";

fn den(ir: &Ir, n: NodeId) -> i128 {
    match ir.nodes[n].ty {
        Ty::Num(d) => d.into(),
        _ => 1,
    }
}

/// `f` over every row; the first row where it fails.
fn each(out: &mut [i64], f: impl Fn(usize) -> Option<i64>) -> Fault {
    for (i, o) in out.iter_mut().enumerate() {
        match f(i) {
            Some(v) => *o = v,
            None => return Some((i, OVERFLOW.to_string())),
        }
    }
    None
}

/// A checked binary operation: wrapping results with an overflow flag in
/// the hot loop; the row is looked for only if the flag is set.
fn binary(out: &mut [i64], a: &[i64], b: &[i64], f: impl Fn(i64, i64) -> (i64, bool)) -> Fault {
    let mut overflow = false;
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        let (v, of) = f(x, y);
        *o = v;
        overflow |= of;
    }
    if overflow {
        let i = a.iter().zip(b).position(|(&x, &y)| f(x, y).1).unwrap_or(0);
        return Some((i, OVERFLOW.to_string()));
    }
    None
}

/// `x × k` for every row, checked.
fn binary_const(out: &mut [i64], a: &[i64], k: i64) -> Fault {
    let mut overflow = false;
    for (o, &x) in out.iter_mut().zip(a) {
        let (v, of) = x.overflowing_mul(k);
        *o = v;
        overflow |= of;
    }
    overflow.then(|| {
        (
            a.iter()
                .position(|x| x.checked_mul(k).is_none())
                .unwrap_or(0),
            OVERFLOW.to_string(),
        )
    })
}

impl Worker {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn int_step(
        &self,
        op: Op,
        _ty: Ty,
        args: &[Src],
        out: &mut [i64],
        inputs: &[&Column],
        texts: &[Option<Vec<i64>>],
        start: usize,
        ir: &Ir,
        node: NodeId,
    ) -> Fault {
        let len = out.len();
        let a = |i: usize| &self.int(args[i])[..len];
        let arg_node = |i: usize| ir.nodes[node].args[i];
        match op {
            Op::Column(c) => match (inputs[c], &texts[c]) {
                (_, Some(codes)) => out.copy_from_slice(&codes[start..start + len]),
                (Column::Int(v), _) => out.copy_from_slice(&v[start..start + len]),
                _ => return Some((0, "internal: column of the wrong kind".into())),
            },
            Op::Scale(k) => return binary_const(out, a(0), k),
            Op::Add => return binary(out, a(0), a(1), i64::overflowing_add),
            Op::Sub => return binary(out, a(0), a(1), i64::overflowing_sub),
            Op::Mul => return binary(out, a(0), a(1), i64::overflowing_mul),
            Op::Min => return binary(out, a(0), a(1), |x, y| (x.min(y), false)),
            Op::Max => return binary(out, a(0), a(1), |x, y| (x.max(y), false)),
            Op::Round(mode, p) => {
                let d = den(ir, arg_node(0));
                let pow = 10i128.pow(p.unsigned_abs());
                let x = a(0);
                if p >= 0 && round_i64(out, x, pow, d, mode) {
                    return None;
                }
                return each(out, |i| {
                    let v = if p >= 0 {
                        div_rounded(i128::from(x[i]) * pow, d, mode)
                    } else {
                        div_rounded(i128::from(x[i]), d * pow, mode) * pow
                    };
                    i64::try_from(v).ok()
                });
            }
            Op::DivRound(mode, p) => {
                let (da, db) = (den(ir, arg_node(0)), den(ir, arg_node(1)));
                let pow = 10i128.pow(p.unsigned_abs());
                let (x, y) = (a(0), a(1));
                if let Some(i) = y.iter().position(|&v| v == 0) {
                    return Some((i, "division by zero".into()));
                }
                return each(out, |i| {
                    let (mut n, mut d) = (
                        i128::from(x[i]).checked_mul(db)?,
                        da.checked_mul(i128::from(y[i]))?,
                    );
                    if d < 0 {
                        n = -n;
                        d = -d;
                    }
                    let v = if p >= 0 {
                        div_rounded(n.checked_mul(pow)?, d, mode)
                    } else {
                        div_rounded(n, d.checked_mul(pow)?, mode).checked_mul(pow)?
                    };
                    i64::try_from(v).ok()
                });
            }
            Op::Select => {
                let c = self.words(args[0]);
                let (t, e) = (a(1), a(2));
                for (i, o) in out.iter_mut().enumerate() {
                    *o = if bit(c, i) { t[i] } else { e[i] };
                }
            }
            Op::Age => {
                let (b, r) = (a(0), a(1));
                for (i, o) in out.iter_mut().enumerate() {
                    *o = dates::age(b[i], r[i]);
                }
            }
            Op::DateAdd => {
                let (d, y, m, w, dd) = (a(0), a(1), a(2), a(3), a(4));
                for (i, o) in out.iter_mut().enumerate() {
                    *o = dates::add(d[i], y[i], m[i], w[i], dd[i]);
                }
            }
            Op::DateMake => {
                let (y, m, d) = (a(0), a(1), a(2));
                for (i, o) in out.iter_mut().enumerate() {
                    match dates::make(y[i], m[i], d[i]) {
                        Some(v) => *o = v,
                        None => {
                            return Some((i, format!("{}-{}-{} is not a date", y[i], m[i], d[i])));
                        }
                    }
                }
            }
            Op::DayOfWeek => {
                let d = a(0);
                for (i, o) in out.iter_mut().enumerate() {
                    *o = dates::day_of_week(d[i]);
                }
            }
            Op::DateDiff(unit) => {
                let (f, t) = (a(0), a(1));
                for (i, o) in out.iter_mut().enumerate() {
                    *o = match unit {
                        DateUnit::Days => t[i] - f[i],
                        DateUnit::Months => dates::months_between(f[i], t[i]),
                        DateUnit::Years => dates::months_between(f[i], t[i]) / 12,
                    };
                }
            }
            Op::DatePart(part) => {
                let d = a(0);
                for (i, o) in out.iter_mut().enumerate() {
                    let (y, m, dd) = dates::civil_from_days(d[i]);
                    *o = [y, m, dd][usize::from(part.min(2))];
                }
            }
            Op::Const(_) | Op::Cmp(_) | Op::And | Op::Or | Op::Not => {
                return Some((0, "internal: not a number operation".into()));
            }
        }
        None
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn bit_step(
        &self,
        op: Op,
        args: &[Src],
        out: &mut [u64],
        inputs: &[&Column],
        start: usize,
        len: usize,
        _ir: &Ir,
        _node: NodeId,
    ) -> Fault {
        let words = len.div_ceil(64).min(WORDS);
        let w = |i: usize| &self.words(args[i])[..words];
        match op {
            Op::Column(c) => match inputs[c] {
                Column::Bits(v) => {
                    let from = start / 64;
                    out[..words].copy_from_slice(&v[from..from + words]);
                }
                _ => return Some((0, "internal: column of the wrong kind".into())),
            },
            Op::And => {
                for (o, (x, y)) in out.iter_mut().zip(w(0).iter().zip(w(1))) {
                    *o = x & y;
                }
            }
            Op::Or => {
                for (o, (x, y)) in out.iter_mut().zip(w(0).iter().zip(w(1))) {
                    *o = x | y;
                }
            }
            Op::Not => {
                for (o, x) in out.iter_mut().zip(w(0)) {
                    *o = !x;
                }
            }
            Op::Select => {
                let (c, t, e) = (w(0), w(1), w(2));
                for (i, o) in out[..words].iter_mut().enumerate() {
                    *o = (c[i] & t[i]) | (!c[i] & e[i]);
                }
            }
            Op::Scale(_) => out[..words].copy_from_slice(w(0)),
            Op::Cmp(c) => match args[0] {
                // True/false: only EQUALS.
                Src::Bits(_) => {
                    for (o, (x, y)) in out.iter_mut().zip(w(0).iter().zip(w(1))) {
                        *o = !(x ^ y);
                    }
                }
                Src::Int(_) => {
                    let (x, y) = (&self.int(args[0])[..len], &self.int(args[1])[..len]);
                    compare_into(c, x, y, &mut out[..words]);
                }
            },
            _ => return Some((0, "internal: not a true/false operation".into())),
        }
        None
    }
}

/// `x × pow / d` rounded, for every row, in 64-bit arithmetic; false when
/// a row needs more (the caller then takes 128 bits). The common case: a
/// law's amount rounded to whole cents.
fn round_i64(out: &mut [i64], x: &[i64], pow: i128, d: i128, mode: Rounding) -> bool {
    let (Ok(pow), Ok(d)) = (i64::try_from(pow), u64::try_from(d)) else {
        return false;
    };
    let mut overflow = false;
    for (o, &v) in out.iter_mut().zip(x) {
        let (n, of) = v.overflowing_mul(pow);
        overflow |= of | (n == i64::MIN);
        let (m, negative) = (n.unsigned_abs(), n < 0);
        // Magnitude rounded in the direction the mode asks for this sign.
        let up = match (mode, negative) {
            (Rounding::Round, _) => d / 2,
            (Rounding::Floor, true) | (Rounding::Ceil, false) => d - 1,
            (Rounding::Floor, false) | (Rounding::Ceil, true) => 0,
        };
        let q = ((m + up) / d) as i64;
        *o = if negative { -q } else { q };
    }
    !overflow
}

/// Packs 64 comparisons a word.
fn compare_into(c: Compare, x: &[i64], y: &[i64], out: &mut [u64]) {
    let f: fn(i64, i64) -> bool = match c {
        Compare::Equals => |a, b| a == b,
        Compare::GreaterThan => |a, b| a > b,
        Compare::LessThan => |a, b| a < b,
        Compare::GreaterOrEqual => |a, b| a >= b,
        Compare::LessOrEqual => |a, b| a <= b,
    };
    for (wi, o) in out.iter_mut().enumerate() {
        let base = wi * 64;
        let end = (base + 64).min(x.len());
        let mut word = 0u64;
        for i in base..end {
            word |= u64::from(f(x[i], y[i])) << (i - base);
        }
        *o = word;
    }
}
