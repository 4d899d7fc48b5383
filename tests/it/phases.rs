//! The phase files a migration history compiles to, snapshotted: one
//! fixture per history under `tests/fixtures/phases/`, every emitted file
//! after the initial one (journal files, rollbacks, scripts).

use crate::fixture;

#[test]
fn phase_files_render_as_snapshotted() {
    insta::glob!("../fixtures/phases", "*.sluice", |path| {
        let f = fixture::read(path);
        let c = fixture::compile(&f);
        let mut codes = fixture::codes(&c);
        let mut expect = f.expect.clone();
        codes.sort();
        expect.sort();
        assert_eq!(codes, expect, "{}", fixture::render(&c));
        let files = sluice::emit::workspace(&c.workspace, Some(std::path::Path::new("out")))
            .expect("emits");
        let mut text = String::new();
        for (path, body) in &files {
            let name = path.to_string_lossy();
            if name.contains("0000_") || name.contains("/meta/") {
                continue;
            }
            text.push_str(&format!("===== {name}\n{body}\n"));
        }
        insta::assert_snapshot!(text);
    });
}
