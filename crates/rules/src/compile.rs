//! From laws to the calculation graph: names resolved (definitions,
//! inputs, other laws' outputs, population columns), types checked,
//! denominators aligned, constants folded and equal subexpressions shared.

use crate::dates;
use crate::error::{LawError, Place, Problem};
use crate::ir::{Ir, Label, LawRef, Node, NodeId, Op, Origin, Ty};
use crate::law::{Article, FieldType, Law};
use crate::scalar::{self, Value};
use std::collections::HashMap;
use time::Date;

/// Compiles the named outputs of the laws in force on `date`.
/// `wanted`: (law id, output name).
pub fn compile(
    laws: &[&Law],
    date: Date,
    wanted: &[(String, String)],
) -> Result<Ir, Vec<LawError>> {
    let mut c = Compiler {
        laws,
        date: dates::from_date(date),
        ir: Ir::default(),
        shared: HashMap::new(),
        outputs: HashMap::new(),
        stack: Vec::new(),
        errors: Vec::new(),
    };
    c.ir.laws = laws
        .iter()
        .map(|l| LawRef {
            id: l.id.clone(),
            file: l.file.clone(),
            url: l.url.clone(),
            article_urls: l
                .articles
                .iter()
                .map(|a| (a.number.clone(), a.url.clone()))
                .collect(),
            units: units(l),
            name: l.name.clone().unwrap_or_else(|| l.id.clone()),
        })
        .collect();
    for (law_id, output) in wanted {
        let Some(li) = laws.iter().position(|l| &l.id == law_id) else {
            c.errors.push(LawError {
                place: Place::default(),
                problem: Problem::MissingInput(format!(
                    "{law_id} (no law with this $id is in force on {date})"
                )),
            });
            continue;
        };
        if let Some(node) = c.output(li, output, None) {
            c.ir.outputs.push((law_id.clone(), output.clone(), node));
        }
    }
    if c.errors.is_empty() {
        Ok(c.ir)
    } else {
        Err(c.errors)
    }
}

/// Where an expression is being compiled.
#[derive(Clone, Copy)]
struct At<'l> {
    law: usize,
    article: &'l Article,
}

struct Compiler<'l> {
    laws: &'l [&'l Law],
    date: i64,
    ir: Ir,
    /// Operation nodes by (op, type, arguments): computed once.
    shared: HashMap<(Op, Ty, Vec<NodeId>), NodeId>,
    /// Names already compiled, per law: outputs, definitions, inputs.
    outputs: HashMap<(usize, String), NodeId>,
    /// Outputs being compiled, to find circles.
    stack: Vec<(usize, String)>,
    errors: Vec<LawError>,
}

type R = Option<NodeId>;

impl<'l> Compiler<'l> {
    fn place(&self, at: At, path: &str, line: Option<usize>) -> Place {
        Place {
            file: self.laws[at.law].file.clone(),
            line,
            article: Some(at.article.number.clone()),
            path: path.to_string(),
        }
    }

    fn fail(&mut self, at: At, path: &str, problem: Problem) -> R {
        let line = self.line_of(at, path);
        let e = LawError {
            place: self.place(at, path, line),
            problem,
        };
        // A fault several outputs depend on is one fault to the author.
        if !self.errors.contains(&e) {
            self.errors.push(e);
        }
        None
    }

    /// The closest line known for a path: an action's or field's.
    fn line_of(&self, at: At, path: &str) -> Option<usize> {
        let a = at.article;
        a.actions
            .iter()
            .filter(|x| path.starts_with(&x.path))
            .map(|x| x.line)
            .next()
            .flatten()
            .or_else(|| {
                a.inputs
                    .iter()
                    .find(|i| path.starts_with(&i.field.path))
                    .and_then(|i| i.field.line)
            })
    }

    fn origin(&self, at: At, path: &str, label: Label) -> Origin {
        Origin {
            law: at.law,
            article: at.article.number.clone(),
            path: path.to_string(),
            line: self.line_of(at, path),
            label,
        }
    }

    /// A leaf: never shared with an equal one, so the explanation can name it.
    fn leaf(&mut self, op: Op, ty: Ty, origin: Origin) -> NodeId {
        self.ir.nodes.push(Node {
            op,
            ty,
            args: Vec::new(),
            origin,
        });
        self.ir.nodes.len() - 1
    }

    /// An operation node: folded when all its arguments are constants,
    /// shared when the same one exists.
    fn node(&mut self, at: At, path: &str, op: Op, ty: Ty, args: Vec<NodeId>, label: Label) -> R {
        if args
            .iter()
            .all(|&a| matches!(self.ir.nodes[a].op, Op::Const(_)))
            && !args.is_empty()
        {
            let values: Vec<Value> = args
                .iter()
                .map(|&a| {
                    let n = &self.ir.nodes[a];
                    Value::from_repr(
                        n.ty,
                        match n.op {
                            Op::Const(v) => v,
                            _ => 0,
                        },
                    )
                })
                .collect();
            let folded = scalar::apply(op, ty, &values)
                .and_then(|v| v.to_repr(ty).ok_or(scalar::CalcError::Overflow));
            return match folded {
                Ok(v) => {
                    let key = (Op::Const(v), ty, args.clone());
                    if let Some(&n) = self.shared.get(&key) {
                        return Some(n);
                    }
                    self.ir.nodes.push(Node {
                        op: Op::Const(v),
                        ty,
                        args: Vec::new(),
                        origin: self.origin(at, path, label),
                    });
                    let n = self.ir.nodes.len() - 1;
                    self.shared.insert(key, n);
                    Some(n)
                }
                Err(e) => self.fail(at, path, Problem::Unsupported(e.to_string())),
            };
        }
        let key = (op, ty, args.clone());
        if let Some(&n) = self.shared.get(&key) {
            return Some(n);
        }
        self.ir.nodes.push(Node {
            op,
            ty,
            args: args.clone(),
            origin: self.origin(at, path, label),
        });
        let n = self.ir.nodes.len() - 1;
        self.shared.insert(key, n);
        Some(n)
    }

    fn ty(&self, n: NodeId) -> Ty {
        self.ir.nodes[n].ty
    }

    /// The output `name` of law `li`, compiled once.
    fn output(&mut self, li: usize, name: &str, from: Option<(At<'l>, &str)>) -> R {
        let key = (li, name.to_string());
        if let Some(&n) = self.outputs.get(&key) {
            return Some(n);
        }
        if let Some(i) = self.stack.iter().position(|k| *k == key) {
            let mut names: Vec<String> = self.stack[i..]
                .iter()
                .map(|(l, n)| format!("{}.{n}", self.laws[*l].id))
                .collect();
            names.push(format!("{}.{name}", self.laws[li].id));
            return match from {
                Some((at, path)) => self.fail(at, path, Problem::Cycle(names)),
                None => None,
            };
        }
        let law = self.laws[li];
        let Some((article, action)) = law
            .articles
            .iter()
            .find_map(|a| a.actions.iter().find(|x| x.output == name).map(|x| (a, x)))
        else {
            return match from {
                Some((at, path)) => self.fail(
                    at,
                    path,
                    Problem::MissingInput(format!(
                        "{name} (law {} has no action for this output)",
                        law.id
                    )),
                ),
                None => {
                    self.errors.push(LawError {
                        place: Place {
                            file: law.file.clone(),
                            ..Place::default()
                        },
                        problem: Problem::MissingInput(format!(
                            "{name} (law {} has no action for this output)",
                            law.id
                        )),
                    });
                    None
                }
            };
        };
        let at = At { law: li, article };
        self.stack.push(key.clone());
        let value = self.expr(at, &action.expr);
        self.stack.pop();
        let value = value?;
        let value = self.check_declared(at, name, value, &action.path)?;
        // The output as a node of its own, so the explanation can name it.
        let ty = self.ty(value);
        let n = self.leaf_like(at, &action.path, value, ty, Label::Output(name.to_string()));
        self.outputs.insert(key, n);
        Some(n)
    }

    /// A named copy of a node: a Scale by 1 that the evaluators pass through.
    fn leaf_like(&mut self, at: At, path: &str, value: NodeId, ty: Ty, label: Label) -> NodeId {
        self.ir.nodes.push(Node {
            op: Op::Scale(1),
            ty,
            args: vec![value],
            origin: self.origin(at, path, label),
        });
        self.ir.nodes.len() - 1
    }

    fn check_declared(&mut self, at: At, name: &str, n: NodeId, path: &str) -> R {
        let declared = at
            .article
            .outputs
            .iter()
            .find(|o| o.name == name)
            .map(|o| o.field_type);
        let ty = self.ty(n);
        let fits = match declared {
            None | Some(FieldType::Other) => true,
            Some(FieldType::Number | FieldType::Amount) => matches!(ty, Ty::Num(_)),
            Some(FieldType::Boolean) => ty == Ty::Bool,
            Some(FieldType::Date) => ty == Ty::Date,
            Some(FieldType::String) => ty == Ty::Text,
        };
        if fits {
            Some(n)
        } else {
            self.fail(
                at,
                path,
                Problem::TypeMismatch(format!(
                    "output {name} is declared as {declared:?} but its action gives {}",
                    ty.describe()
                )),
            )
        }
    }
}

mod exprs;

/// Declared units by name: inputs, parameters, outputs and definitions.
fn units(law: &Law) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for a in &law.articles {
        let fields = a
            .inputs
            .iter()
            .map(|i| &i.field)
            .chain(&a.parameters)
            .chain(&a.outputs);
        for f in fields {
            if let Some(u) = &f.unit {
                out.insert(f.name.clone(), u.clone());
            }
        }
        for d in &a.definitions {
            if let Some(u) = &d.unit {
                out.insert(d.name.clone(), u.clone());
            }
        }
    }
    out
}
