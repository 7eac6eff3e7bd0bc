//! Operations as a law writes them (schema `operationValue`), read into a
//! tree; each node keeps its path in the file.

use crate::error::Problem;
use crate::law::{Cx, DefValue, OPERATIONS, parse_date};
use crate::number::{Ratio, Rounding};
use crate::source::{self, Scalar};
use marked_yaml::Node;
use marked_yaml::types::MarkedMappingNode;

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub path: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Arith {
    Add,
    Subtract,
    Multiply,
    Divide,
    Min,
    Max,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Compare {
    Equals,
    GreaterThan,
    LessThan,
    GreaterOrEqual,
    LessOrEqual,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateUnit {
    Days,
    Months,
    Years,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Literal(DefValue),
    /// `$name`, or `$name.part` (year, month, day of a date).
    Var {
        name: String,
        part: Option<String>,
    },
    Arith(Arith, Vec<Expr>),
    /// AND (true) or OR (false).
    Logic {
        and: bool,
        conditions: Vec<Expr>,
    },
    Compare(Compare, Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Round(Rounding, Box<Expr>, i32),
    If {
        cases: Vec<(Expr, Expr)>,
        default: Option<Box<Expr>>,
    },
    In(Box<Expr>, Vec<Expr>),
    List(Vec<Expr>),
    Age {
        birth: Box<Expr>,
        at: Box<Expr>,
    },
    DateAdd {
        date: Box<Expr>,
        years: Option<Box<Expr>>,
        months: Option<Box<Expr>>,
        weeks: Option<Box<Expr>>,
        days: Option<Box<Expr>>,
    },
    Date {
        year: Box<Expr>,
        month: Box<Expr>,
        day: Box<Expr>,
    },
    DayOfWeek(Box<Expr>),
    DateDiff {
        from: Box<Expr>,
        to: Box<Expr>,
        unit: DateUnit,
    },
}

/// Reads an operation value at `path`.
pub(crate) fn read(cx: &mut Cx, node: &Node, path: &str) -> Option<Expr> {
    let kind = match node {
        Node::Scalar(s) => {
            match source::scalar(s) {
                Scalar::Null => {
                    cx.fail(path, Problem::Unsupported("null has no value to calculate with; give a number, true/false, text or a date".into()));
                    return None;
                }
                Scalar::Bool(b) => ExprKind::Literal(DefValue::Bool(b)),
                Scalar::Int(i) => ExprKind::Literal(DefValue::Number(Ratio::int(i))),
                Scalar::Decimal(d) => match Ratio::parse_decimal(d) {
                    Some(r) => ExprKind::Literal(DefValue::Number(r)),
                    None => {
                        cx.fail(path, Problem::Unsupported(format!("the number {d} is too large or too precise to calculate with exactly")));
                        return None;
                    }
                },
                Scalar::Str(t) => match t.strip_prefix('$') {
                    Some(var) => {
                        let (name, part) = match var.split_once('.') {
                            Some((n, p)) => (n.to_string(), Some(p.to_string())),
                            None => (var.to_string(), None),
                        };
                        ExprKind::Var { name, part }
                    }
                    None => match parse_date(t) {
                        Some(d) => ExprKind::Literal(DefValue::Date(d)),
                        None => ExprKind::Literal(DefValue::Text(t.to_string())),
                    },
                },
            }
        }
        Node::Sequence(seq) => ExprKind::List(
            seq.iter()
                .enumerate()
                .map(|(i, n)| read(cx, n, &format!("{path}/{i}")))
                .collect::<Option<_>>()?,
        ),
        Node::Mapping(m) => return read_operation(cx, m, path),
    };
    Some(Expr {
        kind,
        path: path.to_string(),
    })
}

fn read_operation(cx: &mut Cx, m: &MarkedMappingNode, path: &str) -> Option<Expr> {
    let Some(op) = m.get_scalar("operation").map(|s| s.as_str().to_string()) else {
        cx.fail(
            path,
            Problem::Unsupported("an operation needs an \"operation\" key".into()),
        );
        return None;
    };
    let mut r = Reader { cx, m, path };
    let kind = match op.as_str() {
        "ADD" | "SUBTRACT" | "MULTIPLY" | "DIVIDE" | "MIN" | "MAX" => {
            ExprKind::Arith(arith(&op)?, r.list("values")?)
        }
        "AND" | "OR" => ExprKind::Logic {
            and: op == "AND",
            conditions: r.list("conditions")?,
        },
        "EQUALS"
        | "GREATER_THAN"
        | "LESS_THAN"
        | "GREATER_THAN_OR_EQUAL"
        | "LESS_THAN_OR_EQUAL" => {
            ExprKind::Compare(compare(&op)?, r.one("subject")?, r.one("value")?)
        }
        "NOT" => ExprKind::Not(r.one("value")?),
        "ROUND" | "CEIL" | "FLOOR" => {
            ExprKind::Round(rounding(&op)?, r.one("value")?, r.precision()?)
        }
        "IF" => r.if_cases()?,
        "IN" => {
            let subject = r.one("subject")?;
            let values = if r.m.get_node("values").is_some() {
                r.list("values")?
            } else {
                vec![*r.one("value")?]
            };
            ExprKind::In(subject, values)
        }
        "LIST" => ExprKind::List(r.list("items")?),
        "AGE" => ExprKind::Age {
            birth: r.one("date_of_birth")?,
            at: r.one("reference_date")?,
        },
        "DATE_ADD" => ExprKind::DateAdd {
            date: r.one("date")?,
            years: r.optional("years")?,
            months: r.optional("months")?,
            weeks: r.optional("weeks")?,
            days: r.optional("days")?,
        },
        "DATE" => ExprKind::Date {
            year: r.one("year")?,
            month: r.one("month")?,
            day: r.one("day")?,
        },
        "DAY_OF_WEEK" => ExprKind::DayOfWeek(r.one("date")?),
        "DATE_DIFF" => {
            let unit = match r.m.get_scalar("in").map(|s| s.as_str()) {
                Some("days") => DateUnit::Days,
                Some("months") => DateUnit::Months,
                Some("years") => DateUnit::Years,
                _ => {
                    r.cx.fail(
                        &format!("{path}/in"),
                        Problem::Unsupported(
                            "DATE_DIFF needs \"in\": days, months or years".into(),
                        ),
                    );
                    return None;
                }
            };
            ExprKind::DateDiff {
                from: r.one("from")?,
                to: r.one("to")?,
                unit,
            }
        }
        other => return unknown(r.cx, path, other),
    };
    Some(Expr {
        kind,
        path: path.to_string(),
    })
}

/// The inline form of an action: `operation` and `values` on the action.
pub(crate) fn read_inline(cx: &mut Cx, m: &MarkedMappingNode, path: &str) -> Option<Expr> {
    let op = m.get_scalar("operation")?.as_str().to_string();
    let mut r = Reader { cx, m, path };
    let values = r.list("values")?;
    let kind = match op.as_str() {
        "ADD" | "SUBTRACT" | "MULTIPLY" | "DIVIDE" | "MIN" | "MAX" => {
            ExprKind::Arith(arith(&op)?, values)
        }
        "AND" | "OR" => ExprKind::Logic {
            and: op == "AND",
            conditions: values,
        },
        "LIST" => ExprKind::List(values),
        "ROUND" | "CEIL" | "FLOOR" if values.len() == 1 => {
            let precision = r.precision()?;
            let value = values.into_iter().next()?;
            ExprKind::Round(rounding(&op)?, Box::new(value), precision)
        }
        other if OPERATIONS.contains(&other) => {
            r.cx.fail(
                &format!("{path}/operation"),
                Problem::Unsupported(format!(
                    "{other} cannot be written inline with \"values\"; write it under \"value\""
                )),
            );
            return None;
        }
        other => return unknown(r.cx, path, other),
    };
    Some(Expr {
        kind,
        path: path.to_string(),
    })
}

struct Reader<'c, 'a, 'm> {
    cx: &'c mut Cx<'a>,
    m: &'m MarkedMappingNode,
    path: &'m str,
}

impl Reader<'_, '_, '_> {
    fn optional(&mut self, key: &str) -> Option<Option<Box<Expr>>> {
        match self.m.get_node(key) {
            None => Some(None),
            Some(n) => Some(Some(Box::new(read(
                self.cx,
                n,
                &format!("{}/{key}", self.path),
            )?))),
        }
    }

    fn one(&mut self, key: &str) -> Option<Box<Expr>> {
        match self.optional(key)? {
            Some(e) => Some(e),
            None => {
                self.cx.fail(
                    self.path,
                    Problem::Unsupported(format!("this operation needs \"{key}\"")),
                );
                None
            }
        }
    }

    fn list(&mut self, key: &str) -> Option<Vec<Expr>> {
        let Some(seq) = self.m.get_sequence(key) else {
            self.cx.fail(
                self.path,
                Problem::Unsupported(format!("this operation needs a list \"{key}\"")),
            );
            return None;
        };
        let items: Vec<&Node> = seq.iter().collect();
        if items.is_empty() {
            self.cx.fail(
                &format!("{}/{key}", self.path),
                Problem::Unsupported(format!("\"{key}\" is empty")),
            );
            return None;
        }
        items
            .into_iter()
            .enumerate()
            .map(|(i, n)| read(self.cx, n, &format!("{}/{key}/{i}", self.path)))
            .collect()
    }

    fn precision(&mut self) -> Option<i32> {
        match self.m.get_scalar("precision").map(source::scalar) {
            Some(Scalar::Int(p)) if (-18..=18).contains(&p) => Some(p as i32),
            _ => {
                self.cx.fail(self.path, Problem::Unsupported("ROUND, CEIL and FLOOR need \"precision\": a whole number of decimals from -18 to 18".into()));
                None
            }
        }
    }

    fn if_cases(&mut self) -> Option<ExprKind> {
        let Some(seq) = self.m.get_sequence("cases") else {
            self.cx.fail(
                self.path,
                Problem::Unsupported("IF needs a list \"cases\" of when/then".into()),
            );
            return None;
        };
        let nodes: Vec<&Node> = seq.iter().collect();
        let mut cases = Vec::new();
        for (i, n) in nodes.into_iter().enumerate() {
            let p = format!("{}/cases/{i}", self.path);
            let Some(c) = n.as_mapping() else { continue };
            let mut inner = Reader {
                cx: self.cx,
                m: c,
                path: &p,
            };
            cases.push((*inner.one("when")?, *inner.one("then")?));
        }
        Some(ExprKind::If {
            cases,
            default: self.optional("default")?,
        })
    }
}

fn arith(op: &str) -> Option<Arith> {
    Some(match op {
        "ADD" => Arith::Add,
        "SUBTRACT" => Arith::Subtract,
        "MULTIPLY" => Arith::Multiply,
        "DIVIDE" => Arith::Divide,
        "MIN" => Arith::Min,
        "MAX" => Arith::Max,
        _ => return None,
    })
}

fn compare(op: &str) -> Option<Compare> {
    Some(match op {
        "EQUALS" => Compare::Equals,
        "GREATER_THAN" => Compare::GreaterThan,
        "LESS_THAN" => Compare::LessThan,
        "GREATER_THAN_OR_EQUAL" => Compare::GreaterOrEqual,
        "LESS_THAN_OR_EQUAL" => Compare::LessOrEqual,
        _ => return None,
    })
}

fn rounding(op: &str) -> Option<Rounding> {
    Some(match op {
        "ROUND" => Rounding::Round,
        "CEIL" => Rounding::Ceil,
        "FLOOR" => Rounding::Floor,
        _ => return None,
    })
}

fn unknown(cx: &mut Cx, path: &str, operation: &str) -> Option<Expr> {
    cx.fail(
        &format!("{path}/operation"),
        Problem::UnknownOperation(operation.to_string()),
    );
    None
}
