//! Geldcheck: ten short questions about money, and plain advice from the
//! answers. Nothing is kept unless the resident chooses to send it. The
//! questions and the advice are Wegwijs' own, written for people under
//! stress: one thing per question, no amounts to look up.

use crate::error::{Problem, ValidationError};

/// A question: its code (the form field) and its answers' codes, from
/// "no worry" to "much worry". The words are in the web's message files.
pub struct Question {
    pub code: &'static str,
    pub answers: &'static [&'static str],
}

pub const QUESTIONS: [Question; 10] = [
    // Kunt u elke maand uw vaste lasten betalen?
    Question {
        code: "vaste-lasten",
        answers: &["altijd", "meestal", "soms-niet", "vaak-niet"],
    },
    // Heeft u rekeningen die u te laat betaalt?
    Question {
        code: "achterstand",
        answers: &["nee", "een", "meer"],
    },
    // Krijgt u aanmaningen, of post van een deurwaarder?
    Question {
        code: "aanmaning",
        answers: &["nee", "aanmaning", "deurwaarder"],
    },
    // Heeft u aan het eind van de maand nog geld over?
    Question {
        code: "over",
        answers: &["ja", "soms", "nee"],
    },
    // Heeft u geld opzij voor iets onverwachts?
    Question {
        code: "buffer",
        answers: &["ja", "beetje", "nee"],
    },
    // Leent u geld om rond te komen?
    Question {
        code: "lenen",
        answers: &["nee", "soms", "vaak"],
    },
    // Is uw inkomen het afgelopen jaar minder geworden?
    Question {
        code: "inkomen",
        answers: &["nee", "beetje", "veel"],
    },
    // Krijgt u de toeslagen en regelingen waar u recht op heeft?
    Question {
        code: "toeslagen",
        answers: &["ja", "weet-niet", "nee"],
    },
    // Heeft u overzicht over uw post en rekeningen?
    Question {
        code: "overzicht",
        answers: &["ja", "beetje", "nee"],
    },
    // Maakt u zich zorgen over geld?
    Question {
        code: "zorgen",
        answers: &["nee", "soms", "vaak"],
    },
];

/// The answers, by question in [`QUESTIONS`] order: the index of the
/// answer, or None when skipped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Answers(pub [Option<usize>; 10]);

/// How it looks, overall.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outlook {
    /// Nothing worrying in the answers.
    Rust,
    /// Things to keep an eye on.
    LetOp,
    /// Arrears or a bailiff, or many worries: help now.
    HulpNu,
}

impl Outlook {
    pub const ALL: [Outlook; 3] = [Outlook::Rust, Outlook::LetOp, Outlook::HulpNu];

    pub fn code(self) -> &'static str {
        match self {
            Outlook::Rust => "rust",
            Outlook::LetOp => "let-op",
            Outlook::HulpNu => "hulp-nu",
        }
    }
}

/// Advice, most urgent first; the codes name texts in the message files.
/// Every piece of advice the check can give, in the order it gives them.
pub const ADVICE: [&str; 7] = [
    "deurwaarder",
    "achterstand",
    "budget",
    "regelingen",
    "post",
    "buffer",
    "zorgen",
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Advice {
    pub outlook: Outlook,
    pub items: Vec<&'static str>,
}

impl Answers {
    /// The form's fields by question code; a question may be skipped, an
    /// unknown answer is refused naming the question.
    pub fn from_fields<'a>(
        field: impl Fn(&str) -> Option<&'a str>,
    ) -> Result<Answers, Vec<ValidationError>> {
        let mut out = Answers::default();
        let mut errors = Vec::new();
        for (i, q) in QUESTIONS.iter().enumerate() {
            match field(q.code).map(str::trim).filter(|s| !s.is_empty()) {
                None => {}
                Some(a) => match q.answers.iter().position(|x| *x == a) {
                    Some(p) => out.0[i] = Some(p),
                    None => errors.push(ValidationError::new(q.code, Problem::UnknownCode)),
                },
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    /// How many questions were answered.
    pub fn answered(&self) -> usize {
        self.0.iter().flatten().count()
    }

    fn level(&self, code: &str) -> usize {
        QUESTIONS
            .iter()
            .position(|q| q.code == code)
            .and_then(|i| self.0[i])
            .unwrap_or(0)
    }

    /// Each answer's code by question, for a summary the resident sends.
    pub fn chosen(&self) -> Vec<(&'static str, &'static str)> {
        QUESTIONS
            .iter()
            .zip(self.0)
            .filter_map(|(q, a)| a.map(|a| (q.code, q.answers[a])))
            .collect()
    }

    /// The advice: arrears and bailiffs first, since waiting makes debts
    /// grow; then income, then overview and buffer; worry last.
    pub fn advice(&self) -> Advice {
        let l = |code| self.level(code);
        let mut items = Vec::new();
        let urgent = l("achterstand") > 0 || l("aanmaning") > 0 || l("vaste-lasten") >= 2;
        if urgent {
            items.push(if l("aanmaning") == 2 {
                "deurwaarder"
            } else {
                "achterstand"
            });
        }
        if l("lenen") > 0 || l("over") == 2 {
            items.push("budget");
        }
        if l("toeslagen") > 0 || l("inkomen") > 0 {
            items.push("regelingen");
        }
        if l("overzicht") > 0 {
            items.push("post");
        }
        if l("buffer") == 2 && !urgent {
            items.push("buffer");
        }
        if l("zorgen") > 0 {
            items.push("zorgen");
        }
        let points: usize = self.0.iter().flatten().sum();
        let outlook = if urgent || points >= 10 {
            Outlook::HulpNu
        } else if points >= 3 || !items.is_empty() {
            Outlook::LetOp
        } else {
            Outlook::Rust
        };
        Advice { outlook, items }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    fn answers(pairs: &[(&str, &'static str)]) -> Answers {
        let map: HashMap<&str, &str> = pairs.iter().copied().collect();
        Answers::from_fields(|q| map.get(q).copied()).unwrap()
    }

    #[test]
    fn no_worries_is_rust_and_arrears_is_help_now() {
        let calm = answers(&[
            ("vaste-lasten", "altijd"),
            ("over", "ja"),
            ("zorgen", "nee"),
        ]);
        assert_eq!(
            calm.advice(),
            Advice {
                outlook: Outlook::Rust,
                items: vec![]
            }
        );
        let bailiff = answers(&[("aanmaning", "deurwaarder"), ("zorgen", "vaak")]);
        let a = bailiff.advice();
        assert_eq!(a.outlook, Outlook::HulpNu);
        assert_eq!(a.items, ["deurwaarder", "zorgen"]);
        let tight = answers(&[("over", "nee"), ("toeslagen", "weet-niet")]);
        assert_eq!(tight.advice().outlook, Outlook::LetOp);
        assert_eq!(tight.advice().items, ["budget", "regelingen"]);
    }

    #[test]
    fn skipping_is_fine_and_unknown_answers_are_named() {
        let none = Answers::from_fields(|_| None).unwrap();
        assert_eq!(none.answered(), 0);
        assert_eq!(none.advice().outlook, Outlook::Rust);
        let e = Answers::from_fields(|q| (q == "lenen").then_some("altijd")).unwrap_err();
        assert_eq!((e[0].field, e[0].problem.code()), ("lenen", "unknown-code"));
    }

    proptest! {
        #[test]
        fn any_answers_give_advice_and_more_worry_never_lowers_it(
            picks in proptest::collection::vec(proptest::option::of(0usize..4), 10),
            which in 0usize..10,
        ) {
            let mut a = Answers::default();
            for (i, p) in picks.iter().enumerate() {
                a.0[i] = p.map(|p| p.min(QUESTIONS[i].answers.len() - 1));
            }
            let advice = a.advice();
            prop_assert!(advice.items.iter().all(|i| ADVICE.contains(i)), "{:?}", advice.items);
            let before = advice.outlook;
            let last = QUESTIONS[which].answers.len() - 1;
            a.0[which] = Some(last);
            prop_assert!(a.advice().outlook >= before);
            prop_assert!(a.chosen().len() == a.answered());
        }
    }
}
