//! What sluice emits must pass its own lint: every `.sql` file that
//! `sluice build` writes for the bundled workspace, linted as `sluice lint`
//! lints a folder (Drizzle journal files inside drizzle-orm's transaction,
//! rollback scripts as they are run: by psql, on their own).

use std::path::Path;

/// Builds `schemas/` into a temporary folder and lints all of it.
fn lint_emitted(tag: &str) -> (sluice::lint::run::Run, Vec<(String, String)>) {
    let c = sluice::compile(Path::new("schemas")).expect("schemas/ loads");
    assert!(!c.diagnostics.has_errors(), "schemas/ has errors");
    let out =
        std::env::temp_dir().join(format!("sluice-lint-emitted-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let files = sluice::emit::workspace(&c.workspace, Some(&out)).expect("emits");
    sluice::write::write(&files).expect("writes the build");
    let sql = files
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "sql"))
        .count();
    assert!(
        sql >= 10,
        "the build writes a migration and a rollback per project"
    );
    let run = sluice::lint::run::run(&sluice::lint::run::Options {
        paths: vec![out.clone()],
        ..Default::default()
    })
    .expect("the build lints");
    assert_eq!(run.files, sql, "every emitted .sql file is linted");
    let found = run
        .diagnostics
        .items
        .iter()
        .map(|d| {
            let file = sluice::diagnostic::Diagnostics::position(&run.sources, d)
                .map(|(f, p)| format!("{f}:{}:{}", p[0], p[1]))
                .unwrap_or_default();
            (
                format!("{} {}", d.severity.as_str(), d.code),
                format!("{file}: {}", d.message),
            )
        })
        .collect();
    (run, found)
}

/// Every finding in the files `which` picks, rendered one a line.
fn findings_in(tag: &str, which: impl Fn(&str) -> bool) -> Vec<String> {
    let (_, found) = lint_emitted(tag);
    found
        .into_iter()
        .filter(|(_, at)| which(at))
        .map(|(what, at)| format!("{what} {at}"))
        .collect()
}

fn is_rollback(at: &str) -> bool {
    at.contains("/rollback/")
}

#[test]
fn the_emitted_migrations_pass_sluice_lint() {
    let found = findings_in("migrations", |at| !is_rollback(at));
    assert!(
        found.is_empty(),
        "sluice lint reports problems in the migrations sluice build writes:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_emitted_rollbacks_pass_sluice_lint() {
    let found = findings_in("rollbacks", is_rollback);
    let errors: Vec<&String> = found.iter().filter(|f| f.starts_with("error")).collect();
    assert!(
        errors.is_empty(),
        "sluice lint finds errors in the rollback scripts sluice build writes:\n{}",
        found.join("\n")
    );
    assert!(
        found.is_empty(),
        "sluice lint warns about the rollback scripts sluice build writes:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_whole_build_lints_without_errors() {
    let (run, found) = lint_emitted("all");
    assert_eq!(run.diagnostics.errors(), 0, "{found:#?}");
}
