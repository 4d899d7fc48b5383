//! Every folder under `tests/fixtures/lint/` is linted as `sluice lint
//! FOLDER` lints it (the runner detected from its layout). A folder whose
//! name ends in `_ok` reports nothing; one ending in `_err` reports at
//! least one finding; the rendered findings of both match a snapshot.

use std::path::{Path, PathBuf};

use sluice::diagnostic::render::{self, HumanStyle};
use sluice::lint::run::{run, Options};

fn folders() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir("tests/fixtures/lint")
        .expect("tests/fixtures/lint")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

/// The rendered findings, the files their runners skip, and the count.
fn lint(folder: &Path) -> (String, usize) {
    let r = run(&Options {
        paths: vec![folder.to_path_buf()],
        ..Options::default()
    })
    .unwrap_or_else(|e| panic!("{}: {e}", folder.display()));
    let mut text = render::human(&r.diagnostics, &r.sources, HumanStyle::plain());
    for (file, why) in &r.skipped {
        text.push_str(&format!("not linted: {file}: {why}\n"));
    }
    text.push_str(&format!("linted {} file(s)\n", r.files));
    (text, r.diagnostics.items.len())
}

#[test]
fn lint_fixtures_report_as_their_names_say() {
    let mut failures = Vec::new();
    let all = folders();
    assert!(all.len() >= 30, "only {} lint fixtures", all.len());
    for folder in all {
        let name = folder.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let (text, count) = lint(&folder);
        let ok = if name.ends_with("_ok") {
            count == 0
        } else if name.ends_with("_err") {
            count > 0
        } else {
            false
        };
        if !ok {
            failures.push(format!("{name}: {count} finding(s)\n{text}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn lint_fixtures_render_as_snapshotted() {
    for folder in folders() {
        let name = folder
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let (text, _) = lint(&folder);
        insta::assert_snapshot!(format!("lint_fixture@{name}"), text);
    }
}

/// Each statement of the corpus of valid PostgreSQL is read as the kind
/// the comment above it names; none is `unparsed`.
#[test]
fn valid_statements_are_read_as_their_kind() {
    let text = std::fs::read_to_string("tests/fixtures/lint_statements/valid_postgresql.sql")
        .expect("corpus");
    let want: Vec<String> = text
        .lines()
        .filter_map(|l| l.strip_prefix("-- kind: "))
        .map(str::to_string)
        .collect();
    let got = sluice::lint::statement_kinds(&text);
    assert!(want.len() >= 15, "only {} statements", want.len());
    assert_eq!(got, want);
}
