//! Generated index names in the emitted SQL: distinct, stable, and never
//! changed for an index that exists when a later one would clash with it.

use std::collections::BTreeSet;
use std::path::Path;

use crate::fixture;

fn index_names(sql: &str) -> Vec<String> {
    sql.lines()
        .filter(|l| l.starts_with("CREATE INDEX") || l.starts_with("CREATE UNIQUE INDEX"))
        .filter_map(|l| {
            let before_on = l.split(" ON ").next()?;
            before_on
                .split_whitespace()
                .last()
                .map(|n| n.trim_matches('"').to_string())
        })
        .collect()
}

fn emitted(fixture_name: &str) -> sluice::emit::Files {
    let f = fixture::read(&Path::new("tests/fixtures/ok").join(fixture_name));
    let c = fixture::compile(&f);
    assert!(c.diagnostics.items.is_empty(), "{}", fixture::render(&c));
    sluice::emit::workspace(&c.workspace, Some(Path::new("out"))).expect("emits")
}

#[test]
fn unnamed_indexes_on_the_same_columns_are_created_under_distinct_names() {
    let files =
        emitted("unnamed_indexes_on_the_same_columns_get_distinct_names_and_replay_both.sluice");
    let initial = &files[Path::new("out/notes/0000_initial.sql")];
    let first = index_names(initial);
    assert!(
        first.contains(&"notes_org_id_title_idx".to_string()),
        "{first:?}"
    );
    let script = &files[Path::new("out/notes/backfill/0001_more.sql")];
    let added: BTreeSet<String> = index_names(script).into_iter().collect();
    assert_eq!(added.len(), 3, "{script}");
    assert!(added.contains("notes_expr_idx"), "{added:?}");
    let hashed = |stem: &str| {
        added.iter().any(|n| {
            n.strip_prefix(stem)
                .and_then(|rest| rest.strip_suffix("_idx"))
                .is_some_and(|h| h.len() == 8 && h.chars().all(|c| c.is_ascii_hexdigit()))
        })
    };
    assert!(hashed("notes_org_id_title_"), "{added:?}");
    assert!(hashed("notes_expr_"), "{added:?}");
    for name in &added {
        assert!(!first.contains(name), "{name} is created twice");
    }
    assert_eq!(
        emitted("unnamed_indexes_on_the_same_columns_get_distinct_names_and_replay_both.sluice"),
        files
    );
}

/// `check` and `lint` give the same column-type verdicts: the codes check
/// reports on the declared columns are those lint reports on the SQL the
/// same workspace compiles to.
#[test]
fn check_reports_the_column_type_rules_lint_reports_on_the_emitted_sql() {
    let path = Path::new(
        "tests/fixtures/errors/column_types_lint_flags_in_the_emitted_sql_are_reported_by_check.sluice",
    );
    let c = fixture::compile(&fixture::read(path));
    assert!(!c.diagnostics.has_errors(), "{}", fixture::render(&c));
    let out = crate::scratch::ScratchDir::new("types").at("out");
    let files = sluice::emit::workspace(&c.workspace, Some(&out)).expect("emits");
    let initial = out.join("notes/0000_initial.sql");
    std::fs::create_dir_all(out.join("notes")).expect("mkdir");
    std::fs::write(&initial, &files[&initial]).expect("write");
    let run = sluice::lint::run::run(&sluice::lint::run::Options {
        paths: vec![initial],
        ..Default::default()
    })
    .expect("lints");
    let types = [
        "prefer-text",
        "prefer-timestamptz",
        "prefer-identity",
        "adding-json-column",
        "ban-char",
        "prefer-bigint",
    ];
    let codes = |items: &[sluice::diagnostic::Diagnostic]| -> Vec<String> {
        let mut v: Vec<String> = items
            .iter()
            .map(|d| d.code.as_str().to_string())
            .filter(|c| types.contains(&c.as_str()))
            .collect();
        v.sort();
        v
    };
    drop(out);
    assert_eq!(codes(&c.diagnostics.items), codes(&run.diagnostics.items));
    assert_eq!(codes(&c.diagnostics.items).len(), 7);
}
