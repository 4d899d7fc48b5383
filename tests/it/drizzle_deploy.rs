//! Deploying with drizzle-orm's `migrate()` while skipping the psql scripts
//! between journal entries (nothing records whether they ran): a contract
//! whose correctness depends on its script refuses, naming it, and no row
//! loses data. The bundled notes history, rows in its tables, deployed in
//! the stages a team ships it: the initial schema, the expands, the
//! contracts.

use std::fs;
use std::path::{Path, PathBuf};

use crate::drizzle::{migrate, migrate_report, Scratch};
use crate::pg::Cluster;
use crate::pg_emit::psql;

const RELEASE: &str = "migration release_contracts {
  after rename_body
  release note_summary
  release rename_body
}
";

const ORG: &str = "0000000a-0000-4000-a000-00000000000a";
const USER: &str = "000000ad-0000-4000-c000-0000000000ad";

/// A copy of a drizzle folder whose journal keeps only its first `n`
/// entries: the folder as an earlier build wrote it.
fn first_entries(folder: &Path, n: usize, to: &Path) -> PathBuf {
    for e in walkdir::WalkDir::new(folder) {
        let e = e.expect("walk");
        let dest = to.join(e.path().strip_prefix(folder).expect("inside"));
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).expect("mkdir");
        } else {
            fs::copy(e.path(), &dest).expect("copy");
        }
    }
    let path = to.join("meta/_journal.json");
    let mut j: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).expect("journal")).expect("JSON");
    j["entries"].as_array_mut().expect("entries").truncate(n);
    fs::write(&path, serde_json::to_string_pretty(&j).expect("JSON")).expect("write");
    to.to_path_buf()
}

/// Every note's id and text as they are now: `body` before the rename's
/// contract, `content` after it.
fn note_texts(pg: &Cluster, db: &str, column: &str) -> Vec<(String, Option<String>)> {
    pg.client(db)
        .query(
            &format!("SELECT id::text, {column} FROM notes ORDER BY id"),
            &[],
        )
        .expect("read notes")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

fn applied(pg: &Cluster, db: &str) -> i64 {
    pg.client(db)
        .query_one("SELECT count(*) FROM drizzle.__drizzle_migrations", &[])
        .expect("read the migrations table")
        .get(0)
}

/// The notes folder built with [`RELEASE`] (`full`), and a database
/// migrated to its initial schema alone, holding 100 notes whose `body`
/// is the SQL expression `body` of `g` (1 to 100). `scratch` holds the
/// folder: it is removed when that is dropped.
struct Deployed {
    scratch: Scratch,
    full: PathBuf,
    pg: Cluster,
    db: String,
}

/// [`Deployed`], in a scratch folder tagged `tag`.
fn initial_with_notes(tag: &str, body: &str) -> Deployed {
    let s = Scratch::new(tag);
    fs::write(
        s.root
            .join("schemas/notes/migrations/0004_release_contracts.sluice"),
        RELEASE,
    )
    .expect("write the release");
    s.build();
    let full = s.out("notes");
    let pg = Cluster::start();
    let db = pg.create_db();
    let initial = first_entries(&full, 1, &s.root.join("stage-initial"));
    let o = migrate(&initial, &pg, &db);
    assert!(o.status.success(), "initial: {}", migrate_report(&o));
    pg.execute(
        &db,
        &format!(
            "INSERT INTO notebooks (org_id, user_id, title) VALUES ('{ORG}', '{USER}', 'inbox');
             INSERT INTO notes (org_id, user_id, notebook_id, title, body)
               SELECT org_id, user_id, id, 'n' || g, {body}
               FROM notebooks, generate_series(1, 100) g;"
        ),
    )
    .expect("insert rows");
    Deployed {
        scratch: s,
        full,
        pg,
        db,
    }
}

#[test]
fn contracts_deployed_without_their_scripts_refuse_and_lose_no_row() {
    // The initial schema, then rows written by the app of that time.
    let Deployed {
        scratch: s,
        full,
        pg,
        db,
    } = initial_with_notes(
        "skip-scripts",
        "CASE WHEN g % 10 = 0 THEN NULL ELSE 'body ' || g END",
    );
    let before = note_texts(&pg, &db, "body");
    assert_eq!(before.len(), 100);

    // The expands, without their scripts.
    let expands = first_entries(&full, 3, &s.root.join("stage-expands"));
    let o = migrate(&expands, &pg, &db);
    assert!(o.status.success(), "expands: {}", migrate_report(&o));
    assert_eq!(applied(&pg, &db), 3);

    // The contracts, without their scripts: refused, nothing applied.
    let o = migrate(&full, &pg, &db);
    let report = migrate_report(&o);
    assert!(!o.status.success(), "the contracts must refuse:\n{report}");
    assert!(
        report.contains(
            "0003_note_summary_contract refused: 100 rows still need the backfill of notes.summary"
        ) && report.contains("backfill/0003_note_summary_contract.sql"),
        "the refusal counts the rows and names the script:\n{report}"
    );
    assert_eq!(applied(&pg, &db), 3, "no contract entry is recorded");
    assert_eq!(note_texts(&pg, &db, "body"), before, "no body is lost");

    // The first script it names, then again: the rename's contract refuses.
    let script = fs::read_to_string(full.join("backfill/0003_note_summary_contract.sql"))
        .expect("the script");
    psql(&pg, &db, "pre3.sql", &script).expect("the script runs");
    let o = migrate(&full, &pg, &db);
    let report = migrate_report(&o);
    assert!(
        !o.status.success(),
        "the rename's contract must refuse:\n{report}"
    );
    assert!(
        report.contains("0004_rename_body_contract refused: 90 rows still need the copy of notes.body into content")
            && report.contains("backfill/0004_rename_body_contract.sql"),
        "{report}"
    );
    assert_eq!(applied(&pg, &db), 3);
    assert_eq!(note_texts(&pg, &db, "body"), before, "no body is lost");

    // With its script too, the contracts apply and every text survives.
    let script = fs::read_to_string(full.join("backfill/0004_rename_body_contract.sql"))
        .expect("the script");
    psql(&pg, &db, "pre4.sql", &script).expect("the script runs");
    let o = migrate(&full, &pg, &db);
    assert!(o.status.success(), "contracts: {}", migrate_report(&o));
    assert_eq!(applied(&pg, &db), 5);
    assert_eq!(
        note_texts(&pg, &db, "content"),
        before,
        "every body is now the note's content"
    );
}

#[test]
fn the_whole_history_at_once_without_scripts_refuses_and_keeps_every_row() {
    let Deployed {
        scratch: _scratch,
        full,
        pg,
        db,
    } = initial_with_notes("skip-all", "'body ' || g");
    let before = note_texts(&pg, &db, "body");
    let o = migrate(&full, &pg, &db);
    let report = migrate_report(&o);
    assert!(!o.status.success(), "{report}");
    assert!(report.contains("refused: 100 rows still need"), "{report}");
    assert_eq!(applied(&pg, &db), 1, "the whole batch is rolled back");
    assert_eq!(note_texts(&pg, &db, "body"), before, "no body is lost");
}
