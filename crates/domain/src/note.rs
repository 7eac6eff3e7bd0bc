//! The case file's notes: a journal a caseworker keeps of a resident, each
//! with its purpose. A note is never changed; a correction is a new note
//! that names the one it corrects.

use crate::error::{Problem, ValidationError};

/// Why a note was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotePurpose {
    /// What was discussed in a conversation with the resident.
    Gesprek,
    /// An attempt to reach the resident.
    Contactpoging,
    /// Consultation with a colleague or another organisation.
    Overleg,
    /// What was agreed: who does what, by when.
    Afspraak,
    Overig,
}

impl NotePurpose {
    pub const ALL: [NotePurpose; 5] = [
        NotePurpose::Gesprek,
        NotePurpose::Contactpoging,
        NotePurpose::Overleg,
        NotePurpose::Afspraak,
        NotePurpose::Overig,
    ];

    pub fn code(self) -> &'static str {
        match self {
            NotePurpose::Gesprek => "gesprek",
            NotePurpose::Contactpoging => "contactpoging",
            NotePurpose::Overleg => "overleg",
            NotePurpose::Afspraak => "afspraak",
            NotePurpose::Overig => "overig",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|p| p.code() == code.trim())
            .ok_or(ValidationError::new("doel-notitie", Problem::NotChosen))
    }
}

/// The longest note, in characters.
pub const NOTE_MAX: usize = 4_000;

/// A note as a caseworker wrote it, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewNote {
    pub purpose: NotePurpose,
    pub body: String,
    /// The note this one corrects.
    pub corrects: Option<i64>,
}

impl NewNote {
    /// Checks what was typed; every field's problem at once.
    pub fn validate(
        purpose: &str,
        body: &str,
        corrects: &str,
    ) -> Result<NewNote, Vec<ValidationError>> {
        let purpose = NotePurpose::from_code(purpose);
        let body = crate::person::text("notitie", body, NOTE_MAX);
        let corrects = match corrects.trim() {
            "" => Ok(None),
            n => n
                .parse::<i64>()
                .ok()
                .filter(|n| *n > 0)
                .map(Some)
                .ok_or(ValidationError::new("corrigeert", Problem::UnknownCode)),
        };
        match (purpose, body, corrects) {
            (Ok(purpose), Ok(body), Ok(corrects)) => Ok(NewNote {
                purpose,
                body,
                corrects,
            }),
            (p, b, c) => Err([p.err(), b.err(), c.err()].into_iter().flatten().collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_note_needs_a_purpose_and_words() {
        let n = NewNote::validate("gesprek", "  Besproken: de huurachterstand.  ", "").unwrap();
        assert_eq!(n.purpose, NotePurpose::Gesprek);
        assert_eq!(n.body, "Besproken: de huurachterstand.");
        assert_eq!(n.corrects, None);
        let fix = NewNote::validate("overig", "Niet maart maar april.", "12").unwrap();
        assert_eq!(fix.corrects, Some(12));
        let e = NewNote::validate("", " ", "x").unwrap_err();
        let fields: Vec<&str> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["doel-notitie", "notitie", "corrigeert"]);
        let long = "a".repeat(NOTE_MAX + 1);
        assert_eq!(
            NewNote::validate("gesprek", &long, "").unwrap_err()[0].problem,
            Problem::TooLong { max: NOTE_MAX }
        );
    }

    proptest! {
        #[test]
        fn any_input_is_a_note_or_named_problems(p in ".{0,12}", b in ".{0,50}", c in ".{0,6}") {
            if let Err(e) = NewNote::validate(&p, &b, &c) {
                prop_assert!(!e.is_empty());
                for v in e {
                    prop_assert!(["doel-notitie", "notitie", "corrigeert"].contains(&v.field));
                }
            }
        }
    }
}
