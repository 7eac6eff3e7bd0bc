//! A law as the engine reads it: the parts of a regelrecht document that
//! take part in a calculation, each with its place in the file.

use crate::error::{LawError, Place, Problem};
use crate::expr::{self, Expr};
use crate::number::Ratio;
use crate::source::{self, Scalar};
use marked_yaml::Node;
use marked_yaml::types::MarkedMappingNode;
use time::Date;

/// Every operation of schema v0.5.6.
pub const OPERATIONS: &[&str] = &[
    "ADD",
    "SUBTRACT",
    "MULTIPLY",
    "DIVIDE",
    "MIN",
    "MAX",
    "AND",
    "OR",
    "NOT",
    "EQUALS",
    "GREATER_THAN",
    "LESS_THAN",
    "GREATER_THAN_OR_EQUAL",
    "LESS_THAN_OR_EQUAL",
    "IF",
    "IN",
    "LIST",
    "AGE",
    "DATE_ADD",
    "DATE",
    "DAY_OF_WEEK",
    "DATE_DIFF",
    "ROUND",
    "CEIL",
    "FLOOR",
];

#[derive(Debug, Clone)]
pub struct Law {
    /// The `$id` other laws name in an input's `source.regulation`.
    pub id: String,
    pub name: Option<String>,
    pub file: String,
    pub url: String,
    pub valid_from: Date,
    /// Last day in force, inclusive.
    pub valid_to: Option<Date>,
    /// Marked `discoverable` (as in MinBZK's earlier format): `rules scan`
    /// looks for people who are probably entitled but do not receive it.
    pub discoverable: bool,
    pub articles: Vec<Article>,
}

#[derive(Debug, Clone)]
pub struct Article {
    pub number: String,
    pub text: String,
    pub url: String,
    pub definitions: Vec<Definition>,
    pub parameters: Vec<Field>,
    pub inputs: Vec<Input>,
    pub outputs: Vec<Field>,
    pub actions: Vec<Action>,
}

/// A field's declared type (schema `baseField.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Number,
    Amount,
    Boolean,
    Date,
    String,
    /// object and array: not a column.
    Other,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub field_type: FieldType,
    pub unit: Option<String>,
    /// Decimal places of a number (type_spec.precision).
    pub precision: u32,
    pub description: Option<String>,
    pub path: String,
    pub line: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Input {
    pub field: Field,
    /// `source.regulation`: another law's `$id`; `None` means population data.
    pub regulation: Option<String>,
    /// `source.output`: the output to take from that law.
    pub output: Option<String>,
    pub source_description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Definition {
    pub name: String,
    pub value: DefValue,
    pub unit: Option<String>,
    /// `type_spec.min` / `max`: the range a policy maker may choose from.
    pub min: Option<Ratio>,
    pub max: Option<Ratio>,
    pub path: String,
    pub line: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DefValue {
    Number(Ratio),
    Bool(bool),
    Text(String),
    Date(Date),
    List(Vec<DefValue>),
}

#[derive(Debug, Clone)]
pub struct Action {
    pub output: String,
    pub expr: Expr,
    pub path: String,
    pub line: Option<usize>,
}

/// Reads a law from its YAML text. The caller validates against the schema.
pub(crate) fn read(file: &str, root: &Node) -> Result<Law, Vec<LawError>> {
    let mut errors = Vec::new();
    let here = |path: &str, problem: Problem| LawError {
        place: Place {
            file: file.to_string(),
            line: source::line_at(root, path),
            article: None,
            path: path.to_string(),
        },
        problem,
    };
    let Some(map) = root.as_mapping() else {
        return Err(vec![here(
            "",
            Problem::Syntax("the top level is not a mapping".into()),
        )]);
    };
    let text = |key: &str| map.get_scalar(key).map(|s| s.as_str().to_string());
    let id = text("$id").unwrap_or_default();
    if id.is_empty() {
        errors.push(here(
            "",
            Problem::Schema(
                "\"$id\" is missing: give the law an identifier that other laws can name".into(),
            ),
        ));
    }
    let valid_from = match text("valid_from").as_deref().map(parse_date) {
        Some(Some(d)) => d,
        _ => {
            errors.push(here(
                "/valid_from",
                Problem::Schema(
                    "\"valid_from\" must be a date (YYYY-MM-DD) from which this version applies"
                        .into(),
                ),
            ));
            Date::MIN
        }
    };
    let valid_to = text("valid_to").as_deref().and_then(parse_date);
    let mut articles = Vec::new();
    for (i, node) in map
        .get_sequence("articles")
        .map(|s| s.iter().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        let path = format!("/articles/{i}");
        let Some(a) = node.as_mapping() else { continue };
        let number = a
            .get_scalar("number")
            .map(|s| s.as_str().to_string())
            .unwrap_or_default();
        let mut cx = Cx {
            file,
            root,
            article: &number,
            errors: &mut errors,
        };
        articles.push(read_article(&mut cx, a, &path, number.clone()));
    }
    let law = Law {
        id,
        name: text("name"),
        file: file.to_string(),
        url: text("url").unwrap_or_default(),
        valid_from,
        valid_to,
        discoverable: text("discoverable").is_some_and(|d| !d.is_empty()),
        articles,
    };
    if errors.is_empty() {
        Ok(law)
    } else {
        Err(errors)
    }
}

/// What reading an article needs to report problems.
pub(crate) struct Cx<'a> {
    pub file: &'a str,
    pub root: &'a Node,
    pub article: &'a str,
    pub errors: &'a mut Vec<LawError>,
}

impl Cx<'_> {
    pub fn line(&self, path: &str) -> Option<usize> {
        source::line_at(self.root, path)
    }

    pub fn fail(&mut self, path: &str, problem: Problem) {
        let line = self.line(path);
        self.errors.push(LawError {
            place: Place {
                file: self.file.to_string(),
                line,
                article: Some(self.article.to_string()),
                path: path.to_string(),
            },
            problem,
        });
    }
}

fn read_article(cx: &mut Cx, a: &MarkedMappingNode, path: &str, number: String) -> Article {
    let get = |k: &str| {
        a.get_scalar(k)
            .map(|s| s.as_str().to_string())
            .unwrap_or_default()
    };
    let mut article = Article {
        number,
        text: get("text"),
        url: get("url"),
        definitions: Vec::new(),
        parameters: Vec::new(),
        inputs: Vec::new(),
        outputs: Vec::new(),
        actions: Vec::new(),
    };
    let Some(mr) = a.get_mapping("machine_readable") else {
        return article;
    };
    let mr_path = format!("{path}/machine_readable");
    if let Some(defs) = mr.get_mapping("definitions") {
        for (name, node) in defs.iter() {
            let p = format!("{mr_path}/definitions/{}", name.as_str());
            if let Some(d) = read_definition(cx, name.as_str(), node, &p) {
                article.definitions.push(d);
            }
        }
    }
    let Some(ex) = mr.get_mapping("execution") else {
        return article;
    };
    let ex_path = format!("{mr_path}/execution");
    let list = |key: &str| {
        ex.get_sequence(key)
            .map(|s| s.iter().collect::<Vec<_>>())
            .unwrap_or_default()
    };
    for (i, n) in list("parameters").into_iter().enumerate() {
        article
            .parameters
            .extend(read_field(cx, n, &format!("{ex_path}/parameters/{i}")));
    }
    for (i, n) in list("input").into_iter().enumerate() {
        let p = format!("{ex_path}/input/{i}");
        let Some(field) = read_field(cx, n, &p) else {
            continue;
        };
        let source = n.as_mapping().and_then(|m| m.get_mapping("source"));
        let s = |k: &str| {
            source
                .and_then(|m| m.get_scalar(k))
                .map(|v| v.as_str().to_string())
        };
        article.inputs.push(Input {
            field,
            regulation: s("regulation"),
            output: s("output"),
            source_description: s("description"),
        });
    }
    for (i, n) in list("output").into_iter().enumerate() {
        article
            .outputs
            .extend(read_field(cx, n, &format!("{ex_path}/output/{i}")));
    }
    for (i, n) in list("actions").into_iter().enumerate() {
        let p = format!("{ex_path}/actions/{i}");
        if let Some(action) = read_action(cx, n, &p) {
            article.actions.push(action);
        }
    }
    article
}

fn read_field(cx: &mut Cx, node: &Node, path: &str) -> Option<Field> {
    let m = node.as_mapping()?;
    let name = m.get_scalar("name")?.as_str().to_string();
    let field_type = match m.get_scalar("type").map(|s| s.as_str()) {
        Some("number") => FieldType::Number,
        Some("amount") => FieldType::Amount,
        Some("boolean") => FieldType::Boolean,
        Some("date") => FieldType::Date,
        Some("string") => FieldType::String,
        _ => FieldType::Other,
    };
    let spec = m.get_mapping("type_spec");
    let precision = match spec
        .and_then(|s| s.get_scalar("precision"))
        .map(source::scalar)
    {
        None => 0,
        Some(Scalar::Int(p)) if (0..=9).contains(&p) => p as u32,
        Some(_) => {
            cx.fail(
                &format!("{path}/type_spec/precision"),
                Problem::Unsupported("precision must be a whole number from 0 to 9".into()),
            );
            0
        }
    };
    Some(Field {
        name,
        field_type,
        unit: spec
            .and_then(|s| s.get_scalar("unit"))
            .map(|u| u.as_str().to_string()),
        precision,
        description: m.get_scalar("description").map(|d| d.as_str().to_string()),
        path: path.to_string(),
        line: cx.line(path),
    })
}

fn read_definition(cx: &mut Cx, name: &str, node: &Node, path: &str) -> Option<Definition> {
    // Either a bare value or {value, type, type_spec}.
    let (value_node, value_path, spec) = match node.as_mapping() {
        Some(m) if m.get_node("value").is_some() => (
            m.get_node("value")?,
            format!("{path}/value"),
            m.get_mapping("type_spec"),
        ),
        _ => (node, path.to_string(), None),
    };
    let spec_text = |key: &str| spec.and_then(|s| s.get_scalar(key));
    let bound = |key: &str| match spec_text(key).map(source::scalar) {
        Some(Scalar::Int(i)) => Some(Ratio::int(i)),
        Some(Scalar::Decimal(d)) => Ratio::parse_decimal(d),
        _ => None,
    };
    match def_value(value_node) {
        Some(value) => Some(Definition {
            name: name.to_string(),
            value,
            unit: spec_text("unit").map(|u| u.as_str().to_string()),
            min: bound("min"),
            max: bound("max"),
            path: path.to_string(),
            line: cx.line(path),
        }),
        None => {
            cx.fail(&value_path, Problem::Unsupported(format!("definition {name:?} must be a number, true/false, text, a date or a list of those")));
            None
        }
    }
}

fn def_value(node: &Node) -> Option<DefValue> {
    match node {
        Node::Scalar(s) => Some(match source::scalar(s) {
            Scalar::Null => return None,
            Scalar::Bool(b) => DefValue::Bool(b),
            Scalar::Int(i) => DefValue::Number(Ratio::int(i)),
            Scalar::Decimal(d) => DefValue::Number(Ratio::parse_decimal(d)?),
            Scalar::Str(t) => match parse_date(t) {
                Some(d) => DefValue::Date(d),
                None => DefValue::Text(t.to_string()),
            },
        }),
        Node::Sequence(seq) => seq
            .iter()
            .map(def_value)
            .collect::<Option<Vec<_>>>()
            .map(DefValue::List),
        Node::Mapping(_) => None,
    }
}

fn read_action(cx: &mut Cx, node: &Node, path: &str) -> Option<Action> {
    let m = node.as_mapping()?;
    let output = m.get_scalar("output")?.as_str().to_string();
    if m.get_node("resolve").is_some() {
        cx.fail(&format!("{path}/resolve"), Problem::Unsupported("\"resolve\" (delegation to an implementing regulation) is not supported: give the value or operation here".into()));
        return None;
    }
    let expr = if let Some(v) = m.get_node("value") {
        expr::read(cx, v, &format!("{path}/value"))?
    } else if m.get_node("operation").is_some() {
        // The inline form: operation, values (and precision) on the action itself.
        expr::read_inline(cx, m, path)?
    } else {
        cx.fail(
            path,
            Problem::Unsupported(format!(
                "the action for {output:?} has neither \"value\" nor \"operation\""
            )),
        );
        return None;
    };
    Some(Action {
        output,
        expr,
        path: path.to_string(),
        line: cx.line(path),
    })
}

/// A date as the schema writes it: YYYY-MM-DD (the project's one ISO
/// date reader).
pub fn parse_date(s: &str) -> Option<Date> {
    wegwijs_domain::person::parse_date("date", s).ok()
}
