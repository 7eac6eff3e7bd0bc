//! What a resident allows (Toestemmingen): sharing their data with other
//! organisations, being approached proactively, the channels to use, and
//! "liever niet benaderd" for a while. Each choice is recorded with the
//! version of the text that explained it, and takes effect at once.

use crate::error::{Problem, ValidationError};
use crate::signal::kinds::ContactKind;
use time::{Date, Month};

/// The version of the texts that explain the consents. A changed text gets
/// a new version; every choice keeps the version it was made on.
pub const TEXT_VERSION: &str = "2026-12";

/// From this age a resident decides for themselves. For a younger child
/// the adults of the household decide on household matters (the register
/// carries no guardianship yet, so nobody can share a child's data).
pub const OWN_CHOICE_AGE: i32 = 16;

/// Does a choice made by a resident of this age count?
pub fn may_decide(age: i32) -> bool {
    age >= OWN_CHOICE_AGE
}

/// The latest date of birth of a resident who decides for themselves on
/// `today`.
pub fn deciders_born_by(today: Date) -> Date {
    let year = today.year() - OWN_CHOICE_AGE;
    Date::from_calendar_date(year, today.month(), today.day())
        .or_else(|_| Date::from_calendar_date(year, today.month(), 28))
        .unwrap_or(today)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    /// Share my data with schuldhulpverlening.
    DelenSchuldhulp,
    /// Share my data with UWV, to help me together.
    DelenUwv,
    /// The municipality may contact me on its own initiative.
    ProactiefBenaderen,
    Brief,
    Telefoon,
    Email,
    Sms,
    Huisbezoek,
    /// The other adults of my household may see that it was me who asked
    /// not to be approached.
    NaamTonen,
}

impl Topic {
    pub const ALL: [Topic; 9] = [
        Topic::DelenSchuldhulp,
        Topic::DelenUwv,
        Topic::ProactiefBenaderen,
        Topic::Brief,
        Topic::Telefoon,
        Topic::Email,
        Topic::Sms,
        Topic::Huisbezoek,
        Topic::NaamTonen,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Topic::DelenSchuldhulp => "delen-schuldhulp",
            Topic::DelenUwv => "delen-uwv",
            Topic::ProactiefBenaderen => "proactief-benaderen",
            Topic::Brief => "kanaal-brief",
            Topic::Telefoon => "kanaal-telefoon",
            Topic::Email => "kanaal-email",
            Topic::Sms => "kanaal-sms",
            Topic::Huisbezoek => "kanaal-huisbezoek",
            Topic::NaamTonen => "naam-tonen-huishouden",
        }
    }

    pub fn from_code(code: &str) -> Result<Topic, ValidationError> {
        Topic::ALL
            .into_iter()
            .find(|t| t.code() == code)
            .ok_or(ValidationError::new("toestemming", Problem::UnknownCode))
    }

    /// What holds while the resident has chosen nothing. Sharing needs a
    /// yes; contact on the municipality's initiative is its legal task
    /// (early help with arrears), which the resident can refuse; a letter,
    /// a call and a visit are the usual channels, e-mail and SMS need an
    /// address the resident gives.
    pub fn default_given(self) -> bool {
        matches!(
            self,
            Topic::ProactiefBenaderen | Topic::Brief | Topic::Telefoon | Topic::Huisbezoek
        )
    }

    /// A choice about outreach to the household, which holds for the
    /// whole household when someone who decides makes it.
    pub fn is_household_matter(self) -> bool {
        self == Topic::ProactiefBenaderen || self.is_channel()
    }

    pub fn is_channel(self) -> bool {
        matches!(
            self,
            Topic::Brief | Topic::Telefoon | Topic::Email | Topic::Sms | Topic::Huisbezoek
        )
    }
}

/// The channel consent that covers an outreach step of this kind; a card
/// is left at the door on a visit. Other kinds need no channel consent.
pub fn channel_of(kind: ContactKind) -> Option<Topic> {
    match kind {
        ContactKind::Brief => Some(Topic::Brief),
        ContactKind::Telefoon => Some(Topic::Telefoon),
        ContactKind::Mail => Some(Topic::Email),
        ContactKind::Sms => Some(Topic::Sms),
        ContactKind::Huisbezoek | ContactKind::Kaartje => Some(Topic::Huisbezoek),
        ContactKind::Overige | ContactKind::Administratief => None,
    }
}

/// How long "liever niet benaderd" can last, in months.
pub const PAUSE_MONTHS: [u8; 3] = [3, 6, 12];

/// The last day of a pause of `months` months from `today`; the months
/// must be one of [`PAUSE_MONTHS`].
pub fn pause_until(today: Date, months: &str) -> Result<Date, ValidationError> {
    let problem = ValidationError::new("periode", Problem::UnknownCode);
    let months: u8 = months.trim().parse().map_err(|_| problem.clone())?;
    if !PAUSE_MONTHS.contains(&months) {
        return Err(problem);
    }
    let total = today.year() * 12 + i32::from(today.month() as u8 - 1) + i32::from(months);
    let (year, month) = (total.div_euclid(12), total.rem_euclid(12) as u8 + 1);
    let month = Month::try_from(month).map_err(|_| problem.clone())?;
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, today.day().min(last)).map_err(|_| problem)
}

/// One member's recorded choice, as the store reads it for a household.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberChoice {
    pub resident: crate::ResidentId,
    /// The member's name as staff see it.
    pub name: String,
    pub born: Date,
    /// A topic code, or [`PAUSE`].
    pub topic: String,
    pub given: bool,
    /// The last day of a pause.
    pub until: Option<Date>,
}

/// The topic code of "liever niet benaderd" (a choice with an end date).
pub const PAUSE: &str = "liever-niet-benaderd";

/// Who made a household choice: named only where the reader may know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChosenBy {
    pub resident: crate::ResidentId,
    pub name: Option<String>,
}

/// The choices that hold for a household on a day: only those of members
/// who decide for themselves ([`may_decide`]) count; a younger child's
/// choice is kept but does not stop the household's outreach.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HouseholdChoices {
    /// Someone said no to contact on the municipality's initiative.
    pub not_approached: Vec<ChosenBy>,
    /// "Liever niet benaderd" until and including this day, the latest.
    pub paused_until: Option<(Date, ChosenBy)>,
    /// Channels that may not be used: someone said no, or nobody chose
    /// and the channel needs a yes.
    pub refused_channels: Vec<Topic>,
    /// The "no"s to a channel, with who said them.
    pub channel_noes: Vec<(Topic, ChosenBy)>,
}

impl HouseholdChoices {
    /// Counted from the members' recorded choices. `named` decides whether
    /// a chooser's name is given (staff: always; another adult: only when
    /// the chooser allowed it with [`Topic::NaamTonen`]).
    pub fn from_members(choices: &[MemberChoice], today: Date, staff: bool) -> Self {
        let born_by = deciders_born_by(today);
        let counts: Vec<&MemberChoice> = choices.iter().filter(|c| c.born <= born_by).collect();
        let shows_name = |who: crate::ResidentId| {
            staff
                || counts
                    .iter()
                    .any(|c| c.resident == who && c.topic == Topic::NaamTonen.code() && c.given)
        };
        let by = |c: &MemberChoice| ChosenBy {
            resident: c.resident,
            name: shows_name(c.resident).then(|| c.name.clone()),
        };
        let mut out = HouseholdChoices::default();
        for c in &counts {
            if c.topic == Topic::ProactiefBenaderen.code() && !c.given {
                out.not_approached.push(by(c));
            }
            if let Ok(t) = Topic::from_code(&c.topic)
                && t.is_channel()
                && !c.given
            {
                out.channel_noes.push((t, by(c)));
            }
            if let (true, Some(until)) = (c.topic == PAUSE && c.given, c.until)
                && until >= today
                && out.paused_until.as_ref().is_none_or(|(d, _)| until > *d)
            {
                out.paused_until = Some((until, by(c)));
            }
        }
        out.refused_channels = Topic::ALL
            .into_iter()
            .filter(|t| t.is_channel())
            .filter(|t| {
                let said: Vec<bool> = counts
                    .iter()
                    .filter(|c| c.topic == t.code())
                    .map(|c| c.given)
                    .collect();
                if said.is_empty() {
                    !t.default_given()
                } else {
                    said.contains(&false)
                }
            })
            .collect();
        out
    }

    /// May the household be approached on the municipality's initiative?
    pub fn may_approach(&self) -> bool {
        self.not_approached.is_empty() && self.paused_until.is_none()
    }

    /// Why an outreach step of this kind may not be taken, if it may not:
    /// a channel refused, a "no", or a pause.
    pub fn refuses(&self, kind: ContactKind) -> bool {
        match channel_of(kind) {
            Some(t) => !self.may_approach() || self.refused_channels.contains(&t),
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn codes_round_trip_and_unknown_ones_are_refused() {
        for t in Topic::ALL {
            assert_eq!(Topic::from_code(t.code()), Ok(t));
        }
        assert_eq!(
            Topic::from_code("alles").unwrap_err().problem,
            Problem::UnknownCode
        );
        assert!(!Topic::DelenSchuldhulp.default_given());
        assert!(Topic::ProactiefBenaderen.default_given());
    }

    #[test]
    fn a_pause_lasts_whole_months_to_a_real_day() {
        assert_eq!(
            pause_until(date!(2026 - 11 - 23), "3"),
            Ok(date!(2027 - 02 - 23))
        );
        assert_eq!(
            pause_until(date!(2026 - 08 - 31), "6"),
            Ok(date!(2027 - 02 - 28))
        );
        assert_eq!(
            pause_until(date!(2026 - 01 - 15), "12"),
            Ok(date!(2027 - 01 - 15))
        );
        for bad in ["", "4", "twaalf", "-3"] {
            assert_eq!(
                pause_until(date!(2026 - 11 - 23), bad).unwrap_err().field,
                "periode"
            );
        }
    }

    fn choice(resident: i64, born: Date, topic: &str, given: bool) -> MemberChoice {
        MemberChoice {
            resident: crate::ResidentId(resident),
            name: format!("lid {resident}"),
            born,
            topic: topic.to_string(),
            given,
            until: None,
        }
    }

    #[test]
    fn a_young_childs_choice_does_not_hold_for_the_household() {
        let today = date!(2026 - 12 - 07);
        assert_eq!(deciders_born_by(today), date!(2010 - 12 - 07));
        assert_eq!(
            deciders_born_by(date!(2028 - 02 - 29)),
            date!(2012 - 02 - 29)
        );
        let child = choice(3, date!(2020 - 05 - 01), "proactief-benaderen", false);
        let no_visit = choice(3, date!(2020 - 05 - 01), "kanaal-huisbezoek", false);
        let got = HouseholdChoices::from_members(&[child, no_visit], today, true);
        assert!(got.may_approach());
        assert!(!got.refuses(ContactKind::Huisbezoek));
        // Sixteen today: the choice counts.
        let sixteen = choice(4, date!(2010 - 12 - 07), "kanaal-huisbezoek", false);
        let got = HouseholdChoices::from_members(&[sixteen], today, true);
        assert!(got.refuses(ContactKind::Huisbezoek));
        assert!(got.refuses(ContactKind::Kaartje));
        assert!(!got.refuses(ContactKind::Brief));
        assert!(!got.refuses(ContactKind::Administratief));
    }

    #[test]
    fn a_pause_holds_for_every_channel_and_names_only_who_agreed() {
        let today = date!(2026 - 12 - 07);
        let adult = date!(1980 - 01 - 01);
        let mut pause = choice(1, adult, PAUSE, true);
        pause.until = Some(date!(2027 - 03 - 07));
        let staff = HouseholdChoices::from_members(std::slice::from_ref(&pause), today, true);
        assert!(!staff.may_approach());
        assert!(staff.refuses(ContactKind::Brief));
        assert_eq!(
            staff
                .paused_until
                .as_ref()
                .map(|(d, by)| (*d, by.name.clone())),
            Some((date!(2027 - 03 - 07), Some("lid 1".to_string())))
        );
        let other_adult =
            HouseholdChoices::from_members(std::slice::from_ref(&pause), today, false);
        assert_eq!(other_adult.paused_until.unwrap().1.name, None);
        let named = choice(1, adult, "naam-tonen-huishouden", true);
        let other_adult = HouseholdChoices::from_members(&[pause.clone(), named], today, false);
        assert_eq!(
            other_adult.paused_until.unwrap().1.name.as_deref(),
            Some("lid 1")
        );
        // A pause that ended yesterday no longer holds.
        pause.until = Some(date!(2026 - 12 - 06));
        assert!(HouseholdChoices::from_members(&[pause], today, true).may_approach());
        // E-mail needs a yes: nobody chose, so it is refused.
        let none = HouseholdChoices::from_members(&[], today, true);
        assert!(none.refused_channels.contains(&Topic::Email));
        assert!(!none.refused_channels.contains(&Topic::Brief));
    }
}
