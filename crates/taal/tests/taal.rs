//! The checker against the outside: hand-checked syllables, the
//! hyphenation dictionary, worked readability examples, official sentences
//! and their plain rewrites, and whatever text it is given.

use proptest::prelude::*;
use wegwijs_taal::{Format, KINDS, Scope, Severity, check, flesch_douma, leesindex_a, syllable};

fn rows(tsv: &str) -> Vec<Vec<&str>> {
    tsv.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect()
}

#[test]
fn syllables_match_the_hand_checked_list() {
    let list = rows(include_str!("data/lettergrepen.tsv"));
    assert!(list.len() >= 200, "{} words", list.len());
    let wrong: Vec<String> = list
        .iter()
        .filter(|r| syllable::count(r[0]) != r[2].parse::<usize>().unwrap())
        .map(|r| format!("{} ({}, counted {})", r[0], r[1], syllable::count(r[0])))
        .collect();
    eprintln!(
        "syllables: {} of {} hand-checked words counted otherwise: {wrong:?}",
        wrong.len(),
        list.len()
    );
    // Loanwords spoken the English way ("team", "website") are counted as
    // written; allow one word in a hundred.
    assert!(
        wrong.len() * 100 <= list.len(),
        "{} wrong: {wrong:?}",
        wrong.len()
    );
}

#[test]
fn syllables_agree_with_the_hyphenation_patterns_on_common_words() {
    let table = include_str!("../data/frequenties_nl.txt");
    let words: Vec<&str> = table
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| {
            l.split_once('\t')
                .map(|(_, w)| w.split(' '))
                .into_iter()
                .flatten()
        })
        .filter(|w| w.chars().count() >= 4 && !w.contains(['\'', '-']))
        .take(5_000)
        .collect();
    let differ = words
        .iter()
        .filter(|w| syllable::count(w) != syllable::by_patterns(w))
        .count();
    eprintln!(
        "syllables: {differ} of {} common words differ from the hyphenation patterns",
        words.len()
    );
    assert!(
        differ * 100 <= 6 * words.len(),
        "{differ} of {} differ",
        words.len()
    );
}

#[test]
fn readability_formulas_on_worked_examples() {
    // 150 syllables per 100 words, 20 words a sentence.
    assert!((flesch_douma(150.0, 20.0) - 72.74).abs() < 1e-9);
    assert!((leesindex_a(150.0, 20.0) - 55.0).abs() < 1e-9);
    // "Ik heb een boek." twice: 8 words of one syllable, 4 words a sentence.
    let r = check("Ik heb een boek. Ik heb een pen.", Format::Plain);
    assert_eq!(
        (r.stats.words, r.stats.sentences, r.stats.syllables),
        (8, 2, 8)
    );
    assert_eq!(
        r.flesch_douma,
        ((206.84 - 77.0 - 3.72f64) * 10.0).round() / 10.0
    );
    assert_eq!(
        r.leesindex_a,
        ((195.0 - 200.0 / 3.0 - 8.0f64) * 10.0).round() / 10.0
    );
}

#[test]
fn plain_rewrites_are_found_easier_than_official_sentences() {
    let pairs = rows(include_str!("data/herschrijvingen.tsv"));
    assert!(pairs.len() >= 50);
    let mut easier = 0;
    let mut not = Vec::new();
    let (mut plain_scores, mut official_scores) = (Vec::new(), Vec::new());
    for p in &pairs {
        let (official, plain) = (check(p[1], Format::Plain), check(p[2], Format::Plain));
        plain_scores.push(plain.difficulty);
        official_scores.push(official.difficulty);
        if plain.difficulty < official.difficulty && plain.flesch_douma > official.flesch_douma {
            easier += 1;
        } else {
            not.push((p[2], plain.difficulty, official.difficulty));
        }
    }
    let range = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        format!("{}–{}, median {}", v[0], v[v.len() - 1], v[v.len() / 2])
    };
    eprintln!(
        "pairs: the rewrite easier (difficulty and Flesch-Douma) in {easier} of {}; difficulty plain {}, official {}",
        pairs.len(),
        range(&mut plain_scores),
        range(&mut official_scores)
    );
    assert!(
        easier * 10 >= pairs.len() * 9,
        "{easier} of {}: {not:?}",
        pairs.len()
    );
}

#[test]
fn each_kind_of_problem_is_found_with_its_place() {
    let text = "Derhalve wordt u verzocht het verschuldigde bedrag m.b.t. de aanslag, die u op 1 maart \
                2026 heeft ontvangen, indien mogelijk binnen veertien dagen, zonder dat u daarvoor niet \
                eerst contact opneemt met de afdeling Belastingen van de gemeente, onverwijld te voldoen.";
    let r = check(text, Format::Plain);
    let kinds: Vec<&str> = r.findings.iter().map(|f| f.kind).collect();
    for k in [
        "zeer-lange-zin",
        "lijdende-vorm",
        "formeel-woord",
        "afkorting",
        "komma",
        "dubbele-ontkenning",
    ] {
        assert!(kinds.contains(&k), "{k} not in {kinds:?}");
    }
    assert!(r.blocking());
    let derhalve = r
        .findings
        .iter()
        .find(|f| f.kind == "formeel-woord")
        .unwrap();
    assert_eq!(&text[derhalve.start..derhalve.end], "Derhalve");
    assert!(derhalve.suggestion.as_deref().unwrap().contains("daarom"));
    let abbreviation = r.findings.iter().find(|f| f.kind == "afkorting").unwrap();
    assert_eq!(&text[abbreviation.start..abbreviation.end], "m.b.t.");

    let plain = check(
        "U krijgt geld terug. Wij storten het op uw rekening.",
        Format::Plain,
    );
    assert!(!plain.blocking() && plain.level <= 2, "{plain:?}");
    assert!(plain.stats.addressed_as_u);
    let je = check("Je krijgt geld terug.", Format::Plain);
    assert!(je.findings.iter().any(|f| f.kind == "aanspreekvorm"));
}

/// A text for each kind; the screens name every kind, so each must be one
/// the checker can find.
#[test]
fn every_kind_the_screens_name_is_found() {
    let texts = [
        (
            "zeer-lange-zin",
            "U moet het bedrag dat u van de gemeente heeft gekregen voor de huur van de woning in de maand maart en de maand april van dit jaar binnen twee weken aan ons terug betalen op de rekening.",
        ),
        (
            "lange-zin",
            "U kunt ons bellen als u vragen heeft over de brief die wij u in maart hebben gestuurd.",
        ),
        (
            "komma",
            "U krijgt geld, u betaalt minder, u hoeft niets te doen.",
        ),
        (
            "bijzinnen",
            "Omdat u betaalt terwijl u dat wilt, is het goed.",
        ),
        ("lijdende-vorm", "Het geld wordt door ons betaald."),
        (
            "dubbele-ontkenning",
            "U hoeft niet geen formulier in te vullen.",
        ),
        (
            "tangconstructie",
            "U moet het formulier dat u van de gemeente in maart met de post kreeg invullen.",
        ),
        (
            "naamwoordstijl",
            "Na de betaling volgt de verwerking van uw aanvraag.",
        ),
        ("formeel-woord", "Derhalve betaalt u minder."),
        ("afkorting", "U betaalt m.b.t. de huur minder."),
        ("weinig-gebruikt-woord", "U krijgt een sequester."),
        ("lang-woord", "U krijgt een gemeentebelastingaanslag."),
        (
            "lange-alinea",
            "U krijgt geld. U betaalt minder. Wij helpen u. Wij bellen u. U kunt ons bellen. U krijgt een brief. Wij sturen u een brief.",
        ),
        ("aanspreekvorm", "Je krijgt geld terug."),
    ];
    let named: Vec<&str> = texts.iter().map(|(k, _)| *k).collect();
    assert_eq!(named, KINDS, "one text per kind, in the order of KINDS");
    for (kind, text) in texts {
        let r = check(text, Format::Plain);
        let found: Vec<&str> = r.findings.iter().map(|f| f.kind).collect();
        assert!(
            found.contains(&kind),
            "{kind} not in {found:?} for {text:?}"
        );
    }
}

#[test]
fn passives_with_worden_and_with_zijn_and_door() {
    let passive = |t: &str| {
        check(t, Format::Plain)
            .findings
            .iter()
            .any(|f| f.kind == "lijdende-vorm")
    };
    for yes in [
        "U wordt verzocht te betalen.",
        "Het geld dat betaald wordt, komt bij ons.",
        "Het bedrag is door ons betaald.",
        "U bent door de rechter benoemd als bewindvoerder.",
        "De aanvraag is goedgekeurd door de gemeente.",
    ] {
        assert!(passive(yes), "{yes}");
    }
    for no in [
        "U bent verhuisd.",
        "Wij hebben het bedrag betaald.",
        "Het bedrag is betaald.",
        "U bent door de week thuis.",
        "Het is gebeurd door een fout van ons.",
        "Het is fijn dat u door de regeling meer geld hebt gekregen.",
        "Zijn brief is door de storing niet aangekomen.",
    ] {
        assert!(!passive(no), "{no}");
    }
}

#[test]
fn the_json_report_has_the_fields_tools_rely_on() {
    let r = check("<p>Indien u vragen heeft, belt u ons.</p>", Format::Html);
    let v = serde_json::to_value(&r).unwrap();
    for key in [
        "level",
        "difficulty",
        "flesch_douma",
        "leesindex_a",
        "findings",
    ] {
        assert!(v.get(key).is_some(), "{key}");
    }
    let f = &v["findings"][0];
    for key in ["start", "end", "kind", "severity", "message", "suggestion"] {
        assert!(f.get(key).is_some(), "{key} in {f}");
    }
    assert_eq!(f["severity"], "advies");
    let text = "<p>Indien u vragen heeft, belt u ons.</p>";
    let start = f["start"].as_u64().unwrap() as usize;
    assert_eq!(&text[start..start + 6], "Indien");
    assert!(r.findings.iter().all(|f| f.severity < Severity::Blokkerend));
}

proptest! {
    /// Any text, any format: no panic, and every finding is a place in the
    /// text as given.
    #[test]
    fn any_text_gives_findings_inside_it(text in "(\\PC|[.,€\\n<>&#*\\[\\]()-]){0,300}", f in 0..3u8) {
        let format = [Format::Plain, Format::Markdown, Format::Html][usize::from(f)];
        let r = check(&text, format);
        for finding in &r.findings {
            prop_assert!(finding.start <= finding.end && finding.end <= text.len());
            prop_assert!(text.is_char_boundary(finding.start) && text.is_char_boundary(finding.end));
            prop_assert!(KINDS.contains(&finding.kind));
        }
        prop_assert!((1..=4).contains(&r.level));
        prop_assert!(r.flesch_douma.is_finite() && r.leesindex_a.is_finite());
    }

    /// Texts built from the pieces letters are made of (words the lists
    /// know, abbreviations, amounts, dates, list items, markup), so every
    /// check runs: the same promises, findings in order, and a number per
    /// finding the screen can place.
    #[test]
    fn letter_like_text_keeps_every_promise(
        pieces in proptest::collection::vec(proptest::sample::select(PIECES.to_vec()), 0..120),
        f in 0..3u8,
    ) {
        let text: String = pieces.concat();
        let format = [Format::Plain, Format::Markdown, Format::Html][usize::from(f)];
        let r = check(&text, format);
        let mut last = (0, 0);
        for finding in &r.findings {
            prop_assert!(finding.start <= finding.end && finding.end <= text.len());
            prop_assert!(text.is_char_boundary(finding.start) && text.is_char_boundary(finding.end));
            prop_assert!(KINDS.contains(&finding.kind));
            prop_assert!((finding.start, finding.end) >= last, "findings in text order");
            last = (finding.start, finding.end);
            prop_assert!(!finding.message.is_empty());
            // Every finding points at words, but the one about the whole
            // text never saying "u" (empty, at its start). Judged from the
            // text itself, not from `scope()`, which derives from the range.
            let covered = &text[finding.start..finding.end];
            if finding.kind == "aanspreekvorm" && covered.is_empty() {
                prop_assert_eq!(finding.start, 0);
                prop_assert_eq!(finding.scope(), Scope::Text);
            } else {
                prop_assert!(
                    covered.chars().any(char::is_alphanumeric),
                    "{} covers no word: {:?}", finding.kind, covered
                );
                prop_assert!(finding.scope() != Scope::Text, "{}", finding.kind);
            }
        }
        prop_assert!((1..=4).contains(&r.level));
        prop_assert!((0.0..=100.0).contains(&r.difficulty));
    }
}

const PIECES: &[&str] = &[
    "U ",
    "krijgt ",
    "geld",
    " terug",
    ". ",
    ", ",
    "\n",
    "\n\n",
    "derhalve ",
    "Indien ",
    "ten behoeve van ",
    "wordt ",
    "betaald ",
    "door ",
    "ons ",
    "niet ",
    "geen ",
    "m.b.t. ",
    "bijv. ",
    "t/m ",
    "nr. ",
    "€ 1.234,56 ",
    "12 euro ",
    "15-03-2026 ",
    "1 maart 2026 ",
    "- ",
    "1. ",
    "* ",
    "<p>",
    "</p>",
    "<br>",
    "<a href=\"x\">",
    "</a>",
    "**",
    "# ",
    "[link](https://x.nl) ",
    "gemeentebelastingaanslag ",
    "sequester ",
    "de betaling ",
    "omdat ",
    "als ",
    "dat ",
    "die ",
    "je ",
    "uw ",
    "Geachte ",
    "mevrouw",
    "?",
    "!",
    ";",
    ":",
    "\"",
    "'",
    "(",
    ")",
    "café ",
    "ideeën ",
    "ÉÉN ",
    "  ",
    "\t",
    "&amp; ",
    "&nbsp;",
    "<!-- x -->",
    "`code` ",
];
