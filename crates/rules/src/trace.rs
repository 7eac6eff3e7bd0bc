//! The explanation of one resident's result: the same compiled
//! calculation, evaluated on exact fractions, shown as the law's own steps
//! (inputs with their source, definitions, conditions with their outcome,
//! operations with their numbers, and the article and URL they rest on).

use crate::dates;
use crate::error::{DataError, Place};
use crate::ir::{Ir, Label, NodeId, Op, Ty};
use crate::population::{Column, Population, bit};
use crate::scalar::{self, Value};
use serde::Serialize;

/// Every node's value for one row.
pub fn values(ir: &Ir, pop: &Population, row: usize) -> Result<Vec<Option<Value>>, DataError> {
    let mut v: Vec<Option<Value>> = vec![None; ir.nodes.len()];
    for n in ir.needed() {
        let node = &ir.nodes[n];
        let value = match node.op {
            Op::Column(c) => {
                let spec = &ir.columns[c];
                match pop.column(&spec.name) {
                    Some(Column::Int(x)) => Value::from_repr(spec.ty, x[row]),
                    Some(Column::Bits(x)) => Value::Bool(bit(x, row)),
                    Some(Column::Text(x)) => Value::Text(
                        ir.texts
                            .iter()
                            .position(|t| *t == x[row])
                            .map_or(-1, |p| p as i64),
                    ),
                    None => {
                        return Err(DataError::File {
                            file: "population".into(),
                            problem: format!("column {} is missing", spec.name),
                        });
                    }
                }
            }
            op => {
                let args: Vec<Value> = node.args.iter().filter_map(|&a| v[a]).collect();
                scalar::apply(op, node.ty, &args).map_err(|problem| {
                    let law = &ir.laws[node.origin.law];
                    DataError::Calculation {
                        place: Box::new(Place {
                            file: law.file.clone(),
                            line: node.origin.line,
                            article: Some(node.origin.article.clone()),
                            path: node.origin.path.clone(),
                        }),
                        row: pop.ids.name(row),
                        problem: problem.to_string(),
                    }
                })?
            }
        };
        v[n] = Some(value);
    }
    Ok(v)
}

/// One step of an explanation.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TraceStep {
    /// input, from_law, definition, output, calculation_date, operation
    pub kind: &'static str,
    pub name: Option<String>,
    /// What the step does, e.g. "MULTIPLY" or "IF: case 1 applies".
    pub what: String,
    pub value: String,
    /// The declared unit of a named step (eurocent, ratio, years, ...).
    pub unit: Option<String>,
    pub law: String,
    /// The law's name, for people.
    pub law_name: String,
    pub article: String,
    pub url: String,
    pub path: String,
    pub line: Option<usize>,
    pub source: Option<String>,
    /// Steps this one is calculated from (taken branches only).
    pub from: Vec<TraceStep>,
}

pub fn show(ir: &Ir, ty: Ty, v: Option<Value>) -> String {
    match v {
        None => "-".into(),
        Some(Value::Num(r)) => r.to_string(),
        Some(Value::Bool(b)) => if b { "ja" } else { "nee" }.into(),
        Some(Value::Date(d)) => dates::format(d),
        Some(Value::Text(t)) => usize::try_from(t)
            .ok()
            .and_then(|i| ir.texts.get(i))
            .cloned()
            .unwrap_or_else(|| format!("{ty:?}")),
    }
}

/// The tree of steps behind a node.
pub fn tree(ir: &Ir, values: &[Option<Value>], n: NodeId) -> TraceStep {
    let node = &ir.nodes[n];
    let o = &node.origin;
    let law = &ir.laws[o.law];
    let (kind, name, source) = match &o.label {
        Label::Input { name, description } => ("input", Some(name.clone()), description.clone()),
        Label::FromLaw { name, law, output } => (
            "from_law",
            Some(name.clone()),
            Some(format!("{law}: {output}")),
        ),
        Label::Definition(name) => ("definition", Some(name.clone()), None),
        Label::Output(name) => ("output", Some(name.clone()), None),
        Label::CalculationDate => ("calculation_date", None, None),
        Label::Operation | Label::Helper => ("operation", None, None),
    };
    let mut from = Vec::new();
    let what = match node.op {
        Op::Select => {
            // Show the condition and the branch taken only.
            let taken = matches!(values[node.args[0]], Some(Value::Bool(true)));
            from.push(tree(ir, values, node.args[0]));
            from.push(tree(ir, values, node.args[if taken { 1 } else { 2 }]));
            format!(
                "IF: {}",
                if taken {
                    "the condition holds"
                } else {
                    "otherwise"
                }
            )
        }
        op => {
            for &a in &node.args {
                let child = tree(ir, values, a);
                // Bookkeeping nodes are invisible: show what they wrap.
                if matches!(ir.nodes[a].origin.label, Label::Helper)
                    && matches!(ir.nodes[a].op, Op::Scale(_))
                {
                    from.extend(child.from);
                } else {
                    from.push(child);
                }
            }
            op_name(op)
        }
    };
    let unit = name.as_ref().and_then(|x| law.units.get(x)).cloned();
    TraceStep {
        kind,
        unit,
        name,
        what,
        value: show(ir, node.ty, values[n]),
        law: law.id.clone(),
        law_name: law.name.clone(),
        article: o.article.clone(),
        url: law
            .article_urls
            .get(&o.article)
            .cloned()
            .unwrap_or_else(|| law.url.clone()),
        path: o.path.clone(),
        line: o.line,
        source,
        from,
    }
}

fn op_name(op: Op) -> String {
    match op {
        Op::Const(_) => "value".into(),
        Op::Column(_) => "population data".into(),
        Op::Scale(_) => "value".into(),
        Op::Add => "ADD".into(),
        Op::Sub => "SUBTRACT".into(),
        Op::Mul => "MULTIPLY".into(),
        Op::Min => "MIN".into(),
        Op::Max => "MAX".into(),
        Op::DivRound(m, p) => format!("DIVIDE, {m:?} to {p} decimals"),
        Op::Round(m, p) => format!("{m:?} to {p} decimals"),
        Op::Cmp(c) => format!("{c:?}"),
        Op::And => "AND".into(),
        Op::Or => "OR".into(),
        Op::Not => "NOT".into(),
        Op::Select => "IF".into(),
        Op::Age => "AGE".into(),
        Op::DateAdd => "DATE_ADD".into(),
        Op::DateMake => "DATE".into(),
        Op::DayOfWeek => "DAY_OF_WEEK".into(),
        Op::DateDiff(u) => format!("DATE_DIFF in {u:?}"),
        Op::DatePart(p) => ["year", "month", "day"][usize::from(p.min(2))].into(),
    }
}
