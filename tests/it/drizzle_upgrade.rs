//! Released files a newer sluice writes differently, through the `sluice`
//! binary: an older version's output (simulated by changing a released
//! file and its hash in the lock together, as that version would have
//! written them) is kept byte-for-byte with a `released-output-changed`
//! warning while its migration is unchanged; an edited migration, or a
//! lock without the source digests, is still `released-migration-changed`.

use std::fs;
use std::path::Path;

use sluice::drizzle::sha256_hex;

use crate::drizzle::{text, Scratch};

/// `sluice ARGS` in the scratch folder: (exit code, stdout + stderr).
fn run(s: &Scratch, args: &[&str]) -> (Option<i32>, String) {
    let o = s.sluice(args);
    (
        o.status.code(),
        format!("{}{}", text(&o.stdout), text(&o.stderr)),
    )
}

const OLDER: &str = "-- as an older version of sluice wrote it\n";

/// Make the released file `rel` of `folder` look as an older version
/// wrote it: other bytes, and their hash in the lock. With `digests`
/// false, the lock also loses the source digests (as locks written before
/// sluice recorded them).
fn as_an_older_version_wrote(folder: &Path, rel: &str, digests: bool) -> Vec<u8> {
    let file = folder.join(rel);
    let mut bytes = fs::read(&file).expect("read the released file");
    bytes.extend_from_slice(OLDER.as_bytes());
    fs::write(&file, &bytes).expect("write");
    let lock_path = folder.join("meta/_sluice.lock.json");
    let mut lock: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&lock_path).expect("lock")).expect("JSON");
    assert!(
        lock["sources"].as_object().is_some_and(|m| !m.is_empty()),
        "sluice build records the source digests: {lock}"
    );
    lock["files"][rel] = serde_json::Value::String(sha256_hex(&bytes));
    if !digests {
        lock.as_object_mut().expect("an object").remove("sources");
    }
    fs::write(
        &lock_path,
        serde_json::to_string_pretty(&lock).expect("JSON"),
    )
    .expect("write");
    bytes
}

#[test]
fn a_released_file_an_older_version_wrote_is_kept_while_its_migration_is_unchanged() {
    let s = Scratch::new("upgrade");
    s.build();
    let folder = s.out("notes");
    let old = as_an_older_version_wrote(&folder, "0000_initial.sql", true);
    let (code, out) = run(&s, &["build", "schemas", "--out", "out"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("released-output-changed"), "{out}");
    assert_eq!(
        fs::read(folder.join("0000_initial.sql")).expect("read"),
        old,
        "the released bytes are kept"
    );
    // The report comes before the list of written files.
    let warning = out
        .lines()
        .take_while(|l| !l.starts_with("wrote "))
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!(warning);
    let (code, out) = run(&s, &["build", "schemas", "--out", "out", "--check"]);
    assert_eq!(code, Some(0), "the kept folder is up to date: {out}");
    let (code, out) = run(&s, &["check", "schemas"]);
    assert_eq!(code, Some(0), "{out}");

    // A later edit of the workspace file that does not change this file's
    // output keeps it kept, although the entry's digest changed.
    let ws = s.root.join("schemas/workspace.sluice");
    let text = fs::read_to_string(&ws).expect("read");
    fs::write(&ws, format!("// edited after the upgrade\n{text}")).expect("write");
    let (code, out) = run(&s, &["build", "schemas", "--out", "out"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("released-output-changed"), "{out}");
    assert_eq!(
        fs::read(folder.join("0000_initial.sql")).expect("read"),
        old
    );
}

#[test]
fn a_released_file_an_older_version_wrote_from_an_edited_migration_is_still_changed() {
    let s = Scratch::new("upgrade-edited");
    s.build();
    as_an_older_version_wrote(&s.out("notes"), "0000_initial.sql", true);
    for file in ["notes/notes.sluice", "notes/migrations/0001_initial.sluice"] {
        let path = s.root.join("schemas").join(file);
        let text = fs::read_to_string(&path).expect("read");
        let edited = text.replace(
            "hex colour shown in the sidebar",
            "hex colour of the sidebar",
        );
        assert_ne!(text, edited, "{file} has the comment");
        fs::write(&path, edited).expect("write");
    }
    let before = s.tree();
    let (code, out) = run(&s, &["build", "schemas", "--out", "out"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("released-migration-changed"), "{out}");
    assert!(!out.contains("released-output-changed"), "{out}");
    assert_eq!(before, s.tree(), "a refused build writes nothing");
}

#[test]
fn a_lock_without_source_digests_cannot_tell_an_upgrade_from_an_edit() {
    let s = Scratch::new("upgrade-nodigest");
    s.build();
    as_an_older_version_wrote(&s.out("notes"), "0000_initial.sql", false);
    let (code, out) = run(&s, &["build", "schemas", "--out", "out"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("released-migration-changed"), "{out}");
}

#[test]
fn a_released_folder_an_older_version_wrote_is_kept_in_the_1x_layout() {
    let s = Scratch::new("upgrade-1x");
    fs::write(s.root.join("package.json"), crate::drizzle_v1::PACKAGE_JSON).expect("write");
    s.build();
    let folder = s.out("notes");
    let rel = s
        .tree()
        .keys()
        .filter_map(|k| k.strip_prefix("notes/"))
        .find(|k| k.ends_with("_initial/migration.sql"))
        .expect("the initial folder")
        .to_string();
    let old = as_an_older_version_wrote(&folder, &rel, true);
    let (code, out) = run(&s, &["build", "schemas", "--out", "out"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("released-output-changed"), "{out}");
    assert_eq!(fs::read(folder.join(&rel)).expect("read"), old);
    let (code, out) = run(&s, &["build", "schemas", "--out", "out", "--check"]);
    assert_eq!(code, Some(0), "{out}");
}
