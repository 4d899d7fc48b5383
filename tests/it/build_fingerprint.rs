//! `build` and `build --check` with output folders a build wrote from the
//! same sources say so without planning the history again (the input
//! fingerprint of each lock, and the digest of the `schema_ts` module
//! written with it). Whatever changed since, they leave on disk exactly
//! what the full build leaves, and report the same: a copy of the folders
//! whose locks have no fingerprint (as an older sluice wrote them) always
//! takes the full build.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::check_fingerprint::{built, edit, run, without_fingerprint};

/// Every file under `drizzle/` and `app/` of `root`, by relative path.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for top in ["drizzle", "app"] {
        for entry in walkdir::WalkDir::new(root.join(top)) {
            let entry = entry.expect("walk");
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(root).expect("inside");
                let bytes = fs::read(entry.path()).expect("read");
                out.insert(rel.to_string_lossy().replace('\\', "/"), bytes);
            }
        }
    }
    out
}

/// `tree` without the locks' fingerprints and entry records.
fn unlocked(mut tree: BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    for (path, bytes) in tree.iter_mut() {
        if path.ends_with("meta/_sluice.lock.json") {
            let mut lock: sluice::drizzle::Lock = serde_json::from_slice(bytes).expect("a lock");
            lock.input = None;
            lock.module = None;
            lock.entries.clear();
            *bytes = sluice::drizzle::to_json(&lock).into_bytes();
        }
    }
    tree
}

/// The report with what only the locks' fingerprints make differ left
/// out: the lines naming a lock written, and the count of files, which
/// becomes their total.
fn normalized(report: &str) -> String {
    let mut out = String::new();
    for line in report.lines() {
        if line.starts_with("wrote ") && line.ends_with("meta/_sluice.lock.json") {
            continue;
        }
        out.push_str(&total(line).unwrap_or_else(|| line.to_string()));
        out.push('\n');
    }
    out
}

/// `3 files written, 35 unchanged` or `up to date: 38 files` → `38 files`.
fn total(line: &str) -> Option<String> {
    if let Some(n) = line.strip_prefix("up to date: ") {
        return Some(n.to_string());
    }
    let (written, rest) = line.split_once(" written, ")?;
    let written: usize = written.split(' ').next()?.parse().ok()?;
    let unchanged: usize = rest.strip_suffix(" unchanged")?.parse().ok()?;
    Some(format!("{} files", written + unchanged))
}

/// Apply `change` to a built copy with and without fingerprints, run
/// `args` in both, and require the same report and the same files on
/// disk; return the report of the copy with fingerprints.
fn same_as_full(tag: &str, change: impl Fn(&Path), args: &[&str]) -> (Option<i32>, String) {
    let root = built(&format!("build-{tag}"));
    let old = without_fingerprint(&root);
    change(&root);
    change(&old);
    let fast = run(&root, args, &[]);
    let full = run(&old, args, &[]);
    assert_eq!(fast.0, full.0, "{tag}: exit codes\n{}\n{}", fast.1, full.1);
    assert_eq!(
        normalized(&fast.1),
        normalized(&full.1),
        "{tag}: the build with fingerprints reports otherwise"
    );
    // A failed build writes nothing: its locks keep what they had.
    let (ours, theirs) = if fast.0 == Some(0) {
        (tree(&root), tree(&old))
    } else {
        (unlocked(tree(&root)), unlocked(tree(&old)))
    };
    assert!(
        ours == theirs,
        "{tag}: the build with fingerprints leaves other files"
    );
    fast
}

#[test]
fn a_build_of_unchanged_sources_and_folders_is_up_to_date_like_the_full_build() {
    let (code, out) = same_as_full("unchanged", |_| {}, &["build", "schemas"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("\nup to date: 38 files\n"), "{out}");
    assert!(out.contains("pending contract phases"), "{out}");
    assert!(out.contains("run these yourself"), "{out}");
}

#[test]
fn build_check_of_unchanged_folders_reports_exactly_what_the_full_comparison_does() {
    let root = built("build-check");
    let old = without_fingerprint(&root);
    let fast = run(&root, &["build", "schemas", "--check"], &[]);
    let full = run(&old, &["build", "schemas", "--check"], &[]);
    assert_eq!(fast, full);
    assert_eq!(fast.0, Some(0), "{}", fast.1);
}

#[test]
fn a_deleted_schema_module_is_written_again_like_the_full_build_does() {
    let (code, out) = same_as_full(
        "module-deleted",
        |root| fs::remove_file(root.join("app/db/notes.ts")).expect("remove"),
        &["build", "schemas"],
    );
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("wrote app/db/notes.ts"), "{out}");
}

#[test]
fn an_edited_schema_module_is_written_again_like_the_full_build_does() {
    let (code, out) = same_as_full(
        "module-edited",
        |root| edit(&root.join("app/db/core.ts"), |t| format!("{t}// edited\n")),
        &["build", "schemas"],
    );
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("wrote app/db/core.ts"), "{out}");
}

#[test]
fn a_missing_output_file_is_restored_like_the_full_build_does() {
    let (code, out) = same_as_full(
        "file-missing",
        |root| fs::remove_file(root.join("drizzle/hr/rollback/0000_initial.sql")).expect("remove"),
        &["build", "schemas"],
    );
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("wrote drizzle/hr/rollback/0000_initial.sql"),
        "{out}"
    );
}

#[test]
fn a_missing_output_file_is_stale_for_build_check_like_the_full_comparison_says() {
    let (code, out) = same_as_full(
        "check-missing",
        |root| fs::remove_file(root.join("drizzle/hr/rollback/0000_initial.sql")).expect("remove"),
        &["build", "schemas", "--check"],
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("stale: drizzle/hr/rollback/0000_initial.sql"),
        "{out}"
    );
}

#[test]
fn every_snapshot_writes_what_the_full_build_writes() {
    let (code, out) = same_as_full("every", |_| {}, &["build", "schemas", "--every-snapshot"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("_snapshot.json"), "{out}");
}

#[test]
fn a_changed_migration_builds_like_the_full_build() {
    let (code, out) = same_as_full(
        "changed",
        |root| {
            for file in ["notes/notes.sluice", "notes/migrations/0001_initial.sluice"] {
                edit(&root.join("schemas").join(file), |t| {
                    t.replace(
                        "hex colour shown in the sidebar",
                        "hex colour of the sidebar",
                    )
                });
            }
        },
        &["build", "schemas"],
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("released-migration-changed"), "{out}");
}

/// Add a column to `core.users` and let `sluice plan` write its
/// migration: the everyday loop. The new file comes before those of the
/// projects after `core`, which changes their files' places only.
fn plan_a_new_column(root: &Path) {
    edit(&root.join("schemas/core/identity.sluice"), |t| {
        t.replace(
            "  avatar_url    text\n",
            "  avatar_url    text\n  nickname      text\n",
        )
    });
    let (code, out) = run(root, &["plan", "schemas"], &[]);
    assert_eq!(code, Some(0), "{out}");
}

#[test]
fn a_new_migration_builds_like_the_full_build() {
    let (code, out) = same_as_full("new-migration", plan_a_new_column, &["build", "schemas"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("add_users_nickname"), "{out}");
}

#[test]
fn a_comment_in_the_workspace_file_builds_like_the_full_build() {
    let (code, out) = same_as_full(
        "comment",
        |root| {
            edit(&root.join("schemas/workspace.sluice"), |t| {
                format!("{t}// a note\n")
            })
        },
        &["build", "schemas"],
    );
    assert_eq!(code, Some(0), "{out}");
}

#[test]
fn a_changed_role_grant_builds_like_the_full_build() {
    let (code, out) = same_as_full(
        "grant",
        |root| {
            edit(&root.join("schemas/workspace.sluice"), |t| {
                t.replacen(
                    "  grant select on tables\n",
                    "  grant select, references on tables\n",
                    1,
                )
            })
        },
        &["build", "schemas"],
    );
    assert!(code.is_some(), "{out}");
}

#[test]
fn a_released_file_edited_with_its_lock_line_builds_like_the_full_build() {
    let (code, out) = same_as_full(
        "file-and-lock",
        |root| {
            let dir = root.join("drizzle/notes");
            let rel = "0001_note_summary_expand.sql";
            edit(&dir.join(rel), |t| format!("{t}-- edited\n"));
            let text = fs::read_to_string(dir.join(rel)).expect("read");
            let lock = dir.join("meta/_sluice.lock.json");
            let mut json: sluice::drizzle::Lock =
                serde_json::from_str(&fs::read_to_string(&lock).expect("lock")).expect("JSON");
            json.files.insert(
                rel.to_string(),
                sluice::drizzle::sha256_hex(text.as_bytes()),
            );
            fs::write(&lock, sluice::drizzle::to_json(&json)).expect("write");
        },
        &["build", "schemas"],
    );
    assert!(out.contains("0001_note_summary_expand"), "{out}");
    assert!(code.is_some(), "{out}");
}

#[test]
fn an_everyday_edit_keeps_every_earlier_entry_and_writes_what_a_fresh_build_writes() {
    let root = built("build-keeps");
    plan_a_new_column(&root);
    let c = sluice::compile(&root.join("schemas")).expect("the workspace loads");
    let snapshots = sluice::drizzle::Snapshots::Newest;
    let (files, kept) =
        sluice::emit::workspace_keeping(&c.workspace, None, snapshots).expect("emits");
    let fresh = root.join("fresh");
    let (again, none) =
        sluice::emit::workspace_keeping(&c.workspace, Some(&fresh), snapshots).expect("emits");
    assert_eq!(none, 0, "a folder without a lock keeps nothing");
    // Journal files: `<project>/<tag>.sql` directly in a project folder.
    let entries = |files: &sluice::emit::Files, base: &Path| -> Vec<(String, String)> {
        files
            .iter()
            .filter_map(|(path, text)| {
                let rel = path
                    .strip_prefix(base)
                    .ok()?
                    .to_string_lossy()
                    .replace('\\', "/");
                Some((rel, text.clone()))
            })
            .collect()
    };
    // The migration folders' files; the `schema_ts` modules name the folder.
    let ours = entries(&files, &root.join("drizzle"));
    let theirs = entries(&again, &fresh);
    let inside = |v: Vec<(String, String)>| -> Vec<(String, String)> {
        v.into_iter().filter(|(rel, _)| rel.contains('/')).collect()
    };
    let ours = inside(ours);
    assert!(ours.len() > 30, "{ours:?}");
    assert_eq!(ours, inside(theirs), "same bytes as a fresh build");
    let journal: Vec<&String> = ours
        .iter()
        .map(|(rel, _)| rel)
        .filter(|rel| rel.matches('/').count() == 1 && rel.ends_with(".sql"))
        .collect();
    let new: Vec<&&String> = journal
        .iter()
        .filter(|rel| !root.join("drizzle").join(rel.as_str()).exists())
        .collect();
    assert!(!new.is_empty(), "the new migration's entries: {journal:?}");
    // All but the new entries and `analytics`'s one entry: it receives
    // `core.users`, whose declaration its key holds.
    assert_eq!(
        kept,
        journal.len() - new.len() - 1,
        "kept: {journal:?}, new: {new:?}"
    );
}
