//! The Drizzle 1.x layout: a workspace under a `package.json` that pins
//! drizzle-kit 1.0 gets one folder per migration, read by the real
//! drizzle-kit and applied by the real drizzle-orm 1.0 release candidates
//! (pinned in `tests/drizzle1/package.json`, installed by `npm ci` there on
//! first use). Without node or those packages every test here fails, never
//! skips.
//!
//! Each test builds a copy of `schemas/` with the `sluice` binary:
//! `drizzle-kit check`; drizzle-orm's `migrate()` (`migrate.mjs`) compared
//! row by row with the folders, again after a new migration; `drizzle-kit
//! pull` from the migrated database compared with the schema the folder's
//! snapshots end in (`diff.mjs`); `drizzle-kit generate` against the
//! generated `schema.ts`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::drizzle::{
    apply_twice, assert_notes_has_x, drizzle_kit_of, node, pull, report, schema_of, text, tree,
    url, Scratch, PROJECTS,
};
use crate::pg::Cluster;

/// What a team upgrading to Drizzle 1.0 has beside its workspace.
pub const PACKAGE_JSON: &str = r#"{
  "private": true,
  "devDependencies": { "drizzle-kit": "1.0.0-rc.5" },
  "dependencies": { "drizzle-orm": "1.0.0-rc.5" }
}
"#;

/// A copy of `schemas/` under a `package.json` asking for Drizzle 1.0.
pub fn scratch(tag: &str) -> Scratch {
    let s = Scratch::new(&format!("v1-{tag}"));
    fs::write(s.root.join("package.json"), PACKAGE_JSON).expect("write package.json");
    s
}

/// `tests/drizzle1`, with the pinned packages installed (on first use).
pub fn node1_dir() -> PathBuf {
    crate::provision::drizzle1_packages().unwrap_or_else(|e| panic!("{e}"))
}

/// drizzle-kit 1.0 with `args`, in `cwd`.
pub fn drizzle_kit1(cwd: &Path, args: &[&str]) -> Output {
    drizzle_kit_of(&node1_dir(), cwd, args)
}

/// The migration folders of a project folder, in name order.
pub fn entries(folder: &Path) -> Vec<String> {
    let mut out: Vec<String> = fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .flatten()
        .filter(|e| e.path().join("migration.sql").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

/// What drizzle-orm 1.0 must have recorded: (name, SHA-256) per folder.
fn expected_rows(folder: &Path) -> Vec<(String, String)> {
    entries(folder)
        .into_iter()
        .map(|name| {
            let bytes = fs::read(folder.join(&name).join("migration.sql")).expect("migration.sql");
            (name, sluice::drizzle::sha256_hex(&bytes))
        })
        .collect()
}

fn recorded_rows(pg: &Cluster, db: &str) -> Vec<(String, String)> {
    pg.client(db)
        .query(
            "SELECT name, hash FROM drizzle.__drizzle_migrations ORDER BY id",
            &[],
        )
        .expect("read drizzle.__drizzle_migrations")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

/// drizzle-orm 1.0's `migrate()` on `folder`, which must succeed.
pub fn migrate(folder: &Path, pg: &Cluster, db: &str) {
    let o = node(
        &node1_dir(),
        &["migrate.mjs", folder.to_str().expect("UTF-8"), &url(pg, db)],
    );
    assert!(
        o.status.success(),
        "{}: migrating failed:\n{}\nserver log:\n{}",
        folder.display(),
        report(&o),
        pg.server_log()
    );
}

#[test]
fn a_workspace_pinning_drizzle_1_gets_one_folder_per_migration_that_drizzle_kit_1_checks() {
    let s = scratch("check");
    s.build();
    for p in PROJECTS {
        let out = s.out(p);
        assert!(!out.join("meta/_journal.json").exists(), "{p}: a journal");
        let names = entries(&out);
        assert!(!names.is_empty(), "{p}: no migration folder");
        let mut prev = "00000000-0000-0000-0000-000000000000".to_string();
        for n in &names {
            assert!(
                out.join(n).join("rollback.sql").is_file(),
                "{p}: {n} has no rollback"
            );
            let snap: serde_json::Value = serde_json::from_slice(
                &fs::read(out.join(n).join("snapshot.json")).expect("snapshot.json"),
            )
            .expect("JSON");
            assert_eq!(snap["version"], "9", "{p}: {n}");
            assert_eq!(snap["prevIds"], serde_json::json!([prev]), "{p}: {n}");
            prev = snap["id"].as_str().expect("an id").to_string();
        }
        crate::drizzle::kit_checks(&drizzle_kit1, &s.root, p);
    }
    let o = s.sluice(&["build", "schemas", "--out", "out", "--check"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "a rebuild changes nothing:\n{}",
        report(&o)
    );
}

#[test]
fn drizzle_orm_1_migrate_applies_each_folder_once_and_after_a_new_migration_only_it() {
    node1_dir();
    let s = scratch("apply");
    let built = s.build();
    assert!(
        built.contains("/backfill.sql"),
        "the deploy steps name the 1.x scripts:\n{built}"
    );
    let pg = Cluster::start();
    let dbs: Vec<(&str, String)> = PROJECTS.iter().map(|p| (*p, pg.create_db())).collect();
    apply_twice(
        &dbs,
        |p, db| migrate(&s.out(p), &pg, db),
        |p| expected_rows(&s.out(p)),
        |db| recorded_rows(&pg, db),
    );
    let before: BTreeMap<String, Vec<u8>> = s.tree();
    s.add_notes_x();
    let rebuilt = s.build();
    let after = s.tree();
    for (path, bytes) in &before {
        let frozen = ["migration.sql", "rollback.sql", "backfill.sql"]
            .iter()
            .any(|f| path.ends_with(f));
        if frozen {
            assert_eq!(after.get(path), Some(bytes), "{path} changed:\n{rebuilt}");
        }
    }
    for (p, db) in &dbs {
        let old = recorded_rows(&pg, db);
        migrate(&s.out(p), &pg, db);
        let now = recorded_rows(&pg, db);
        assert_eq!(now, expected_rows(&s.out(p)), "{p}: third run");
        assert_eq!(&now[..old.len()], &old[..], "{p}: released rows kept");
        if *p == "notes" {
            assert!(now.len() > old.len(), "notes: the new migration ran");
            for (name, _) in &now[old.len()..] {
                assert!(
                    name.contains("add_notes_x"),
                    "notes: only the new one ran: {name}"
                );
            }
        } else {
            assert_eq!(now.len(), old.len(), "{p}: nothing new");
        }
    }
    assert_notes_has_x(&pg, &dbs);
}

#[test]
fn a_released_1x_migration_edited_by_hand_is_reported_and_nothing_is_written() {
    let s = scratch("edited");
    s.build();
    let first = entries(&s.out("notes")).remove(0);
    let file = s.out("notes").join(&first).join("migration.sql");
    let mut sql = fs::read_to_string(&file).expect("read");
    sql.push_str("-- a hand edit\n");
    fs::write(&file, sql).expect("write");
    let before = s.tree();
    let o = s.sluice(&["build", "schemas", "--out", "out"]);
    let out = report(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("released-file-edited"), "{out}");
    assert!(out.contains(&format!("{first}/migration.sql")), "{out}");
    assert_eq!(before, s.tree(), "nothing written");
}

/// `drizzle-kit generate` (1.0) with each generated `schema.ts` (the
/// showcase sets `schema_ts`) as its schema, on a copy of the 1.x folder sluice wrote: nothing to migrate.
#[test]
fn drizzle_kit_1_generate_against_each_schema_ts_finds_no_changes() {
    let s = scratch("generate");
    let o = s.sluice(&["build", "schemas"]);
    assert_eq!(o.status.code(), Some(0), "build failed:\n{}", report(&o));
    let link = s.root.join("node_modules");
    std::os::unix::fs::symlink(node1_dir().join("node_modules"), &link).expect("symlink");
    let mut failures = Vec::new();
    for p in PROJECTS {
        let copy = s.root.join(format!("gen/{p}"));
        crate::drizzle_schema_ts::copy_dir(&s.root.join(format!("drizzle/{p}")), &copy);
        let before = tree(&copy);
        let config = s.root.join(format!("drizzle.generate.{p}.config.js"));
        fs::write(
            &config,
            format!(
                "module.exports = {{ dialect: \"postgresql\", schema: \"./app/db/{p}.ts\", out: \"./gen/{p}\" }};\n"
            ),
        )
        .expect("write the config");
        let o = drizzle_kit1(
            &s.root,
            &["generate", "--config", config.to_str().expect("UTF-8")],
        );
        let out = report(&o);
        let after = tree(&copy);
        let added: Vec<String> = after
            .iter()
            .filter(|(k, _)| !before.contains_key(*k))
            .filter(|(k, _)| k.ends_with("migration.sql"))
            .map(|(k, v)| format!("{k}:\n{}", text(v)))
            .collect();
        if !o.status.success() || !out.contains("No schema changes") || !added.is_empty() {
            failures.push(format!("{p}:\n{out}\n{}", added.join("\n")));
        }
    }
    assert!(
        failures.is_empty(),
        "drizzle-kit 1.0 generate found differences:\n{}",
        failures.join("\n")
    );
}

/// The schema drizzle-kit 1.0 reads back from the migrated database
/// (`drizzle-kit pull`) equals the last snapshot sluice wrote, row by row
/// (`tests/drizzle1/diff.mjs` says what is not compared, and why).
#[test]
fn the_last_1x_snapshot_matches_what_drizzle_kit_1_pulls_from_the_database() {
    let s = scratch("pull");
    s.build();
    let c = sluice::compile(&s.root.join("schemas")).expect("loads");
    let pg = Cluster::start();
    let mut failures = Vec::new();
    for p in PROJECTS {
        let db = pg.create_db();
        migrate(&s.out(p), &pg, &db);
        let pulled = pull(&drizzle_kit1, &s, p, schema_of(&c, p), &url(&pg, &db), "");
        let differences = crate::drizzle::pulled_differences(&node1_dir(), p, &s.out(p), &pulled);
        if !differences.is_empty() {
            failures.push(format!("{p}:\n  {}", differences.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "drizzle-kit 1.0 reads back something else than sluice's snapshot:\n{}",
        failures.join("\n")
    );
}

/// Upgrading: a folder sluice wrote for Drizzle 0.x, applied by drizzle-orm
/// 0.45, converted by drizzle-kit 1.0's `up`, under a `package.json` now
/// pinning 1.0. sluice adopts the converted folders as its own (their
/// `migration.sql` unchanged), drizzle-kit 1.0 checks them, and drizzle-orm
/// 1.0 finds nothing to apply on the database 0.45 migrated.
#[test]
fn a_0x_folder_converted_by_drizzle_kit_up_is_continued_and_not_applied_again() {
    let s = Scratch::new("v1-up");
    // `drizzle-kit up` converts every journal entry with its snapshot.
    let o = s.sluice(&["build", "schemas", "--out", "out", "--every-snapshot"]);
    assert!(o.status.success(), "sluice build:\n{}", report(&o));
    let pg = Cluster::start();
    let db = pg.create_db();
    let o = crate::drizzle::migrate(&s.out("notes"), &pg, &db);
    assert!(o.status.success(), "0.45 migrate:\n{}", report(&o));
    for p in PROJECTS {
        let config = s.root.join(format!("drizzle.up.{p}.config.js"));
        fs::write(
            &config,
            format!("module.exports = {{ dialect: \"postgresql\", out: \"./out/{p}\" }};\n"),
        )
        .expect("write the config");
        let o = drizzle_kit1(
            &s.root,
            &["up", "--config", config.to_str().expect("UTF-8")],
        );
        assert!(o.status.success(), "{p}: drizzle-kit up:\n{}", report(&o));
    }
    fs::write(s.root.join("package.json"), PACKAGE_JSON).expect("write package.json");
    let converted = tree(&s.out("notes"));
    s.build();
    let after = tree(&s.out("notes"));
    for (path, bytes) in &converted {
        if path.ends_with("migration.sql") {
            assert_eq!(after.get(path), Some(bytes), "{path} changed");
        }
    }
    for p in PROJECTS {
        crate::drizzle::kit_checks(&drizzle_kit1, &s.root, p);
    }
    let count = |pg: &Cluster| -> i64 {
        pg.client(&db)
            .query_one("SELECT count(*) FROM drizzle.__drizzle_migrations", &[])
            .expect("count")
            .get(0)
    };
    let before = count(&pg);
    migrate(&s.out("notes"), &pg, &db);
    assert_eq!(
        count(&pg),
        before,
        "drizzle-orm 1.0 applied a migration again"
    );
    assert_eq!(before as usize, entries(&s.out("notes")).len());
}
