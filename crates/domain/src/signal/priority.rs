//! Combining a household's signals into a priority with plain reasons.
//! The priority orders a caseworker's list; it decides nothing about the
//! resident. The reasons are data; the web crate words them.

use super::kinds::PartnerType;
use crate::money::Money;
use serde::{Deserialize, Serialize};
use time::Date;

/// What priority needs to know of one signal of the household.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignalFacts {
    pub partner: PartnerType,
    pub bedrag: Money,
    pub ontstaansdatum: Date,
    pub signaaldatum: Date,
    pub crisis: bool,
    pub warme_overdracht: bool,
    /// Part of the open case; otherwise history (an earlier, closed case).
    pub open: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Laag,
    Middel,
    Hoog,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Laag, Level::Middel, Level::Hoog];

    pub fn code(self) -> &'static str {
        match self {
            Level::Laag => "laag",
            Level::Middel => "middel",
            Level::Hoog => "hoog",
        }
    }

    pub fn from_code(code: &str) -> Option<Level> {
        [Level::Laag, Level::Middel, Level::Hoog]
            .into_iter()
            .find(|l| l.code() == code)
    }
}

/// One reason for the priority, with what its sentence needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "soort", rename_all = "kebab-case")]
pub enum Reason {
    /// E.g. energy supply is about to be cut off.
    Crisis { partner: String },
    /// The partner already spoke with the resident and asks us to take over.
    WarmHandover { partner: String },
    /// "3 schuldeisers tegelijk".
    Creditors { count: u32 },
    /// "huurachterstand 4 maanden".
    LongArrears { partner: String, months: u32 },
    /// "eerder signaal in maart".
    EarlierSignal {
        partner: String,
        year: i32,
        month: u8,
    },
    /// The same partner now signals a higher amount than before.
    Rising { partner: String },
    /// "samen € 2.340".
    Total { cents: i64 },
}

/// A household's priority: a score to sort on, a level to show, and the
/// reasons, weightiest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Priority {
    pub score: u32,
    pub level: Level,
    pub reasons: Vec<Reason>,
}

/// How far back earlier signals count.
pub const HISTORY_DAYS: i64 = 366;

/// The points each reason weighs, and the levels' lower bounds: the
/// configuration the algorithm register describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Weights {
    pub crisis: u32,
    pub warm_handover: u32,
    /// Per creditor beyond the first.
    pub per_extra_creditor: u32,
    /// Per month of the oldest arrears, from 3 months, at most `arrears_max`.
    pub per_month: u32,
    pub arrears_max: u32,
    pub earlier_signal: u32,
    pub rising: u32,
    /// Per € 100 in all, at most `total_max`.
    pub per_hundred_euros: u32,
    pub total_max: u32,
    pub high_from: u32,
    pub middle_from: u32,
}

/// The weights Wegwijs uses.
pub const WEIGHTS: Weights = Weights {
    crisis: 100,
    warm_handover: 40,
    per_extra_creditor: 20,
    per_month: 5,
    arrears_max: 60,
    earlier_signal: 15,
    rising: 15,
    per_hundred_euros: 1,
    total_max: 30,
    high_from: 80,
    middle_from: 40,
};

/// Weighs the household's open signals against its recent history.
pub fn assess(signals: &[SignalFacts], today: Date) -> Priority {
    let w = &WEIGHTS;
    let open: Vec<&SignalFacts> = signals.iter().filter(|s| s.open).collect();
    let mut weighed: Vec<(u32, Reason)> = Vec::new();
    let code = |p: PartnerType| p.code().to_string();

    if let Some(s) = open.iter().find(|s| s.crisis) {
        weighed.push((
            w.crisis,
            Reason::Crisis {
                partner: code(s.partner),
            },
        ));
    }
    if let Some(s) = open.iter().find(|s| s.warme_overdracht) {
        weighed.push((
            w.warm_handover,
            Reason::WarmHandover {
                partner: code(s.partner),
            },
        ));
    }
    let mut partners: Vec<PartnerType> = open.iter().map(|s| s.partner).collect();
    partners.sort_unstable();
    partners.dedup();
    if partners.len() >= 2 {
        let count = partners.len() as u32;
        weighed.push((
            w.per_extra_creditor * (count - 1),
            Reason::Creditors { count },
        ));
    }
    if let Some(oldest) = open.iter().min_by_key(|s| s.ontstaansdatum) {
        let months = whole_months(oldest.ontstaansdatum, today);
        if months >= 3 {
            let partner = code(oldest.partner);
            weighed.push((
                (w.per_month * months).min(w.arrears_max),
                Reason::LongArrears { partner, months },
            ));
        }
    }
    for partner in &partners {
        let mut same: Vec<&SignalFacts> = signals
            .iter()
            .filter(|s| {
                s.partner == *partner && (today - s.signaaldatum).whole_days() <= HISTORY_DAYS
            })
            .collect();
        same.sort_by_key(|s| (s.signaaldatum, s.bedrag, s.open));
        if let [.., previous, latest] = same.as_slice()
            && previous.signaaldatum < latest.signaaldatum
            && latest.open
        {
            weighed.push((
                w.earlier_signal,
                Reason::EarlierSignal {
                    partner: code(*partner),
                    year: previous.signaaldatum.year(),
                    month: previous.signaaldatum.month() as u8,
                },
            ));
            if latest.bedrag > previous.bedrag {
                weighed.push((
                    w.rising,
                    Reason::Rising {
                        partner: code(*partner),
                    },
                ));
            }
        }
    }
    let total = open
        .iter()
        .fold(0i64, |sum, s| sum.saturating_add(s.bedrag.cents()));
    if total > 0 {
        let points = (total / 10_000 * i64::from(w.per_hundred_euros))
            .clamp(0, i64::from(w.total_max)) as u32;
        weighed.push((points, Reason::Total { cents: total }));
    }

    // Heaviest first; equal weights keep the order above.
    weighed.sort_by_key(|w| std::cmp::Reverse(w.0));
    let score: u32 = weighed.iter().map(|(p, _)| p).sum();
    let crisis = weighed
        .iter()
        .any(|(_, r)| matches!(r, Reason::Crisis { .. }));
    let level = match score {
        _ if crisis => Level::Hoog,
        s if s >= w.high_from => Level::Hoog,
        s if s >= w.middle_from => Level::Middel,
        _ => Level::Laag,
    };
    Priority {
        score,
        level,
        reasons: weighed.into_iter().map(|(_, r)| r).collect(),
    }
}

/// Whole calendar months from `from` to `to` (0 when `to` is earlier).
pub fn whole_months(from: Date, to: Date) -> u32 {
    let mut months = (to.year() - from.year()) * 12 + (to.month() as i32 - from.month() as i32);
    if to.day() < from.day() {
        months -= 1;
    }
    months.max(0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 22);

    fn facts(partner: PartnerType, euros: i64, start: Date, signal: Date) -> SignalFacts {
        SignalFacts {
            partner,
            bedrag: Money::from_cents(euros * 100),
            ontstaansdatum: start,
            signaaldatum: signal,
            crisis: false,
            warme_overdracht: false,
            open: true,
        }
    }

    #[test]
    fn the_example_from_practice() {
        let huur = facts(
            PartnerType::Huur,
            900,
            date!(2026 - 07 - 15),
            date!(2026 - 11 - 01),
        );
        let mut earlier = facts(
            PartnerType::Huur,
            500,
            date!(2026 - 02 - 01),
            date!(2026 - 03 - 10),
        );
        earlier.open = false;
        let energie = facts(
            PartnerType::Energie,
            300,
            date!(2026 - 10 - 01),
            date!(2026 - 11 - 10),
        );
        let water = facts(
            PartnerType::Water,
            80,
            date!(2026 - 10 - 01),
            date!(2026 - 11 - 12),
        );
        let p = assess(&[huur, earlier, energie, water], TODAY);
        assert_eq!(
            p.reasons,
            [
                Reason::Creditors { count: 3 },
                Reason::LongArrears {
                    partner: "huur".into(),
                    months: 4
                },
                Reason::EarlierSignal {
                    partner: "huur".into(),
                    year: 2026,
                    month: 3
                },
                Reason::Rising {
                    partner: "huur".into()
                },
                Reason::Total { cents: 128_000 },
            ]
        );
        assert_eq!(p.score, 40 + 20 + 15 + 15 + 12);
        assert_eq!(p.level, Level::Hoog);
    }

    #[test]
    fn a_crisis_is_always_high_and_a_single_small_signal_low() {
        let mut s = facts(
            PartnerType::Energie,
            50,
            date!(2026 - 10 - 01),
            date!(2026 - 11 - 01),
        );
        assert_eq!(assess(&[s], TODAY).level, Level::Laag);
        s.crisis = true;
        let p = assess(&[s], TODAY);
        assert_eq!(p.level, Level::Hoog);
        assert_eq!(
            p.reasons[0],
            Reason::Crisis {
                partner: "energie".into()
            }
        );
    }

    #[test]
    fn months_are_calendar_months() {
        assert_eq!(
            whole_months(date!(2026 - 07 - 15), date!(2026 - 11 - 22)),
            4
        );
        assert_eq!(
            whole_months(date!(2026 - 07 - 23), date!(2026 - 11 - 22)),
            3
        );
        assert_eq!(
            whole_months(date!(2026 - 12 - 01), date!(2026 - 11 - 22)),
            0
        );
    }

    fn any_facts() -> impl Strategy<Value = SignalFacts> {
        (
            0usize..11,
            0i64..1_000_000,
            1i64..2000,
            0i64..400,
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(p, cents, age, lag, crisis, warm, open)| {
                let signaaldatum = TODAY - time::Duration::days(lag);
                SignalFacts {
                    partner: PartnerType::ALL[p],
                    bedrag: Money::from_cents(cents),
                    ontstaansdatum: signaaldatum - time::Duration::days(age),
                    signaaldatum,
                    crisis,
                    warme_overdracht: warm,
                    open,
                }
            })
    }

    proptest! {
        #[test]
        fn priority_is_explained_and_order_free(mut signals in proptest::collection::vec(any_facts(), 0..8)) {
            let p = assess(&signals, TODAY);
            prop_assert!(p.score == 0 || !p.reasons.is_empty());
            if signals.iter().any(|s| s.open && s.crisis) {
                prop_assert_eq!(p.level, Level::Hoog);
            }
            if !signals.iter().any(|s| s.open) {
                prop_assert_eq!(p.score, 0);
            }
            signals.reverse();
            prop_assert_eq!(assess(&signals, TODAY).score, p.score);
        }

        #[test]
        fn a_new_creditor_never_lowers_the_priority(signals in proptest::collection::vec(any_facts(), 1..6), extra in any_facts()) {
            let before = assess(&signals, TODAY).score;
            let mut extra = extra;
            extra.open = true;
            if signals.iter().all(|s| s.partner != extra.partner) {
                let mut more = signals.clone();
                more.push(extra);
                prop_assert!(assess(&more, TODAY).score >= before);
            }
        }
    }
}
