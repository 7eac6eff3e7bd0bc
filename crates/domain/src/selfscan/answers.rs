//! Answers and the parts of the form they are given on.

use crate::error::{Problem, ValidationError};
use std::collections::HashMap;

/// One professional's answers, by statement code.
pub type Answers = HashMap<String, Answer>;

/// An answer on the 5-point scale (nooit … altijd), or "weet ik niet /
/// n.v.t.", which counts for nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Scale(u8),
    NotApplicable,
}

impl Answer {
    /// "1".."5", or "nvt".
    pub fn parse(field: &'static str, input: &str) -> Result<Answer, ValidationError> {
        match input.trim() {
            "nvt" => Ok(Answer::NotApplicable),
            "1" => Ok(Answer::Scale(1)),
            "2" => Ok(Answer::Scale(2)),
            "3" => Ok(Answer::Scale(3)),
            "4" => Ok(Answer::Scale(4)),
            "5" => Ok(Answer::Scale(5)),
            // Not "+3" or "03": a form sends one of the six values.
            _ => Err(ValidationError::new(field, Problem::UnknownCode)),
        }
    }

    pub fn code(self) -> String {
        match self {
            Answer::Scale(n) => n.to_string(),
            Answer::NotApplicable => "nvt".into(),
        }
    }
}

use super::{Element, Instrument, Item, Pillar};

/// The form comes in four parts: one per pillar, then the general
/// statements, so that nobody faces forty questions on one screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Pillar(Pillar),
    General,
}

impl Part {
    pub const ALL: [Part; 4] = [
        Part::Pillar(Pillar::Begrijpen),
        Part::Pillar(Pillar::Willen),
        Part::Pillar(Pillar::Kunnen),
        Part::General,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Part::Pillar(p) => p.code(),
            Part::General => "algemeen",
        }
    }

    pub fn from_code(code: &str) -> Option<Part> {
        Part::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The part after this one, if any.
    pub fn next(self) -> Option<Part> {
        let i = Part::ALL.iter().position(|p| *p == self)?;
        Part::ALL.get(i + 1).copied()
    }
}

impl Instrument {
    /// A part's statements, each with the element it is about (none for
    /// the general ones), in the order they are asked.
    pub fn items_of(&self, part: Part) -> Vec<(Option<Element>, &Item)> {
        match part {
            Part::Pillar(p) => Element::ALL
                .iter()
                .filter_map(|e| self.cell(p, *e))
                .flat_map(|c| c.items.iter().map(move |i| (Some(c.element), i)))
                .collect(),
            Part::General => self.general.items.iter().map(|i| (None, i)).collect(),
        }
    }

    /// Refuses a submission made on another version, or naming a statement
    /// this version does not have; nothing of it may then be kept.
    pub fn check_submission(
        &self,
        version: i64,
        answers: &[(String, Answer)],
    ) -> Result<(), ValidationError> {
        if version != self.version {
            return Err(ValidationError::new("versie", Problem::UnknownVersion));
        }
        let known: std::collections::HashSet<&str> = self.codes().collect();
        match answers
            .iter()
            .any(|(code, _)| !known.contains(code.as_str()))
        {
            true => Err(ValidationError::new("vraag", Problem::UnknownStatement)),
            false => Ok(()),
        }
    }

    /// An answer to every statement, from `f` (part, element, statement):
    /// for filling in on someone's behalf, as the demo does.
    pub fn answer_each(
        &self,
        mut f: impl FnMut(Part, Option<Element>, &Item) -> Answer,
    ) -> Vec<(String, Answer)> {
        Part::ALL
            .iter()
            .flat_map(|p| self.items_of(*p).into_iter().map(move |(e, i)| (*p, e, i)))
            .map(|(p, e, i)| (i.code.clone(), f(p, e, i)))
            .collect()
    }

    /// The first part with a statement still open, if any.
    pub fn first_open(&self, answers: &Answers) -> Option<Part> {
        self.unanswered(answers)
            .into_iter()
            .find(|(_, open)| *open > 0)
            .map(|(p, _)| p)
    }

    /// How many statements of each part have no answer yet.
    pub fn unanswered(&self, answers: &Answers) -> Vec<(Part, usize)> {
        Part::ALL
            .iter()
            .map(|p| {
                let open = self
                    .items_of(*p)
                    .iter()
                    .filter(|(_, i)| !answers.contains_key(&i.code))
                    .count();
                (*p, open)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::selfscan::SHIPPED;

    #[test]
    fn a_submission_on_another_version_or_with_a_strange_statement_is_refused() {
        let i = Instrument::parse(SHIPPED).unwrap();
        let ok = vec![("bb1".to_string(), Answer::Scale(4))];
        assert_eq!(i.check_submission(1, &ok), Ok(()));
        let e = i.check_submission(2, &ok).unwrap_err();
        assert_eq!((e.field, e.problem), ("versie", Problem::UnknownVersion));
        let strange = vec![("zz9".to_string(), Answer::Scale(4))];
        let e = i.check_submission(1, &strange).unwrap_err();
        assert_eq!((e.field, e.problem), ("vraag", Problem::UnknownStatement));
    }

    proptest::proptest! {
        #[test]
        fn only_the_scale_and_nvt_are_answers(input in "[ +0-9nvt]{0,4}|\\PC{0,6}") {
            match Answer::parse("antwoord", &input) {
                Ok(a) => proptest::prop_assert_eq!(input.trim(), a.code()),
                Err(e) => {
                    proptest::prop_assert!(!["1", "2", "3", "4", "5", "nvt"].contains(&input.trim()));
                    proptest::prop_assert_eq!(e.field, "antwoord");
                }
            }
        }
    }

    #[test]
    fn an_action_point_names_every_problem() {
        let e = crate::selfscan::NewAction::validate(" ", "", "morgen").unwrap_err();
        let fields: Vec<&str> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["wat", "wie", "wanneer"]);
        assert!(
            crate::selfscan::NewAction::validate("Brief herschrijven", "Mo", "2027-01-31").is_ok()
        );
    }

    #[test]
    fn the_parts_cover_every_statement_once() {
        let i = Instrument::parse(SHIPPED).unwrap();
        let n: usize = Part::ALL.iter().map(|p| i.items_of(*p).len()).sum();
        assert_eq!(n, i.codes().count());
        let mut a = Answers::new();
        a.insert("al1".into(), Answer::NotApplicable);
        let open = i.unanswered(&a);
        assert_eq!(open[3], (Part::General, 2));
        assert_eq!(i.first_open(&a), Some(Part::Pillar(Pillar::Begrijpen)));
        let all: Answers = i
            .answer_each(|_, _, _| Answer::NotApplicable)
            .into_iter()
            .collect();
        assert_eq!(i.first_open(&all), None);
        assert_eq!(
            Part::from_code("willen").and_then(Part::next),
            Some(Part::Pillar(Pillar::Kunnen))
        );
        assert_eq!(Part::General.next(), None);
    }
}
