//! A household as the proactive scan sees it: the facts the laws ask
//! about, from the register's rows of its members. Personal data: read
//! only through the store's scan, which writes the audit entry.

use crate::person::age_on;
use crate::resident::{HouseholdRole, ResidentId, Voorziening};
use time::Date;

/// One member's register row, as far as the scan needs it.
#[derive(Clone, PartialEq, Eq)]
pub struct Member {
    pub id: ResidentId,
    pub role: HouseholdRole,
    pub geboortedatum: Date,
    pub netto_inkomen_maand: i64,
    pub vermogen: i64,
    pub voorzieningen: Vec<Voorziening>,
    pub wijk: String,
}

#[derive(Clone, PartialEq, Eq)]
pub struct HouseholdFacts {
    /// The resident outreach is addressed to: the referentiepersoon.
    pub referent: ResidentId,
    pub wijk: String,
    pub heeft_partner: bool,
    /// Children younger than 18.
    pub heeft_kinderen: bool,
    /// Of the oldest adult: the AOW norm applies when one partner has the age.
    pub geboortedatum: Date,
    /// The adults' net income together, eurocents a month.
    pub netto_inkomen_maand: i64,
    /// Everyone's assets together, eurocents.
    pub vermogen: i64,
    /// What any member receives: a bit per entry of [`Voorziening::ALL`]
    /// (a scan asks this of a million households, several times each).
    voorzieningen: u16,
}

/// Personal data: debug output names the resident id only.
impl std::fmt::Debug for Member {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Member({}, <hidden>)", self.id.0)
    }
}

impl std::fmt::Debug for HouseholdFacts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HouseholdFacts({}, <hidden>)", self.referent.0)
    }
}

impl HouseholdFacts {
    /// `None` for a household without members.
    pub fn from_members(members: &[Member], today: Date) -> Option<HouseholdFacts> {
        let first = members.first()?;
        let referent = members
            .iter()
            .find(|m| m.role == HouseholdRole::Referentiepersoon)
            .unwrap_or(first);
        let adults = || members.iter().filter(|m| m.role != HouseholdRole::Kind);
        let voorzieningen = members
            .iter()
            .flat_map(|m| m.voorzieningen.iter())
            .fold(0, |bits, v| bits | bit(*v));
        Some(HouseholdFacts {
            referent: referent.id,
            wijk: referent.wijk.clone(),
            heeft_partner: members.iter().any(|m| m.role == HouseholdRole::Partner),
            heeft_kinderen: members
                .iter()
                .any(|m| m.role == HouseholdRole::Kind && age_on(m.geboortedatum, today) < 18),
            geboortedatum: adults()
                .map(|m| m.geboortedatum)
                .min()
                .unwrap_or(referent.geboortedatum),
            netto_inkomen_maand: adults().map(|m| m.netto_inkomen_maand).sum(),
            vermogen: members.iter().map(|m| m.vermogen).sum(),
            voorzieningen,
        })
    }

    pub fn receives(&self, v: Voorziening) -> bool {
        self.voorzieningen & bit(v) != 0
    }
}

// Every voorziening has its bit (ALL lists each variant once).
const _: () = assert!(Voorziening::ALL.len() <= 16);

fn bit(v: Voorziening) -> u16 {
    1 << (v as u16)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn member(id: i64, role: HouseholdRole, born: Date, income: i64, v: &[Voorziening]) -> Member {
        Member {
            id: ResidentId(id),
            role,
            geboortedatum: born,
            netto_inkomen_maand: income,
            vermogen: 100,
            voorzieningen: v.to_vec(),
            wijk: "Centrum".into(),
        }
    }

    #[test]
    fn a_household_is_read_from_its_members() {
        let today = date!(2025 - 06 - 01);
        let h = HouseholdFacts::from_members(
            &[
                member(
                    2,
                    HouseholdRole::Partner,
                    date!(1960 - 01 - 01),
                    50_000,
                    &[],
                ),
                member(
                    1,
                    HouseholdRole::Referentiepersoon,
                    date!(1970 - 01 - 01),
                    100_000,
                    &[Voorziening::Zorgtoeslag],
                ),
                member(
                    3,
                    HouseholdRole::Kind,
                    date!(2000 - 01 - 01),
                    30_000,
                    &[Voorziening::Bijstand],
                ),
            ],
            today,
        )
        .unwrap();
        assert_eq!(h.referent, ResidentId(1));
        assert!(h.heeft_partner);
        assert!(
            !h.heeft_kinderen,
            "a child of 25 is not a child younger than 18"
        );
        assert_eq!(h.geboortedatum, date!(1960 - 01 - 01));
        assert_eq!(h.netto_inkomen_maand, 150_000);
        assert_eq!(h.vermogen, 300);
        assert!(h.receives(Voorziening::Bijstand) && h.receives(Voorziening::Zorgtoeslag));
        assert_eq!(HouseholdFacts::from_members(&[], today), None);
    }
}
