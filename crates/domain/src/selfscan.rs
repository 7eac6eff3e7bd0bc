//! Drempels slechten: the begrijpen-willen-kunnen self-assessment for
//! professionals. The instrument is data (statements per pillar × process
//! element, why each cell matters, tips for when it scores low), versioned;
//! answers always refer to the version they were given on. Scores are
//! whole numbers: a mean × 100 on the 1–5 scale, a spread × 100.

use crate::error::{Problem, ValidationError};
use serde::Deserialize;
use std::collections::HashMap;

/// The three pillars, in the order the research names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Pillar {
    Begrijpen,
    Willen,
    Kunnen,
}

/// The four places where residents with little schooling get stuck.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Element {
    Brieven,
    Gesprekken,
    Website,
    Ontvangst,
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

impl Element {
    pub const ALL: [Element; 4] = [
        Element::Brieven,
        Element::Gesprekken,
        Element::Website,
        Element::Ontvangst,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Element::Brieven => "brieven",
            Element::Gesprekken => "gesprekken",
            Element::Website => "website",
            Element::Ontvangst => "ontvangst",
        }
    }
}

/// A text in Dutch and English.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct Text {
    pub nl: String,
    pub en: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct Item {
    pub code: String,
    #[serde(flatten)]
    pub text: Text,
}

/// One pillar × element: its statements, why it matters, what helps.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct Cell {
    pub pillar: Pillar,
    pub element: Element,
    pub why: Text,
    pub tips: Vec<Text>,
    pub items: Vec<Item>,
}

/// The general statements (room in the work, the team).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct General {
    pub why: Text,
    pub tips: Vec<Text>,
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct Instrument {
    pub version: i64,
    pub title: Text,
    pub description: Text,
    pub cells: Vec<Cell>,
    pub general: General,
}

/// The instrument Wegwijs ships: our own operationalisation (the
/// research's items are not public).
pub const SHIPPED: &str = include_str!("../instrument/drempels-v1.json");

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
            s => match s.parse::<u8>() {
                Ok(n @ 1..=5) => Ok(Answer::Scale(n)),
                _ => Err(ValidationError::new(field, Problem::UnknownCode)),
            },
        }
    }

    pub fn code(self) -> String {
        match self {
            Answer::Scale(n) => n.to_string(),
            Answer::NotApplicable => "nvt".into(),
        }
    }
}

impl Instrument {
    /// Reads and checks an instrument: every pillar × element once, 3 or 4
    /// statements each, 2 or 3 tips, codes unique, no empty texts. Every
    /// problem is named.
    pub fn parse(json: &str) -> Result<Instrument, Vec<String>> {
        let i: Instrument = serde_json::from_str(json).map_err(|e| vec![e.to_string()])?;
        let problems = i.problems();
        if problems.is_empty() {
            Ok(i)
        } else {
            Err(problems)
        }
    }

    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for p in Pillar::ALL {
            for e in Element::ALL {
                let n = self
                    .cells
                    .iter()
                    .filter(|c| c.pillar == p && c.element == e)
                    .count();
                if n != 1 {
                    out.push(format!(
                        "{} × {}: {n} cells, expected 1",
                        p.code(),
                        e.code()
                    ));
                }
            }
        }
        let mut seen = HashMap::new();
        let groups = self
            .cells
            .iter()
            .map(|c| {
                (
                    format!("{} × {}", c.pillar.code(), c.element.code()),
                    &c.items,
                    &c.tips,
                    &c.why,
                )
            })
            .chain(std::iter::once((
                "general".to_string(),
                &self.general.items,
                &self.general.tips,
                &self.general.why,
            )));
        for (name, items, tips, why) in groups {
            if !(3..=4).contains(&items.len()) {
                out.push(format!(
                    "{name}: {} statements, expected 3 or 4",
                    items.len()
                ));
            }
            if !(2..=3).contains(&tips.len()) {
                out.push(format!("{name}: {} tips, expected 2 or 3", tips.len()));
            }
            let texts = items
                .iter()
                .map(|i| &i.text)
                .chain(tips)
                .chain(std::iter::once(why));
            if texts
                .clone()
                .any(|t| t.nl.trim().is_empty() || t.en.trim().is_empty())
            {
                out.push(format!("{name}: an empty text"));
            }
            for item in items {
                if item.code.trim().is_empty() || seen.insert(item.code.clone(), ()).is_some() {
                    out.push(format!(
                        "{name}: statement code {:?} empty or used twice",
                        item.code
                    ));
                }
            }
        }
        out
    }

    /// Every statement code, cells first, in order.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.cells
            .iter()
            .flat_map(|c| c.items.iter())
            .chain(self.general.items.iter())
            .map(|i| i.code.as_str())
    }

    pub fn cell(&self, pillar: Pillar, element: Element) -> Option<&Cell> {
        self.cells
            .iter()
            .find(|c| c.pillar == pillar && c.element == element)
    }
}

/// One professional's answers, by statement code.
pub type Answers = HashMap<String, Answer>;

/// A cell's score for one professional: the mean of their scale answers
/// × 100 (None when they answered none on the scale).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CellScore {
    pub pillar: Pillar,
    pub element: Element,
    pub mean_x100: Option<i64>,
}

/// Per cell, in pillar × element order.
pub fn cell_scores(instrument: &Instrument, answers: &Answers) -> Vec<CellScore> {
    let mut out = Vec::new();
    for p in Pillar::ALL {
        for e in Element::ALL {
            let values: Vec<i64> = instrument
                .cell(p, e)
                .map(|c| scale_values(&c.items, answers))
                .unwrap_or_default();
            out.push(CellScore {
                pillar: p,
                element: e,
                mean_x100: mean_x100(&values),
            });
        }
    }
    out
}

fn scale_values(items: &[Item], answers: &Answers) -> Vec<i64> {
    items
        .iter()
        .filter_map(|i| match answers.get(&i.code) {
            Some(Answer::Scale(n)) => Some(i64::from(*n)),
            _ => None,
        })
        .collect()
}

/// The mean × 100, rounded half up; None for no values.
pub fn mean_x100(values: &[i64]) -> Option<i64> {
    let n = values.len() as i64;
    (n > 0).then(|| {
        let sum: i64 = values.iter().sum();
        (sum * 200 + n) / (2 * n)
    })
}

/// The population standard deviation × 100, rounded down; None for none.
pub fn spread_x100(values_x100: &[i64]) -> Option<i64> {
    let n = values_x100.len() as i64;
    let mean = (n > 0).then(|| values_x100.iter().sum::<i64>() / n)?;
    let var = values_x100.iter().map(|v| (v - mean).pow(2)).sum::<i64>() / n;
    Some(var.isqrt())
}

/// A team's aggregates are shown only from this many respondents on, so
/// that nobody's answers can be singled out.
pub const MIN_TEAM: usize = 3;

/// A cell's team figures: over the members' own cell means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct TeamCell {
    pub pillar: Pillar,
    pub element: Element,
    pub mean_x100: Option<i64>,
    pub spread_x100: Option<i64>,
    /// How many members answered this cell on the scale.
    pub answered: usize,
}

/// The team's figures per cell; None below [`MIN_TEAM`] respondents (and
/// per cell, no figures where fewer than that answered it).
pub fn team_cells(instrument: &Instrument, members: &[Answers]) -> Option<Vec<TeamCell>> {
    if members.len() < MIN_TEAM {
        return None;
    }
    let per_member: Vec<Vec<CellScore>> =
        members.iter().map(|a| cell_scores(instrument, a)).collect();
    let mut out = Vec::new();
    for (i, p) in Pillar::ALL.iter().enumerate() {
        for (j, e) in Element::ALL.iter().enumerate() {
            let k = i * Element::ALL.len() + j;
            let means: Vec<i64> = per_member.iter().filter_map(|m| m[k].mean_x100).collect();
            let enough = means.len() >= MIN_TEAM;
            out.push(TeamCell {
                pillar: *p,
                element: *e,
                mean_x100: if enough { mean_of_x100(&means) } else { None },
                spread_x100: if enough { spread_x100(&means) } else { None },
                answered: means.len(),
            });
        }
    }
    Some(out)
}

/// The mean of values already × 100, rounded half up.
fn mean_of_x100(values: &[i64]) -> Option<i64> {
    let n = values.len() as i64;
    (n > 0).then(|| (values.iter().sum::<i64>() * 2 + n) / (2 * n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn shipped() -> Instrument {
        Instrument::parse(SHIPPED).unwrap()
    }

    fn answers(pairs: &[(&str, Answer)]) -> Answers {
        pairs.iter().map(|(c, a)| (c.to_string(), *a)).collect()
    }

    #[test]
    fn the_shipped_instrument_is_whole_and_says_it_is_our_own() {
        let i = shipped();
        assert_eq!(i.cells.len(), 12);
        assert_eq!(i.codes().count(), 40);
        assert!(i.description.nl.contains("eigen uitwerking"));
        assert!(i.description.en.contains("own operationalisation"));
    }

    #[test]
    fn a_broken_instrument_names_its_problems() {
        let mut i = shipped();
        i.cells.pop();
        i.cells[0].items.truncate(2);
        i.cells[1].items[0].code = i.cells[2].items[0].code.clone();
        let json = serde_json::to_string(&i).unwrap();
        let problems = Instrument::parse(&json).unwrap_err();
        assert!(
            problems
                .iter()
                .any(|p| p.contains("kunnen × ontvangst: 0 cells"))
        );
        assert!(problems.iter().any(|p| p.contains("2 statements")));
        assert!(problems.iter().any(|p| p.contains("used twice")));
    }

    #[test]
    fn not_applicable_counts_for_nothing() {
        let i = shipped();
        let a = answers(&[
            ("bb1", Answer::Scale(2)),
            ("bb2", Answer::Scale(3)),
            ("bb3", Answer::NotApplicable),
        ]);
        let s = cell_scores(&i, &a);
        assert_eq!(s[0].mean_x100, Some(250));
        assert_eq!(s[1].mean_x100, None);
        assert_eq!(Answer::parse("bb1", "nvt"), Ok(Answer::NotApplicable));
        assert!(Answer::parse("bb1", "6").is_err());
    }

    #[test]
    fn two_members_show_nothing_three_show_aggregates() {
        let i = shipped();
        let m = |n: u8| answers(&[("bb1", Answer::Scale(n)), ("bb2", Answer::Scale(n))]);
        assert!(team_cells(&i, &[m(1), m(5)]).is_none());
        let t = team_cells(&i, &[m(1), m(3), m(5)]).unwrap();
        assert_eq!(t[0].mean_x100, Some(300));
        assert_eq!(t[0].answered, 3);
        // Spread of 100, 300, 500 (× 100): population sd 163.
        assert_eq!(t[0].spread_x100, Some(163));
        // A cell only two answered shows nothing either.
        assert_eq!((t[1].mean_x100, t[1].answered), (None, 0));
    }

    proptest! {
        #[test]
        fn means_stay_on_the_scale(values in proptest::collection::vec(1i64..=5, 1..40)) {
            let m = mean_x100(&values).unwrap();
            prop_assert!((100..=500).contains(&m));
            let s = spread_x100(&values.iter().map(|v| v * 100).collect::<Vec<_>>()).unwrap();
            prop_assert!((0..=200).contains(&s));
        }
    }
}
