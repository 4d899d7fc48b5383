//! No text from the DSL escapes its place in the emitted SQL. Each fixture
//! under `tests/fixtures/injection/` carries a hostile `// payload:` (dollar
//! tags sluice uses, psql meta-commands, quotes, comments, line breaks).
//! Either the fixture expects the diagnostics that refuse it, or every
//! emitted file, split statement by statement as psql reads it (with and
//! without `standard_conforming_strings`), holds no meta-command and the
//! same statements as the fixture with the payload replaced by a plain word.

use std::path::Path;

use crate::fixture::{self, Fixture};
use crate::psql_split::shape;

pub const BENIGN: &str = "benign";

/// The emitted files of a fixture, or `None` when compiling reports errors.
pub fn emitted(f: &Fixture) -> Option<sluice::emit::Files> {
    let c = fixture::compile(f);
    if c.diagnostics.has_errors() {
        return None;
    }
    sluice::emit::workspace(&c.workspace, Some(Path::new("out"))).ok()
}

/// `f` with every occurrence of `payload` replaced by [`BENIGN`], or by
/// the string literal `'benign'` where the payload is a dollar-quoted
/// literal (an expression position, where a bare word would be a column).
pub fn benign_twin(f: &Fixture, payload: &str) -> Fixture {
    let benign = if payload.starts_with('$') {
        format!("'{BENIGN}'")
    } else {
        BENIGN.to_string()
    };
    Fixture {
        expect: f.expect.clone(),
        files: f
            .files
            .iter()
            .map(|(k, v)| (k.clone(), v.replace(payload, &benign)))
            .collect(),
    }
}

#[test]
fn hostile_text_is_refused_or_stays_in_its_place() {
    insta::glob!("../fixtures/injection", "*.sluice", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let payload = text
            .lines()
            .nth(1)
            .and_then(|l| l.strip_prefix("// payload: "))
            .expect("the second line is `// payload: …`")
            .to_string();
        let f = fixture::parse(&text, &path.display().to_string());
        let c = fixture::compile(&f);
        let mut codes = fixture::codes(&c);
        codes.sort();
        assert_eq!(codes, f.expect, "{}", fixture::render(&c));
        if !f.expect.is_empty() {
            insta::assert_snapshot!(fixture::render(&c));
            return;
        }
        let files = emitted(&f).expect("emits");
        let twin = emitted(&benign_twin(&f, &payload)).expect("the benign twin emits");
        let hostile = shape(&files).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            hostile,
            shape(&twin).unwrap(),
            "the payload changed the statements"
        );
        let mut out = String::new();
        for (p, body) in &files {
            let name = p.to_string_lossy();
            if !name.contains("/meta/") {
                out.push_str(&format!("===== {name}\n{body}\n"));
            }
        }
        insta::assert_snapshot!(out);
    });
}
