//! An admin's change to one section of the instrument: its texts, and a
//! statement added. The result is the next version; statements are never
//! taken away or renumbered, so earlier answers keep their meaning.

use super::{Cell, Element, General, Instrument, Item, Pillar, Text};
use crate::error::{Problem, ValidationError};

/// Most statements a section may have after additions.
pub const MAX_ITEMS: usize = 6;
/// Longest text an admin may write.
pub const TEXT_MAX: usize = 600;

/// A cell, or the general statements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Cell(Pillar, Element),
    General,
}

impl Section {
    /// "begrijpen-brieven", "algemeen".
    pub fn code(self) -> String {
        match self {
            Section::Cell(p, e) => format!("{}-{}", p.code(), e.code()),
            Section::General => "algemeen".into(),
        }
    }

    pub fn from_code(code: &str) -> Option<Section> {
        if code == "algemeen" {
            return Some(Section::General);
        }
        Pillar::ALL.iter().find_map(|p| {
            Element::ALL
                .iter()
                .find(|e| code == format!("{}-{}", p.code(), e.code()))
                .map(|e| Section::Cell(*p, *e))
        })
    }

    /// The first letters new statement codes of this section start with.
    fn prefix(self) -> String {
        match self {
            Section::Cell(p, e) => format!("{}{}", &p.code()[..1], &e.code()[..1]),
            Section::General => "al".into(),
        }
    }
}

/// What the admin typed for a section: its "why", its tips (an empty one
/// is left out), its statements in their order, and perhaps a new one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SectionEdit {
    pub why: Text,
    pub tips: Vec<Text>,
    pub items: Vec<Text>,
    pub new_item: Text,
}

/// A problem with one input of the edit form ("uitleg-nl", "stelling-2-en").
pub type EditProblem = (String, ValidationError);

impl Instrument {
    /// The section's texts as they are now, for the edit form.
    pub fn section_texts(&self, section: Section) -> Option<(&Text, &[Text], &[Item])> {
        match section {
            Section::Cell(p, e) => self
                .cell(p, e)
                .map(|c| (&c.why, c.tips.as_slice(), c.items.as_slice())),
            Section::General => Some((
                &self.general.why,
                self.general.tips.as_slice(),
                self.general.items.as_slice(),
            )),
        }
    }

    /// The next version with `edit` applied to `section`; every problem is
    /// named by the input it is in.
    pub fn edited(
        &self,
        section: Section,
        edit: &SectionEdit,
    ) -> Result<Instrument, Vec<EditProblem>> {
        let mut problems = Vec::new();
        check_text(&mut problems, "uitleg", "uitleg", &edit.why);
        let tips: Vec<Text> = edit
            .tips
            .iter()
            .filter(|t| !(t.nl.trim().is_empty() && t.en.trim().is_empty()))
            .cloned()
            .collect();
        for (n, tip) in edit.tips.iter().enumerate() {
            if !(tip.nl.trim().is_empty() && tip.en.trim().is_empty()) {
                check_text(&mut problems, "tip", &format!("tip-{}", n + 1), tip);
            }
        }
        if tips.len() < 2 {
            problems.push((
                "tip-1-nl".into(),
                ValidationError::new("tip", Problem::TooFew { min: 2 }),
            ));
        }
        let Some((_, _, old_items)) = self.section_texts(section) else {
            return Err(vec![(
                "sectie".into(),
                ValidationError::new("sectie", Problem::UnknownCode),
            )]);
        };
        if edit.items.len() != old_items.len() {
            let e = ValidationError::new("stelling", Problem::UnknownStatement);
            problems.push(("stelling-1-nl".into(), e));
        }
        let mut items: Vec<Item> = old_items
            .iter()
            .zip(&edit.items)
            .enumerate()
            .map(|(n, (old, text))| {
                check_text(
                    &mut problems,
                    "stelling",
                    &format!("stelling-{}", n + 1),
                    text,
                );
                Item {
                    code: old.code.clone(),
                    text: trimmed(text),
                }
            })
            .collect();
        let adding = !(edit.new_item.nl.trim().is_empty() && edit.new_item.en.trim().is_empty());
        if adding {
            check_text(&mut problems, "nieuwe-stelling", "nieuw", &edit.new_item);
            if items.len() >= MAX_ITEMS {
                let e = ValidationError::new(
                    "nieuwe-stelling",
                    Problem::TooMany {
                        max: MAX_ITEMS as i64,
                    },
                );
                problems.push(("nieuw-nl".into(), e));
            }
            items.push(Item {
                code: self.next_code(section),
                text: trimmed(&edit.new_item),
            });
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut next = self.clone();
        next.version = self.version + 1;
        let why = trimmed(&edit.why);
        let tips = tips.iter().map(trimmed).collect();
        match section {
            Section::Cell(p, e) => {
                let cell = next
                    .cells
                    .iter_mut()
                    .find(|c| c.pillar == p && c.element == e);
                if let Some(c) = cell {
                    *c = Cell {
                        pillar: p,
                        element: e,
                        why,
                        tips,
                        items,
                    };
                }
            }
            Section::General => next.general = General { why, tips, items },
        }
        Ok(next)
    }

    /// A code no statement has had: the section's letters and the next number.
    fn next_code(&self, section: Section) -> String {
        let prefix = section.prefix();
        let highest = self
            .codes()
            .filter_map(|c| c.strip_prefix(prefix.as_str())?.parse::<u32>().ok())
            .max()
            .unwrap_or(0);
        format!("{prefix}{}", highest + 1)
    }
}

fn trimmed(t: &Text) -> Text {
    Text {
        nl: t.nl.trim().to_string(),
        en: t.en.trim().to_string(),
    }
}

fn check_text(out: &mut Vec<EditProblem>, field: &'static str, input: &str, t: &Text) {
    for (lang, s) in [("nl", &t.nl), ("en", &t.en)] {
        let problem = if s.trim().is_empty() {
            Some(Problem::Empty)
        } else if s.chars().count() > TEXT_MAX {
            Some(Problem::TooLong { max: TEXT_MAX })
        } else {
            None
        };
        if let Some(p) = problem {
            out.push((format!("{input}-{lang}"), ValidationError::new(field, p)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::selfscan::SHIPPED;

    fn edit_of(i: &Instrument, section: Section) -> SectionEdit {
        let (why, tips, items) = i.section_texts(section).unwrap();
        SectionEdit {
            why: why.clone(),
            tips: tips.to_vec(),
            items: items.iter().map(|i| i.text.clone()).collect(),
            new_item: Text::default(),
        }
    }

    #[test]
    fn an_edit_makes_the_next_version_with_a_new_code() {
        let i = Instrument::parse(SHIPPED).unwrap();
        let s = Section::from_code("willen-gesprekken").unwrap();
        let mut e = edit_of(&i, s);
        e.why.nl = "  Nieuwe uitleg.  ".into();
        e.new_item = Text {
            nl: "Ik vraag wat de inwoner wil.".into(),
            en: "I ask.".into(),
        };
        let next = i.edited(s, &e).unwrap();
        assert_eq!(next.version, 2);
        let cell = next.cell(Pillar::Willen, Element::Gesprekken).unwrap();
        assert_eq!(cell.why.nl, "Nieuwe uitleg.");
        assert_eq!(cell.items.last().unwrap().code, "wg5");
        // The checks of a stored instrument hold for the new version too.
        Instrument::parse(&serde_json::to_string(&next).unwrap()).unwrap();
        assert_eq!(Section::General.code(), "algemeen");
        assert_eq!(Section::from_code(&s.code()), Some(s));
    }

    #[test]
    fn every_problem_is_named_by_its_input() {
        let i = Instrument::parse(SHIPPED).unwrap();
        let mut e = edit_of(&i, Section::General);
        e.items[1].en = " ".into();
        e.tips = vec![e.tips[0].clone(), Text::default()];
        e.new_item.nl = "Alleen Nederlands".into();
        let problems = i.edited(Section::General, &e).unwrap_err();
        let inputs: Vec<&str> = problems.iter().map(|(i, _)| i.as_str()).collect();
        assert_eq!(inputs, ["tip-1-nl", "stelling-2-en", "nieuw-en"]);
    }

    #[test]
    fn a_section_holds_at_most_six_statements() {
        let mut i = Instrument::parse(SHIPPED).unwrap();
        let s = Section::Cell(Pillar::Kunnen, Element::Website);
        for _ in 0..3 {
            let mut e = edit_of(&i, s);
            e.new_item = Text {
                nl: "Nog een.".into(),
                en: "One more.".into(),
            };
            i = i.edited(s, &e).unwrap();
        }
        let mut e = edit_of(&i, s);
        e.new_item = Text {
            nl: "Te veel.".into(),
            en: "Too many.".into(),
        };
        let problems = i.edited(s, &e).unwrap_err();
        assert_eq!(problems[0].0, "nieuw-nl");
        assert_eq!(i.version, 4);
    }
}
