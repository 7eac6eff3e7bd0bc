//! Reading a law file: YAML with every node's line kept, the YAML 1.2 core
//! schema's typing of plain scalars, and decimals kept as written (a
//! percentage such as 0.01896 must not pass through floating point).

use crate::error::{LawError, Place, Problem};
use marked_yaml::{LoaderOptions, Node, types::MarkedScalarNode};
use serde_json::Value;

/// A scalar as the YAML 1.2 core schema types it; only plain (unquoted)
/// scalars are anything but strings.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar<'a> {
    Null,
    Bool(bool),
    Int(i64),
    /// A decimal literal, as written (for example "0.01896" or "1e3").
    Decimal(&'a str),
    Str(&'a str),
}

pub(crate) fn scalar(node: &MarkedScalarNode) -> Scalar<'_> {
    let s = node.as_str();
    if !node.may_coerce() {
        return Scalar::Str(s);
    }
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Scalar::Null,
        "true" | "True" | "TRUE" => return Scalar::Bool(true),
        "false" | "False" | "FALSE" => return Scalar::Bool(false),
        _ => {}
    }
    if is_int(s) {
        if let Ok(v) = s.trim_start_matches('+').parse::<i64>() {
            return Scalar::Int(v);
        }
        return Scalar::Decimal(s);
    }
    if is_decimal(s) {
        return Scalar::Decimal(s);
    }
    Scalar::Str(s)
}

fn is_int(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_decimal(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = all_digits(int)
        && frac.is_none_or(all_digits)
        && (!int.is_empty() || frac.is_some_and(|f| !f.is_empty()));
    let exponent_ok = exponent.is_none_or(|e| {
        let d = e.strip_prefix(['-', '+']).unwrap_or(e);
        !d.is_empty() && all_digits(d)
    });
    mantissa_ok && exponent_ok
}

/// Parses a law file's text; the top level must be a mapping.
pub(crate) fn parse(file: &str, text: &str) -> Result<Node, LawError> {
    let options = LoaderOptions::default()
        .prevent_coercion(true)
        .error_on_duplicate_keys(true);
    marked_yaml::parse_yaml_with_options(0, text, options).map_err(|e| LawError {
        place: Place {
            file: file.to_string(),
            ..Place::default()
        },
        problem: Problem::Syntax(e.to_string()),
    })
}

/// The document as JSON, for the schema validator.
pub(crate) fn to_json(node: &Node) -> Value {
    match node {
        Node::Scalar(s) => match scalar(s) {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::Int(i) => Value::from(i),
            Scalar::Decimal(d) => d
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or_else(|| Value::String(d.to_string()), Value::Number),
            Scalar::Str(s) => Value::String(s.to_string()),
        },
        Node::Sequence(seq) => Value::Array(seq.iter().map(to_json).collect()),
        Node::Mapping(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.as_str().to_string(), to_json(v)))
                .collect(),
        ),
    }
}

/// The line of the node at a JSON pointer ("/articles/2/text"), or of the
/// deepest node on the way there that exists.
pub(crate) fn line_at(root: &Node, pointer: &str) -> Option<usize> {
    let mut node = root;
    for segment in pointer.split('/').filter(|s| !s.is_empty()) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        let next = match node {
            Node::Mapping(map) => map.get_node(&segment),
            Node::Sequence(seq) => segment.parse().ok().and_then(|i| seq.get_node(i)),
            Node::Scalar(_) => None,
        };
        match next {
            Some(n) => node = n,
            None => break,
        }
    }
    node.span().start().map(|m| m.line())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(text: &str) -> Scalar<'static> {
        let node = parse("t.yaml", text).unwrap();
        let leaked: &'static Node = Box::leak(Box::new(node));
        let map = leaked.as_mapping().unwrap();
        scalar(map.get_scalar("a").unwrap())
    }

    #[test]
    fn plain_scalars_are_typed_as_yaml_1_2_core_and_quoted_ones_stay_strings() {
        assert_eq!(first("a: 12"), Scalar::Int(12));
        assert_eq!(first("a: -3"), Scalar::Int(-3));
        assert_eq!(first("a: 0.01896"), Scalar::Decimal("0.01896"));
        assert_eq!(first("a: .5"), Scalar::Decimal(".5"));
        assert_eq!(first("a: 1e3"), Scalar::Decimal("1e3"));
        assert_eq!(first("a: true"), Scalar::Bool(true));
        assert_eq!(first("a: ~"), Scalar::Null);
        assert_eq!(first("a: '12'"), Scalar::Str("12"));
        assert_eq!(first("a: \"true\""), Scalar::Str("true"));
        assert_eq!(first("a: 2025-01-01"), Scalar::Str("2025-01-01"));
        assert_eq!(first("a: 1.2.3"), Scalar::Str("1.2.3"));
        assert_eq!(first("a: ."), Scalar::Str("."));
    }

    #[test]
    fn a_pointer_finds_the_line_of_its_node() {
        let root = parse("t.yaml", "a: 1\nb:\n  - x: 1\n  - x: 2\n    y: 3\n").unwrap();
        assert_eq!(line_at(&root, "/b/1/y"), Some(5));
        assert_eq!(line_at(&root, "/b/1/missing"), Some(4));
    }
}
