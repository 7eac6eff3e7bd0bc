//! The admin keeps the self-assessment instrument: edits a section's texts
//! (why it matters, tips, statements, in Dutch and English) and adds
//! statements. Every save is a new version; runs keep the version they
//! were given on.

use super::own::text;
use crate::error::AppError;
use crate::render::page;
use crate::render::problem_message;
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
    Element, Instrument, MAX_ITEMS, Pillar, Section, SectionEdit, TEXT_MAX, Text,
};
use wegwijs_domain::{Problem, ValidationError};
use wegwijs_store::StoreError;

type Fields = HashMap<String, String>;

#[derive(serde::Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    opgeslagen: Option<i64>,
    #[serde(default)]
    onveranderd: Option<String>,
}

pub async fn overview(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::InstrumentAdmin)?;
    let instrument = state.store.selfscan_instrument(&actor).await?;
    let versions = state.store.selfscan_versions(&actor).await?;
    let mut sections: Vec<Value> = Vec::new();
    for p in Pillar::ALL {
        for e in Element::ALL {
            let n = instrument.cell(p, e).map_or(0, |c| c.items.len());
            sections.push(context! { code => Section::Cell(p, e).code(), pillar => p.code(), element => e.code(), n });
        }
    }
    sections.push(context! { code => "algemeen", n => instrument.general.items.len() });
    let ctx = context! {
        version => instrument.version, versions, sections, saved => q.opgeslagen, unchanged => q.onveranderd.is_some(),
        title => text(&instrument.title, v.lang),
    };
    page(&state, &v, "selfscan_admin.html", ctx)
}

pub async fn section_form(
    State(state): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::InstrumentAdmin)?;
    let section = Section::from_code(&code).ok_or(AppError::NotFound)?;
    let instrument = state.store.selfscan_instrument(&actor).await?;
    let typed = fields_of(&instrument, section).ok_or(AppError::NotFound)?;
    section_page(
        &state,
        &v,
        &instrument,
        section,
        &typed,
        vec![],
        StatusCode::OK,
    )
}

/// The form's fields as the section is now.
fn fields_of(instrument: &Instrument, section: Section) -> Option<Fields> {
    let (why, tips, items) = instrument.section_texts(section)?;
    let mut f = Fields::new();
    let mut put = |name: String, t: &Text| {
        f.insert(format!("{name}-nl"), t.nl.clone());
        f.insert(format!("{name}-en"), t.en.clone());
    };
    put("uitleg".into(), why);
    for (n, tip) in tips.iter().enumerate() {
        put(format!("tip-{}", n + 1), tip);
    }
    for (n, item) in items.iter().enumerate() {
        put(format!("stelling-{}", n + 1), &item.text);
    }
    f.insert("versie".into(), instrument.version.to_string());
    Some(f)
}

fn section_page(
    state: &AppState,
    v: &Visitor,
    instrument: &Instrument,
    section: Section,
    typed: &Fields,
    errors: Vec<Value>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let Some((_, _, items)) = instrument.section_texts(section) else {
        return Err(AppError::NotFound);
    };
    let get = |k: String| typed.get(&k).cloned().unwrap_or_default();
    let pair = |name: String| context! { name => name.clone(), nl => get(format!("{name}-nl")), en => get(format!("{name}-en")) };
    let statements: Vec<Value> = items
        .iter()
        .enumerate()
        .map(|(n, i)| context! { code => i.code, ..pair(format!("stelling-{}", n + 1)) })
        .collect();
    let tips: Vec<Value> = (1..=3).map(|n| pair(format!("tip-{n}"))).collect();
    let (pillar, element) = match section {
        Section::Cell(p, e) => (Some(p.code()), Some(e.code())),
        Section::General => (None, None),
    };
    let ctx = context! {
        code => section.code(), pillar, element,
        why => pair("uitleg".into()), tips, statements, new => pair("nieuw".into()),
        room => items.len() < MAX_ITEMS, max_items => MAX_ITEMS, max => TEXT_MAX,
        based_on => get("versie".into()), form_errors => errors,
    };
    let mut r = page(state, v, "selfscan_section.html", ctx)?;
    *r.status_mut() = status;
    Ok(r)
}

pub async fn save_section(
    State(state): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let actor = v.require(Capability::InstrumentAdmin)?;
    let section = Section::from_code(&code).ok_or(AppError::NotFound)?;
    let instrument = state.store.selfscan_instrument(&actor).await?;
    // What was typed over the current texts, on the current version: after
    // a conflict, saving again works and nothing typed is lost.
    let mut typed = fields_of(&instrument, section).ok_or(AppError::NotFound)?;
    typed.extend(
        fields
            .iter()
            .filter(|(k, _)| *k != "versie")
            .map(|(k, v)| (k.clone(), v.clone())),
    );
    let refuse = |errors: Vec<Value>| {
        section_page(
            &state,
            &v,
            &instrument,
            section,
            &typed,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    // Someone saved a version since this form was opened: say so, keep the typing.
    if fields.get("versie").map(String::as_str) != Some(instrument.version.to_string().as_str()) {
        let e = ValidationError::new("versie", Problem::UnknownVersion);
        return refuse(vec![problem_message(&state, v.lang, &e, "veld-uitleg-nl")]);
    }
    let text_of = |name: &str| Text {
        nl: fields
            .get(&format!("{name}-nl"))
            .cloned()
            .unwrap_or_default(),
        en: fields
            .get(&format!("{name}-en"))
            .cloned()
            .unwrap_or_default(),
    };
    let items = instrument
        .section_texts(section)
        .map_or(0, |(_, _, i)| i.len());
    let edit = SectionEdit {
        why: text_of("uitleg"),
        tips: (1..=3).map(|n| text_of(&format!("tip-{n}"))).collect(),
        items: (1..=items)
            .map(|n| text_of(&format!("stelling-{n}")))
            .collect(),
        new_item: text_of("nieuw"),
    };
    let next = match instrument.edited(section, &edit) {
        Ok(next) => next,
        Err(problems) => {
            let errors = problems
                .iter()
                .map(|(input, e)| problem_message(&state, v.lang, e, &format!("veld-{input}")))
                .collect();
            return refuse(errors);
        }
    };
    let mut same = next.clone();
    same.version = instrument.version;
    if same == instrument {
        return Ok(Redirect::to("/beheer/zelfscan?onveranderd=1").into_response());
    }
    match state
        .store
        .publish_selfscan_version(&actor, &next, state.now())
        .await
    {
        Ok(()) => Ok(
            Redirect::to(&format!("/beheer/zelfscan?opgeslagen={}", next.version)).into_response(),
        ),
        Err(StoreError::Duplicate(_)) => {
            let e = ValidationError::new("versie", Problem::UnknownVersion);
            refuse(vec![problem_message(&state, v.lang, &e, "veld-uitleg-nl")])
        }
        Err(e) => Err(e.into()),
    }
}
