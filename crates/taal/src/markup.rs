//! HTML and Markdown as plain text of the same length: markup becomes
//! spaces (block ends become line breaks), so every finding's byte range
//! points into the text as it was given.

use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Plain,
    Markdown,
    Html,
}

impl Format {
    /// The format by its name in options and forms: plain, markdown, html.
    pub fn from_code(code: &str) -> Option<Format> {
        match code {
            "plain" => Some(Format::Plain),
            "markdown" => Some(Format::Markdown),
            "html" => Some(Format::Html),
            _ => None,
        }
    }

    pub const ALL: [Format; 3] = [Format::Plain, Format::Markdown, Format::Html];

    pub fn code(self) -> &'static str {
        match self {
            Format::Plain => "plain",
            Format::Markdown => "markdown",
            Format::Html => "html",
        }
    }

    /// By the file name's extension; plain text otherwise.
    pub fn from_name(name: &str) -> Format {
        let lower = name.to_lowercase();
        if lower.ends_with(".html") || lower.ends_with(".htm") {
            Format::Html
        } else if lower.ends_with(".md") || lower.ends_with(".markdown") {
            Format::Markdown
        } else {
            Format::Plain
        }
    }
}

pub fn mask(text: &str, format: Format) -> Cow<'_, str> {
    match format {
        Format::Plain => Cow::Borrowed(text),
        Format::Html => Cow::Owned(html(text)),
        Format::Markdown => Cow::Owned(markdown(text)),
    }
}

/// Spaces over `text[range]`, keeping its line breaks.
fn blank(out: &mut String, part: &str) {
    for c in part.chars() {
        if c == '\n' {
            out.push('\n');
        } else {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        }
    }
}

/// Elements whose start and end end a sentence: a table cell, a term in a
/// list of facts or a button is text of its own, not part of the next.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "button",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "label",
    "legend",
    "main",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "select",
    "summary",
    "table",
    "td",
    "textarea",
    "th",
    "title",
    "tr",
    "ul",
];

fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(lt) = rest.find(['<', '&']) {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with('&') {
            // ';' is ASCII, so the byte after it is a char boundary.
            let end = rest.as_bytes()[..rest.len().min(10)]
                .iter()
                .position(|b| *b == b';')
                .map_or(1, |e| e + 1);
            let entity = &rest[..end];
            let shown = match entity {
                "&amp;" => "&",
                "&euro;" => "€",
                "&lt;" => "<",
                "&gt;" => ">",
                "&quot;" => "\"",
                _ if end == 1 => "&",
                _ => " ",
            };
            out.push_str(shown);
            out.extend(std::iter::repeat_n(' ', entity.len() - shown.len()));
            rest = &rest[end..];
            continue;
        }
        let lower = rest.as_bytes()[..rest.len().min(8)].to_ascii_lowercase();
        let skip_to = if lower.starts_with(b"<script") || lower.starts_with(b"<style") {
            let close = if lower.starts_with(b"<script") {
                "</script>"
            } else {
                "</style>"
            };
            rest.to_ascii_lowercase()
                .find(close)
                .map_or(rest.len(), |e| e + close.len())
        } else {
            rest.find('>').map_or(rest.len(), |e| e + 1)
        };
        let tag = &rest[..skip_to];
        let name: String = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let closing = tag.starts_with("</");
        let replacement = match (name.as_str(), closing) {
            ("li", false) if tag.len() >= 4 => "\n- ",
            ("br", _) => "\n",
            (block, _) if BLOCKS.contains(&block) && tag.len() >= 3 => "\n\n",
            _ => "",
        };
        if replacement.is_empty() {
            blank(&mut out, tag);
        } else {
            out.push_str(replacement);
            blank(&mut out, &tag[replacement.len().min(tag.len())..]);
        }
        rest = &rest[skip_to..];
    }
    out.push_str(rest);
    out
}

fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        out.push_str(&line[..indent]);
        let hashes = trimmed.bytes().take_while(|b| *b == b'#').count();
        let body = if hashes > 0 && trimmed[hashes..].starts_with(' ') {
            blank(&mut out, &trimmed[..hashes]);
            &trimmed[hashes..]
        } else if let Some(quoted) = trimmed.strip_prefix('>') {
            blank(&mut out, ">");
            quoted
        } else {
            trimmed
        };
        inline(&mut out, body);
    }
    out
}

/// Emphasis, code marks and link targets as spaces; link text kept.
fn inline(out: &mut String, line: &str) {
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '*' | '_' | '`' if i > 0 || !line[i + 1..].starts_with(' ') => out.push(' '),
            '[' => out.push(' '),
            ']' if line[i + 1..].starts_with('(') => {
                let close = line[i..].find(')').map_or(line.len(), |e| i + e + 1);
                blank(out, &line[i..close]);
                while chars.peek().is_some_and(|(j, _)| *j < close) {
                    chars.next();
                }
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_becomes_spaces_of_the_same_length() {
        for (text, format) in [
            (
                "<p>U betaalt &euro; 12.</p><ul><li>Bel ons</li></ul>",
                Format::Html,
            ),
            (
                "# Betalen\n\nU betaalt **vandaag**. Lees [de regels](https://x.nl/a).",
                Format::Markdown,
            ),
        ] {
            let masked = mask(text, format);
            assert_eq!(masked.len(), text.len(), "{masked:?}");
            assert!(
                !masked.contains('<') && !masked.contains("**") && !masked.contains("https"),
                "{masked:?}"
            );
        }
        let m = mask(
            "<p>U betaalt &euro; 12.</p><ul><li>Bel ons</li></ul>",
            Format::Html,
        );
        assert!(
            m.contains("€    12.") && m.contains("\n-  Bel ons"),
            "{m:?}"
        );
        let t = crate::token::tokens(&m);
        assert!(
            t.iter().any(|x| x.kind == crate::token::Kind::Amount),
            "{t:?}"
        );
    }

    /// Found by checking Wegwijs' own pages: the cells of a list of facts
    /// ran together into one long sentence.
    #[test]
    fn cells_terms_and_buttons_are_sentences_of_their_own() {
        let page = "<dl><dt>Naam</dt><dd>Kok</dd><dt>Adres</dt><dd>Dorpssingel 1<br>7001 AA</dd></dl>\
                    <table><tr><th>Datum</th><td>1 mei</td></tr></table><button>Opslaan</button>";
        let r = crate::check(page, Format::Html);
        assert!(r.stats.sentences >= 7, "{:?}", r.stats);
        assert!(r.findings.iter().all(|f| f.kind != "lange-zin"));
    }
}
