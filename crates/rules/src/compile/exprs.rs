//! Expressions, names and types.

use super::{At, Compiler, R};
use crate::dates;
use crate::error::Problem;
use crate::expr::{Arith, Compare, Expr, ExprKind};
use crate::ir::{ColumnSpec, Label, NodeId, Op, Ty};
use crate::law::{DefValue, FieldType, Input};
use crate::number::Ratio;

fn lcm(a: i64, b: i64) -> Option<i64> {
    let (mut x, mut y) = (a, b);
    while y != 0 {
        (x, y) = (y, x % y);
    }
    (a / x).checked_mul(b)
}

impl<'l> Compiler<'l> {
    pub(super) fn expr(&mut self, at: At<'l>, e: &Expr) -> R {
        let p = e.path.as_str();
        match &e.kind {
            ExprKind::Literal(v) => self.literal(at, p, v, Label::Operation),
            ExprKind::Var { name, part } => {
                let n = self.var(at, p, name)?;
                match part.as_deref() {
                    None => Some(n),
                    Some(part) => {
                        let idx = match part {
                            "year" => 0,
                            "month" => 1,
                            "day" => 2,
                            _ => 3,
                        };
                        if idx == 3 || self.ty(n) != Ty::Date {
                            return self.fail(at, p, Problem::Unsupported(format!("${name}.{part}: only .year, .month and .day of a date can be taken")));
                        }
                        self.node(
                            at,
                            p,
                            Op::DatePart(idx),
                            Ty::Num(1),
                            vec![n],
                            Label::Operation,
                        )
                    }
                }
            }
            ExprKind::Arith(op, values) => self.arith(at, p, *op, values),
            ExprKind::Logic { and, conditions } => {
                let mut acc = self.boolean(at, &conditions[0])?;
                for c in &conditions[1..] {
                    let b = self.boolean(at, c)?;
                    acc = self.node(
                        at,
                        p,
                        if *and { Op::And } else { Op::Or },
                        Ty::Bool,
                        vec![acc, b],
                        Label::Operation,
                    )?;
                }
                Some(acc)
            }
            ExprKind::Compare(c, l, r) => {
                let (l, r) = (self.expr(at, l)?, self.expr(at, r)?);
                self.compare(at, p, *c, l, r)
            }
            ExprKind::Not(v) => {
                let b = self.boolean(at, v)?;
                self.node(at, p, Op::Not, Ty::Bool, vec![b], Label::Operation)
            }
            ExprKind::Round(mode, v, precision) => {
                let den = if *precision >= 0 {
                    10i64.checked_pow(precision.unsigned_abs())
                } else {
                    Some(1)
                };
                let Some(den) = den else {
                    return self.fail(at, p, Problem::Unsupported("precision too large".into()));
                };
                // A division by a value per resident is exact only rounded: the
                // two are one operation.
                if let ExprKind::Arith(Arith::Divide, vals) = &v.kind
                    && vals.len() == 2
                {
                    let (a, b) = (self.number(at, &vals[0])?, self.number(at, &vals[1])?);
                    if !matches!(self.ir.nodes[b].op, Op::Const(_)) {
                        return self.node(
                            at,
                            p,
                            Op::DivRound(*mode, *precision),
                            Ty::Num(den),
                            vec![a, b],
                            Label::Operation,
                        );
                    }
                }
                let n = self.number(at, v)?;
                self.node(
                    at,
                    p,
                    Op::Round(*mode, *precision),
                    Ty::Num(den),
                    vec![n],
                    Label::Operation,
                )
            }
            ExprKind::If { cases, default } => {
                let Some(default) = default else {
                    return self.fail(
                        at,
                        p,
                        Problem::Unsupported(
                            "IF needs a \"default\": the value when no case applies".into(),
                        ),
                    );
                };
                let mut acc = self.expr(at, default)?;
                for (when, then) in cases.iter().rev() {
                    let cond = self.boolean(at, when)?;
                    let then = self.expr(at, then)?;
                    let (t, a) = self.align(at, p, then, acc)?;
                    let ty = self.ty(t);
                    acc = self.node(at, p, Op::Select, ty, vec![cond, t, a], Label::Operation)?;
                }
                Some(acc)
            }
            ExprKind::In(subject, values) => {
                let s = self.expr(at, subject)?;
                let mut items = Vec::new();
                for v in values {
                    self.list_items(at, v, &mut items)?;
                }
                let mut acc: Option<NodeId> = None;
                for item in items {
                    let eq = self.compare(at, p, Compare::Equals, s, item)?;
                    acc = Some(match acc {
                        None => eq,
                        Some(a) => {
                            self.node(at, p, Op::Or, Ty::Bool, vec![a, eq], Label::Operation)?
                        }
                    });
                }
                acc
            }
            ExprKind::List(_) => self.fail(
                at,
                p,
                Problem::Unsupported("a list can only be used in IN".into()),
            ),
            ExprKind::Age {
                birth,
                at: reference,
            } => {
                let (b, r) = (self.date(at, birth)?, self.date(at, reference)?);
                self.node(at, p, Op::Age, Ty::Num(1), vec![b, r], Label::Operation)
            }
            ExprKind::DateAdd {
                date,
                years,
                months,
                weeks,
                days,
            } => {
                let d = self.date(at, date)?;
                let mut args = vec![d];
                for part in [years, months, weeks, days] {
                    args.push(match part {
                        Some(x) => self.whole(at, x)?,
                        None => self.constant(at, p, Ty::Num(1), 0),
                    });
                }
                self.node(at, p, Op::DateAdd, Ty::Date, args, Label::Operation)
            }
            ExprKind::Date { year, month, day } => {
                let args = vec![
                    self.whole(at, year)?,
                    self.whole(at, month)?,
                    self.whole(at, day)?,
                ];
                self.node(at, p, Op::DateMake, Ty::Date, args, Label::Operation)
            }
            ExprKind::DayOfWeek(d) => {
                let d = self.date(at, d)?;
                self.node(at, p, Op::DayOfWeek, Ty::Num(1), vec![d], Label::Operation)
            }
            ExprKind::DateDiff { from, to, unit } => {
                let (f, t) = (self.date(at, from)?, self.date(at, to)?);
                self.node(
                    at,
                    p,
                    Op::DateDiff(*unit),
                    Ty::Num(1),
                    vec![f, t],
                    Label::Operation,
                )
            }
        }
    }

    fn list_items(&mut self, at: At<'l>, e: &Expr, items: &mut Vec<NodeId>) -> Option<()> {
        match &e.kind {
            ExprKind::List(xs) => {
                for x in xs {
                    self.list_items(at, x, items)?;
                }
            }
            ExprKind::Literal(DefValue::List(xs)) => {
                for x in xs {
                    items.push(self.literal(at, &e.path, x, Label::Operation)?);
                }
            }
            ExprKind::Var { name, part: None } => match self.definition(at, name) {
                Some((DefValue::List(xs), path)) => {
                    for x in xs {
                        items.push(self.literal(at, &path, &x, Label::Definition(name.clone()))?);
                    }
                }
                _ => items.push(self.expr(at, e)?),
            },
            _ => items.push(self.expr(at, e)?),
        }
        Some(())
    }

    fn constant(&mut self, at: At<'l>, path: &str, ty: Ty, v: i64) -> NodeId {
        let o = self.origin(at, path, Label::Operation);
        self.leaf(Op::Const(v), ty, o)
    }

    fn literal(&mut self, at: At<'l>, path: &str, v: &DefValue, label: Label) -> R {
        let (ty, v) = match v {
            DefValue::Number(r) => match (i64::try_from(r.num()), i64::try_from(r.den())) {
                (Ok(n), Ok(d)) => (Ty::Num(d), n),
                _ => return self.fail(at, path, Problem::Unsupported("number too large".into())),
            },
            DefValue::Bool(b) => (Ty::Bool, i64::from(*b)),
            DefValue::Date(d) => (Ty::Date, dates::from_date(*d)),
            DefValue::Text(t) => (Ty::Text, self.ir.text_code(t)),
            DefValue::List(_) => {
                return self.fail(
                    at,
                    path,
                    Problem::Unsupported("a list can only be used in IN".into()),
                );
            }
        };
        let o = self.origin(at, path, label);
        Some(self.leaf(Op::Const(v), ty, o))
    }

    /// A definition visible from the article: its own first, then the law's.
    fn definition(&self, at: At<'l>, name: &str) -> Option<(DefValue, String)> {
        let law = self.laws[at.law];
        std::iter::once(at.article)
            .chain(law.articles.iter())
            .flat_map(|a| a.definitions.iter())
            .find(|d| d.name == name)
            .map(|d| (d.value.clone(), d.path.clone()))
    }

    /// `$name` from where it is used.
    fn var(&mut self, at: At<'l>, path: &str, name: &str) -> R {
        if matches!(
            name,
            "referencedate" | "calculation_date" | "peildatum_berekening"
        ) {
            let o = self.origin(at, path, Label::CalculationDate);
            return Some(self.leaf(Op::Const(self.date), Ty::Date, o));
        }
        if matches!(name, "january_first" | "prev_january_first") {
            let (y, _, _) = dates::civil_from_days(self.date);
            let y = if name == "january_first" { y } else { y - 1 };
            let o = self.origin(at, path, Label::CalculationDate);
            return Some(self.leaf(Op::Const(dates::days_from_civil(y, 1, 1)), Ty::Date, o));
        }
        let law = self.laws[at.law];
        let key = (at.law, format!("${name}@{}", at.article.number));
        if let Some(&n) = self.outputs.get(&key) {
            return Some(n);
        }
        let n = if let Some(input) = at.article.inputs.iter().find(|i| i.field.name == name) {
            self.input(at, input)?
        } else if let Some(param) = at.article.parameters.iter().find(|f| f.name == name) {
            let ty = field_ty(param.field_type, param.precision);
            let Some(ty) = ty else {
                return self.fail(
                    at,
                    &param.path,
                    Problem::Unsupported(format!(
                        "parameter {name} has a type that is not a column"
                    )),
                );
            };
            self.column(
                at,
                &param.path,
                name,
                ty,
                Label::Input {
                    name: name.to_string(),
                    description: param.description.clone(),
                },
            )
        } else if let Some((value, def_path)) = self.definition(at, name) {
            let mut def_at = at;
            if let Some(a) = law.articles.iter().find(|a| {
                a.definitions
                    .iter()
                    .any(|d| d.name == name && d.path == def_path)
            }) {
                def_at.article = a;
            }
            self.literal(
                def_at,
                &def_path,
                &value,
                Label::Definition(name.to_string()),
            )?
        } else if law
            .articles
            .iter()
            .any(|a| a.actions.iter().any(|x| x.output == name))
        {
            return self.output(at.law, name, Some((at, path)));
        } else {
            return self.fail(at, path, Problem::MissingInput(name.to_string()));
        };
        self.outputs.insert(key, n);
        Some(n)
    }

    fn input(&mut self, at: At<'l>, input: &Input) -> R {
        let f = &input.field;
        let wanted = input.output.clone().unwrap_or_else(|| f.name.clone());
        // The law the value comes from: the one named, or (none named) this
        // same law when it has an output by that name; else population data.
        let source = match &input.regulation {
            Some(reg) => match self.laws.iter().position(|l| &l.id == reg) {
                Some(li) => Some(li),
                None => return self.fail(at, &f.path, Problem::MissingInput(format!("{} (its source is law {reg:?}, which is not loaded or not in force on the calculation date)", f.name))),
            },
            None => self.laws[at.law]
                .articles
                .iter()
                .any(|a| a.actions.iter().any(|x| x.output == wanted))
                .then_some(at.law),
        };
        if let Some(li) = source {
            let n = self.output(li, &wanted, Some((at, &f.path)))?;
            let ty = self.ty(n);
            let label = Label::FromLaw {
                name: f.name.clone(),
                law: self.laws[li].id.clone(),
                output: wanted,
            };
            return Some(self.leaf_like(at, &f.path, n, ty, label));
        }
        let Some(ty) = field_ty(f.field_type, f.precision) else {
            return self.fail(
                at,
                &f.path,
                Problem::Unsupported(format!(
                    "input {} has a type (object or array) that population data cannot hold",
                    f.name
                )),
            );
        };
        Some(
            self.column(
                at,
                &f.path,
                &f.name,
                ty,
                Label::Input {
                    name: f.name.clone(),
                    description: f
                        .description
                        .clone()
                        .or_else(|| input.source_description.clone()),
                },
            ),
        )
    }

    fn column(&mut self, at: At<'l>, path: &str, name: &str, ty: Ty, label: Label) -> NodeId {
        let idx = match self.ir.columns.iter().position(|c| c.name == name) {
            Some(i) => {
                if self.ir.columns[i].ty != ty {
                    self.fail(
                        at,
                        path,
                        Problem::TypeMismatch(format!(
                            "population column {name} is used as {} here and as {} elsewhere",
                            ty.describe(),
                            self.ir.columns[i].ty.describe()
                        )),
                    );
                }
                i
            }
            None => {
                self.ir.columns.push(ColumnSpec {
                    name: name.to_string(),
                    ty,
                });
                self.ir.columns.len() - 1
            }
        };
        let o = self.origin(at, path, label);
        self.leaf(Op::Column(idx), ty, o)
    }

    fn typed(&mut self, at: At<'l>, e: &Expr, want: &str, ok: impl Fn(Ty) -> bool) -> R {
        let n = self.expr(at, e)?;
        let ty = self.ty(n);
        if ok(ty) {
            Some(n)
        } else {
            self.fail(
                at,
                &e.path,
                Problem::TypeMismatch(format!("expected {want}, but this is {}", ty.describe())),
            )
        }
    }

    fn boolean(&mut self, at: At<'l>, e: &Expr) -> R {
        self.typed(at, e, "true/false", |t| t == Ty::Bool)
    }

    fn number(&mut self, at: At<'l>, e: &Expr) -> R {
        self.typed(at, e, "a number", |t| matches!(t, Ty::Num(_)))
    }

    fn whole(&mut self, at: At<'l>, e: &Expr) -> R {
        self.typed(at, e, "a whole number", |t| t == Ty::Num(1))
    }

    fn date(&mut self, at: At<'l>, e: &Expr) -> R {
        self.typed(at, e, "a date", |t| t == Ty::Date)
    }

    /// Two values of one type; numbers brought to one denominator.
    fn align(&mut self, at: At<'l>, path: &str, a: NodeId, b: NodeId) -> Option<(NodeId, NodeId)> {
        match (self.ty(a), self.ty(b)) {
            (Ty::Num(da), Ty::Num(db)) if da != db => {
                let Some(l) = lcm(da, db) else {
                    self.fail(at, path, Problem::Unsupported("the fractions here need a denominator beyond exact 64-bit arithmetic; round an operand first".into()));
                    return None;
                };
                Some((
                    self.scale(at, path, a, l / da, l)?,
                    self.scale(at, path, b, l / db, l)?,
                ))
            }
            (x, y) if x == y => Some((a, b)),
            (x, y) => {
                self.fail(
                    at,
                    path,
                    Problem::TypeMismatch(format!(
                        "{} and {} cannot be combined",
                        x.describe(),
                        y.describe()
                    )),
                );
                None
            }
        }
    }

    fn scale(&mut self, at: At<'l>, path: &str, n: NodeId, k: i64, den: i64) -> R {
        if k == 1 {
            Some(n)
        } else {
            self.node(at, path, Op::Scale(k), Ty::Num(den), vec![n], Label::Helper)
        }
    }

    fn compare(&mut self, at: At<'l>, path: &str, c: Compare, l: NodeId, r: NodeId) -> R {
        let (l, r) = self.align(at, path, l, r)?;
        let ty = self.ty(l);
        if matches!(ty, Ty::Bool | Ty::Text) && c != Compare::Equals {
            return self.fail(
                at,
                path,
                Problem::TypeMismatch(format!("{} can only be tested for EQUALS", ty.describe())),
            );
        }
        self.node(at, path, Op::Cmp(c), Ty::Bool, vec![l, r], Label::Operation)
    }

    fn arith(&mut self, at: At<'l>, p: &str, op: Arith, values: &[Expr]) -> R {
        let mut acc = self.number(at, &values[0])?;
        for v in &values[1..] {
            let b = self.number(at, v)?;
            acc = match op {
                Arith::Add | Arith::Subtract | Arith::Min | Arith::Max => {
                    let (x, y) = self.align(at, p, acc, b)?;
                    let ty = self.ty(x);
                    let o = match op {
                        Arith::Add => Op::Add,
                        Arith::Subtract => Op::Sub,
                        Arith::Min => Op::Min,
                        _ => Op::Max,
                    };
                    self.node(at, p, o, ty, vec![x, y], Label::Operation)?
                }
                Arith::Multiply => self.multiply(at, p, acc, b)?,
                Arith::Divide => {
                    let Op::Const(c) = self.ir.nodes[b].op else {
                        return self.fail(at, &v.path, Problem::Unsupported("dividing by a value that differs per resident gives an inexact fraction: put the DIVIDE inside a ROUND, CEIL or FLOOR with the precision the law prescribes".into()));
                    };
                    let Ty::Num(den) = self.ty(b) else {
                        return None;
                    };
                    let Some(inv) = Ratio::new(den.into(), c.into()) else {
                        return self.fail(
                            at,
                            &v.path,
                            Problem::Unsupported("division by zero".into()),
                        );
                    };
                    let inv_node =
                        self.literal(at, &v.path, &DefValue::Number(inv), Label::Helper)?;
                    self.multiply(at, p, acc, inv_node)?
                }
            };
        }
        Some(acc)
    }

    fn multiply(&mut self, at: At<'l>, p: &str, a: NodeId, b: NodeId) -> R {
        let (Ty::Num(da), Ty::Num(db)) = (self.ty(a), self.ty(b)) else {
            return None;
        };
        let Some(den) = da.checked_mul(db) else {
            return self.fail(at, p, Problem::Unsupported("the fractions here need a denominator beyond exact 64-bit arithmetic; round an operand first".into()));
        };
        self.node(at, p, Op::Mul, Ty::Num(den), vec![a, b], Label::Operation)
    }
}

/// The column type of a declared field.
fn field_ty(t: FieldType, precision: u32) -> Option<Ty> {
    Some(match t {
        FieldType::Amount => Ty::Num(1),
        FieldType::Number => Ty::Num(10i64.pow(precision)),
        FieldType::Boolean => Ty::Bool,
        FieldType::Date => Ty::Date,
        FieldType::String => Ty::Text,
        FieldType::Other => return None,
    })
}
