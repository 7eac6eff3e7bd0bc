//! The one worklist: every kind of work of the caseworker's organisation,
//! filtered, sorted, searched and paged, with the actions that take, hand
//! on and finish it; for the team lead also many at once.

use crate::error::AppError;
use crate::render::{page, problem_message};
use crate::state::AppState;
use crate::views::explain;
use crate::visitor::Visitor;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::context;
use minijinja::value::Value;
use wegwijs_domain::Role;
use wegwijs_domain::policy::{self, Capability, WorkFacts};
use wegwijs_domain::work::{Sort, Stage, TypedFilter, Who};
use wegwijs_domain::{ValidationError, WorkKind};
use wegwijs_store::users::User;
use wegwijs_store::work::WorkLine;

#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(flatten)]
    pub typed: TypedFilter,
    /// Where the page starts (after the last line of the one before).
    pub na: Option<String>,
    /// What was just done, and to which line.
    pub gelukt: Option<String>,
    /// Numbers read by hand: a flattened query hands every value over as
    /// text.
    pub regel: Option<String>,
    /// Of how many lines asked (after giving many at once).
    pub van: Option<String>,
}

pub async fn worklist(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let what = ["opgepakt", "toegewezen", "status", "afgerond", "beantwoord"]
        .into_iter()
        .find(|w| q.gelukt.as_deref() == Some(*w));
    let given = (q.gelukt.as_deref() == Some("bulk")).then_some(());
    let number = |v: &Option<String>| v.as_deref().and_then(|n| n.parse::<usize>().ok());
    let (line, of) = (number(&q.regel), number(&q.van));
    let shown = Shown {
        notice: what.map(|w| (w, line.map(|l| l as i64))),
        bulk_given: given.and(line.zip(of)),
        ..Shown::default()
    };
    list_page(&state, &v, &q.typed, q.na.as_deref(), shown).await
}

/// What the page shows besides the list: a notice of what was done, or
/// the problems of an action at its line with what was typed.
#[derive(Default)]
pub struct Shown<'a> {
    /// What was done, and to which line (if one).
    pub notice: Option<(&'a str, Option<i64>)>,
    pub line: Option<i64>,
    pub errors: Vec<ValidationError>,
    /// A message that is not a field's problem (someone acted first).
    pub conflict: Option<Value>,
    pub typed: Vec<(String, String)>,
    pub bulk_given: Option<(usize, usize)>,
}

/// The query string that shows the same list again (filters only).
pub fn list_query(typed: &TypedFilter) -> String {
    let fields = [
        ("wie", &typed.wie),
        ("soort", &typed.soort),
        ("status", &typed.status),
        ("wijk", &typed.wijk),
        ("te_laat", &typed.te_laat),
        ("volgorde", &typed.volgorde),
        ("zoek", &typed.zoek),
    ];
    let given: Vec<(&str, &String)> = fields.into_iter().filter(|(_, v)| !v.is_empty()).collect();
    serde_urlencoded::to_string(given).unwrap_or_default()
}

pub async fn list_page(
    state: &AppState,
    v: &Visitor,
    typed: &TypedFilter,
    after: Option<&str>,
    shown: Shown<'_>,
) -> Result<Response, AppError> {
    let me = v.staff(Capability::Worklist)?;
    let actor = wegwijs_domain::Actor::Staff(me);
    let lead = me.role == Role::TeamLead;
    let my_teams = state.store.my_teams(me.user_id).await?;
    let default_who = if my_teams.is_empty() {
        Who::All
    } else {
        Who::MyTeamsOpen
    };
    let (filter, filter_errors) = typed.read(default_who);
    let today = state.today();
    // A search that could not be read finds nothing (rather than showing
    // everything under its error).
    let found = if filter_errors.iter().any(|e| e.field == "zoek") {
        wegwijs_store::work::WorkPage::default()
    } else {
        state
            .store
            .worklist(&actor, &filter, after, today, state.now())
            .await?
    };
    let teams = state.store.teams_of(me.org_id).await?;
    let colleagues: Vec<User> = state
        .store
        .users_of_org(me.org_id)
        .await?
        .into_iter()
        .filter(|u| u.active && matches!(u.role, Role::Caseworker | Role::TeamLead))
        .collect();
    let back = list_query(typed);
    let lines: Vec<Value> = found
        .lines
        .iter()
        .map(|l| {
            line_view(
                state,
                v,
                l,
                (&actor, &my_teams, today),
                &teams,
                &colleagues,
                &shown,
            )
        })
        .collect();
    let ticked: Vec<i64> = shown
        .typed
        .iter()
        .filter(|(k, _)| k == "werk")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let mut errors: Vec<Value> = filter_errors
        .iter()
        .map(|e| {
            let input = e.field.trim_end_matches("-werk");
            problem_message(state, v.lang, e, &format!("filter-{input}"))
        })
        .collect();
    if let Some(line) = shown.line {
        errors.extend(shown.errors.iter().map(|e| {
            // Line 0: the form that gives many lines at once.
            let anchor = match line {
                0 => format!("bulk-{}", e.field.trim_start_matches("bulk-")),
                _ => format!("veld-{}-{line}", e.field),
            };
            problem_message(state, v.lang, e, &anchor)
        }));
    }
    let next = found.next.as_ref().map(|n| {
        let more = serde_urlencoded::to_string([("na", n.as_str())]).unwrap_or_default();
        if back.is_empty() {
            more
        } else {
            format!("{back}&{more}")
        }
    });
    let who_options = who_options(&my_teams, &teams, &colleagues, lead);
    let status = if !errors.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else if shown.conflict.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    let mut r = page(
        state,
        v,
        "worklist.html",
        context! {
            total => found.lines.len(), lines, next, paged => after.is_some(), back,
            typed => Value::from_serialize(typed), who_now => filter.who.code(),
            who_options, kinds => WorkKind::ALL.iter().map(|k| k.code()).collect::<Vec<_>>(),
            stages => Stage::ALL.iter().map(|s| s.code()).collect::<Vec<_>>(),
            sorts => Sort::ALL.iter().map(|s| s.code()).collect::<Vec<_>>(),
            sort => filter.sort.code(), wijken => state.store.wijken().await?,
            form_errors => errors, invalid_filters => filter_errors.iter().map(|e| e.field.trim_end_matches("-werk")).collect::<Vec<_>>(),
            done_notice => shown.notice.map(|(what, line)| context! { what, line, here => line.is_some_and(|l| found.lines.iter().any(|x| x.work_id == l)) }),
            ticked,
            conflict => shown.conflict, lead,
            bulk_given => shown.bulk_given.map(|(given, asked)| context! { given, asked }),
            colleagues => colleagues.iter().map(|c| context! { id => c.id, name => c.display_name }).collect::<Vec<_>>(),
        },
    )?;
    *r.status_mut() = status;
    Ok(r)
}

/// The choices of "whose work": mine, my teams', each team, each
/// colleague (for the team lead), no team, all.
fn who_options(
    my_teams: &[i64],
    teams: &[wegwijs_store::work::Team],
    colleagues: &[User],
    lead: bool,
) -> Vec<Value> {
    let mut out = Vec::new();
    // `what` completes the key "work-who-…".
    let mut add = |who: Who, what: &str, name: &str| {
        out.push(context! { code => who.code(), what, name });
    };
    if !my_teams.is_empty() {
        add(Who::MyTeamsOpen, "team-open", "");
    }
    add(Who::Mine, "mine", "");
    if !my_teams.is_empty() {
        add(Who::MyTeams, "my-teams", "");
    }
    for t in teams {
        add(Who::Team(t.id), "team", &t.name);
    }
    if lead {
        for c in colleagues {
            add(Who::Person(c.id), "person", &c.display_name);
        }
    }
    add(Who::NoTeam, "no-team", "");
    add(Who::All, "all", "");
    out
}

/// Where a line's work is done: the case page, or the resident's page at
/// the request or appointment.
fn open_link(l: &WorkLine) -> String {
    let resident = l.resident.0;
    match (l.kind, l.subject) {
        (WorkKind::Signaal, Some(case)) => format!("/signalen/zaak/{case}"),
        (WorkKind::Hulpvraag, Some(q)) => format!("/werk/inwoner/{resident}#vraag-{q}"),
        (WorkKind::Afspraak | WorkKind::Voorbereiding, Some(_)) => {
            format!("/werk/inwoner/{resident}#afspraken-kop")
        }
        _ => format!("/werk/inwoner/{resident}"),
    }
}

fn line_view(
    state: &AppState,
    v: &Visitor,
    l: &WorkLine,
    (actor, my_teams, today): (&wegwijs_domain::Actor, &[i64], time::Date),
    teams: &[wegwijs_store::work::Team],
    colleagues: &[User],
    shown: &Shown<'_>,
) -> Value {
    let here = shown.line == Some(l.work_id);
    let typed = |key: &str| {
        shown
            .typed
            .iter()
            .find(|(k, _)| here && k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    // Colleagues this line can go to: the line's team's members.
    let team = l
        .team
        .as_ref()
        .and_then(|(id, _)| teams.iter().find(|t| t.id == *id));
    let to: Vec<Value> = colleagues
        .iter()
        .filter(|c| team.is_none_or(|t| t.members.iter().any(|(m, _)| *m == c.id)))
        .filter(|c| l.assignee.as_ref().is_none_or(|(a, _)| *a != c.id))
        .map(|c| context! { id => c.id, name => c.display_name })
        .collect();
    let (me, org) = match actor {
        wegwijs_domain::Actor::Staff(s) => (s.user_id, s.org_id),
        _ => (0, 0),
    };
    // Only the actions the policy allows are offered.
    let facts = WorkFacts {
        org,
        team: l.team.as_ref().map(|(id, _)| *id),
        assignee: l.assignee.as_ref().map(|(id, _)| *id),
    };
    let can_take = facts.assignee.is_none() && policy::may_take(actor, &facts, my_teams).is_ok();
    let can_work = policy::may_work_on(actor, &facts, my_teams).is_ok();
    context! {
        can_take, can_work, can_stage => can_work && facts.assignee.is_some(),
        id => l.work_id, version => l.version, kind => l.kind.code(), stage => l.stage.code(),
        name => l.name.formal(), resident => l.resident.0, wijk => l.wijk,
        team => l.team.as_ref().map(|(_, n)| n.clone()),
        assignee => l.assignee.as_ref().map(|(_, n)| n.clone()),
        mine => l.assignee.as_ref().is_some_and(|(a, _)| *a == me),
        due => wegwijs_domain::person::format_date(l.due_on),
        overdue => wegwijs_domain::work::overdue(l.due_on, today),
        priority => l.priority,
        why => (!l.reasons.is_empty()).then(|| explain(state, v.lang, &l.reasons)),
        open => open_link(l), to,
        outcomes => l.kind.outcomes().iter().map(|o| o.code()).collect::<Vec<_>>(),
        invalid => if here { shown.errors.iter().map(|e| e.field).collect::<Vec<_>>() } else { Vec::new() },
        conflict => here && shown.conflict.is_some(),
        typed_outcome => typed("uitkomst"), typed_reason => typed("reden"),
        open_actions => here,
    }
}
