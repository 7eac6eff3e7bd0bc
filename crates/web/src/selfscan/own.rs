//! Drempels slechten for the professional: the self-assessment in four
//! parts (progress kept, stop and continue), then one's own result — a
//! heat map and a bar chart per pillar with the same numbers in tables,
//! the lowest cells with their tips, and the change since last time —
//! printable and as CSV. Only the professional sees their answers.

use crate::error::AppError;
use crate::i18n::Lang;
use crate::render::{page, problem_message};
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use minijinja::value::Value;
use std::collections::HashMap;
use wegwijs_domain::policy::Capability;
use wegwijs_domain::selfscan::{
    Answer, Answers, CellScore, Element, Instrument, Part, Pillar, Text, cell_scores, changes,
    lowest,
};
use wegwijs_domain::{Actor, ValidationError};
use wegwijs_store::StoreError;
use wegwijs_store::selfscan::{Run, RunSummary};

type Fields = HashMap<String, String>;

/// The choices for every statement: the scale, then "weet ik niet / n.v.t.".
const CHOICES: [&str; 6] = ["1", "2", "3", "4", "5", "nvt"];
/// How many of the lowest cells the result shows with their tips.
const LOWEST_SHOWN: usize = 3;

pub(crate) fn text(t: &Text, lang: Lang) -> &str {
    match lang {
        Lang::Nl => &t.nl,
        Lang::En => &t.en,
    }
}

/// "3,4" (or "3.4"): a mean × 100 to one decimal, rounded half up.
pub(crate) fn score(x100: Option<i64>, lang: Lang) -> Option<String> {
    let tenths = (x100? + 5) / 10;
    let sep = if lang == Lang::Nl { ',' } else { '.' };
    Some(format!("{}{sep}{}", tenths / 10, tenths % 10))
}

/// The colour band of a score in the heat map (0: no score). The number
/// is always printed too: colour is never the only carrier.
fn heat(x100: Option<i64>) -> u8 {
    match x100 {
        None => 0,
        Some(v) if v < 180 => 1,
        Some(v) if v < 260 => 2,
        Some(v) if v < 340 => 3,
        Some(v) if v < 420 => 4,
        Some(_) => 5,
    }
}

/// One cell as the charts and tables show it.
pub(crate) struct CellFigures {
    pub pillar: Pillar,
    pub element: Element,
    pub mean_x100: Option<i64>,
    pub spread_x100: Option<i64>,
    pub answered: Option<usize>,
    pub delta_x100: Option<i64>,
}

/// The figures per pillar (rows of the tables, bar charts) for the
/// heat map and bar chart macros.
pub(crate) fn grid(cells: &[CellFigures], lang: Lang) -> Value {
    let pillars: Vec<Value> = Pillar::ALL
        .iter()
        .enumerate()
        .map(|(col, p)| {
            let row: Vec<Value> = cells
                .iter()
                .filter(|c| c.pillar == *p)
                .enumerate()
                .map(|(i, c)| {
                    context! {
                        element => c.element.code(),
                        row => i,
                        score => score(c.mean_x100, lang),
                        // Bar length out of 180 for the 1–5 scale.
                        bar => c.mean_x100.map(|v| v * 180 / 500),
                        heat => heat(c.mean_x100),
                        spread => score(c.spread_x100, lang),
                        answered => c.answered,
                        delta => c.delta_x100.map(|d| signed(d, lang)),
                    }
                })
                .collect();
            context! { pillar => p.code(), col, cells => row }
        })
        .collect();
    let elements: Vec<&str> = Element::ALL.iter().map(|e| e.code()).collect();
    context! { pillars, elements }
}

fn signed(d: i64, lang: Lang) -> String {
    let s = score(Some(d.abs()), lang).unwrap_or_default();
    match d {
        0 => s,
        d if d > 0 => format!("+{s}"),
        _ => format!("−{s}"),
    }
}

/// A cell's why and tips, for the lowest cells and the team session.
pub(crate) fn advice(
    instrument: &Instrument,
    pillar: Pillar,
    element: Element,
    lang: Lang,
) -> Value {
    let cell = instrument.cell(pillar, element);
    context! {
        pillar => pillar.code(),
        element => element.code(),
        why => cell.map(|c| text(&c.why, lang).to_string()),
        tips => cell.map(|c| c.tips.iter().map(|t| text(t, lang).to_string()).collect::<Vec<_>>()),
    }
}

#[derive(serde::Deserialize)]
pub struct OverviewQuery {
    #[serde(default)]
    bewaard: Option<String>,
    #[serde(default)]
    gesloten: Option<String>,
}

pub async fn overview(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<OverviewQuery>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::SelfAssessment)?;
    let notice = match (q.bewaard, q.gesloten) {
        (Some(_), _) => Some("selfscan-saved-notice"),
        (_, Some(_)) => Some("selfscan-closed-notice"),
        _ => None,
    };
    let instrument = state.store.selfscan_instrument(&actor).await?;
    let runs = state.store.own_selfscan_runs(&actor).await?;
    let rounds = state.store.selfscan_rounds(&actor).await?;
    let draft = runs
        .iter()
        .find(|r| r.finished_at.is_none() && r.round_id.is_none());
    let finished: Vec<&RunSummary> = runs.iter().filter(|r| r.finished_at.is_some()).collect();
    let asked: Vec<_> = rounds
        .iter()
        .filter(|r| r.member && r.closed_at.is_none() && !r.my_run_finished)
        .collect();
    let lead = wegwijs_domain::policy::may(&actor, Capability::TeamRounds);
    let ctx = context! {
        title => text(&instrument.title, v.lang),
        description => text(&instrument.description, v.lang),
        statements => instrument.codes().count(),
        draft, finished, asked, rounds, lead, notice,
        keep_days => wegwijs_domain::selfscan::DRAFT_KEEP_DAYS,
    };
    page(&state, &v, "selfscan.html", ctx)
}

#[derive(serde::Deserialize)]
pub struct StartForm {
    #[serde(default)]
    ronde: Option<i64>,
}

/// Starts (or finds) the draft and goes to its first part with open statements.
pub async fn start(
    State(state): State<AppState>,
    v: Visitor,
    Form(form): Form<StartForm>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::SelfAssessment)?;
    let id = match state
        .store
        .start_selfscan(&actor, form.ronde, state.now())
        .await
    {
        Ok(id) => id,
        // A round closed meanwhile: back to the overview, which shows it.
        Err(StoreError::Invalid(_)) => {
            return Ok(Redirect::to("/zelfscan?gesloten=1").into_response());
        }
        Err(e) => return Err(e.into()),
    };
    let run = state.store.selfscan_run(&actor, id).await?;
    if run.finished_at.is_some() {
        return Ok(to_result(id));
    }
    let instrument = state
        .store
        .selfscan_instrument_version(&actor, run.version)
        .await?;
    let to = match instrument.first_open(&run.answers) {
        Some(part) => format!("/zelfscan/invullen/{id}/{}", part.code()),
        None => format!("/zelfscan/controle/{id}"),
    };
    Ok(Redirect::to(&to).into_response())
}

/// Where a finished run's pages lead.
fn to_result(id: i64) -> Response {
    Redirect::to(&format!("/zelfscan/uitslag/{id}")).into_response()
}

/// One of the professional's own runs with the version it was given on.
async fn run_with_instrument(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(Run, Instrument), AppError> {
    let run = state.store.selfscan_run(actor, id).await?;
    let instrument = state
        .store
        .selfscan_instrument_version(actor, run.version)
        .await?;
    Ok((run, instrument))
}

pub async fn part_form(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, part)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::SelfAssessment)?;
    let part = Part::from_code(&part).ok_or(AppError::NotFound)?;
    let (run, instrument) = run_with_instrument(&state, &actor, id).await?;
    if run.finished_at.is_some() {
        return Ok(to_result(id));
    }
    let typed: Fields = run
        .answers
        .iter()
        .map(|(c, a)| (format!("a-{c}"), a.code()))
        .collect();
    part_page(
        &state,
        &v,
        (&run, &instrument),
        part,
        &typed,
        vec![],
        StatusCode::OK,
    )
}

fn part_page(
    state: &AppState,
    v: &Visitor,
    (run, instrument): (&Run, &Instrument),
    part: Part,
    typed: &Fields,
    errors: Vec<Value>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let mut groups: Vec<Value> = Vec::new();
    let mut current: Option<Option<Element>> = None;
    let mut items: Vec<Value> = Vec::new();
    let flush = |groups: &mut Vec<Value>, element: Option<Element>, items: &mut Vec<Value>| {
        if !items.is_empty() {
            groups.push(
                context! { element => element.map(|e| e.code()), items => std::mem::take(items) },
            );
        }
    };
    for (element, item) in instrument.items_of(part) {
        if current.is_some_and(|c| c != element) {
            flush(&mut groups, current.flatten(), &mut items);
        }
        current = Some(element);
        let chosen = typed
            .get(&format!("a-{}", item.code))
            .cloned()
            .unwrap_or_default();
        items.push(context! { code => item.code, text => text(&item.text, v.lang), chosen });
    }
    flush(&mut groups, current.flatten(), &mut items);
    let index = Part::ALL.iter().position(|p| *p == part).unwrap_or(0);
    let ctx = context! {
        id => run.id, version => run.version, part => part.code(),
        number => index + 1, total => Part::ALL.len(),
        previous => index.checked_sub(1).map(|i| Part::ALL[i].code()),
        groups, choices => CHOICES, form_errors => errors,
        round => run.round_id,
    };
    let mut r = page(state, v, "selfscan_part.html", ctx)?;
    *r.status_mut() = status;
    Ok(r)
}

/// Saves the part's answers (all or nothing) and goes on, or stops.
pub async fn save_part(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, part)): Path<(i64, String)>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::SelfAssessment)?;
    let part = Part::from_code(&part).ok_or(AppError::NotFound)?;
    let (run, instrument) = run_with_instrument(&state, &actor, id).await?;
    if run.finished_at.is_some() {
        return Ok(to_result(id));
    }
    let refuse = |e: &ValidationError, input: &str| {
        let errors = vec![problem_message(&state, v.lang, e, input)];
        part_page(
            &state,
            &v,
            (&run, &instrument),
            part,
            &fields,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let mut answers: Vec<(String, Answer)> = Vec::new();
    for (name, value) in &fields {
        let Some(code) = name.strip_prefix("a-") else {
            continue;
        };
        match Answer::parse("antwoord", value) {
            Ok(a) => answers.push((code.to_string(), a)),
            Err(e) => return refuse(&e, &format!("vraag-{code}")),
        }
    }
    answers.sort_by(|a, b| a.0.cmp(&b.0));
    let version = fields
        .get("versie")
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or(-1);
    match state
        .store
        .save_selfscan_answers(&actor, id, version, &answers, state.now())
        .await
    {
        Ok(()) => {}
        Err(StoreError::Invalid(e)) => return refuse(&e, "vragen"),
        Err(StoreError::Duplicate(_)) => {
            return Ok(to_result(id));
        }
        Err(e) => return Err(e.into()),
    }
    let to = match (fields.get("actie").map(String::as_str), part.next()) {
        (Some("stoppen"), _) => "/zelfscan?bewaard=1".to_string(),
        (_, Some(next)) => format!("/zelfscan/invullen/{id}/{}", next.code()),
        (_, None) => format!("/zelfscan/controle/{id}"),
    };
    Ok(Redirect::to(&to).into_response())
}

/// Before finishing: how many statements of each part are still open.
pub async fn check(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::SelfAssessment)?;
    let (run, instrument) = run_with_instrument(&state, &actor, id).await?;
    if run.finished_at.is_some() {
        return Ok(to_result(id));
    }
    check_page(&state, &v, (&run, &instrument), vec![], StatusCode::OK)
}

fn check_page(
    state: &AppState,
    v: &Visitor,
    (run, instrument): (&Run, &Instrument),
    errors: Vec<Value>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let parts: Vec<Value> = instrument
        .unanswered(&run.answers)
        .iter()
        .map(
            |(p, open)| context! { part => p.code(), open, total => instrument.items_of(*p).len() },
        )
        .collect();
    let open: usize = instrument
        .unanswered(&run.answers)
        .iter()
        .map(|(_, n)| n)
        .sum();
    let ctx = context! { id => run.id, parts, open, round => run.round_id, form_errors => errors };
    let mut r = page(state, v, "selfscan_check.html", ctx)?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn finish(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::SelfAssessment)?;
    let (run, instrument) = run_with_instrument(&state, &actor, id).await?;
    match state.store.finish_selfscan(&actor, id, state.now()).await {
        Ok(()) | Err(StoreError::Duplicate(_)) => Ok(to_result(id)),
        Err(StoreError::Invalid(e)) => {
            let first_open = instrument
                .first_open(&run.answers)
                .map_or("begrijpen", |p| p.code());
            let input = format!("deel-{first_open}");
            let errors = vec![problem_message(&state, v.lang, &e, &input)];
            check_page(
                &state,
                &v,
                (&run, &instrument),
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// A finished run's scores, and those of the finished run before it.
async fn scored(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<
    (
        Run,
        Instrument,
        Vec<CellScore>,
        Option<(RunSummary, Vec<CellScore>)>,
    ),
    AppError,
> {
    let (run, instrument) = run_with_instrument(state, actor, id).await?;
    let finished_at = run.finished_at.ok_or(AppError::NotFound)?;
    let scores = cell_scores(&instrument, &run.answers);
    let earlier = state
        .store
        .own_selfscan_runs(actor)
        .await?
        .into_iter()
        .filter(|r| {
            r.id != id
                && r.finished_at
                    .is_some_and(|f| f < finished_at || (f == finished_at && r.id < id))
        })
        .max_by_key(|r| (r.finished_at, r.id));
    let before = match earlier {
        Some(e) => {
            let old = state.store.selfscan_run(actor, e.id).await?;
            let i = state
                .store
                .selfscan_instrument_version(actor, old.version)
                .await?;
            Some((e, cell_scores(&i, &old.answers)))
        }
        None => None,
    };
    Ok((run, instrument, scores, before))
}

#[derive(serde::Deserialize)]
pub struct PrintQuery {
    #[serde(default)]
    pub(crate) afdruk: Option<String>,
}

pub async fn result(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
    Query(q): Query<PrintQuery>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::SelfAssessment)?;
    let (run, instrument, scores, before) = scored(&state, &actor, id).await?;
    let change = before.as_ref().map(|(_, b)| changes(&scores, b));
    let figures: Vec<CellFigures> = scores
        .iter()
        .enumerate()
        .map(|(i, s)| CellFigures {
            pillar: s.pillar,
            element: s.element,
            mean_x100: s.mean_x100,
            spread_x100: None,
            answered: None,
            delta_x100: change.as_ref().and_then(|c| c[i].delta_x100),
        })
        .collect();
    let low: Vec<Value> = lowest(&scores, LOWEST_SHOWN)
        .iter()
        .map(|c| {
            let a = advice(&instrument, c.pillar, c.element, v.lang);
            context! { ..a, ..context! { score => score(c.mean_x100, v.lang) } }
        })
        .collect();
    let general = general_answers(&instrument, &run.answers, v.lang);
    let ctx = context! {
        id, version => run.version, finished_at => run.finished_at, round => run.round_id,
        grid => grid(&figures, v.lang), low, general,
        before => before.as_ref().map(|(b, _)| b.finished_at),
        print => q.afdruk.is_some(),
    };
    page(&state, &v, "selfscan_result.html", ctx)
}

/// The general statements are not in the matrix: shown one by one.
fn general_answers(instrument: &Instrument, answers: &Answers, lang: Lang) -> Vec<Value> {
    instrument
        .general
        .items
        .iter()
        .map(|i| context! { text => text(&i.text, lang), answer => answers.get(&i.code).map(|a| a.code()) })
        .collect()
}

/// The professional's own result as CSV: per cell the score and the
/// change, then every statement with the answer given.
pub async fn result_csv(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::SelfAssessment)?;
    let (run, instrument, scores, before) = scored(&state, &actor, id).await?;
    let t = |k: &str| state.i18n.t(v.lang, k, &[]);
    let header: Vec<String> = [
        "selfscan-col-pillar",
        "selfscan-col-element",
        "selfscan-col-code",
        "selfscan-col-statement",
        "selfscan-col-answer",
        "selfscan-col-score",
        "selfscan-col-before",
    ]
    .iter()
    .map(|k| t(k))
    .collect();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let before = before.map(|(_, b)| b);
    for (i, s) in scores.iter().enumerate() {
        let earlier = before.as_ref().and_then(|b| b[i].mean_x100);
        rows.push(vec![
            t(&format!("selfscan-pillar-{}", s.pillar.code())),
            t(&format!("selfscan-element-{}", s.element.code())),
            String::new(),
            String::new(),
            String::new(),
            score(s.mean_x100, v.lang).unwrap_or_default(),
            score(earlier, v.lang).unwrap_or_default(),
        ]);
    }
    for part in Part::ALL {
        for (element, item) in instrument.items_of(part) {
            let pillar = match part {
                Part::Pillar(p) => t(&format!("selfscan-pillar-{}", p.code())),
                Part::General => t("selfscan-part-algemeen"),
            };
            let answer = run
                .answers
                .get(&item.code)
                .map(|a| t(&format!("selfscan-choice-{}", a.code())));
            rows.push(vec![
                pillar,
                element
                    .map(|e| t(&format!("selfscan-element-{}", e.code())))
                    .unwrap_or_default(),
                item.code.clone(),
                text(&item.text, v.lang).to_string(),
                answer.unwrap_or_default(),
                String::new(),
                String::new(),
            ]);
        }
    }
    crate::export::csv_attachment(&header, &rows, &format!("zelfscan-{id}"))
}
