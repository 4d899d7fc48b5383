//! The throwaway PostgreSQL harness itself: start, roles, psql, catalog dumps
//! and cleanup.

use std::fs;
use std::path::Path;

use postgres::error::SqlState;

use crate::pg::{Cluster, SUPERUSER};

#[test]
fn a_cluster_starts_on_loopback_and_runs_a_query_as_superuser() {
    let pg = Cluster::start();
    let db = pg.create_db();
    let mut client = pg.client(&db);
    let row = client
        .query_one(
            "SELECT current_user::text, current_database()::text,
                    (SELECT rolsuper FROM pg_roles WHERE rolname = current_user),
                    current_setting('listen_addresses'), current_setting('fsync'),
                    current_setting('unix_socket_directories')",
            &[],
        )
        .expect("the superuser queries its new database");
    assert_eq!(row.get::<_, &str>(0), SUPERUSER);
    assert_eq!(row.get::<_, &str>(1), db);
    assert!(row.get::<_, bool>(2), "the default client is a superuser");
    assert_eq!(row.get::<_, &str>(3), "127.0.0.1");
    assert_eq!(row.get::<_, &str>(4), "off");
    assert_eq!(Path::new(row.get::<_, &str>(5)), pg.dir());

    let other = pg.create_db();
    assert_ne!(db, other, "each database gets a new name");
    assert!(pg
        .conninfo(&other, "app")
        .contains(&format!("port={}", pg.port())));
}

#[test]
fn a_role_created_by_sql_connects_and_has_only_what_it_was_granted() {
    let pg = Cluster::start();
    let db = pg.create_db();
    pg.execute(
        &db,
        "CREATE ROLE app LOGIN;
         CREATE TABLE secret (x int);
         CREATE TABLE open (x int);
         INSERT INTO open VALUES (1);
         GRANT SELECT ON open TO app;",
    )
    .expect("the setup script runs as superuser");

    let mut app = pg.client_as(&db, "app");
    let who: String = app
        .query_one("SELECT current_user::text", &[])
        .expect("app asks who it is")
        .get(0);
    assert_eq!(who, "app");
    let count: i64 = app
        .query_one("SELECT count(*) FROM open", &[])
        .expect("app reads the table it was granted")
        .get(0);
    assert_eq!(count, 1);

    let denied = pg
        .execute_as(&db, "app", "SELECT * FROM secret")
        .expect_err("app has no grant on secret");
    assert_eq!(
        denied.code(),
        Some(&SqlState::INSUFFICIENT_PRIVILEGE),
        "{denied}"
    );
    let unknown = pg
        .try_client_as(&db, "nobody")
        .err()
        .expect("a role that does not exist cannot connect");
    assert!(unknown.to_string().contains("nobody"), "{unknown}");
}

#[test]
fn psql_stops_at_the_first_error_and_reports_it() {
    let pg = Cluster::start();
    let db = pg.create_db();
    let bad = pg.dir().join("bad.sql");
    fs::write(
        &bad,
        "CREATE TABLE before_error (x int);\n\
         SELECT * FROM no_such_table;\n\
         CREATE TABLE after_error (x int);\n",
    )
    .expect("write the script");
    let err = pg
        .psql_file(&db, &bad)
        .expect_err("psql fails on the error with ON_ERROR_STOP");
    assert!(err.contains("no_such_table"), "{err}");

    let good = pg.dir().join("good.sql");
    fs::write(
        &good,
        "SELECT to_regclass('after_error') IS NULL AS stopped;\n",
    )
    .expect("write the script");
    let out = pg
        .psql_file_as(&db, SUPERUSER, &good)
        .expect("a correct script runs");
    assert!(out.contains('t'), "psql stopped before after_error: {out}");
    let tables: i64 = pg
        .client(&db)
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE tablename = 'before_error'",
            &[],
        )
        .expect("count tables")
        .get(0);
    assert_eq!(tables, 1, "the statement before the error was applied");
}

#[test]
fn catalog_dump_sees_tables_and_roles_and_returns_to_the_fresh_state() {
    let pg = Cluster::start();
    let db = pg.create_db();
    let fresh = pg.catalog_dump(&db);
    assert_eq!(fresh, pg.catalog_dump(&db), "dumps of one state are equal");
    assert!(
        !fresh.contains("\\restrict") && !fresh.contains("SET "),
        "{fresh}"
    );

    pg.execute(
        &db,
        "CREATE ROLE reader LOGIN CONNECTION LIMIT 3;
         CREATE TABLE notes (id int PRIMARY KEY, body text);
         GRANT SELECT ON notes TO reader;",
    )
    .expect("create a table and a role");
    let changed = pg.catalog_dump(&db);
    assert_ne!(fresh, changed);
    assert!(changed.contains("CREATE TABLE public.notes"), "{changed}");
    assert!(
        changed.contains("GRANT SELECT ON TABLE public.notes TO reader"),
        "{changed}"
    );
    assert!(changed.contains("role reader"), "{changed}");

    // A role alone (no object in the database) still shows.
    pg.execute(&db, "DROP TABLE notes").expect("drop the table");
    let role_only = pg.catalog_dump(&db);
    assert_ne!(fresh, role_only, "the role is part of the dump");

    pg.execute(&db, "DROP ROLE reader").expect("drop the role");
    assert_eq!(
        fresh,
        pg.catalog_dump(&db),
        "dropping both restores the dump"
    );
    // Equal catalogs in another database dump equal too.
    assert_eq!(fresh, pg.catalog_dump(&pg.create_db()));
}

#[test]
fn a_cluster_is_stopped_and_removed_when_its_test_panics() {
    let (tx, rx) = std::sync::mpsc::channel();
    let panicked = std::panic::catch_unwind(move || {
        let pg = Cluster::start();
        let pid = fs::read_to_string(pg.dir().join("data/postmaster.pid"))
            .expect("a running cluster has a postmaster.pid");
        let pid = pid.lines().next().expect("its first line").to_string();
        tx.send((pg.dir().to_path_buf(), pid))
            .expect("send the folder");
        panic!("a test fails while its cluster runs");
    });
    assert!(panicked.is_err());
    let (dir, pid) = rx.recv().expect("the cluster started");
    assert!(!dir.exists(), "{} was removed", dir.display());
    assert!(!running(&pid), "the postmaster {pid} was stopped");
}

/// Whether process `pid` runs (a zombie, left to a parent that does not reap
/// it, does not).
fn running(pid: &str) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|stat| {
            let state = stat.rsplit(')').next().unwrap_or_default().trim_start();
            !state.starts_with('Z') && !state.starts_with('X')
        })
        .unwrap_or(false)
}

#[test]
fn every_major_from_14_to_18_starts_and_reports_its_version() {
    for major in crate::pg::MAJORS {
        let pg = Cluster::start_on(major);
        assert_eq!(pg.major(), major);
        let version = pg.version();
        assert!(
            version.starts_with(&format!("{major}.")),
            "asked for PostgreSQL {major}, got {version}"
        );
    }
}
