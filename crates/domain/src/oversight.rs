//! The privacy officer's oversight of the audit log: what a search asks
//! for, read from what was typed (a wrong part is named and left out), and
//! the signals worth a look, computed from counts of the log.

use crate::bsn::Bsn;
use crate::error::{Problem, ValidationError};
use crate::person::parse_date;
use std::collections::BTreeMap;
use time::Date;

/// A part that was typed, trimmed; an empty one was not typed.
pub fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A period of whole Dutch days, both ends included; each end optional.
/// `problems` get the wrong parts (field, the input's id).
pub fn read_period(
    from: Option<&str>,
    to: Option<&str>,
    (from_field, to_field): (&'static str, &'static str),
    problems: &mut Vec<ValidationError>,
) -> (Option<Date>, Option<Date>) {
    let mut date = |input: Option<&str>, field| {
        input.and_then(|s| parse_date(field, s).map_err(|e| problems.push(e)).ok())
    };
    let from = date(from, from_field);
    let mut to = date(to, to_field);
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        problems.push(ValidationError::new(to_field, Problem::NotAfterStart));
        to = None;
    }
    (from, to)
}

/// Whom a search by resident looks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResidentQuery {
    Bsn(Bsn),
    /// A surname (geslachtsnaam), compared without regard to case, and
    /// the date of birth when it was given.
    Surname(String, Option<Date>),
}

/// Why the privacy officer searches by resident: said in the audit entry
/// of the search.
pub const REASONS: [&str; 4] = ["avg-verzoek", "controle", "incident", "klacht"];

/// What the privacy officer's search asks for. Codes (actions, purposes)
/// are checked against the lists the caller gives.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogSearch {
    pub resident: Option<ResidentQuery>,
    /// Why a resident is looked for; required with `resident`.
    pub reason: Option<&'static str>,
    /// A staff user's id.
    pub staff: Option<i64>,
    pub org: Option<i64>,
    pub action: Option<String>,
    pub purpose: Option<String>,
    pub refused_only: bool,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// The search as typed on the page (and in links).
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct TypedSearch {
    pub inwoner: Option<String>,
    pub geboren: Option<String>,
    pub reden: Option<String>,
    pub medewerker: Option<String>,
    pub organisatie: Option<String>,
    pub actie: Option<String>,
    pub doel: Option<String>,
    pub uitkomst: Option<String>,
    pub van: Option<String>,
    pub tot: Option<String>,
}

impl LogSearch {
    /// Reads what was typed: the parts typed right, and a problem per part
    /// that is wrong (named by its field; the part is left out).
    pub fn read(
        typed: &TypedSearch,
        actions: &[&str],
        purposes: &[&str],
    ) -> (LogSearch, Vec<ValidationError>) {
        let mut problems = Vec::new();
        let mut out = LogSearch::default();
        let born = given(&typed.geboren)
            .and_then(|s| parse_date("geboren", s).map_err(|e| problems.push(e)).ok());
        if let Some(who) = given(&typed.inwoner) {
            out.resident = resident_query(who, born).map_err(|e| problems.push(e)).ok();
        }
        out.reason = given(&typed.reden).and_then(|r| {
            let found = REASONS.iter().copied().find(|c| *c == r);
            if found.is_none() {
                problems.push(ValidationError::new("reden", Problem::UnknownCode));
            }
            found
        });
        // No search by resident without a reason for it.
        if out.resident.is_some() && out.reason.is_none() {
            if given(&typed.reden).is_none() {
                problems.push(ValidationError::new("reden", Problem::NotChosen));
            }
            out.resident = None;
        }
        let mut id = |input: &Option<String>, field| {
            given(input).and_then(|s| match s.parse::<i64>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    problems.push(ValidationError::new(field, Problem::UnknownCode));
                    None
                }
            })
        };
        out.staff = id(&typed.medewerker, "medewerker");
        out.org = id(&typed.organisatie, "organisatie");
        let mut code = |input: &Option<String>, field, known: &[&str]| {
            given(input).and_then(|s| {
                if known.contains(&s) {
                    Some(s.to_string())
                } else {
                    problems.push(ValidationError::new(field, Problem::UnknownCode));
                    None
                }
            })
        };
        out.action = code(&typed.actie, "actie", actions);
        out.purpose = code(&typed.doel, "doel", purposes);
        out.refused_only = match given(&typed.uitkomst) {
            None | Some("alle") => false,
            Some("geweigerd") => true,
            Some(_) => {
                problems.push(ValidationError::new("uitkomst", Problem::UnknownCode));
                false
            }
        };
        let (from, to) = read_period(
            given(&typed.van),
            given(&typed.tot),
            ("periode-van", "periode-tot"),
            &mut problems,
        );
        (out.from, out.to) = (from, to);
        (out, problems)
    }

    /// The parts searched for, for the search's audit entry (never the
    /// BSN or name itself).
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        match &self.resident {
            Some(ResidentQuery::Bsn(_)) => parts.push("inwoner: bsn".into()),
            Some(ResidentQuery::Surname(_, None)) => parts.push("inwoner: achternaam".into()),
            Some(ResidentQuery::Surname(_, Some(_))) => {
                parts.push("inwoner: achternaam en geboortedatum".into())
            }
            None => {}
        }
        if let Some(r) = self.reason {
            parts.push(format!("reden: {r}"));
        }
        if let Some(s) = self.staff {
            parts.push(format!("medewerker: {s}"));
        }
        if let Some(o) = self.org {
            parts.push(format!("organisatie: {o}"));
        }
        if let Some(a) = &self.action {
            parts.push(format!("actie: {a}"));
        }
        if let Some(p) = &self.purpose {
            parts.push(format!("doel: {p}"));
        }
        if self.refused_only {
            parts.push("uitkomst: geweigerd".into());
        }
        if let Some(d) = self.from {
            parts.push(format!("van: {}", crate::person::format_date(d)));
        }
        if let Some(d) = self.to {
            parts.push(format!("tot en met: {}", crate::person::format_date(d)));
        }
        parts.join("; ")
    }
}

/// A BSN (nine digits, the elfproef) or a surname (letters, spaces,
/// hyphens and apostrophes, at least two letters) with the date of birth
/// if one was given.
pub(crate) fn resident_query(
    input: &str,
    born: Option<Date>,
) -> Result<ResidentQuery, ValidationError> {
    let digits: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect();
    if digits.chars().all(|c| c.is_ascii_digit()) {
        return Bsn::parse(&digits)
            .map(ResidentQuery::Bsn)
            .map_err(|e| ValidationError {
                field: "inwoner",
                ..e
            });
    }
    let name_like = input
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\''));
    if !name_like || input.chars().filter(|c| c.is_alphabetic()).count() < 2 {
        return Err(ValidationError::new("inwoner", Problem::InvalidCharacters));
    }
    Ok(ResidentQuery::Surname(input.to_string(), born))
}

/// When the log is worth a look; each configurable on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Thresholds {
    /// More residents than this opened by one staff member in an hour…
    pub per_hour: i64,
    /// …or more than this many times their own daily median.
    pub times_median: i64,
    /// Reads from this hour (Dutch time)…
    pub night_from: u8,
    /// …until this hour count as outside working hours.
    pub night_until: u8,
    /// This many refusals of one staff member in a row.
    pub refusals: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            per_hour: 100,
            times_median: 3,
            night_from: 22,
            night_until: 6,
            refusals: 10,
        }
    }
}

/// The thresholds as typed on the page.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct TypedThresholds {
    pub per_uur: Option<String>,
    pub keer_mediaan: Option<String>,
    pub nacht_van: Option<String>,
    pub nacht_tot: Option<String>,
    pub weigeringen: Option<String>,
}

impl Thresholds {
    /// Reads what was typed; a wrong part keeps its default and is named.
    pub fn read(typed: &TypedThresholds) -> (Thresholds, Vec<ValidationError>) {
        let mut t = Thresholds::default();
        let mut problems = Vec::new();
        let mut number = |input: &Option<String>, field, min: i64, max: i64, into: &mut i64| {
            if let Some(s) = given(input) {
                match s.parse::<i64>() {
                    Ok(n) if (min..=max).contains(&n) => *into = n,
                    _ => problems.push(ValidationError::new(
                        field,
                        Problem::OutOfRange { min, max },
                    )),
                }
            }
        };
        number(&typed.per_uur, "per-uur", 0, 100_000, &mut t.per_hour);
        number(
            &typed.keer_mediaan,
            "keer-mediaan",
            1,
            100,
            &mut t.times_median,
        );
        number(&typed.weigeringen, "weigeringen", 2, 1_000, &mut t.refusals);
        let (mut from, mut until) = (i64::from(t.night_from), i64::from(t.night_until));
        number(&typed.nacht_van, "nacht-van", 0, 23, &mut from);
        number(&typed.nacht_tot, "nacht-tot", 0, 23, &mut until);
        (t.night_from, t.night_until) = (from as u8, until as u8);
        (t, problems)
    }

    /// Is this Dutch hour of the day outside working hours?
    pub fn is_night(&self, hour: u8) -> bool {
        if self.night_from <= self.night_until {
            (self.night_from..self.night_until).contains(&hour)
        } else {
            hour >= self.night_from || hour < self.night_until
        }
    }
}

/// One staff member's activity in one hour: the residents they opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HourCount {
    pub staff: i64,
    /// The hour's start, unix seconds.
    pub hour: i64,
    /// Its Dutch calendar day and hour of the day.
    pub day: Date,
    pub local_hour: u8,
    pub residents: i64,
}

/// Something in the log worth a look.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signal {
    /// Many residents opened in one hour (`median`: the staff member's
    /// daily median in the period).
    ManyInAnHour {
        staff: i64,
        hour: i64,
        residents: i64,
        median: i64,
    },
    /// Residents opened outside working hours.
    AtNight {
        staff: i64,
        hour: i64,
        residents: i64,
    },
    /// Refusals in a row, from the first to the last entry.
    RefusedInARow {
        staff: i64,
        count: i64,
        first_seq: i64,
        last_seq: i64,
    },
}

/// The hourly signals from the counts of a period.
pub fn hour_signals(counts: &[HourCount], t: &Thresholds) -> Vec<Signal> {
    let mut per_day: BTreeMap<(i64, Date), i64> = BTreeMap::new();
    for c in counts {
        *per_day.entry((c.staff, c.day)).or_default() += c.residents;
    }
    let mut days: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for ((staff, _), n) in per_day {
        days.entry(staff).or_default().push(n);
    }
    let median = |staff: i64| {
        days.get(&staff).map_or(0, |v| {
            let mut v = v.clone();
            v.sort_unstable();
            v[v.len() / 2]
        })
    };
    let mut out = Vec::new();
    for c in counts {
        let m = median(c.staff);
        if c.residents > t.per_hour || (m > 0 && c.residents > t.times_median * m) {
            out.push(Signal::ManyInAnHour {
                staff: c.staff,
                hour: c.hour,
                residents: c.residents,
                median: m,
            });
        }
        if t.is_night(c.local_hour) {
            out.push(Signal::AtNight {
                staff: c.staff,
                hour: c.hour,
                residents: c.residents,
            });
        }
    }
    out
}

/// Runs of refusals: one staff member's entries in order (seq, refused),
/// and every run of at least `t.refusals` refusals with nothing allowed
/// in between.
pub fn refusal_runs(staff: i64, entries: &[(i64, bool)], t: &Thresholds) -> Vec<Signal> {
    let mut out = Vec::new();
    let mut run: Option<(i64, i64, i64)> = None;
    let mut close = |run: &mut Option<(i64, i64, i64)>| {
        if let Some((first, last, count)) = run.take()
            && count >= t.refusals
        {
            out.push(Signal::RefusedInARow {
                staff,
                count,
                first_seq: first,
                last_seq: last,
            });
        }
    };
    for (seq, refused) in entries {
        if *refused {
            run = Some(match run {
                Some((first, _, n)) => (first, *seq, n + 1),
                None => (*seq, *seq, 1),
            });
        } else {
            close(&mut run);
        }
    }
    close(&mut run);
    out
}

#[cfg(test)]
mod tests;
