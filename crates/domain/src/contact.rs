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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
