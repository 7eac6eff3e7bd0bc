//! Afspraak: the resident picks a subject and a way, then a free time of
//! that team, sees what to expect and what to bring, and may ask for a
//! reminder a day before. Moving or cancelling is one step, never a
//! penalty. The demo's mailbox shows the reminders that were "sent".

use crate::error::AppError;
use crate::i18n::Lang;
use crate::render::{page, problem_message};
use crate::routes::Routes;
use crate::state::AppState;
use crate::templates::{clock_time, long_day};
use crate::views::appointment_view;
use crate::visitor::Visitor;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fluent_bundle::FluentValue;
use minijinja::context;
use minijinja::value::Value;
use wegwijs_domain::appointment::{Hours, Mode};
use wegwijs_domain::help::HelpTopic;
use wegwijs_domain::policy::Capability;
use wegwijs_domain::{Actor, Problem, ResidentId, ValidationError, contact};
use wegwijs_store::StoreError;
use wegwijs_store::appointments::{AppointmentView, Booking, Notes};
use wegwijs_store::outbox::Message;
use wegwijs_store::requests::RouteRow;

pub fn routes() -> Routes {
    Routes::new()
        .page("/mijn/afspraak", Capability::ResidentPortal, start)
        .post("/mijn/afspraak", book)
        .once()
        .get("/mijn/afspraak/{id}", show)
        .get("/mijn/afspraak/{id}/verzetten", move_page)
        .post("/mijn/afspraak/{id}/verzetten", move_to)
        .once()
        .get("/mijn/afspraak/{id}/afzeggen", cancel_page)
        .post("/mijn/afspraak/{id}/afzeggen", cancel)
        .once()
        .get("/mijn/post", demo_mail)
}

/// The form, on the first page (GET) and the booking (POST) alike.
#[derive(Default, Clone, serde::Deserialize, serde::Serialize)]
pub struct BookingForm {
    #[serde(default)]
    onderwerp: String,
    #[serde(default)]
    vorm: String,
    #[serde(default)]
    tijd: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    herinnering: String,
    #[serde(default)]
    adres: String,
    /// Set by the first step's form: it was sent, even with nothing chosen.
    #[serde(default)]
    stap: String,
}

/// A team that takes appointments: its route and its hours.
struct Team {
    route: RouteRow,
    hours: Hours,
}

async fn teams(state: &AppState) -> Result<Vec<Team>, AppError> {
    let routes = state.store.help_routes().await?;
    let hours = state.store.appointment_hours().await?;
    Ok(HelpTopic::ALL
        .iter()
        .filter_map(|t| {
            let route = routes.iter().find(|r| r.route.topic == *t)?;
            let hours = hours.iter().find(|h| h.topic == *t)?;
            Some(Team {
                route: route.clone(),
                hours: hours.clone(),
            })
        })
        .collect())
}

pub async fn start(
    State(state): State<AppState>,
    v: Visitor,
    Query(form): Query<BookingForm>,
) -> Result<Response, AppError> {
    v.resident()?;
    booking_page(&state, &v, &form, None, vec![], StatusCode::OK).await
}

/// The page in its two steps: subject and way; then (both chosen, and
/// valid) the team's free times, what to expect and the reminder.
async fn booking_page(
    state: &AppState,
    v: &Visitor,
    form: &BookingForm,
    moving: Option<&AppointmentView>,
    errors: Vec<Value>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let teams = teams(state).await?;
    let topic = HelpTopic::from_code(&form.onderwerp).ok();
    let team = topic.and_then(|t| teams.iter().find(|x| x.hours.topic == t));
    let mode = Mode::from_code(&form.vorm)
        .ok()
        .filter(|m| team.is_some_and(|t| t.hours.modes.contains(m)));
    let chosen = match (team, mode) {
        (Some(team), Some(mode)) => Some(team_view(state, v.lang, team, mode, moving).await?),
        _ => None,
    };
    // A subject or way that does not fit (e.g. video where the team has
    // none) is said on the first step.
    let mut errors = errors;
    let sent = !form.stap.is_empty() || !form.onderwerp.is_empty() || !form.vorm.is_empty();
    if chosen.is_none() && sent && errors.is_empty() {
        let mut wrong = Vec::new();
        if team.is_none() {
            let problem = if form.onderwerp.is_empty() {
                Problem::NotChosen
            } else {
                Problem::UnknownCode
            };
            wrong.push((
                ValidationError::new("afspraak-onderwerp", problem),
                "veld-onderwerp",
            ));
        }
        if form.vorm.is_empty() {
            wrong.push((
                ValidationError::new("vorm", Problem::NotChosen),
                "veld-vorm",
            ));
        } else if team.is_some() {
            wrong.push((
                ValidationError::new("vorm", Problem::UnknownCode),
                "veld-vorm",
            ));
        }
        for (e, id) in wrong {
            errors.push(problem_message(state, v.lang, &e, id));
        }
    }
    let subjects: Vec<Value> = teams
        .iter()
        .map(|t| {
            let modes: Vec<&str> = t.hours.modes.iter().map(|m| m.code()).collect();
            context! { code => t.hours.topic.code(), team => t.route.route.team, modes }
        })
        .collect();
    let ctx = context! {
        subjects,
        modes => Mode::ALL.iter().map(|m| m.code()).collect::<Vec<_>>(),
        form,
        chosen,
        moving => moving.map(|a| appointment_view(state, v.lang, a)),
        // No e-mail or SMS channel is connected yet; the demo has its mailbox.
        reminders => state.config.demo,
        form_errors => errors,
    };
    let status = if chosen.is_none() && status == StatusCode::OK && sent {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        status
    };
    let mut r = page(state, v, "appointment_book.html", ctx)?;
    *r.status_mut() = status;
    Ok(r)
}

/// The chosen team: who you meet, for how long, where or how, what to
/// bring, and its free times by day.
async fn team_view(
    state: &AppState,
    lang: Lang,
    team: &Team,
    mode: Mode,
    moving: Option<&AppointmentView>,
) -> Result<Value, AppError> {
    let now = state.clock.now();
    let mut taken = state
        .store
        .taken_times(team.hours.topic, now.unix_timestamp())
        .await?;
    // The resident's own time is free to move to (it stays theirs).
    if let Some(a) = moving {
        taken.retain(|(t, _)| *t != a.starts_at);
    }
    let mut days: Vec<Value> = Vec::new();
    let mut current: Option<(String, Vec<Value>)> = None;
    for at in team.hours.free_slots(now, &taken) {
        let day = long_day(&state.i18n, lang, at);
        if current.as_ref().is_some_and(|(d, _)| *d != day) {
            let (d, times) = current.take().unwrap_or_default();
            days.push(context! { day => d, times });
        }
        let entry = current.get_or_insert_with(|| (day, Vec::new()));
        entry
            .1
            .push(context! { at => at.to_string(), time => clock_time(at) });
    }
    if let Some((day, times)) = current {
        days.push(context! { day, times });
    }
    Ok(context! {
        topic => team.hours.topic.code(),
        mode => mode.code(),
        team => team.route.route.team,
        org => team.route.org_name,
        minutes => team.hours.slot_minutes,
        location => team.hours.location,
        // What to bring is for the desk; a call or video needs papers at hand.
        bring => (mode == Mode::Balie).then_some(&team.hours.bring),
        days,
    })
}

/// What the form asks, checked; every problem with the id of its field.
struct Checked {
    booking: Booking,
}

/// `with_reminder`: a move keeps the reminder chosen when booking.
fn check(
    form: &BookingForm,
    (state, lang): (&AppState, Lang),
    with_reminder: bool,
) -> Result<Checked, Vec<Value>> {
    let mut errors = Vec::new();
    let mut err = |e: ValidationError, id: &str| errors.push(problem_message(state, lang, &e, id));
    let topic = HelpTopic::from_code(&form.onderwerp)
        .map_err(|e| err(e, "veld-onderwerp"))
        .ok();
    let mode = Mode::from_code(&form.vorm)
        .map_err(|e| err(e, "veld-vorm"))
        .ok();
    let starts_at = match form.tijd.trim().parse::<i64>() {
        Ok(t) => Some(t),
        Err(_) => {
            err(
                ValidationError::new("tijd", Problem::NotChosen),
                "veld-tijd",
            );
            None
        }
    };
    let contact = match mode {
        Some(Mode::Telefoon) => contact::phone("uw-telefoon", &form.contact)
            .map(Some)
            .map_err(|e| err(e, "veld-contact")),
        Some(Mode::Video) => contact::email("uw-email", &form.contact)
            .map(Some)
            .map_err(|e| err(e, "veld-contact")),
        _ => Ok(None),
    }
    .ok()
    .flatten();
    let reminder = match form.herinnering.as_str() {
        _ if !with_reminder || !state.config.demo => Some(None),
        "" | "geen" => Some(None),
        "email" => contact::email("herinnering-email", &form.adres)
            .map(|a| Some(("email", a)))
            .map_err(|e| err(e, "veld-adres"))
            .ok(),
        "sms" => contact::phone("herinnering-sms", &form.adres)
            .map(|a| Some(("sms", a)))
            .map_err(|e| err(e, "veld-adres"))
            .ok(),
        _ => {
            err(
                ValidationError::new("herinnering", Problem::UnknownCode),
                "veld-herinnering-geen",
            );
            None
        }
    };
    match (topic, mode, starts_at, reminder) {
        (Some(topic), Some(mode), Some(starts_at), Some(reminder)) if errors.is_empty() => {
            let needs_contact = matches!(mode, Mode::Telefoon | Mode::Video);
            if needs_contact && contact.is_none() {
                return Err(errors);
            }
            Ok(Checked {
                booking: Booking {
                    topic,
                    starts_at,
                    mode,
                    contact,
                    reminder,
                },
            })
        }
        _ => Err(errors),
    }
}

pub async fn book(
    State(state): State<AppState>,
    v: Visitor,
    Form(form): Form<BookingForm>,
) -> Result<Response, AppError> {
    let me = v.resident()?;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let checked = match check(&form, (&state, v.lang), true) {
        Ok(c) => c,
        Err(errors) => return booking_page(&state, &v, &form, None, errors, unprocessable).await,
    };
    let b = &checked.booking;
    let Some(team) = offering_team(&state, b).await? else {
        let errors = vec![time_taken(&state, v.lang)];
        return booking_page(&state, &v, &form, None, errors, unprocessable).await;
    };
    let team = &team;
    let (confirmation, reminder) = messages(&state, v.lang, team, b);
    let notes = Notes {
        confirmation: &confirmation,
        reminder: Some(&reminder),
    };
    let actor = Actor::Resident(me);
    let booked = state
        .store
        .book_appointment(
            &actor,
            me,
            (b, &team.route.route, &team.hours),
            notes,
            state.now(),
        )
        .await;
    match booked {
        Ok(id) => Ok(Redirect::to(&format!("/mijn/afspraak/{id}?gelukt=gemaakt")).into_response()),
        Err(StoreError::Duplicate(what)) => {
            let errors = vec![if what == "afspraak" {
                let n = wegwijs_domain::appointment::MAX_PLANNED;
                let message = state
                    .i18n
                    .t(v.lang, "appointment-too-many", &[("n", n.into())]);
                context! { message, id => "veld-onderwerp" }
            } else {
                time_taken(&state, v.lang)
            }];
            booking_page(&state, &v, &form, None, errors, unprocessable).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The team of the booking's subject, when it offers that way and that
/// time (still); `None`: the time is taken or no longer offered.
async fn offering_team(state: &AppState, b: &Booking) -> Result<Option<Team>, AppError> {
    let now = state.clock.now();
    Ok(teams(state).await?.into_iter().find(|t| {
        t.hours.topic == b.topic
            && t.hours.modes.contains(&b.mode)
            && t.hours.offers(now, b.starts_at)
    }))
}

fn time_taken(state: &AppState, lang: Lang) -> Value {
    context! { message => state.i18n.t(lang, "appointment-time-taken", &[]), id => "veld-tijd" }
}

/// The confirmation in the portal and the reminder's text.
fn messages(state: &AppState, lang: Lang, team: &Team, b: &Booking) -> (Message, Message) {
    let how = crate::views::how(
        state,
        lang,
        b.mode,
        &team.hours.location,
        b.contact.as_deref(),
    );
    let args = [
        ("team", FluentValue::from(team.route.route.team.as_str())),
        ("org", FluentValue::from(team.route.org_name.as_str())),
        (
            "day",
            FluentValue::from(long_day(&state.i18n, lang, b.starts_at)),
        ),
        ("time", FluentValue::from(clock_time(b.starts_at))),
        ("how", FluentValue::from(how)),
        ("bring", FluentValue::from(team.hours.bring.as_str())),
    ];
    let t = |key: &str| state.i18n.t(lang, key, &args);
    (
        Message {
            subject: t("msg-appointment-subject"),
            body: t("msg-appointment-body"),
        },
        Message {
            subject: t("msg-reminder-subject"),
            body: t("msg-reminder-body"),
        },
    )
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct Saved {
    gelukt: Option<String>,
}

async fn own(state: &AppState, me: ResidentId, id: i64) -> Result<AppointmentView, AppError> {
    let all = state
        .store
        .own_appointments(&Actor::Resident(me), me, state.now())
        .await?;
    all.into_iter()
        .find(|a| a.id == id)
        .ok_or(AppError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<Saved>,
) -> Result<Response, AppError> {
    let me = v.resident()?;
    let a = own(&state, me, id).await?;
    let notice = match q.gelukt.as_deref() {
        Some("gemaakt") => Some("appointment-made"),
        Some("verzet") => Some("appointment-moved"),
        Some("afgezegd") => Some("appointment-cancelled"),
        Some("voorbereid") => Some("prep-sent"),
        _ => None,
    };
    let ctx = context! { a => appointment_view(&state, v.lang, &a), notice };
    page(&state, &v, "appointment.html", ctx)
}

pub async fn move_page(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Query(form): Query<BookingForm>,
) -> Result<Response, AppError> {
    let me = v.resident()?;
    let a = own(&state, me, id).await?;
    if a.status != "gepland" {
        return Err(AppError::NotFound);
    }
    let form = with_appointment(form, &a);
    booking_page(&state, &v, &form, Some(&a), vec![], StatusCode::OK).await
}

/// The appointment's subject, and its way unless another was chosen.
fn with_appointment(mut form: BookingForm, a: &AppointmentView) -> BookingForm {
    form.onderwerp = a.topic.clone();
    if form.vorm.is_empty() {
        form.vorm = a.mode.to_string();
        form.contact = a.contact.clone().unwrap_or_default();
    }
    form
}

pub async fn move_to(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Form(form): Form<BookingForm>,
) -> Result<Response, AppError> {
    let me = v.resident()?;
    let a = own(&state, me, id).await?;
    let form = with_appointment(form, &a);
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let b = match check(&form, (&state, v.lang), false) {
        Ok(c) => c.booking,
        Err(errors) => {
            return booking_page(&state, &v, &form, Some(&a), errors, unprocessable).await;
        }
    };
    let Some(team) = offering_team(&state, &b).await? else {
        let errors = vec![time_taken(&state, v.lang)];
        return booking_page(&state, &v, &form, Some(&a), errors, unprocessable).await;
    };
    let team = &team;
    let (mut confirmation, reminder) = messages(&state, v.lang, team, &b);
    confirmation.subject = state.i18n.t(v.lang, "msg-appointment-moved-subject", &[]);
    let notes = Notes {
        confirmation: &confirmation,
        reminder: Some(&reminder),
    };
    let moved = state
        .store
        .move_appointment(
            &Actor::Resident(me),
            me,
            (id, b.starts_at, b.mode, b.contact.clone()),
            notes,
            state.now(),
        )
        .await;
    match moved {
        Ok(()) => Ok(Redirect::to(&format!("/mijn/afspraak/{id}?gelukt=verzet")).into_response()),
        Err(StoreError::Duplicate(_)) => {
            let errors = vec![time_taken(&state, v.lang)];
            booking_page(&state, &v, &form, Some(&a), errors, unprocessable).await
        }
        Err(e) => Err(e.into()),
    }
}

/// "Afspraak afzeggen?": one more step before cancelling, so that one tap
/// cannot cancel (it works without JavaScript).
pub async fn cancel_page(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let me = v.resident()?;
    let a = own(&state, me, id).await?;
    let view = appointment_view(&state, v.lang, &a);
    if view.get_attr("upcoming").is_ok_and(|u| !u.is_true()) {
        return Ok(Redirect::to(&format!("/mijn/afspraak/{id}")).into_response());
    }
    page(
        &state,
        &v,
        "appointment_cancel.html",
        context! { a => view },
    )
}

/// Cancelling, after the confirmation page: no questions, no penalty.
pub async fn cancel(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let me = v.resident()?;
    let a = own(&state, me, id).await?;
    let args = [
        (
            "day",
            FluentValue::from(long_day(&state.i18n, v.lang, a.starts_at)),
        ),
        ("time", FluentValue::from(clock_time(a.starts_at))),
        ("team", FluentValue::from(a.team.as_str())),
    ];
    let message = Message {
        subject: state.i18n.t(v.lang, "msg-cancelled-subject", &[]),
        body: state.i18n.t(v.lang, "msg-cancelled-body", &args),
    };
    state
        .store
        .cancel_appointment(&Actor::Resident(me), me, id, &message, state.now())
        .await?;
    Ok(Redirect::to(&format!("/mijn/afspraak/{id}?gelukt=afgezegd")).into_response())
}

/// The demo's mailbox: the e-mail and text messages Wegwijs "sent" the
/// resident. Only in demo mode: no channel is connected in production.
pub async fn demo_mail(State(state): State<AppState>, v: Visitor) -> Result<Response, AppError> {
    let me = v.resident()?;
    if !state.config.demo {
        return Err(AppError::NotFound);
    }
    let mail = state
        .store
        .own_mail(&Actor::Resident(me), me, state.now())
        .await?;
    let mail: Vec<Value> = mail
        .iter()
        .map(|m| {
            context! {
                channel => m.channel, address => m.address, subject => m.subject, body => m.body,
                due_at => m.due_at, sent_at => m.sent_at, status => m.status,
            }
        })
        .collect();
    page(&state, &v, "demo_mail.html", context! { mail })
}
