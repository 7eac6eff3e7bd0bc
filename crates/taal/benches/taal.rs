//! The checker's speed on one core: megabytes of Dutch text per second
//! with all checks, and a one-page letter (about 400 words). Medians of
//! RUNS runs (default 7). `cargo bench -p wegwijs-taal --bench taal`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::Instant;
use wegwijs_taal::{Format, check};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7);
    // Official sentences and their rewrites from the tests: letter Dutch.
    let pairs = include_str!("../tests/data/herschrijvingen.tsv");
    let sentences: Vec<&str> = pairs
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("soort"))
        .flat_map(|l| l.split('\t').skip(1))
        .collect();
    let mut letter = String::new();
    let mut i = 0;
    while letter.split_whitespace().count() < 400 {
        letter.push_str(sentences[i % sentences.len()]);
        letter.push_str(if i % 4 == 3 { "\n\n" } else { " " });
        i += 1;
    }
    let mut big = String::new();
    while big.len() < 4 << 20 {
        big.push_str(&letter);
        big.push_str("\n\n");
    }
    check(&letter, Format::Plain); // tables loaded once, as in a running app
    let per_letter: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..100 {
                black_box(check(black_box(&letter), Format::Plain));
            }
            t.elapsed().as_secs_f64() * 1000.0 / 100.0
        })
        .collect();
    let throughput: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            black_box(check(black_box(&big), Format::Plain));
            big.len() as f64 / 1e6 / t.elapsed().as_secs_f64()
        })
        .collect();
    println!(
        "one letter ({} words, {} bytes): median {:.3} ms (runs: {})",
        letter.split_whitespace().count(),
        letter.len(),
        median(per_letter.clone()),
        per_letter
            .iter()
            .map(|x| format!("{x:.3}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "throughput over {:.1} MB, one core: median {:.2} MB/s (runs: {})",
        big.len() as f64 / 1e6,
        median(throughput.clone()),
        throughput
            .iter()
            .map(|x| format!("{x:.2}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
}
