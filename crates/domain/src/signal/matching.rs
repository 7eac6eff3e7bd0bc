//! Linking a signal to a resident in the register: by BSN when the partner
//! knows it, otherwise by surname, address and birth date, with Dutch name
//! normalisation. Anything not certain goes to a person, never a guess.

use super::row::Signal;
use crate::bsn::Bsn;
use crate::postcode::Postcode;
use crate::resident::ResidentId;
use std::collections::HashMap;
use time::Date;

/// What the matcher needs to know about one resident.
#[derive(Clone)]
pub struct RegisterEntry {
    pub resident: ResidentId,
    pub household: i64,
    pub bsn: Bsn,
    /// From [`surname_key`].
    pub surname: String,
    /// From [`first_initial`] of the first names.
    pub initial: Option<char>,
    pub geboortedatum: Date,
    pub postcode: Postcode,
    pub huisnummer: u32,
}

/// How a signal was (or was not) linked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchOutcome {
    Bsn {
        resident: ResidentId,
        household: i64,
    },
    Name {
        resident: ResidentId,
        household: i64,
    },
    /// The partner gave a BSN that is not in the register.
    UnknownBsn,
    /// Nobody with this surname, address (and birth date) is registered.
    NotFound,
    /// More than one resident fits; a caseworker decides.
    Ambiguous { candidates: usize },
}

impl MatchOutcome {
    /// Stable code, as stored ("hand" is for links made by a caseworker).
    pub fn code(self) -> &'static str {
        match self {
            MatchOutcome::Bsn { .. } => "bsn",
            MatchOutcome::Name { .. } => "naam",
            MatchOutcome::UnknownBsn => "bsn-onbekend",
            MatchOutcome::NotFound => "geen",
            MatchOutcome::Ambiguous { .. } => "meerdere",
        }
    }

    pub fn linked(self) -> Option<(ResidentId, i64)> {
        match self {
            MatchOutcome::Bsn {
                resident,
                household,
            }
            | MatchOutcome::Name {
                resident,
                household,
            } => Some((resident, household)),
            _ => None,
        }
    }
}

/// An index over (part of) the register. It must hold every candidate for
/// the signals it is asked about: the whole register, or the residents at
/// the signals' addresses and BSNs.
pub struct Matcher {
    /// Sorted by address, so that the residents of one address (a block
    /// of flats may have thirty) lie side by side in memory.
    entries: Vec<RegisterEntry>,
    by_bsn: HashMap<Bsn, u32>,
    /// Where each address's residents start in `entries`, and how many.
    by_address: HashMap<(Postcode, u32), (u32, u32)>,
}

impl Matcher {
    pub fn new(mut entries: Vec<RegisterEntry>) -> Self {
        let address = |e: &RegisterEntry| (e.postcode, e.huisnummer);
        entries.sort_unstable_by_key(address);
        let mut by_address = HashMap::with_capacity(entries.len() / 2);
        let mut start = 0;
        for group in entries.chunk_by(|a, b| address(a) == address(b)) {
            by_address.insert(address(&group[0]), (start as u32, group.len() as u32));
            start += group.len();
        }
        let by_bsn = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.bsn, i as u32))
            .collect();
        Matcher {
            entries,
            by_bsn,
            by_address,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn find(&self, s: &Signal) -> MatchOutcome {
        if let Some(bsn) = s.bsn {
            return match self.by_bsn.get(&bsn) {
                Some(&i) => {
                    let e = &self.entries[i as usize];
                    MatchOutcome::Bsn {
                        resident: e.resident,
                        household: e.household,
                    }
                }
                None => MatchOutcome::UnknownBsn,
            };
        }
        let (Some(postcode), Some(huisnummer), Some(achternaam)) =
            (s.postcode, s.huisnummer, &s.achternaam)
        else {
            return MatchOutcome::NotFound;
        };
        let Some(&(start, count)) = self.by_address.get(&(postcode, huisnummer)) else {
            return MatchOutcome::NotFound;
        };
        let at_address = &self.entries[start as usize..(start + count) as usize];
        let surname = surname_key(s.voorvoegsel.as_deref().unwrap_or(""), achternaam);
        let wanted = first_initial(s.voorletters.as_deref().unwrap_or(""));
        let candidates = || {
            at_address
                .iter()
                // The cheap test first: a flat may have thirty residents.
                .filter(|e| s.geboortedatum.is_none_or(|d| d == e.geboortedatum))
                .filter(|e| surnames_agree(&e.surname, &surname))
        };
        // Initials settle a tie, and stand in for a missing birth date.
        let fitting = || candidates().filter(|e| wanted.is_some() && e.initial == wanted);
        let (found, count) = first_and_count(candidates());
        let (found, count) = if count > 1 || s.geboortedatum.is_none() {
            match first_and_count(fitting()) {
                (_, 0) if s.geboortedatum.is_some() => (found, count),
                narrowed => narrowed,
            }
        } else {
            (found, count)
        };
        match (found, count) {
            (Some(e), 1) => MatchOutcome::Name {
                resident: e.resident,
                household: e.household,
            },
            (_, 0) => MatchOutcome::NotFound,
            (_, more) => MatchOutcome::Ambiguous { candidates: more },
        }
    }
}

/// The first item and how many there are, without collecting them.
fn first_and_count<'a>(
    mut items: impl Iterator<Item = &'a RegisterEntry>,
) -> (Option<&'a RegisterEntry>, usize) {
    let first = items.next();
    (first, first.map_or(0, |_| 1 + items.count()))
}

/// Words that are voorvoegsels (or parts of them), wherever they appear:
/// partners write "van der Berg" in the surname field as often as not.
const VOORVOEGSELS: &[&str] = &[
    "van", "der", "den", "de", "het", "t", "ter", "ten", "te", "in", "op", "aan", "bij", "uit",
    "onder", "over", "vd", "v", "von", "vom", "zu", "la", "le", "du", "da", "di", "del", "della",
    "dos", "das", "do", "el", "al", "d", "l", "ben", "bin", "ibn", "lo", "los", "las", "mac", "o",
];

/// The surname as matching compares it: voorvoegsels dropped, lower case,
/// without diacritics, "ij" as "y", only letters; the parts of a double
/// name ("Jansen-de Vries") kept apart by '-'. One pass, few allocations:
/// the register's million names go through here on every large import.
pub fn surname_key(voorvoegsel: &str, achternaam: &str) -> String {
    let mut out = String::with_capacity(voorvoegsel.len() + achternaam.len() + 1);
    let mut word = String::new();
    // Voorvoegsel words of the current part, kept in case they are all it has.
    let mut dropped = String::new();
    let mut part_start = 0;
    let end_word = |out: &mut String, word: &mut String, dropped: &mut String| {
        if VOORVOEGSELS.contains(&word.as_str()) {
            dropped.push_str(word);
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    let chars = voorvoegsel
        .chars()
        .chain(std::iter::once(' '))
        .chain(achternaam.chars());
    for c in chars.chain(std::iter::once('-')) {
        fold_char(c, |f| {
            if f.is_ascii_alphanumeric() {
                word.push(f);
            } else {
                end_word(&mut out, &mut word, &mut dropped);
                if f == '-' {
                    if out.len() == part_start {
                        out.push_str(&dropped);
                    }
                    dropped.clear();
                    if out.len() > part_start {
                        out.push('-');
                    }
                    part_start = out.len();
                }
            }
        });
    }
    if out.ends_with('-') {
        out.pop();
    }
    if out.contains("ij") {
        out = out.replace("ij", "y");
    }
    out
}

/// Two surname keys name the same person: equal, or one is a part of the
/// other's double name (a partner may know only the partner's name part).
pub fn surnames_agree(register: &str, signal: &str) -> bool {
    if register.is_empty() || signal.is_empty() {
        return false;
    }
    register == signal
        || same_without_dashes(register, signal)
        || register.split('-').any(|p| same_without_dashes(p, signal))
        || signal.split('-').any(|p| same_without_dashes(p, register))
}

/// `a` and `b` are equal once their '-' are left out.
fn same_without_dashes(a: &str, b: &str) -> bool {
    if !a.contains('-') && !b.contains('-') {
        return a == b;
    }
    let not_dash = |c: &u8| *c != b'-';
    a.bytes().filter(not_dash).eq(b.bytes().filter(not_dash))
}

/// Initials in lower case: "A.B." and "Anna Berber" both give "ab";
/// "Th." gives "t".
pub fn initials(names: &str) -> String {
    fold(names)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter_map(|w| w.chars().next())
        .collect()
}

/// The first of [`initials`], without building the rest.
pub fn first_initial(names: &str) -> Option<char> {
    let mut first = None;
    for c in names.chars() {
        fold_char(c, |f| {
            if first.is_none() && f.is_ascii_alphanumeric() {
                first = Some(f);
            }
        });
        if first.is_some() {
            break;
        }
    }
    first
}

/// Lower case without diacritics.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, |f| out.push(f));
    }
    out
}

/// One character in lower case without its diacritic (some become two).
fn fold_char(c: char, mut push: impl FnMut(char)) {
    if c.is_ascii() {
        if c != '\'' && c != '`' {
            push(c.to_ascii_lowercase());
        }
        return;
    }
    for c in c.to_lowercase() {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' | 'ă' => push('a'),
            'æ' => {
                push('a');
                push('e')
            }
            'ç' | 'ć' | 'č' => push('c'),
            'ď' | 'đ' => push('d'),
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => push('e'),
            'ğ' => push('g'),
            'ì' | 'í' | 'î' | 'ï' | 'ı' | 'ī' => push('i'),
            'ł' | 'ľ' => push('l'),
            'ñ' | 'ń' | 'ň' => push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' | 'ō' => push('o'),
            'œ' => {
                push('o');
                push('e')
            }
            'ř' => push('r'),
            'ß' => {
                push('s');
                push('s')
            }
            'ś' | 'š' | 'ş' => push('s'),
            'ť' | 'ţ' => push('t'),
            'ù' | 'ú' | 'û' | 'ü' | 'ů' | 'ű' | 'ū' => push('u'),
            'ý' | 'ÿ' => push('y'),
            'ź' | 'ż' | 'ž' => push('z'),
            '’' => {}
            c => push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::row::SignalFields;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn surnames_normalise_the_dutch_way() {
        assert_eq!(surname_key("van der", "Berg"), "berg");
        assert_eq!(surname_key("", "van der Berg"), "berg");
        assert_eq!(surname_key("", "V.d. Berg"), "berg");
        assert_eq!(surname_key("", "Çelik"), "celik");
        assert_eq!(surname_key("", "Dijkstra"), surname_key("", "DYKSTRA"));
        assert_eq!(surname_key("", "Jansen-de Vries"), "jansen-vries");
        assert_eq!(surname_key("", "De"), "de");
        assert_eq!(surname_key("el", "Amrani"), "amrani");
        assert_eq!(surname_key("", "'t Hart"), "hart");
        assert!(surnames_agree("jansen-vries", "vries"));
        assert!(surnames_agree("jansenvries", "jansen-vries"));
        assert!(!surnames_agree("jansen", "janssen"));
        assert!(!surnames_agree("", ""));
        assert_eq!(initials("A.B."), "ab");
        assert_eq!(initials("Anna Berber"), "ab");
        assert_eq!(initials("Th."), "t");
        assert_eq!(initials("Émile"), "e");
        for names in ["A.B.", "Anna Berber", "Th.", "Émile", " .x", "", "..."] {
            assert_eq!(first_initial(names), initials(names).chars().next());
        }
    }

    fn entry(id: i64, surname: &str, first: &str, born: Date, nr: u32, bsn: u32) -> RegisterEntry {
        RegisterEntry {
            resident: ResidentId(id),
            household: id * 10,
            bsn: valid_bsn(bsn),
            surname: surname_key("", surname),
            initial: first_initial(first),
            geboortedatum: born,
            postcode: Postcode::parse("7001 AB").unwrap(),
            huisnummer: nr,
        }
    }

    /// The first valid BSN from this 8-digit prefix on.
    fn valid_bsn(prefix: u32) -> Bsn {
        (prefix..).find_map(Bsn::from_prefix).unwrap()
    }

    fn signal(bsn: &str, vl: &str, vv: &str, naam: &str, born: &str, nr: &str) -> Signal {
        let mut f = [""; 20];
        f[0] = "S1";
        f[1] = "Energie";
        f[3] = bsn;
        f[4] = vl;
        f[5] = vv;
        f[6] = naam;
        f[7] = born;
        f[9] = nr;
        f[11] = "7001AB";
        f[15] = "100";
        f[16] = "2026-01-01";
        f[17] = "2026-02-01";
        Signal::validate(&SignalFields(f), date!(2026 - 11 - 22)).unwrap()
    }

    fn matcher() -> (Matcher, Bsn) {
        let m = Matcher::new(vec![
            entry(
                1,
                "van der Berg",
                "Anna",
                date!(1980 - 01 - 01),
                1,
                90_000_010,
            ),
            entry(
                2,
                "van der Berg",
                "Bert",
                date!(1980 - 01 - 01),
                1,
                90_000_020,
            ),
            entry(3, "Çelik", "Ayşe", date!(1975 - 05 - 05), 2, 90_000_030),
            entry(
                4,
                "Jansen-de Vries",
                "Sanne",
                date!(1990 - 09 - 09),
                3,
                90_000_040,
            ),
            entry(5, "Jansen", "Piet", date!(1960 - 01 - 01), 3, 90_000_050),
        ]);
        (m, valid_bsn(90_000_030))
    }

    #[test]
    fn bsn_first_then_name_and_address() {
        let (m, bsn) = matcher();
        let by_bsn = m.find(&signal(&bsn.expose(), "", "", "", "", ""));
        assert_eq!(by_bsn.linked(), Some((ResidentId(3), 30)));
        assert_eq!(by_bsn.code(), "bsn");
        let other = valid_bsn(90_000_900).expose();
        assert_eq!(
            m.find(&signal(&other, "", "", "", "", "")),
            MatchOutcome::UnknownBsn
        );
        let s = signal("", "A.", "", "CELIK", "1975-05-05", "2");
        assert_eq!(m.find(&s).code(), "naam");
        let s = signal("", "", "", "de Vries", "1990-09-09", "3");
        assert_eq!(m.find(&s).linked(), Some((ResidentId(4), 40)));
        let s = signal("", "", "", "Celik", "1975-05-06", "2");
        assert_eq!(m.find(&s), MatchOutcome::NotFound);
    }

    #[test]
    fn twins_are_told_apart_by_initials_or_left_to_a_person() {
        let (m, _) = matcher();
        let s = signal("", "B.", "van der", "Berg", "1980-01-01", "1");
        assert_eq!(m.find(&s).linked(), Some((ResidentId(2), 20)));
        let s = signal("", "", "", "v.d. Berg", "1980-01-01", "1");
        assert_eq!(m.find(&s), MatchOutcome::Ambiguous { candidates: 2 });
        let s = signal("", "C.", "", "Berg", "1980-01-01", "1");
        assert_eq!(m.find(&s), MatchOutcome::Ambiguous { candidates: 2 });
        // Without a birth date, only fitting initials link.
        let s = signal("", "", "", "Jansen", "", "3");
        assert_eq!(m.find(&s), MatchOutcome::NotFound);
        let s = signal("", "P.", "", "Jansen", "", "3");
        assert_eq!(m.find(&s).linked(), Some((ResidentId(5), 50)));
    }

    proptest! {
        #[test]
        fn normalising_never_panics_and_is_stable(a in "\\PC{0,30}", b in "\\PC{0,30}") {
            let k = surname_key(&a, &b);
            prop_assert_eq!(surname_key("", &k), k.clone());
            prop_assert_eq!(first_initial(&a), initials(&a).chars().next());
        }
    }
}
