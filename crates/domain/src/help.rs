//! Hulp vragen ("no wrong door"): what a resident asks for in the portal,
//! where it goes, and the steps it passes. A resident asks in their own
//! words about a topic; a routing table kept by an admin names the
//! organisation and team that pick it up and within how many working days.

use crate::error::{Problem, ValidationError};
use time::{Date, Duration, Weekday};

/// What a resident wants help with, in the portal's plain words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HelpTopic {
    /// Geld en rekeningen.
    Geld,
    Werk,
    Wonen,
    Zorg,
    /// Iets anders: the resident's own words say what.
    Anders,
}

impl HelpTopic {
    pub const ALL: [HelpTopic; 5] = [
        HelpTopic::Geld,
        HelpTopic::Werk,
        HelpTopic::Wonen,
        HelpTopic::Zorg,
        HelpTopic::Anders,
    ];

    pub fn code(self) -> &'static str {
        match self {
            HelpTopic::Geld => "geld",
            HelpTopic::Werk => "werk",
            HelpTopic::Wonen => "wonen",
            HelpTopic::Zorg => "zorg",
            HelpTopic::Anders => "anders",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|t| t.code() == code)
            .ok_or(ValidationError::new("onderwerp", Problem::UnknownCode))
    }
}

/// How a request came in. Stable codes: they are stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestKind {
    /// "Waar wilt u hulp bij?"
    Hulpvraag,
    /// "Ik wil dit aanvragen": support the rules scan found.
    Aanvragen,
    /// "Bel mij hierover".
    Terugbellen,
    /// The Geldcheck's answers, sent with a request to be called.
    Geldcheck,
    /// "Klopt een gegeven niet?": a fact behind a lead is wrong; the
    /// team checks it and calculates again.
    Correctie,
}

impl RequestKind {
    pub const ALL: [RequestKind; 5] = [
        RequestKind::Hulpvraag,
        RequestKind::Aanvragen,
        RequestKind::Terugbellen,
        RequestKind::Geldcheck,
        RequestKind::Correctie,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RequestKind::Hulpvraag => "hulpvraag",
            RequestKind::Aanvragen => "aanvragen",
            RequestKind::Terugbellen => "terugbellen",
            RequestKind::Geldcheck => "geldcheck",
            RequestKind::Correctie => "correctie",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or(ValidationError::new("soort", Problem::UnknownCode))
    }
}

/// Where a request stands; each change is a step on the resident's timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RequestStatus {
    Ontvangen,
    InBehandeling,
    Afgerond,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 3] = [
        RequestStatus::Ontvangen,
        RequestStatus::InBehandeling,
        RequestStatus::Afgerond,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RequestStatus::Ontvangen => "ontvangen",
            RequestStatus::InBehandeling => "in-behandeling",
            RequestStatus::Afgerond => "afgerond",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or(ValidationError::new("status", Problem::UnknownCode))
    }
}

/// The most a resident writes in their own words, and a caseworker in a
/// note to the resident: enough to explain, short enough to read.
pub const OWN_WORDS_MAX: usize = 1000;

/// Text typed in a text area: line breaks kept (as `\n`), other control
/// characters refused, at most `max` characters; empty is `""`.
pub fn free_text(field: &'static str, input: &str, max: usize) -> Result<String, ValidationError> {
    let s = input.replace("\r\n", "\n").replace('\r', "\n");
    let s = s.trim();
    if s.chars().count() > max {
        return Err(ValidationError::new(field, Problem::TooLong { max }));
    }
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(ValidationError::new(field, Problem::InvalidCharacters));
    }
    Ok(s.to_string())
}

/// What the resident says is wrong about a fact behind a lead, and what
/// is right: needed, as free text (field "juist").
pub fn correction(input: &str) -> Result<String, ValidationError> {
    match free_text("juist", input, OWN_WORDS_MAX)? {
        t if t.is_empty() => Err(ValidationError::new("juist", Problem::Empty)),
        t => Ok(t),
    }
}

/// A new question from the portal's form, checked.
#[derive(Clone, PartialEq, Eq)]
pub struct HelpQuestion {
    pub topic: HelpTopic,
    pub own_words: String,
}

impl std::fmt::Debug for HelpQuestion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HelpQuestion")
            .field("topic", &self.topic)
            .field("own_words", &"<hidden>")
            .finish()
    }
}

impl HelpQuestion {
    /// Every problem, each naming its field. "Iets anders" needs words:
    /// otherwise nobody knows where to send it.
    pub fn validate(topic: &str, own_words: &str) -> Result<HelpQuestion, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let topic = match topic.trim() {
            "" => Err(ValidationError::new("onderwerp", Problem::NotChosen)),
            t => HelpTopic::from_code(t),
        }
        .map_err(|e| errors.push(e))
        .ok();
        let words = free_text("woorden", own_words, OWN_WORDS_MAX)
            .map_err(|e| errors.push(e))
            .ok();
        if topic == Some(HelpTopic::Anders) && words.as_deref() == Some("") {
            errors.push(ValidationError::new("woorden", Problem::Empty));
        }
        match (topic, words) {
            (Some(topic), Some(own_words)) if errors.is_empty() => {
                Ok(HelpQuestion { topic, own_words })
            }
            _ => Err(errors),
        }
    }
}

/// One line of the routing table: who picks up questions on a topic.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct HelpRoute {
    pub topic: HelpTopic,
    pub org_id: i64,
    pub team_id: i64,
    /// The team's name as the store read it (empty in a line just typed).
    pub team: String,
    /// Working days within which the resident hears from the team.
    pub answer_days: i64,
    /// The number a resident can call meanwhile.
    pub phone: String,
}

impl serde::Serialize for HelpTopic {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// The longest answer time an admin may set: a resident should not wait
/// longer than six weeks for a first answer.
pub const ANSWER_DAYS_MAX: i64 = 30;

/// Working days as an admin typed them: 1 to [`ANSWER_DAYS_MAX`].
pub fn parse_answer_days(input: &str) -> Result<i64, ValidationError> {
    match input.trim().parse::<i64>() {
        Ok(d) if (1..=ANSWER_DAYS_MAX).contains(&d) => Ok(d),
        Ok(_) => Err(ValidationError::new(
            "werkdagen",
            Problem::OutOfRange {
                min: 1,
                max: ANSWER_DAYS_MAX,
            },
        )),
        Err(_) if input.trim().is_empty() => Err(ValidationError::new("werkdagen", Problem::Empty)),
        Err(_) => Err(ValidationError::new("werkdagen", Problem::NotDigits)),
    }
}

impl HelpRoute {
    /// A line as an admin chose it: the team (its id, from the list of
    /// `org`'s teams), the days and the number; every problem names its
    /// field.
    pub fn validate(
        topic: HelpTopic,
        org_id: i64,
        team: &str,
        answer_days: &str,
        phone: &str,
    ) -> Result<HelpRoute, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let team_id = team
            .trim()
            .parse::<i64>()
            .map_err(|_| errors.push(ValidationError::new("team", Problem::NotChosen)))
            .ok();
        let days = parse_answer_days(answer_days)
            .map_err(|e| errors.push(e))
            .ok();
        let phone = crate::contact::phone("telefoonnummer", phone)
            .map_err(|e| errors.push(e))
            .ok();
        match (team_id, days, phone) {
            (Some(team_id), Some(answer_days), Some(phone)) if errors.is_empty() => Ok(HelpRoute {
                topic,
                org_id,
                team_id,
                team: String::new(),
                answer_days,
                phone,
            }),
            _ => Err(errors),
        }
    }
}

/// The day `n` working days (Monday to Friday) after `from`. Public
/// holidays are not counted out: the promise errs on the early side.
pub fn add_working_days(from: Date, n: i64) -> Date {
    let mut day = from;
    let mut left = n;
    while left > 0 {
        day += Duration::days(1);
        if !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) {
            left -= 1;
        }
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn working_days_skip_the_weekend() {
        // Friday 2026-11-20 + 1 working day is Monday.
        assert_eq!(
            add_working_days(date!(2026 - 11 - 20), 1),
            date!(2026 - 11 - 23)
        );
        assert_eq!(
            add_working_days(date!(2026 - 11 - 22), 5),
            date!(2026 - 11 - 27)
        );
        assert_eq!(
            add_working_days(date!(2026 - 11 - 23), 0),
            date!(2026 - 11 - 23)
        );
    }

    #[test]
    fn a_question_names_what_is_wrong() {
        let e = HelpQuestion::validate("anders", "  ").unwrap_err();
        assert_eq!(e[0].field, "woorden");
        let e = HelpQuestion::validate("", "x").unwrap_err();
        assert_eq!(
            (e[0].field, &e[0].problem),
            ("onderwerp", &Problem::NotChosen)
        );
        let long = "a".repeat(OWN_WORDS_MAX + 1);
        let e = HelpQuestion::validate("geld", &long).unwrap_err();
        assert_eq!(e[0].problem.code(), "too-long");
        let q = HelpQuestion::validate("geld", "Ik kan de huur\r\nniet betalen.").unwrap();
        assert_eq!(q.own_words, "Ik kan de huur\nniet betalen.");
        assert!(!format!("{q:?}").contains("huur"));
    }

    #[test]
    fn a_route_needs_a_team_a_term_and_a_number() {
        let e = HelpRoute::validate(HelpTopic::Geld, 1, "", "40", "12").unwrap_err();
        let fields: Vec<_> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["team", "werkdagen", "telefoonnummer"]);
        let r = HelpRoute::validate(HelpTopic::Geld, 1, "Geldzaken", "3", "14 0570").unwrap_err();
        let fields: Vec<_> = r.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["team", "telefoonnummer"]);
        let ok = HelpRoute::validate(HelpTopic::Geld, 1, "7", "3", "0570 123 456").unwrap();
        assert_eq!((ok.team_id, ok.answer_days), (7, 3));
    }

    proptest! {
        #[test]
        fn free_text_never_panics_and_keeps_its_limit(s in "\\PC{0,1200}") {
            if let Ok(t) = free_text("x", &s, OWN_WORDS_MAX) {
                prop_assert!(t.chars().count() <= OWN_WORDS_MAX);
                prop_assert!(!t.contains('\r'));
            }
        }

        #[test]
        fn working_days_land_on_a_weekday_after_the_start(n in 1i64..60, offset in 0i64..400) {
            let from = date!(2026 - 01 - 01) + Duration::days(offset);
            let d = add_working_days(from, n);
            prop_assert!(d > from);
            prop_assert!(!matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday));
            prop_assert!((d - from).whole_days() <= n + 2 * (n / 5 + 1));
        }
    }
}
