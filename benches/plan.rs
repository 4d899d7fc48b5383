//! Benchmark of `sluice plan` on the bundled workspace.
//!
//! Reports the median and 95th percentile, in process, of (a) plan on
//! `schemas/` as it is (load → parse → lower → check → compare: nothing to
//! plan) and (b) plan after a declaration changed in memory (a column added
//! to `notes.notebooks`), which also writes the migration's text and checks
//! the history with it. Run: `cargo bench --bench plan`.

use std::path::Path;
use std::time::{Duration, Instant};

use sluice::source::{SourceFile, Sources};

fn stats(mut samples: Vec<Duration>) -> (f64, f64) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(samples[samples.len() / 2]);
    let p95 = ms(samples[(samples.len() * 95 / 100).min(samples.len() - 1)]);
    (median, p95)
}

/// The bundled workspace with `icon text` added to `notebooks`.
fn drifted(root: &Path) -> Sources {
    let (loaded, _) = sluice::source::load(root).expect("schemas/ loads");
    let mut out = Sources::new(loaded.root.clone());
    for (_, f) in loaded.iter() {
        let text = if f.name.ends_with("notes/notes.sluice") {
            f.text.replacen(
                "  description text\n",
                "  description text\n  icon text\n",
                1,
            )
        } else {
            f.text.clone()
        };
        out.add(SourceFile::new(f.name.clone(), text, f.kind.clone()));
    }
    out
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let runs = 200;
    let opts = sluice::author::Options::default();

    let mut clean = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let c = sluice::compile_with(&root, false).expect("schemas/ loads");
        let out = sluice::author::plan(&c, &opts);
        clean.push(start.elapsed());
        assert!(out.files.is_empty(), "schemas/ has nothing to plan");
    }
    let (median, p95) = stats(clean);
    println!("plan schemas/ in process, nothing to plan ({runs} runs): median {median:.2} ms, p95 {p95:.2} ms");

    let mut one = Vec::with_capacity(runs);
    for _ in 0..runs {
        let sources = drifted(&root);
        let start = Instant::now();
        let c = sluice::compile_sources_with(sources, &|_| false);
        let out = sluice::author::plan(&c, &opts);
        one.push(start.elapsed());
        assert_eq!(out.files.len(), 1, "one project to plan");
        assert!(!out.diagnostics.has_errors(), "the plan checks clean");
    }
    let (median, p95) = stats(one);
    println!("plan schemas/ in process, one column added ({runs} runs): median {median:.2} ms, p95 {p95:.2} ms");
}
