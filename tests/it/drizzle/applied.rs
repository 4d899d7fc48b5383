//! The emitted folders checked by drizzle-kit and applied by drizzle-orm's
//! `migrate()` and by `drizzle-kit migrate`, each entry once; and what
//! drizzle-kit pulls back from the database equals the last snapshot.

use super::*;

/// How a test applies a folder.
#[derive(Clone, Copy)]
enum Migrator {
    /// drizzle-orm's `migrate()` with node-postgres (`tests/drizzle/migrate.mjs`).
    Orm,
    /// `drizzle-kit migrate` with a generated `drizzle.config.js`.
    Kit,
}

fn apply(m: Migrator, s: &Scratch, project: &str, pg: &Cluster, db: &str) {
    let o = match m {
        Migrator::Orm => {
            let folder = s.out(project);
            node(
                &node_dir(),
                &["migrate.mjs", folder.to_str().expect("UTF-8"), &url(pg, db)],
            )
        }
        Migrator::Kit => {
            let config = s.root.join(format!("drizzle.config.{project}.js"));
            fs::write(
                &config,
                format!(
                    "module.exports = {{ dialect: \"postgresql\", out: \"./out/{project}\", \
                     dbCredentials: {{ url: {:?} }} }};\n",
                    url(pg, db)
                ),
            )
            .expect("write drizzle.config.js");
            drizzle_kit(
                &s.root,
                &["migrate", "--config", config.to_str().expect("UTF-8")],
            )
        }
    };
    assert!(
        o.status.success(),
        "{project}: migrating failed:\n{}\nserver log:\n{}",
        report(&o),
        pg.server_log()
    );
}

#[test]
fn drizzle_kit_check_passes_on_every_emitted_project_folder() {
    let s = Scratch::new("check");
    s.build();
    for p in PROJECTS {
        kit_checks(&drizzle_kit, &s.root, p);
    }
}

/// Build, apply every project (one database each, one cluster: roles are
/// cluster-wide), apply again, add a migration, rebuild into the same
/// folder, apply a third time.
fn apply_build_apply(m: Migrator) {
    let s = Scratch::new("apply");
    s.build();
    let pg = Cluster::start();
    let dbs: Vec<(&str, String)> = PROJECTS.iter().map(|p| (*p, pg.create_db())).collect();
    apply_twice(
        &dbs,
        |p, db| apply(m, &s, p, &pg, db),
        |p| expected_rows(&s.out(p)),
        |db| recorded_rows(&pg, db),
    );
    let before: BTreeMap<&str, Vec<(String, u64)>> =
        PROJECTS.iter().map(|p| (*p, journal(&s.out(p)))).collect();

    s.add_notes_x();
    s.build();
    for (p, db) in &dbs {
        let now = journal(&s.out(p));
        let old = &before[p];
        assert_eq!(
            &now[..old.len()],
            &old[..],
            "{p}: released entries keep tag and when"
        );
        for pair in now.windows(2) {
            assert!(pair[1].1 > pair[0].1, "{p}: `when` increases: {now:?}");
        }
        apply(m, &s, p, &pg, db);
        let rows = recorded_rows(&pg, db);
        assert_eq!(rows, expected_rows(&s.out(p)), "{p}: third run");
        if *p == "notes" {
            assert!(
                now.len() > old.len(),
                "notes: the new migration adds journal entries"
            );
        }
    }
    assert_notes_has_x(&pg, &dbs);
}

#[test]
fn drizzle_orm_migrate_applies_each_entry_once_with_its_hash_and_when() {
    node_dir();
    apply_build_apply(Migrator::Orm);
}

#[test]
fn drizzle_kit_migrate_with_a_generated_config_does_the_same() {
    node_dir();
    apply_build_apply(Migrator::Kit);
}

/// The schema drizzle-kit reads back from the database (`drizzle-kit pull`)
/// equals the last snapshot sluice wrote: `generateMigration(ours, pulled)`
/// has nothing to do, so `drizzle-kit generate` from an equivalent schema
/// would not re-create anything.
#[test]
fn the_last_snapshot_matches_what_drizzle_kit_pulls_from_the_database() {
    let s = Scratch::new("pull");
    s.build();
    let c = sluice::compile(&s.root.join("schemas")).expect("loads");
    let pg = Cluster::start();
    let mut failures = Vec::new();
    for p in PROJECTS {
        let db = pg.create_db();
        apply(Migrator::Orm, &s, p, &pg, &db);
        let pulled = pull(
            &drizzle_kit,
            &s,
            p,
            schema_of(&c, p),
            &url(&pg, &db),
            "entities: { roles: { exclude: [\"postgres\"] } }, ",
        );
        let ours = last_snapshot(&s.out(p));
        let theirs = last_snapshot(&pulled);
        let statements = pulled_differences(&node_dir(), p, &ours, &theirs);
        if !statements.is_empty() {
            failures.push(format!("{p}:\n  {}", statements.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "drizzle-kit would change what sluice's snapshot describes:\n{}",
        failures.join("\n")
    );
}
