//! The DDAS vroegsignalering enumerations (VNG/CBS model v0.9). Each value
//! has the exact label the model uses (in files and the CBS report) and a
//! short stable code (in the database, URLs and message ids).

use crate::error::{Problem, ValidationError};

macro_rules! ddas_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code, as stored and used in message ids.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The label exactly as the DDAS model writes it.
            pub fn ddas(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }

            /// Reads the DDAS label or the code, ignoring case and
            /// surrounding space, as partners' files vary in both.
            pub fn parse(field: &'static str, input: &str) -> Result<Self, ValidationError> {
                let s = input.trim();
                if s.is_empty() {
                    return Err(ValidationError::new(field, Problem::Empty));
                }
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.ddas().eq_ignore_ascii_case(s) || v.code().eq_ignore_ascii_case(s))
                    .ok_or(ValidationError::new(field, Problem::UnknownCode))
            }
        }
    };
}

ddas_enum! {
    /// The kind of creditor that sent a signal (`EnumSignaalpartner`).
    PartnerType {
        Energie => ("energie", "Energie"),
        Huur => ("huur", "Huur"),
        Hypotheek => ("hypotheek", "Hypotheek"),
        CakZorgverzekering => ("cak-zorgverzekering", "CAK Zorgverzekeringen"),
        Zorg => ("zorg", "Zorg"),
        Water => ("water", "Water"),
        Duo => ("duo", "DUO"),
        Belastingdienst => ("belastingdienst", "Belastingdienst"),
        CakEigenBijdrage => ("cak-eigen-bijdrage", "CAK Eigen bijdrage"),
        Overige => ("overige", "Overige"),
        DienstToeslagen => ("dienst-toeslagen", "Dienst Toeslagen"),
    }
}

ddas_enum! {
    /// How the municipality tried to reach a resident (`EnumContactsoort`).
    ContactKind {
        Mail => ("mail", "Mail"),
        Brief => ("brief", "Brief"),
        Sms => ("sms", "SMS/Whatsapp"),
        Telefoon => ("telefoon", "Telefoon"),
        Huisbezoek => ("huisbezoek", "Huisbezoek"),
        Kaartje => ("kaartje", "Kaartje"),
        Overige => ("overige", "Overige"),
        Administratief => ("administratief", "Administratief"),
    }
}

ddas_enum! {
    /// Part of the day of a contact attempt (`EnumDagdeel`).
    Dagdeel {
        Ochtend => ("ochtend", "Ochtend"),
        Middag => ("middag", "Middag"),
        Avond => ("avond", "Avond"),
    }
}

ddas_enum! {
    /// How a vroegsignaalzaak ended (`EnumEindresultaat`).
    EndResult {
        HerhaaldeMelding => ("herhaalde-melding", "Niet opgepakt: herhaalde melding"),
        OnterechtSignaal => ("onterecht-signaal", "Niet opgepakt: onterecht signaal"),
        Overleden => ("overleden", "Inwoner is overleden"),
        GeenInwoner => ("geen-inwoner", "Persoon is geen inwoner (meer) in de gemeente"),
        AndereReden => ("andere-reden", "Niet opgepakt: andere reden"),
        BekendBijSchuldhulp => ("bekend-bij-schuldhulp", "Inwoner al bekend bij schuldhulpverlening"),
        AnderTraject => ("ander-traject", "Inwoner heeft al een ander lopend traject"),
        GeenContact => ("geen-contact", "Definitief geen contact kunnen krijgen"),
        GeenReactie => ("geen-reactie", "Geen reactie na eerder contact"),
        GeenHulpNodig => ("geen-hulp-nodig", "Inwoner hoeft geen hulp vanuit vroegsignalering"),
        ZelfBetaald => ("zelf-betaald", "Inwoner heeft zelf al betaald/betalingsregeling getroffen"),
        Advies => ("advies", "(Budget)advies en/of quick fix"),
        VervolghulpFinancieel => ("vervolghulp-financieel", "Vervolghulp en/of verwijzing financieel"),
        VerwijzingZonderContact => ("verwijzing-zonder-contact", "Verwijzing zonder contact"),
        VervolghulpNietFinancieel => ("vervolghulp-niet-financieel", "Vervolghulp en/of verwijzing niet financieel"),
    }
}

ddas_enum! {
    /// Where a single signal stands (`EnumSignaalstatus`).
    SignalStatus {
        NogNietOpgepakt => ("nog-niet-opgepakt", "Nog niet opgepakt"),
        OnterechtSignaal => ("onterecht-signaal", "Niet opgepakt: onterecht signaal"),
        Overleden => ("overleden", "Inwoner is overleden"),
        GeenInwoner => ("geen-inwoner", "Persoon is geen inwoner (meer) in de gemeente"),
        HerhaaldeMelding => ("herhaalde-melding", "Niet opgepakt: herhaalde melding"),
        AndereReden => ("andere-reden", "Niet opgepakt: andere reden"),
    }
}

impl EndResult {
    /// Was the case picked up (opgepakt)? This is all a signal partner may
    /// hear back, never the reason.
    pub fn picked_up(self) -> bool {
        !matches!(
            self,
            EndResult::HerhaaldeMelding
                | EndResult::OnterechtSignaal
                | EndResult::Overleden
                | EndResult::GeenInwoner
                | EndResult::AndereReden
        )
    }

    /// Did the resident accept help, so that the case becomes a trajectory?
    pub fn help_accepted(self) -> bool {
        matches!(
            self,
            EndResult::Advies
                | EndResult::VervolghulpFinancieel
                | EndResult::VervolghulpNietFinancieel
        )
    }

    /// The status its signals get when the case was not picked up.
    pub fn signal_status(self) -> Option<SignalStatus> {
        match self {
            EndResult::HerhaaldeMelding => Some(SignalStatus::HerhaaldeMelding),
            EndResult::OnterechtSignaal => Some(SignalStatus::OnterechtSignaal),
            EndResult::Overleden => Some(SignalStatus::Overleden),
            EndResult::GeenInwoner => Some(SignalStatus::GeenInwoner),
            EndResult::AndereReden => Some(SignalStatus::AndereReden),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_codes_round_trip() {
        for p in PartnerType::ALL {
            assert_eq!(PartnerType::parse("x", p.ddas()), Ok(*p));
            assert_eq!(PartnerType::from_code(p.code()), Some(*p));
        }
        for r in EndResult::ALL {
            assert_eq!(EndResult::parse("x", r.ddas()), Ok(*r));
            assert_eq!(r.signal_status().is_some(), !r.picked_up());
        }
        assert_eq!(
            PartnerType::parse("signaalpartner", " cak zorgverzekeringen "),
            Ok(PartnerType::CakZorgverzekering)
        );
        assert_eq!(
            PartnerType::parse("signaalpartner", "Bank")
                .unwrap_err()
                .problem,
            Problem::UnknownCode
        );
    }
}
