//! Retention, scheduled: with `extension pg_cron` declared, each retained
//! table gets `sluice_purge_all_TABLE`, which the `schedule/` script's
//! jobs call. Called at top level as the superuser a job runs as, it
//! purges every org's expired rows, committing each batch, and a second
//! call purges nothing; no other role may call it.
//!
//! This test runs on the default server, which has no pg_cron (Debian
//! ships it for PostgreSQL 15 alone), so the migration is applied without
//! its `CREATE EXTENSION pg_cron`, and the script is checked by its
//! snapshot (`emit_fixtures`) and here for one job per retained table;
//! `pg_purge_cron` runs the jobs with pg_cron itself on 15.

use std::path::Path;

use crate::pg::Cluster;
use crate::pg_emit::apply;
use crate::pg_purge_support::{
    assert_only_recent_rows_left, assert_rows_unchanged, emit, fixture, seed,
};

#[test]
fn a_scheduled_purge_removes_every_orgs_expired_rows() {
    let files = emit(&fixture());
    let script = files
        .get(Path::new("out/notes/schedule/sluice_purge.sql"))
        .expect("the schedule script");
    for job in [
        "SELECT cron.schedule('sluice_purge_public_sessions', '0 * * * *', 'CALL \"public\".\"sluice_purge_all_sessions\"()');",
        "SELECT cron.schedule('sluice_purge_public_imports', '0 3 * * *', 'CALL \"public\".\"sluice_purge_all_imports\"()');",
    ] {
        assert!(script.contains(job), "no `{job}` in:\n{script}");
    }

    let migration = &files[Path::new("out/notes/0000_initial.sql")];
    let chunks: Vec<&str> = migration.split("--> statement-breakpoint").collect();
    let kept: Vec<&str> = chunks
        .iter()
        .copied()
        .filter(|s| !(s.contains("CREATE EXTENSION") && s.contains("pg_cron")))
        .collect();
    assert_eq!(
        kept.len() + 1,
        chunks.len(),
        "one CREATE EXTENSION pg_cron in:\n{migration}"
    );
    let pg = Cluster::start();
    let db = pg.create_db();
    apply(
        &pg,
        &db,
        "0000 without pg_cron",
        &kept.join("--> statement-breakpoint"),
    );

    seed(&pg, &db);

    // As pg_cron runs a job: a top-level CALL by the superuser, in
    // batches of one so that every row is its own transaction.
    for table in ["sessions", "imports"] {
        pg.execute(&db, &format!("CALL sluice_purge_all_{table}(1)"))
            .unwrap_or_else(|e| panic!("purge all {table}: {e}"));
    }
    assert_only_recent_rows_left(&pg, &db);
    for table in ["sessions", "imports"] {
        pg.execute(&db, &format!("CALL sluice_purge_all_{table}()"))
            .unwrap_or_else(|e| panic!("purge all {table} again: {e}"));
    }
    assert_rows_unchanged(&pg, &db);

    // Nobody else: not even the role that runs the per-org purge.
    let refused = pg.execute_as(&db, "jobs_rw", "CALL sluice_purge_all_sessions()");
    assert!(refused.is_err(), "jobs_rw called the all-orgs purge");
}
