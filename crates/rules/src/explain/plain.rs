//! Plain Dutch (B1) for what the shipped laws' names mean to a resident:
//! how a fact about them is called, and the sentence for a condition of
//! the right that does not hold for them. A name not here is shown as its
//! words ("netto_inkomen" as "netto inkomen"); the caseworker's text keeps
//! the law's own names.

/// What a name means to the resident.
pub(super) struct Plain {
    pub name: &'static str,
    /// The fact, as a short phrase ("U heeft een zorgverzekering").
    pub label: &'static str,
    /// Why there is no right, when this condition does not hold.
    pub when_not: Option<&'static str>,
    /// Why there is no right, when this holds and the law needs it not to.
    pub when_so: Option<&'static str>,
}

const fn fact(name: &'static str, label: &'static str) -> Plain {
    Plain {
        name,
        label,
        when_not: None,
        when_so: None,
    }
}

const fn condition(name: &'static str, label: &'static str, when_not: &'static str) -> Plain {
    Plain {
        name,
        label,
        when_not: Some(when_not),
        when_so: None,
    }
}

const WORDS: &[Plain] = &[
    fact(
        "toetsingsinkomen",
        "Uw inkomen in het jaar (samen met dat van uw toeslagpartner)",
    ),
    fact("heeft_toeslagpartner", "U heeft een toeslagpartner"),
    condition(
        "is_verzekerde",
        "U heeft een zorgverzekering",
        "U heeft geen zorgverzekering in Nederland.",
    ),
    fact(
        "partner_is_verzekerde",
        "Uw partner heeft een zorgverzekering",
    ),
    fact("vermogen", "Uw spaargeld en bezit (samen met uw partner)"),
    condition(
        "vermogen_onder_grens",
        "Uw spaargeld en bezit zijn niet hoger dan de grens",
        "Uw spaargeld en bezit zijn hoger dan de grens.",
    ),
    fact(
        "normpremie",
        "Het deel van de zorgpremie dat u zelf betaalt",
    ),
    fact("standaardpremie", "De standaardpremie"),
    fact(
        "netto_inkomen",
        "Uw inkomen per maand na belasting (samen met uw partner)",
    ),
    fact(
        "aanslag_gemeentelijke_belastingen",
        "De gemeentelijke belastingen die u per jaar moet betalen",
    ),
    fact(
        "maanden_laag_inkomen",
        "Maanden achter elkaar met een laag inkomen",
    ),
    fact("geboortedatum", "Uw geboortedatum"),
    fact("heeft_partner", "U bent getrouwd of woont samen"),
    fact("heeft_kinderen", "Er wonen kinderen bij u die u onderhoudt"),
    // No sentence of its own: the income or the months say why.
    fact(
        "heeft_langdurig_laag_inkomen",
        "U heeft lang een laag inkomen",
    ),
    Plain {
        name: "is_pensioengerechtigd",
        label: "U heeft de AOW-leeftijd",
        when_not: None,
        when_so: Some("U heeft de AOW-leeftijd. Deze regeling is voor mensen die jonger zijn."),
    },
];

/// Failing comparisons of the shipped laws, by (left, comparison, right);
/// `right` is a name or a number.
const COMPARISONS: &[(&str, &str, &str, &str)] = &[
    (
        "normpremie",
        "LessThan",
        "standaardpremie",
        "Uw inkomen is te hoog voor deze regeling.",
    ),
    (
        "hoogte_kwijtschelding",
        "GreaterThan",
        "0",
        "Uw inkomen is hoog genoeg om de belastingen zelf te betalen.",
    ),
    (
        "netto_inkomen",
        "LessOrEqual",
        "inkomensgrens",
        "Uw inkomen is hoger dan de grens van de gemeente.",
    ),
    (
        "maanden_laag_inkomen",
        "GreaterOrEqual",
        "referteperiode_maanden",
        "U heeft nog niet lang genoeg een laag inkomen.",
    ),
    (
        "vermogen",
        "LessOrEqual",
        "vermogensgrens",
        "Uw spaargeld en bezit zijn hoger dan de grens.",
    ),
    (
        "leeftijd",
        "GreaterOrEqual",
        "minimumleeftijd",
        "U bent jonger dan de leeftijd voor deze regeling.",
    ),
];

pub(super) fn plain(name: &str) -> Option<&'static Plain> {
    WORDS.iter().find(|p| p.name == name)
}

/// The resident's label for a name: plain words, or the name's own words.
pub(super) fn label(name: &str) -> String {
    plain(name).map_or_else(|| name.replace('_', " "), |p| p.label.to_string())
}

pub(super) fn comparison(left: &str, compare: &str, right: &str) -> Option<&'static str> {
    COMPARISONS
        .iter()
        .find(|(l, c, r, _)| *l == left && *c == compare && *r == right)
        .map(|(.., text)| *text)
}

/// "1980-01-01" as "1 januari 1980"; `None` when it is not a date.
pub(super) fn date(value: &str) -> Option<String> {
    crate::law::parse_date(value).map(wegwijs_domain::person::long_date_nl)
}
