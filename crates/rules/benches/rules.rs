//! The engine's own speed, columns already in memory (bench/rules.sh runs
//! this beside the end-to-end and OpenFisca figures):
//! - zorgtoeslag 2025 over ROWS rows (default 1,000,000), against a
//!   hand-written Rust loop of the same formula in exact integers;
//! - the proactive scan's laws (zorgtoeslag, kwijtschelding, inkomenstoeslag
//!   with the bijstandsnormen) over ROWS households;
//! - explaining one resident.
//!
//! Medians of RUNS runs (default 7). `cargo bench -p wegwijs-rules --bench rules`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;
use time::macros::date;
use wegwijs_rules::{Calculation, Column, Population, load_laws, population::bit};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A small deterministic generator (xorshift), so every run sees the same rows.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn median_ms(runs: usize, mut f: impl FnMut()) -> (f64, Vec<f64>) {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    let shown = times.clone();
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], shown)
}

fn report(name: &str, (median, runs): (f64, Vec<f64>)) -> f64 {
    let runs: Vec<String> = runs.iter().map(|r| format!("{r:.2}")).collect();
    println!("{name}: median {median:.2} ms (runs: {})", runs.join(", "));
    median
}

fn zorgtoeslag_csv(rows: usize) -> String {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut text = String::from(
        "id,toetsingsinkomen,heeft_toeslagpartner,is_verzekerde,partner_is_verzekerde,vermogen\n",
    );
    for i in 0..rows {
        let partner = rng.chance(45);
        let insured = rng.chance(98);
        let partner_insured = partner && rng.chance(95);
        let vermogen = if rng.chance(30) {
            rng.below(20_000_000)
        } else {
            0
        };
        text.push_str(&format!(
            "{i},{},{partner},{insured},{partner_insured},{vermogen}\n",
            rng.below(8_000_000)
        ));
    }
    text
}

fn households_csv(rows: usize, names: &[&str]) -> String {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut text = format!("id,{}\n", names.join(","));
    for i in 0..rows {
        let partner = rng.chance(45);
        let born =
            time::Date::from_julian_day(2_440_588 - 20_000 + rng.below(35_000) as i32).unwrap();
        let cell = |n: &str, rng: &mut Rng| -> String {
            match n {
                "toetsingsinkomen" => rng.below(8_000_000).to_string(),
                "heeft_toeslagpartner" | "heeft_partner" => partner.to_string(),
                "is_verzekerde" => rng.chance(98).to_string(),
                "partner_is_verzekerde" => (partner && rng.chance(95)).to_string(),
                "vermogen" => (if rng.chance(30) {
                    rng.below(3_000_000)
                } else {
                    0
                })
                .to_string(),
                "geboortedatum" => born.to_string(),
                "heeft_kinderen" => rng.chance(30).to_string(),
                "netto_inkomen" => rng.below(500_000).to_string(),
                "aanslag_gemeentelijke_belastingen" => (30_000 + rng.below(30_000)).to_string(),
                "maanden_laag_inkomen" => rng.below(72).to_string(),
                other => panic!("no generator for {other}"),
            }
        };
        let cells: Vec<String> = names.iter().map(|n| cell(n, &mut rng)).collect();
        text.push_str(&format!("{i},{}\n", cells.join(",")));
    }
    text
}

/// Zorgtoeslag 2025 written directly: amounts times 100,000 so that every
/// percentage is an integer, rounded half away from zero once at the end.
fn hand_zorgtoeslag(
    inkomen: &[i64],
    partner: &[u64],
    verz: &[u64],
    pverz: &[u64],
    vermogen: &[i64],
    out: &mut [i64],
) {
    const D: i64 = 2_840_600;
    for i in 0..inkomen.len() {
        let p = bit(partner, i);
        let norm = if p { 4_273 } else { 1_896 } * D + 13_700 * (inkomen[i] - D).max(0);
        let standaard = if p { 2 * 211_200 } else { 211_200 } * 100_000;
        let grens = if p { 17_942_900 } else { 14_189_600 };
        let recht = bit(verz, i) && vermogen[i] <= grens && norm < standaard;
        let verschil = standaard - norm;
        let bedrag = if p && !bit(pverz, i) {
            (verschil + 100_000) / 200_000
        } else {
            (verschil + 50_000) / 100_000
        };
        out[i] = if recht { bedrag } else { 0 };
    }
}

fn main() {
    let rows = env("ROWS", 1_000_000);
    let runs = env("RUNS", 7);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../laws");
    let laws = load_laws(&[dir]).expect("the shipped laws load");
    let day = date!(2025 - 06 - 01);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("{rows} rows, {runs} runs, {cores} cores");

    let zt = Calculation::new(
        &laws,
        day,
        &[("wet_op_de_zorgtoeslag".into(), "hoogte_zorgtoeslag".into())],
    )
    .unwrap();
    let pop = Population::read_csv("bench", zorgtoeslag_csv(rows).as_bytes(), zt.inputs()).unwrap();
    let engine = report(
        &format!("engine, zorgtoeslag 2025, {cores} cores"),
        median_ms(runs, || {
            black_box(zt.evaluate(&pop).unwrap());
        }),
    );
    let engine_one = report(
        "engine, zorgtoeslag 2025, one core",
        median_ms(runs, || {
            black_box(zt.evaluate_on(&pop, 1).unwrap());
        }),
    );
    let int = |n: &str| match pop.column(n) {
        Some(Column::Int(v)) => v.clone(),
        _ => panic!("{n}"),
    };
    let bits = |n: &str| match pop.column(n) {
        Some(Column::Bits(v)) => v.clone(),
        _ => panic!("{n}"),
    };
    let (inkomen, vermogen) = (int("toetsingsinkomen"), int("vermogen"));
    let (partner, verz, pverz) = (
        bits("heeft_toeslagpartner"),
        bits("is_verzekerde"),
        bits("partner_is_verzekerde"),
    );
    let mut out = vec![0i64; rows];
    let hand = report(
        "hand-written Rust loop, one core",
        median_ms(runs, || {
            hand_zorgtoeslag(&inkomen, &partner, &verz, &pverz, &vermogen, &mut out);
            black_box(&out);
        }),
    );
    let results = zt.evaluate(&pop).unwrap();
    let Column::Int(engine_out) = &results.columns[0] else {
        panic!("amount column")
    };
    let differ = engine_out.iter().zip(&out).filter(|(a, b)| a != b).count();
    println!("  rows where engine and hand loop differ: {differ}");
    println!(
        "  time ratio engine ({cores} cores) / hand loop (one core): {:.2}",
        engine / hand
    );
    println!(
        "  time ratio engine (one core) / hand loop (one core): {:.2}",
        engine_one / hand
    );

    let scan = Calculation::new(&laws, day, &[]).unwrap();
    let names: Vec<&str> = scan.inputs().iter().map(|c| c.name.as_str()).collect();
    let households = Population::read_csv(
        "bench",
        households_csv(rows, &names).as_bytes(),
        scan.inputs(),
    )
    .unwrap();
    report(
        &format!(
            "engine, all {} outputs of the {} laws in force (scan), {cores} cores",
            scan.outputs().len(),
            4
        ),
        median_ms(runs, || {
            black_box(scan.evaluate(&households).unwrap());
        }),
    );

    let per = 1000;
    let (batch, all) = median_ms(runs, || {
        for i in 0..per {
            black_box(scan.explain(&households, i * 997 % rows).unwrap());
        }
    });
    println!(
        "explain one household (all outputs): median {:.3} ms (batches of {per}: {})",
        batch / per as f64,
        all.iter()
            .map(|b| format!("{:.3}", b / per as f64))
            .collect::<Vec<_>>()
            .join(", ")
    );
}
