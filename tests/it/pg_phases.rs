//! Expand/contract on a real PostgreSQL: the notes project's history
//! (initial → note_summary → rename_body), with both contracts released by
//! a later migration, applied phase by phase to a database holding rows
//! while "old" and "new" application writes keep working; every expand
//! rollback returns the catalog to what it was; the backfill scripts run
//! outside any transaction and can be re-run; an irreversible rollback
//! refuses loudly.

use std::fs;
use std::path::Path;

use crate::cli::copy_of_schemas;
use crate::pg::Cluster;
use crate::pg_emit::{apply, psql};

mod fixtures;
mod under_load;

const RELEASE: &str = "migration release_contracts {
  after rename_body
  release note_summary
  release rename_body
}
";

const ORG: &str = "0000000a-0000-4000-a000-00000000000a";
const USER: &str = "000000ad-0000-4000-c000-0000000000ad";

fn scalar(pg: &Cluster, db: &str, sql: &str) -> String {
    let mut client = pg.client(db);
    let row = client
        .query_one(&format!("SELECT ({sql})::text"), &[])
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    row.get::<_, Option<String>>(0).unwrap_or_default()
}

fn exec(pg: &Cluster, db: &str, sql: &str) {
    pg.execute(db, sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// Inserts a note the way an app version that knows only `body` does.
const OLD_APP_INSERT: &str = "INSERT INTO notes (org_id, user_id, notebook_id, title, body)
    SELECT org_id, user_id, id, 'old app', 'written by the old version' FROM notebooks LIMIT 1";

#[test]
fn notes_history_applies_phase_by_phase_under_traffic_with_honest_rollbacks() {
    let ws = copy_of_schemas("phases");
    fs::write(
        ws.join("notes/migrations/0004_release_contracts.sluice"),
        RELEASE,
    )
    .unwrap();
    let c = sluice::compile(&ws).expect("the workspace loads");
    let errors: Vec<String> = c
        .diagnostics
        .items
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.clone())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let files = sluice::emit::workspace(&c.workspace, Some(Path::new("out"))).expect("emits");
    let file = |rel: &str| -> String {
        files
            .get(&Path::new("out/notes").join(rel))
            .unwrap_or_else(|| {
                panic!(
                    "no out/notes/{rel}; have {:?}",
                    files.keys().collect::<Vec<_>>()
                )
            })
            .clone()
    };
    let journal: Vec<String> = files
        .keys()
        .filter(|p| p.parent() == Some(Path::new("out/notes")))
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        journal,
        [
            "0000_initial.sql",
            "0001_note_summary_expand.sql",
            "0002_rename_body_expand.sql",
            "0003_note_summary_contract.sql",
            "0004_rename_body_contract.sql",
        ],
        "one journal file per phase, contracts where the release puts them"
    );
    for journal_file in &journal {
        assert!(
            !file(journal_file).contains("CONCURRENTLY"),
            "{journal_file}: CONCURRENTLY cannot run in the migrator's transaction"
        );
    }

    let pg = Cluster::start();
    let db = pg.create_db();
    apply(&pg, &db, "0000", &file("0000_initial.sql"));
    exec(
        &pg,
        &db,
        &format!(
            "INSERT INTO notebooks (org_id, user_id, title) VALUES ('{ORG}', '{USER}', 'inbox');
             INSERT INTO notes (org_id, user_id, notebook_id, title, body)
               SELECT org_id, user_id, id, 'n' || g, CASE WHEN g % 10 = 0 THEN NULL ELSE repeat('x', g % 300) END
               FROM notebooks, generate_series(1, 2500) g;"
        ),
    );

    // Expand 1: the old app keeps inserting without `summary`.
    let before = pg.catalog_dump(&db);
    apply(&pg, &db, "0001", &file("0001_note_summary_expand.sql"));
    apply(
        &pg,
        &db,
        "0001 rollback",
        &file("rollback/0001_note_summary_expand.sql"),
    );
    assert_eq!(
        before,
        pg.catalog_dump(&db),
        "the rollback of 0001 restores the catalog"
    );
    apply(
        &pg,
        &db,
        "0001 again",
        &file("0001_note_summary_expand.sql"),
    );
    exec(&pg, &db, OLD_APP_INSERT);

    // Expand 2: old writers set `body`, new writers set `content`; the
    // trigger keeps both equal.
    let before = pg.catalog_dump(&db);
    apply(&pg, &db, "0002", &file("0002_rename_body_expand.sql"));
    apply(
        &pg,
        &db,
        "0002 rollback",
        &file("rollback/0002_rename_body_expand.sql"),
    );
    assert_eq!(
        before,
        pg.catalog_dump(&db),
        "the rollback of 0002 restores the catalog"
    );
    apply(&pg, &db, "0002 again", &file("0002_rename_body_expand.sql"));
    exec(&pg, &db, OLD_APP_INSERT);
    exec(
        &pg,
        &db,
        "INSERT INTO notes (org_id, user_id, notebook_id, title, content, summary)
           SELECT org_id, user_id, id, 'new app', 'written by the new version', 'w' FROM notebooks LIMIT 1",
    );
    assert_eq!(
        scalar(&pg, &db, "SELECT body FROM notes WHERE title = 'new app'"),
        "written by the new version",
        "a new-version insert fills the old column"
    );
    assert_eq!(
        scalar(
            &pg,
            &db,
            "SELECT count(*) FROM notes WHERE title = 'old app' AND content = body"
        ),
        "1",
        "an old-version insert after the expand fills the new column"
    );
    exec(
        &pg,
        &db,
        "UPDATE notes SET body = 'edited' WHERE title = 'old app'",
    );
    assert_eq!(
        scalar(
            &pg,
            &db,
            "SELECT count(*) FROM notes WHERE title = 'old app' AND content = 'edited'"
        ),
        "2",
        "an old-version update reaches the new column"
    );

    // The scripts, outside any transaction, twice (restartable).
    for script in [
        "backfill/0001_note_summary.sql",
        "backfill/0002_rename_body.sql",
    ] {
        let text = file(script);
        assert!(
            !text.contains("OFFSET"),
            "{script} pages by key, not OFFSET"
        );
        for run in 1..=2 {
            psql(&pg, &db, &format!("script{run}.sql"), &text)
                .unwrap_or_else(|e| panic!("{script} (run {run}) fails:\n{e}"));
        }
    }
    assert_eq!(
        scalar(&pg, &db, "SELECT count(*) FROM notes WHERE summary IS NULL"),
        "0"
    );
    assert_eq!(
        scalar(
            &pg,
            &db,
            "SELECT count(*) FROM notes WHERE content IS DISTINCT FROM body"
        ),
        "0"
    );

    // Contracts, each after its script.
    for script in [
        "backfill/0003_note_summary_contract.sql",
        "backfill/0004_rename_body_contract.sql",
    ] {
        for run in 1..=2 {
            psql(&pg, &db, &format!("pre{run}.sql"), &file(script))
                .unwrap_or_else(|e| panic!("{script} (run {run}) fails:\n{e}"));
        }
    }
    assert_eq!(
        scalar(
            &pg,
            &db,
            "SELECT convalidated FROM pg_constraint WHERE conname = 'notes_summary_not_null'"
        ),
        "true",
        "the NOT NULL check is validated before the contract"
    );
    apply(&pg, &db, "0003", &file("0003_note_summary_contract.sql"));
    assert_eq!(
        scalar(
            &pg,
            &db,
            "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'public.notes'::regclass AND attname = 'summary'"
        ),
        "true"
    );
    assert_eq!(
        scalar(
            &pg,
            &db,
            "SELECT count(*) FROM pg_constraint WHERE conname = 'notes_summary_not_null'"
        ),
        "0",
        "the helper check is dropped once NOT NULL holds"
    );
    apply(&pg, &db, "0004", &file("0004_rename_body_contract.sql"));
    assert_eq!(
        scalar(
            &pg,
            &db,
            "SELECT count(*) FROM pg_attribute WHERE attrelid = 'public.notes'::regclass AND attname = 'body' AND NOT attisdropped"
        ),
        "0",
        "the old column is gone"
    );
    let refused = psql(
        &pg,
        &db,
        "undo4.sql",
        &file("rollback/0004_rename_body_contract.sql"),
    )
    .expect_err("the rollback of a dropped column must fail");
    assert!(
        refused.contains("irreversible") && refused.contains("rename column notes.body"),
        "the refusal names the step: {refused}"
    );
    apply(
        &pg,
        &db,
        "0003 rollback",
        &file("rollback/0003_note_summary_contract.sql"),
    );
    assert_eq!(
        scalar(
            &pg,
            &db,
            "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'public.notes'::regclass AND attname = 'summary'"
        ),
        "false"
    );
    let _ = fs::remove_dir_all(&ws);
}
