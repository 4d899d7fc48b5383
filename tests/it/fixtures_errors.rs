//! Every fixture under `tests/fixtures/errors/` reports exactly the codes
//! its first line expects, and its rendered diagnostics match a snapshot.

use crate::fixture;

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
