//! Team rounds of the self-assessment: the team lead opens a round for
//! chosen colleagues and closes it; once closed with at least three
//! answers, the team sees means and spreads per cell — a heat map, and the
//! cells where it differs most on top as conversation starters — and
//! records action points it sees again next round. Never anyone's own
//! answers.

use super::own::{CellFigures, PrintQuery, advice, grid, score};
use crate::error::AppError;
use crate::render::{page, problem_message};
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Value;
use wegwijs_domain::policy::{Capability, may};
use wegwijs_domain::selfscan::{MIN_TEAM, NewAction, TeamCell, by_disagreement};
use wegwijs_store::StoreError;

type Pairs = Vec<(String, String)>;

fn field<'a>(pairs: &'a Pairs, name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

pub async fn rounds(State(state): State<AppState>, v: Visitor) -> Result<Response, AppError> {
    rounds_page(&state, &v, &Pairs::new(), vec![], StatusCode::OK).await
}

async fn rounds_page(
    state: &AppState,
    v: &Visitor,
    typed: &Pairs,
    errors: Vec<Value>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::TeamRounds)?;
    let rounds = state.store.selfscan_rounds(&actor).await?;
    let colleagues = state.store.selfscan_colleagues(&actor).await?;
    let chosen: Vec<&str> = typed
        .iter()
        .filter(|(k, _)| k == "leden")
        .map(|(_, v)| v.as_str())
        .collect();
    let ctx = context! {
        rounds, colleagues, chosen, team => field(typed, "team"),
        min => MIN_TEAM, form_errors => errors,
    };
    let mut r = page(state, v, "selfscan_rounds.html", ctx)?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn open(
    State(state): State<AppState>,
    v: Visitor,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::TeamRounds)?;
    let members: Result<Vec<i64>, _> = pairs
        .iter()
        .filter(|(k, _)| k == "leden")
        .map(|(_, v)| v.parse::<i64>())
        .collect();
    let Ok(members) = members else {
        return Err(AppError::BadRequest);
    };
    match state
        .store
        .open_selfscan_round(&actor, field(&pairs, "team"), &members, state.now())
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/zelfscan/ronde/{id}")).into_response()),
        Err(StoreError::Invalid(e)) => {
            let input = if e.field == "team" {
                "veld-team"
            } else {
                "veld-leden"
            };
            let errors = vec![problem_message(&state, v.lang, &e, input)];
            rounds_page(&state, &v, &pairs, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn round(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<PrintQuery>,
) -> Result<Response, AppError> {
    round_page(
        &state,
        &v,
        id,
        q.afdruk.is_some(),
        &Pairs::new(),
        vec![],
        StatusCode::OK,
    )
    .await
}

async fn round_page(
    state: &AppState,
    v: &Visitor,
    id: i64,
    print: bool,
    typed: &Pairs,
    errors: Vec<Value>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::SelfAssessment)?;
    let round = state.store.selfscan_round(&actor, id).await?;
    let result = state.store.selfscan_team_result(&actor, id).await?;
    let (actions, earlier) = state.store.selfscan_actions(&actor, id).await?;
    // A respondent of a small team sees no spread where it would give away
    // the others' answers (see `for_viewer`).
    let withheld = result
        .cells
        .iter()
        .flatten()
        .any(|c| c.mean_x100.is_some() && c.spread_x100.is_none());
    let (team_grid, session) = match &result.cells {
        Some(cells) => {
            let instrument = state
                .store
                .selfscan_instrument_version(&actor, round.version)
                .await?;
            let session: Vec<Value> = by_disagreement(cells)
                .iter()
                .filter(|c| c.spread_x100.is_some())
                .map(|c| {
                    let a = advice(&instrument, c.pillar, c.element, v.lang);
                    let figures = context! {
                        mean => score(c.mean_x100, v.lang), spread => score(c.spread_x100, v.lang), answered => c.answered,
                    };
                    context! { ..a, ..figures }
                })
                .collect();
            (Some(grid(&figures(cells), v.lang)), session)
        }
        None => (None, Vec::new()),
    };
    let ctx = context! {
        round, finished => result.finished, min => MIN_TEAM, withheld,
        grid => team_grid, session, actions, earlier,
        lead => may(&actor, Capability::TeamRounds),
        print, form_errors => errors,
        typed => context! { wat => field(typed, "wat"), wie => field(typed, "wie"), wanneer => field(typed, "wanneer") },
    };
    let mut r = page(state, v, "selfscan_round.html", ctx)?;
    *r.status_mut() = status;
    Ok(r)
}

fn figures(cells: &[TeamCell]) -> Vec<CellFigures> {
    cells
        .iter()
        .map(|c| CellFigures {
            pillar: c.pillar,
            element: c.element,
            mean_x100: c.mean_x100,
            spread_x100: c.spread_x100,
            answered: Some(c.answered),
            delta_x100: None,
        })
        .collect()
}

pub async fn close(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::TeamRounds)?;
    match state
        .store
        .close_selfscan_round(&actor, id, state.now())
        .await
    {
        // Closed twice (two tabs): it is closed.
        Ok(()) | Err(StoreError::NotFound) => {
            state.store.selfscan_round(&actor, id).await?;
            Ok(Redirect::to(&format!("/zelfscan/ronde/{id}")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn add_action(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::SelfAssessment)?;
    let checked = NewAction::validate(
        field(&pairs, "wat"),
        field(&pairs, "wie"),
        field(&pairs, "wanneer"),
    );
    let result = match &checked {
        Ok(action) => {
            state
                .store
                .add_selfscan_action(&actor, id, action, state.now())
                .await
        }
        Err(problems) => {
            // Only within a round this professional may see.
            state.store.selfscan_round(&actor, id).await?;
            Err(StoreError::Invalid(problems[0].clone()))
        }
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/zelfscan/ronde/{id}#actiepunten")).into_response()),
        Err(StoreError::Invalid(first)) => {
            let problems = checked.err().unwrap_or_else(|| vec![first]);
            let errors = problems
                .iter()
                .map(|e| problem_message(&state, v.lang, e, &format!("veld-{}", e.field)))
                .collect();
            round_page(
                &state,
                &v,
                id,
                false,
                &pairs,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn mark_action(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::SelfAssessment)?;
    let done = field(&pairs, "klaar") == "1";
    let round = state
        .store
        .mark_selfscan_action(&actor, id, done, state.now())
        .await?;
    // Back to the round the page showed (the next round lists the
    // points of the one before), if the professional may see it.
    let back = match field(&pairs, "ronde").parse::<i64>() {
        Ok(r) if state.store.selfscan_round(&actor, r).await.is_ok() => r,
        _ => round,
    };
    Ok(Redirect::to(&format!("/zelfscan/ronde/{back}#actiepunten")).into_response())
}

/// The team result as CSV: per cell mean, spread and how many answered
/// (empty below three), then the action points.
pub async fn round_csv(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::SelfAssessment)?;
    state.store.selfscan_round(&actor, id).await?;
    let result = state.store.selfscan_team_result(&actor, id).await?;
    let (actions, _) = state.store.selfscan_actions(&actor, id).await?;
    let t = |k: &str| state.i18n.t(v.lang, k, &[]);
    let header: Vec<String> = [
        "selfscan-col-pillar",
        "selfscan-col-element",
        "selfscan-col-mean",
        "selfscan-col-spread",
        "selfscan-col-answered",
    ]
    .iter()
    .map(|k| t(k))
    .collect();
    let mut rows: Vec<Vec<String>> = result
        .cells
        .iter()
        .flatten()
        .map(|c| {
            vec![
                t(&format!("selfscan-pillar-{}", c.pillar.code())),
                t(&format!("selfscan-element-{}", c.element.code())),
                score(c.mean_x100, v.lang).unwrap_or_default(),
                score(c.spread_x100, v.lang).unwrap_or_default(),
                // Below three, not even how many: that would show how many chose n.v.t.
                c.mean_x100
                    .map(|_| c.answered.to_string())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    // The action points as a table of their own, under their own header.
    if !actions.is_empty() {
        // The CSV stays a rectangle: five columns on every line.
        rows.push(vec![String::new(); 5]);
        rows.push(
            [
                "selfscan-action",
                "selfscan-action-who",
                "selfscan-action-when",
                "selfscan-col-state",
            ]
            .iter()
            .map(|k| t(k))
            .chain([String::new()])
            .collect(),
        );
    }
    for a in &actions {
        let state_word = if a.done_at.is_some() {
            t("selfscan-action-done")
        } else {
            String::new()
        };
        rows.push(vec![
            a.what.clone(),
            a.who.clone(),
            a.due.clone(),
            state_word,
            String::new(),
        ]);
    }
    crate::export::csv_attachment(&header, &rows, &format!("zelfscan-ronde-{id}"))
}
