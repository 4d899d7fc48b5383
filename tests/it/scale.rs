//! The workspace generator of the scaling benchmark (`benches/gen`), kept
//! honest at a small size: what it generates checks clean, builds, and is
//! up to date once built. Nothing here is timed; `cargo bench --bench
//! scale` is.

use std::path::Path;
use std::process::Command;

#[path = "../../benches/gen/mod.rs"]
pub mod gen;

const SPEC: gen::Spec = gen::Spec {
    projects: 2,
    tables: 12,
    columns: 20,
    migrations: 30,
};

fn generated(tag: &str) -> crate::scratch::ScratchDir {
    let dir = crate::scratch::ScratchDir::new(&format!("scale-{tag}"));
    gen::write(&dir.join("ws"), &SPEC).expect("the generator writes the workspace");
    dir
}

fn sluice(dir: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(args)
        .args(["--color", "never"])
        .current_dir(dir)
        .output()
        .expect("sluice runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn a_generated_workspace_checks_without_any_diagnostic() {
    let dir = generated("check");
    let c = sluice::compile(&dir.join("ws")).expect("the generated workspace loads");
    let found: Vec<String> = c
        .diagnostics
        .items
        .iter()
        .map(|d| d.message.clone())
        .collect();
    assert!(found.is_empty(), "diagnostics: {found:#?}");
    assert_eq!(c.table_count(), SPEC.total_tables());
    assert_eq!(c.migration_count(), SPEC.total_migrations());
    // Every migration after `initial` ships an expand phase; all but the
    // last adding index releases a contract.
    let p = &c.workspace.projects[1];
    assert!(
        p.phases.len() > SPEC.migrations,
        "{} phases",
        p.phases.len()
    );
}

#[test]
fn a_clean_generated_workspace_compiles_clean_without_phases_too() {
    let dir = generated("phases");
    let full = sluice::compile(&dir.join("ws")).expect("loads");
    let lean = sluice::compile_with(&dir.join("ws"), false).expect("loads");
    assert!(lean.workspace.projects.iter().all(|p| p.phases.is_empty()));
    assert_eq!(full.diagnostics.items.len(), lean.diagnostics.items.len());
    assert_eq!(full.table_count(), lean.table_count());
}

#[test]
fn a_generated_workspace_builds_and_is_then_up_to_date() {
    let dir = generated("build");
    let (ok, out) = sluice(&dir, &["build", "ws"]);
    assert!(ok, "build failed:\n{out}");
    assert!(out.contains("0 errors, 0 warnings"), "{out}");
    let p01 = dir.join("drizzle/p01");
    for file in [
        "0000_initial.sql",
        "0001_m00001_expand.sql",
        "0003_m00001_contract.sql",
        "backfill/0001_m00001.sql",
        "meta/_journal.json",
    ] {
        assert!(p01.join(file).is_file(), "{file} is missing:\n{out}");
    }
    let (ok, out) = sluice(&dir, &["build", "ws", "--check"]);
    assert!(ok && out.contains("up to date"), "{out}");
    // `check` settles against the folder it finds.
    let (ok, out) = sluice(&dir, &["check", "ws"]);
    assert!(ok && out.contains("0 errors, 0 warnings"), "{out}");
}

/// Every file under `dir`, by its path relative to `dir`.
fn files_under(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("the folder is readable"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("under dir");
            let bytes = std::fs::read(e.path()).expect("the file is readable");
            (rel.to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

#[test]
fn a_long_history_builds_the_same_bytes_on_one_thread_and_on_three() {
    let mut built = Vec::new();
    for threads in ["1", "3"] {
        let dir = generated(&format!("threads-{threads}"));
        let out = Command::new(env!("CARGO_BIN_EXE_sluice"))
            .args(["build", "ws", "--color", "never"])
            .env("SLUICE_THREADS", threads)
            .current_dir(&dir)
            .output()
            .expect("sluice runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "build failed:\n{stdout}");
        built.push(files_under(&dir.join("drizzle")));
    }
    // Runs of eight phases are planned apart: this history has many.
    let journal = built[0]
        .keys()
        .filter_map(|k| k.strip_prefix("p01/"))
        .filter(|k| !k.contains('/') && k.ends_with(".sql"))
        .count();
    assert!(journal > 3 * 8, "{journal} files");
    assert_eq!(
        built[0].keys().collect::<Vec<_>>(),
        built[1].keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &built[0] {
        assert!(
            built[1][path] == *bytes,
            "{path} differs between one thread and three"
        );
    }
}
