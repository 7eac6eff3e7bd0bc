//! How the templates show the things several pages show: a resident, a
//! request, an appointment, a contact to rate, a sent preparation, the
//! fields that ask how to reach a resident. One function per thing, so
//! every page shows it the same way.

use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::templates::{clock_time, long_day};
use fluent_bundle::FluentValue;
use minijinja::context;
use minijinja::value::Value;
use wegwijs_domain::appointment::Mode;
use wegwijs_domain::consent::{ChosenBy, HouseholdChoices};
use wegwijs_domain::contact::ContactWays;
use wegwijs_domain::person::{age_on, format_date};
use wegwijs_domain::policy::{Hidden, Seen};
use wegwijs_domain::signal::Reason;
use wegwijs_domain::{Actor, Clock, ResidentId, ValidationError, Voorziening};
use wegwijs_store::appointments::AppointmentView;
use wegwijs_store::feedback::Contact;
use wegwijs_store::outbox::PortalMessage;
use wegwijs_store::preparations::PreparationView;
use wegwijs_store::requests::RequestView;

/// A resident's facts as the templates show them: only the field groups
/// the policy shows, and the others named with the reason.
pub fn resident_view(r: &Seen, clock: &dyn Clock) -> Value {
    let today = clock.today();
    let hidden: Vec<Value> = r
        .access
        .hidden
        .iter()
        .map(|(g, why)| {
            let topic = match why {
                Hidden::NotShared(t) => Some(t.code()),
                Hidden::NotNeeded => None,
            };
            context! { group => g.code(), topic }
        })
        .collect();
    context! {
        name => r.name().map(|n| n.formal()),
        bsn => r.bsn().map(|b| b.expose()),
        birth => r.birth().map(format_date),
        age => r.birth().map(|b| age_on(b, today)),
        street => r.address().map(|a| a.street_line()),
        postcode => r.address().map(|a| a.postcode.to_string()),
        town => r.address().map(|a| a.woonplaats.clone()),
        wijk => r.area().map(|(w, _)| w),
        buurt => r.area().map(|(_, b)| b),
        household_role => r.household_role().map(|h| h.code()),
        income => r.money().map(|(i, _)| i.to_string()),
        assets => r.money().map(|(_, a)| a.to_string()),
        benefits => r.benefits().map(|b| b.iter().map(|v: &Voorziening| v.code()).collect::<Vec<_>>()),
        hidden,
        sharing => r.sharing.iter().map(|t| t.code()).collect::<Vec<_>>(),
        choices => choices_view(&r.choices),
    }
}

/// The household's choices that hold, for the pages where staff act and
/// for the adults of the household.
pub fn choices_view(c: &HouseholdChoices) -> Value {
    let by = |b: &ChosenBy| context! { resident => b.resident.0, name => b.name.clone() };
    context! {
        not_approached => c.not_approached.iter().map(by).collect::<Vec<_>>(),
        paused_until => c.paused_until.as_ref().map(|(d, _)| format_date(*d)),
        paused_by => c.paused_until.as_ref().map(|(_, b)| by(b)),
        refused => c.refused_channels.iter().map(|t| t.code()).collect::<Vec<_>>(),
        channel_noes => c.channel_noes.iter().map(|(t, b)| context! { channel => t.code(), ..by(b) }).collect::<Vec<_>>(),
        any => !c.may_approach() || !c.refused_channels.is_empty(),
    }
}

/// A request as the templates show it.
/// A request as the templates show it, its topic in the reader's language
/// where the messages have it (a help topic, what a law gives); stored,
/// it is in Dutch for the team.
pub fn request_view(state: &AppState, lang: Lang, q: &RequestView) -> Value {
    let key = match q.kind {
        "hulpvraag" => format!("help-topic-{}", q.topic),
        _ => format!("lead-gives-{}", q.topic),
    };
    let topic_name = if state.i18n.has(lang, &key) {
        state.i18n.t(lang, &key, &[])
    } else {
        q.topic_name.clone()
    };
    let steps: Vec<Value> = q
        .steps
        .iter()
        .map(|s| context! { at => s.at, status => s.status, note => s.note })
        .collect();
    let note = q.steps.iter().rev().find(|s| !s.note.is_empty());
    context! {
        id => q.id,
        kind => q.kind,
        topic_name,
        own_words => q.own_words,
        callback_phone => q.reach.phone,
        callback_email => q.reach.email,
        org => q.org_name,
        team => q.team,
        phone => q.contact_phone,
        status => q.status,
        answer_by => q.answer_by,
        created_at => q.created_at,
        last_note => note.map(|s| s.note.clone()),
        steps,
    }
}

/// An appointment as the templates show it.
pub fn appointment_view(state: &AppState, lang: Lang, a: &AppointmentView) -> Value {
    let mode = Mode::from_code(a.mode).unwrap_or(Mode::Balie);
    context! {
        id => a.id,
        team => a.team,
        org => a.org_name,
        day => long_day(&state.i18n, lang, a.starts_at),
        time => clock_time(a.starts_at),
        minutes => a.minutes,
        mode => a.mode,
        how => how(state, lang, mode, &a.location, a.contact.as_deref()),
        bring => (mode == Mode::Balie).then_some(&a.bring),
        phone => a.phone,
        reminder => a.reminder,
        status => a.status,
        upcoming => a.status == "gepland" && a.starts_at > state.now(),
    }
}

/// Where or how, in one sentence, to the resident ("Wij bellen u op …").
pub fn how(
    state: &AppState,
    lang: Lang,
    mode: Mode,
    location: &str,
    contact: Option<&str>,
) -> String {
    let args = how_args(location, contact);
    state
        .i18n
        .t(lang, &format!("appointment-how-{}", mode.code()), &args)
}

/// The same for the caseworker ("U belt de inwoner op …").
pub fn how_for_staff(state: &AppState, lang: Lang, a: &AppointmentView) -> String {
    let mode = Mode::from_code(a.mode).unwrap_or(Mode::Balie);
    let args = how_args(&a.location, a.contact.as_deref());
    state.i18n.t(
        lang,
        &format!("staff-appointment-how-{}", mode.code()),
        &args,
    )
}

fn how_args<'a>(
    location: &'a str,
    contact: Option<&'a str>,
) -> [(&'static str, FluentValue<'a>); 2] {
    [
        ("location", FluentValue::from(location)),
        ("contact", FluentValue::from(contact.unwrap_or_default())),
    ]
}

/// A message in the resident's portal, with a link to what it is about
/// (their request, their appointment) where it is about one.
pub fn message_view(m: &PortalMessage) -> Value {
    let link = match m.about.split_once(':') {
        Some((kind @ "hulpvraag", id)) => Some((kind, format!("/mijn/vraag/{id}"))),
        Some((kind @ "afspraak", id)) => Some((kind, format!("/mijn/afspraak/{id}"))),
        _ => None,
    };
    context! {
        subject => m.subject, at => m.at, from => m.from, body => m.body,
        link_kind => link.as_ref().map(|l| l.0),
        // Made here from a kind and a number: safe as it is.
        link => link.map(|l| Value::from_safe_string(l.1)),
    }
}

/// A contact as the pages show it.
pub fn contact_view(c: &Contact) -> Value {
    let (kind, id) = c.about.split_once(':').unwrap_or_default();
    context! {
        kind, id, org => c.org_name, team => c.team, topic => c.topic, at => c.at,
    }
}

/// The sent preparation as the caseworker's page shows it.
pub fn preparation_view(view: &PreparationView) -> Value {
    let a = &view.answers;
    context! {
        onderwerp => a.onderwerp, zorgen => a.zorgen, brieven => a.brieven,
        lastig => a.lastig, lastig_anders => a.lastig_anders, mee => a.mee,
        uploads => view.uploads.iter().map(Value::from_serialize).collect::<Vec<_>>(),
        empty => a.is_empty(),
        remote => view.mode != Mode::Balie,
    }
}

/// "Hoe kunnen wij u bereiken?": the two fields of a form that asks it
/// (`contact_fields()` in macros.html), filled from what the resident gave
/// last time.
#[derive(Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct ContactFields {
    #[serde(default)]
    pub telefoon: String,
    #[serde(default)]
    pub email: String,
}

impl ContactFields {
    pub async fn known(state: &AppState, me: ResidentId) -> Result<ContactFields, AppError> {
        let known = state
            .store
            .known_contact_ways(&Actor::Resident(me), me, state.now())
            .await?;
        Ok(ContactFields {
            telefoon: known.phone.unwrap_or_default(),
            email: known.email.unwrap_or_default(),
        })
    }

    pub fn validate(&self) -> Result<ContactWays, Vec<ValidationError>> {
        ContactWays::validate(&self.telefoon, &self.email)
    }
}

/// "3 schuldeisers tegelijk, huurachterstand 4 maanden, eerder signaal in maart".
pub fn explain(state: &AppState, lang: Lang, reasons: &[Reason]) -> String {
    let partner = |p: &str| state.i18n.t(lang, &format!("partner-{p}"), &[]);
    reasons
        .iter()
        .map(|r| match r {
            Reason::Crisis { partner: p } => {
                state
                    .i18n
                    .t(lang, "reason-crisis", &[("partner", partner(p).into())])
            }
            Reason::WarmHandover { partner: p } => state.i18n.t(
                lang,
                "reason-warm-handover",
                &[("partner", partner(p).into())],
            ),
            Reason::Creditors { count } => state.i18n.t(
                lang,
                "reason-creditors",
                &[("count", FluentValue::from(i64::from(*count)))],
            ),
            Reason::LongArrears { partner: p, months } => state.i18n.t(
                lang,
                &format!("reason-arrears-{p}"),
                &[
                    ("partner", partner(p).into()),
                    ("months", FluentValue::from(i64::from(*months))),
                ],
            ),
            Reason::EarlierSignal {
                partner: p, month, ..
            } => state.i18n.t(
                lang,
                "reason-earlier",
                &[
                    ("partner", partner(p).into()),
                    (
                        "month",
                        state.i18n.t(lang, &format!("month-{month}"), &[]).into(),
                    ),
                ],
            ),
            Reason::Rising { partner: p } => {
                state
                    .i18n
                    .t(lang, "reason-rising", &[("partner", partner(p).into())])
            }
            Reason::Total { cents } => state.i18n.t(
                lang,
                "reason-total",
                &[(
                    "amount",
                    wegwijs_domain::Money::from_cents(*cents).to_string().into(),
                )],
            ),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// How a resident would like to be reached, for staff.
pub fn reach_view(d: &wegwijs_domain::contact::ContactDetails) -> Value {
    context! {
        phone => d.ways.phone, email => d.ways.email,
        preferred => d.preferred.code(), avoid => d.avoid,
    }
}
