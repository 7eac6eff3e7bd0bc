//! Validation errors that name the field and the problem, never the value
//! (values may be personal data and errors end up in logs and reports).

use std::fmt;

/// What is wrong with a value. Each variant has a stable code, so that the web
/// layer can look up a Dutch or English message for it (`problem-<code>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Empty,
    TooLong {
        max: usize,
    },
    TooShort {
        min: usize,
    },
    NotDigits,
    WrongLength {
        expected: usize,
    },
    Elfproef,
    PostcodeFormat,
    PostcodeReserved,
    NotADate,
    InFuture,
    TooOld,
    NotAnAmount,
    Negative,
    AmountTooLarge,
    OutOfRange {
        min: i64,
        max: i64,
    },
    UnknownCode,
    InvalidCharacters,
    Duplicate,
    NotBeforeSignalDate,
    NoIdentification,
    NotYesNo,
    NotAnEmail,
    BeforeCaseOpened,
    NotAfterToday,
    NotWithThisResult,
    NotThisPartner,
    NotATime,
    NotAfterStart,
    FileType,
    FileTooLarge {
        max_mb: usize,
    },
    TooMany {
        max: i64,
    },
    TooFew {
        min: i64,
    },
    UnknownVersion,
    UnknownStatement,
    Closed,
    /// None of the choices of a question was chosen.
    NotChosen,
    /// Something other than digits (and spaces, dashes, brackets, a
    /// leading +) where a phone number goes.
    NotAPhoneNumber,
    /// A phone number with too few or too many digits.
    PhoneLength {
        min: i64,
        max: i64,
    },
    /// A date further ahead than the rule allows, in months from today.
    TooFarAhead {
        months: i64,
    },
    /// Neither a phone number nor an e-mail address where one of them is
    /// needed to reach the resident.
    NoWayToReach,
    /// A change that changes nothing (the same status again, no message).
    NothingChanged,
    /// A password that a guesser finds quickly (common, a pattern, or made
    /// of the person's own name or organisation).
    Guessable,
    /// The two entries of a new password differ.
    NotTheSame,
    /// A code (of a second login step) that is not right, or used already.
    WrongCode,
    /// The household refused this way of contact (or any, for now).
    ChannelRefused,
    /// Nothing (nobody) was found by what was typed.
    NoMatch,
    /// More were found than can be shown; something more precise is needed.
    TooManyFound {
        max: i64,
    },
}

impl Problem {
    /// One problem of each kind (numbers made up), for the test that every
    /// kind has a message. [`Problem::index`] makes the compiler refuse a
    /// new kind until it is added here too.
    pub const EXAMPLES: &'static [Problem] = &[
        Problem::Empty,
        Problem::TooLong { max: 1 },
        Problem::TooShort { min: 1 },
        Problem::NotDigits,
        Problem::WrongLength { expected: 1 },
        Problem::Elfproef,
        Problem::PostcodeFormat,
        Problem::PostcodeReserved,
        Problem::NotADate,
        Problem::InFuture,
        Problem::TooOld,
        Problem::NotAnAmount,
        Problem::Negative,
        Problem::AmountTooLarge,
        Problem::OutOfRange { min: 1, max: 1 },
        Problem::UnknownCode,
        Problem::InvalidCharacters,
        Problem::Duplicate,
        Problem::NotBeforeSignalDate,
        Problem::NoIdentification,
        Problem::NotYesNo,
        Problem::NotAnEmail,
        Problem::BeforeCaseOpened,
        Problem::NotAfterToday,
        Problem::NotWithThisResult,
        Problem::NotThisPartner,
        Problem::NotATime,
        Problem::NotAfterStart,
        Problem::FileType,
        Problem::FileTooLarge { max_mb: 1 },
        Problem::TooMany { max: 1 },
        Problem::TooFew { min: 1 },
        Problem::UnknownVersion,
        Problem::UnknownStatement,
        Problem::Closed,
        Problem::NotChosen,
        Problem::NotAPhoneNumber,
        Problem::PhoneLength { min: 1, max: 1 },
        Problem::TooFarAhead { months: 1 },
        Problem::NoWayToReach,
        Problem::NothingChanged,
        Problem::Guessable,
        Problem::NotTheSame,
        Problem::WrongCode,
        Problem::ChannelRefused,
        Problem::NoMatch,
        Problem::TooManyFound { max: 1 },
    ];

    /// This kind's place in [`Problem::EXAMPLES`].
    pub fn index(&self) -> usize {
        match self {
            Problem::Empty => 0,
            Problem::TooLong { .. } => 1,
            Problem::TooShort { .. } => 2,
            Problem::NotDigits => 3,
            Problem::WrongLength { .. } => 4,
            Problem::Elfproef => 5,
            Problem::PostcodeFormat => 6,
            Problem::PostcodeReserved => 7,
            Problem::NotADate => 8,
            Problem::InFuture => 9,
            Problem::TooOld => 10,
            Problem::NotAnAmount => 11,
            Problem::Negative => 12,
            Problem::AmountTooLarge => 13,
            Problem::OutOfRange { .. } => 14,
            Problem::UnknownCode => 15,
            Problem::InvalidCharacters => 16,
            Problem::Duplicate => 17,
            Problem::NotBeforeSignalDate => 18,
            Problem::NoIdentification => 19,
            Problem::NotYesNo => 20,
            Problem::NotAnEmail => 21,
            Problem::BeforeCaseOpened => 22,
            Problem::NotAfterToday => 23,
            Problem::NotWithThisResult => 24,
            Problem::NotThisPartner => 25,
            Problem::NotATime => 26,
            Problem::NotAfterStart => 27,
            Problem::FileType => 28,
            Problem::FileTooLarge { .. } => 29,
            Problem::TooMany { .. } => 30,
            Problem::TooFew { .. } => 31,
            Problem::UnknownVersion => 32,
            Problem::UnknownStatement => 33,
            Problem::Closed => 34,
            Problem::NotChosen => 35,
            Problem::NotAPhoneNumber => 36,
            Problem::PhoneLength { .. } => 37,
            Problem::TooFarAhead { .. } => 38,
            Problem::NoWayToReach => 39,
            Problem::NothingChanged => 40,
            Problem::Guessable => 41,
            Problem::NotTheSame => 42,
            Problem::WrongCode => 43,
            Problem::ChannelRefused => 44,
            Problem::NoMatch => 45,
            Problem::TooManyFound { .. } => 46,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Problem::Empty => "empty",
            Problem::TooLong { .. } => "too-long",
            Problem::TooShort { .. } => "too-short",
            Problem::NotDigits => "not-digits",
            Problem::WrongLength { .. } => "wrong-length",
            Problem::Elfproef => "elfproef",
            Problem::PostcodeFormat => "postcode-format",
            Problem::PostcodeReserved => "postcode-reserved",
            Problem::NotADate => "not-a-date",
            Problem::InFuture => "in-future",
            Problem::TooOld => "too-old",
            Problem::NotAnAmount => "not-an-amount",
            Problem::Negative => "negative",
            Problem::AmountTooLarge => "amount-too-large",
            Problem::OutOfRange { .. } => "out-of-range",
            Problem::UnknownCode => "unknown-code",
            Problem::InvalidCharacters => "invalid-characters",
            Problem::Duplicate => "duplicate",
            Problem::NotBeforeSignalDate => "not-before-signaldate",
            Problem::NoIdentification => "no-identification",
            Problem::NotYesNo => "not-yes-no",
            Problem::NotAnEmail => "not-an-email",
            Problem::BeforeCaseOpened => "before-case-opened",
            Problem::NotAfterToday => "not-after-today",
            Problem::NotWithThisResult => "not-with-this-result",
            Problem::NotThisPartner => "not-this-partner",
            Problem::NotATime => "not-a-time",
            Problem::NotAfterStart => "not-after-start",
            Problem::FileType => "file-type",
            Problem::FileTooLarge { .. } => "file-too-large",
            Problem::TooMany { .. } => "too-many",
            Problem::TooFew { .. } => "too-few",
            Problem::UnknownVersion => "unknown-version",
            Problem::UnknownStatement => "unknown-statement",
            Problem::Closed => "closed",
            Problem::NotChosen => "not-chosen",
            Problem::NotAPhoneNumber => "not-a-phone-number",
            Problem::PhoneLength { .. } => "phone-length",
            Problem::TooFarAhead { .. } => "too-far-ahead",
            Problem::NoWayToReach => "no-way-to-reach",
            Problem::NothingChanged => "nothing-changed",
            Problem::Guessable => "guessable",
            Problem::NotTheSame => "not-the-same",
            Problem::WrongCode => "wrong-code",
            Problem::ChannelRefused => "channel-refused",
            Problem::NoMatch => "no-match",
            Problem::TooManyFound { .. } => "too-many-found",
        }
    }

    /// The number a message may need (a length, a bound), if any.
    pub fn arg(&self) -> Option<i64> {
        match self {
            Problem::TooLong { max } => Some(*max as i64),
            Problem::TooShort { min } => Some(*min as i64),
            Problem::WrongLength { expected } => Some(*expected as i64),
            Problem::FileTooLarge { max_mb } => Some(*max_mb as i64),
            Problem::TooMany { max } | Problem::TooManyFound { max } => Some(*max),
            Problem::TooFarAhead { months } => Some(*months),
            Problem::TooFew { min } => Some(*min),
            Problem::OutOfRange { max, .. } => Some(*max),
            _ => None,
        }
    }
}

/// English text for operators (CLI reports, logs). Residents and staff get
/// messages from the web crate's message files instead.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Empty => write!(f, "is empty; fill it in"),
            Problem::TooLong { max } => write!(f, "is longer than {max} characters; shorten it"),
            Problem::TooShort { min } => write!(f, "is shorter than {min} characters; lengthen it"),
            Problem::NotDigits => write!(f, "may contain only digits"),
            Problem::WrongLength { expected } => write!(f, "must have exactly {expected} digits"),
            Problem::Elfproef => write!(
                f,
                "fails the eleven-test (elfproef): check for a typing error"
            ),
            Problem::PostcodeFormat => {
                write!(
                    f,
                    "is not a Dutch postcode; write four digits and two letters, like 1234 AB"
                )
            }
            Problem::PostcodeReserved => {
                write!(
                    f,
                    "uses letters SA, SD or SS, which Dutch postcodes never use"
                )
            }
            Problem::NotADate => {
                write!(f, "is not a date; write it as YYYY-MM-DD, like 1980-05-31")
            }
            Problem::InFuture => write!(f, "lies in the future; use a date up to today"),
            Problem::TooOld => write!(f, "lies more than 130 years back; check the year"),
            Problem::NotAnAmount => {
                write!(
                    f,
                    "is not an amount; write euros like 1234,56 or whole eurocents"
                )
            }
            Problem::Negative => write!(f, "is negative; amounts must be 0 or more"),
            Problem::AmountTooLarge => write!(f, "is too large to be a real amount"),
            Problem::OutOfRange { min, max } => write!(f, "must lie between {min} and {max}"),
            Problem::UnknownCode => write!(f, "is not one of the known values"),
            Problem::InvalidCharacters => write!(f, "contains characters that are not allowed"),
            Problem::Duplicate => {
                write!(f, "occurs more than once; each value may occur only once")
            }
            Problem::NotBeforeSignalDate => write!(
                f,
                "is not before the signaaldatum; arrears start before they are signalled"
            ),
            Problem::NoIdentification => write!(
                f,
                "is empty, and so is the surname, postcode or house number; give a BSN or all three"
            ),
            Problem::NotYesNo => write!(f, "is not yes or no; write ja or nee"),
            Problem::NotAnEmail => write!(
                f,
                "is not an e-mail address; write it like naam@voorbeeld.nl"
            ),
            Problem::BeforeCaseOpened => {
                write!(f, "lies before the signal came in; use a later date")
            }
            Problem::NotAfterToday => write!(f, "is not after today; use a later date"),
            Problem::NotWithThisResult => write!(
                f,
                "only applies when the resident wants no help; choose that result or untick it"
            ),
            Problem::NotATime => write!(f, "is not a time; write it like 09:30"),
            Problem::NotAfterStart => write!(f, "is not later than the start; use a later time"),
            Problem::FileType => write!(f, "is not a PDF, JPEG or PNG file"),
            Problem::FileTooLarge { max_mb } => write!(f, "is larger than {max_mb} MB"),
            Problem::TooMany { max } => write!(f, "would be more than {max}; remove one first"),
            Problem::Closed => write!(f, "is closed; nothing can be added any more"),
            Problem::NotChosen => write!(f, "has no choice made; choose one"),
            Problem::NotAPhoneNumber => write!(
                f,
                "is not a phone number; use digits only, like 06 12345678"
            ),
            Problem::PhoneLength { min, max } => write!(
                f,
                "has too few or too many digits; a phone number has {min} to {max}"
            ),
            Problem::TooFarAhead { months } => {
                write!(f, "is too far ahead; choose a date within {months} months")
            }
            Problem::TooFew { min } => write!(f, "needs at least {min}; add one"),
            Problem::Guessable => write!(
                f,
                "is easy to guess; use a longer sentence of unusual words, not a name or a pattern"
            ),
            Problem::NotTheSame => write!(f, "differs from the first entry; type the same twice"),
            Problem::WrongCode => write!(f, "is not the right code; type the code shown now"),
            Problem::NoMatch => write!(f, "finds nothing; check what was typed"),
            Problem::TooManyFound { max } => {
                write!(f, "finds more than {max}; be more precise")
            }
            Problem::ChannelRefused => write!(
                f,
                "is a way of contact the household refused; choose another, or record only contact the resident sought"
            ),
            Problem::NothingChanged => write!(
                f,
                "is what it already was, and there is no message; choose another or write one"
            ),
            Problem::NoWayToReach => write!(
                f,
                "is empty, and so is the e-mail address; give a phone number or an e-mail address"
            ),
            Problem::UnknownVersion => write!(
                f,
                "is not the version this was started on; reload the page and answer again"
            ),
            Problem::UnknownStatement => write!(
                f,
                "names a statement this version does not have; reload the page and answer again"
            ),
            Problem::NotThisPartner => write!(
                f,
                "is not the partner type this API token was made for; send it with that partner's own token"
            ),
        }
    }
}

/// A value that failed validation: which field, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} {problem}")]
pub struct ValidationError {
    pub field: &'static str,
    pub problem: Problem,
}

impl ValidationError {
    pub fn new(field: &'static str, problem: Problem) -> Self {
        Self { field, problem }
    }
}

/// Rename the field of an error from a lower-level parser (e.g. "postcode" to
/// "signal.postcode") while keeping the problem.
pub trait WithField<T> {
    fn field(self, field: &'static str) -> Result<T, ValidationError>;
}

impl<T> WithField<T> for Result<T, ValidationError> {
    fn field(self, field: &'static str) -> Result<T, ValidationError> {
        self.map_err(|e| ValidationError::new(field, e.problem))
    }
}

#[cfg(test)]
mod examples {
    use super::Problem;

    #[test]
    fn the_examples_are_every_kind_once_in_order() {
        for (i, p) in Problem::EXAMPLES.iter().enumerate() {
            assert_eq!(p.index(), i, "{p:?}");
        }
        let codes: std::collections::BTreeSet<_> =
            Problem::EXAMPLES.iter().map(Problem::code).collect();
        assert_eq!(
            codes.len(),
            Problem::EXAMPLES.len(),
            "two kinds share a code"
        );
    }
}
