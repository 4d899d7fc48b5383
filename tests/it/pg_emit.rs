//! The SQL `sluice build` emits for the bundled workspace, on a real
//! PostgreSQL: every project's `0000_initial.sql` applies to an empty
//! database with `psql -v ON_ERROR_STOP=1`, its rollback returns the catalog
//! (roles included) to what it was, and applying again works. Then all
//! projects side by side in one cluster, where roles are shared: rolling one
//! project back keeps the roles the others use and leaves their databases
//! untouched.

use std::fs;
use std::path::{Path, PathBuf};

use crate::pg::Cluster;

/// One project's emitted files.
pub struct ProjectSql {
    pub name: String,
    /// `<project>/0000_initial.sql`.
    pub up: String,
    /// `<project>/rollback/0000_initial.sql`.
    pub down: String,
}

/// `schemas/` compiled without errors.
pub fn compiled() -> sluice::Compilation {
    let c = sluice::compile(Path::new("schemas")).expect("schemas/ loads");
    assert!(!c.diagnostics.has_errors(), "schemas/ has errors");
    c
}

/// The migration and rollback of every project, in workspace order.
pub fn project_sql(c: &sluice::Compilation) -> Vec<ProjectSql> {
    let out = Path::new("out");
    let mut files = sluice::emit::workspace(&c.workspace, Some(out)).expect("schemas/ emits");
    let mut take = |path: PathBuf| {
        files
            .remove(&path)
            .unwrap_or_else(|| panic!("sluice emits no {}", path.display()))
    };
    let projects: Vec<ProjectSql> = c
        .workspace
        .projects
        .iter()
        .map(|p| ProjectSql {
            name: p.name.clone(),
            up: take(out.join(&p.name).join("0000_initial.sql")),
            down: take(out.join(&p.name).join("rollback/0000_initial.sql")),
        })
        .collect();
    // Later phases are applied by `pg_phases`.
    files.retain(|path, _| path.ends_with("0000_initial.sql"));
    assert!(
        files.is_empty(),
        "files this test does not apply: {:?}",
        files.keys().collect::<Vec<_>>()
    );
    assert!(
        projects.len() >= 5,
        "the bundled workspace has five projects"
    );
    projects
}

/// Writes `text` to `file` in the cluster's folder and runs it with
/// `psql -v ON_ERROR_STOP=1` on `db` as the superuser.
pub fn psql(pg: &Cluster, db: &str, file: &str, text: &str) -> Result<String, String> {
    let path = pg.dir().join(file);
    fs::write(&path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    pg.psql_file(db, &path)
}

/// Applies `text` with psql, panicking with psql's report when it fails.
pub fn apply(pg: &Cluster, db: &str, what: &str, text: &str) {
    let file = format!("{}.sql", what.replace(['/', ' '], "_"));
    if let Err(e) = psql(pg, db, &file, text) {
        panic!("{what} does not apply on database {db}:\n{e}");
    }
}

/// The first column of the rows `sql` returns on `db`, as text.
pub fn strings(pg: &Cluster, db: &str, sql: &str) -> Vec<String> {
    pg.client(db)
        .query(sql, &[])
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// The names of the workspace's roles.
fn role_names(c: &sluice::Compilation) -> Vec<String> {
    c.workspace.roles.iter().map(|r| r.name.clone()).collect()
}

/// Which of `names` exist in the cluster.
fn existing_roles(pg: &Cluster, db: &str, names: &[String]) -> Vec<String> {
    pg.client(db)
        .query(
            "SELECT rolname::text FROM pg_roles WHERE rolname = ANY($1) ORDER BY 1",
            &[&names],
        )
        .expect("list roles")
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[test]
fn every_project_applies_rolls_back_to_empty_and_applies_again() {
    let c = compiled();
    let roles = role_names(&c);
    for p in project_sql(&c) {
        let pg = Cluster::start();
        let db = pg.create_db();
        let empty = pg.catalog_dump(&db);
        assert!(
            existing_roles(&pg, &db, &roles).is_empty(),
            "a fresh cluster has none of the workspace's roles"
        );

        apply(&pg, &db, &format!("{}/0000_initial.sql", p.name), &p.up);
        let applied = pg.catalog_dump(&db);
        assert_ne!(empty, applied, "{}: the migration changed nothing", p.name);
        assert_eq!(
            existing_roles(&pg, &db, &roles).len(),
            roles.len(),
            "{}: the migration creates every role",
            p.name
        );

        apply(&pg, &db, &format!("{}/rollback", p.name), &p.down);
        assert_eq!(
            empty,
            pg.catalog_dump(&db),
            "{}: the rollback does not return the database (and the cluster's roles) to empty",
            p.name
        );

        // Again: once more with psql, then in one transaction as a migration
        // runner applies it (the breakpoint markers are SQL comments).
        apply(
            &pg,
            &db,
            &format!("{}/0000_initial.sql again", p.name),
            &p.up,
        );
        assert_eq!(
            applied,
            pg.catalog_dump(&db),
            "{}: applying again gives another catalog",
            p.name
        );
        apply(&pg, &db, &format!("{}/rollback again", p.name), &p.down);
        assert_eq!(empty, pg.catalog_dump(&db), "{}: second rollback", p.name);

        for (what, text) in [("migration", &p.up), ("rollback", &p.down)] {
            pg.execute(&db, &format!("BEGIN;\n{text}\n;COMMIT;"))
                .unwrap_or_else(|e| {
                    panic!("{}: the {what} fails in a single transaction: {e}", p.name)
                });
            let expected = if what == "migration" {
                &applied
            } else {
                &empty
            };
            assert_eq!(
                expected,
                &pg.catalog_dump(&db),
                "{}: the {what} in one transaction differs from psql's",
                p.name
            );
        }
    }
}

#[test]
fn projects_share_a_cluster_and_roll_back_one_at_a_time() {
    let c = compiled();
    let roles = role_names(&c);
    let projects = project_sql(&c);
    let pg = Cluster::start();
    let untouched = pg.create_db();
    let empty = pg.catalog_dump(&untouched);

    let dbs: Vec<String> = projects.iter().map(|_| pg.create_db()).collect();
    for (p, db) in projects.iter().zip(&dbs) {
        // Every project after the first finds the roles already there.
        apply(&pg, db, &format!("{}/0000_initial.sql", p.name), &p.up);
    }
    assert_eq!(existing_roles(&pg, &untouched, &roles), {
        let mut sorted = roles.clone();
        sorted.sort();
        sorted
    });
    let dumps: Vec<String> = dbs.iter().map(|db| pg.catalog_dump(db)).collect();
    assert_ne!(
        dumps[0], dumps[1],
        "two projects applied to two databases differ"
    );

    for (i, p) in projects.iter().enumerate() {
        apply(&pg, &dbs[i], &format!("{}/rollback", p.name), &p.down);
        let still_used = i + 1 < projects.len();
        if still_used {
            assert_eq!(
                existing_roles(&pg, &untouched, &roles).len(),
                roles.len(),
                "rolling back {} dropped roles that the other databases still use",
                p.name
            );
        } else {
            assert!(
                existing_roles(&pg, &untouched, &roles).is_empty(),
                "the last rollback ({}) leaves roles behind",
                p.name
            );
        }
        // The rolled-back database is an untouched one again; the others
        // did not change.
        assert_eq!(
            pg.catalog_dump(&untouched),
            pg.catalog_dump(&dbs[i]),
            "rolling back {} does not return its database to empty",
            p.name
        );
        for (j, q) in projects.iter().enumerate().skip(i + 1) {
            assert_eq!(
                dumps[j],
                pg.catalog_dump(&dbs[j]),
                "rolling back {} changed the database of {}",
                p.name,
                q.name
            );
        }
    }
    assert_eq!(
        empty,
        pg.catalog_dump(&untouched),
        "after every rollback the cluster is as fresh as before"
    );
}
