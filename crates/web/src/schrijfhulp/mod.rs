//! The schrijfhulp: a staff member pastes or types a text and sees the
//! plain-language findings marked in it. A plain form that works without
//! JavaScript; a small script asks for the results while the person types.
//! The text is never stored or logged: a letter may hold personal data.

use crate::error::AppError;
use crate::i18n::Lang;
use crate::render::{page, render_html};
use crate::routes::Routes;
use crate::state::AppState;
use crate::visitor::Visitor;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use minijinja::value::Value;
use serde::Deserialize;
use wegwijs_domain::policy::Capability;
use wegwijs_taal::{Finding, Format, Report, Scope, Severity};

pub fn routes() -> Routes {
    Routes::new()
        .page("/schrijfhulp", Capability::CheckText, form)
        .post("/schrijfhulp", check)
        .nav(Capability::CheckText, "/schrijfhulp", "nav-schrijfhulp", 90)
        .post("/schrijfhulp/resultaat", results)
}

/// About eight pages: enough for any letter or web page, and the form's
/// body stays under the app's limit (256 KiB) even when every character is
/// a four-byte one, sent as twelve.
pub const MAX_CHARS: usize = 20_000;

/// The text as the browser shows it: browsers send a textarea's line
/// breaks as CRLF but count them as one character.
#[derive(Debug, Default, Deserialize)]
#[serde(from = "RawTextForm")]
pub struct TextForm {
    tekst: String,
    vorm: String,
}

#[derive(Deserialize)]
struct RawTextForm {
    #[serde(default)]
    tekst: String,
    #[serde(default)]
    vorm: String,
}

impl From<RawTextForm> for TextForm {
    fn from(raw: RawTextForm) -> TextForm {
        TextForm {
            tekst: raw.tekst.replace("\r\n", "\n"),
            vorm: raw.vorm,
        }
    }
}

pub async fn form(State(state): State<AppState>, v: Visitor) -> Result<Response, AppError> {
    v.require(Capability::CheckText)?;
    let ctx = context! { tekst => "", vorm => "plain", result => (), errors => Vec::<Value>::new(), ..fields() };
    page(&state, &v, "schrijfhulp.html", ctx)
}

/// The form sent without JavaScript: the whole page, the text kept.
pub async fn check(
    State(state): State<AppState>,
    v: Visitor,
    Form(form): Form<TextForm>,
) -> Result<Response, AppError> {
    v.require(Capability::CheckText)?;
    let (result, errors) = outcome(&state, v.lang, &form).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let tekst_invalid = errors
        .iter()
        .any(|e| e.get_attr("id").ok().as_ref().and_then(Value::as_str) == Some("tekst"));
    let ctx = context! { tekst => form.tekst, vorm => format_of(&form).code(), result, errors, tekst_invalid, ..fields() };
    let mut r = page(&state, &v, "schrijfhulp.html", ctx)?;
    *r.status_mut() = status;
    Ok(r)
}

/// The results alone, for the script that updates them while typing.
pub async fn results(
    State(state): State<AppState>,
    v: Visitor,
    Form(form): Form<TextForm>,
) -> Result<Response, AppError> {
    v.require(Capability::CheckText)?;
    let (result, errors) = outcome(&state, v.lang, &form).await?;
    let html = render_html(
        &state,
        &v,
        "schrijfhulp_resultaat.html",
        context! { result, errors, live => true },
    )?;
    Ok(Html(html).into_response())
}

/// What the form itself needs: its limit and the kinds it explains.
fn fields() -> Value {
    context! { max => MAX_CHARS, kinds => wegwijs_taal::KINDS }
}

fn format_of(form: &TextForm) -> Format {
    Format::from_code(&form.vorm).unwrap_or(Format::Plain)
}

/// The checked text, or what to change in the form. An empty text is no
/// error: the page then says what to do. The check runs on a blocking
/// thread: a long text is some milliseconds of work on every pause in typing.
async fn outcome(
    state: &AppState,
    lang: Lang,
    form: &TextForm,
) -> Result<(Value, Vec<Value>), AppError> {
    let t = |key: &str, args: &[(&str, fluent_bundle::FluentValue)]| state.i18n.t(lang, key, args);
    let mut errors = Vec::new();
    if !form.vorm.is_empty() && Format::from_code(&form.vorm).is_none() {
        errors.push(context! { message => t("schrijfhulp-error-vorm", &[]), id => "vorm" });
    }
    let chars = form.tekst.chars().count();
    if chars > MAX_CHARS {
        let args = [("n", chars.into()), ("max", MAX_CHARS.into())];
        errors.push(context! { message => t("schrijfhulp-error-lang", &args), id => "tekst" });
    }
    if !errors.is_empty() || form.tekst.trim().is_empty() {
        return Ok((Value::from(()), errors));
    }
    let (state, text, format) = (state.clone(), form.tekst.clone(), format_of(form));
    let checked = tokio::task::spawn_blocking(move || {
        let report = state.taal_check(&text, format);
        result(&text, &report, lang)
    })
    .await;
    // A panic in the checker is a defect: the error page with a reference,
    // not an empty result that reads as "no text yet".
    Ok((checked.map_err(AppError::internal)?, errors))
}

fn result(text: &str, report: &Report, lang: Lang) -> Value {
    let findings: Vec<Value> = report
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            context! {
                n => i + 1,
                kind => f.kind,
                severity => f.severity.code(),
                whole_text => f.scope() == Scope::Text,
                quote => quote(text, f),
                message => f.message,
                suggestion => f.suggestion,
            }
        })
        .collect();
    let s = &report.stats;
    // Easy to read: a low level and nothing more than tips.
    let verdict = if report.blocking() {
        "blocking"
    } else if report.level <= 2 && report.findings.iter().all(|f| f.severity == Severity::Info) {
        "easy"
    } else {
        "harder"
    };
    context! {
        verdict,
        blocking => report.findings.iter().filter(|f| f.severity == Severity::Blokkerend).count(),
        level => report.level,
        difficulty => decimal(report.difficulty, lang),
        flesch_douma => decimal(report.flesch_douma, lang),
        leesindex_a => decimal(report.leesindex_a, lang),
        words => s.words,
        sentences => s.sentences,
        average_sentence_length => decimal(s.average_sentence_length, lang),
        long_sentences_percent => decimal(s.long_sentences_percent, lang),
        passives_per_100_words => decimal(s.passives_per_100_words, lang),
        uncommon_words_percent => decimal(s.uncommon_words_percent, lang),
        addressed_as_u => s.addressed_as_u,
        findings,
        segments => segments(text, &report.findings),
    }
}

/// One decimal, with a decimal comma on Dutch pages.
fn decimal(x: f64, lang: Lang) -> String {
    let s = format!("{x:.1}");
    match lang {
        Lang::Nl => s.replace('.', ","),
        Lang::En => s,
    }
}

/// The words a finding is about, on one line and at most 60 characters.
fn quote(text: &str, f: &Finding) -> String {
    let Some(part) = text.get(f.start..f.end) else {
        return String::new();
    };
    let words: Vec<&str> = part.split_whitespace().collect();
    let line = words.join(" ");
    if line.chars().count() <= 60 {
        line
    } else {
        let cut: String = line.chars().take(57).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The text in pieces that share their marks: the strongest sentence-wide
/// finding (underlined) and the strongest finding about words in it
/// (background), with the numbers of the findings that end after it.
fn segments(text: &str, findings: &[Finding]) -> Vec<Value> {
    let marked: Vec<(usize, &Finding)> = findings
        .iter()
        .enumerate()
        .filter(|(_, f)| f.scope() != Scope::Text && f.end <= text.len())
        .map(|(i, f)| (i + 1, f))
        .collect();
    let mut cuts: Vec<usize> = marked
        .iter()
        .flat_map(|(_, f)| [f.start, f.end])
        .chain([0, text.len()])
        .filter(|&b| text.is_char_boundary(b))
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut out: Vec<Value> = Vec::new();
    let (mut current, mut piece_start) = (String::new(), 0);
    let mut emit = |from: usize, to: usize, class: &str, ends: Vec<usize>| {
        out.push(context! { text => text[from..to], class, ends });
    };
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let (mut sentence, mut words) = (None, None);
        for (_, f) in marked.iter().filter(|(_, f)| f.start <= a && f.end >= b) {
            let slot = if f.scope() == Scope::Words {
                &mut words
            } else {
                &mut sentence
            };
            *slot = (*slot).max(Some(f.severity));
        }
        let class = mark_class(sentence, words);
        // Pieces with the same marks and no number between them are one.
        if class != current && piece_start < a {
            emit(piece_start, a, &current, Vec::new());
            piece_start = a;
        }
        current = class;
        let ends: Vec<usize> = marked
            .iter()
            .filter(|(_, f)| f.end == b)
            .map(|(n, _)| *n)
            .collect();
        if !ends.is_empty() {
            emit(piece_start, b, &current, ends);
            piece_start = b;
        }
    }
    if piece_start < text.len() {
        emit(piece_start, text.len(), &current, Vec::new());
    }
    out
}

fn mark_class(sentence: Option<Severity>, words: Option<Severity>) -> String {
    let mut class = String::new();
    if let Some(s) = sentence {
        class.push_str("ww-mark--zin-");
        class.push_str(s.code());
    }
    if let Some(w) = words {
        if !class.is_empty() {
            class.push(' ');
        }
        class.push_str("ww-mark--woord-");
        class.push_str(w.code());
    }
    class
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<(String, String, Vec<usize>)> {
        let report = wegwijs_taal::check(text, Format::Plain);
        segments(text, &report.findings)
            .iter()
            .map(|v| {
                let get = |k: &str| v.get_attr(k).unwrap();
                let ends = get("ends")
                    .try_iter()
                    .unwrap()
                    .map(|n| usize::try_from(n).unwrap())
                    .collect();
                (
                    get("text").as_str().unwrap().to_string(),
                    get("class").as_str().unwrap().to_string(),
                    ends,
                )
            })
            .collect()
    }

    #[test]
    fn the_pieces_are_the_text_with_every_number_once() {
        let text = "Derhalve wordt u verzocht het verschuldigde bedrag m.b.t. de aanslag, die u \
                    op 1 maart heeft ontvangen, binnen veertien dagen, zonder uitstel, aan de gemeente Utrecht te voldoen.\n\nDank u.";
        let report = wegwijs_taal::check(text, Format::Plain);
        let p = pieces(text);
        let joined: String = p.iter().map(|(t, _, _)| t.as_str()).collect();
        assert_eq!(joined, text);
        let mut numbers: Vec<usize> = p.iter().flat_map(|(_, _, e)| e.clone()).collect();
        numbers.sort_unstable();
        let expected: Vec<usize> = report
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.scope() != Scope::Text)
            .map(|(i, _)| i + 1)
            .collect();
        assert_eq!(numbers, expected);
        // A formal word inside a blocking long sentence: both marks.
        let derhalve = p.iter().find(|(t, _, _)| t == "Derhalve").unwrap();
        assert_eq!(derhalve.1, "ww-mark--zin-blokkerend ww-mark--woord-advies");
        // The short last sentence is not marked.
        assert_eq!(p.last().unwrap().1, "");
        // Neighbouring pieces with the same marks and no number between are one.
        for w in p.windows(2) {
            assert!(w[0].1 != w[1].1 || !w[0].2.is_empty(), "{w:?}");
        }
    }

    #[test]
    fn no_findings_is_one_piece_and_no_text_none() {
        assert_eq!(
            pieces("U krijgt geld."),
            vec![("U krijgt geld.".into(), String::new(), vec![])]
        );
        assert!(pieces("").is_empty());
    }

    #[test]
    fn quotes_are_one_short_line() {
        let text = "een\n  twee ".repeat(30);
        let f = Finding {
            start: 0,
            end: text.len(),
            kind: "lange-zin",
            severity: Severity::Advies,
            message: String::new(),
            suggestion: None,
        };
        let q = quote(&text, &f);
        assert!(q.starts_with("een twee een") && q.ends_with('…') && q.chars().count() <= 58);
        assert_eq!(decimal(12.34, Lang::Nl), "12,3");
        assert_eq!(decimal(3.0, Lang::En), "3.0");
    }
}
