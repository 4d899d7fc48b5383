//! Drafts, through the `sluice` binary in a git work tree: an entry that
//! was built but never committed is rewritten by the next build; once
//! committed it is released and binds the workspace; `CI` and
//! `SLUICE_RELEASED=all` make everything on disk released.

use std::fs;
use std::process::Command;

use crate::drizzle::{text, Scratch};

/// `sluice build schemas --out out` with `env` set (and `CI` unset unless
/// `env` sets it): (exit code, stdout + stderr).
fn build(s: &Scratch, env: &[(&str, &str)]) -> (Option<i32>, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sluice"));
    cmd.args(["build", "schemas", "--out", "out"])
        .current_dir(&s.root)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .env_remove("SLUICE_RELEASED");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().expect("the sluice binary runs");
    (
        o.status.code(),
        format!("{}{}", text(&o.stdout), text(&o.stderr)),
    )
}

const GIT_MODE: &[(&str, &str)] = &[("SLUICE_RELEASED", "git")];

/// `git ARGS` in the scratch folder, which must succeed.
fn git(s: &Scratch, args: &[&str]) {
    let o = Command::new("git")
        .args([
            "-c",
            "user.name=sluice tests",
            "-c",
            "user.email=tests@sluice.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(&s.root)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("git runs (install git to run these tests)");
    assert!(
        o.status.success(),
        "git {}: {}",
        args.join(" "),
        text(&o.stderr)
    );
}

/// Everything of the scratch folder committed.
fn commit_all(s: &Scratch, message: &str) {
    git(s, &["add", "-A"]);
    git(s, &["commit", "-q", "-m", message]);
}

/// A scratch workspace in a fresh repository, built and committed: every
/// entry so far is released.
fn released_repo(tag: &str, v1: bool) -> Scratch {
    let s = Scratch::new(tag);
    if v1 {
        fs::write(s.root.join("package.json"), crate::drizzle_v1::PACKAGE_JSON).expect("write");
    }
    git(&s, &["init", "-q"]);
    let (code, out) = build(&s, GIT_MODE);
    assert_eq!(code, Some(0), "{out}");
    commit_all(&s, "released");
    s
}

/// Change the type of `notes.x` in its declaration and its migration.
fn retype_x(s: &Scratch, from: &str, to: &str) {
    for file in [
        "notes/notes.sluice",
        "notes/migrations/0099_add_notes_x.sluice",
    ] {
        let path = s.root.join("schemas").join(file);
        let text = fs::read_to_string(&path).expect("read");
        let edited = text
            .replace(&format!("  x {from}"), &format!("  x {to}"))
            .replace(&format!("notes.x {from}"), &format!("notes.x {to}"));
        assert_ne!(text, edited, "{file} declares x {from}");
        fs::write(&path, edited).expect("write");
    }
}

/// The emitted files (not rollbacks, not meta) of migration `add_notes_x`.
fn x_files(s: &Scratch) -> Vec<(String, String)> {
    s.tree()
        .into_iter()
        .filter(|(k, _)| k.contains("add_notes_x") && k.ends_with(".sql"))
        .filter(|(k, _)| !k.contains("rollback"))
        .map(|(k, v)| (k, text(&v)))
        .collect()
}

fn draft_then_release(v1: bool) {
    let s = released_repo(if v1 { "draft-1x" } else { "draft" }, v1);
    s.add_notes_x();
    let (code, out) = build(&s, GIT_MODE);
    assert_eq!(code, Some(0), "{out}");
    let first = x_files(&s);
    assert_eq!(first.len(), 1, "{first:?}");
    assert!(first[0].1.contains("text"), "{first:?}");

    // Built but not committed: a draft, rewritten in place.
    retype_x(&s, "text", "integer");
    let (code, out) = build(&s, GIT_MODE);
    assert_eq!(code, Some(0), "a draft is rewritten:\n{out}");
    assert!(!out.contains("released-migration-changed"), "{out}");
    let second = x_files(&s);
    assert_eq!(
        second.len(),
        1,
        "the draft was replaced, not added to: {second:?}"
    );
    assert_eq!(second[0].0, first[0].0, "a rewritten draft keeps its name");
    assert!(second[0].1.contains("integer"), "{second:?}");
    let (code, out) = build(&s, GIT_MODE);
    assert_eq!(code, Some(0), "{out}");
    assert_eq!(x_files(&s), second, "building again changes nothing");

    // Committed: released, and the workspace may not change it any more.
    commit_all(&s, "add notes.x");
    retype_x(&s, "integer", "bigint");
    let before = s.tree();
    let (code, out) = build(&s, GIT_MODE);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("released-migration-changed"), "{out}");
    assert!(out.contains("add_notes_x"), "{out}");
    assert_eq!(before, s.tree(), "a refused build writes nothing");
}

#[test]
fn a_built_but_uncommitted_migration_is_a_draft_until_it_is_committed() {
    draft_then_release(false);
}

#[test]
fn a_built_but_uncommitted_migration_folder_is_a_draft_until_it_is_committed_in_the_1x_layout() {
    draft_then_release(true);
}

#[test]
fn in_ci_or_with_sluice_released_all_an_uncommitted_entry_is_released() {
    let s = released_repo("draft-ci", false);
    s.add_notes_x();
    let (code, out) = build(&s, GIT_MODE);
    assert_eq!(code, Some(0), "{out}");
    retype_x(&s, "text", "integer");
    let before = s.tree();
    for env in [
        &[("CI", "true")][..],
        &[("SLUICE_RELEASED", "all")][..],
        &[("CI", "1"), ("SLUICE_RELEASED", "all")][..],
    ] {
        let (code, out) = build(&s, env);
        assert_eq!(code, Some(1), "{env:?}: {out}");
        assert!(out.contains("released-migration-changed"), "{env:?}: {out}");
        assert_eq!(before, s.tree(), "{env:?}: a refused build writes nothing");
    }
    let (code, out) = build(&s, &[("SLUICE_RELEASED", "yes")]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("invalid-release-mode"), "{out}");
    assert!(out.contains("`SLUICE_RELEASED=yes` is neither"), "{out}");
    assert_eq!(before, s.tree(), "a refused build writes nothing");
    let (code, out) = build(&s, &[("CI", "true"), ("SLUICE_RELEASED", "git")]);
    assert_eq!(code, Some(0), "SLUICE_RELEASED=git overrides CI: {out}");
}

#[test]
fn outside_a_git_work_tree_everything_on_disk_is_released() {
    let s = Scratch::new("draft-nogit");
    let (code, out) = build(&s, GIT_MODE);
    assert_eq!(code, Some(0), "{out}");
    s.add_notes_x();
    let (code, out) = build(&s, GIT_MODE);
    assert_eq!(code, Some(0), "{out}");
    retype_x(&s, "text", "integer");
    let (code, out) = build(&s, GIT_MODE);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("released-migration-changed"), "{out}");
}
