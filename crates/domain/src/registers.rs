//! The registers a privacy officer keeps, made from the code's own
//! configuration so that they are always current: the register of
//! processing activities (AVG art. 30) and the algorithm register entries
//! (Algoritmeregister Publicatiestandaard 1.0.0) for the two places where
//! Wegwijs ranks or selects residents.

use crate::consent::Topic;
use crate::org::OrgKind;
use crate::policy::{FieldFacts, FieldGroup, Purpose, Staff, field_access, sharing_for};
use crate::signal::priority::Weights;
use crate::work::WorkKind;
use crate::{Actor, Role};
use serde::Serialize;

/// Why each processing is lawful: the configured legal bases.
pub fn legal_basis(p: Purpose) -> &'static str {
    match p {
        Purpose::Casework => {
            "AVG art. 6 lid 1 sub e (publieke taak); Wet gemeentelijke schuldhulpverlening art. 2 en 3; Participatiewet art. 7"
        }
        Purpose::OwnView => "AVG art. 15 (recht op inzage)",
        Purpose::OwnChoice => "AVG art. 6 lid 1 sub a (toestemming) en art. 7",
        Purpose::RegisterImport => "AVG art. 6 lid 1 sub e; Wet basisregistratie personen art. 3.3",
        Purpose::Administration => "AVG art. 6 lid 1 sub c en art. 32 (beveiliging)",
        Purpose::DemoLogin => "Geen persoonsgegevens: alleen verzonnen inwoners in een demo",
        Purpose::SignalIntake => {
            "Wet gemeentelijke schuldhulpverlening art. 3a en 3b; Besluit gemeentelijke schuldhulpverlening"
        }
        Purpose::Retention => {
            "AVG art. 5 lid 1 sub e (opslagbeperking); Besluit gemeentelijke schuldhulpverlening art. 4"
        }
        Purpose::Statistics => "Wet op het Centraal bureau voor de statistiek art. 33; Wgs art. 8a",
        Purpose::ProactiveOutreach => {
            "AVG art. 6 lid 1 sub e; Wet gemeentelijke schuldhulpverlening art. 2; Participatiewet art. 8"
        }
        Purpose::Reflection => {
            "AVG art. 6 lid 1 sub f (gerechtvaardigd belang: leren van het eigen werk)"
        }
        Purpose::Oversight => "AVG art. 5 lid 2 (verantwoording), art. 24, art. 32 en art. 38-39",
    }
}

/// The field groups each processing uses.
pub fn data_of(p: Purpose) -> Vec<FieldGroup> {
    use FieldGroup::*;
    match p {
        Purpose::Casework | Purpose::OwnView => FieldGroup::ALL.to_vec(),
        Purpose::OwnChoice => vec![Identiteit, Contact, Huishouden],
        Purpose::RegisterImport => vec![
            Identiteit,
            Contact,
            Huishouden,
            InkomenVermogen,
            Voorzieningen,
        ],
        Purpose::SignalIntake => vec![Identiteit, Contact, Betalingsachterstanden],
        Purpose::Retention => vec![Betalingsachterstanden, Dossier],
        Purpose::Statistics => vec![Contact, Betalingsachterstanden],
        Purpose::ProactiveOutreach => {
            vec![Identiteit, Huishouden, InkomenVermogen, Voorzieningen]
        }
        Purpose::DemoLogin | Purpose::Oversight => vec![Identiteit],
        Purpose::Administration | Purpose::Reflection => Vec::new(),
    }
}

/// Whose data each processing concerns (codes, worded by the page).
pub fn subjects_of(p: Purpose) -> &'static [&'static str] {
    match p {
        Purpose::Casework => &["inwoners-met-werk", "huishoudleden"],
        Purpose::OwnView | Purpose::OwnChoice => &["inwoners-portaal"],
        Purpose::RegisterImport | Purpose::ProactiveOutreach => &["inwoners-register"],
        Purpose::SignalIntake | Purpose::Retention | Purpose::Statistics => {
            &["huishoudens-met-signaal"]
        }
        Purpose::DemoLogin => &["verzonnen-inwoners"],
        Purpose::Administration | Purpose::Reflection => &["medewerkers"],
        Purpose::Oversight => &["inwoners-register", "medewerkers"],
    }
}

/// A retention term as a job applies it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Term {
    /// What is removed (a code the page words).
    pub data: &'static str,
    /// After how long: an amount of `unit`s.
    pub amount: i64,
    /// "minuten", "uren", "dagen" or "maanden".
    pub unit: &'static str,
    /// The organisation whose setting it is, if it is one's own.
    pub org: Option<String>,
    /// The background job that applies it.
    pub job: &'static str,
}

/// One organisation that receives data, and which field groups.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Recipient {
    pub org: String,
    pub kind: &'static str,
    /// Without any sharing consent (for its own open work).
    pub own_work: Vec<&'static str>,
    /// What a sharing consent adds, and which.
    pub consent: Option<&'static str>,
    pub with_consent: Vec<&'static str>,
}

/// One processing activity (AVG art. 30 lid 1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Activity {
    pub purpose: &'static str,
    pub legal_basis: &'static str,
    pub data: Vec<&'static str>,
    pub subjects: Vec<&'static str>,
}

/// The register of processing activities.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProcessingRegister {
    pub controller: String,
    pub activities: Vec<Activity>,
    pub recipients: Vec<Recipient>,
    pub retention: Vec<Term>,
}

/// What the registers are made from.
#[derive(Clone, Debug)]
pub struct Config {
    /// The municipality that is the controller.
    pub controller: String,
    pub purposes: Vec<Purpose>,
    /// Every organisation working with Wegwijs.
    pub orgs: Vec<(String, OrgKind)>,
    pub retention: Vec<Term>,
    pub weights: Weights,
    /// The laws the rules scan computes (their names).
    pub laws: Vec<String>,
}

fn codes(groups: &[FieldGroup]) -> Vec<&'static str> {
    groups.iter().map(|g| g.code()).collect()
}

/// What an organisation of `kind` sees, as the policy decides it.
fn recipient(org: &str, kind: OrgKind) -> Recipient {
    let staff = Actor::Staff(Staff {
        user_id: 0,
        org_id: 0,
        role: Role::Caseworker,
    });
    let facts = |sharing: Vec<Topic>| FieldFacts {
        org_kind: kind,
        work: WorkKind::ALL.to_vec(),
        sharing,
    };
    let own = field_access(&staff, Purpose::Casework, Some(&facts(Vec::new())));
    let shared = sharing_for(kind);
    let with = shared.map(|(t, _)| field_access(&staff, Purpose::Casework, Some(&facts(vec![t]))));
    Recipient {
        org: org.to_string(),
        kind: kind.code(),
        own_work: codes(&own.shown),
        consent: shared.map(|(t, _)| t.code()),
        with_consent: with.map(|a| codes(&a.shown)).unwrap_or_default(),
    }
}

pub fn processing_register(cfg: &Config) -> ProcessingRegister {
    ProcessingRegister {
        controller: cfg.controller.clone(),
        activities: cfg
            .purposes
            .iter()
            .map(|p| Activity {
                purpose: p.code(),
                legal_basis: legal_basis(*p),
                data: codes(&data_of(*p)),
                subjects: subjects_of(*p).to_vec(),
            })
            .collect(),
        recipients: cfg.orgs.iter().map(|(n, k)| recipient(n, *k)).collect(),
        retention: cfg.retention.clone(),
    }
}

/// An entry of the algorithm register, in the publication standard's
/// fields (Dutch names, as the standard has them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AlgorithmEntry {
    pub naam: String,
    pub korte_omschrijving: String,
    pub organisatie: String,
    pub thema: Vec<String>,
    pub status: String,
    pub publicatiecategorie: String,
    pub doel_en_impact: String,
    pub afwegingen: String,
    pub menselijke_tussenkomst: String,
    pub risicobeheer: String,
    pub wettelijke_basis: String,
    pub titel_van_wettelijke_basis: String,
    pub impacttoetsen: String,
    pub gegevens: String,
    pub technische_werking: String,
    pub leverancier: String,
    pub bezwaar: String,
    pub taal: String,
    pub schema: String,
    pub bron_id: String,
}

pub fn algorithm_register(cfg: &Config) -> Vec<AlgorithmEntry> {
    let w = &cfg.weights;
    let common = |id: &str, naam: &str| AlgorithmEntry {
        naam: naam.to_string(),
        korte_omschrijving: String::new(),
        organisatie: cfg.controller.clone(),
        thema: vec!["Sociale zekerheid".into()],
        status: "In gebruik".into(),
        publicatiecategorie: "Impactvolle algoritmes".into(),
        doel_en_impact: String::new(),
        afwegingen: String::new(),
        menselijke_tussenkomst: String::new(),
        risicobeheer: String::new(),
        wettelijke_basis: String::new(),
        titel_van_wettelijke_basis: String::new(),
        impacttoetsen: "DPIA op Wegwijs (vroegsignalering en proactieve dienstverlening)".into(),
        gegevens: String::new(),
        technische_werking: String::new(),
        leverancier: "Wegwijs (open source), beheerd door de gemeente".into(),
        bezwaar: String::new(),
        taal: "nld".into(),
        schema: "1.0.0".into(),
        bron_id: id.to_string(),
    };
    let priority = AlgorithmEntry {
        korte_omschrijving: "Bij een melding van een betalingsachterstand zet Wegwijs de huishoudens in een volgorde. Wie het meest dringend hulp nodig heeft, staat bovenaan de lijst van de medewerker.".into(),
        doel_en_impact: "Doel: huishoudens met een betalingsachterstand zo snel mogelijk hulp aanbieden, de meest dringende eerst. De volgorde bepaalt alleen wie de medewerker eerst benadert; iedereen met een signaal krijgt een aanbod.".into(),
        afwegingen: "Een vaste, uitlegbare puntentelling in plaats van een lerend model: elke medewerker en inwoner kan zien waarom een huishouden bovenaan staat. Nadeel: de telling ziet alleen de signalen, niet de hele situatie; daarom beslist een medewerker.".into(),
        menselijke_tussenkomst: "Een medewerker beslist. De prioriteit ordent alleen de lijst; zij besluit niets over de inwoner. De medewerker ziet de redenen bij elk huishouden en kan in elke volgorde werken.".into(),
        risicobeheer: "De redenen staan bij elk huishouden; keuzes van het huishouden (geen contact, een pauze, kanalen) gaan altijd voor. Elke inzage staat in het logboek.".into(),
        wettelijke_basis: legal_basis(Purpose::SignalIntake).into(),
        titel_van_wettelijke_basis: "Wet gemeentelijke schuldhulpverlening".into(),
        gegevens: "Signalen van betalingsachterstanden van woningcorporaties, energie- en drinkwaterbedrijven en zorgverzekeraars (soort schuldeiser, bedrag, sinds wanneer, crisis, warme overdracht) en eerdere signalen van het huishouden in het afgelopen jaar.".into(),
        technische_werking: format!(
            "Punten per reden: crisis {} (altijd hoog); warme overdracht {}; {} per schuldeiser boven de eerste; {} per maand achterstand vanaf 3 maanden, ten hoogste {}; eerder signaal van dezelfde schuldeiser {}; hoger bedrag dan eerder {}; {} per € 100 in totaal, ten hoogste {}. Hoog vanaf {} punten, middel vanaf {}, anders laag.",
            w.crisis, w.warm_handover, w.per_extra_creditor, w.per_month, w.arrears_max,
            w.earlier_signal, w.rising, w.per_hundred_euros, w.total_max, w.high_from, w.middle_from
        ),
        bezwaar: "De inwoner kan zeggen dat de gemeente geen contact mag opnemen, of liever even niet (Mijn Wegwijs, Toestemmingen), en kan bezwaar maken bij de gemeente tegen de verwerking (AVG art. 21).".into(),
        ..common("wegwijs-signaalprioriteit", "Prioriteit bij signalen van betalingsachterstand")
    };
    let scan = AlgorithmEntry {
        korte_omschrijving: "Wegwijs rekent met de regels van de wet uit welke huishoudens waarschijnlijk recht hebben op een regeling die zij niet krijgen. De gemeente biedt die regeling dan aan.".into(),
        doel_en_impact: "Doel: niet-gebruik van regelingen verminderen door inwoners te wijzen op wat zij waarschijnlijk krijgen. Een uitkomst is een aanbod, geen besluit: de inwoner vraagt zelf aan.".into(),
        afwegingen: "De wetten staan als leesbare regels in bestanden; de berekening is dezelfde als die de inwoner zelf kan laten uitleggen. Nadeel: de gemeente kent niet alle feiten (zoals vermogen elders); daarom is het een mogelijk recht.".into(),
        menselijke_tussenkomst: "Een medewerker bekijkt elk mogelijk recht en neemt contact op; de inwoner beslist of hij aanvraagt, en de uitvoerder van de regeling besluit. Wegwijs besluit niets.".into(),
        risicobeheer: "Huishoudens die geen contact willen, worden overgeslagen. De uitleg per huishouden noemt de gegevens waarmee gerekend is, zodat een inwoner een fout kan melden.".into(),
        wettelijke_basis: legal_basis(Purpose::ProactiveOutreach).into(),
        titel_van_wettelijke_basis: "Participatiewet".into(),
        gegevens: "Uit de basisregistratie en de eigen administratie: samenstelling van het huishouden, geboortedatum, netto inkomen, vermogen, en welke uitkeringen en toeslagen het huishouden al krijgt.".into(),
        technische_werking: format!(
            "Voor elk huishouden berekent Wegwijs de uitkomsten van deze wetten zoals ze in de regelbestanden staan: {}. Staat er een bedrag of recht uit dat het huishouden nu niet krijgt, dan opent Wegwijs een 'mogelijk recht' voor een medewerker. Dezelfde berekening, met uitleg, ziet de inwoner in Mijn Wegwijs.",
            if cfg.laws.is_empty() { "(nog geen wetten geladen)".to_string() } else { cfg.laws.join(", ") }
        ),
        bezwaar: "De inwoner kan zeggen dat de gemeente geen contact mag opnemen (Mijn Wegwijs, Toestemmingen), een fout in de gegevens melden bij het mogelijk recht, en bezwaar maken bij de gemeente (AVG art. 21).".into(),
        ..common("wegwijs-regelscan", "Scan op mogelijk recht op regelingen")
    };
    vec![priority, scan]
}

#[cfg(test)]
mod tests;
