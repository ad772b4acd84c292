//! `cargo bench`: knowledge-base size, engine start-up, and native query latency (median, p99)
//! over the development questions. Prints numbers; asserts nothing (tests check behaviour).

use std::io::Write;
use std::time::Instant;

use policy_qa::{Engine, KB_BYTES};

#[path = "stats.rs"]
mod stats;
use stats::percentile;


fn main() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(KB_BYTES).expect("gzip");
    let gz_len = gz.finish().expect("gzip").len();
    println!("knowledge base: {} bytes raw, {} bytes gzip -9", KB_BYTES.len(), gz_len);

    let mut starts = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let e = Engine::from_bytes(KB_BYTES).expect("loads");
        starts.push(t.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(e);
    }
    starts.sort_by(f64::total_cmp);
    println!("start-up (decode + index + automaton): median {:.2} ms", percentile(&starts, 0.5));

    let engine = Engine::new();
    let questions: Vec<String> = include_str!("../data/dev.jsonl")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["q"].as_str().map(str::to_string))
        .collect();
    let rounds = 200;
    let mut times = Vec::with_capacity(questions.len() * rounds);
    for _ in 0..rounds {
        for q in &questions {
            let t = Instant::now();
            std::hint::black_box(engine.ask(q, "2026-11-21"));
            times.push(t.elapsed().as_secs_f64() * 1e6);
        }
    }
    times.sort_by(f64::total_cmp);
    println!(
        "query latency over {} asks of {} dev questions: median {:.1} µs, p95 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
        times.len(),
        questions.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        percentile(&times, 0.99),
        times[times.len() - 1]
    );
}
