//! Changing a law's definitions before compiling: `--set NAME=VALUE`, how
//! a policy maker tries a different income limit or norm percentage.

use crate::law::{DefValue, Law, parse_date};
use crate::number::Ratio;
use std::str::FromStr;

/// One `[LAW.]NAME=VALUE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub law: Option<String>,
    pub name: String,
    pub value: String,
}

/// Why a `--set` cannot be applied; each says what to write instead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SettingError {
    #[error("{0:?} is not NAME=VALUE: write e.g. inkomensgrens_percentage=1.2")]
    NotNameValue(String),
    #[error("{0:?} lacks a name or a value: write e.g. inkomensgrens_percentage=1.2")]
    Incomplete(String),
    #[error("{setting}: {name} is {kind}, and {value:?} is not")]
    WrongKind {
        setting: String,
        name: String,
        kind: &'static str,
        value: String,
    },
    #[error(transparent)]
    OutOfRange(Box<OutOfRange>),
    #[error("{setting}: no law defines {name:?}; names you can set: {known}")]
    Unknown {
        setting: String,
        name: String,
        known: String,
    },
}

/// A number outside the definition's `type_spec` range.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{setting}: {name} must lie between {min} and {max} ({file}, line {line})")]
pub struct OutOfRange {
    pub setting: String,
    pub name: String,
    pub min: String,
    pub max: String,
    pub file: String,
    pub line: usize,
}

impl FromStr for Setting {
    type Err = SettingError;

    fn from_str(s: &str) -> Result<Setting, SettingError> {
        let Some((target, value)) = s.split_once('=') else {
            return Err(SettingError::NotNameValue(s.into()));
        };
        let (law, name) = match target.trim().rsplit_once('.') {
            Some((law, name)) => (Some(law.to_string()), name.to_string()),
            None => (None, target.trim().to_string()),
        };
        if name.is_empty() || value.trim().is_empty() {
            return Err(SettingError::Incomplete(s.into()));
        }
        Ok(Setting {
            law,
            name,
            value: value.trim().to_string(),
        })
    }
}

impl std::fmt::Display for Setting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.law {
            Some(l) => write!(f, "{l}.{}={}", self.name, self.value),
            None => write!(f, "{}={}", self.name, self.value),
        }
    }
}

/// Replaces the value of every definition a setting names, in every version
/// of the law, keeping its type and its `type_spec` range.
pub fn apply_settings(laws: &mut [Law], settings: &[Setting]) -> Result<(), SettingError> {
    for s in settings {
        let mut changed = 0;
        for law in laws
            .iter_mut()
            .filter(|l| s.law.as_deref().is_none_or(|id| id == l.id))
        {
            for d in law
                .articles
                .iter_mut()
                .flat_map(|a| a.definitions.iter_mut())
                .filter(|d| d.name == s.name)
            {
                let value =
                    parse_like(&d.value, &s.value).ok_or_else(|| SettingError::WrongKind {
                        setting: s.to_string(),
                        name: s.name.clone(),
                        kind: kind(&d.value),
                        value: s.value.clone(),
                    })?;
                if let DefValue::Number(v) = value {
                    let low = d.min.is_some_and(|m| v < m);
                    let high = d.max.is_some_and(|m| v > m);
                    if low || high {
                        return Err(SettingError::OutOfRange(Box::new(OutOfRange {
                            setting: s.to_string(),
                            name: s.name.clone(),
                            min: d.min.map_or("-".into(), |m| m.to_string()),
                            max: d.max.map_or("-".into(), |m| m.to_string()),
                            file: law.file.clone(),
                            line: d.line.unwrap_or(0),
                        })));
                    }
                }
                d.value = value;
                changed += 1;
            }
        }
        if changed == 0 {
            return Err(SettingError::Unknown {
                setting: s.to_string(),
                name: s.name.clone(),
                known: names(laws).join(", "),
            });
        }
    }
    Ok(())
}

/// Every definition name, sorted, once.
pub fn names(laws: &[Law]) -> Vec<String> {
    let mut out: Vec<String> = laws
        .iter()
        .flat_map(|l| l.articles.iter().flat_map(|a| &a.definitions))
        .map(|d| d.name.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

fn kind(v: &DefValue) -> &'static str {
    match v {
        DefValue::Number(_) => "a number (e.g. 1.2, 120% or 45000)",
        DefValue::Bool(_) => "true or false",
        DefValue::Text(_) => "a text",
        DefValue::Date(_) => "a date (YYYY-MM-DD)",
        DefValue::List(_) => "a list (which cannot be set)",
    }
}

/// The text as a value of the same kind as `like`: numbers may use a
/// decimal comma and a percent sign (120% is 1.2).
fn parse_like(like: &DefValue, text: &str) -> Option<DefValue> {
    Some(match like {
        DefValue::Number(_) => {
            let t = text.replace(',', ".");
            match t.strip_suffix('%') {
                Some(p) => DefValue::Number(
                    Ratio::parse_decimal(p.trim())?.checked_mul(Ratio::new(1, 100)?)?,
                ),
                None => DefValue::Number(Ratio::parse_decimal(&t)?),
            }
        }
        DefValue::Bool(_) => DefValue::Bool(match text {
            "true" => true,
            "false" => false,
            _ => return None,
        }),
        DefValue::Text(_) => DefValue::Text(text.to_string()),
        DefValue::Date(_) => DefValue::Date(parse_date(text)?),
        DefValue::List(_) => return None,
    })
}
