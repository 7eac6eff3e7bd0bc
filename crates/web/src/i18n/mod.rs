//! UI texts from Fluent message files: Dutch first, English second. No UI
//! string lives in code.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "nl")]
    Nl,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

pub const NL_FTL: &str = include_str!("../../i18n/nl.ftl");
pub const EN_FTL: &str = include_str!("../../i18n/en.ftl");

pub struct I18n {
    nl: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

impl I18n {
    /// Loads the embedded message files. They are checked by tests, so a
    /// failure here is a build defect.
    pub fn new() -> Result<I18n, I18nError> {
        Ok(I18n {
            nl: bundle("nl", NL_FTL)?,
            en: bundle("en", EN_FTL)?,
        })
    }

    /// The text for `key` with `args`; the key itself when it is missing
    /// (visible in tests, never a crash).
    pub fn t(&self, lang: Lang, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let bundle = match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_string();
        };
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(*k, v.clone());
        }
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, Some(&fargs), &mut errors)
            .into_owned()
    }

    pub fn has(&self, lang: Lang, key: &str) -> bool {
        match lang {
            Lang::Nl => self.nl.has_message(key),
            Lang::En => self.en.has_message(key),
        }
    }
}

/// A message file that does not load: a build defect the tests catch.
#[derive(Debug, thiserror::Error)]
#[error("{lang}.ftl: {problem}")]
pub struct I18nError {
    lang: &'static str,
    problem: String,
}

fn bundle(lang: &'static str, source: &str) -> Result<FluentBundle<FluentResource>, I18nError> {
    let fail = |problem: String| I18nError { lang, problem };
    let id: LanguageIdentifier = lang.parse().map_err(|e| fail(format!("{e:?}")))?;
    let resource =
        FluentResource::try_new(source.to_string()).map_err(|(_, e)| fail(format!("{e:?}")))?;
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Isolation marks would end up as stray characters in HTML.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .map_err(|e| fail(format!("{e:?}")))?;
    Ok(bundle)
}

/// Message ids defined in a Fluent source, for checking that both
/// languages have the same keys.
pub fn message_ids(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_string()))
        .collect()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Fields that validation messages name (`field-…`).
    pub(crate) const FIELDS: &[&str] = &[
        "gebruikersnaam",
        "wachtwoord",
        "naam",
        "rol",
        "soort",
        "datum",
        "dagdeel",
        "bereikt",
        "resultaat",
        "bezwaar",
        "tot",
        "dag",
        "stappen",
        "niet-opgepakt",
        "na-afsluiting",
        "gemeentecode",
        "kvk",
        "label",
        "partner",
    ];

    #[test]
    fn both_languages_have_the_same_messages() {
        let nl = message_ids(NL_FTL);
        let en = message_ids(EN_FTL);
        let missing_en: Vec<_> = nl.iter().filter(|k| !en.contains(k)).collect();
        let missing_nl: Vec<_> = en.iter().filter(|k| !nl.contains(k)).collect();
        assert!(
            missing_en.is_empty() && missing_nl.is_empty(),
            "only nl: {missing_en:?}; only en: {missing_nl:?}"
        );
        assert!(nl.len() > 50);
    }

    #[test]
    fn messages_format_with_arguments() {
        let i = I18n::new().unwrap();
        assert_eq!(
            i.t(Lang::Nl, "login-locked", &[("minutes", 15.into())]),
            "U heeft te vaak een verkeerd wachtwoord ingevuld. Wacht 15 minuten en probeer het dan opnieuw."
        );
        assert_eq!(i.t(Lang::En, "no-such-key", &[]), "no-such-key");
    }

    #[test]
    fn every_validation_problem_and_field_has_a_message() {
        use wegwijs_domain::Problem;
        let i = I18n::new().unwrap();
        let problems = Problem::EXAMPLES;
        for lang in [Lang::Nl, Lang::En] {
            for p in problems {
                assert!(
                    i.has(lang, &format!("problem-{}", p.code())),
                    "{lang:?} problem-{}",
                    p.code()
                );
            }
            let columns = wegwijs_domain::signal::COLUMNS;
            for f in FIELDS.iter().copied().chain(columns) {
                assert!(i.has(lang, &format!("field-{f}")), "{lang:?} field-{f}");
            }
        }
    }
}

#[cfg(test)]
mod keys;
