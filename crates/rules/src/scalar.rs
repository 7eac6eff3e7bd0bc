//! The calculation for one resident, on exact fractions: what an
//! explanation shows, what constant folding uses, and the reference the
//! column evaluator is tested against. It shares the compiled graph with
//! the column evaluator, but not its arithmetic.

use crate::dates;
use crate::expr::{Compare, DateUnit};
use crate::ir::{Op, Ty};
use crate::number::Ratio;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    Num(Ratio),
    Bool(bool),
    Date(i64),
    Text(i64),
}

impl Value {
    /// A stored integer in a type's representation, as a value.
    pub fn from_repr(ty: Ty, v: i64) -> Value {
        match ty {
            Ty::Num(den) => Value::Num(Ratio::new(v.into(), den.into()).unwrap_or(Ratio::ZERO)),
            Ty::Bool => Value::Bool(v != 0),
            Ty::Date => Value::Date(v),
            Ty::Text => Value::Text(v),
        }
    }

    /// Back to the representation of `ty`; `None` if it does not fit.
    pub fn to_repr(self, ty: Ty) -> Option<i64> {
        match (self, ty) {
            (Value::Num(r), Ty::Num(den)) => r.over(den.into()).and_then(|n| i64::try_from(n).ok()),
            (Value::Bool(b), Ty::Bool) => Some(i64::from(b)),
            (Value::Date(d), Ty::Date) | (Value::Text(d), Ty::Text) => Some(d),
            _ => None,
        }
    }

    fn num(self) -> Result<Ratio, CalcError> {
        match self {
            Value::Num(r) => Ok(r),
            _ => Err(CalcError::Expected("a number")),
        }
    }

    fn int(self) -> Result<i64, CalcError> {
        let r = self.num()?;
        if !r.is_integer() {
            return Err(CalcError::NotWhole(r.to_string()));
        }
        i64::try_from(r.num()).map_err(|_| CalcError::Overflow)
    }

    fn bool(self) -> Result<bool, CalcError> {
        match self {
            Value::Bool(b) => Ok(b),
            _ => Err(CalcError::Expected("true/false")),
        }
    }

    fn day(self) -> Result<i64, CalcError> {
        match self {
            Value::Date(d) => Ok(d),
            _ => Err(CalcError::Expected("a date")),
        }
    }
}

/// Why an operation has no value; shown to whoever runs the laws.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CalcError {
    #[error("expected {0}")]
    Expected(&'static str),
    #[error("expected a whole number, got {0}")]
    NotWhole(String),
    #[error("the numbers grow beyond exact arithmetic")]
    Overflow,
    #[error("division by zero")]
    DivisionByZero,
    #[error("missing operand")]
    MissingOperand,
    #[error("a column has no value of its own")]
    Column,
    #[error("{0}-{1}-{2} is not a date")]
    NoSuchDate(i64, i64, i64),
    #[error("these values cannot be compared")]
    Incomparable,
}

const OVERFLOW: CalcError = CalcError::Overflow;

/// One operation on values.
pub fn apply(op: Op, ty: Ty, args: &[Value]) -> Result<Value, CalcError> {
    let a = |i: usize| args.get(i).copied().ok_or(CalcError::MissingOperand);
    Ok(match op {
        Op::Const(v) => Value::from_repr(ty, v),
        Op::Column(_) => return Err(CalcError::Column),
        // A change of representation only: the value stays.
        Op::Scale(_) => a(0)?,
        Op::Add => Value::Num(a(0)?.num()?.checked_add(a(1)?.num()?).ok_or(OVERFLOW)?),
        Op::Sub => Value::Num(a(0)?.num()?.checked_sub(a(1)?.num()?).ok_or(OVERFLOW)?),
        Op::Mul => Value::Num(a(0)?.num()?.checked_mul(a(1)?.num()?).ok_or(OVERFLOW)?),
        Op::Min => Value::Num(a(0)?.num()?.min(a(1)?.num()?)),
        Op::Max => Value::Num(a(0)?.num()?.max(a(1)?.num()?)),
        Op::DivRound(mode, p) => {
            let q = a(0)?
                .num()?
                .checked_div(a(1)?.num()?)
                .ok_or(CalcError::DivisionByZero)?;
            Value::Num(q.round(mode, p).ok_or(OVERFLOW)?)
        }
        Op::Round(mode, p) => Value::Num(a(0)?.num()?.round(mode, p).ok_or(OVERFLOW)?),
        Op::Cmp(c) => Value::Bool(compare(c, a(0)?, a(1)?)?),
        Op::And => Value::Bool(a(0)?.bool()? && a(1)?.bool()?),
        Op::Or => Value::Bool(a(0)?.bool()? || a(1)?.bool()?),
        Op::Not => Value::Bool(!a(0)?.bool()?),
        Op::Select => {
            if a(0)?.bool()? {
                a(1)?
            } else {
                a(2)?
            }
        }
        Op::Age => Value::Num(Ratio::int(dates::age(a(0)?.day()?, a(1)?.day()?))),
        Op::DateAdd => {
            let n = |i| a(i).and_then(Value::int);
            Value::Date(dates::add(a(0)?.day()?, n(1)?, n(2)?, n(3)?, n(4)?))
        }
        Op::DateMake => {
            let (y, m, d) = (a(0)?.int()?, a(1)?.int()?, a(2)?.int()?);
            Value::Date(dates::make(y, m, d).ok_or(CalcError::NoSuchDate(y, m, d))?)
        }
        Op::DayOfWeek => Value::Num(Ratio::int(dates::day_of_week(a(0)?.day()?))),
        Op::DateDiff(unit) => {
            let (from, to) = (a(0)?.day()?, a(1)?.day()?);
            Value::Num(Ratio::int(match unit {
                DateUnit::Days => to - from,
                DateUnit::Months => dates::months_between(from, to),
                DateUnit::Years => dates::months_between(from, to) / 12,
            }))
        }
        Op::DatePart(part) => {
            let (y, m, d) = dates::civil_from_days(a(0)?.day()?);
            Value::Num(Ratio::int([y, m, d][usize::from(part.min(2))]))
        }
    })
}

fn compare(c: Compare, l: Value, r: Value) -> Result<bool, CalcError> {
    use std::cmp::Ordering;
    let ord: Ordering = match (l, r) {
        (Value::Num(a), Value::Num(b)) => a.cmp(&b),
        (Value::Date(a), Value::Date(b)) => a.cmp(&b),
        (Value::Bool(a), Value::Bool(b)) if c == Compare::Equals => return Ok(a == b),
        (Value::Text(a), Value::Text(b)) if c == Compare::Equals => return Ok(a == b),
        _ => return Err(CalcError::Incomparable),
    };
    Ok(match c {
        Compare::Equals => ord == Ordering::Equal,
        Compare::GreaterThan => ord == Ordering::Greater,
        Compare::LessThan => ord == Ordering::Less,
        Compare::GreaterOrEqual => ord != Ordering::Less,
        Compare::LessOrEqual => ord != Ordering::Greater,
    })
}
