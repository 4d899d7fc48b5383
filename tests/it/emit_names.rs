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
