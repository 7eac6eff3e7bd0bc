//! How a resident can be reached: phone numbers and e-mail addresses as
//! people write them, checked for the field they were typed in.

use crate::error::{Problem, ValidationError};

/// A phone number as people write it: digits with spaces, dashes,
/// brackets and a leading +; 10 to 15 digits.
pub fn phone(field: &'static str, input: &str) -> Result<String, ValidationError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(ValidationError::new(field, Problem::Empty));
    }
    let allowed = |(i, c): (usize, char)| {
        c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')') || (c == '+' && i == 0)
    };
    if !s.char_indices().all(allowed) {
        return Err(ValidationError::new(field, Problem::NotAPhoneNumber));
    }
    let digits = s.chars().filter(char::is_ascii_digit).count();
    if !(10..=15).contains(&digits) {
        return Err(ValidationError::new(
            field,
            Problem::PhoneLength { min: 10, max: 15 },
        ));
    }
    Ok(s.to_string())
}

/// An e-mail address: something@domain.tld, no spaces, at most 254
/// characters. Deliverability is for the mail system to find out.
pub fn email(field: &'static str, input: &str) -> Result<String, ValidationError> {
    let s = input.trim();
    if s.len() > 254 {
        return Err(ValidationError::new(field, Problem::TooLong { max: 254 }));
    }
    let valid = match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    if valid {
        Ok(s.to_string())
    } else {
        Err(ValidationError::new(field, Problem::NotAnEmail))
    }
}

/// How a resident asked to be reached about something they asked for: a
/// phone number, an e-mail address, or both. Personal data: `Debug` shows
/// only which ways there are.
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ContactWays {
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl std::fmt::Debug for ContactWays {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContactWays")
            .field("phone", &self.phone.as_ref().map(|_| "<hidden>"))
            .field("email", &self.email.as_ref().map(|_| "<hidden>"))
            .finish()
    }
}

impl ContactWays {
    /// Only a phone number (for "bel mij").
    pub fn phone(number: String) -> ContactWays {
        ContactWays {
            phone: Some(number),
            email: None,
        }
    }

    /// The two fields of a form ("uw-telefoon", "uw-email"), checked: at
    /// least one filled, each one that is filled valid. Every problem is
    /// named by its field.
    pub fn validate(
        phone_input: &str,
        email_input: &str,
    ) -> Result<ContactWays, Vec<ValidationError>> {
        let filled = |s: &str| !s.trim().is_empty();
        if !filled(phone_input) && !filled(email_input) {
            return Err(vec![ValidationError::new(
                "uw-telefoon",
                Problem::NoWayToReach,
            )]);
        }
        let mut errors = Vec::new();
        let phone = filled(phone_input)
            .then(|| {
                phone("uw-telefoon", phone_input)
                    .map_err(|e| errors.push(e))
                    .ok()
            })
            .flatten();
        let email = filled(email_input)
            .then(|| {
                email("uw-email", email_input)
                    .map_err(|e| errors.push(e))
                    .ok()
            })
            .flatten();
        if errors.is_empty() {
            Ok(ContactWays { phone, email })
        } else {
            Err(errors)
        }
    }

    pub fn is_empty(&self) -> bool {
        self.phone.is_none() && self.email.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_way_to_reach_is_one_or_both_and_each_is_checked() {
        let one = ContactWays::validate(" 06 1234 5678 ", "").unwrap();
        assert_eq!(one, ContactWays::phone("06 1234 5678".into()));
        let both = ContactWays::validate("0612345678", "a@b.nl").unwrap();
        assert_eq!(both.email.as_deref(), Some("a@b.nl"));
        let none = ContactWays::validate(" ", "").unwrap_err();
        assert_eq!(
            none,
            vec![ValidationError::new("uw-telefoon", Problem::NoWayToReach)]
        );
        let bad = ContactWays::validate("0612abc", "geen-email").unwrap_err();
        let fields: Vec<_> = bad.iter().map(|e| (e.field, e.problem.clone())).collect();
        assert_eq!(
            fields,
            vec![
                ("uw-telefoon", Problem::NotAPhoneNumber),
                ("uw-email", Problem::NotAnEmail)
            ]
        );
        assert!(!format!("{both:?}").contains("a@b.nl"));
    }

    #[test]
    fn phones_and_emails() {
        assert!(phone("Telefoon", "+31 6 1234 5678").is_ok());
        assert!(phone("Telefoon", "(0570) 12 34 56").is_ok());
        let problem = |s| phone("Telefoon", s).unwrap_err().problem;
        assert_eq!(problem(""), Problem::Empty);
        assert_eq!(problem("   "), Problem::Empty);
        assert_eq!(
            problem("06-1234"),
            Problem::PhoneLength { min: 10, max: 15 }
        );
        assert_eq!(problem("06+12345678"), Problem::NotAPhoneNumber);
        assert_eq!(problem("0612abc"), Problem::NotAPhoneNumber);
        assert!(email("Email", "a.b@c.nl").is_ok());
        for bad in ["a@b", "@b.nl", "a b@c.nl", "a@.nl", "a@b.nl.", "a@b@c.nl"] {
            assert!(email("Email", bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn a_phone_never_panics_and_names_its_field(s in "\\PC{0,40}") {
            if let Err(e) = phone("telefoon", &s) {
                prop_assert_eq!(e.field, "telefoon");
            }
        }

        #[test]
        fn any_written_dutch_number_is_accepted(d in "[0-9]{9}", sep in "[ -]?") {
            let written = format!("06{sep}{}", &d[1..]);
            prop_assert!(phone("telefoon", &written).is_ok());
        }
    }
}

/// How a resident would rather be reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Preferred {
    Telefoon,
    Sms,
    Email,
    Brief,
}

impl Preferred {
    pub const ALL: [Preferred; 4] = [
        Preferred::Telefoon,
        Preferred::Sms,
        Preferred::Email,
        Preferred::Brief,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Preferred::Telefoon => "telefoon",
            Preferred::Sms => "sms",
            Preferred::Email => "email",
            Preferred::Brief => "brief",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code.trim())
    }
}

/// The longest "times to avoid" a resident writes.
pub const AVOID_MAX: usize = 200;

/// The contact details a resident gives once in the portal: used by every
/// form that asks how to reach them, and shown to staff who may see their
/// contact.
#[derive(Clone, PartialEq, Eq)]
pub struct ContactDetails {
    pub ways: ContactWays,
    pub preferred: Preferred,
    /// Times not to call or visit, in their own words ("niet voor 10 uur").
    pub avoid: String,
}

impl std::fmt::Debug for ContactDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContactDetails")
            .field("ways", &self.ways)
            .field("preferred", &self.preferred)
            .finish_non_exhaustive()
    }
}

impl ContactDetails {
    /// The form's fields, checked; the preferred way must be one the
    /// details make possible (a number for a call or text, an address
    /// for e-mail). Every problem is named by its field.
    pub fn validate(
        phone: &str,
        email: &str,
        preferred: &str,
        avoid: &str,
    ) -> Result<ContactDetails, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let ways = ContactWays::validate(phone, email)
            .map_err(|e| errors.extend(e))
            .ok();
        let preferred = match Preferred::from_code(preferred) {
            None => {
                errors.push(ValidationError::new("voorkeur", Problem::NotChosen));
                None
            }
            Some(p) => Some(p),
        };
        if let (Some(w), Some(p)) = (&ways, preferred) {
            let possible = match p {
                Preferred::Telefoon | Preferred::Sms => w.phone.is_some(),
                Preferred::Email => w.email.is_some(),
                Preferred::Brief => true,
            };
            if !possible {
                errors.push(ValidationError::new("voorkeur", Problem::NoWayToReach));
            }
        }
        let avoid = crate::person::optional_text("liever-niet", avoid, AVOID_MAX)
            .map_err(|e| errors.push(e))
            .ok()
            .flatten()
            .unwrap_or_default();
        match (ways, preferred) {
            (Some(ways), Some(preferred)) if errors.is_empty() => Ok(ContactDetails {
                ways,
                preferred,
                avoid,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod details_tests {
    use super::*;

    #[test]
    fn the_preferred_way_must_be_one_the_details_make_possible() {
        let ok = ContactDetails::validate("06 12345678", "", "sms", " niet voor 10 uur ").unwrap();
        assert_eq!(
            (ok.preferred, ok.avoid.as_str()),
            (Preferred::Sms, "niet voor 10 uur")
        );
        let e = ContactDetails::validate("06 12345678", "", "email", "").unwrap_err();
        assert_eq!(
            (e[0].field, e[0].problem.clone()),
            ("voorkeur", Problem::NoWayToReach)
        );
        let e = ContactDetails::validate("", "", "", &"x".repeat(AVOID_MAX + 1)).unwrap_err();
        let fields: Vec<_> = e.iter().map(|e| e.field).collect();
        assert!(
            fields.contains(&"voorkeur") && fields.contains(&"liever-niet"),
            "{fields:?}"
        );
        assert!(ContactDetails::validate("", "a@b.nl", "brief", "").is_ok());
    }
}
