//! wegwijs-rules: laws in MinBZK's regelrecht format (schema v0.5.6),
//! evaluated column-wise over a whole population in exact integer
//! arithmetic, with an explanation of the same calculation for one
//! resident. No web, no store: the binary and the web app call it.

mod column;
mod compile;
mod cores;
mod dates;
pub mod error;
pub mod explain;
mod expr;
mod ir;
pub mod law;
mod load;
pub mod number;
mod output;
pub mod params;
pub mod population;
mod scalar;
pub mod scenario;
mod source;
mod trace;

pub use error::{DataError, LawError, Place, Problem};
pub use ir::{ColumnSpec, Ty};
pub use law::Law;
pub use load::{in_force, law_files, load_laws, parse_law};
pub use params::{Setting, apply_settings};
pub use population::{Column, Ids, Population};
pub use scalar::Value;
pub use trace::TraceStep;

use time::Date;

/// The outputs of laws in force on a date, compiled once, to evaluate over
/// any number of populations.
pub struct Calculation {
    ir: ir::Ir,
    plan: column::Plan,
}

/// Every output, per row, in the order of [`Calculation::outputs`].
pub struct Results {
    pub columns: Vec<Column>,
    pub(crate) tys: Vec<Ty>,
}

impl Calculation {
    /// `wanted`: (law `$id`, output name) pairs; empty means every output of
    /// every law in force.
    pub fn new(
        laws: &[Law],
        date: Date,
        wanted: &[(String, String)],
    ) -> Result<Calculation, Vec<LawError>> {
        let chosen = in_force(laws, date);
        let all: Vec<(String, String)>;
        let wanted = if wanted.is_empty() {
            all = chosen
                .iter()
                .flat_map(|l| {
                    let mut names: Vec<String> = Vec::new();
                    for a in &l.articles {
                        for x in &a.actions {
                            if !names.contains(&x.output) && outputs_a_value(a, &x.output) {
                                names.push(x.output.clone());
                            }
                        }
                    }
                    names.into_iter().map(|n| (l.id.clone(), n))
                })
                .collect();
            &all
        } else {
            wanted
        };
        let ir = compile::compile(&chosen, date, wanted)?;
        let plan = column::Plan::new(&ir);
        Ok(Calculation { ir, plan })
    }

    /// The population columns the calculation reads.
    pub fn inputs(&self) -> &[ColumnSpec] {
        &self.ir.columns
    }

    /// (law `$id`, output name) of each result column.
    pub fn outputs(&self) -> Vec<(String, String)> {
        self.ir
            .outputs
            .iter()
            .map(|(l, o, _)| (l.clone(), o.clone()))
            .collect()
    }

    pub fn evaluate(&self, pop: &Population) -> Result<Results, DataError> {
        self.evaluate_on(pop, cores::count())
    }

    /// [`Calculation::evaluate`] on at most `threads` threads (one: to
    /// compare with single-threaded tools honestly).
    pub fn evaluate_on(&self, pop: &Population, threads: usize) -> Result<Results, DataError> {
        let columns = column::evaluate(&self.ir, &self.plan, pop, threads)?;
        let tys = self
            .ir
            .outputs
            .iter()
            .map(|(_, _, n)| self.ir.nodes[*n].ty)
            .collect();
        Ok(Results { columns, tys })
    }

    /// A value as the output CSV and scenario files write it: numbers as
    /// decimals (a/b when not a finite decimal), true/false, YYYY-MM-DD.
    pub fn show(&self, v: Value) -> String {
        match v {
            Value::Bool(b) => if b { "true" } else { "false" }.into(),
            v => trace::show(&self.ir, Ty::Bool, Some(v)),
        }
    }

    /// The outputs of one row, calculated on exact fractions one step at a
    /// time (what [`Calculation::explain`] shows).
    pub fn evaluate_row(&self, pop: &Population, row: usize) -> Result<Vec<Value>, DataError> {
        let values = trace::values(&self.ir, pop, row)?;
        Ok(self
            .ir
            .outputs
            .iter()
            .filter_map(|(_, _, n)| values[*n])
            .collect())
    }

    /// How each output of one row comes about.
    pub fn explain(&self, pop: &Population, row: usize) -> Result<Vec<TraceStep>, DataError> {
        let values = trace::values(&self.ir, pop, row)?;
        Ok(self
            .ir
            .outputs
            .iter()
            .map(|(_, _, n)| trace::tree(&self.ir, &values, *n))
            .collect())
    }
}

/// Actions whose output is declared as data (not a name or authority text).
fn outputs_a_value(a: &law::Article, name: &str) -> bool {
    a.outputs.iter().any(|o| o.name == name)
}

impl Results {
    pub fn value(&self, output: usize, row: usize) -> Value {
        let ty = self.tys[output];
        match &self.columns[output] {
            Column::Int(v) => Value::from_repr(ty, v[row]),
            Column::Bits(w) => Value::Bool(population::bit(w, row)),
            Column::Text(_) => Value::Text(-1),
        }
    }
}
