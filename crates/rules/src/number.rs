//! Exact numbers: a reduced fraction of two i128s. Law constants (0.01896),
//! single-resident explanations and constant folding use it; the column
//! evaluator keeps i64 numerators over a denominator fixed per column.

use std::cmp::Ordering;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ratio {
    num: i128,
    den: i128,
}

/// How ROUND, CEIL and FLOOR go to their precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rounding {
    /// Half away from zero ("rekenkundig afronden").
    Round,
    Ceil,
    Floor,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// `n / d` rounded as `mode` says; `d > 0`.
pub(crate) fn div_rounded(n: i128, d: i128, mode: Rounding) -> i128 {
    let q = n.div_euclid(d); // floor, as d > 0
    let r = n.rem_euclid(d);
    match mode {
        Rounding::Floor => q,
        Rounding::Ceil => q + i128::from(r != 0),
        Rounding::Round => {
            // Half away from zero: compare twice the remainder with d.
            let twice = 2 * r;
            if twice > d || (twice == d && n >= 0) {
                q + 1
            } else {
                q
            }
        }
    }
}

impl Ratio {
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };

    pub fn int(v: i64) -> Ratio {
        Ratio {
            num: i128::from(v),
            den: 1,
        }
    }

    /// `num / den`, reduced; `None` when `den` is 0.
    pub fn new(num: i128, den: i128) -> Option<Ratio> {
        if den == 0 {
            return None;
        }
        let g = gcd(num, den).max(1);
        let s = if den < 0 { -1 } else { 1 };
        Some(Ratio {
            num: s * num / g,
            den: s * den / g,
        })
    }

    pub fn num(self) -> i128 {
        self.num
    }

    pub fn den(self) -> i128 {
        self.den
    }

    /// A decimal literal as YAML writes it: "0.01896", "-.5", "1.5e3".
    pub fn parse_decimal(s: &str) -> Option<Ratio> {
        let (mantissa, exp) = match s.find(['e', 'E']) {
            Some(i) => (
                &s[..i],
                s[i + 1..].trim_start_matches('+').parse::<i32>().ok()?,
            ),
            None => (s, 0),
        };
        let negative = mantissa.starts_with('-');
        let digits = mantissa.trim_start_matches(['-', '+']);
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let all: String = format!("{int}{frac}");
        let mut num: i128 = if all.is_empty() { 0 } else { all.parse().ok()? };
        if negative {
            num = -num;
        }
        let scale = exp - frac.len() as i32;
        let pow = 10i128.checked_pow(scale.unsigned_abs())?;
        if scale >= 0 {
            Ratio::new(num.checked_mul(pow)?, 1)
        } else {
            Ratio::new(num, pow)
        }
    }

    pub fn checked_add(self, o: Ratio) -> Option<Ratio> {
        let num = self
            .num
            .checked_mul(o.den)?
            .checked_add(o.num.checked_mul(self.den)?)?;
        Ratio::new(num, self.den.checked_mul(o.den)?)
    }

    pub fn checked_sub(self, o: Ratio) -> Option<Ratio> {
        self.checked_add(Ratio {
            num: -o.num,
            den: o.den,
        })
    }

    pub fn checked_mul(self, o: Ratio) -> Option<Ratio> {
        Ratio::new(self.num.checked_mul(o.num)?, self.den.checked_mul(o.den)?)
    }

    /// `None` when dividing by zero or overflowing.
    pub fn checked_div(self, o: Ratio) -> Option<Ratio> {
        Ratio::new(self.num.checked_mul(o.den)?, self.den.checked_mul(o.num)?)
    }

    /// Rounded to `precision` decimals (negative: to tens, hundreds, ...).
    pub fn round(self, mode: Rounding, precision: i32) -> Option<Ratio> {
        let pow = 10i128.checked_pow(precision.unsigned_abs())?;
        if precision >= 0 {
            Ratio::new(div_rounded(self.num.checked_mul(pow)?, self.den, mode), pow)
        } else {
            Ratio::new(
                div_rounded(self.num, self.den.checked_mul(pow)?, mode).checked_mul(pow)?,
                1,
            )
        }
    }

    /// The numerator over `den`, when this is exactly such a fraction.
    pub fn over(self, den: i128) -> Option<i128> {
        let scaled = self.num.checked_mul(den)?;
        (scaled % self.den == 0).then(|| scaled / self.den)
    }

    pub fn is_integer(self) -> bool {
        self.den == 1
    }
}

impl Ord for Ratio {
    fn cmp(&self, o: &Ratio) -> Ordering {
        // Denominators are positive; widen through i128 products that fit
        // for the magnitudes laws use, else fall back to comparing floors.
        match (self.num.checked_mul(o.den), o.num.checked_mul(self.den)) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => (
                self.num.div_euclid(self.den),
                self.num.rem_euclid(self.den) * o.den,
            )
                .cmp(&(o.num.div_euclid(o.den), o.num.rem_euclid(o.den) * self.den)),
        }
    }
}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, o: &Ratio) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

/// Decimal notation when the fraction has one (1/8 → 0.125), else "a/b".
impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = self.den;
        let mut places = 0u32;
        for p in [2i128, 5] {
            while d % p == 0 {
                d /= p;
            }
        }
        if d != 1 {
            return write!(f, "{}/{}", self.num, self.den);
        }
        while 10i128.pow(places) % self.den != 0 {
            places += 1;
        }
        let scaled = self.num * (10i128.pow(places) / self.den);
        let sign = if scaled < 0 { "-" } else { "" };
        let a = scaled.unsigned_abs();
        let p = 10u128.pow(places);
        if places == 0 {
            write!(f, "{sign}{a}")
        } else {
            write!(
                f,
                "{sign}{}.{:0width$}",
                a / p,
                a % p,
                width = places as usize
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn decimals_are_read_exactly() {
        assert_eq!(Ratio::parse_decimal("0.01896"), Ratio::new(1896, 100_000));
        assert_eq!(Ratio::parse_decimal("-.5"), Ratio::new(-1, 2));
        assert_eq!(Ratio::parse_decimal("1.5e3"), Some(Ratio::int(1500)));
        assert_eq!(Ratio::parse_decimal("25e-2"), Ratio::new(1, 4));
        assert_eq!(
            Ratio::parse_decimal("0.01896").unwrap().to_string(),
            "0.01896"
        );
        assert_eq!(Ratio::new(1, 3).unwrap().to_string(), "1/3");
    }

    #[test]
    fn rounding_follows_the_mode_also_below_zero() {
        let r = |n, d| Ratio::new(n, d).unwrap();
        assert_eq!(r(5, 2).round(Rounding::Round, 0), Some(Ratio::int(3)));
        assert_eq!(r(-5, 2).round(Rounding::Round, 0), Some(Ratio::int(-3)));
        assert_eq!(r(-5, 2).round(Rounding::Floor, 0), Some(Ratio::int(-3)));
        assert_eq!(r(-5, 2).round(Rounding::Ceil, 0), Some(Ratio::int(-2)));
        assert_eq!(
            Ratio::int(12_345).round(Rounding::Round, -2),
            Some(Ratio::int(12_300))
        );
        assert_eq!(
            Ratio::int(12_350).round(Rounding::Round, -2),
            Some(Ratio::int(12_400))
        );
    }

    proptest! {
        #[test]
        fn rounding_lands_within_one_step(n in -1_000_000_000i64..1_000_000_000, d in 1i64..100_000, p in -3i32..4) {
            let x = Ratio::new(n.into(), d.into()).unwrap();
            let step = Ratio::new(1, 10i128.pow(p.unsigned_abs())).unwrap();
            let step = if p >= 0 { step } else { Ratio::int(10i64.pow(p.unsigned_abs())) };
            let f = x.round(Rounding::Floor, p).unwrap();
            let c = x.round(Rounding::Ceil, p).unwrap();
            let r = x.round(Rounding::Round, p).unwrap();
            prop_assert!(f <= x && x <= c);
            prop_assert!(c.checked_sub(f).unwrap() <= step);
            prop_assert!(r == f || r == c);
        }
    }
}
