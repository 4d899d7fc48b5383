//! Benchmark of `sluice check` on the bundled workspace.
//!
//! Reports the median and 95th percentile of (a) the in-process pipeline
//! (load → parse → lower → check) and (b) the release binary run as a
//! process, which is what a pre-commit hook pays. Run: `cargo bench`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn stats(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(samples[samples.len() / 2]);
    let p95 = ms(samples[(samples.len() * 95 / 100).min(samples.len() - 1)]);
    (median, p95)
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let runs = 200;

    let mut in_process = Vec::with_capacity(runs);
    let mut tables = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let c = sluice::compile(&root).expect("schemas/ loads");
        in_process.push(start.elapsed());
        tables = c.table_count();
        assert!(!c.diagnostics.has_errors(), "schemas/ must check cleanly");
    }
    let (median, p95) = stats(in_process);
    println!("check schemas/ in process ({tables} tables, {runs} runs): median {median:.2} ms, p95 {p95:.2} ms");

    let exe = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/sluice");
    if exe.exists() {
        let mut process = Vec::with_capacity(runs / 4);
        for _ in 0..runs / 4 {
            let start = Instant::now();
            let status = Command::new(&exe)
                .args(["check", "--color", "never"])
                .arg(&root)
                .output()
                .expect("binary runs");
            process.push(start.elapsed());
            assert!(status.status.success(), "sluice check schemas/ must exit 0");
        }
        let (median, p95) = stats(process);
        println!(
            "`sluice check schemas` as a process ({} runs): median {median:.2} ms, p95 {p95:.2} ms",
            runs / 4
        );
    } else {
        println!("(build the release binary with `cargo build --release` to time the process too)");
    }
}
