//! The published pre-commit hooks (`.pre-commit-hooks.yaml`), run by the
//! real `pre-commit` (PyPI) with `try-repo` from another git repository
//! holding one unsafe and one safe migration.
//!
//! `try-repo` clones this repository and builds sluice with `cargo install`
//! exactly as a user's pre-commit would. To keep that affordable the build
//! goes to a persistent target folder (`target/pre-commit-hook`, so the
//! dependencies are compiled once) without optimisation; the hook
//! definition itself is the published one.

use std::path::Path;
use std::process::Output;

use crate::lint_cli::{repo_with, BAD, GOOD};

fn try_repo(repo: &Path, files: &[&str]) -> Output {
    let this = Path::new(env!("CARGO_MANIFEST_DIR"));
    let home = crate::scratch::ScratchDir::new("pre-commit-home");
    crate::provision::pre_commit()
        .unwrap_or_else(|e| panic!("{e}"))
        .args([
            "try-repo",
            this.to_str().expect("utf-8 path"),
            "sluice-lint",
        ])
        .arg("--verbose")
        .arg("--files")
        .args(files)
        .current_dir(repo)
        .env("PRE_COMMIT_HOME", &home)
        .env("PRE_COMMIT_COLOR", "never")
        .env("CARGO_TARGET_DIR", this.join("target/pre-commit-hook"))
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        // Nor link-time optimisation: the test checks the hook, not speed.
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .expect("pre-commit runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn the_lint_hook_fails_on_an_unsafe_migration_and_passes_a_safe_one() {
    let repo = repo_with(
        "pre-commit",
        &[
            ("migrations/0001_add_index.sql", BAD),
            ("migrations/0002_add_index_safely.sql", GOOD),
        ],
    );

    let bad = try_repo(&repo, &["migrations/0001_add_index.sql"]);
    let out = text(&bad);
    assert_eq!(bad.status.code(), Some(1), "{out}");
    assert!(out.contains("sluice lint"), "{out}");
    assert!(out.contains("Failed"), "{out}");
    assert!(out.contains("index-without-concurrently"), "{out}");
    assert!(out.contains("0001_add_index.sql"), "{out}");

    let good = try_repo(&repo, &["migrations/0002_add_index_safely.sql"]);
    let out = text(&good);
    assert_eq!(good.status.code(), Some(0), "{out}");
    assert!(out.contains("Passed"), "{out}");
    assert!(out.contains("linted 1 file: 0 errors, 0 warnings"), "{out}");
}
