//! The one worklist: what a caseworker or team lead filters, sorts and
//! searches by, read from the query string; and when work is due.

use super::{Stage, WorkKind};
use crate::error::{Problem, ValidationError};
use crate::oversight::{ResidentQuery, resident_query};
use crate::postcode::Postcode;
use time::Date;

/// Whose work a list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Who {
    /// Taken by me.
    Mine,
    /// Of my teams, taken by nobody yet.
    #[default]
    MyTeamsOpen,
    /// Of my teams, whoever has it.
    MyTeams,
    /// Taken by this colleague.
    Person(i64),
    /// Of this team.
    Team(i64),
    /// Belongs to no team (a route is missing): the team lead places it.
    NoTeam,
    /// All of the organisation's work.
    All,
}

impl Who {
    pub fn code(self) -> String {
        match self {
            Who::Mine => "mij".into(),
            Who::MyTeamsOpen => "team-open".into(),
            Who::MyTeams => "mijn-teams".into(),
            Who::Person(id) => format!("persoon-{id}"),
            Who::Team(id) => format!("team-{id}"),
            Who::NoTeam => "geen-team".into(),
            Who::All => "alles".into(),
        }
    }

    pub fn from_code(code: &str) -> Result<Self, ValidationError> {
        let err = || ValidationError::new("wie", Problem::UnknownCode);
        let id = |s: &str| s.parse::<i64>().map_err(|_| err());
        Ok(match code {
            "mij" => Who::Mine,
            "team-open" => Who::MyTeamsOpen,
            "mijn-teams" => Who::MyTeams,
            "geen-team" => Who::NoTeam,
            "alles" => Who::All,
            _ => match code.split_once('-') {
                Some(("persoon", n)) => Who::Person(id(n)?),
                Some(("team", n)) => Who::Team(id(n)?),
                _ => return Err(err()),
            },
        })
    }
}

/// The order of a list. Each is a total order (the id breaks ties), so a
/// page can continue after the last line of the one before.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Earliest due date first.
    #[default]
    Due,
    /// Highest priority first.
    Priority,
    /// Most recently opened first.
    Newest,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Due, Sort::Priority, Sort::Newest];

    pub fn code(self) -> &'static str {
        match self {
            Sort::Due => "termijn",
            Sort::Priority => "prioriteit",
            Sort::Newest => "nieuwste",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or(ValidationError::new("volgorde", Problem::UnknownCode))
    }
}

/// Who a caseworker looks for: a BSN, a surname, or an address (a
/// postcode, with or without the house number).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkSearch {
    Resident(ResidentQuery),
    Address(Postcode, u32),
    Postcode(Postcode),
}

impl WorkSearch {
    /// "123456782", "Jansen", or "1234 AB 12". The field is "zoek".
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(ValidationError::new("zoek", Problem::Empty));
        }
        if let Some(found) = address(input) {
            return Ok(found);
        }
        // Initials before the surname, as the list shows names ("A. Smit").
        let words: Vec<&str> = input.split_whitespace().collect();
        let initials = words
            .iter()
            .take_while(|w| {
                w.ends_with('.') && w.chars().filter(|c| c.is_alphabetic()).count() <= 3
            })
            .count();
        let name = if initials > 0 && initials < words.len() {
            words[initials..].join(" ")
        } else {
            input.to_string()
        };
        resident_query(&name, None)
            .map(WorkSearch::Resident)
            .map_err(|e| ValidationError { field: "zoek", ..e })
    }

    /// What was searched by, without the value (for the audit entry).
    pub fn kind(&self) -> &'static str {
        match self {
            WorkSearch::Resident(ResidentQuery::Bsn(_)) => "bsn",
            WorkSearch::Resident(ResidentQuery::Surname(..)) => "achternaam",
            WorkSearch::Address(..) => "postcode en huisnummer",
            WorkSearch::Postcode(..) => "postcode",
        }
    }
}

/// A postcode, alone or followed by a house number with or without an
/// addition ("1234AB 12", "1234 ab 12a", "7002 AC 27-1").
fn address(input: &str) -> Option<WorkSearch> {
    let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() < 6 || !compact.is_char_boundary(6) {
        return None;
    }
    let (pc, rest) = compact.split_at(6);
    let postcode = Postcode::parse(pc).ok()?;
    if rest.is_empty() {
        return Some(WorkSearch::Postcode(postcode));
    }
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let number: u32 = digits.parse().ok().filter(|n| *n > 0)?;
    Some(WorkSearch::Address(postcode, number))
}

/// A worklist's filters, sort and search as read from the page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkFilter {
    pub who: Who,
    pub kind: Option<WorkKind>,
    pub stage: Option<Stage>,
    pub wijk: Option<String>,
    /// Only work past its due date.
    pub overdue: bool,
    pub sort: Sort,
    pub search: Option<WorkSearch>,
}

/// The query string of the worklist, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct TypedFilter {
    #[serde(default)]
    pub wie: String,
    #[serde(default)]
    pub soort: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub wijk: String,
    #[serde(default)]
    pub te_laat: String,
    #[serde(default)]
    pub volgorde: String,
    #[serde(default)]
    pub zoek: String,
}

impl TypedFilter {
    /// The filter, and a problem per field that could not be read (that
    /// filter is then left out, the rest still applies).
    pub fn read(&self, default_who: Who) -> (WorkFilter, Vec<ValidationError>) {
        let mut errors = Vec::new();
        // Looking for someone is looking in all the organisation's work,
        // unless a "whose" was chosen too.
        let default_who = if self.zoek.trim().is_empty() {
            default_who
        } else {
            Who::All
        };
        let filter = WorkFilter {
            who: given("wie", &self.wie, Who::from_code, &mut errors).unwrap_or(default_who),
            kind: given("soort-werk", &self.soort, WorkKind::from_code, &mut errors),
            stage: given("status-werk", &self.status, Stage::from_code, &mut errors),
            wijk: Some(self.wijk.trim().to_string()).filter(|w| !w.is_empty()),
            overdue: !self.te_laat.is_empty(),
            sort: given("volgorde", &self.volgorde, Sort::from_code, &mut errors)
                .unwrap_or_default(),
            search: given("zoek", &self.zoek, WorkSearch::parse, &mut errors),
        };
        (filter, errors)
    }
}

/// A field's value when one was given; a problem is kept for the page,
/// under the name of the field on it.
fn given<T>(
    field: &'static str,
    input: &str,
    parse: impl Fn(&str) -> Result<T, ValidationError>,
    errors: &mut Vec<ValidationError>,
) -> Option<T> {
    let input = input.trim();
    if input.is_empty() {
        return None;
    }
    parse(input)
        .map_err(|e| errors.push(ValidationError { field, ..e }))
        .ok()
}

/// Whether work due on `due` is late on `today`.
pub fn overdue(due: Date, today: Date) -> bool {
    due < today
}

/// How many lines a page of the worklist holds.
pub const PAGE: i64 = 50;
