//! Word lists the checks use: function words (not content), negations,
//! subordinating conjunctions, auxiliary verbs, and abbreviations written out.

pub const FUNCTION_WORDS: &[&str] = &[
    "de", "het", "een", "en", "of", "maar", "want", "dus", "in", "op", "aan", "van", "voor", "met",
    "te", "bij", "naar", "uit", "over", "om", "tot", "door", "onder", "tegen", "tussen", "na",
    "sinds", "zonder", "per", "als", "dan", "dat", "die", "dit", "deze", "wat", "wie", "waar",
    "hoe", "er", "hier", "daar", "niet", "geen", "ook", "nog", "al", "wel", "zo", "toe", "af", "u",
    "uw", "wij", "we", "ons", "onze", "ik", "mij", "me", "mijn", "je", "jij", "jou", "jouw", "hij",
    "hem", "zijn", "zij", "ze", "haar", "hun", "hen", "het", "is", "ben", "bent", "was", "waren",
    "wordt", "word", "worden", "werd", "werden", "heeft", "heb", "hebt", "hebben", "had", "hadden",
    "kan", "kunt", "kunnen", "kon", "konden", "moet", "moeten", "moest", "mag", "mogen", "zal",
    "zult", "zullen", "zou", "zouden", "wil", "wilt", "willen", "gaat", "gaan", "ga", "laat",
    "laten", "omdat", "doordat", "zodat", "terwijl", "nadat", "voordat", "wanneer", "hoewel",
    "tenzij", "indien", "mits", "zodra", "totdat", "welke", "welk", "elk", "elke", "alle", "veel",
    "meer", "meest", "iets", "niets", "iemand", "niemand", "nooit", "altijd", "soms", "nu", "dan",
    "toen", "eens", "even", "erg", "zeer", "heel", "wel", "ja", "nee",
];

pub const NEGATIONS: &[&str] = &[
    "niet", "geen", "nooit", "niets", "niemand", "nergens", "noch", "zonder", "nimmer",
];

pub const SUBORDINATORS: &[&str] = &[
    "omdat",
    "doordat",
    "aangezien",
    "zodat",
    "terwijl",
    "nadat",
    "voordat",
    "indien",
    "wanneer",
    "hoewel",
    "ofschoon",
    "tenzij",
    "mits",
    "opdat",
    "zodra",
    "totdat",
    "alvorens",
    "waardoor",
    "waarmee",
    "waarin",
    "waarop",
    "waarvan",
    "waarna",
    "waarbij",
    "waarvoor",
    "welke",
    "zoals",
    "alsof",
    "voorzover",
    "nadien",
];

/// Finite forms of the verbs that make tangconstructies and the passive.
pub const AUXILIARIES: &[&str] = &[
    "heeft", "heb", "hebt", "hebben", "had", "hadden", "is", "ben", "bent", "zijn", "was", "waren",
    "wordt", "word", "worden", "werd", "werden", "kan", "kunt", "kunnen", "kon", "konden", "moet",
    "moeten", "moest", "moesten", "mag", "mogen", "mocht", "zal", "zult", "zullen", "zou",
    "zouden", "wil", "wilt", "willen", "wilde", "dient", "dienen", "diende", "gaat", "gaan",
    "ging", "laat", "laten", "liet",
];

pub const WORDEN: &[&str] = &["word", "wordt", "worden", "werd", "werden", "geworden"];

/// Forms of "zijn", a passive only with "door" (see checks::passive).
pub const ZIJN: &[&str] = &["ben", "bent", "is", "zijn", "was", "waren", "geweest"];

/// Forms of "hebben": with one, a participle is an active perfect.
pub const HEBBEN: &[&str] = &["heb", "hebt", "heeft", "hebben", "had", "hadden"];

/// Words that start a new clause (besides the subordinators).
pub const CLAUSE_STARTS: &[&str] = &["dat", "die", "als", "en", "of", "maar", "want"];

/// Participles of verbs whose perfect takes "zijn" ("het is gebeurd"), by
/// their end, so "teruggekomen" and "aangekomen" count too.
const WITH_ZIJN: &[&str] = &[
    "gebeurd",
    "gekomen",
    "gegaan",
    "gebleven",
    "geweest",
    "geworden",
    "verhuisd",
    "vertrokken",
    "gestorven",
    "overleden",
    "ontstaan",
    "verschenen",
    "gestegen",
    "gedaald",
    "gegroeid",
    "gelukt",
    "mislukt",
    "begonnen",
    "gestopt",
    "verdwenen",
    "veranderd",
    "gevallen",
    "geslaagd",
    "gezakt",
    "verlopen",
    "afgelopen",
    "gebleken",
    "opgehouden",
];

pub fn is_with_zijn(lower: &str) -> bool {
    WITH_ZIJN.iter().any(|p| lower.ends_with(p))
}

/// Abbreviations written out, for the suggestion.
pub const WRITTEN_OUT: &[(&str, &str)] = &[
    ("m.b.t.", "over"),
    ("t.a.v.", "voor"),
    ("bijv.", "bijvoorbeeld"),
    ("bv.", "bijvoorbeeld"),
    ("o.a.", "onder andere"),
    ("nr.", "nummer"),
    ("etc.", "enzovoort"),
    ("enz.", "enzovoort"),
    ("z.s.m.", "zo snel mogelijk"),
    ("i.v.m.", "omdat, of: door"),
    ("d.w.z.", "dat wil zeggen"),
    ("a.u.b.", "alstublieft"),
    ("blz.", "bladzijde"),
    ("ca.", "ongeveer"),
    ("incl.", "met"),
    ("excl.", "zonder"),
    ("evt.", "misschien, of: als dat nodig is"),
    ("tel.", "telefoon"),
    ("n.a.v.", "na, of: over"),
    ("t.z.t.", "later"),
    ("i.p.v.", "in plaats van"),
    ("m.i.v.", "vanaf"),
    ("t/m", "tot en met"),
    ("art.", "artikel"),
    ("z.o.z.", "kijk op de andere kant"),
    ("t.b.v.", "voor"),
    ("m.a.w.", "met andere woorden"),
];

pub fn is(list: &[&str], lower: &str) -> bool {
    list.contains(&lower)
}
