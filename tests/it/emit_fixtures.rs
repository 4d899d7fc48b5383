//! Every file `sluice build` emits for each fixture that compiles without
//! an error (and of every phases fixture), byte for byte: migrations, rollbacks, psql scripts, the
//! journal and the lock file (whose hashes cover every SQL file). The
//! Drizzle schema snapshots (`meta/NNNN_snapshot.json`) describe tables, not
//! SQL text, and are left to the bundled workspace's snapshots. One snapshot
//! per fixture, files in path order.

use crate::fixture;

/// The emitted files of one fixture; `None` when it has errors, except in
/// `phases/`, whose forced-`unsafe` fixture emits despite its findings.
fn emitted_files(path: &std::path::Path, always: bool) -> Option<String> {
    let f = fixture::read(path);
    let c = fixture::compile(&f);
    if c.diagnostics.has_errors() && !always {
        return None;
    }
    let files =
        sluice::emit::workspace(&c.workspace, Some(std::path::Path::new("out"))).expect("emits");
    let mut text = String::new();
    for (path, body) in &files {
        if path.to_string_lossy().ends_with("_snapshot.json") {
            continue;
        }
        let body = crate::emit::without_entries(path, body);
        text.push_str(&format!("===== {}\n{body}\n", path.to_string_lossy()));
    }
    Some(text)
}

#[test]
fn every_clean_fixture_emits_the_snapshotted_files() {
    let mut emitted = 0;
    for folder in ["ok", "phases", "deploy", "injection", "errors"] {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(folder);
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "sluice"))
            .collect();
        paths.sort();
        for path in paths {
            let Some(text) = emitted_files(&path, folder == "phases") else {
                continue;
            };
            let stem = path.file_stem().unwrap().to_string_lossy().to_string();
            insta::assert_snapshot!(format!("{folder}__{stem}"), text);
            emitted += 1;
        }
    }
    assert!(emitted > 30, "only {emitted} fixtures emitted");
}
