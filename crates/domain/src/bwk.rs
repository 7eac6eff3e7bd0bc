//! Begrijpen, willen, kunnen: after a contact the caseworker notes, in a
//! few clicks, how it went on each pillar — does the resident understand
//! what is asked, do they want to take the step, can they now — with a
//! short note. It helps the caseworker follow the course of a trajectory;
//! it never scores or ranks a resident.

use crate::error::{Problem, ValidationError};
use time::Date;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pillar {
    Begrijpen,
    Willen,
    Kunnen,
}

impl Pillar {
    pub const ALL: [Pillar; 3] = [Pillar::Begrijpen, Pillar::Willen, Pillar::Kunnen];

    pub fn code(self) -> &'static str {
        match self {
            Pillar::Begrijpen => "begrijpen",
            Pillar::Willen => "willen",
            Pillar::Kunnen => "kunnen",
        }
    }
}

/// How it went on a pillar, as the caseworker saw it in this contact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reading {
    Ja,
    Deels,
    Nee,
    /// Not talked about this time.
    NietBesproken,
}

impl Reading {
    pub const ALL: [Reading; 4] = [
        Reading::Ja,
        Reading::Deels,
        Reading::Nee,
        Reading::NietBesproken,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Reading::Ja => "ja",
            Reading::Deels => "deels",
            Reading::Nee => "nee",
            Reading::NietBesproken => "niet-besproken",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code.trim())
    }
}

/// How the contact took place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContactWay {
    Telefoon,
    Balie,
    Huisbezoek,
    Video,
    Bericht,
}

impl ContactWay {
    pub const ALL: [ContactWay; 5] = [
        ContactWay::Telefoon,
        ContactWay::Balie,
        ContactWay::Huisbezoek,
        ContactWay::Video,
        ContactWay::Bericht,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ContactWay::Telefoon => "telefoon",
            ContactWay::Balie => "balie",
            ContactWay::Huisbezoek => "huisbezoek",
            ContactWay::Video => "video",
            ContactWay::Bericht => "bericht",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.code() == code.trim())
    }
}

/// The longest summary of what was discussed, and of a pillar's note.
pub const SUMMARY_MAX: usize = 2_000;
pub const PILLAR_NOTE_MAX: usize = 300;

/// A contact as the caseworker recorded it, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactRecord {
    pub on: Date,
    pub way: ContactWay,
    /// What was discussed.
    pub summary: String,
    /// Per pillar (in [`Pillar::ALL`] order): the reading and its note.
    pub pillars: [(Reading, String); 3],
}

/// What the contact form sent, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct TypedContact {
    #[serde(default)]
    pub datum: String,
    #[serde(default)]
    pub vorm: String,
    #[serde(default)]
    pub besproken: String,
    #[serde(default)]
    pub begrijpen: String,
    #[serde(default)]
    pub begrijpen_notitie: String,
    #[serde(default)]
    pub willen: String,
    #[serde(default)]
    pub willen_notitie: String,
    #[serde(default)]
    pub kunnen: String,
    #[serde(default)]
    pub kunnen_notitie: String,
}

impl ContactRecord {
    /// Checks what was typed on `today`; every field's problem at once. A
    /// contact is today or in the past year.
    pub fn validate(t: &TypedContact, today: Date) -> Result<ContactRecord, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let on = match crate::person::parse_date("datum", &t.datum) {
            Ok(d) if d > today => {
                errors.push(ValidationError::new("datum", Problem::InFuture));
                None
            }
            Ok(d) if d < today - time::Duration::days(366) => {
                errors.push(ValidationError::new("datum", Problem::TooOld));
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let way = ContactWay::from_code(&t.vorm);
        if way.is_none() {
            errors.push(ValidationError::new("contactvorm", Problem::NotChosen));
        }
        let summary = crate::person::text("besproken", &t.besproken, SUMMARY_MAX)
            .map_err(|e| errors.push(e))
            .ok();
        let typed = [
            (
                "begrijpen",
                &t.begrijpen,
                "begrijpen-notitie",
                &t.begrijpen_notitie,
            ),
            ("willen", &t.willen, "willen-notitie", &t.willen_notitie),
            ("kunnen", &t.kunnen, "kunnen-notitie", &t.kunnen_notitie),
        ];
        let mut pillars: Vec<(Reading, String)> = Vec::new();
        for (field, reading, note_field, note) in typed {
            let reading = Reading::from_code(reading);
            if reading.is_none() {
                errors.push(ValidationError::new(field, Problem::NotChosen));
            }
            let note = crate::person::optional_text(note_field, note, PILLAR_NOTE_MAX)
                .map_err(|e| errors.push(e))
                .ok()
                .flatten()
                .unwrap_or_default();
            pillars.push((reading.unwrap_or(Reading::NietBesproken), note));
        }
        match (on, way, summary) {
            (Some(on), Some(way), Some(summary)) if errors.is_empty() => {
                let [b, w, k]: [(Reading, String); 3] =
                    pillars.try_into().map_err(|_| Vec::new())?;
                Ok(ContactRecord {
                    on,
                    way,
                    summary,
                    pillars: [b, w, k],
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 08);

    fn typed() -> TypedContact {
        TypedContact {
            datum: "2026-12-07".into(),
            vorm: "telefoon".into(),
            besproken: "Huur van december besproken.".into(),
            begrijpen: "ja".into(),
            willen: "deels".into(),
            willen_notitie: "Twijfelt of hulp nodig is.".into(),
            kunnen: "niet-besproken".into(),
            ..TypedContact::default()
        }
    }

    #[test]
    fn a_contact_has_a_day_a_way_words_and_each_pillar() {
        let c = ContactRecord::validate(&typed(), TODAY).unwrap();
        assert_eq!(
            c.pillars[1],
            (Reading::Deels, "Twijfelt of hulp nodig is.".to_string())
        );
        let empty = ContactRecord::validate(&TypedContact::default(), TODAY).unwrap_err();
        let fields: Vec<_> = empty.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "datum",
                "contactvorm",
                "besproken",
                "begrijpen",
                "willen",
                "kunnen"
            ]
        );
        let future = TypedContact {
            datum: "2026-12-09".into(),
            kunnen_notitie: "x".repeat(PILLAR_NOTE_MAX + 1),
            ..typed()
        };
        let e = ContactRecord::validate(&future, TODAY).unwrap_err();
        assert_eq!(
            e.iter()
                .map(|e| (e.field, e.problem.clone()))
                .collect::<Vec<_>>(),
            [
                ("datum", Problem::InFuture),
                (
                    "kunnen-notitie",
                    Problem::TooLong {
                        max: PILLAR_NOTE_MAX
                    }
                )
            ]
        );
    }
}
