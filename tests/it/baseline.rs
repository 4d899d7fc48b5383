//! A `baseline` migration is replayed but never emitted: the journal of a
//! project whose history starts from a baseline holds only the migrations
//! after it, and the first of them changes the baseline's state.

use std::path::Path;

#[test]
fn a_baseline_emits_nothing_and_the_next_migration_starts_from_its_state() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "tests/fixtures/ok/a_baseline_migration_records_existing_tables_without_drift.sluice",
    );
    let f = crate::fixture::read(&path);
    let c = crate::fixture::compile(&f);
    assert!(
        crate::fixture::codes(&c).is_empty(),
        "{}",
        crate::fixture::render(&c)
    );
    let files = sluice::emit::workspace(&c.workspace, Some(Path::new("out"))).expect("emits");
    let journal: Vec<String> = files
        .keys()
        .filter(|p| p.parent() == Some(Path::new("out/notes")))
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(journal, ["0000_add_pinned_expand.sql"]);
    let sql = &files[Path::new("out/notes/0000_add_pinned_expand.sql")];
    assert!(
        sql.contains("ADD COLUMN IF NOT EXISTS \"pinned\" boolean"),
        "{sql}"
    );
    assert!(
        !sql.contains("CREATE TABLE"),
        "the baseline's table is not created again:\n{sql}"
    );
}
