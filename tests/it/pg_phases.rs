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

/// Every phase of every history under `tests/fixtures/phases/`, applied in
/// journal order to a database with rows: each expand rollback restores the
/// catalog exactly and the phase applies again; each script runs twice;
/// an irreversible rollback refuses.
#[test]
fn every_phase_fixture_applies_rolls_back_and_reapplies_on_postgres() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/phases");
    let mut fixtures: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sluice"))
        .collect();
    fixtures.sort();
    assert!(!fixtures.is_empty());
    for path in fixtures {
        let f = crate::fixture::read(&path);
        let c = crate::fixture::compile(&f);
        let files = sluice::emit::workspace(&c.workspace, Some(Path::new("out"))).expect("emits");
        let root = Path::new("out/notes");
        let get = |rel: &str| files.get(&root.join(rel)).cloned();
        let journal: Vec<String> = files
            .keys()
            .filter(|p| p.parent() == Some(root))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        let pg = Cluster::start();
        let db = pg.create_db();
        apply(
            &pg,
            &db,
            "initial",
            &get(&format!("{}.sql", journal[0])).unwrap(),
        );
        // Rows in `notes`: a title missing on every seventh, the other text
        // columns the initial schema has filled.
        let has = |col: &str| {
            scalar(
                &pg,
                &db,
                &format!(
                    "SELECT count(*) FROM pg_attribute WHERE attrelid = 'public.notes'::regclass AND attname = '{col}'"
                ),
            ) == "1"
        };
        let mut cols = vec!["org_id".to_string(), "title".to_string()];
        let mut vals = vec![
            format!("'{ORG}'"),
            "CASE WHEN g % 7 = 0 THEN NULL ELSE 't' || g END".to_string(),
        ];
        for extra in ["body", "legacy"] {
            if has(extra) {
                cols.push(extra.to_string());
                vals.push(format!("'{extra}' || g"));
            }
        }
        exec(
            &pg,
            &db,
            &format!(
                "INSERT INTO notes ({}) SELECT {} FROM generate_series(1, 1500) g",
                cols.join(", "),
                vals.join(", ")
            ),
        );
        for tag in &journal[1..] {
            let name = path.file_name().unwrap().to_string_lossy();
            // The catalog before the phase's deploy: before the script that
            // runs ahead of a contract (an index it drops concurrently is
            // built again by the rollback), which then runs again.
            let before = pg.catalog_dump(&db);
            let pre = |runs: usize| {
                if tag.ends_with("_contract") {
                    if let Some(script) = get(&format!("backfill/{tag}.sql")) {
                        for run in 1..=runs {
                            psql(&pg, &db, &format!("pre{run}.sql"), &script).unwrap_or_else(|e| {
                                panic!("{name}: the script before {tag} fails (run {run}):\n{e}")
                            });
                        }
                    }
                }
            };
            pre(2);
            let up = get(&format!("{tag}.sql")).unwrap();
            let down = get(&format!("rollback/{tag}.sql")).unwrap();
            apply(&pg, &db, tag, &up);
            if down.contains("RAISE EXCEPTION USING MESSAGE = 'rollback of") {
                let refused =
                    psql(&pg, &db, "undo.sql", &down).expect_err("irreversible rollback refuses");
                assert!(refused.contains("irreversible"), "{name} {tag}: {refused}");
            } else {
                apply(&pg, &db, &format!("{tag} rollback"), &down);
                assert_eq!(
                    before,
                    pg.catalog_dump(&db),
                    "{name}: the rollback of {tag} does not restore the catalog"
                );
                pre(1);
                apply(&pg, &db, &format!("{tag} again"), &up);
            }
            let migration = tag[5..].trim_end_matches("_expand");
            let script = if tag.ends_with("_contract") {
                None
            } else {
                get(&format!("backfill/{}_{migration}.sql", &tag[..4]))
            };
            if let Some(script) = script {
                for run in 1..=2 {
                    psql(&pg, &db, &format!("script{run}.sql"), &script).unwrap_or_else(|e| {
                        panic!("{name}: the script of {tag} fails (run {run}):\n{e}")
                    });
                }
            }
        }
        assert_eq!(
            scalar(
                &pg,
                &db,
                "SELECT count(*) FROM pg_constraint WHERE NOT convalidated"
            ),
            "0",
            "every constraint ends validated"
        );
        assert_eq!(
            scalar(
                &pg,
                &db,
                "SELECT count(*) FROM pg_index WHERE NOT indisvalid"
            ),
            "0",
            "every index ends valid"
        );
    }
}

/// The bundled notes folder on a fresh database holding `rows` notes, with
/// the journal files and scripts by name.
struct Notes {
    pg: Cluster,
    db: String,
    files: std::collections::BTreeMap<String, String>,
}

impl Notes {
    fn start(rows: usize) -> Notes {
        let c = crate::pg_emit::compiled();
        let emitted = sluice::emit::workspace(&c.workspace, Some(Path::new("out"))).expect("emits");
        let files = emitted
            .into_iter()
            .filter_map(|(p, t)| {
                p.strip_prefix("out/notes")
                    .ok()
                    .map(|r| (r.to_string_lossy().into_owned(), t))
            })
            .collect();
        let pg = Cluster::start();
        let db = pg.create_db();
        let n = Notes { pg, db, files };
        apply(&n.pg, &n.db, "0000", n.file("0000_initial.sql"));
        exec(
            &n.pg,
            &n.db,
            &format!(
                "INSERT INTO notebooks (org_id, user_id, title) VALUES ('{ORG}', '{USER}', 'inbox');
                 INSERT INTO notes (org_id, user_id, notebook_id, title, body)
                   SELECT org_id, user_id, id, 'n' || g, CASE WHEN g % 10 = 0 THEN NULL ELSE repeat('x', g % 300) END
                   FROM notebooks, generate_series(1, {rows}) g;"
            ),
        );
        n
    }

    fn file(&self, rel: &str) -> &str {
        self.files
            .get(rel)
            .unwrap_or_else(|| panic!("no notes/{rel}"))
    }

    /// The `DO $backfill$ … $backfill$;` block of a script, alone: it
    /// commits per batch, so it must be a statement of its own.
    fn backfill_block(&self, script: &str) -> String {
        let text = self.file(script);
        let start = text.find("DO $backfill$").expect("a backfill block");
        let end = text[start..].find("$backfill$;").expect("its end") + start;
        let end = text[end + 1..]
            .find("$backfill$;")
            .map(|e| e + end + 1)
            .unwrap_or(end)
            + "$backfill$;".len();
        text[start..end].to_string()
    }
}

#[test]
fn a_held_lock_makes_the_expand_fail_fast_instead_of_queueing() {
    let n = Notes::start(100);
    let mut holder = n.pg.client(&n.db);
    let mut tx = holder.transaction().unwrap();
    tx.batch_execute("LOCK TABLE public.notes IN ACCESS SHARE MODE")
        .unwrap();
    let started = std::time::Instant::now();
    // As the migrator runs it: inside one transaction, where `SET LOCAL`
    // holds.
    let in_tx = format!(
        "BEGIN;\n{}\nCOMMIT;\n",
        n.file("0001_note_summary_expand.sql")
    );
    let failed = psql(&n.pg, &n.db, "expand.sql", &in_tx)
        .expect_err("the expand must not wait behind the lock");
    let waited = started.elapsed();
    assert!(failed.contains("lock timeout"), "{failed}");
    assert!(
        waited < std::time::Duration::from_secs(10),
        "gave up after {waited:?}, not at lock_timeout"
    );
    tx.rollback().unwrap();
    apply(
        &n.pg,
        &n.db,
        "0001 once the lock is gone",
        n.file("0001_note_summary_expand.sql"),
    );
}

#[test]
fn a_backfill_killed_half_way_restarts_and_finishes_every_row() {
    let n = Notes::start(20_000);
    apply(&n.pg, &n.db, "0001", n.file("0001_note_summary_expand.sql"));
    let block = n.backfill_block("backfill/0001_note_summary.sql");
    let conninfo = n.pg.conninfo(&n.db, "postgres");
    let runner = std::thread::spawn(move || {
        let mut c = postgres::Client::connect(&conninfo, postgres::NoTls).unwrap();
        c.batch_execute("SET application_name = 'sluice_backfill'")
            .unwrap();
        c.batch_execute(&block)
    });
    let filled = || {
        scalar(
            &n.pg,
            &n.db,
            "SELECT count(*) FROM notes WHERE summary IS NOT NULL",
        )
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while filled().parse::<u64>().unwrap() < 3_000 {
        assert!(
            std::time::Instant::now() < deadline,
            "the backfill made no progress"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    exec(
        &n.pg,
        &n.db,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sluice_backfill'",
    );
    assert!(runner.join().unwrap().is_err(), "the backfill was killed");
    let partial: u64 = filled().parse().unwrap();
    assert!(
        (3_000..20_000).contains(&partial),
        "killed half-way: {partial} of 20000 rows filled"
    );
    psql(
        &n.pg,
        &n.db,
        "rerun.sql",
        n.file("backfill/0001_note_summary.sql"),
    )
    .unwrap_or_else(|e| panic!("the restarted script fails:\n{e}"));
    assert_eq!(
        scalar(
            &n.pg,
            &n.db,
            "SELECT count(*) FROM notes WHERE summary IS DISTINCT FROM coalesce(left(body, 200), '')"
        ),
        "0",
        "every row is correct after the restart"
    );
}

#[test]
fn old_and_new_writers_keep_working_through_expand_and_backfill() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let n = Notes::start(5_000);
    let stop = Arc::new(AtomicBool::new(false));
    let writer = |sql: &'static str, stop: Arc<AtomicBool>| {
        let conninfo = n.pg.conninfo(&n.db, "postgres");
        std::thread::spawn(move || {
            let mut c = postgres::Client::connect(&conninfo, postgres::NoTls).unwrap();
            let mut writes = 0u64;
            while !stop.load(Ordering::Relaxed) {
                if let Err(e) = c.batch_execute(sql) {
                    return Err(format!("write {writes} failed: {e}"));
                }
                writes += 1;
            }
            Ok(writes)
        })
    };
    // The previous app version: knows `body`, not `summary` or `content`.
    let old = writer(
        "INSERT INTO notes (org_id, user_id, notebook_id, title, body)
           SELECT org_id, user_id, id, 'old', 'old body' FROM notebooks LIMIT 1;
         UPDATE notes SET body = body || '.' WHERE id = (SELECT id FROM notes WHERE title = 'old' LIMIT 1);",
        stop.clone(),
    );
    apply(&n.pg, &n.db, "0001", n.file("0001_note_summary_expand.sql"));
    apply(&n.pg, &n.db, "0002", n.file("0002_rename_body_expand.sql"));
    // The new version: writes `summary` and `content`, never `body`.
    let new = writer(
        "INSERT INTO notes (org_id, user_id, notebook_id, title, content, summary)
           SELECT org_id, user_id, id, 'new', 'new content', 'new' FROM notebooks LIMIT 1;
         UPDATE notes SET content = content || '!' WHERE id = (SELECT id FROM notes WHERE title = 'new' LIMIT 1);",
        stop.clone(),
    );
    for script in [
        "backfill/0001_note_summary.sql",
        "backfill/0002_rename_body.sql",
    ] {
        psql(&n.pg, &n.db, "script.sql", n.file(script))
            .unwrap_or_else(|e| panic!("{script} fails under traffic:\n{e}"));
    }
    stop.store(true, Ordering::Relaxed);
    let old_writes = old
        .join()
        .unwrap()
        .unwrap_or_else(|e| panic!("old writer: {e}"));
    let new_writes = new
        .join()
        .unwrap()
        .unwrap_or_else(|e| panic!("new writer: {e}"));
    assert!(
        old_writes > 0 && new_writes > 0,
        "both writers wrote ({old_writes}, {new_writes})"
    );
    assert_eq!(
        scalar(
            &n.pg,
            &n.db,
            "SELECT count(*) FROM notes WHERE content IS DISTINCT FROM body"
        ),
        "0",
        "old and new views of the data agree"
    );
    assert_eq!(
        scalar(
            &n.pg,
            &n.db,
            "SELECT count(*) FROM notes WHERE title = 'new' AND body IS NULL"
        ),
        "0",
        "new-version writes reach the old column"
    );
}
