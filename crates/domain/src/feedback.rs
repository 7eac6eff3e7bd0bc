//! Hoe was het?: after a contact, one question — how easy was it to
//! arrange this, 1 (very hard) to 5 (very easy) — and room for a comment.

use crate::error::{Problem, ValidationError};

/// The longest comment: a few sentences.
pub const COMMENT_MAX: usize = 500;

/// How long after a contact the portal asks about it.
pub const ASK_DAYS: i64 = 30;

#[derive(Clone, PartialEq, Eq)]
pub struct Feedback {
    pub score: i64,
    pub comment: String,
}

/// The comment is the resident's own words.
impl std::fmt::Debug for Feedback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Feedback({}, <hidden>)", self.score)
    }
}

impl Feedback {
    pub fn validate(score: &str, comment: &str) -> Result<Feedback, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let score = match score.trim().parse::<i64>() {
            Ok(n @ 1..=5) => Some(n),
            _ if score.trim().is_empty() => {
                errors.push(ValidationError::new("cijfer", Problem::Empty));
                None
            }
            _ => {
                errors.push(ValidationError::new(
                    "cijfer",
                    Problem::OutOfRange { min: 1, max: 5 },
                ));
                None
            }
        };
        let comment = crate::help::free_text("opmerking", comment, COMMENT_MAX)
            .map_err(|e| errors.push(e))
            .ok();
        match (score, comment) {
            (Some(score), Some(comment)) if errors.is_empty() => Ok(Feedback { score, comment }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_score_from_one_to_five_and_an_optional_comment() {
        assert_eq!(Feedback::validate("4", "").unwrap().score, 4);
        assert_eq!(Feedback::validate("", "x").unwrap_err()[0].field, "cijfer");
        assert_eq!(
            Feedback::validate("6", &"a".repeat(COMMENT_MAX + 1))
                .unwrap_err()
                .iter()
                .map(|e| e.field)
                .collect::<Vec<_>>(),
            ["cijfer", "opmerking"]
        );
        assert!(!format!("{:?}", Feedback::validate("3", "Geheim").unwrap()).contains("Geheim"));
    }

    proptest! {
        #[test]
        fn only_one_to_five_is_a_score(s in "\\PC{0,4}") {
            if let Ok(f) = Feedback::validate(&s, "") {
                prop_assert!((1..=5).contains(&f.score));
            }
        }
    }
}
