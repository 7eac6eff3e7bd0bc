//! Generates households and their members, one `PersonRow` at a time.

use crate::names::{
    FEMALE, FIRST_POSTCODE_AREA, MALE, STREET_STEMS, STREET_SUFFIXES, SURNAMES, TOWN, WIJKEN,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::Path;
use time::{Date, Duration};
use wegwijs_domain::person::format_date;
use wegwijs_domain::register::PersonRow;
use wegwijs_domain::{Bsn, HouseholdRole, Postcode, Voorziening};

#[derive(Clone, Debug)]
pub struct Config {
    pub persons: usize,
    pub seed: u64,
    /// Ages are computed against this date, not today, so that output does
    /// not change from day to day.
    pub reference_date: Date,
}

impl Config {
    /// Enough for the largest Dutch municipality, and well within the BSN
    /// range the generator uses.
    pub const MAX_PERSONS: usize = 5_000_000;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    pub persons: usize,
    pub households: usize,
}

/// Addresses per postcode (a street side's block, as in reality 10 to 25).
const PER_POSTCODE: u32 = 25;
/// The BSN prefix walk: a stride coprime with 10^7 visits every prefix once.
const BSN_STRIDE: u64 = 7_368_787;

/// Calls `sink` with each person, household by household, in a fixed order.
pub fn generate<E>(
    cfg: &Config,
    mut sink: impl FnMut(PersonRow) -> Result<(), E>,
) -> Result<Summary, E> {
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    let mut town = Town::new(cfg.persons, &mut rng);
    let mut bsns = BsnSource::new(cfg.seed);
    let mut summary = Summary {
        persons: 0,
        households: 0,
    };
    while summary.persons < cfg.persons {
        let members = household(&mut rng, cfg.persons - summary.persons);
        summary.households += 1;
        let key = format!("HH-{:07}", summary.households);
        let address = town.next_address(&mut rng);
        let finances = household_finances(&mut rng, &members);
        let family = SURNAMES[rng.random_range(0..SURNAMES.len())];
        for (member, (inkomen, vermogen, voorzieningen)) in members.iter().zip(finances) {
            let surname = match member.role {
                HouseholdRole::Referentiepersoon | HouseholdRole::Kind => family,
                _ => SURNAMES[rng.random_range(0..SURNAMES.len())],
            };
            let birth = cfg.reference_date
                - Duration::days(
                    member.age as i64 * 365 + member.age as i64 / 4 + rng.random_range(0..365),
                );
            sink(PersonRow {
                bsn: bsns.next(),
                voornamen: first_names(&mut rng, member.female),
                voorvoegsel: surname.0.to_string(),
                geslachtsnaam: surname.1.to_string(),
                geboortedatum: format_date(birth),
                straat: address.street.clone(),
                huisnummer: address.number.to_string(),
                huisletter: String::new(),
                huisnummertoevoeging: address.toevoeging.clone(),
                postcode: address.postcode.to_string(),
                woonplaats: TOWN.to_string(),
                wijk: address.wijk.to_string(),
                buurt: address.buurt.to_string(),
                huishouden: key.clone(),
                rol_in_huishouden: member.role.code().to_string(),
                netto_inkomen_maand_cent: inkomen.to_string(),
                vermogen_cent: vermogen.to_string(),
                voorzieningen: Voorziening::format_list(&voorzieningen),
            })?;
            summary.persons += 1;
        }
    }
    Ok(summary)
}

/// Writes `dir/personen.csv` (creating `dir`), via a temporary file that is
/// renamed at the end, so a failed run never leaves half a file.
pub fn write_personen_csv(cfg: &Config, dir: &Path) -> std::io::Result<Summary> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join("personen.csv");
    let tmp = dir.join(".personen.csv.tmp");
    let file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
    let mut out = csv::Writer::from_writer(file);
    let summary = generate(cfg, |row| out.serialize(row))?;
    out.flush()?;
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    std::fs::rename(&tmp, &path)?;
    Ok(summary)
}

struct Member {
    role: HouseholdRole,
    age: u32,
    female: bool,
}

/// A household composition roughly as CBS counts them: many single-person
/// households, couples with and without children, single parents, a few
/// others. Never more members than `room`.
fn household(rng: &mut ChaCha8Rng, room: usize) -> Vec<Member> {
    let adult = |rng: &mut ChaCha8Rng, role, lo: u32, hi: u32| Member {
        role,
        age: rng.random_range(lo..=hi),
        female: rng.random_bool(0.5),
    };
    let roll = rng.random_range(0..100);
    let mut members = Vec::with_capacity(5);
    let single_age = |rng: &mut ChaCha8Rng| match rng.random_range(0..100) {
        0..30 => (18, 34),
        30..65 => (35, 66),
        _ => (67, 95),
    };
    match roll {
        0..38 => {
            let (lo, hi) = single_age(rng);
            members.push(adult(rng, HouseholdRole::Referentiepersoon, lo, hi));
        }
        38..65 => {
            let r = adult(rng, HouseholdRole::Referentiepersoon, 22, 90);
            let age = (r.age as i64 + rng.random_range(-6..=6)).clamp(19, 95) as u32;
            members.push(Member {
                role: HouseholdRole::Partner,
                age,
                female: !r.female,
            });
            members.insert(0, r);
        }
        65..98 => {
            let couple = roll < 90;
            let r = adult(rng, HouseholdRole::Referentiepersoon, 25, 55);
            let oldest_child = (r.age - 20).min(20);
            if couple {
                let age = (r.age as i64 + rng.random_range(-5..=5)).clamp(22, 60) as u32;
                members.push(Member {
                    role: HouseholdRole::Partner,
                    age,
                    female: !r.female,
                });
            }
            let kids = match rng.random_range(0..100) {
                0..40 => 1,
                40..80 => 2,
                80..95 => 3,
                _ => 4,
            };
            for _ in 0..kids {
                members.push(Member {
                    role: HouseholdRole::Kind,
                    age: rng.random_range(0..=oldest_child),
                    female: rng.random_bool(0.5),
                });
            }
            members.insert(0, r);
        }
        _ => {
            members.push(adult(rng, HouseholdRole::Referentiepersoon, 18, 30));
            for _ in 0..rng.random_range(1..=2) {
                members.push(adult(rng, HouseholdRole::Overig, 18, 30));
            }
        }
    }
    members.truncate(room);
    members
}

fn first_names(rng: &mut ChaCha8Rng, female: bool) -> String {
    let list = if female { FEMALE } else { MALE };
    let count = match rng.random_range(0..10) {
        0..5 => 1,
        5..9 => 2,
        _ => 3,
    };
    (0..count)
        .map(|_| list[rng.random_range(0..list.len())])
        .collect::<Vec<_>>()
        .join(" ")
}

/// Per member: net monthly income and assets in eurocents, and benefits.
/// Some households that would qualify for an allowance do not receive it
/// (non-take-up), as in reality: that is what Wegwijs sets out to find.
fn household_finances(
    rng: &mut ChaCha8Rng,
    members: &[Member],
) -> Vec<(i64, i64, Vec<Voorziening>)> {
    let mut out: Vec<(i64, i64, Vec<Voorziening>)> =
        members.iter().map(|m| person_finances(rng, m)).collect();
    let total: i64 = out.iter().map(|f| f.0).sum();
    let adults = members
        .iter()
        .filter(|m| m.role != HouseholdRole::Kind)
        .count();
    let minors = members
        .iter()
        .filter(|m| m.role == HouseholdRole::Kind && m.age < 18)
        .count();
    // In eurocents a month: €2,900 for one adult, €4,000 for more.
    let low_income = total < if adults == 1 { 290_000 } else { 400_000 };
    let on_bijstand = out.iter().any(|f| f.2.contains(&Voorziening::Bijstand));
    let mut give = |rng: &mut ChaCha8Rng, who: usize, v: Voorziening, take_up: f64| {
        if rng.random_bool(take_up) {
            out[who].2.push(v);
        }
    };
    if low_income {
        for (i, m) in members.iter().enumerate() {
            if m.role != HouseholdRole::Kind && m.age >= 18 {
                give(rng, i, Voorziening::Zorgtoeslag, 0.8);
            }
        }
        give(rng, 0, Voorziening::Huurtoeslag, 0.65);
        if minors > 0 {
            give(rng, 0, Voorziening::KindgebondenBudget, 0.85);
        }
        give(rng, 0, Voorziening::Schuldhulp, 0.03);
    }
    if minors > 0 {
        give(rng, 0, Voorziening::Kinderbijslag, 0.98);
    }
    if on_bijstand {
        give(rng, 0, Voorziening::Kwijtschelding, 0.5);
    }
    for f in &mut out {
        f.2.sort();
        f.2.dedup();
    }
    out
}

fn person_finances(rng: &mut ChaCha8Rng, m: &Member) -> (i64, i64, Vec<Voorziening>) {
    let euros = |rng: &mut ChaCha8Rng, lo: i64, hi: i64| rng.random_range(lo..=hi) * 100;
    if m.role == HouseholdRole::Kind {
        let income = if m.age >= 16 && rng.random_bool(0.5) {
            euros(rng, 50, 600)
        } else {
            0
        };
        return (
            income,
            if rng.random_bool(0.3) {
                euros(rng, 0, 3_000)
            } else {
                0
            },
            vec![],
        );
    }
    let (income, benefit, modest) = if m.age >= 67 {
        (euros(rng, 1_350, 2_900), Some(Voorziening::Aow), false)
    } else {
        match rng.random_range(0..100) {
            0..66 => (euros(rng, 1_700, 5_500), None, false),
            66..70 => (euros(rng, 1_400, 2_600), Some(Voorziening::Ww), false),
            70..76 => (euros(rng, 1_100, 1_450), Some(Voorziening::Bijstand), true),
            76..78 => (euros(rng, 1_200, 1_900), Some(Voorziening::Wajong), true),
            78..80 => (euros(rng, 1_300, 2_300), Some(Voorziening::Wia), false),
            _ => (euros(rng, 0, 500), None, false),
        }
    };
    let assets = match (modest, rng.random_range(0..100)) {
        (true, _) => euros(rng, 0, 7_000),
        (false, 0..70) => euros(rng, 0, 10_000),
        (false, 70..92) => euros(rng, 10_000, 60_000),
        (false, _) => euros(rng, 60_000, 400_000),
    };
    (income, assets, benefit.into_iter().collect())
}

struct Address {
    street: String,
    number: u32,
    toevoeging: String,
    postcode: Postcode,
    wijk: &'static str,
    buurt: &'static str,
}

struct Street {
    name: String,
    next_number: u32,
    /// (number, next toevoeging, last toevoeging) of a block of flats being filled.
    flats: Option<(u32, u32, u32)>,
    /// The postcode of each block of PER_POSTCODE numbers.
    postcodes: Vec<Postcode>,
}

struct Buurt {
    wijk: &'static str,
    name: &'static str,
    weight: u32,
    first_area: u16,
    streets: Vec<Street>,
    postcodes_used: usize,
}

struct Town {
    buurten: Vec<Buurt>,
    total_weight: u32,
    letter_pairs: Vec<[u8; 2]>,
}

impl Town {
    fn new(persons: usize, rng: &mut ChaCha8Rng) -> Town {
        let letter_pairs: Vec<[u8; 2]> = (b'A'..=b'Z')
            .flat_map(|a| (b'A'..=b'Z').map(move |b| [a, b]))
            .filter(|p| !matches!(p, b"SA" | b"SD" | b"SS"))
            .collect();
        let total_weight: u32 = WIJKEN.iter().flat_map(|w| w.1.iter()).map(|b| b.2).sum();
        let households = (persons as u64 * 10 / 23).max(1);
        // The largest buurt's expected share, plus a tenth for chance.
        let max_share = households * 4 * 11 / 10 / total_weight as u64 + 1;
        let areas_per_buurt =
            (max_share / (letter_pairs.len() as u64 * PER_POSTCODE as u64) + 1) as u16;
        let mut pools: Vec<Vec<String>> = STREET_STEMS
            .iter()
            .map(|stems| {
                let mut names: Vec<String> = stems
                    .iter()
                    .flat_map(|s| STREET_SUFFIXES.iter().map(move |x| format!("{s}{x}")))
                    .collect();
                for i in (1..names.len()).rev() {
                    names.swap(i, rng.random_range(0..=i));
                }
                names
            })
            .collect();
        let mut buurten = Vec::new();
        for (wijk, list) in WIJKEN {
            for (name, theme, weight) in *list {
                let share = households * *weight as u64 / total_weight as u64;
                let count = (share / 120).clamp(2, 14) as usize;
                let pool = &mut pools[*theme];
                let streets = (0..count.min(pool.len()))
                    .filter_map(|_| pool.pop())
                    .map(|name| Street {
                        name,
                        next_number: 1,
                        flats: None,
                        postcodes: Vec::new(),
                    })
                    .collect();
                let first_area = FIRST_POSTCODE_AREA + buurten.len() as u16 * areas_per_buurt;
                buurten.push(Buurt {
                    wijk,
                    name,
                    weight: *weight,
                    first_area,
                    streets,
                    postcodes_used: 0,
                });
            }
        }
        Town {
            buurten,
            total_weight,
            letter_pairs,
        }
    }

    fn next_address(&mut self, rng: &mut ChaCha8Rng) -> Address {
        let mut pick = rng.random_range(0..self.total_weight);
        let idx = self.buurten.iter().position(|b| {
            if pick < b.weight {
                true
            } else {
                pick -= b.weight;
                false
            }
        });
        let buurt = &mut self.buurten[idx.unwrap_or(0)];
        let s = rng.random_range(0..buurt.streets.len());
        let street = &mut buurt.streets[s];
        let (number, toevoeging) = match street.flats {
            Some((n, next, last)) => {
                street.flats = if next < last {
                    Some((n, next + 1, last))
                } else {
                    None
                };
                (n, next.to_string())
            }
            None => {
                let n = street.next_number;
                street.next_number += 1;
                if rng.random_bool(0.08) {
                    let last = rng.random_range(2..=8);
                    street.flats = Some((n, 2, last));
                    (n, "1".to_string())
                } else {
                    (n, String::new())
                }
            }
        };
        let block = ((number - 1) / PER_POSTCODE) as usize;
        while street.postcodes.len() <= block {
            let i = buurt.postcodes_used;
            buurt.postcodes_used += 1;
            let area = buurt.first_area + (i / self.letter_pairs.len()) as u16;
            let [a, b] = self.letter_pairs[i % self.letter_pairs.len()];
            let text = format!("{area}{}{}", a as char, b as char);
            #[expect(
                clippy::unreachable,
                reason = "areas stay within 1000-9999 and pairs skip SA, SD and SS for up to \
                          Config::MAX_PERSONS (the_largest_population_fits_the_postcode_range)"
            )]
            let postcode = Postcode::parse(&text)
                .unwrap_or_else(|_| unreachable!("generated postcode {text}"));
            street.postcodes.push(postcode);
        }
        Address {
            street: street.name.clone(),
            number,
            toevoeging,
            postcode: street.postcodes[block],
            wijk: buurt.wijk,
            buurt: buurt.name,
        }
    }
}

/// Unique BSNs starting with 9: walks the 10^7 prefixes 90000000..99999999
/// with a stride coprime to 10^7 (so none repeats) and skips the prefixes
/// that have no valid check digit.
struct BsnSource {
    position: u64,
}

impl BsnSource {
    fn new(seed: u64) -> Self {
        BsnSource {
            position: seed % 10_000_000,
        }
    }

    fn next(&mut self) -> String {
        loop {
            let prefix = 90_000_000 + (self.position * BSN_STRIDE) % 10_000_000;
            self.position += 1;
            if let Some(bsn) = Bsn::from_prefix(prefix as u32) {
                return bsn.expose();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use time::macros::date;

    #[test]
    fn the_largest_population_fits_the_postcode_range() {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let town = Town::new(Config::MAX_PERSONS, &mut rng);
        let last = town.buurten.last().unwrap();
        let areas = last.first_area - town.buurten[0].first_area;
        assert!(last.first_area + areas / town.buurten.len() as u16 <= 9999);
    }

    fn config(persons: usize, seed: u64) -> Config {
        Config {
            persons,
            seed,
            reference_date: date!(2026 - 01 - 01),
        }
    }

    fn rows(cfg: &Config) -> Vec<PersonRow> {
        let mut out = Vec::new();
        generate(cfg, |r| {
            out.push(r);
            Ok::<_, ()>(())
        })
        .unwrap();
        out
    }

    #[test]
    fn every_row_is_valid_and_bsns_are_unique() {
        let cfg = config(20_000, 7);
        let all = rows(&cfg);
        assert_eq!(all.len(), 20_000);
        let mut bsns = HashSet::new();
        for r in &all {
            let rec = r
                .to_record(date!(2026 - 01 - 01))
                .unwrap_or_else(|e| panic!("{e:?}"));
            assert!(bsns.insert(rec.bsn), "duplicate BSN");
            assert!(r.bsn.starts_with('9'));
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_population() {
        assert_eq!(rows(&config(3_000, 42)), rows(&config(3_000, 42)));
        assert_ne!(rows(&config(3_000, 42)), rows(&config(3_000, 43)));
    }

    #[test]
    fn addresses_and_households_are_consistent() {
        let all = rows(&config(10_000, 1));
        let mut by_household: std::collections::HashMap<&str, Vec<&PersonRow>> = Default::default();
        for r in &all {
            by_household
                .entry(r.huishouden.as_str())
                .or_default()
                .push(r);
        }
        for members in by_household.values() {
            let first = members[0];
            assert_eq!(first.rol_in_huishouden, "referentiepersoon");
            assert!(
                members
                    .iter()
                    .all(|m| (&m.straat, &m.huisnummer, &m.postcode)
                        == (&first.straat, &first.huisnummer, &first.postcode))
            );
        }
        // One postcode never spans two buurten.
        let mut buurt_of: std::collections::HashMap<&str, &str> = Default::default();
        for r in &all {
            assert_eq!(
                *buurt_of
                    .entry(r.postcode.as_str())
                    .or_insert(r.buurt.as_str()),
                r.buurt.as_str()
            );
        }
        // Some low-income households go without an allowance they could get.
        assert!(all.iter().any(|r| r.voorzieningen.contains("zorgtoeslag")));
        assert!(all.iter().any(|r| r.voorzieningen.contains("bijstand")));
    }
}
