//! The compiled calculation: a graph of typed operations over whole
//! columns, shared by the column evaluator and the one-resident trace.
//! Numbers are exact fractions with a denominator fixed per node, so a
//! column holds only i64 numerators.

use crate::expr::{Compare, DateUnit};
use crate::number::Rounding;
use std::collections::HashMap;

pub type NodeId = usize;

/// A node's type. `Num(den)`: the value is the stored integer over `den`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ty {
    Num(i64),
    Bool,
    /// Days since 1970-01-01.
    Date,
    /// An index into [`Ir::texts`].
    Text,
}

impl Ty {
    pub fn describe(self) -> &'static str {
        match self {
            Ty::Num(_) => "a number",
            Ty::Bool => "true/false",
            Ty::Date => "a date",
            Ty::Text => "text",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// A constant in the node type's representation.
    Const(i64),
    /// A population column, by its index in [`Ir::columns`].
    Column(usize),
    /// Multiplies the numerator by a factor: a change of denominator only.
    Scale(i64),
    Add,
    Sub,
    Mul,
    Min,
    Max,
    /// `args[0] / args[1]` rounded to a number of decimals.
    DivRound(Rounding, i32),
    Round(Rounding, i32),
    /// Both sides of the same type (numbers on one denominator).
    Cmp(Compare),
    And,
    Or,
    Not,
    /// `[condition, then, otherwise]`.
    Select,
    /// `[date of birth, reference date]`: complete years.
    Age,
    /// `[date, years, months, weeks, days]`.
    DateAdd,
    /// `[year, month, day]`.
    DateMake,
    DayOfWeek,
    DateDiff(DateUnit),
    /// 0 year, 1 month, 2 day.
    DatePart(u8),
}

/// What a node stands for in the law, for the explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    /// Population data.
    Input {
        name: String,
        description: Option<String>,
    },
    /// An input taken from another law's output.
    FromLaw {
        name: String,
        law: String,
        output: String,
    },
    Definition(String),
    Output(String),
    CalculationDate,
    /// An operation as written in the law.
    Operation,
    /// Bookkeeping the engine adds (a change of denominator).
    Helper,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Index into [`Ir::laws`].
    pub law: usize,
    /// Article number.
    pub article: String,
    pub path: String,
    pub line: Option<usize>,
    pub label: Label,
}

#[derive(Debug, Clone)]
pub struct Node {
    pub op: Op,
    pub ty: Ty,
    pub args: Vec<NodeId>,
    pub origin: Origin,
}

/// A population column the calculation reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSpec {
    pub name: String,
    pub ty: Ty,
}

/// A law the calculation uses: identity and where to read it.
#[derive(Debug, Clone)]
pub struct LawRef {
    pub id: String,
    pub file: String,
    pub url: String,
    /// Article number to its URL.
    pub article_urls: HashMap<String, String>,
    /// Declared unit (`type_spec.unit`) per field or definition name, for
    /// showing values: eurocent as euros, ratio as a percentage.
    pub units: HashMap<String, String>,
    /// The law's name, for people.
    pub name: String,
}

#[derive(Debug, Clone, Default)]
pub struct Ir {
    pub nodes: Vec<Node>,
    pub columns: Vec<ColumnSpec>,
    pub texts: Vec<String>,
    pub laws: Vec<LawRef>,
    /// The requested outputs: (law id, output name, node).
    pub outputs: Vec<(String, String, NodeId)>,
}

impl Ir {
    pub fn text_code(&mut self, t: &str) -> i64 {
        match self.texts.iter().position(|x| x == t) {
            Some(i) => i as i64,
            None => {
                self.texts.push(t.to_string());
                (self.texts.len() - 1) as i64
            }
        }
    }

    /// Nodes the outputs need, in an order where arguments come first.
    pub fn needed(&self) -> Vec<NodeId> {
        let mut keep = vec![false; self.nodes.len()];
        let mut stack: Vec<NodeId> = self.outputs.iter().map(|o| o.2).collect();
        while let Some(n) = stack.pop() {
            if !keep[n] {
                keep[n] = true;
                stack.extend(&self.nodes[n].args);
            }
        }
        // Arguments are always created before the node that uses them.
        (0..self.nodes.len()).filter(|&n| keep[n]).collect()
    }
}
