//! Scores: a professional's cell means, the team's means and spreads
//! (only from [`MIN_TEAM`] respondents), the lowest cells, the change
//! since last time.

use super::answers::{Answer, Answers};
use super::{Element, Instrument, Item, Pillar};

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

/// The `n` lowest-scoring cells, lowest first (cells without a score are
/// left out; ties keep pillar × element order).
pub fn lowest(scores: &[CellScore], n: usize) -> Vec<CellScore> {
    let mut scored: Vec<CellScore> = scores
        .iter()
        .filter(|s| s.mean_x100.is_some())
        .copied()
        .collect();
    scored.sort_by_key(|s| s.mean_x100);
    scored.truncate(n);
    scored
}

/// A cell now and the time before, and the difference (× 100) when both
/// have a score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub pillar: Pillar,
    pub element: Element,
    pub now_x100: Option<i64>,
    pub before_x100: Option<i64>,
    pub delta_x100: Option<i64>,
}

/// Per cell, the change from `before` to `now` (both in pillar × element
/// order, as [`cell_scores`] gives them; versions may differ, cells do not).
pub fn changes(now: &[CellScore], before: &[CellScore]) -> Vec<Change> {
    now.iter()
        .map(|c| {
            let before_x100 = before
                .iter()
                .find(|b| b.pillar == c.pillar && b.element == c.element)
                .and_then(|b| b.mean_x100);
            Change {
                pillar: c.pillar,
                element: c.element,
                now_x100: c.mean_x100,
                before_x100,
                delta_x100: c.mean_x100.zip(before_x100).map(|(n, b)| n - b),
            }
        })
        .collect()
}

/// The team session's order: where the team differs most first, as
/// conversation starters; cells without figures last.
pub fn by_disagreement(cells: &[TeamCell]) -> Vec<TeamCell> {
    let mut out = cells.to_vec();
    out.sort_by_key(|c| std::cmp::Reverse(c.spread_x100.map_or(-1, |s| s)));
    out
}

/// What a respondent may see of the team's figures. Knowing their own
/// cell mean, a mean and spread over three would give them the other two
/// values; so for them a spread shows only where at least [`MIN_TEAM`]
/// others answered the cell (the mean of three still hides who gave what).
pub fn for_viewer(
    instrument: &Instrument,
    cells: Vec<TeamCell>,
    own: Option<&Answers>,
) -> Vec<TeamCell> {
    let Some(own) = own else { return cells };
    let mine = cell_scores(instrument, own);
    cells
        .into_iter()
        .zip(mine)
        .map(|(mut c, m)| {
            if m.mean_x100.is_some() && c.answered.saturating_sub(1) < MIN_TEAM {
                c.spread_x100 = None;
            }
            c
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::selfscan::{Instrument, SHIPPED};
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

    #[test]
    fn lowest_changes_and_disagreement_order() {
        let i = shipped();
        let now = cell_scores(
            &i,
            &answers(&[
                ("bb1", Answer::Scale(2)),
                ("kg1", Answer::Scale(1)),
                ("wo1", Answer::Scale(4)),
            ]),
        );
        let before = cell_scores(&i, &answers(&[("bb1", Answer::Scale(4))]));
        let low = lowest(&now, 2);
        assert_eq!(
            low.iter().map(|c| c.mean_x100).collect::<Vec<_>>(),
            [Some(100), Some(200)]
        );
        let ch = changes(&now, &before);
        assert_eq!(ch[0].delta_x100, Some(-200));
        assert_eq!(ch[1].delta_x100, None);
        let m = |a: u8, b: u8| answers(&[("bb1", Answer::Scale(a)), ("bg1", Answer::Scale(b))]);
        let t = team_cells(&i, &[m(3, 1), m(3, 5), m(3, 3)]).unwrap();
        let sorted = by_disagreement(&t);
        assert_eq!(
            (sorted[0].element, sorted[1].element),
            (Element::Gesprekken, Element::Brieven)
        );
        assert_eq!(sorted[1].spread_x100, Some(0));
    }

    #[test]
    fn a_respondent_of_three_sees_no_spread_of_the_cells_they_answered() {
        let i = shipped();
        let m = |a: u8| answers(&[("bb1", Answer::Scale(a)), ("bg1", Answer::Scale(a))]);
        let cells = team_cells(&i, &[m(1), m(3), m(5)]).unwrap();
        let mine = answers(&[("bb1", Answer::Scale(1))]);
        let seen = for_viewer(&i, cells.clone(), Some(&mine));
        assert_eq!((seen[0].mean_x100, seen[0].spread_x100), (Some(300), None));
        // A cell they left open, and anyone who did not answer, see it all.
        assert_eq!(seen[1].spread_x100, Some(163));
        assert_eq!(for_viewer(&i, cells.clone(), None), cells);
        let four = team_cells(&i, &[m(1), m(3), m(5), m(5)]).unwrap();
        assert!(for_viewer(&i, four, Some(&mine))[0].spread_x100.is_some());
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
