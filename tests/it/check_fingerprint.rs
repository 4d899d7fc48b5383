//! `check` with an output folder a build wrote from the same sources skips
//! emitting and comparing: the input fingerprint `build` records in each
//! lock. Whatever changed since (an input, an emitted file, an extra file,
//! the environment), `check` reports exactly what the full comparison
//! reports, which a copy of the folder without the fingerprint (a lock
//! from an older sluice) always takes.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::cli::copy_of_schemas;
use crate::scratch::ScratchDir;

const PROJECTS: [&str; 5] = ["analytics", "attendance", "core", "hr", "notes"];

/// `sluice ARGS` in `root`: (exit code, stdout + stderr).
pub(crate) fn run(root: &Path, args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(args)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .expect("the sluice binary runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (o.status.code(), text)
}

/// A copy of the bundled workspace built into `drizzle/` beside it.
pub(crate) fn built(tag: &str) -> ScratchDir {
    let root = copy_of_schemas(&format!("fingerprint-{tag}")).into_root();
    let (code, out) = run(&root, &["build", "schemas"], &[]);
    assert_eq!(code, Some(0), "{out}");
    root
}

fn copy_tree(from: &Path, to: &Path) {
    let _ = fs::remove_dir_all(to);
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let dest = to.join(entry.path().strip_prefix(from).expect("inside"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).expect("mkdir");
        } else {
            fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// A copy of `root` whose locks have no fingerprint, as an older sluice
/// wrote them.
pub(crate) fn without_fingerprint(root: &Path) -> ScratchDir {
    let copy = ScratchDir::new(&format!(
        "{}-old-lock",
        root.file_name().expect("a name").to_string_lossy()
    ));
    copy_tree(root, &copy);
    for p in PROJECTS {
        let lock = copy.join("drizzle").join(p).join("meta/_sluice.lock.json");
        let mut json: sluice::drizzle::Lock =
            serde_json::from_str(&fs::read_to_string(&lock).expect("lock")).expect("JSON");
        assert!(
            json.input.is_some(),
            "{p}: the build recorded a fingerprint"
        );
        json.input = None;
        json.module = None;
        // Nor the entries' records: every entry is planned again.
        json.entries.clear();
        // In sluice's own format, so that only the fingerprint differs.
        fs::write(&lock, sluice::drizzle::to_json(&json)).expect("write");
    }
    copy
}

pub(crate) fn edit(path: &Path, change: impl Fn(&str) -> String) {
    let text = fs::read_to_string(path).expect("read");
    let edited = change(&text);
    assert_ne!(text, edited, "{} changed", path.display());
    fs::write(path, edited).expect("write");
}

/// Apply `change` to a built copy with and without fingerprints, check
/// both, and require the same report; return it.
fn same_as_full(tag: &str, change: impl Fn(&Path), env: &[(&str, &str)]) -> (Option<i32>, String) {
    let root = built(tag);
    let old = without_fingerprint(&root);
    change(&root);
    change(&old);
    let fast = run(&root, &["check", "schemas"], env);
    let full = run(&old, &["check", "schemas"], env);
    assert_eq!(fast, full, "{tag}: check with a fingerprint differs");
    fast
}

#[test]
fn a_fresh_build_is_trusted_by_its_fingerprint_until_something_changes() {
    let root = built("trusted");
    let (sources, _) = sluice::source::load(&root.join("schemas")).expect("loads");
    let digest = sluice::drizzle::fingerprint::sources_digest(&sources);
    let trusted = |root: &Path, digest: &str| {
        PROJECTS.iter().all(|p| {
            let rel = Path::new("drizzle").join(p);
            let expected = sluice::drizzle::fingerprint::input(digest, &rel);
            sluice::drizzle::fingerprint::unchanged(&root.join(&rel), &expected)
                .expect("reads")
                .is_some()
        })
    };
    assert!(trusted(&root, &digest), "a fresh build is trusted");

    let (code, out) = run(&root, &["check", "schemas"], &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.starts_with("checked 5 projects"), "{out}");

    let migration = root.join("schemas/notes/migrations/0002_note_summary.sluice");
    let text = fs::read_to_string(&migration).expect("read");
    fs::write(&migration, format!("{text}\n")).expect("write");
    let (sources, _) = sluice::source::load(&root.join("schemas")).expect("loads");
    let edited = sluice::drizzle::fingerprint::sources_digest(&sources);
    assert_ne!(digest, edited, "a byte more in an input changes the digest");
    assert!(!trusted(&root, &edited), "another input is not trusted");
    fs::write(&migration, text).expect("restore");
    assert!(trusted(&root, &digest));

    let notes = root.join("drizzle/notes");
    fs::write(notes.join("notes.txt"), "left by hand").expect("write");
    assert!(trusted(&root, &digest), "a file the release check ignores");
    // The same file listed in the lock by hand, with its right digest.
    let lock_path = notes.join("meta/_sluice.lock.json");
    let lock_text = fs::read_to_string(&lock_path).expect("lock");
    let mut lock: sluice::drizzle::Lock = serde_json::from_str(&lock_text).expect("JSON");
    let digest_of = sluice::drizzle::sha256_hex(b"left by hand");
    lock.files.insert("notes.txt".into(), digest_of);
    fs::write(&lock_path, sluice::drizzle::to_json(&lock)).expect("write");
    assert!(
        !trusted(&root, &digest),
        "a lock edited by hand is not trusted"
    );
    fs::write(&lock_path, lock_text).expect("restore");
    assert!(trusted(&root, &digest));
    fs::write(notes.join("backfill/0001_more.sql"), "select 1;\n").expect("write");
    assert!(
        !trusted(&root, &digest),
        "an extra backfill script is not trusted"
    );
    fs::remove_file(notes.join("backfill/0001_more.sql")).expect("remove");
    assert!(trusted(&root, &digest));

    edit(&notes.join("meta/0002_snapshot.json"), |t| {
        t.replacen("\"", "\"x", 1)
    });
    assert!(
        !trusted(&root, &digest),
        "an edited output file is not trusted"
    );
}

#[test]
fn an_unchanged_folder_checks_clean_like_the_full_comparison() {
    let (code, out) = same_as_full("clean", |_| {}, &[]);
    assert_eq!(code, Some(0), "{out}");
}

#[test]
fn an_edited_released_file_is_reported_as_by_the_full_comparison() {
    let (code, out) = same_as_full(
        "edited",
        |root| {
            edit(&root.join("drizzle/notes/rollback/0000_initial.sql"), |t| {
                t.replacen("DROP ", "-- hand fix\nDROP ", 1)
            })
        },
        &[],
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("released-file-edited"), "{out}");
}

#[test]
fn a_changed_migration_is_reported_as_by_the_full_comparison() {
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
        &[],
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("released-migration-changed"), "{out}");
}

#[test]
fn a_missing_released_file_is_reported_as_by_the_full_comparison() {
    let (code, out) = same_as_full(
        "missing",
        |root| fs::remove_file(root.join("drizzle/hr/rollback/0000_initial.sql")).expect("remove"),
        &[],
    );
    assert_eq!(
        code,
        Some(0),
        "a file sluice can restore is no error: {out}"
    );
}

#[test]
fn an_unknown_release_mode_is_reported_as_by_the_full_comparison() {
    let (code, out) = same_as_full("mode", |_| {}, &[("SLUICE_RELEASED", "sometimes")]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("SLUICE_RELEASED=sometimes"), "{out}");
}

#[test]
fn an_extra_backfill_script_is_reported_as_by_the_full_comparison() {
    let (code, out) = same_as_full(
        "extra",
        |root| {
            fs::write(
                root.join("drizzle/notes/backfill/0001_more.sql"),
                "select 1;\n",
            )
            .expect("write");
            fs::write(root.join("drizzle/notes/notes.txt"), "left by hand").expect("write");
        },
        &[],
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("backfill/0001_more.sql"), "{out}");
}
