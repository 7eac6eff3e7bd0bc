//! The column evaluator: every node of the calculation runs over a chunk of
//! rows at a time (small enough to stay in the CPU cache), chunks spread
//! over the cores. Numbers are i64 numerators over the node's fixed
//! denominator; every step checks for overflow instead of wrapping.

use crate::error::{DataError, Place};
use crate::ir::{Ir, NodeId, Op, Ty};
use crate::population::{Column, Population};

/// Rows per chunk: a multiple of 64 (bit columns split on words).
pub const CHUNK: usize = 2048;
const WORDS: usize = CHUNK / 64;

/// Where a node's values are during a chunk.
#[derive(Debug, Clone, Copy)]
enum Src {
    Int(usize),
    Bits(usize),
}

struct Step {
    node: NodeId,
    out: Src,
    args: Vec<Src>,
}

/// A compiled calculation, ready to run over populations.
pub struct Plan {
    steps: Vec<Step>,
    int_slots: usize,
    bit_slots: usize,
    /// Constants, filled once per worker.
    consts: Vec<(Src, i64)>,
    /// Output index → where its value is.
    outs: Vec<Src>,
}

impl Plan {
    pub fn new(ir: &Ir) -> Plan {
        let needed = ir.needed();
        // A node that only renames its argument (a factor of 1, a
        // true/false passed on) shares its argument's slot: no pass over
        // the rows. `same[n]` is the node whose slot n uses.
        let mut same: Vec<NodeId> = (0..ir.nodes.len()).collect();
        for &n in &needed {
            let node = &ir.nodes[n];
            if let (Op::Scale(k), [a]) = (node.op, node.args.as_slice())
                && (k == 1 || node.ty == Ty::Bool)
            {
                same[n] = same[*a];
            }
        }
        let mut last_use = vec![0usize; ir.nodes.len()];
        for (i, &n) in needed.iter().enumerate() {
            for &a in &ir.nodes[n].args {
                last_use[same[a]] = i;
            }
        }
        for (_, _, n) in &ir.outputs {
            last_use[same[*n]] = usize::MAX;
        }
        let (mut free_int, mut free_bits): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
        let (mut n_int, mut n_bits) = (0, 0);
        let mut at: Vec<Option<Src>> = vec![None; ir.nodes.len()];
        let mut steps = Vec::new();
        let mut consts = Vec::new();
        for (i, &n) in needed.iter().enumerate() {
            let node = &ir.nodes[n];
            if same[n] != n {
                at[n] = at[same[n]];
                continue;
            }
            // A constant is written once, so its slot must never have been
            // anyone else's: it takes a new one.
            let is_const = matches!(node.op, Op::Const(_));
            let reuse = |free: &mut Vec<usize>| if is_const { None } else { free.pop() };
            let out = if node.ty == Ty::Bool {
                Src::Bits(reuse(&mut free_bits).unwrap_or_else(|| {
                    n_bits += 1;
                    n_bits - 1
                }))
            } else {
                Src::Int(reuse(&mut free_int).unwrap_or_else(|| {
                    n_int += 1;
                    n_int - 1
                }))
            };
            at[n] = Some(out);
            if let Op::Const(v) = node.op {
                // Constants live for the whole run.
                last_use[n] = usize::MAX;
                consts.push((out, v));
                continue;
            }
            let args: Vec<Src> = node.args.iter().filter_map(|&a| at[a]).collect();
            // Arguments used for the last time here free their slots.
            let mut done: Vec<NodeId> = node
                .args
                .iter()
                .map(|&a| same[a])
                .filter(|&a| last_use[a] == i)
                .collect();
            done.sort_unstable();
            done.dedup();
            for a in done {
                match at[a] {
                    Some(Src::Int(k)) => free_int.push(k),
                    Some(Src::Bits(k)) => free_bits.push(k),
                    None => {}
                }
            }
            steps.push(Step { node: n, out, args });
        }
        let outs = ir
            .outputs
            .iter()
            .map(|(_, _, n)| at[*n].unwrap_or(Src::Int(0)))
            .collect();
        Plan {
            steps,
            int_slots: n_int,
            bit_slots: n_bits,
            consts,
            outs,
        }
    }
}

/// The outputs for every row, in the order of [`Ir::outputs`].
pub fn evaluate(
    ir: &Ir,
    plan: &Plan,
    pop: &Population,
    threads: usize,
) -> Result<Vec<Column>, DataError> {
    let rows = pop.len();
    let inputs: Vec<&Column> = ir
        .columns
        .iter()
        .map(|c| {
            pop.column(&c.name).ok_or_else(|| DataError::File {
                file: "population".into(),
                problem: format!("column {} is missing", c.name),
            })
        })
        .collect::<Result<_, _>>()?;
    let text_codes: Vec<Option<Vec<i64>>> = inputs
        .iter()
        .map(|c| match c {
            Column::Text(v) => Some(
                v.iter()
                    .map(|s| {
                        ir.texts
                            .iter()
                            .position(|t| t == s)
                            .map_or(-1, |p| p as i64)
                    })
                    .collect(),
            ),
            _ => None,
        })
        .collect();
    let mut outputs: Vec<Column> = ir
        .outputs
        .iter()
        .map(|(_, _, n)| match ir.nodes[*n].ty {
            Ty::Bool => Column::Bits(vec![0; rows.div_ceil(64)]),
            _ => Column::Int(vec![0; rows]),
        })
        .collect();
    let chunks = rows.div_ceil(CHUNK);
    let workers = threads.max(1).min(chunks.max(1));
    let per = chunks.div_ceil(workers.max(1)).max(1);
    // Each worker writes its own rows of every output.
    let mut parts: Vec<Vec<OutPart>> = (0..workers).map(|_| Vec::new()).collect();
    for out in outputs.iter_mut() {
        match out {
            Column::Int(v) => {
                for (w, part) in v.chunks_mut(per * CHUNK).enumerate() {
                    parts[w].push(OutPart::Int(part));
                }
            }
            Column::Bits(v) => {
                for (w, part) in v.chunks_mut(per * WORDS).enumerate() {
                    parts[w].push(OutPart::Bits(part));
                }
            }
            Column::Text(_) => {}
        }
    }
    let result: Result<(), DataError> = std::thread::scope(|s| {
        let handles: Vec<_> = parts
            .into_iter()
            .enumerate()
            .map(|(w, mut part)| {
                let (inputs, text_codes) = (&inputs, &text_codes);
                s.spawn(move || {
                    let mut worker = Worker::new(plan);
                    let first = w * per;
                    for c in first..(first + per).min(chunks) {
                        worker.chunk(
                            ir,
                            plan,
                            inputs,
                            text_codes,
                            c * CHUNK,
                            (rows - c * CHUNK).min(CHUNK),
                            pop,
                        )?;
                        worker.store(
                            plan,
                            &mut part,
                            (c - first) * CHUNK,
                            (rows - c * CHUNK).min(CHUNK),
                        );
                    }
                    Ok(())
                })
            })
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join().unwrap_or_else(|_| {
                Err(DataError::File {
                    file: "population".into(),
                    problem: "a worker stopped unexpectedly".into(),
                })
            })
        })
    });
    result.map(|()| outputs)
}

enum OutPart<'a> {
    Int(&'a mut [i64]),
    Bits(&'a mut [u64]),
}

struct Worker {
    ints: Vec<Vec<i64>>,
    bits: Vec<Vec<u64>>,
}

impl Worker {
    fn new(plan: &Plan) -> Worker {
        let mut w = Worker {
            ints: vec![vec![0; CHUNK]; plan.int_slots],
            bits: vec![vec![0; WORDS]; plan.bit_slots],
        };
        for &(src, v) in &plan.consts {
            match src {
                Src::Int(k) => w.ints[k].fill(v),
                Src::Bits(k) => w.bits[k].fill(if v != 0 { u64::MAX } else { 0 }),
            }
        }
        w
    }

    fn store(&self, plan: &Plan, parts: &mut [OutPart], at: usize, len: usize) {
        for (src, part) in plan.outs.iter().zip(parts.iter_mut()) {
            match (src, part) {
                (Src::Int(k), OutPart::Int(p)) => {
                    p[at..at + len].copy_from_slice(&self.ints[*k][..len])
                }
                (Src::Bits(k), OutPart::Bits(p)) => {
                    let words = len.div_ceil(64);
                    p[at / 64..at / 64 + words].copy_from_slice(&self.bits[*k][..words]);
                }
                _ => {}
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn chunk(
        &mut self,
        ir: &Ir,
        plan: &Plan,
        inputs: &[&Column],
        texts: &[Option<Vec<i64>>],
        start: usize,
        len: usize,
        pop: &Population,
    ) -> Result<(), DataError> {
        for step in &plan.steps {
            let node = &ir.nodes[step.node];
            let fault = match step.out {
                Src::Int(k) => {
                    let mut out = std::mem::take(&mut self.ints[k]);
                    let r = self.int_step(
                        node.op,
                        node.ty,
                        &step.args,
                        &mut out[..len],
                        inputs,
                        texts,
                        start,
                        ir,
                        step.node,
                    );
                    self.ints[k] = out;
                    r
                }
                Src::Bits(k) => {
                    let mut out = std::mem::take(&mut self.bits[k]);
                    let r = self.bit_step(
                        node.op, &step.args, &mut out, inputs, start, len, ir, step.node,
                    );
                    self.bits[k] = out;
                    r
                }
            };
            if let Some((i, problem)) = fault {
                let o = &node.origin;
                let law = &ir.laws[o.law];
                return Err(DataError::Calculation {
                    place: Box::new(Place {
                        file: law.file.clone(),
                        line: o.line,
                        article: Some(o.article.clone()),
                        path: o.path.clone(),
                    }),
                    row: pop.ids.name(start + i),
                    problem,
                });
            }
        }
        Ok(())
    }

    fn int(&self, s: Src) -> &[i64] {
        match s {
            Src::Int(k) => &self.ints[k],
            Src::Bits(_) => &[],
        }
    }

    fn words(&self, s: Src) -> &[u64] {
        match s {
            Src::Bits(k) => &self.bits[k],
            Src::Int(_) => &[],
        }
    }
}

mod kernels;
