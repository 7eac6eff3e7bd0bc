//! Templates (minijinja, embedded in the binary) and the context every page
//! shares.

use crate::error::AppError;
use crate::i18n::{I18n, Lang};
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::response::{Html, IntoResponse, Response};
use fluent_bundle::FluentValue;
use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, State, context};
use std::sync::Arc;
use wegwijs_domain::policy::{self, Capability};
use wegwijs_domain::{Actor, Role};

const TEMPLATES: &[(&str, &str)] = &[
    ("layout.html", include_str!("../templates/layout.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("login.html", include_str!("../templates/login.html")),
    (
        "resident_login.html",
        include_str!("../templates/resident_login.html"),
    ),
    (
        "demo_digid.html",
        include_str!("../templates/demo_digid.html"),
    ),
    ("worklist.html", include_str!("../templates/worklist.html")),
    ("resident.html", include_str!("../templates/resident.html")),
    ("portal.html", include_str!("../templates/portal.html")),
    ("help.html", include_str!("../templates/help.html")),
    ("request.html", include_str!("../templates/request.html")),
    ("messages.html", include_str!("../templates/messages.html")),
    (
        "help_routes.html",
        include_str!("../templates/help_routes.html"),
    ),
    (
        "appointment_book.html",
        include_str!("../templates/appointment_book.html"),
    ),
    (
        "appointment.html",
        include_str!("../templates/appointment.html"),
    ),
    (
        "demo_mail.html",
        include_str!("../templates/demo_mail.html"),
    ),
    (
        "geldcheck.html",
        include_str!("../templates/geldcheck.html"),
    ),
    (
        "geldcheck_result.html",
        include_str!("../templates/geldcheck_result.html"),
    ),
    ("feedback.html", include_str!("../templates/feedback.html")),
    (
        "preparation_step.html",
        include_str!("../templates/preparation_step.html"),
    ),
    (
        "preparation_summary.html",
        include_str!("../templates/preparation_summary.html"),
    ),
    (
        "resident_all.html",
        include_str!("../templates/resident_all.html"),
    ),
    (
        "resident_log.html",
        include_str!("../templates/resident_log.html"),
    ),
    ("team.html", include_str!("../templates/team.html")),
    ("users.html", include_str!("../templates/users.html")),
    ("password.html", include_str!("../templates/password.html")),
    ("audit.html", include_str!("../templates/audit.html")),
    ("consents.html", include_str!("../templates/consents.html")),
    (
        "schrijfhulp.html",
        include_str!("../templates/schrijfhulp.html"),
    ),
    (
        "schrijfhulp_resultaat.html",
        include_str!("../templates/schrijfhulp_resultaat.html"),
    ),
    (
        "selfscan_macros.html",
        include_str!("../templates/selfscan_macros.html"),
    ),
    ("selfscan.html", include_str!("../templates/selfscan.html")),
    (
        "selfscan_part.html",
        include_str!("../templates/selfscan_part.html"),
    ),
    (
        "selfscan_check.html",
        include_str!("../templates/selfscan_check.html"),
    ),
    (
        "selfscan_result.html",
        include_str!("../templates/selfscan_result.html"),
    ),
    (
        "selfscan_rounds.html",
        include_str!("../templates/selfscan_rounds.html"),
    ),
    (
        "selfscan_round.html",
        include_str!("../templates/selfscan_round.html"),
    ),
    (
        "selfscan_admin.html",
        include_str!("../templates/selfscan_admin.html"),
    ),
    (
        "selfscan_section.html",
        include_str!("../templates/selfscan_section.html"),
    ),
    ("error.html", include_str!("../templates/error.html")),
    (
        "signal_worklist.html",
        include_str!("../templates/signal_worklist.html"),
    ),
    (
        "signal_case.html",
        include_str!("../templates/signal_case.html"),
    ),
    (
        "signal_queue.html",
        include_str!("../templates/signal_queue.html"),
    ),
    (
        "signal_queued.html",
        include_str!("../templates/signal_queued.html"),
    ),
    (
        "signal_settings.html",
        include_str!("../templates/signal_settings.html"),
    ),
    (
        "signal_quarantine.html",
        include_str!("../templates/signal_quarantine.html"),
    ),
    (
        "signal_quarantined.html",
        include_str!("../templates/signal_quarantined.html"),
    ),
];

pub fn environment(i18n: Arc<I18n>) -> Result<Environment<'static>, String> {
    let mut env = Environment::new();
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .map_err(|e| format!("template {name}: {e}"))?;
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

/// A menu entry, shown when the policy allows its capability.
const NAV: &[(Capability, &str, &str)] = &[
    (Capability::Worklist, "/werk", "nav-worklist"),
    (Capability::Worklist, "/signalen", "nav-signals"),
    (Capability::TeamOverview, "/team", "nav-team"),
    (Capability::ManageUsers, "/beheer/gebruikers", "nav-users"),
    (
        Capability::SignalAdmin,
        "/beheer/signalen",
        "nav-signal-admin",
    ),
    (Capability::ManageUsers, "/beheer/hulp", "nav-help-routes"),
    (Capability::AuditLog, "/privacy/logboek", "nav-audit"),
    (Capability::SelfAssessment, "/zelfscan", "nav-selfscan"),
    (
        Capability::TeamRounds,
        "/zelfscan/rondes",
        "nav-selfscan-rounds",
    ),
    (
        Capability::InstrumentAdmin,
        "/beheer/zelfscan",
        "nav-selfscan-admin",
    ),
    (Capability::CheckText, "/schrijfhulp", "nav-schrijfhulp"),
    (Capability::ResidentPortal, "/mijn", "nav-portal"),
    (Capability::ResidentPortal, "/mijn/hulp", "nav-help"),
    (
        Capability::ResidentPortal,
        "/mijn/berichten",
        "nav-messages",
    ),
];

/// The menu entry of the page: the longest href the path is in.
fn current_href<'a>(path: &str, hrefs: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    hrefs
        .filter(|h| {
            path == *h
                || path
                    .strip_prefix(h)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
        .max_by_key(|h| h.len())
}

fn base_context(state: &AppState, v: &Visitor) -> Value {
    let actor = v.actor();
    let nav: Vec<Value> = match &actor {
        Some(a) => {
            let mine: Vec<_> = NAV
                .iter()
                .filter(|(cap, _, _)| policy::may(a, *cap))
                .collect();
            let current = current_href(&v.path, mine.iter().map(|(_, h, _)| *h));
            mine.iter()
                .map(|(_, href, label)| context! { href, label, current => current == Some(*href) })
                .collect()
        }
        None => vec![],
    };
    let who = match (&actor, &v.session) {
        (Some(Actor::Resident(_)), _) => context! { resident => true },
        (Some(Actor::Staff(s)), Some(sess)) => context! {
            resident => false,
            name => sess.display_name.clone(),
            org => sess.org_name.clone(),
            role => s.role.code(),
        },
        _ => Value::from(()),
    };
    // Seconds until the session ends without use: the page warns before.
    let session_left = v.session.as_ref().map(|s| s.expires_at - state.now());
    context! {
        lang => v.lang.code(),
        session_left,
        demo => state.config.demo,
        csrf => v.csrf.clone(),
        path => v.path.clone(),
        who,
        nav,
    }
}

/// Renders `template` with the shared context merged with `ctx`.
pub fn page(
    state: &AppState,
    v: &Visitor,
    template: &str,
    ctx: Value,
) -> Result<Response, AppError> {
    let html = render_html(state, v, template, ctx)?;
    Ok(Html(html).into_response())
}

pub fn render_html(
    state: &AppState,
    v: &Visitor,
    template: &str,
    ctx: Value,
) -> Result<String, AppError> {
    let base = base_context(state, v);
    let merged = context! { ..ctx, ..base };
    let tmpl = state
        .templates
        .get_template(template)
        .map_err(AppError::internal)?;
    tmpl.render(merged).map_err(AppError::internal)
}

/// Where each role starts after logging in.
pub fn start_path(actor: &Actor) -> &'static str {
    match actor {
        Actor::Staff(s) => match s.role {
            Role::Caseworker => "/werk",
            Role::TeamLead => "/team",
            Role::PrivacyOfficer => "/privacy/logboek",
            Role::Admin => "/beheer/gebruikers",
        },
        Actor::Resident(_) => "/mijn",
        Actor::System(_) => "/",
    }
}

/// A validation problem as the page shows it: the message, and the id of
/// the input it is about (for the link in the error summary).
pub fn problem_message(
    state: &AppState,
    lang: Lang,
    e: &wegwijs_domain::ValidationError,
    input_id: &str,
) -> Value {
    let field = state.i18n.t(lang, &format!("field-{}", e.field), &[]);
    let mut args: Vec<(&str, FluentValue)> = vec![("field", FluentValue::from(field))];
    if let Some(n) = e.problem.arg() {
        args.push(("n", FluentValue::from(n)));
    }
    if let wegwijs_domain::Problem::OutOfRange { min, max } = e.problem {
        args.push(("min", FluentValue::from(min)));
        args.push(("max", FluentValue::from(max)));
    }
    let message = state
        .i18n
        .t(lang, &format!("problem-{}", e.problem.code()), &args);
    context! { message, id => input_id }
}

#[cfg(test)]
mod tests {
    /// A template file that is not registered is a 500 at run time.
    #[test]
    fn every_template_file_is_registered() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            assert!(
                super::TEMPLATES.iter().any(|(n, _)| *n == name),
                "{name} is not in TEMPLATES"
            );
        }
    }
}
