//! Loading law files: YAML, the regelrecht schema, then the engine's own
//! reading; and choosing the version of each law that applies on a date.

use crate::error::{LawError, Place, Problem};
use crate::law::{self, Law};
use crate::source;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use time::Date;

const SCHEMA: &str = include_str!("../../../standards/regelrecht-schema-v0.5.6.json");

/// The embedded schema does not load (a build without its file, or a
/// schema jsonschema cannot read).
#[derive(Clone, Debug, thiserror::Error)]
#[error("the embedded schema does not load: {0}")]
struct SchemaError(String);

fn validator() -> Result<&'static jsonschema::Validator, SchemaError> {
    static VALIDATOR: OnceLock<Result<jsonschema::Validator, SchemaError>> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| {
            let schema: serde_json::Value =
                serde_json::from_str(SCHEMA).map_err(|e| SchemaError(e.to_string()))?;
            jsonschema::validator_for(&schema).map_err(|e| SchemaError(e.to_string()))
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Reads one law from its text; `file` names it in errors. Every problem
/// found is returned, each with its place.
pub fn parse_law(file: &str, text: &str) -> Result<Law, Vec<LawError>> {
    let root = source::parse(file, text).map_err(|e| vec![e])?;
    // The engine's reading first: its messages are specific ("unknown
    // operation"), where the schema's for the same fault are not.
    let read = law::read(file, &root);
    let json = source::to_json(&root);
    let schema = validator().map_err(|e| {
        vec![LawError {
            place: Place {
                file: file.to_string(),
                ..Place::default()
            },
            problem: Problem::Schema(e.to_string()),
        }]
    })?;
    let mut errors = read.as_ref().err().cloned().unwrap_or_default();
    let engine_paths: Vec<String> = errors
        .iter()
        .map(|e| e.place.path.clone())
        .filter(|p| !p.is_empty())
        .collect();
    for e in schema.iter_errors(&json) {
        let path = e.instance_path().as_str().to_string();
        // A fault the engine reported already shows up again, vaguer.
        if engine_paths
            .iter()
            .any(|p| path.starts_with(p.as_str()) || (!path.is_empty() && p.starts_with(&path)))
        {
            continue;
        }
        errors.push(LawError {
            place: Place {
                file: file.to_string(),
                line: source::line_at(&root, &path),
                article: article_of(&json, &path),
                path,
            },
            problem: Problem::Schema(e.to_string()),
        });
    }
    match read {
        Ok(law) if errors.is_empty() => Ok(law),
        _ => Err(errors),
    }
}

/// The number of the article a pointer is inside.
fn article_of(doc: &serde_json::Value, pointer: &str) -> Option<String> {
    let mut parts = pointer.split('/').skip(1);
    if parts.next()? != "articles" {
        return None;
    }
    let i: usize = parts.next()?.parse().ok()?;
    doc["articles"][i]["number"].as_str().map(str::to_string)
}

/// Law files named on the command line or found in directories (`*.yaml`,
/// `*.yml`, recursively), in a stable order.
pub fn law_files(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            collect(p, &mut files)?;
        } else {
            files.push(p.clone());
        }
    }
    files.sort();
    Ok(files)
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            files.push(path);
        }
    }
    Ok(())
}

/// All laws in the given files and directories; every problem in every file.
pub fn load_laws(paths: &[PathBuf]) -> Result<Vec<Law>, Vec<LawError>> {
    let files = law_files(paths).map_err(|e| {
        vec![LawError {
            place: Place::default(),
            problem: Problem::Syntax(format!("cannot list the law files: {e}")),
        }]
    })?;
    let mut laws = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let name = file.display().to_string();
        match std::fs::read_to_string(&file) {
            Ok(text) => match parse_law(&name, &text) {
                Ok(law) => laws.push(law),
                Err(e) => errors.extend(e),
            },
            Err(e) => errors.push(LawError {
                place: Place {
                    file: name,
                    ..Place::default()
                },
                problem: Problem::Syntax(format!("cannot read the file: {e}")),
            }),
        }
    }
    if errors.is_empty() {
        Ok(laws)
    } else {
        Err(errors)
    }
}

/// Of each law, the version in force on `date`: the latest `valid_from`
/// on or before it, unless that version ended (`valid_to`) before it.
pub fn in_force(laws: &[Law], date: Date) -> Vec<&Law> {
    let mut chosen: Vec<&Law> = Vec::new();
    for law in laws.iter().filter(|l| l.valid_from <= date) {
        match chosen.iter_mut().find(|c| c.id == law.id) {
            Some(c) if c.valid_from < law.valid_from => *c = law,
            Some(_) => {}
            None => chosen.push(law),
        }
    }
    chosen.retain(|l| l.valid_to.is_none_or(|to| date <= to));
    chosen.sort_by(|a, b| a.id.cmp(&b.id));
    chosen
}
