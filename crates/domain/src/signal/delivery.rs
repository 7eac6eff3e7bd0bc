//! Checking a delivery row by row, the same way for a file and for the
//! partner API: each row validated, an ID used twice refused on its
//! second row (naming the first), and, for a partner's own token, rows of
//! another partner type refused.

use super::kinds::PartnerType;
use super::row::{Signal, SignalFields};
use crate::error::{Problem, ValidationError};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use time::Date;

/// A refused row's problems; a duplicate ID names the row it first came on.
pub type RowErrors = Vec<(ValidationError, Option<u64>)>;

pub struct DeliveryCheck {
    today: Date,
    /// Only signals of this partner type are accepted (an API token's).
    partner: Option<PartnerType>,
    /// Where each ID first came, by a 64-bit hash of it rather than the
    /// text: a tenth of the memory for millions of rows, and a collision
    /// is vanishingly unlikely.
    first_seen: HashMap<u64, u64>,
}

impl DeliveryCheck {
    pub fn new(today: Date, partner: Option<PartnerType>) -> DeliveryCheck {
        DeliveryCheck {
            today,
            partner,
            first_seen: HashMap::new(),
        }
    }

    /// Checks the row at `position` (a line or an item number).
    pub fn check(&mut self, position: u64, fields: &SignalFields<'_>) -> Result<Signal, RowErrors> {
        let signal = Signal::validate(fields, self.today)
            .map_err(|errors| errors.into_iter().map(|e| (e, None)).collect::<RowErrors>())?;
        if self.partner.is_some_and(|p| p != signal.partner) {
            return Err(vec![(
                ValidationError::new("signaalpartner", Problem::NotThisPartner),
                None,
            )]);
        }
        let hash = BuildHasherDefault::<DefaultHasher>::default().hash_one(&signal.id);
        match self.first_seen.entry(hash) {
            Entry::Occupied(first) => Err(vec![(
                ValidationError::new("ID", Problem::Duplicate),
                Some(*first.get()),
            )]),
            Entry::Vacant(v) => {
                v.insert(position);
                Ok(signal)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn row<'a>(id: &'a str, partner: &'a str) -> SignalFields<'a> {
        let mut f = [""; 20];
        f[0] = id;
        f[1] = partner;
        f[6] = "Jansen";
        f[9] = "12";
        f[11] = "1234AB";
        f[15] = "100";
        f[16] = "2026-01-01";
        f[17] = "2026-02-01";
        SignalFields(f)
    }

    #[test]
    fn duplicates_name_their_first_row_and_partners_keep_to_their_own() {
        let mut check = DeliveryCheck::new(date!(2026 - 11 - 22), None);
        assert!(check.check(2, &row("S1", "Energie")).is_ok());
        let twice = check.check(3, &row("S1", "Energie")).unwrap_err();
        assert_eq!(twice[0].0.problem, Problem::Duplicate);
        assert_eq!(twice[0].1, Some(2));
        let bad = check.check(4, &row("S2", "Bakker")).unwrap_err();
        assert_eq!(bad[0].0.field, "signaalpartner");

        let mut own = DeliveryCheck::new(date!(2026 - 11 - 22), Some(PartnerType::Water));
        let other = own.check(1, &row("S1", "Energie")).unwrap_err();
        assert_eq!(other[0].0.problem, Problem::NotThisPartner);
        // Refused for the wrong partner, the ID is not taken.
        assert!(own.check(2, &row("S1", "Water")).is_ok());
    }
}
