//! Sentences and paragraphs from tokens. A sentence ends at ".", "!" or
//! "?" (not inside an abbreviation, number or amount), at a blank line, at
//! the end of a list item, and after "etc." or "enz." when a capital
//! follows.

use crate::token::{Kind, MAY_END, Token};
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Byte range in the text.
    pub start: usize,
    pub end: usize,
    /// Token indices.
    pub tokens: Range<usize>,
    pub paragraph: usize,
    /// Part of a list ("- ...", "1. ...").
    pub list_item: bool,
}

pub fn sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut paragraph = 0;
    let mut first: Option<usize> = None;
    let mut list_item = false;
    // Closing punctuation a sentence took with it: not the next one's.
    let mut taken_to = 0;
    let close =
        |out: &mut Vec<Sentence>, first: &mut Option<usize>, last: usize, paragraph, list_item| {
            if let Some(f) = first.take() {
                out.push(Sentence {
                    start: tokens[f].start,
                    end: tokens[last].end,
                    tokens: f..last + 1,
                    paragraph,
                    list_item,
                });
            }
        };
    for (i, t) in tokens.iter().enumerate() {
        if i < taken_to {
            continue;
        }
        match t.kind {
            Kind::Break(blank) => {
                let next_is_item = tokens
                    .get(i + 1)
                    .is_some_and(|n| n.kind == Kind::ListMarker);
                if blank || list_item || next_is_item {
                    if let Some(last) = first.map(|_| i.saturating_sub(1)) {
                        close(&mut out, &mut first, last, paragraph, list_item);
                    }
                    list_item = false;
                }
                if blank {
                    paragraph += 1;
                }
                continue;
            }
            Kind::ListMarker => {
                list_item = true;
                continue;
            }
            _ => {}
        }
        if first.is_none() {
            // A sentence does not start with closing punctuation.
            if matches!(t.kind, Kind::Punct(c) if !c.is_alphanumeric() && c != '"' && c != '(' && c != '\'')
            {
                continue;
            }
            first = Some(i);
        }
        let ends = match t.kind {
            Kind::Punct('.' | '!' | '?') => true,
            Kind::Abbreviation => {
                MAY_END.contains(&t.text(text).to_lowercase().as_str())
                    && next_word(tokens, i + 1)
                        .is_some_and(|n| n.text(text).starts_with(char::is_uppercase))
            }
            _ => false,
        };
        if ends {
            // Closing quotes and brackets belong to the sentence.
            let mut last = i;
            while let Some(n) = tokens.get(last + 1) {
                if matches!(
                    n.kind,
                    Kind::Punct('"' | '\'' | ')' | '”' | '’' | '.' | '!' | '?')
                ) {
                    last += 1;
                } else {
                    break;
                }
            }
            close(&mut out, &mut first, last, paragraph, list_item);
            taken_to = last + 1;
        }
    }
    if let Some(last) = tokens
        .iter()
        .rposition(|t| !matches!(t.kind, Kind::Break(_)))
    {
        close(&mut out, &mut first, last, paragraph, list_item);
    }
    out
}

fn next_word(tokens: &[Token], from: usize) -> Option<&Token> {
    tokens[from.min(tokens.len())..]
        .iter()
        .find(|t| t.kind == Kind::Word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::tokens;

    fn split(text: &str) -> Vec<&str> {
        let t = tokens(text);
        sentences(text, &t)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn abbreviations_and_amounts_do_not_end_a_sentence() {
        assert_eq!(
            split("U betaalt m.b.t. de aanslag € 1.234,56. Dat is bijv. per bank! Klopt dat?"),
            [
                "U betaalt m.b.t. de aanslag € 1.234,56.",
                "Dat is bijv. per bank!",
                "Klopt dat?"
            ]
        );
        assert_eq!(
            split("Neem mee: pas, brief enz. Dan helpen wij."),
            ["Neem mee: pas, brief enz.", "Dan helpen wij."]
        );
        // Closing quotes and brackets stay with their sentence, once.
        assert_eq!(
            split("Hij zei: \"Kom.\" (Echt!) Goed."),
            ["Hij zei: \"Kom.\"", "(Echt!)", "Goed."]
        );
    }

    #[test]
    fn blank_lines_and_list_items_end_sentences() {
        let t = "Geachte heer Jansen,\n\nNeem dit mee:\n- uw paspoort\n- uw bankpas\n\nMet vriendelijke groet";
        assert_eq!(
            split(t),
            [
                "Geachte heer Jansen,",
                "Neem dit mee:",
                "uw paspoort",
                "uw bankpas",
                "Met vriendelijke groet"
            ]
        );
        let tk = tokens(t);
        let s = sentences(t, &tk);
        assert_eq!(
            s.iter()
                .map(|x| (x.paragraph, x.list_item))
                .collect::<Vec<_>>(),
            [(0, false), (1, false), (1, true), (1, true), (2, false)]
        );
    }
}
