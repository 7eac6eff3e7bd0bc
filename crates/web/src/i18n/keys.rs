//! Every message a page or handler asks for exists in Dutch and English: a
//! missing key shows as the raw key (`case-signals` stood as a heading on
//! every signal case page). Keys written out are read from the templates
//! and the code; keys built from a value (`"work-kind-" ~ kind`) are checked
//! for every value the value's type has.

use super::{EN_FTL, NL_FTL, message_ids};
use crate::templates::tests::walk;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Where the keys are asked for: `(file, key or prefix, is a prefix)`.
fn asked() -> Vec<(String, String, bool)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    walk(&src, &mut |path, text| {
        let file = path.display().to_string();
        if path.parent().is_some_and(|p| p.ends_with("i18n")) {
            return; // the message code and its tests, which try unknown keys
        }
        let html = file.ends_with(".html");
        // t("key") and t("prefix-" ~ value) in templates; .t(lang, "key")
        // and .t(lang, &format!("prefix-{..}")) in code.
        let calls: Vec<&str> = if html {
            text.split("t(\"").skip(1).collect()
        } else {
            text.split(".t(")
                .skip(1)
                .filter_map(|rest| rest.split_once(',').map(|(_, after)| after))
                .filter_map(|after| {
                    let after = after.trim_start();
                    after
                        .strip_prefix('"')
                        .or_else(|| after.strip_prefix("&format!(\""))
                })
                .collect()
        };
        for call in calls {
            let Some(end) = call.find('"') else { continue };
            let literal = &call[..end];
            let after = call[end + 1..].trim_start();
            if html {
                out.push((file.clone(), literal.to_string(), after.starts_with('~')));
            } else if let Some(brace) = literal.find('{') {
                out.push((file.clone(), literal[..brace].to_string(), true));
            } else {
                out.push((file.clone(), literal.to_string(), false));
            }
        }
        // Keys handed to a template as a value: `title_key => "…"`,
        // `notice = … "…"`.
        if !html {
            for line in text
                .lines()
                .filter(|l| l.contains("_key =>") || l.contains("notice"))
            {
                for literal in line.split('"').skip(1).step_by(2) {
                    if looks_like_key(literal) {
                        out.push((file.clone(), literal.to_string(), false));
                    }
                }
            }
        }
    });
    out
}

fn looks_like_key(s: &str) -> bool {
    s.contains('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<String> {
    all.iter().map(|v| code(*v).to_string()).collect()
}

/// Every value of each prefix's type (with what follows it in the key),
/// from the type's own list where the code has one.
fn values() -> BTreeMap<&'static str, Vec<String>> {
    use wegwijs_domain::signal::{ContactKind, Dagdeel, EndResult, PartnerType, SignalStatus};
    use wegwijs_domain::*;
    use wegwijs_store::signals::{CaseState, StatusFilter};
    let numbers = |from: u32, to: u32| (from..=to).map(|n| n.to_string()).collect::<Vec<_>>();
    let text = |all: &[&str]| all.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let then = |values: Vec<String>, after: &[&str]| {
        values
            .iter()
            .flat_map(|v| after.iter().map(move |a| format!("{v}{a}")))
            .collect::<Vec<_>>()
    };
    let partners = codes(PartnerType::ALL, PartnerType::code);
    let modes = codes(&appointment::Mode::ALL, appointment::Mode::code);
    let steps = codes(&preparation::Step::ALL, preparation::Step::code);
    let kinds = codes(&help::RequestKind::ALL, help::RequestKind::code);
    let questions: Vec<String> = geldcheck::QUESTIONS
        .iter()
        .map(|q| q.code.to_string())
        .collect();
    let answers: Vec<String> = geldcheck::QUESTIONS
        .iter()
        .flat_map(|q| q.answers.iter().map(move |a| format!("{}-{a}", q.code)))
        .collect();
    let selfscan_choices: Vec<String> = (1..=5)
        .map(|n| selfscan::Answer::Scale(n).code())
        .chain([selfscan::Answer::NotApplicable.code()])
        .collect();
    BTreeMap::from([
        (
            "help-topic-",
            codes(&help::HelpTopic::ALL, help::HelpTopic::code),
        ),
        ("request-kind-", kinds.clone()),
        ("request-next-", kinds.clone()),
        // How a lead was asked about, and the link to that request.
        (
            "portal-lead-asked-",
            kinds.into_iter().chain(["link".to_string()]).collect(),
        ),
        (
            "request-status-",
            codes(&help::RequestStatus::ALL, help::RequestStatus::code),
        ),
        (
            "msg-step-",
            codes(&help::RequestStatus::ALL, help::RequestStatus::code),
        ),
        (
            "staff-request-status-",
            codes(&help::RequestStatus::ALL, help::RequestStatus::code),
        ),
        ("work-kind-", codes(&WorkKind::ALL, WorkKind::code)),
        ("work-open-", codes(&WorkKind::ALL, WorkKind::code)),
        (
            "work-finish-there-",
            WorkKind::ALL
                .iter()
                .filter(|k| k.outcomes().is_empty())
                .map(|k| k.code().to_string())
                .collect(),
        ),
        (
            "work-outcome-",
            codes(&work::Outcome::ALL, work::Outcome::code)
                .into_iter()
                .filter(|o| {
                    WorkKind::ALL
                        .iter()
                        .any(|k| k.outcomes().iter().any(|x| x.code() == o))
                })
                .collect(),
        ),
        ("work-stage-", codes(&work::Stage::ALL, work::Stage::code)),
        ("work-sort-", codes(&work::Sort::ALL, work::Sort::code)),
        (
            "work-who-",
            text(&[
                "team-open",
                "mine",
                "my-teams",
                "team",
                "person",
                "no-team",
                "all",
            ]),
        ),
        (
            "work-done-",
            text(&["opgepakt", "toegewezen", "status", "afgerond"]),
        ),
        ("teams-saved-", text(&["team", "leden", "route"])),
        (
            "accommodation-",
            codes(
                &accommodation::Accommodation::ALL,
                accommodation::Accommodation::code,
            ),
        ),
        (
            "contact-way-",
            codes(&bwk::ContactWay::ALL, bwk::ContactWay::code),
        ),
        (
            "contact-way-pref-",
            codes(&contact::Preferred::ALL, contact::Preferred::code),
        ),
        (
            "helps-",
            codes(
                &accommodation::Accommodation::ALL,
                accommodation::Accommodation::code,
            ),
        ),
        ("pillar-", codes(&bwk::Pillar::ALL, bwk::Pillar::code)),
        (
            "pillar-question-",
            codes(&bwk::Pillar::ALL, bwk::Pillar::code),
        ),
        ("reading-", codes(&bwk::Reading::ALL, bwk::Reading::code)),
        ("role-", codes(&Role::ALL, Role::code)),
        (
            "login-step-title-",
            codes(
                &wegwijs_store::second_factor::Stage::ALL,
                wegwijs_store::second_factor::Stage::code,
            ),
        ),
        ("voorziening-", codes(&Voorziening::ALL, Voorziening::code)),
        (
            "household-role-",
            codes(&HouseholdRole::ALL, HouseholdRole::code),
        ),
        ("appointment-mode-", modes.clone()),
        ("appointment-how-", modes.clone()),
        ("staff-appointment-how-", modes.clone()),
        ("appointment-contact-you-", modes.clone()),
        ("appointment-expect-", modes.clone()),
        // Asked only for a meeting by phone or video.
        ("appointment-contact-label-", modes[1..].to_vec()),
        ("prep-q-", steps.clone()),
        ("prep-hint-", steps),
        ("prep-hard-", text(&preparation::HARD_THINGS)),
        (
            "selfscan-pillar-",
            codes(&selfscan::Pillar::ALL, selfscan::Pillar::code),
        ),
        (
            "selfscan-element-",
            codes(&selfscan::Element::ALL, selfscan::Element::code),
        ),
        (
            "selfscan-part-",
            codes(&selfscan::Part::ALL, selfscan::Part::code),
        ),
        (
            "selfscan-part-intro-",
            codes(&selfscan::Part::ALL, selfscan::Part::code),
        ),
        ("selfscan-choice-", selfscan_choices),
        (
            "consent-",
            then(
                codes(&consent::Topic::ALL, consent::Topic::code),
                &["-title", "-text"],
            ),
        ),
        (
            "field-group-",
            codes(&policy::FieldGroup::ALL, policy::FieldGroup::code),
        ),
        (
            "hidden-because-",
            vec!["delen-uwv".to_string(), "delen-schuldhulp".to_string()],
        ),
        (
            "consent-channel-",
            consent::Topic::ALL
                .iter()
                .filter(|t| t.is_channel())
                .map(|t| t.code().to_string())
                .collect(),
        ),
        (
            "choices-channel-",
            consent::Topic::ALL
                .iter()
                .filter(|t| t.is_channel())
                .map(|t| t.code().to_string())
                .collect(),
        ),
        (
            "choices-sharing-",
            then(
                vec!["delen-uwv".to_string(), "delen-schuldhulp".to_string()],
                &["-ja", "-nee"],
            ),
        ),
        ("audit-reason-", text(&wegwijs_domain::oversight::REASONS)),
        (
            "registers-subject-",
            Purpose::ALL
                .iter()
                .flat_map(|p| wegwijs_domain::registers::subjects_of(*p))
                .map(|s| s.to_string())
                .collect(),
        ),
        (
            "registers-term-",
            text(&[
                "signalen-niet-opgepakt",
                "signalen-na-afsluiting",
                "bewaarde-formulieren",
                "mislukte-inlogpogingen",
                "zelfscan-concepten",
                "sessies",
                "job",
            ]),
        ),
        (
            "registers-unit-",
            text(&["minuten", "uren", "dagen", "maanden"]),
        ),
        (
            "registers-field-",
            text(&[
                "korte_omschrijving",
                "organisatie",
                "status",
                "publicatiecategorie",
                "doel_en_impact",
                "afwegingen",
                "menselijke_tussenkomst",
                "risicobeheer",
                "wettelijke_basis",
                "impacttoetsen",
                "gegevens",
                "technische_werking",
                "leverancier",
                "bezwaar",
            ]),
        ),
        ("audit-denied-", codes(&Denied::ALL, Denied::code)),
        ("log-purpose-", codes(&Purpose::ALL, Purpose::code)),
        ("purpose-", codes(&Purpose::ALL, Purpose::code)),
        (
            "note-purpose-",
            codes(&note::NotePurpose::ALL, note::NotePurpose::code),
        ),
        (
            "log-action-",
            wegwijs_store::audit::Action::ALL
                .iter()
                .map(|a| a.code().to_string())
                .collect(),
        ),
        ("partner-", partners.clone()),
        ("portal-partner-", partners.clone()),
        ("reason-arrears-", partners),
        ("contact-", codes(ContactKind::ALL, ContactKind::code)),
        ("dagdeel-", codes(Dagdeel::ALL, Dagdeel::code)),
        ("result-", codes(EndResult::ALL, EndResult::code)),
        (
            "signal-status-",
            codes(SignalStatus::ALL, SignalStatus::code),
        ),
        ("level-", codes(&signal::Level::ALL, signal::Level::code)),
        ("case-state-", codes(&CaseState::ALL, CaseState::code)),
        (
            "status-filter-",
            codes(&StatusFilter::ALL, StatusFilter::code),
        ),
        ("gc-q-", questions),
        ("gc-a-", answers),
        (
            "gc-advice-",
            then(text(&geldcheck::ADVICE), &["", "-title"]),
        ),
        (
            "gc-outlook-",
            codes(&geldcheck::Outlook::ALL, geldcheck::Outlook::code),
        ),
        ("taal-kind-", text(wegwijs_taal::KINDS)),
        ("taal-why-", text(wegwijs_taal::KINDS)),
        (
            "taal-severity-",
            codes(&wegwijs_taal::Severity::ALL, wegwijs_taal::Severity::code),
        ),
        (
            "schrijfhulp-vorm-",
            codes(&wegwijs_taal::Format::ALL, wegwijs_taal::Format::code),
        ),
        ("feedback-score-", numbers(1, 5)),
        ("month-", numbers(1, 12)),
        ("weekday-", numbers(1, 7)),
        ("problem-", problem_codes()),
        ("field-", text(super::tests::FIELDS)),
        // Values the code writes as text, not as a type: the feedback's
        // subjects (`feedback::about`), the reminder and mail channels
        // (`outbox`), appointment statuses (`appointments`), the consent
        // page's groups, a
        // signal's matching (`MatchOutcome::code` and "hand"), outreach
        // task states, the Schrijfhulp's verdicts, the instrument's
        // languages.
        ("feedback-about-", text(&["hulpvraag", "afspraak"])),
        ("feedback-link-", text(&["hulpvraag", "afspraak"])),
        ("appointment-reminder-", text(&["geen", "email", "sms"])),
        ("mail-channel-", text(&["email", "sms"])),
        ("message-link-", text(&["hulpvraag", "afspraak"])),
        (
            "staff-appointment-status-",
            text(&["gepland", "afgezegd", "geweest"]),
        ),
        ("consent-group-", text(&["delen", "benaderen", "kanalen"])),
        (
            "match-",
            text(&["bsn", "naam", "hand", "geen", "bsn-onbekend", "meerdere"]),
        ),
        ("task-", text(&["open", "gedaan", "vervallen"])),
        (
            "schrijfhulp-verdict-",
            text(&["blocking", "easy", "harder"]),
        ),
        ("selfscan-admin-lang-", text(&["nl", "en"])),
    ])
}

fn problem_codes() -> Vec<String> {
    wegwijs_domain::Problem::EXAMPLES
        .iter()
        .map(|p| p.code().to_string())
        .collect()
}

#[test]
fn every_message_asked_for_exists_in_both_languages() {
    let nl: BTreeSet<String> = message_ids(NL_FTL).into_iter().collect();
    let en: BTreeSet<String> = message_ids(EN_FTL).into_iter().collect();
    let asked = asked();
    assert!(asked.len() > 500, "found only {} uses", asked.len());
    let values = values();
    let mut missing = BTreeSet::new();
    let mut unknown_prefixes = BTreeSet::new();
    for (file, key, prefix) in &asked {
        let keys: Vec<String> = if *prefix {
            match values.get(key.as_str()) {
                Some(vs) => vs.iter().map(|v| format!("{key}{v}")).collect(),
                None => {
                    unknown_prefixes.insert(key.clone());
                    continue;
                }
            }
        } else {
            vec![key.clone()]
        };
        for k in keys {
            for (lang, ids) in [("nl", &nl), ("en", &en)] {
                if !ids.contains(&k) {
                    missing.insert(format!("{lang}: {k} ({file})"));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "messages asked for but missing:\n{}",
        missing.into_iter().collect::<Vec<_>>().join("\n")
    );
    assert!(
        unknown_prefixes.is_empty(),
        "keys built from a value whose list of values this test does not know: {unknown_prefixes:?}"
    );
}
