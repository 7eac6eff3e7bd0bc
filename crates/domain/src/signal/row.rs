//! One signal as a partner sends it, and its validation. The intake format
//! (`signalen.csv` and its JSON form, docs/signalen.md) names its fields
//! after the DDAS model; [`COLUMNS`] is the single list of them.

use super::kinds::PartnerType;
use crate::bsn::Bsn;
use crate::contact;
use crate::error::{Problem, ValidationError, WithField};
use crate::money::Money;
use crate::person::{optional_text, parse_huisnummer, parse_past_date, text};
use crate::postcode::Postcode;
use crate::register::keep;
use std::fmt;
use time::Date;

/// The version of the intake format; docs/signalen.md describes each one.
pub const FORMAT_VERSION: u32 = 1;

/// The intake columns in file order. CSV headers use exactly these names
/// (in any order, any case); the JSON form uses them as keys.
pub const COLUMNS: [&str; 20] = [
    "ID",
    "signaalpartner",
    "klantnummer",
    "Burgerservicenummer",
    "Voorletters",
    "Voorvoegsel",
    "Achternaam",
    "Geboortedatum",
    "Straatnaam",
    "Huisnummer",
    "Huisnummertoevoeging",
    "Postcode",
    "Plaatsnaam",
    "Telefoonnummer",
    "Email",
    "bedrag_cent",
    "ontstaansdatum",
    "signaaldatum",
    "crisissignaal",
    "warmeOverdracht",
];

/// One row's fields as text, in [`COLUMNS`] order, borrowed from the file.
#[derive(Clone, Copy)]
pub struct SignalFields<'a>(pub [&'a str; 20]);

impl<'a> SignalFields<'a> {
    pub fn get(&self, column: &str) -> &'a str {
        COLUMNS
            .iter()
            .position(|c| *c == column)
            .map_or("", |i| self.0[i])
    }
}

/// A validated arrears signal. Personal fields are optional because
/// partners know different things: a landlord has no BSN, an insurer may
/// have no phone number. Debug output hides them.
#[derive(Clone, PartialEq, Eq)]
pub struct Signal {
    /// The signal's ID from the partner or the national hub; unique.
    pub id: String,
    pub partner: PartnerType,
    pub klantnummer: Option<String>,
    pub bsn: Option<Bsn>,
    pub voorletters: Option<String>,
    pub voorvoegsel: Option<String>,
    pub achternaam: Option<String>,
    pub geboortedatum: Option<Date>,
    pub straat: Option<String>,
    pub huisnummer: Option<u32>,
    pub toevoeging: Option<String>,
    pub postcode: Option<Postcode>,
    pub plaats: Option<String>,
    pub telefoon: Option<String>,
    pub email: Option<String>,
    pub bedrag: Money,
    pub ontstaansdatum: Date,
    pub signaaldatum: Date,
    pub crisis: bool,
    pub warme_overdracht: bool,
}

impl fmt::Debug for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signal")
            .field("id", &self.id)
            .field("partner", &self.partner)
            .finish_non_exhaustive()
    }
}

impl Signal {
    /// "J. van Dijk", from what the partner sent.
    pub fn name(&self) -> String {
        [
            self.voorletters.as_deref(),
            self.voorvoegsel.as_deref(),
            self.achternaam.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
    }

    /// "Dorpsstraat 12 a, 1234 AB Wegdorp", from what the partner sent.
    pub fn address(&self) -> String {
        let street = [
            self.straat.clone(),
            self.huisnummer.map(|n| n.to_string()),
            self.toevoeging.clone(),
        ]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
        let town = [self.postcode.map(|p| p.to_string()), self.plaats.clone()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        [street, town]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Validates a row; returns every problem at once, each naming its
    /// column, so the sender can fix the file in one go.
    pub fn validate(row: &SignalFields<'_>, today: Date) -> Result<Signal, Vec<ValidationError>> {
        let f = |c| row.get(c);
        let mut errors = Vec::new();
        let id = keep(&mut errors, text("ID", f("ID"), 64));
        let partner = keep(
            &mut errors,
            PartnerType::parse("signaalpartner", f("signaalpartner")),
        );
        let klantnummer = keep(
            &mut errors,
            optional_text("klantnummer", f("klantnummer"), 64),
        );
        let bsn = keep(
            &mut errors,
            optional(f("Burgerservicenummer"), |s| {
                Bsn::parse(s).field("Burgerservicenummer")
            }),
        );
        let voorletters = keep(
            &mut errors,
            optional_text("Voorletters", f("Voorletters"), 20),
        );
        let voorvoegsel = keep(
            &mut errors,
            optional_text("Voorvoegsel", f("Voorvoegsel"), 20),
        );
        let achternaam = keep(
            &mut errors,
            optional_text("Achternaam", f("Achternaam"), 200),
        );
        let geboortedatum = keep(
            &mut errors,
            optional(f("Geboortedatum"), |s| {
                parse_past_date("Geboortedatum", s, today)
            }),
        );
        let straat = keep(
            &mut errors,
            optional_text("Straatnaam", f("Straatnaam"), 200),
        );
        let huisnummer = keep(
            &mut errors,
            optional(f("Huisnummer"), |s| parse_huisnummer(s).field("Huisnummer")),
        );
        let toevoeging = keep(
            &mut errors,
            optional_text("Huisnummertoevoeging", f("Huisnummertoevoeging"), 6),
        );
        let postcode = keep(
            &mut errors,
            optional(f("Postcode"), |s| Postcode::parse(s).field("Postcode")),
        );
        let plaats = keep(
            &mut errors,
            optional_text("Plaatsnaam", f("Plaatsnaam"), 80),
        );
        let telefoon = keep(
            &mut errors,
            optional(f("Telefoonnummer"), |s| contact::phone("Telefoonnummer", s)),
        );
        let email = keep(
            &mut errors,
            optional(f("Email"), |s| contact::email("Email", s)),
        );
        let bedrag = keep(
            &mut errors,
            Money::parse_cents("bedrag_cent", f("bedrag_cent")),
        );
        let ontstaansdatum = keep(
            &mut errors,
            parse_past_date("ontstaansdatum", f("ontstaansdatum"), today),
        );
        let signaaldatum = keep(
            &mut errors,
            parse_past_date("signaaldatum", f("signaaldatum"), today),
        );
        let crisis = keep(&mut errors, flag("crisissignaal", f("crisissignaal")));
        let warme_overdracht = keep(&mut errors, flag("warmeOverdracht", f("warmeOverdracht")));
        if let (Some(o), Some(s)) = (ontstaansdatum, signaaldatum)
            && o >= s
        {
            errors.push(ValidationError::new(
                "ontstaansdatum",
                Problem::NotBeforeSignalDate,
            ));
        }
        let identified = matches!(bsn, Some(Some(_)))
            || (matches!(achternaam, Some(Some(_)))
                && matches!(postcode, Some(Some(_)))
                && matches!(huisnummer, Some(Some(_))));
        if !identified && errors.is_empty() {
            errors.push(ValidationError::new(
                "Burgerservicenummer",
                Problem::NoIdentification,
            ));
        }
        let signal = (|| {
            Some(Signal {
                id: id?,
                partner: partner?,
                klantnummer: klantnummer?,
                bsn: bsn?,
                voorletters: voorletters?,
                voorvoegsel: voorvoegsel?,
                achternaam: achternaam?,
                geboortedatum: geboortedatum?,
                straat: straat?,
                huisnummer: huisnummer?,
                toevoeging: toevoeging?,
                postcode: postcode?,
                plaats: plaats?,
                telefoon: telefoon?,
                email: email?,
                bedrag: bedrag?,
                ontstaansdatum: ontstaansdatum?,
                signaaldatum: signaaldatum?,
                crisis: crisis?,
                warme_overdracht: warme_overdracht?,
            })
        })();
        match signal {
            Some(s) if errors.is_empty() => Ok(s),
            _ => Err(errors),
        }
    }

    /// The fields as text in [`COLUMNS`] order: the inverse of
    /// [`Signal::validate`], for writing files and re-checking.
    pub fn to_fields(&self) -> [String; 20] {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        let yn = |b: bool| if b { "ja" } else { "nee" }.to_string();
        [
            self.id.clone(),
            self.partner.ddas().to_string(),
            o(&self.klantnummer),
            self.bsn.map(|b| b.expose()).unwrap_or_default(),
            o(&self.voorletters),
            o(&self.voorvoegsel),
            o(&self.achternaam),
            self.geboortedatum
                .map(crate::person::format_date)
                .unwrap_or_default(),
            o(&self.straat),
            self.huisnummer.map(|n| n.to_string()).unwrap_or_default(),
            o(&self.toevoeging),
            self.postcode.map(|p| p.compact()).unwrap_or_default(),
            o(&self.plaats),
            o(&self.telefoon),
            o(&self.email),
            self.bedrag.cents().to_string(),
            crate::person::format_date(self.ontstaansdatum),
            crate::person::format_date(self.signaaldatum),
            yn(self.crisis),
            yn(self.warme_overdracht),
        ]
    }
}

/// Runs `parse` on a non-empty field; an empty field is `None`.
fn optional<T>(
    input: &str,
    parse: impl FnOnce(&str) -> Result<T, ValidationError>,
) -> Result<Option<T>, ValidationError> {
    let s = input.trim();
    if s.is_empty() {
        Ok(None)
    } else {
        parse(s).map(Some)
    }
}

/// "ja"/"nee", "true"/"false", "1"/"0"; empty means no.
pub fn flag(field: &'static str, input: &str) -> Result<bool, ValidationError> {
    match input.trim().to_ascii_lowercase().as_str() {
        "" | "nee" | "false" | "0" | "n" => Ok(false),
        "ja" | "true" | "1" | "j" => Ok(true),
        _ => Err(ValidationError::new(field, Problem::NotYesNo)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 22);

    fn good() -> [&'static str; 20] {
        [
            "VS-1",
            "Huur",
            "K-77",
            "",
            "A.B.",
            "van der",
            "Berg",
            "1980-03-04",
            "Dorpsstraat",
            "12",
            "a",
            "7001 AB",
            "Wegwijzerveen",
            "06-12345678",
            "ab@example.nl",
            "123456",
            "2026-06-01",
            "2026-11-01",
            "nee",
            "ja",
        ]
    }

    #[test]
    fn a_good_row_validates_and_round_trips() {
        let s = Signal::validate(&SignalFields(good()), TODAY).unwrap();
        assert_eq!(s.partner, PartnerType::Huur);
        assert_eq!(s.bedrag, Money::from_cents(123_456));
        assert!(s.warme_overdracht && !s.crisis);
        let text = s.to_fields();
        let again = Signal::validate(&SignalFields(text.each_ref().map(|s| s.as_str())), TODAY);
        assert_eq!(again.unwrap(), s);
        assert!(!format!("{s:?}").contains("Berg"));
    }

    #[test]
    fn every_problem_names_its_column() {
        let mut row = good();
        row[1] = "Bank";
        row[3] = "123456789";
        row[11] = "70 AB";
        row[15] = "-5";
        row[16] = "2026-11-02";
        row[17] = "2030-01-01";
        row[18] = "misschien";
        row[14] = "geen mail";
        let errors = Signal::validate(&SignalFields(row), TODAY).unwrap_err();
        let got: Vec<_> = errors.iter().map(|e| (e.field, e.problem.code())).collect();
        assert_eq!(
            got,
            [
                ("signaalpartner", "unknown-code"),
                ("Burgerservicenummer", "elfproef"),
                ("Postcode", "postcode-format"),
                ("Email", "not-an-email"),
                ("bedrag_cent", "negative"),
                ("signaaldatum", "in-future"),
                ("crisissignaal", "not-yes-no"),
            ]
        );
    }

    #[test]
    fn arrears_must_start_before_the_signal() {
        let mut row = good();
        row[16] = "2026-11-01";
        let errors = Signal::validate(&SignalFields(row), TODAY).unwrap_err();
        assert_eq!(errors[0].field, "ontstaansdatum");
        assert_eq!(errors[0].problem, Problem::NotBeforeSignalDate);
    }

    #[test]
    fn a_signal_needs_a_bsn_or_a_name_and_address() {
        let mut row = good();
        row[9] = "";
        let errors = Signal::validate(&SignalFields(row), TODAY).unwrap_err();
        assert_eq!(errors[0].problem, Problem::NoIdentification);
        row[3] = "111222333";
        assert!(Signal::validate(&SignalFields(row), TODAY).is_ok());
    }

    proptest! {
        #[test]
        fn arbitrary_rows_never_panic(fields in proptest::collection::vec("\\PC{0,14}", 20)) {
            let arr: [&str; 20] = std::array::from_fn(|i| fields[i].as_str());
            let _ = Signal::validate(&SignalFields(arr), TODAY);
        }

        #[test]
        fn valid_signals_round_trip(amount in 0i64..10_000_000, days in 22i64..3000, crisis: bool) {
            let mut row = good().map(String::from);
            row[15] = amount.to_string();
            row[16] = crate::person::format_date(TODAY - time::Duration::days(days));
            row[18] = crisis.to_string();
            let s = Signal::validate(&SignalFields(row.each_ref().map(|s| s.as_str())), TODAY).unwrap();
            let text = s.to_fields();
            prop_assert_eq!(Signal::validate(&SignalFields(text.each_ref().map(|s| s.as_str())), TODAY).unwrap(), s);
        }
    }
}
