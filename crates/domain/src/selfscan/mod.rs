//! Drempels slechten: the begrijpen-willen-kunnen self-assessment for
//! professionals. The instrument is data (statements per pillar × process
//! element, why each cell matters, tips for when it scores low), versioned;
//! answers always refer to the version they were given on. Scores are
//! whole numbers: a mean × 100 on the 1–5 scale, a spread × 100.

use serde::Deserialize;
use std::collections::HashMap;

mod answers;
mod edit;
mod scores;
pub use answers::*;
pub use edit::*;
pub use scores::*;

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
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
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

/// How long a run left unfinished is kept as a draft before it is removed.
pub const DRAFT_KEEP_DAYS: i64 = 30;
/// Longest team name and action point text.
pub const TEAM_MAX: usize = 100;
pub const ACTION_MAX: usize = 500;

/// An action point a team agreed: what, who, by when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAction {
    pub what: String,
    pub who: String,
    pub due: time::Date,
}

impl NewAction {
    /// Every problem, each named by its field ("wat", "wie", "wanneer").
    pub fn validate(
        what: &str,
        who: &str,
        due: &str,
    ) -> Result<NewAction, Vec<crate::ValidationError>> {
        use crate::person::{parse_date, text};
        let what = text("wat", what, ACTION_MAX);
        let who = text("wie", who, TEAM_MAX);
        let due = parse_date("wanneer", due);
        match (what, who, due) {
            (Ok(what), Ok(who), Ok(due)) => Ok(NewAction { what, who, due }),
            (what, who, due) => Err([what.err(), who.err(), due.err()]
                .into_iter()
                .flatten()
                .collect()),
        }
    }
}

/// The instrument Wegwijs ships: our own operationalisation (the
/// research's items are not public).
pub const SHIPPED: &str = include_str!("../../instrument/drempels-v1.json");

impl Instrument {
    /// Reads and checks an instrument: every pillar × element once, 3 to
    /// [`MAX_ITEMS`] statements each (the shipped one has 3 or 4), 2 or 3
    /// tips, codes unique, no empty texts. Every problem is named.
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
            if !(3..=MAX_ITEMS).contains(&items.len()) {
                out.push(format!(
                    "{name}: {} statements, expected 3 to {MAX_ITEMS}",
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
