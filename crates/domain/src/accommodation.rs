//! What helps a resident to take the next step (aanpassingen): noted by a
//! caseworker, shown wherever staff contact the resident, and applied
//! where Wegwijs can. When they disagree, the resident's consent wins (a
//! refused channel is never used), then the accommodation, then the
//! contact preference.

use crate::consent::{HouseholdChoices, Topic};
use crate::error::{Problem, ValidationError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Accommodation {
    /// Call after every letter: a call task follows a letter.
    BelNaBrief,
    /// One action per letter (checked when letters are written).
    EenActiePerBrief,
    /// Someone may come along.
    IemandMagMee,
    /// An interpreter or another language.
    Tolk,
    /// Meet at home.
    AfspraakThuis,
    /// A reminder by text message before an appointment.
    HerinneringSms,
    /// More time: appointments take a double slot.
    ExtraTijd,
    /// Rather no phone calls: no call tasks are made.
    LieverGeenTelefoon,
}

impl Accommodation {
    pub const ALL: [Accommodation; 8] = [
        Accommodation::BelNaBrief,
        Accommodation::EenActiePerBrief,
        Accommodation::IemandMagMee,
        Accommodation::Tolk,
        Accommodation::AfspraakThuis,
        Accommodation::HerinneringSms,
        Accommodation::ExtraTijd,
        Accommodation::LieverGeenTelefoon,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Accommodation::BelNaBrief => "bel-na-brief",
            Accommodation::EenActiePerBrief => "een-actie-per-brief",
            Accommodation::IemandMagMee => "iemand-mag-mee",
            Accommodation::Tolk => "tolk",
            Accommodation::AfspraakThuis => "afspraak-thuis",
            Accommodation::HerinneringSms => "herinnering-sms",
            Accommodation::ExtraTijd => "extra-tijd",
            Accommodation::LieverGeenTelefoon => "liever-geen-telefoon",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|a| a.code() == code.trim())
            .ok_or(ValidationError::new("aanpassing", Problem::UnknownCode))
    }
}

/// The accommodations noted for a resident by one organisation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Noted(pub Vec<Accommodation>);

impl Noted {
    pub fn has(&self, a: Accommodation) -> bool {
        self.0.contains(&a)
    }

    /// An appointment's length: a double slot with "extra tijd".
    pub fn slot_minutes(&self, slot: i64) -> i64 {
        if self.has(Accommodation::ExtraTijd) {
            slot * 2
        } else {
            slot
        }
    }

    /// How an appointment's reminder goes: by text message to `phone`
    /// with "herinnering per sms" (over the resident's own choice) unless
    /// someone in the household said no to text messages; else as the
    /// resident chose when booking (their own choice, made just now). A
    /// reminder of an appointment the resident made is not outreach: a
    /// channel that merely waits for a yes does not stop it.
    pub fn reminder<'a>(
        &self,
        chosen: Option<(&'static str, &'a str)>,
        phone: Option<&'a str>,
        choices: &HouseholdChoices,
    ) -> Option<(&'static str, &'a str)> {
        let sms_allowed = !choices.channel_noes.iter().any(|(t, _)| *t == Topic::Sms);
        phone
            .filter(|_| self.has(Accommodation::HerinneringSms) && sms_allowed)
            .map(|p| ("sms", p))
            .or(chosen)
    }

    /// Whether a letter is followed by a call: "bel na elke brief", unless
    /// the resident would rather not be called or the household refused
    /// the phone.
    pub fn call_after_letter(&self, choices: &HouseholdChoices) -> bool {
        self.has(Accommodation::BelNaBrief)
            && !self.has(Accommodation::LieverGeenTelefoon)
            && !choices.refused_channels.contains(&Topic::Telefoon)
    }
}

/// The boxes an admin or caseworker ticked, checked.
pub fn read_ticked(ticked: &[String]) -> Result<Noted, ValidationError> {
    let mut out: Vec<Accommodation> = ticked
        .iter()
        .map(|t| Accommodation::from_code(t))
        .collect::<Result<_, _>>()?;
    out.sort_unstable();
    out.dedup();
    Ok(Noted(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::ChosenBy;

    /// `refused`: said no to by someone (and so refused).
    fn choices(refused: &[Topic]) -> HouseholdChoices {
        HouseholdChoices {
            refused_channels: refused.to_vec(),
            channel_noes: refused
                .iter()
                .map(|t| {
                    (
                        *t,
                        ChosenBy {
                            resident: crate::ResidentId(1),
                            name: None,
                        },
                    )
                })
                .collect(),
            ..HouseholdChoices::default()
        }
    }

    #[test]
    fn a_channel_waiting_for_a_yes_does_not_stop_a_reminder_asked_for() {
        let sms = Noted(vec![Accommodation::HerinneringSms]);
        let waiting = HouseholdChoices {
            refused_channels: vec![Topic::Sms],
            ..HouseholdChoices::default()
        };
        assert_eq!(
            sms.reminder(None, Some("06"), &waiting),
            Some(("sms", "06"))
        );
    }

    #[test]
    fn consent_wins_then_the_accommodation_then_the_preference() {
        let sms = Noted(vec![Accommodation::HerinneringSms]);
        let none = Noted::default();
        let mail = Some(("email", "a@b.nl"));
        let phone = Some("06 12345678");
        // The accommodation over the resident's own choice of e-mail.
        assert_eq!(
            sms.reminder(mail, phone, &choices(&[])),
            Some(("sms", "06 12345678"))
        );
        // Text messages refused: the resident's e-mail after all.
        assert_eq!(sms.reminder(mail, phone, &choices(&[Topic::Sms])), mail);
        // Without a number the accommodation cannot apply.
        assert_eq!(sms.reminder(None, None, &choices(&[])), None);
        assert_eq!(none.reminder(mail, phone, &choices(&[])), mail);
    }

    #[test]
    fn more_time_doubles_the_slot_and_calls_follow_letters_unless_refused() {
        assert_eq!(Noted(vec![Accommodation::ExtraTijd]).slot_minutes(30), 60);
        assert_eq!(Noted::default().slot_minutes(30), 30);
        let call = Noted(vec![Accommodation::BelNaBrief]);
        assert!(call.call_after_letter(&choices(&[])));
        assert!(!call.call_after_letter(&choices(&[Topic::Telefoon])));
        let both = Noted(vec![
            Accommodation::BelNaBrief,
            Accommodation::LieverGeenTelefoon,
        ]);
        assert!(!both.call_after_letter(&choices(&[])));
        assert!(!Noted::default().call_after_letter(&choices(&[])));
    }

    #[test]
    fn ticked_boxes_are_known_accommodations() {
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            read_ticked(&t(&["tolk", "extra-tijd", "tolk"])).unwrap(),
            Noted(vec![Accommodation::Tolk, Accommodation::ExtraTijd])
        );
        assert_eq!(
            read_ticked(&t(&["zomaar"])).unwrap_err().field,
            "aanpassing"
        );
    }
}
