//! Continuing a Drizzle history: a project folder that `drizzle-kit
//! generate` already wrote (from the fixture
//! `tests/fixtures/history/*.schema.ts`, with the real drizzle-kit, in both
//! layouts) gets sluice's migrations appended after its entries, which stay
//! byte for byte as they were. The real drizzle-kit checks the result and
//! the real drizzle-orm applies the whole history, a second run a no-op.

use std::fs;
use std::path::Path;

use crate::drizzle::{drizzle_kit, node_dir, report, tree, Scratch};
use crate::drizzle_v1::{drizzle_kit1, node1_dir, scratch};
use crate::pg::Cluster;

const SCHEMA: &str = "tests/fixtures/history/a_history_drizzle_kit_wrote_is_continued.schema.ts";

/// `drizzle-kit generate` from the fixture into `out/notes`, with the
/// packages in `modules`.
fn generate(s: &Scratch, modules: &Path, kit: &dyn Fn(&Path, &[&str]) -> std::process::Output) {
    fs::create_dir_all(s.root.join("legacy")).expect("mkdir");
    fs::copy(SCHEMA, s.root.join("legacy/schema.ts")).expect("copy the fixture");
    std::os::unix::fs::symlink(modules.join("node_modules"), s.root.join("node_modules"))
        .expect("symlink node_modules");
    let config = s.root.join("drizzle.legacy.config.js");
    fs::write(
        &config,
        "module.exports = { dialect: \"postgresql\", schema: \"./legacy/schema.ts\", out: \"./out/notes\" };\n",
    )
    .expect("write the config");
    let o = kit(
        &s.root,
        &["generate", "--config", config.to_str().expect("UTF-8")],
    );
    assert!(
        o.status.success(),
        "drizzle-kit generate failed:\n{}",
        report(&o)
    );
}

/// drizzle-kit (`kit`) checks the project's folder, and a rebuild
/// changes nothing in it.
fn checked_and_stable(s: &Scratch, kit: &dyn Fn(&Path, &[&str]) -> std::process::Output) {
    crate::drizzle::kit_checks(kit, &s.root, "notes");
    let once = s.tree();
    s.build();
    assert_eq!(once, s.tree(), "a rebuild changes nothing");
}

fn db_has(pg: &Cluster, db: &str, table: &str) -> bool {
    pg.client(db)
        .query_one(
            "SELECT count(*) > 0 FROM information_schema.tables WHERE table_name = $1",
            &[&table],
        )
        .expect("query the catalog")
        .get(0)
}

fn migrations_recorded(pg: &Cluster, db: &str) -> i64 {
    pg.client(db)
        .query_one("SELECT count(*) FROM drizzle.__drizzle_migrations", &[])
        .expect("count")
        .get(0)
}

#[test]
fn sluice_appends_to_a_0x_history_drizzle_kit_wrote_without_touching_it() {
    let s = Scratch::new("history0");
    generate(&s, &node_dir(), &drizzle_kit);
    let before = tree(&s.out("notes"));
    let theirs = crate::drizzle::journal(&s.out("notes"));
    assert_eq!(theirs.len(), 1, "drizzle-kit wrote one entry");
    // Every snapshot, to see the chain from drizzle-kit's on; the rebuild
    // below writes only the newest and keeps the others as they are.
    let o = s.sluice(&["build", "schemas", "--out", "out", "--every-snapshot"]);
    assert!(o.status.success(), "sluice build:\n{}", report(&o));
    let after = tree(&s.out("notes"));
    for (path, bytes) in &before {
        if path != "meta/_journal.json" {
            assert_eq!(after.get(path), Some(bytes), "{path} was changed");
        }
    }
    let now = crate::drizzle::journal(&s.out("notes"));
    assert_eq!(
        now[0], theirs[0],
        "drizzle-kit's entry keeps its place, tag and when"
    );
    assert!(now.len() > 1, "sluice's entries follow");
    for pair in now.windows(2) {
        assert!(pair[1].1 > pair[0].1, "`when` increases: {now:?}");
    }
    assert!(now[1].0.starts_with("0001_"), "{now:?}");
    let snap: serde_json::Value =
        serde_json::from_slice(&after["meta/0001_snapshot.json"]).expect("JSON");
    let first: serde_json::Value =
        serde_json::from_slice(&after["meta/0000_snapshot.json"]).expect("JSON");
    assert_eq!(
        snap["prevId"], first["id"],
        "sluice's first snapshot follows drizzle-kit's"
    );
    checked_and_stable(&s, &drizzle_kit);
    let pg = Cluster::start();
    let db = pg.create_db();
    for run in 0..2 {
        let o = crate::drizzle::migrate(&s.out("notes"), &pg, &db);
        assert!(o.status.success(), "run {run}:\n{}", report(&o));
        assert_eq!(migrations_recorded(&pg, &db), now.len() as i64, "run {run}");
    }
    assert!(db_has(&pg, &db, "legacy_notes") && db_has(&pg, &db, "notes"));
}

#[test]
fn sluice_appends_to_a_1x_history_drizzle_kit_wrote_without_touching_it() {
    let s = scratch("history1");
    generate(&s, &node1_dir(), &drizzle_kit1);
    let before = tree(&s.out("notes"));
    let theirs = crate::drizzle_v1::entries(&s.out("notes"));
    assert_eq!(theirs.len(), 1, "drizzle-kit wrote one folder");
    s.build();
    let after = tree(&s.out("notes"));
    for (path, bytes) in &before {
        assert_eq!(after.get(path), Some(bytes), "{path} was changed");
    }
    let now = crate::drizzle_v1::entries(&s.out("notes"));
    assert_eq!(now[0], theirs[0], "drizzle-kit's folder comes first");
    assert!(now.len() > 1, "sluice's folders follow");
    let snap = |name: &str| -> serde_json::Value {
        serde_json::from_slice(&after[&format!("{name}/snapshot.json")]).expect("JSON")
    };
    assert_eq!(
        snap(&now[1])["prevIds"],
        serde_json::json!([snap(&now[0])["id"]]),
        "sluice's first snapshot follows drizzle-kit's"
    );
    checked_and_stable(&s, &drizzle_kit1);
    let pg = Cluster::start();
    let db = pg.create_db();
    for _ in 0..2 {
        crate::drizzle_v1::migrate(&s.out("notes"), &pg, &db);
        assert_eq!(migrations_recorded(&pg, &db), now.len() as i64);
    }
    assert!(db_has(&pg, &db, "legacy_notes") && db_has(&pg, &db, "notes"));
}
