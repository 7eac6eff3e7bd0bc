//! Organisations and their staff.

use crate::error::{Problem, ValidationError};

/// The kinds of organisation that work with Wegwijs. The codes are stable:
/// they are stored and exchanged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OrgKind {
    Gemeente,
    Uwv,
    Cak,
    Svb,
    Duo,
    Belastingdienst,
    Toeslagen,
    Woningcorporatie,
    Energie,
    Water,
    Zorgverzekeraar,
    Schuldhulp,
    Overig,
}

impl OrgKind {
    pub const ALL: [OrgKind; 13] = [
        OrgKind::Gemeente,
        OrgKind::Uwv,
        OrgKind::Cak,
        OrgKind::Svb,
        OrgKind::Duo,
        OrgKind::Belastingdienst,
        OrgKind::Toeslagen,
        OrgKind::Woningcorporatie,
        OrgKind::Energie,
        OrgKind::Water,
        OrgKind::Zorgverzekeraar,
        OrgKind::Schuldhulp,
        OrgKind::Overig,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OrgKind::Gemeente => "gemeente",
            OrgKind::Uwv => "uwv",
            OrgKind::Cak => "cak",
            OrgKind::Svb => "svb",
            OrgKind::Duo => "duo",
            OrgKind::Belastingdienst => "belastingdienst",
            OrgKind::Toeslagen => "toeslagen",
            OrgKind::Woningcorporatie => "woningcorporatie",
            OrgKind::Energie => "energie",
            OrgKind::Water => "water",
            OrgKind::Zorgverzekeraar => "zorgverzekeraar",
            OrgKind::Schuldhulp => "schuldhulp",
            OrgKind::Overig => "overig",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or(ValidationError::new(
                "organisatiesoort",
                Problem::UnknownCode,
            ))
    }
}

/// A staff member's role. Each staff user has exactly one role in exactly one
/// organisation; what a role may do is decided in [`crate::policy`] only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Medewerker: works cases of residents.
    Caseworker,
    /// Teamleider: oversees the team's work.
    TeamLead,
    /// Privacy-officer: checks who read what, and why.
    PrivacyOfficer,
    /// Beheerder: manages users; does not read case content.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Caseworker,
        Role::TeamLead,
        Role::PrivacyOfficer,
        Role::Admin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Caseworker => "medewerker",
            Role::TeamLead => "teamleider",
            Role::PrivacyOfficer => "privacy-officer",
            Role::Admin => "beheerder",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|r| r.code() == code)
            .ok_or(ValidationError::new("rol", Problem::UnknownCode))
    }
}

/// Usernames: 3 to 64 characters of a-z, 0-9, '.', '-' and '_', stored lowercase.
pub fn parse_username(input: &str) -> Result<String, ValidationError> {
    let s = input.trim().to_lowercase();
    if s.is_empty() {
        return Err(ValidationError::new("gebruikersnaam", Problem::Empty));
    }
    if s.len() < 3 {
        return Err(ValidationError::new(
            "gebruikersnaam",
            Problem::TooShort { min: 3 },
        ));
    }
    if s.len() > 64 {
        return Err(ValidationError::new(
            "gebruikersnaam",
            Problem::TooLong { max: 64 },
        ));
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
    {
        return Err(ValidationError::new(
            "gebruikersnaam",
            Problem::InvalidCharacters,
        ));
    }
    Ok(s)
}

/// New passwords need at least 12 characters (NCSC advice favours length over
/// composition rules) and at most 256, to bound hashing work, and must not be
/// easy to guess: zxcvbn's estimate (its frequency lists of leaked passwords,
/// names and words, and patterns such as keyboard rows, repeats and dates),
/// with `context` (the username, the person's name, the organisation) as
/// words a guesser would try first, must need at least 10^8 guesses (years
/// of Argon2 hashing, which an online guesser is throttled far below).
pub fn check_new_password(input: &str, context: &[&str]) -> Result<(), ValidationError> {
    let n = input.chars().count();
    if n < 12 {
        return Err(ValidationError::new(
            "wachtwoord",
            Problem::TooShort { min: 12 },
        ));
    }
    if n > 256 {
        return Err(ValidationError::new(
            "wachtwoord",
            Problem::TooLong { max: 256 },
        ));
    }
    // The context split into words too: "Gemeente Wegwijzerveen" is tried
    // as "wegwijzerveen" as well.
    // Each context also as its words, joined up ("carlacasus") and the
    // other way round: guessers try names written together.
    let mut words: Vec<String> = Vec::new();
    for c in context.iter().chain(&["wegwijs", "gemeente", "wachtwoord"]) {
        let parts: Vec<String> = c
            .split(|ch: char| !ch.is_alphanumeric())
            .filter(|w| w.len() > 2)
            .map(str::to_lowercase)
            .collect();
        words.push(c.to_lowercase());
        words.push(parts.concat());
        words.push(parts.iter().rev().cloned().collect::<String>());
        words.extend(parts);
    }
    let inputs: Vec<&str> = words.iter().map(String::as_str).collect();
    if zxcvbn::zxcvbn(input, &inputs).score() < zxcvbn::Score::Three {
        return Err(ValidationError::new("wachtwoord", Problem::Guessable));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::from_code(k.code()), Ok(k));
        }
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Ok(r));
        }
        assert!(Role::from_code("koning").is_err());
    }

    #[test]
    fn usernames() {
        assert_eq!(parse_username(" J.Jansen ").unwrap(), "j.jansen");
        assert_eq!(
            parse_username("ab").unwrap_err().problem,
            Problem::TooShort { min: 3 }
        );
        assert_eq!(
            parse_username("jan jansen").unwrap_err().problem,
            Problem::InvalidCharacters
        );
        let guessable = |p: &str, ctx: &[&str]| {
            check_new_password(p, ctx).map_err(|e| e.problem) == Err(Problem::Guessable)
        };
        assert_eq!(
            check_new_password("kort", &[]).unwrap_err().problem,
            Problem::TooShort { min: 12 }
        );
        // Long enough, yet guessed at once.
        for weak in [
            "aaaaaaaaaaaa",
            "password1234",
            "qwertyuiop12",
            "123456789012",
            "wachtwoord12",
        ] {
            assert!(guessable(weak, &[]), "{weak}");
        }
        // The person's own name, username or organisation with a little added.
        assert!(guessable("jjansen12345", &["jjansen", "Jan Jansen"]));
        assert!(guessable("jansenjansen", &["jjansen", "Jan Jansen"]));
        // Found by trying it as an admin would: names written together.
        assert!(guessable("CarlaCasus123", &["ccasus", "Carla Casus"]));
        assert!(guessable("EvaEvers1990!", &["eevers", "Eva Evers"]));
        assert!(guessable("DaanDossier2024", &["ddossier", "Daan Dossier"]));
        assert!(guessable("Wegwijzerveen!1", &["Gemeente Wegwijzerveen"]));
        assert!(check_new_password("paars fietsje zingt onder de brug", &["jjansen"]).is_ok());
        assert!(check_new_password("Kx9!vTq#2mLw8@pZ", &[]).is_ok());
    }
}
