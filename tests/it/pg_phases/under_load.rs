//! The bundled notes folder on a database holding many rows: a held lock
//! makes an expand fail fast, a killed backfill restarts, and old and new
//! writers keep working through expand and backfill.

use super::*;

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
