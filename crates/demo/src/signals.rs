//! Arrears signals for a generated population, in the intake format
//! (docs/signalen.md): the benchmark's national year, and the demo's queue.
//! Debts cluster in low-income households; some signals are deliberately
//! hard to link (an unknown BSN, a wrong house number) so the matching
//! queue has work in it, as in reality.

use crate::population::{Config, generate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::Path;
use time::Duration;
use wegwijs_domain::Bsn;
use wegwijs_domain::person::format_date;
use wegwijs_domain::signal::matching::initials;
use wegwijs_domain::signal::{COLUMNS, PartnerType};

/// What a creditor knows of the person it signals.
struct Debtor {
    bsn: String,
    voorletters: String,
    voorvoegsel: String,
    achternaam: String,
    geboortedatum: String,
    straat: String,
    huisnummer: String,
    toevoeging: String,
    postcode: String,
    low_income: bool,
}

/// Writes `dir/signalen.csv` with `count` signals about the population
/// `cfg` describes, via a temporary file renamed at the end.
pub fn write_signalen_csv(cfg: &Config, count: usize, dir: &Path) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join("signalen.csv");
    let tmp = dir.join(".signalen.csv.tmp");
    let file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
    let mut out = csv::Writer::from_writer(file);
    out.write_record(COLUMNS)?;
    generate_signals(cfg, count, |row| out.write_record(row))?;
    out.flush()?;
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    std::fs::rename(&tmp, &path)?;
    Ok(count)
}

/// Gives `count` signals about the population `cfg` describes, each as
/// its fields in [`COLUMNS`] order, to `each`; stops at its first error.
/// The same configuration gives the same signals.
pub fn generate_signals<E>(
    cfg: &Config,
    count: usize,
    mut each: impl FnMut([String; 20]) -> Result<(), E>,
) -> Result<(), E> {
    let debtors = debtors(cfg);
    if debtors.is_empty() {
        return Ok(());
    }
    let poor: Vec<usize> = (0..debtors.len())
        .filter(|&i| debtors[i].low_income)
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed ^ 0x5167_4e41);
    for i in 0..count {
        let who = if !poor.is_empty() && rng.random_bool(0.7) {
            poor[rng.random_range(0..poor.len())]
        } else {
            rng.random_range(0..debtors.len())
        };
        each(signal(cfg, i, &debtors[who], &mut rng))?;
    }
    Ok(())
}

/// The reference person of every household: the one creditors know.
fn debtors(cfg: &Config) -> Vec<Debtor> {
    let mut out = Vec::new();
    let _ = generate::<std::convert::Infallible>(cfg, |p| {
        if p.rol_in_huishouden == "referentiepersoon" {
            let income: i64 = p.netto_inkomen_maand_cent.parse().unwrap_or(0);
            out.push(Debtor {
                bsn: p.bsn,
                voorletters: initials(&p.voornamen)
                    .to_uppercase()
                    .chars()
                    .map(|c| format!("{c}."))
                    .collect(),
                voorvoegsel: p.voorvoegsel,
                achternaam: p.geslachtsnaam,
                geboortedatum: p.geboortedatum,
                straat: p.straat,
                huisnummer: p.huisnummer,
                toevoeging: p.huisnummertoevoeging,
                postcode: p.postcode,
                low_income: income < 200_000,
            });
        }
        Ok(())
    });
    out
}

/// Creditor types roughly as signals arrive nationally.
fn partner(rng: &mut ChaCha8Rng) -> PartnerType {
    match rng.random_range(0..100) {
        0..35 => PartnerType::Zorg,
        35..60 => PartnerType::Energie,
        60..80 => PartnerType::Huur,
        80..94 => PartnerType::Water,
        94..96 => PartnerType::CakZorgverzekering,
        96..98 => PartnerType::Duo,
        _ => PartnerType::Hypotheek,
    }
}

fn signal(cfg: &Config, i: usize, d: &Debtor, rng: &mut ChaCha8Rng) -> [String; 20] {
    let partner = partner(rng);
    // Insurers and government bodies know the BSN; landlords and utilities do not.
    let knows_bsn = matches!(
        partner,
        PartnerType::Zorg | PartnerType::CakZorgverzekering | PartnerType::Duo
    );
    let (lo, hi) = match partner {
        PartnerType::Huur | PartnerType::Hypotheek => (50_000, 300_000),
        PartnerType::Energie => (20_000, 150_000),
        PartnerType::Water => (5_000, 30_000),
        _ => (10_000, 80_000),
    };
    let signaaldatum = cfg.reference_date - Duration::days(rng.random_range(0..330));
    let ontstaansdatum = signaaldatum - Duration::days(rng.random_range(30..240));
    let mut bsn = if knows_bsn {
        d.bsn.clone()
    } else {
        String::new()
    };
    let mut huisnummer = d.huisnummer.clone();
    match rng.random_range(0..1000) {
        // Someone who moved away: a BSN the register does not have.
        0..5 if knows_bsn => {
            let prefix = 80_000_000 + rng.random_range(0..9_000_000u32);
            bsn = (prefix..)
                .find_map(Bsn::from_prefix)
                .map(|b| b.expose())
                .unwrap_or_default();
        }
        // A typing error at the creditor.
        5..15 if !knows_bsn => {
            huisnummer = format!("{}", d.huisnummer.parse::<u32>().unwrap_or(1) + 1)
        }
        _ => {}
    }
    let yes_no =
        |p: f64, rng: &mut ChaCha8Rng| if rng.random_bool(p) { "ja" } else { "nee" }.to_string();
    let crisis = if partner == PartnerType::Energie {
        0.05
    } else {
        0.01
    };
    let maybe = |p: f64, v: String, rng: &mut ChaCha8Rng| {
        if rng.random_bool(p) { v } else { String::new() }
    };
    [
        format!("VS-{}-{i:08}", cfg.seed),
        partner.ddas().to_string(),
        format!("K{:08}", rng.random_range(0..100_000_000u32)),
        bsn,
        d.voorletters.clone(),
        d.voorvoegsel.clone(),
        d.achternaam.clone(),
        maybe(0.9, d.geboortedatum.clone(), rng),
        d.straat.clone(),
        huisnummer,
        d.toevoeging.clone(),
        d.postcode.clone(),
        crate::MUNICIPALITY.to_string(),
        maybe(
            0.5,
            format!("06-{:08}", rng.random_range(0..100_000_000u32)),
            rng,
        ),
        maybe(0.3, format!("klant{i}@example.nl"), rng),
        rng.random_range(lo..=hi).to_string(),
        format_date(ontstaansdatum),
        format_date(signaaldatum),
        yes_no(crisis, rng),
        yes_no(0.03, rng),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;
    use wegwijs_domain::signal::Signal;
    use wegwijs_domain::signal::format::{self, Format, FormatError};

    #[test]
    fn every_signal_is_valid_and_ids_are_unique() {
        let cfg = Config {
            persons: 2_000,
            seed: 3,
            reference_date: date!(2026 - 01 - 01),
        };
        let dir = tempfile::tempdir().unwrap();
        write_signalen_csv(&cfg, 500, dir.path()).unwrap();
        let file = std::fs::File::open(dir.path().join("signalen.csv")).unwrap();
        let mut ids = std::collections::HashSet::new();
        let n = format::read::<_, FormatError>(Format::Csv, file, |_, f| {
            let s = Signal::validate(&f, date!(2026 - 11 - 22)).unwrap();
            assert!(ids.insert(s.id));
            Ok(())
        })
        .unwrap();
        assert_eq!(n, 500);
    }
}
