//! No input makes sluice panic: every prefix of every file of the bundled
//! workspace (cut at each line, and mid-line) is compiled.

use sluice::source::{self, SourceFile, Sources};

fn with_replaced(sources: &Sources, index: usize, text: &str) -> Sources {
    let mut out = Sources::new(sources.root.clone());
    for (i, (_, f)) in sources.iter().enumerate() {
        let body = if i == index { text } else { f.text.as_str() };
        out.add(SourceFile::new(f.name.clone(), body, f.kind.clone()));
    }
    out
}

#[test]
fn every_prefix_of_every_bundled_file_compiles_without_panicking() {
    let (sources, _) = source::load(std::path::Path::new("schemas")).expect("schemas/ loads");
    let mut compiled = 0;
    for (index, (_, file)) in sources.iter().enumerate() {
        let text = &file.text;
        let mut cuts = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            // The end of the line, and its middle (inside words and SQL).
            let mut middle = start + line.len() / 2;
            while !text.is_char_boundary(middle) {
                middle += 1;
            }
            cuts.push(middle);
            start += line.len();
            cuts.push(start);
        }
        // Two workers: the machine has two cores.
        let (a, b) = cuts.split_at(cuts.len() / 2);
        std::thread::scope(|scope| {
            for half in [a, b] {
                let sources = &sources;
                scope.spawn(move || {
                    for &cut in half {
                        let prefix = &text[..cut];
                        let result = std::panic::catch_unwind(|| {
                            sluice::compile_sources(with_replaced(sources, index, prefix))
                        });
                        assert!(result.is_ok(), "panic on {} cut at byte {cut}", file.name);
                    }
                });
            }
        });
        compiled += cuts.len();
    }
    assert!(compiled > 100, "only {compiled} prefixes compiled");
}

/// Compiles a fixture body on a thread of the default (small) stack and
/// returns its diagnostic codes, failing if it takes more than a few
/// seconds.
fn codes_within_deadline(body: String) -> Vec<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let f = crate::fixture::parse(&format!("// expect: nothing\n{body}"), "generated");
        let c = crate::fixture::compile(&f);
        let _ = tx.send(crate::fixture::codes(&c));
    });
    rx.recv_timeout(std::time::Duration::from_secs(10))
        .expect("the compile finished within the deadline without crashing")
}

const TABLE: &str = "table notes {\n  tenant\n  policy all tenant\n";

#[test]
fn a_run_of_unclosed_braces_in_a_table_is_reported_quickly() {
    for n in [22, 99, 5_000] {
        let codes = codes_within_deadline(format!("{TABLE}  x text {}\n}}\n", "{".repeat(n)));
        assert!(!codes.is_empty(), "{n} braces: no diagnostic");
    }
}

#[test]
fn deeply_nested_predicates_are_a_nesting_diagnostic() {
    let parens = format!(
        "{TABLE}  policy select {}tenant{}\n}}\n",
        "(".repeat(7_000),
        ")".repeat(7_000)
    );
    let sql = format!(
        "{TABLE}  policy select sql({}true{})\n}}\n",
        "(".repeat(7_000),
        ")".repeat(7_000)
    );
    let nots = format!(
        "{TABLE}  policy select {}tenant\n}}\n",
        "not ".repeat(50_000)
    );
    let braces = format!("{TABLE}{}\n", "x {".repeat(100_000));
    for (what, body) in [
        ("parens", parens),
        ("sql", sql),
        ("nots", nots),
        ("braces", braces),
    ] {
        assert_eq!(codes_within_deadline(body), ["nesting-too-deep"], "{what}");
    }
}

#[test]
fn a_predicate_nested_to_the_limit_compiles_on_a_small_stack() {
    let half = sluice::parse::MAX_NESTING / 2 - 2;
    let pred = format!(
        "{}{}tenant{}",
        "not ".repeat(half),
        "(".repeat(half),
        ")".repeat(half)
    );
    let codes = codes_within_deadline(format!("{TABLE}  policy select {pred}\n}}\n"));
    assert!(
        !codes.contains(&"nesting-too-deep".to_string()),
        "{codes:?}"
    );
}
