//! `wegwijs taal check`: a text checked for plain language, shown per
//! sentence with its marks, or as JSON; exit status 1 when a finding
//! blocks, so it can run in CI over letter templates.

use anyhow::{Context, anyhow, bail};
use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;
use wegwijs_taal::{Finding, FormalWords, Format, Report};

/// The shipped formal words with a municipality's own list from `path`.
pub fn own_words(path: &Path) -> anyhow::Result<FormalWords> {
    let own = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {} (it must be UTF-8 text)", path.display()))?;
    FormalWords::builtin_with(&own).map_err(|errors| {
        let shown: Vec<String> = errors
            .iter()
            .map(|e| format!("{}: {e}", path.display()))
            .collect();
        anyhow!(
            "the word list has lines that cannot be used; correct them:\n{}",
            shown.join("\n")
        )
    })
}

pub fn check(
    file: &Path,
    json: bool,
    format: Option<&str>,
    words: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let text = if file == Path::new("-") {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read standard input")?;
        s
    } else {
        std::fs::read_to_string(file)
            .with_context(|| format!("cannot read {} (it must be UTF-8 text)", file.display()))?
    };
    let format = match format {
        None => Format::from_name(&file.display().to_string()),
        Some(code) => match Format::from_code(code) {
            Some(f) => f,
            None => bail!("--format {code:?}: write plain, markdown or html"),
        },
    };
    let report = match words {
        None => wegwijs_taal::check(&text, format),
        Some(path) => {
            let list = own_words(path)?;
            wegwijs_taal::check_with(&text, format, &list)
        }
    };
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        show(&text, &report, &mut out)?;
    }
    Ok(if report.blocking() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Each line with findings, the marks under it, then the figures.
fn show(text: &str, report: &Report, out: &mut impl Write) -> std::io::Result<()> {
    let mut shown_lines = Vec::new();
    for f in &report.findings {
        let line_start = text[..f.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[f.start..]
            .find('\n')
            .map_or(text.len(), |i| f.start + i);
        let number = text[..line_start].matches('\n').count() + 1;
        if f.start == f.end && f.start == 0 {
            writeln!(out, "hele tekst: {}", describe(f))?;
            continue;
        }
        if !shown_lines.contains(&number) {
            shown_lines.push(number);
            writeln!(out, "\n{number:>4} | {}", &text[line_start..line_end])?;
        }
        let col = text[line_start..f.start].chars().count();
        let width = text[f.start..f.end.min(line_end)].chars().count().max(1);
        writeln!(
            out,
            "     | {}{} {}",
            " ".repeat(col),
            "^".repeat(width),
            describe(f)
        )?;
    }
    let s = &report.stats;
    writeln!(
        out,
        "\nNiveau {} van 4 (benadering in de stijl van LiNT; moeilijkheid {}), Flesch-Douma {}, Leesindex A {}.\n{} woorden in {} zinnen, gemiddeld {} per zin; {}% lange zinnen; {} keer lijdende vorm per 100 woorden; {}% weinig gebruikte woorden.",
        report.level,
        report.difficulty,
        report.flesch_douma,
        report.leesindex_a,
        s.words,
        s.sentences,
        s.average_sentence_length,
        s.long_sentences_percent,
        s.passives_per_100_words,
        s.uncommon_words_percent
    )?;
    let blocking = report
        .findings
        .iter()
        .filter(|f| f.severity == wegwijs_taal::Severity::Blokkerend)
        .count();
    if blocking > 0 {
        writeln!(
            out,
            "{blocking} bevinding(en) blokkeren: pas de tekst aan voordat hij verstuurd wordt."
        )?;
    }
    Ok(())
}

fn describe(f: &Finding) -> String {
    let severity = match f.severity {
        wegwijs_taal::Severity::Info => "info",
        wegwijs_taal::Severity::Advies => "advies",
        wegwijs_taal::Severity::Blokkerend => "BLOKKEREND",
    };
    match &f.suggestion {
        Some(s) => format!("[{severity}: {}] {} {s}", f.kind, f.message),
        None => format!("[{severity}: {}] {}", f.kind, f.message),
    }
}
