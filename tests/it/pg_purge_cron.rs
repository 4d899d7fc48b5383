//! Retention, scheduled by a real pg_cron: on PostgreSQL 15 with pg_cron
//! preloaded (`shared_preload_libraries`, `cron.database_name`), the
//! emitted migration creates the extension, running the emitted
//! `schedule/sluice_purge.sql` as a superuser (as the README says) creates
//! one `cron.job` per retained table with the expected schedule and
//! command, running it again updates them in place, and each job's
//! command, run as pg_cron runs it (a top-level statement of the job's
//! user on the job's database), purges exactly the expired rows of every
//! org. pg_cron 1.4 (Debian 12's) schedules by the minute at best, so the
//! test runs the jobs' commands instead of waiting for a tick.

use std::path::Path;

use crate::pg::Cluster;
use crate::pg_emit::apply;
use crate::pg_purge_support::{
    assert_only_recent_rows_left, assert_rows_unchanged, count, emit, fixture, seed,
};

fn jobs(pg: &Cluster, db: &str) -> Vec<(String, String, String, String, String)> {
    pg.client(db)
        .query(
            "SELECT jobname, schedule, command, database, username FROM cron.job ORDER BY jobname",
            &[],
        )
        .unwrap_or_else(|e| panic!("read cron.job: {e}"))
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
        .collect()
}

#[test]
fn pg_cron_on_postgres_15_runs_the_scheduled_purges_of_expired_rows() {
    crate::provision::pg_cron(15).unwrap_or_else(|e| panic!("{e}"));
    let mut f = fixture();
    let ws = f.files.get_mut("workspace.sluice").expect("workspace");
    *ws = ws.replace("postgres 16", "postgres 15");
    let files = emit(&f);
    let file = |path: &str| files[Path::new("out").join(path).as_path()].clone();

    // `create_db` names the first database `db1`: pg_cron's database.
    let pg = Cluster::start_with(
        15,
        "shared_preload_libraries = 'pg_cron'\ncron.database_name = 'db1'",
    );
    let db = pg.create_db();
    assert_eq!(db, "db1");
    apply(&pg, &db, "0000", &file("notes/0000_initial.sql"));
    assert_eq!(
        count(
            &pg,
            &db,
            "SELECT count(*) FROM pg_extension WHERE extname = 'pg_cron'"
        ),
        1,
        "the migration creates the extension"
    );
    let script = file("notes/schedule/sluice_purge.sql");
    apply(&pg, &db, "schedule", &script);
    let expected = vec![
        (
            "sluice_purge_public_imports".to_string(),
            "0 3 * * *".to_string(),
            "CALL \"public\".\"sluice_purge_all_imports\"()".to_string(),
            db.clone(),
            crate::pg::SUPERUSER.to_string(),
        ),
        (
            "sluice_purge_public_sessions".to_string(),
            "0 * * * *".to_string(),
            "CALL \"public\".\"sluice_purge_all_sessions\"()".to_string(),
            db.clone(),
            crate::pg::SUPERUSER.to_string(),
        ),
    ];
    assert_eq!(jobs(&pg, &db), expected);
    // Again: the jobs are updated in place, not doubled.
    apply(&pg, &db, "schedule again", &script);
    assert_eq!(jobs(&pg, &db), expected);

    seed(&pg, &db);

    // Each job's command as pg_cron runs it: on its database, as its user.
    let run_jobs = || {
        for (name, _, command, database, user) in jobs(&pg, &db) {
            pg.execute_as(&database, &user, &command)
                .unwrap_or_else(|e| panic!("job {name}: {command}: {e}"));
        }
    };
    run_jobs();
    assert_only_recent_rows_left(&pg, &db);
    assert_eq!(
        count(&pg, &db, "SELECT count(DISTINCT org_id) FROM sessions"),
        2,
        "each org keeps its recent row"
    );
    run_jobs();
    assert_rows_unchanged(&pg, &db);
}
