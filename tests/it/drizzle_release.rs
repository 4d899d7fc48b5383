//! Release integrity of the output folder, through the `sluice` binary:
//! released files are never rewritten, hand edits and changed migrations
//! are reported with their diff (insta snapshots of the rendered
//! diagnostics), a refused or failed build leaves the folder byte-identical,
//! `--check` writes nothing, and a Drizzle 1.x folder or package.json is
//! refused.

use std::fs;
use std::path::Path;

use crate::drizzle::{journal, text, Scratch, PROJECTS};

mod contracts;

/// `sluice ARGS` in the scratch folder: (exit code, stdout + stderr).
fn run(s: &Scratch, args: &[&str]) -> (Option<i32>, String) {
    let o = s.sluice(args);
    (
        o.status.code(),
        format!("{}{}", text(&o.stdout), text(&o.stderr)),
    )
}

/// Only the diagnostics of a rendered report (no summary or wrote lines).
fn diagnostics(out: &str) -> String {
    out.lines()
        .filter(|l| !l.starts_with("not built") && !l.starts_with("checked "))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn building_twice_gives_identical_folders_and_check_passes() {
    let s = Scratch::new("twice");
    s.build();
    let first = s.tree();
    s.build();
    assert_eq!(first, s.tree());
    let (code, out) = run(&s, &["build", "schemas", "--out", "out", "--check"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("up to date"), "{out}");
}

#[test]
fn build_check_names_stale_files_and_writes_nothing() {
    let s = Scratch::new("stale");
    s.build();
    fs::remove_file(s.out("hr").join("meta/0000_snapshot.json")).expect("remove");
    fs::write(s.out("hr").join("notes.txt"), "left by hand").expect("write");
    let before = s.tree();
    let (code, out) = run(&s, &["build", "schemas", "--out", "out", "--check"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("stale: out/hr/meta/0000_snapshot.json"),
        "{out}"
    );
    assert!(
        !out.contains("notes.txt"),
        "a file sluice did not write is not stale: {out}"
    );
    assert_eq!(before, s.tree(), "--check wrote something");
}

#[test]
fn a_hand_edited_released_file_is_reported_with_its_diff_and_nothing_is_written() {
    let s = Scratch::new("edited");
    s.build();
    let file = s.out("notes").join("rollback/0000_initial.sql");
    let body = fs::read_to_string(&file).expect("read");
    fs::write(&file, body.replacen("DROP ", "-- hand fix\nDROP ", 1)).expect("write");
    let before = s.tree();
    let (code, out) = run(&s, &["build", "schemas", "--out", "out"]);
    assert_eq!(code, Some(1), "{out}");
    assert_eq!(before, s.tree(), "a refused build wrote something");
    assert!(out.contains("not built, nothing written"), "{out}");
    insta::assert_snapshot!(diagnostics(&out));
    let (code, check) = run(&s, &["check", "schemas"]);
    assert_eq!(
        code,
        Some(0),
        "check looks at ./drizzle, not --out: {check}"
    );
}

#[test]
fn sluice_check_reports_released_files_of_the_configured_folder() {
    let s = Scratch::new("check-released");
    let (code, out) = run(&s, &["build", "schemas"]);
    assert_eq!(code, Some(0), "{out}");
    let file = s.root.join("drizzle/core/0000_initial.sql");
    let body = fs::read_to_string(&file).expect("read");
    fs::write(&file, format!("{body}\n-- appended by hand\n")).expect("write");
    let (code, out) = run(&s, &["check", "schemas"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("released-file-edited"), "{out}");
    assert!(out.contains("drizzle/core/0000_initial.sql"), "{out}");
}

#[test]
fn a_changed_migration_of_a_released_file_is_released_migration_changed() {
    let s = Scratch::new("changed");
    s.build();
    // The same comment in the declaration and in migration `initial`, so no drift.
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
    assert_eq!(before, s.tree(), "a refused build wrote something");
    insta::assert_snapshot!(diagnostics(&out));
    let (code, out) = run(&s, &["build", "schemas", "--out", "out", "--check"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("released-migration-changed"), "{out}");
}

#[test]
fn a_hand_edited_journal_is_reported_and_nothing_is_written() {
    let s = Scratch::new("journal");
    s.build();
    let path = s.out("notes").join("meta/_journal.json");
    let mut j: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).expect("read")).expect("JSON");
    let entries = j["entries"].as_array_mut().expect("entries");
    if entries.len() > 1 {
        entries.reverse();
    } else {
        entries[0]["when"] = serde_json::Value::from(1_800_000_000_000u64);
    }
    fs::write(&path, serde_json::to_string_pretty(&j).expect("JSON")).expect("write");
    let before = s.tree();
    let (code, out) = run(&s, &["build", "schemas", "--out", "out"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("released-file-edited"), "{out}");
    assert!(
        out.contains("out/notes/meta/_journal.json` was edited"),
        "{out}"
    );
    assert_eq!(before, s.tree());
}

#[test]
fn a_journal_written_by_drizzle_kit_keeps_its_whens_and_new_entries_come_later() {
    let s = Scratch::new("when");
    s.build();
    // As drizzle-kit leaves a folder: real timestamps, no sluice lock file.
    let real = 1_750_000_000_000u64;
    for p in PROJECTS {
        let path = s.out(p).join("meta/_journal.json");
        let text = fs::read_to_string(&path).expect("read");
        let mut j: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        for (i, e) in j["entries"]
            .as_array_mut()
            .expect("entries")
            .iter_mut()
            .enumerate()
        {
            e["when"] = serde_json::Value::from(real + i as u64 * 7);
        }
        fs::write(&path, serde_json::to_string_pretty(&j).expect("JSON")).expect("write");
        fs::remove_file(s.out(p).join("meta/_sluice.lock.json")).expect("remove the lock");
    }
    let released: Vec<_> = PROJECTS.iter().map(|p| journal(&s.out(p))).collect();
    s.add_notes_x();
    s.build();
    let once = s.tree();
    s.build();
    assert_eq!(once, s.tree(), "rebuilding gives the same bytes");
    for (p, old) in PROJECTS.iter().zip(&released) {
        let now = journal(&s.out(p));
        assert_eq!(
            &now[..old.len()],
            &old[..],
            "{p}: released entries keep their when"
        );
        let last = old.last().map_or(0, |e| e.1);
        for (tag, when) in &now[old.len()..] {
            assert!(
                *when > last,
                "{p}: new entry {tag} at {when} is not after {last}"
            );
        }
        for pair in now.windows(2) {
            assert!(pair[1].1 > pair[0].1, "{p}: {now:?}");
        }
        assert!(
            s.out(p).join("meta/_sluice.lock.json").is_file(),
            "{p}: lock rewritten"
        );
    }
}

#[test]
fn a_1x_folder_under_a_package_json_pinning_0x_is_refused_and_left_alone() {
    let s = Scratch::new("v1-folder");
    fs::write(
        s.root.join("package.json"),
        r#"{ "devDependencies": { "drizzle-kit": "^0.31.11", "drizzle-orm": "0.45.4" } }"#,
    )
    .expect("write");
    let folder = s.out("notes").join("20250101120000_init");
    fs::create_dir_all(&folder).expect("mkdir");
    fs::write(folder.join("migration.sql"), "CREATE TABLE t (id int);\n").expect("write");
    let before = s.tree();
    let (code, out) = run(&s, &["build", "schemas", "--out", "out"]);
    assert_eq!(code, Some(1), "{out}");
    assert_eq!(before, s.tree());
    insta::assert_snapshot!(diagnostics(&out));
}

#[test]
fn a_journal_folder_under_a_package_json_asking_for_1x_is_refused() {
    let s = Scratch::new("v1-package");
    s.build();
    fs::write(
        s.root.join("package.json"),
        r#"{ "devDependencies": { "drizzle-kit": "1.0.0-rc.5" }, "dependencies": { "drizzle-orm": "^0.45.4" } }"#,
    )
    .expect("write");
    let before = s.tree();
    let (code, out) = run(&s, &["build", "schemas", "--out", "out"]);
    assert_eq!(code, Some(1), "{out}");
    assert_eq!(before, s.tree(), "nothing written");
    assert!(out.contains("drizzle-v1-layout"), "{out}");
    assert!(
        out.contains("`package.json` asks for `drizzle-kit` `1.0.0-rc.5`, whose migrator refuses the journal folder"),
        "{out}"
    );
    assert!(out.contains("drizzle-kit up"), "{out}");
    fs::write(
        s.root.join("package.json"),
        r#"{ "devDependencies": { "drizzle-kit": "^0.31.11", "drizzle-orm": "0.45.4" } }"#,
    )
    .expect("write");
    s.build();
}

#[test]
fn a_write_that_fails_half_way_leaves_the_folder_byte_identical() {
    let s = Scratch::new("atomic");
    s.build();
    let before = s.tree();
    let c = sluice::compile(&s.root.join("schemas")).expect("loads");
    let out = s.root.join("out");
    let mut files = sluice::emit::workspace(&c.workspace, Some(&out)).expect("emits");
    for text in files.values_mut() {
        text.push_str("\n-- changed\n");
    }
    // The last folder in write order cannot be staged: a name over 255 bytes.
    files.insert(
        out.join("zz").join(format!("{}.sql", "x".repeat(300))),
        String::new(),
    );
    let err = sluice::write::write(&files).expect_err("the long name fails");
    assert!(!err.to_string().is_empty());
    assert_eq!(before, s.tree(), "a failed write changed the folder");
    let leftovers: Vec<_> = fs::read_dir(&out)
        .expect("out")
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
}

#[test]
fn a_build_killed_between_its_renames_is_recovered_and_still_released() {
    let s = Scratch::new("killed");
    s.build();
    let before = s.tree();
    let notes = s.out("notes");
    // What a kill after `notes → backup` and before `staged → notes` leaves.
    fs::rename(&notes, sluice::write::backup_of(&notes)).expect("rename");
    let file = sluice::write::backup_of(&notes).join("0000_initial.sql");
    let body = fs::read_to_string(&file).expect("read");
    fs::write(&file, format!("{body}-- hand edit\n")).expect("write");
    let (code, out) = run(&s, &["build", "schemas", "--out", "out"]);
    assert_eq!(
        code,
        Some(1),
        "the backup is still the released folder: {out}"
    );
    assert!(out.contains("released-file-edited"), "{out}");
    // The refused build put the backup back in place before reading it.
    assert!(!file.exists(), "the backup was not restored");
    fs::write(notes.join("0000_initial.sql"), body).expect("undo the edit");
    s.build();
    assert_eq!(before, s.tree());
    assert!(!Path::new(&sluice::write::backup_of(&notes)).exists());
}

#[test]
fn adding_a_migration_makes_check_name_the_new_files_and_build_append_them() {
    let s = Scratch::new("append");
    s.build();
    let before = s.tree();
    s.add_notes_x();
    let (code, out) = run(&s, &["build", "schemas", "--out", "out", "--check"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("_add_notes_x_expand.sql"), "{out}");
    assert_eq!(before, s.tree(), "--check wrote something");
    s.build();
    let after = s.tree();
    for (path, bytes) in &before {
        // The typed module follows the workspace; only migrations are released.
        let released = !path.contains("/meta/") && !path.ends_with(".ts");
        if released {
            assert_eq!(after.get(path), Some(bytes), "{path} was rewritten");
        }
    }
}

#[test]
fn build_prints_where_each_backfill_script_runs() {
    let s = Scratch::new("backfill");
    let out = s.build();
    let scripts: Vec<String> = s
        .tree()
        .into_keys()
        .filter(|p| p.contains("/backfill/"))
        .collect();
    assert!(!scripts.is_empty(), "notes has a batched backfill");
    for script in &scripts {
        let line = format!("psql -v ON_ERROR_STOP=1 -f out/{script}");
        assert!(out.contains(&line), "{line} not in:\n{out}");
    }
}

#[test]
fn a_released_file_replaced_by_a_symlink_is_released_file_edited() {
    let s = Scratch::new("symlink");
    s.build();
    let file = s.out("notes").join("rollback/0000_initial.sql");
    // The same bytes, but behind a link the next build would write through.
    let elsewhere = s.root.join("elsewhere.sql");
    fs::copy(&file, &elsewhere).expect("copy");
    fs::remove_file(&file).expect("remove");
    std::os::unix::fs::symlink(&elsewhere, &file).expect("symlink");
    let (code, out) = run(&s, &["build", "schemas", "--out", "out"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("released-file-edited"), "{out}");
    assert!(out.contains("symbolic link"), "{out}");
    assert!(out.contains("not built, nothing written"), "{out}");
    assert!(
        fs::symlink_metadata(&file)
            .expect("still there")
            .file_type()
            .is_symlink(),
        "the link was replaced"
    );
}
