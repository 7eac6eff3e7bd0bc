//! The checks per sentence and per word. Each finding has its byte range,
//! a kind, a severity, a short reason in plain Dutch and, where there is
//! one, a suggestion; nothing is rewritten.

use crate::formal::FormalWords;
use crate::sentence::Sentence;
use crate::token::{Kind, Token};
use crate::words::{
    self, AUXILIARIES, CLAUSE_STARTS, FUNCTION_WORDS, HEBBEN, NEGATIONS, SUBORDINATORS, WORDEN,
    ZIJN, is, is_with_zijn,
};
use crate::{Finding, Severity, freq, syllable};

/// Above this many words a sentence is long; above `VERY_LONG` it blocks.
pub const LONG: usize = 15;
pub const VERY_LONG: usize = 25;
/// Below this Zipf frequency (× 10) a word is uncommon.
pub const UNCOMMON: u8 = 30;
/// From this many syllables a word is long.
pub const LONG_WORD: usize = 5;
/// More words than this between the verb parts is a tangconstructie.
pub const TANG: usize = 7;

/// What one sentence gives the text's figures.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub words: usize,
    pub syllables: usize,
    pub passives: usize,
    pub uncommon: usize,
    pub content: usize,
    pub content_zipf10: usize,
    pub clauses: usize,
    pub u: usize,
    pub je: usize,
}

/// A word of a sentence: its token and lowercase text.
struct Word<'a> {
    token: &'a Token,
    text: &'a str,
    lower: String,
}

fn finding(
    start: usize,
    end: usize,
    kind: &'static str,
    severity: Severity,
    message: &str,
) -> Finding {
    Finding {
        start,
        end,
        kind,
        severity,
        message: message.to_string(),
        suggestion: None,
    }
}

pub fn sentence(
    text: &str,
    tokens: &[Token],
    s: &Sentence,
    formal: &FormalWords,
    out: &mut Vec<Finding>,
) -> Counts {
    let toks = &tokens[s.tokens.clone()];
    let words: Vec<Word> = toks
        .iter()
        .filter(|t| {
            matches!(
                t.kind,
                Kind::Word | Kind::Abbreviation | Kind::Number | Kind::Amount | Kind::Date
            )
        })
        .map(|t| {
            let text = t.text(text);
            Word {
                token: t,
                text,
                lower: text.to_lowercase(),
            }
        })
        .collect();
    let mut c = Counts {
        words: words.len(),
        clauses: 1,
        ..Counts::default()
    };
    length(s, words.len(), out);
    commas(s, toks, out);
    let subordinators = words.iter().filter(|w| is(SUBORDINATORS, &w.lower)).count();
    c.clauses += subordinators;
    if subordinators >= 2 {
        let mut f = finding(
            s.start,
            s.end,
            "bijzinnen",
            Severity::Advies,
            "Deze zin heeft veel bijzinnen. Maak er kortere zinnen van.",
        );
        f.suggestion = Some("Zet elke bijzin in een eigen zin.".into());
        out.push(f);
    }
    c.passives = passive(&words, out);
    negations(&words, out);
    tang(&words, out);
    nominalisations(&words, out);
    each_word(&words, s, formal, &mut c, out);
    c
}

fn length(s: &Sentence, words: usize, out: &mut Vec<Finding>) {
    if words > VERY_LONG {
        let mut f = finding(
            s.start,
            s.end,
            "zeer-lange-zin",
            Severity::Blokkerend,
            &format!("Deze zin heeft {words} woorden. Dat is te lang om goed te lezen."),
        );
        f.suggestion = Some(format!(
            "Maak er twee of drie zinnen van, met ieder hoogstens {LONG} woorden."
        ));
        out.push(f);
    } else if words > LONG {
        let mut f = finding(
            s.start,
            s.end,
            "lange-zin",
            Severity::Advies,
            &format!("Deze zin heeft {words} woorden. Korte zinnen lezen makkelijker."),
        );
        f.suggestion = Some(format!("Probeer hoogstens {LONG} woorden per zin."));
        out.push(f);
    }
}

/// Commas between words: the one that ends a salutation ("Beste mevrouw,")
/// splits nothing.
fn commas(s: &Sentence, toks: &[Token], out: &mut Vec<Finding>) {
    let last_word = toks
        .iter()
        .rposition(|t| !matches!(t.kind, Kind::Punct(_) | Kind::Break(_) | Kind::ListMarker))
        .unwrap_or(0);
    let n = toks[..last_word]
        .iter()
        .filter(|t| t.kind == Kind::Punct(','))
        .count();
    if n > 1 && !s.list_item {
        out.push(finding(
            s.start,
            s.end,
            "komma",
            Severity::Info,
            &format!("Deze zin heeft {n} komma's. Misschien kunt u hem in stukken knippen."),
        ));
    }
}

/// A form of "worden" with a past participle: "U wordt verzocht". With
/// "zijn" only when the doer follows "door" ("Het is door ons betaald"):
/// "zijn" with a participle is also the perfect of active verbs ("u bent
/// verhuisd").
fn passive(words: &[Word], out: &mut Vec<Finding>) -> usize {
    let Some((w, p)) = with_worden(words).or_else(|| with_zijn_door(words)) else {
        return 0;
    };
    let (a, b) = (w.min(p), w.max(p));
    let mut f = finding(
        words[a].token.start,
        words[b].token.end,
        "lijdende-vorm",
        Severity::Advies,
        "Dit is de lijdende vorm. Schrijf wie iets doet.",
    );
    f.suggestion = Some(
        "Bijvoorbeeld: niet 'u wordt verzocht te betalen', maar 'wij vragen u te betalen'.".into(),
    );
    out.push(f);
    1
}

/// Separable prefixes that go before "ge" in a participle.
const SEPARABLE: &[&str] = &[
    "aan", "af", "bij", "door", "goed", "in", "mee", "na", "om", "op", "over", "terug", "toe",
    "uit", "vast", "voor", "weg", "samen", "vrij",
];

/// A form of "worden" and the nearest participle after it, or before it
/// ("dat betaald wordt").
fn with_worden(words: &[Word]) -> Option<(usize, usize)> {
    let w = words.iter().position(|w| is(WORDEN, &w.lower))?;
    words
        .iter()
        .skip(w + 1)
        .position(|x| participle(&x.lower))
        .map(|p| p + w + 1)
        .or_else(|| words[..w].iter().rposition(|x| participle(&x.lower)))
        .map(|p| (w, p))
}

/// A form of "zijn" with a participle in the same clause and "door" with
/// the doer between them or right after the participle: "Het is door ons
/// betaald". Not a participle of a verb whose perfect takes "zijn" ("Het is
/// gebeurd door een fout"), and not when "hebben" is the auxiliary.
fn with_zijn_door(words: &[Word]) -> Option<(usize, usize)> {
    let z = words.iter().position(|w| is(ZIJN, &w.lower))?;
    let clause_end = words[z + 1..]
        .iter()
        .position(|w| is(SUBORDINATORS, &w.lower) || is(CLAUSE_STARTS, &w.lower))
        .map_or(words.len(), |e| e + z + 1);
    let clause = &words[z + 1..clause_end];
    let p = clause.iter().position(|w| participle(&w.lower))?;
    let door_before = clause[..p].iter().any(|w| w.lower == "door");
    let door_after = clause.get(p + 1).is_some_and(|w| w.lower == "door");
    let perfect = is_with_zijn(&clause[p].lower) || clause.iter().any(|w| is(HEBBEN, &w.lower));
    ((door_before || door_after) && !perfect).then_some((z, z + 1 + p))
}

/// A past participle by its form: ge...d/t/en, or be-/ver-/ont-/her-/er-
/// with -d or -t, or a separable verb's ("goedgekeurd", "vastgesteld").
pub fn participle(lower: &str) -> bool {
    let n = lower.chars().count();
    if n < 5 {
        return false;
    }
    let end_dt = lower.ends_with('d') || lower.ends_with('t');
    let separable = SEPARABLE.iter().any(|p| {
        lower
            .strip_prefix(p)
            .is_some_and(|rest| rest.len() >= 5 && rest.starts_with("ge") && end_dt)
    });
    separable
        || (lower.starts_with("ge") && (end_dt || lower.ends_with("en")))
        || (["be", "ver", "ont", "her", "er"]
            .iter()
            .any(|p| lower.starts_with(p))
            && end_dt
            && !lower.ends_with("heid"))
}

fn negations(words: &[Word], out: &mut Vec<Finding>) {
    let at: Vec<usize> = (0..words.len())
        .filter(|&i| is(NEGATIONS, &words[i].lower))
        .collect();
    for pair in at.windows(2) {
        let between = &words[pair[0] + 1..pair[1]];
        let new_clause = between
            .iter()
            .any(|w| is(SUBORDINATORS, &w.lower) || w.lower == "als" || w.lower == "en");
        if pair[1] - pair[0] <= 6 && !new_clause {
            let mut f = finding(
                words[pair[0]].token.start,
                words[pair[1]].token.end,
                "dubbele-ontkenning",
                Severity::Advies,
                "Twee keer een ontkenning kort na elkaar is moeilijk te begrijpen.",
            );
            f.suggestion = Some("Zeg het positief: niet 'niet zonder', maar 'met'.".into());
            out.push(f);
        }
    }
}

/// The finite verb far from the verb part at the end of its clause.
fn tang(words: &[Word], out: &mut Vec<Finding>) {
    let Some(aux) = words.iter().position(|w| is(AUXILIARIES, &w.lower)) else {
        return;
    };
    let end = words
        .iter()
        .enumerate()
        .skip(aux + 1)
        .take_while(|(_, w)| !is(SUBORDINATORS, &w.lower))
        .filter(|(_, w)| {
            participle(&w.lower)
                || (w.lower.ends_with("en")
                    && w.lower.len() > 4
                    && freq::zipf10(&w.lower).is_some())
        })
        .map(|(i, _)| i)
        .last();
    if let Some(e) = end
        && e - aux - 1 > TANG
    {
        let mut f = finding(
            words[aux].token.start,
            words[e].token.end,
            "tangconstructie",
            Severity::Advies,
            &format!(
                "Tussen '{}' en '{}' staan {} woorden. Zet de werkwoorden dichter bij elkaar.",
                words[aux].text,
                words[e].text,
                e - aux - 1
            ),
        );
        f.suggestion = Some("Zet het tweede werkwoord eerder, of maak twee zinnen.".into());
        out.push(f);
    }
}

const NOMINAL: &[&str] = &["ing", "ingen", "atie", "aties", "heid", "heden", "isatie"];

fn nominalisations(words: &[Word], out: &mut Vec<Finding>) {
    let found: Vec<&Word> = words
        .iter()
        .filter(|w| w.lower.chars().count() >= 7 && NOMINAL.iter().any(|s| w.lower.ends_with(s)))
        .collect();
    if found.len() >= 2 {
        for w in found {
            let mut f = finding(
                w.token.start,
                w.token.end,
                "naamwoordstijl",
                Severity::Info,
                "Veel zelfstandige naamwoorden in een zin maken hem zwaar.",
            );
            f.suggestion = Some("Gebruik een werkwoord: niet 'na ontvangst van de betaling', maar 'als u betaald heeft'.".into());
            out.push(f);
        }
    }
}

fn each_word(
    words: &[Word],
    s: &Sentence,
    formal: &FormalWords,
    c: &mut Counts,
    out: &mut Vec<Finding>,
) {
    let lowers: Vec<&str> = words.iter().map(|w| w.lower.as_str()).collect();
    let mut skip_until = 0;
    for (i, w) in words.iter().enumerate() {
        let t = w.token;
        if t.kind == Kind::Word || t.kind == Kind::Abbreviation {
            c.syllables += syllable::count(&w.lower);
        } else {
            c.syllables += 1;
        }
        if w.lower == "u" || w.lower == "uw" {
            c.u += 1;
        }
        if matches!(w.lower.as_str(), "je" | "jij" | "jou" | "jouw") {
            c.je += 1;
        }
        if t.kind == Kind::Abbreviation {
            abbreviation(w, out);
            continue;
        }
        if t.kind != Kind::Word {
            continue;
        }
        if i >= skip_until
            && let Some((e, n)) = formal.lookup(&lowers[i..])
        {
            let last = words[i + n - 1].token;
            let mut f = finding(
                t.start,
                last.end,
                "formeel-woord",
                Severity::Advies,
                &format!("'{}' is een moeilijk of ambtelijk woord.", &e.formal),
            );
            // "betalen / passen in de regels": each alternative quoted.
            let choices: Vec<String> = e.plainer.split(" / ").map(|p| format!("'{p}'")).collect();
            f.suggestion = Some(format!(
                "Schrijf {}. Bijvoorbeeld: {}",
                choices.join(" of "),
                e.example
            ));
            out.push(f);
            skip_until = i + n;
            continue;
        }
        if i < skip_until {
            continue;
        }
        let name = i > 0 && w.text.starts_with(char::is_uppercase) && !s.list_item;
        let acronym = w.text.chars().count() >= 2 && w.text.chars().all(|ch| ch.is_uppercase());
        if acronym {
            let mut f = finding(
                t.start,
                t.end,
                "afkorting",
                Severity::Info,
                &format!("Niet iedereen weet wat '{}' betekent.", w.text),
            );
            f.suggestion = Some("Schrijf de eerste keer voluit wat het is.".into());
            out.push(f);
            continue;
        }
        if is(FUNCTION_WORDS, &w.lower) {
            continue;
        }
        c.content += 1;
        let zipf = freq::zipf10(&w.lower);
        c.content_zipf10 += usize::from(zipf.unwrap_or(15));
        if name {
            continue;
        }
        if zipf.is_none_or(|z| z < UNCOMMON) && w.lower.chars().count() >= 4 {
            c.uncommon += 1;
            let mut f = finding(
                t.start,
                t.end,
                "weinig-gebruikt-woord",
                Severity::Advies,
                &format!("'{}' is een woord dat weinig mensen kennen.", w.text),
            );
            f.suggestion = Some("Gebruik een gewoner woord, of leg het uit.".into());
            out.push(f);
        }
        let syllables = syllable::count(&w.lower);
        if syllables >= LONG_WORD {
            out.push(finding(
                t.start,
                t.end,
                "lang-woord",
                Severity::Info,
                &format!(
                    "'{}' heeft {syllables} lettergrepen. Lange woorden lezen moeilijk.",
                    w.text
                ),
            ));
        }
    }
}

fn abbreviation(w: &Word, out: &mut Vec<Finding>) {
    let mut f = finding(
        w.token.start,
        w.token.end,
        "afkorting",
        Severity::Advies,
        &format!(
            "Schrijf '{}' voluit. Niet iedereen kent deze afkorting.",
            w.text
        ),
    );
    f.suggestion = words::WRITTEN_OUT
        .iter()
        .find(|(a, _)| *a == w.lower)
        .map(|(_, full)| format!("Schrijf: {full}."));
    out.push(f);
}
