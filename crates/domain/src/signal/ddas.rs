//! The municipality's report to CBS in the DDAS vroegsignalering
//! exchange model (Uitwisselmodel v0.9), as serde types whose field names
//! are the model's. Amounts are whole euros there; Wegwijs keeps cents.

use crate::money::Money;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Uitwisselmodel {
    #[serde(rename = "codeGegevensleverancier")]
    pub code_gegevensleverancier: String,
    #[serde(rename = "startdatumLevering")]
    pub startdatum_levering: String,
    #[serde(rename = "einddatumLevering")]
    pub einddatum_levering: String,
    #[serde(rename = "aanleverdatumEnTijd")]
    pub aanleverdatum_en_tijd: String,
    pub leveringen: Vec<Levering>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Levering {
    pub teller: u32,
    pub gemeentecode: String,
    pub aanleverende_organisatie: Organisatie,
    pub vroegsignalen: Vec<Vroegsignaal>,
    pub vroegsignaalzaken: Vec<Vroegsignaalzaak>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Organisatie {
    pub naam: String,
    #[serde(rename = "kvk-nummer", skip_serializing_if = "String::is_empty")]
    pub kvk_nummer: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contactpersoonen: Vec<Contactpersoon>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Contactpersoon {
    pub naam: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub telefoonnummer: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub email: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub functietitel: String,
}

#[derive(Clone, Serialize)]
pub struct Vroegsignaal {
    #[serde(rename = "ID")]
    pub id: String,
    pub crisissignaal: bool,
    #[serde(rename = "warmeOverdracht")]
    pub warme_overdracht: bool,
    pub bedrag: i64,
    pub ontstaansdatum: String,
    pub signaaldatum: String,
    pub status: String,
    pub signaalpartner: Signaalpartner,
    pub client: Client,
}

/// Personal data stays out of debug output.
impl std::fmt::Debug for Vroegsignaal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vroegsignaal")
            .field("ID", &self.id)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Signaalpartner {
    #[serde(rename = "type")]
    pub soort: String,
}

/// The resident as the partner described them; empty fields are left out.
#[derive(Clone, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Client {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub burgerservicenummer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voorletters: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voorvoegsel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub achternaam: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geboortedatum: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub straatnaam: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub huisnummer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub huisnummertoevoeging: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plaatsnaam: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Vroegsignaalzaak {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resultaat: Option<String>,
    pub matchingsdatum: String,
    /// The model's own spelling.
    pub startdatum_matchtingperiode: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datum_opgepakt: Option<String>,
    pub einddatum_matchingperiode: String,
    pub vroegsignalen: Vec<SignaalRef>,
    pub contactpogingen: Vec<Contactpoging>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SignaalRef {
    #[serde(rename = "ID")]
    pub id: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Contactpoging {
    pub soort: String,
    pub bereikt: bool,
    pub datum: String,
    pub dagdeel: String,
}

/// Whole euros, as the model counts: half a euro and more rounds up.
pub fn whole_euros(amount: Money) -> i64 {
    let cents = amount.cents();
    if cents >= 0 {
        (cents + 50) / 100
    } else {
        (cents - 50) / 100
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_round_to_whole_euros() {
        for (cents, euros) in [
            (0, 0),
            (49, 0),
            (50, 1),
            (45_049, 450),
            (45_050, 451),
            (-150, -2),
        ] {
            assert_eq!(whole_euros(Money::from_cents(cents)), euros, "{cents}");
        }
    }
}
