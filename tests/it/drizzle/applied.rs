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
    for (p, db) in &dbs {
        apply(m, &s, p, &pg, db);
        let expected = expected_rows(&s.out(p));
        assert!(!expected.is_empty(), "{p}: an empty journal");
        assert_eq!(recorded_rows(&pg, db), expected, "{p}: first run");
        apply(m, &s, p, &pg, db);
        assert_eq!(
            recorded_rows(&pg, db),
            expected,
            "{p}: a second run applies nothing"
        );
    }
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
    let notes = &dbs.iter().find(|(p, _)| *p == "notes").expect("notes").1;
    let has_x: bool = pg
        .client(notes)
        .query_one(
            "SELECT count(*) = 1 FROM information_schema.columns \
             WHERE table_name = 'notes' AND column_name = 'x'",
            &[],
        )
        .expect("query the catalog")
        .get(0);
    assert!(has_x, "the third run added notes.x");
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
        let schema = &c
            .workspace
            .projects
            .iter()
            .find(|x| x.name == p)
            .expect("project")
            .schema;
        let pulled = format!("pulled-{p}");
        let config = s.root.join(format!("pull.{p}.config.js"));
        fs::write(
            &config,
            format!(
                "module.exports = {{ dialect: \"postgresql\", out: \"./{pulled}\", \
                 schemaFilter: [{schema:?}], entities: {{ roles: {{ exclude: [\"postgres\"] }} }}, \
                 dbCredentials: {{ url: {:?} }} }};\n",
                url(&pg, &db)
            ),
        )
        .expect("write the pull config");
        let o = drizzle_kit(
            &s.root,
            &["pull", "--config", config.to_str().expect("UTF-8")],
        );
        assert!(
            o.status.success(),
            "{p}: drizzle-kit pull failed:\n{}",
            report(&o)
        );
        let ours = last_snapshot(&s.out(p));
        let theirs = last_snapshot(&s.root.join(&pulled));
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
