//! The page templates, embedded in the binary by `build.rs` from every
//! `templates/` folder under `src/`, and the filters and functions they
//! share (`t` for messages, `date`, `moment`).

use crate::i18n::{I18n, Lang};
use fluent_bundle::FluentValue;
use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, State};
use std::sync::Arc;

include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// A template that does not compile: a build defect the tests catch.
#[derive(Debug, thiserror::Error)]
#[error("template {name}: {source}")]
pub struct TemplateError {
    name: &'static str,
    source: minijinja::Error,
}

pub fn environment(i18n: Arc<I18n>) -> Result<Environment<'static>, TemplateError> {
    let mut env = Environment::new();
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .map_err(|source| TemplateError { name, source })?;
    }
    let months = i18n.clone();
    env.add_filter("date", move |state: &State, iso: &str| -> String {
        long_date(&months, lang_of(state), iso)
    });
    env.add_function(
        "t",
        move |state: &State, key: &str, kwargs: Kwargs| -> Result<String, minijinja::Error> {
            let lang = lang_of(state);
            let mut args: Vec<(&str, FluentValue)> = Vec::new();
            for name in kwargs.args() {
                let v: Value = kwargs.get(name)?;
                let fv = match i64::try_from(v.clone()) {
                    Ok(n) if v.is_number() => FluentValue::from(n),
                    _ => FluentValue::from(v.to_string()),
                };
                args.push((name, fv));
            }
            Ok(i18n.t(lang, key, &args))
        },
    );
    env.add_filter("moment", |secs: i64| format_moment(secs));
    env.add_function("form_token", crate::tokens::new_form_token);
    env.add_function("asset", |name: &str| {
        Value::from_safe_string(crate::assets::href(name))
    });
    Ok(env)
}

fn lang_of(state: &State) -> Lang {
    state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Lang::from_code))
        .unwrap_or_default()
}

/// "20 maart 1933": dates in words are easier to read than 1933-03-20.
pub(crate) fn long_date(i18n: &I18n, lang: Lang, iso: &str) -> String {
    match wegwijs_domain::person::parse_date("date", iso) {
        Ok(d) => {
            let month = i18n.t(lang, &format!("month-{}", d.month() as u8), &[]);
            format!("{} {month} {}", d.day(), d.year())
        }
        Err(_) => iso.to_string(),
    }
}

/// "dinsdag 24 november 2026", Dutch local date of a moment.
pub(crate) fn long_day(i18n: &I18n, lang: Lang, secs: i64) -> String {
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp(secs) else {
        return String::new();
    };
    let d = wegwijs_domain::clock::dutch_local(t).date();
    let weekday = i18n.t(
        lang,
        &format!("weekday-{}", d.weekday().number_from_monday()),
        &[],
    );
    let date = long_date(i18n, lang, &wegwijs_domain::person::format_date(d));
    format!("{weekday} {date}")
}

/// "09:30", Dutch local time of a moment.
pub(crate) fn clock_time(secs: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(secs) {
        Ok(t) => {
            let t = wegwijs_domain::clock::dutch_local(t);
            format!("{:02}:{:02}", t.hour(), t.minute())
        }
        Err(_) => String::new(),
    }
}

/// "22-11-2026 14:05", Dutch local time.
pub fn format_moment(secs: i64) -> String {
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp(secs) else {
        return String::new();
    };
    let t = wegwijs_domain::clock::dutch_local(t);
    format!(
        "{:02}-{:02}-{} {:02}:{:02}",
        t.day(),
        t.month() as u8,
        t.year(),
        t.hour(),
        t.minute()
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::TEMPLATES;
    use std::path::Path;

    /// Every name a handler renders or a template extends, includes or
    /// imports: a name with no file is a 500 at run time.
    #[test]
    fn every_template_named_exists() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut named = Vec::new();
        walk(&src, &mut |path, text| {
            let quoted = text.split('"').skip(1).step_by(2);
            for name in quoted.filter(|s| is_template_name(s)) {
                named.push((path.display().to_string(), name.to_string()));
            }
        });
        assert!(named.len() > 50, "found only {} names", named.len());
        for (file, name) in named {
            assert!(
                TEMPLATES.iter().any(|(n, _)| *n == name),
                "{file} names {name}, which no templates/ folder has"
            );
        }
    }

    /// Every template compiles, and every one is used by a page or another
    /// template (a file nobody renders is dead weight or a forgotten page).
    #[test]
    fn every_template_compiles_and_is_used() {
        let i18n = std::sync::Arc::new(crate::i18n::I18n::new().unwrap());
        let env = super::environment(i18n).unwrap();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut all = String::new();
        walk(&src, &mut |_, text| all.push_str(text));
        for (name, _) in TEMPLATES {
            env.get_template(name).unwrap();
            let quoted = format!("\"{name}\"");
            assert!(
                all.matches(&quoted).count() >= 1,
                "{name} is never rendered"
            );
        }
    }

    fn is_template_name(s: &str) -> bool {
        s.strip_suffix(".html").is_some_and(|stem| {
            !stem.is_empty() && stem.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        })
    }

    /// Every `.rs` and `.html` file under `dir`, with its text.
    pub(crate) fn walk(dir: &Path, f: &mut dyn FnMut(&Path, &str)) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, f);
            } else if path.extension().is_some_and(|e| e == "rs" || e == "html") {
                f(&path, &std::fs::read_to_string(&path).unwrap());
            }
        }
    }
}
