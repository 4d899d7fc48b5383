//! Every fixture under `tests/fixtures/errors/` reports exactly the codes
//! its first line expects, and its rendered diagnostics match a snapshot;
//! `sluice check` on it laid out as a workspace folder (no output folder
//! yet, as in a pre-commit hook before the first build) reports the same.

use crate::cli::sluice;
use crate::fixture;
use crate::scratch::ScratchDir;

#[test]
fn error_fixtures_report_their_codes() {
    let mut failures = Vec::new();
    let mut count = 0;
    for entry in std::fs::read_dir("tests/fixtures/errors").expect("fixture folder") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("sluice") {
            continue;
        }
        count += 1;
        let f = fixture::read(&path);
        let c = fixture::compile(&f);
        let mut got = fixture::codes(&c);
        got.sort();
        got.dedup();
        let mut want = f.expect.clone();
        want.sort();
        want.dedup();
        if want.is_empty() || got != want {
            failures.push(format!(
                "{}: expected {want:?}, got {got:?}\n{}",
                path.display(),
                fixture::render(&c)
            ));
        }
    }
    assert!(count >= 25, "only {count} error fixtures");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn error_fixtures_render_as_snapshotted() {
    insta::glob!("../fixtures/errors", "*.sluice", |path| {
        let c = fixture::compile(&fixture::read(path));
        insta::assert_snapshot!(fixture::render(&c));
    });
}

#[test]
fn check_on_each_error_fixture_laid_out_as_a_workspace_reports_its_codes() {
    let mut failures = Vec::new();
    let mut count = 0;
    for entry in std::fs::read_dir("tests/fixtures/errors").expect("fixture folder") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("sluice") {
            continue;
        }
        count += 1;
        let f = fixture::read(&path);
        let ws = ScratchDir::new("error-fixture").at("ws");
        for (name, text) in &f.files {
            let file = ws.join(name);
            std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
            std::fs::write(&file, text).expect("write");
        }
        let o = sluice(&["check", ws.to_str().expect("utf-8"), "--format", "json"]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{}: not JSON ({e})", path.display()));
        let mut got: Vec<String> = v["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter_map(|d| d["code"].as_str().map(str::to_string))
            .collect();
        got.sort();
        got.dedup();
        let mut want = f.expect.clone();
        want.sort();
        want.dedup();
        let exit = if fixture::compile(&f).diagnostics.has_errors() {
            1
        } else {
            0
        };
        if got != want || o.status.code() != Some(exit) {
            failures.push(format!(
                "{}: `sluice check` exited {:?} with {got:?}, expected {exit} with {want:?}",
                path.display(),
                o.status.code()
            ));
        }
    }
    assert!(count >= 25, "only {count} error fixtures");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
