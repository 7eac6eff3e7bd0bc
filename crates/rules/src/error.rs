//! Errors a law author or a data supplier can act on: each names the file,
//! the article and the place inside it, and says what to do.

use std::fmt;

/// Where in a law file something is: the file, its line when known, the
/// article and the path inside the document (as a JSON pointer, the form
/// schema validators use).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: Option<usize>,
    pub article: Option<String>,
    pub path: String,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(article) = &self.article {
            write!(f, ": article {article}")?;
        }
        if !self.path.is_empty() {
            write!(f, ": at {}", self.path)?;
        }
        Ok(())
    }
}

/// What is wrong with a law (set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The file is not YAML, or not a mapping at the top.
    Syntax(String),
    /// The schema refuses the document.
    Schema(String),
    UnknownOperation(String),
    /// A `$name` that nothing in the law, its inputs or the population defines.
    MissingInput(String),
    /// Outputs that depend on each other in a circle, in order.
    Cycle(Vec<String>),
    TypeMismatch(String),
    /// Anything else the engine cannot evaluate as written, with the reason.
    Unsupported(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LawError {
    pub place: Place,
    pub problem: Problem,
}

impl fmt::Display for LawError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.place)?;
        match &self.problem {
            Problem::Syntax(m) => write!(f, "not a valid YAML law file: {m}"),
            Problem::Schema(m) => write!(f, "does not follow the regelrecht schema v0.5.6: {m}"),
            Problem::UnknownOperation(op) => write!(
                f,
                "unknown operation {op:?}; use one of {}",
                crate::law::OPERATIONS.join(", ")
            ),
            Problem::MissingInput(name) => write!(
                f,
                "${name} is not defined: add it to the article's definitions, parameters or input, \
                 or make some article output it"
            ),
            Problem::Cycle(names) => write!(
                f,
                "outputs depend on each other in a circle: {}; break the circle",
                names.join(" -> ")
            ),
            Problem::TypeMismatch(m) => write!(f, "type mismatch: {m}"),
            Problem::Unsupported(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for LawError {}

/// A problem with population data or a calculation over it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DataError {
    #[error("{file}: line {line}: column {column:?}: {problem}")]
    Cell {
        file: String,
        line: u64,
        column: String,
        problem: String,
    },
    #[error("{file}: {problem}")]
    File { file: String, problem: String },
    /// A calculation left the range of exact 64-bit arithmetic, or divided
    /// by zero, for the row with this id.
    #[error("{place}: {problem} (row {row})")]
    Calculation {
        place: Box<Place>,
        row: String,
        problem: String,
    },
}
