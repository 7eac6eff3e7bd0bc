//! Gesprek voorbereiden: a few questions, one per screen and each one
//! skippable, that help a resident prepare an appointment. What they
//! answer becomes a summary they can change, which the caseworker sees
//! once they send it.

use crate::error::{Problem, ValidationError};
use crate::help::{OWN_WORDS_MAX, free_text};

/// The questions in order. Stable codes: they are in URLs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Waar wilt u over praten?
    Onderwerp,
    /// Waar maakt u zich het meest zorgen over?
    Zorgen,
    /// Welke brieven begrijpt u niet? (with uploads)
    Brieven,
    /// Wat is nu lastig voor u?
    Lastig,
    /// Wie mag er mee?
    Mee,
}

impl Step {
    pub const ALL: [Step; 5] = [
        Step::Onderwerp,
        Step::Zorgen,
        Step::Brieven,
        Step::Lastig,
        Step::Mee,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Step::Onderwerp => "onderwerp",
            Step::Zorgen => "zorgen",
            Step::Brieven => "brieven",
            Step::Lastig => "lastig",
            Step::Mee => "mee",
        }
    }

    pub fn from_code(code: &str) -> Option<Step> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// 1-based, for "vraag 2 van 5".
    pub fn number(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }

    pub fn next(self) -> Option<Step> {
        Self::ALL.get(self.number()).copied()
    }

    pub fn previous(self) -> Option<Step> {
        self.number()
            .checked_sub(2)
            .and_then(|i| Self::ALL.get(i).copied())
    }
}

/// What can be hard right now (the research's stress factors).
pub const HARD_THINGS: [&str; 5] = ["brieven", "regelen", "tijd", "geld", "gezondheid"];

/// The answers so far; empty means skipped.
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Preparation {
    #[serde(default)]
    pub onderwerp: String,
    #[serde(default)]
    pub zorgen: String,
    #[serde(default)]
    pub brieven: String,
    #[serde(default)]
    pub lastig: Vec<String>,
    #[serde(default)]
    pub lastig_anders: String,
    #[serde(default)]
    pub mee: String,
}

/// The resident's own words: never in debug output.
impl std::fmt::Debug for Preparation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Preparation(<hidden>)")
    }
}

impl Preparation {
    /// Sets one step's answer from the form's fields; every problem names
    /// its field, and nothing changes when there is one.
    pub fn set<'a>(
        &mut self,
        step: Step,
        field: impl Fn(&str) -> Option<&'a str>,
        ticked: &[String],
    ) -> Result<(), Vec<ValidationError>> {
        // The error names the question ("gesprek-…"), the form field is the step's code.
        let text = |name: &'static str, label: &'static str| {
            free_text(label, field(name).unwrap_or_default(), OWN_WORDS_MAX)
        };
        let mut next = self.clone();
        let result = match step {
            Step::Onderwerp => text("onderwerp", "gesprek-onderwerp").map(|t| next.onderwerp = t),
            Step::Zorgen => text("zorgen", "gesprek-zorgen").map(|t| next.zorgen = t),
            Step::Brieven => text("brieven", "gesprek-brieven").map(|t| next.brieven = t),
            Step::Mee => text("mee", "gesprek-mee").map(|t| next.mee = t),
            Step::Lastig => {
                let mut things = Vec::new();
                for t in ticked {
                    match HARD_THINGS.iter().find(|h| **h == t.as_str()) {
                        Some(h) if !things.iter().any(|x: &String| x == h) => {
                            things.push((*h).to_string())
                        }
                        Some(_) => {}
                        None => {
                            return Err(vec![ValidationError::new(
                                "gesprek-lastig",
                                Problem::UnknownCode,
                            )]);
                        }
                    }
                }
                things.sort_by_key(|t| HARD_THINGS.iter().position(|h| h == t));
                next.lastig = things;
                text("lastig_anders", "gesprek-lastig_anders").map(|t| next.lastig_anders = t)
            }
        };
        result.map_err(|e| vec![e])?;
        *self = next;
        Ok(())
    }

    /// Nothing answered at all.
    pub fn is_empty(&self) -> bool {
        *self == Preparation::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn steps_run_in_order() {
        assert_eq!(Step::Onderwerp.next(), Some(Step::Zorgen));
        assert_eq!(Step::Mee.next(), None);
        assert_eq!(Step::Onderwerp.previous(), None);
        assert_eq!(Step::Lastig.previous(), Some(Step::Brieven));
        assert_eq!(Step::Brieven.number(), 3);
    }

    #[test]
    fn an_answer_is_set_whole_or_not_at_all() {
        let mut p = Preparation::default();
        p.set(Step::Onderwerp, |_| Some("Mijn schulden"), &[])
            .unwrap();
        assert_eq!(p.onderwerp, "Mijn schulden");
        let ticked = vec!["geld".to_string(), "tijd".to_string(), "geld".to_string()];
        p.set(Step::Lastig, |_| Some(""), &ticked).unwrap();
        assert_eq!(p.lastig, ["tijd", "geld"]);
        let bad = vec!["vliegen".to_string()];
        let e = p.set(Step::Lastig, |_| Some("x"), &bad).unwrap_err();
        assert_eq!(e[0].field, "gesprek-lastig");
        assert_eq!(p.lastig, ["tijd", "geld"], "unchanged");
        let long = "a".repeat(OWN_WORDS_MAX + 1);
        assert!(p.set(Step::Mee, |_| Some(long.as_str()), &[]).is_err());
        assert!(!format!("{p:?}").contains("schulden"));
    }

    proptest! {
        #[test]
        fn any_text_is_kept_or_refused_with_the_field(s in "\\PC{0,1100}") {
            let mut p = Preparation::default();
            match p.set(Step::Zorgen, |_| Some(s.as_str()), &[]) {
                Ok(()) => prop_assert!(p.zorgen.chars().count() <= OWN_WORDS_MAX),
                Err(e) => prop_assert_eq!(e[0].field, "gesprek-zorgen"),
            }
        }
    }
}
