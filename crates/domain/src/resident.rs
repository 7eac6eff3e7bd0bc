//! Residents (inwoners) and their households, as a municipality's register
//! holds them.

use crate::bsn::Bsn;
use crate::error::{Problem, ValidationError};
use crate::money::Money;
use crate::person::{Address, PersonName};
use time::Date;

/// The store's key for a resident; meaningless outside Wegwijs, so it may
/// appear in logs and audit entries where the BSN may not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResidentId(pub i64);

/// Benefits and allowances a resident currently receives. Codes are stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Voorziening {
    Bijstand,
    Ww,
    Aow,
    Wajong,
    Wia,
    Zorgtoeslag,
    Huurtoeslag,
    KindgebondenBudget,
    Kinderbijslag,
    Kwijtschelding,
    Schuldhulp,
    /// Individuele inkomenstoeslag (Participatiewet art. 36).
    Inkomenstoeslag,
}

impl Voorziening {
    pub const ALL: [Voorziening; 12] = [
        Voorziening::Bijstand,
        Voorziening::Ww,
        Voorziening::Aow,
        Voorziening::Wajong,
        Voorziening::Wia,
        Voorziening::Zorgtoeslag,
        Voorziening::Huurtoeslag,
        Voorziening::KindgebondenBudget,
        Voorziening::Kinderbijslag,
        Voorziening::Kwijtschelding,
        Voorziening::Schuldhulp,
        Voorziening::Inkomenstoeslag,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Voorziening::Bijstand => "bijstand",
            Voorziening::Ww => "ww",
            Voorziening::Aow => "aow",
            Voorziening::Wajong => "wajong",
            Voorziening::Wia => "wia",
            Voorziening::Zorgtoeslag => "zorgtoeslag",
            Voorziening::Huurtoeslag => "huurtoeslag",
            Voorziening::KindgebondenBudget => "kindgebonden-budget",
            Voorziening::Kinderbijslag => "kinderbijslag",
            Voorziening::Kwijtschelding => "kwijtschelding",
            Voorziening::Schuldhulp => "schuldhulp",
            Voorziening::Inkomenstoeslag => "inkomenstoeslag",
        }
    }

    pub fn from_code(code: &str) -> Result<Voorziening, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|v| v.code() == code)
            .ok_or(ValidationError::new("voorzieningen", Problem::UnknownCode))
    }

    /// Parses a ';'-separated list of codes, e.g. "bijstand;zorgtoeslag".
    pub fn parse_list(input: &str) -> Result<Vec<Voorziening>, ValidationError> {
        let mut out = Vec::new();
        for code in input.split(';').map(str::trim).filter(|c| !c.is_empty()) {
            let v = Self::from_code(code)?;
            if !out.contains(&v) {
                out.push(v);
            }
        }
        out.sort();
        Ok(out)
    }

    pub fn format_list(list: &[Voorziening]) -> String {
        list.iter().map(|v| v.code()).collect::<Vec<_>>().join(";")
    }
}

/// A person's place in their household, as CBS and the register use it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HouseholdRole {
    /// The person the household is registered under.
    Referentiepersoon,
    Partner,
    Kind,
    Overig,
}

impl HouseholdRole {
    pub const ALL: [HouseholdRole; 4] = [
        HouseholdRole::Referentiepersoon,
        HouseholdRole::Partner,
        HouseholdRole::Kind,
        HouseholdRole::Overig,
    ];

    pub fn code(self) -> &'static str {
        match self {
            HouseholdRole::Referentiepersoon => "referentiepersoon",
            HouseholdRole::Partner => "partner",
            HouseholdRole::Kind => "kind",
            HouseholdRole::Overig => "overig",
        }
    }

    pub fn from_code(code: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|r| r.code() == code.trim())
            .ok_or(ValidationError::new(
                "rol_in_huishouden",
                Problem::UnknownCode,
            ))
    }
}

/// Household finances as known to the municipality, in eurocents a month
/// (income) or in total (assets).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Finances {
    pub netto_inkomen_maand: Money,
    pub vermogen: Money,
    pub voorzieningen: Vec<Voorziening>,
}

/// A resident as read from the register: all of it is personal data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resident {
    pub id: ResidentId,
    pub record: ResidentRecord,
}

/// The register's facts about one person, as imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResidentRecord {
    pub bsn: Bsn,
    pub name: PersonName,
    pub geboortedatum: Date,
    pub address: Address,
    pub wijk: String,
    pub buurt: String,
    /// The register's household key; persons at one address who share
    /// finances share it.
    pub huishouden: String,
    pub rol_in_huishouden: HouseholdRole,
    pub finances: Finances,
}
