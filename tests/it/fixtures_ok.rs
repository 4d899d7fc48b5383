//! Every fixture under `tests/fixtures/ok/` compiles without a diagnostic.

use crate::fixture;

#[test]
fn ok_fixtures_are_clean() {
    insta::glob!("../fixtures/ok", "*.sluice", |path| {
        let f = fixture::read(path);
        let c = fixture::compile(&f);
        assert!(
            c.diagnostics.items.is_empty(),
            "{}: expected no diagnostics\n{}",
            path.display(),
            fixture::render(&c)
        );
    });
}
