//! The output folder as `sluice build` treats it: found from the workspace,
//! never sharing its files with anything sluice did not write, and never
//! left half-written by a second build or a killed one.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use crate::drizzle::{text, Scratch};

fn sluice_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the sluice binary runs")
}

fn all(o: &Output) -> String {
    format!("{}{}", text(&o.stdout), text(&o.stderr))
}

#[test]
fn the_configured_out_is_relative_to_the_workspace_not_the_current_folder() {
    let s = Scratch::new("out-relative");
    let elsewhere = s.root.join("elsewhere");
    fs::create_dir_all(&elsewhere).expect("mkdir");
    let ws = s.root.join("schemas");
    let o = sluice_in(&elsewhere, &["build", ws.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    assert!(
        s.root.join("drizzle/core/0000_initial.sql").is_file(),
        "{}",
        all(&o)
    );
    assert!(
        !elsewhere.join("drizzle").exists(),
        "wrote beside the current folder"
    );
    let o = sluice_in(
        &elsewhere,
        &["build", ws.to_str().expect("utf-8"), "--check"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
}

#[test]
fn a_build_keeps_the_files_it_did_not_write_in_a_project_folder() {
    let s = Scratch::new("foreign-kept");
    s.build();
    let readme = s.out("notes").join("README.md");
    let seed = s.out("notes").join("seed/orgs.sql");
    fs::write(&readme, "# notes migrations\n").expect("write");
    fs::create_dir_all(seed.parent().expect("parent")).expect("mkdir");
    fs::write(&seed, "insert into orgs default values;\n").expect("write");
    s.add_notes_x();
    s.build();
    assert!(
        s.out("notes").join("0002_add_notes_x_expand.sql").is_file()
            || fs::read_dir(s.out("notes"))
                .expect("read")
                .flatten()
                .any(|e| e.file_name().to_string_lossy().contains("add_notes_x")),
        "the second build wrote nothing new"
    );
    assert_eq!(
        fs::read_to_string(&readme).ok().as_deref(),
        Some("# notes migrations\n")
    );
    assert_eq!(
        fs::read_to_string(&seed).ok().as_deref(),
        Some("insert into orgs default values;\n")
    );
    let o = s.sluice(&["build", "schemas", "--out", "out", "--check"]);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
}

/// The whole tree under `dir`, for "nothing changed" comparisons.
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn an_out_that_holds_the_workspace_is_refused_and_nothing_is_written() {
    for (tag, out) in [("dot", "."), ("parent", ".."), ("self", "../schemas")] {
        let s = Scratch::new(&format!("out-{tag}"));
        let ws = s.root.join("schemas/workspace.sluice");
        let text = fs::read_to_string(&ws).expect("read");
        fs::write(&ws, text.replace("\"../drizzle\"", &format!("\"{out}\""))).expect("write");
        let before = tree(&s.root);
        let o = s.sluice(&["build", "schemas"]);
        assert_eq!(o.status.code(), Some(1), "{}", all(&o));
        assert!(all(&o).contains("unsafe-output-folder"), "{}", all(&o));
        assert!(
            all(&o).contains("workspace.sluice:"),
            "no place: {}",
            all(&o)
        );
        assert_eq!(
            before,
            tree(&s.root),
            "out {out}: a refused build wrote something"
        );
    }
}

#[test]
fn a_file_sluice_did_not_write_in_the_way_is_refused_and_kept() {
    let s = Scratch::new("foreign-in-the-way");
    let target = s.out("notes").join("0000_initial.sql");
    fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
    fs::write(&target, "-- a migration written by hand\n").expect("write");
    let before = tree(&s.root);
    let o = s.sluice(&["build", "schemas", "--out", "out"]);
    assert_eq!(o.status.code(), Some(1), "{}", all(&o));
    assert!(all(&o).contains("was not written by sluice"), "{}", all(&o));
    assert_eq!(before, tree(&s.root), "a refused build wrote something");
}

#[test]
fn concurrent_builds_into_one_folder_never_corrupt_it() {
    let s = Scratch::new("concurrent");
    let reference = Scratch::new("concurrent-reference");
    reference.build();
    for round in 0..3 {
        let _ = fs::remove_dir_all(s.root.join("out"));
        let children: Vec<_> = (0..4)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_sluice"))
                    .args(["build", "schemas", "--out", "out"])
                    .current_dir(&s.root)
                    .env("NO_COLOR", "1")
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("the sluice binary runs")
            })
            .collect();
        for child in children {
            let o = child.wait_with_output().expect("waits");
            assert_eq!(
                o.status.code(),
                Some(0),
                "round {round}: {}",
                text(&o.stderr)
            );
        }
        assert_eq!(
            s.tree(),
            reference.tree(),
            "round {round}: the folder differs"
        );
        let o = s.sluice(&["build", "schemas", "--out", "out", "--check"]);
        assert_eq!(o.status.code(), Some(0), "round {round}: {}", all(&o));
    }
}

#[test]
fn a_build_waits_for_a_held_lock_then_reports_the_folder_busy_and_writes_nothing() {
    let s = Scratch::new("busy");
    fs::create_dir_all(s.root.join("out")).expect("mkdir");
    let path = sluice::write::lock::lock_path(&s.root.join("out/notes"));
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    let held = fs::File::create(&path).expect("lock file");
    held.lock().expect("the test holds the lock");
    let o = s.sluice(&["build", "schemas", "--out", "out"]);
    assert_eq!(o.status.code(), Some(1), "{}", all(&o));
    assert!(all(&o).contains("output-folder-busy"), "{}", all(&o));
    let written: Vec<String> = s
        .tree()
        .into_keys()
        .filter(|f| !f.ends_with(".sluice-lock"))
        .collect();
    assert!(
        written.is_empty(),
        "a build without the lock wrote {written:?}"
    );
    held.unlock().expect("unlock");
    s.build();
}

/// Put `out/` back to a tree taken with [`Scratch::tree`].
fn restore_out(s: &Scratch, tree: &std::collections::BTreeMap<String, Vec<u8>>) {
    let out = s.root.join("out");
    let _ = fs::remove_dir_all(&out);
    for (rel, bytes) in tree {
        let path = out.join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, bytes).expect("write");
    }
}

/// A build killed at every step of its write leaves folders that the next
/// `sluice build --check` (or `check`) recovers to all-old or all-new:
/// never some projects old and some new, never staging or backups.
#[test]
fn a_build_killed_at_any_step_is_recovered_all_old_or_all_new() {
    let s = Scratch::new("killed");
    s.build();
    let old = s.tree();
    s.add_notes_x();
    s.build();
    let new = s.tree();
    assert_ne!(old, new);
    let clean = |t: std::collections::BTreeMap<String, Vec<u8>>| {
        t.into_iter()
            .filter(|(k, _)| !k.ends_with(".sluice-lock"))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let (old, new) = (clean(old), clean(new));
    let mut killed = 0;
    for step in 1..200 {
        restore_out(&s, &old);
        let o = Command::new(env!("CARGO_BIN_EXE_sluice"))
            .args(["build", "schemas", "--out", "out"])
            .current_dir(&s.root)
            .env("NO_COLOR", "1")
            .env("SLUICE_FAILPOINT", step.to_string())
            .output()
            .expect("the sluice binary runs");
        if o.status.success() {
            break;
        }
        killed += 1;
        assert_eq!(
            o.status.code(),
            None,
            "step {step}: not killed: {}",
            all(&o)
        );
        let o = s.sluice(&["build", "schemas", "--out", "out", "--check"]);
        let after = clean(s.tree());
        assert!(
            after == old || after == new,
            "step {step}: the folder is neither all old nor all new: {}",
            all(&o)
        );
        let check = s.sluice(&["check", "schemas"]);
        assert_ne!(check.status.code(), Some(2), "{}", all(&check));
    }
    assert!(killed >= 10, "only {killed} steps were killed");
}

#[test]
fn a_changed_release_of_a_project_without_migrations_says_how_to_start_a_history() {
    let s = Scratch::new("no-history");
    fs::remove_dir_all(s.root.join("schemas/analytics/migrations")).expect("remove");
    s.build();
    let decl = s.root.join("schemas/analytics/analytics.sluice");
    let text = fs::read_to_string(&decl).expect("read");
    let edited = text.replace(
        "Per org, app and day: counts only.",
        "Per org, app and day.",
    );
    assert_ne!(text, edited);
    fs::write(&decl, edited).expect("write");
    let o = s.sluice(&["build", "schemas", "--out", "out"]);
    let out = all(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("released-migration-changed"), "{out}");
    assert!(out.contains("has no migrations"), "{out}");
    assert!(!out.contains("restore the migration"), "{out}");
}

#[test]
fn a_build_rewrites_its_own_subscription_script_that_an_older_feed_left() {
    let s = Scratch::new("script-rewritten");
    s.build();
    let dir = s.out("analytics");
    let script = dir.join("subscribe/sluice_from_core.sql");
    let built = fs::read(&script).expect("the subscription script is written");
    let lock = fs::read_to_string(dir.join("meta/_sluice.lock.json")).expect("lock");
    assert!(
        lock.contains("\"subscribe/sluice_from_core.sql\""),
        "the lock does not list the script:\n{lock}"
    );
    // What a build before a feed change left behind.
    fs::write(&script, "-- the feed as it was\n").expect("write");
    s.build();
    assert_eq!(fs::read(&script).expect("script"), built);
}
