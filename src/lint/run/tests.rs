//! Which paths are rollbacks and contract phases.

use super::*;

#[test]
fn rollbacks_and_contract_phases_are_known_by_their_paths() {
    assert!(is_rollback(Path::new(
        "drizzle/notes/rollback/0000_initial.sql"
    )));
    assert!(is_rollback(Path::new("migrations/0003_tags.down.sql")));
    assert!(is_rollback(Path::new("db/down/0003_tags.sql")));
    assert!(!is_rollback(Path::new("migrations/0003_tags.up.sql")));
    assert!(!is_rollback(Path::new("migrations/0004_breakdown.sql")));
    assert!(is_contract_phase(Path::new(
        "drizzle/notes/0005_notes_contract.sql"
    )));
    assert!(!is_contract_phase(Path::new(
        "drizzle/notes/0005_notes_expand.sql"
    )));
}

#[test]
fn a_rollback_may_drop_what_its_migration_created() {
    let dir = std::env::temp_dir().join(format!("sluice-run-rollback-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("rollback")).expect("mkdir");
    let sql = "BEGIN;\nSET LOCAL lock_timeout = '2s';\nSET LOCAL statement_timeout = '60s';\n\
               DROP TABLE IF EXISTS tags;\nCOMMIT;\n";
    std::fs::write(dir.join("rollback/0001_tags.sql"), sql).expect("write");
    std::fs::write(dir.join("0001_tags.sql"), sql).expect("write");
    let run = run(&Options {
        paths: vec![dir.clone()],
        ..Options::default()
    })
    .expect("lints");
    let codes: Vec<(Code, String)> = run
        .diagnostics
        .items
        .iter()
        .map(|d| {
            let file = Diagnostics::position(&run.sources, d).map(|(f, _)| f);
            (d.code, file.unwrap_or_default())
        })
        .collect();
    let forward = format!("{}/0001_tags.sql", display_name(&dir));
    assert_eq!(codes, vec![(Code::DroppingTable, forward)]);
    let _ = std::fs::remove_dir_all(&dir);
}
