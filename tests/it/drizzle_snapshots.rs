//! Which `meta/<NNNN>_snapshot.json` files a 0.x build writes: the newest
//! journal entry's, and the earlier ones an earlier build left, byte for
//! byte. drizzle-orm's migrator reads only the journal and the SQL files,
//! `drizzle-kit generate` only the last snapshot and `drizzle-kit check`
//! the snapshots that exist, so the real tools must still accept a long
//! history that carries a single snapshot.

use std::fs;
use std::path::Path;

use crate::drizzle::{drizzle_kit, node_dir, report, text, tree, Scratch};
use crate::drizzle_schema_ts::copy_dir;
use crate::scale::gen;

const SPEC: gen::Spec = gen::Spec {
    projects: 2,
    tables: 10,
    columns: 8,
    migrations: 40,
};

/// The snapshot files of a project folder, by name.
fn snapshots(folder: &Path) -> Vec<String> {
    tree(&folder.join("meta"))
        .into_keys()
        .filter(|k| k.ends_with("_snapshot.json"))
        .collect()
}

fn kit_check(root: &Path, out: &str) {
    let o = drizzle_kit(root, &["check", "--dialect", "postgresql", "--out", out]);
    assert!(
        o.status.success() && text(&o.stdout).contains("Everything's fine"),
        "{out}: drizzle-kit check failed:\n{}",
        report(&o)
    );
}

/// `drizzle-kit generate` from the module sluice wrote, on a copy of the
/// folder: nothing to migrate, no file added.
fn kit_generate_finds_nothing(root: &Path, project: &str) {
    let copy = root.join(format!("gen/{project}"));
    copy_dir(&root.join(format!("drizzle/{project}")), &copy);
    let before = tree(&copy);
    let config = root.join(format!("drizzle.{project}.config.js"));
    fs::write(
        &config,
        format!(
            "module.exports = {{ dialect: \"postgresql\", schema: \"./app/db/{project}.ts\", out: \"./gen/{project}\" }};\n"
        ),
    )
    .expect("write the config");
    let o = drizzle_kit(
        root,
        &["generate", "--config", config.to_str().expect("UTF-8")],
    );
    let added: Vec<String> = tree(&copy)
        .into_keys()
        .filter(|k| !before.contains_key(k))
        .collect();
    assert!(
        o.status.success() && report(&o).contains("No schema changes") && added.is_empty(),
        "{project}: drizzle-kit generate found changes (added {added:?}):\n{}",
        report(&o)
    );
}

#[test]
fn a_long_history_carries_one_snapshot_that_drizzle_kit_checks_and_generates_from() {
    let root = crate::scratch::ScratchDir::new("snapshots");
    let ws = root.join("ws");
    gen::write(&ws, &SPEC).expect("the generator writes the workspace");
    // The typed module drizzle-kit generate reads as its schema.
    let settings = fs::read_to_string(ws.join("workspace.sluice")).expect("workspace.sluice");
    let settings = settings.replacen(
        "  out               \"../drizzle\"\n",
        "  out               \"../drizzle\"\n  schema_ts         \"../app/db/{project}.ts\"\n",
        1,
    );
    assert!(
        settings.contains("schema_ts"),
        "the generator's settings changed"
    );
    fs::write(ws.join("workspace.sluice"), settings).expect("write workspace.sluice");
    std::os::unix::fs::symlink(node_dir().join("node_modules"), root.join("node_modules"))
        .expect("symlink node_modules");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(["build", "ws"])
        .current_dir(&root)
        .env("NO_COLOR", "1")
        .output()
        .expect("sluice runs");
    assert!(o.status.success(), "sluice build failed:\n{}", report(&o));
    for project in ["core", "p01"] {
        let folder = root.join("drizzle").join(project);
        let journal = crate::drizzle::journal(&folder);
        assert!(journal.len() > SPEC.migrations, "{project}: {journal:?}");
        let newest = &journal.last().expect("entries").0[..4];
        assert_eq!(
            snapshots(&folder),
            [format!("{newest}_snapshot.json")],
            "{project}: only the newest entry has a snapshot"
        );
        kit_check(&root, &format!("drizzle/{project}"));
        kit_generate_finds_nothing(&root, project);
    }
}

#[test]
fn a_rebuild_keeps_the_earlier_snapshot_byte_for_byte_and_adds_the_new_one() {
    let s = Scratch::new("snapshots");
    s.build();
    let notes = s.out("notes");
    let first = snapshots(&notes);
    assert_eq!(first.len(), 1, "{first:?}");
    let old = fs::read(notes.join("meta").join(&first[0])).expect("the snapshot");
    s.add_notes_x();
    s.build();
    let now = snapshots(&notes);
    assert_eq!(now.len(), 2, "{now:?}");
    assert_eq!(now[0], first[0]);
    assert_eq!(
        fs::read(notes.join("meta").join(&first[0])).expect("the kept snapshot"),
        old,
        "the earlier snapshot is kept as it was"
    );
    let lock: sluice::drizzle::Lock =
        serde_json::from_slice(&fs::read(notes.join(sluice::drizzle::LOCK)).expect("the lock"))
            .expect("a lock");
    for name in &now {
        assert!(lock.files.contains_key(&format!("meta/{name}")), "{name}");
    }
    kit_check(&s.root, "out/notes");
    let o = s.sluice(&["build", "schemas", "--out", "out", "--check"]);
    assert!(
        o.status.success() && text(&o.stdout).contains("up to date"),
        "{}",
        report(&o)
    );
}
