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

const FIXTURE: &str =
    "tests/fixtures/deploy/purges_are_scheduled_when_the_workspace_declares_pg_cron.sluice";
const ORG_A: &str = "0000000a-0000-4000-a000-00000000000a";
const ORG_B: &str = "0000000b-0000-4000-a000-00000000000b";

fn count(pg: &Cluster, db: &str, sql: &str) -> i64 {
    pg.client(db)
        .query_one(sql, &[])
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .get(0)
}

#[test]
fn a_scheduled_purge_removes_every_orgs_expired_rows() {
    let f = crate::fixture::read(Path::new(FIXTURE));
    let c = crate::fixture::compile(&f);
    assert_eq!(
        crate::fixture::codes(&c),
        f.expect,
        "{}",
        crate::fixture::render(&c)
    );
    let files = sluice::emit::workspace(&c.workspace, Some(Path::new("out"))).expect("emits");
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

    let mut seed = String::new();
    for (org, age, n) in [
        (ORG_A, "25 hours", 3),
        (ORG_B, "25 hours", 2),
        (ORG_A, "1 hour", 1),
        (ORG_B, "1 hour", 1),
    ] {
        for _ in 0..n {
            seed.push_str(&format!(
                "INSERT INTO sessions (org_id, token_hash, created_at) VALUES ('{org}', 't', now() - interval '{age}');\n"
            ));
        }
    }
    seed.push_str(
        "INSERT INTO imports (source, created_at) VALUES ('a', now() - interval '31 days'), ('b', now() - interval '31 days'), ('c', now());\n",
    );
    pg.execute(&db, &seed).expect("seed");

    // As pg_cron runs a job: a top-level CALL by the superuser, in
    // batches of one so that every row is its own transaction.
    for table in ["sessions", "imports"] {
        pg.execute(&db, &format!("CALL sluice_purge_all_{table}(1)"))
            .unwrap_or_else(|e| panic!("purge all {table}: {e}"));
    }
    assert_eq!(count(&pg, &db, "SELECT count(*) FROM sessions"), 2);
    assert_eq!(
        count(
            &pg,
            &db,
            "SELECT count(*) FROM sessions WHERE created_at < now() - interval '24 hours'"
        ),
        0
    );
    assert_eq!(count(&pg, &db, "SELECT count(*) FROM imports"), 1);
    for table in ["sessions", "imports"] {
        pg.execute(&db, &format!("CALL sluice_purge_all_{table}()"))
            .unwrap_or_else(|e| panic!("purge all {table} again: {e}"));
    }
    assert_eq!(count(&pg, &db, "SELECT count(*) FROM sessions"), 2);
    assert_eq!(count(&pg, &db, "SELECT count(*) FROM imports"), 1);

    // Nobody else: not even the role that runs the per-org purge.
    let refused = pg.execute_as(&db, "jobs_rw", "CALL sluice_purge_all_sessions()");
    assert!(refused.is_err(), "jobs_rw called the all-orgs purge");
}
