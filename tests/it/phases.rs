//! The phase files a migration history compiles to, snapshotted: one
//! fixture per history under `tests/fixtures/phases/`, every emitted file
//! after the initial one (journal files, rollbacks, scripts).

use crate::fixture;

#[test]
fn phase_files_render_as_snapshotted() {
    insta::glob!("../fixtures/phases", "*.sluice", |path| {
        let f = fixture::read(path);
        let c = fixture::compile(&f);
        let mut codes = fixture::codes(&c);
        let mut expect = f.expect.clone();
        codes.sort();
        expect.sort();
        assert_eq!(codes, expect, "{}", fixture::render(&c));
        let files = sluice::emit::workspace(&c.workspace, Some(std::path::Path::new("out")))
            .expect("emits");
        let mut text = String::new();
        for (path, body) in &files {
            let name = path.to_string_lossy();
            if name.contains("0000_") || name.contains("/meta/") {
                continue;
            }
            text.push_str(&format!("===== {name}\n{body}\n"));
        }
        insta::assert_snapshot!(text);
    });
}

/// One rule engine: the lint rules, run over the journal files a history
/// compiles to, find nothing in the safe recipes and exactly the rules the
/// forced-`unsafe` steps were reported under.
#[test]
fn the_lint_rules_judge_compiled_phases_as_the_checks_judge_their_steps() {
    use sluice::diagnostic::Severity;
    use sluice::lint::{LintContext, Session};
    insta::glob!("../fixtures/phases", "*.sluice", |path| {
        let f = fixture::read(path);
        let c = fixture::compile(&f);
        let files = sluice::emit::workspace(&c.workspace, Some(std::path::Path::new("out")))
            .expect("emits");
        let root = std::path::Path::new("out/notes");
        let mut session = Session::new(LintContext {
            in_transaction: true,
            ..LintContext::default()
        });
        let mut found = std::collections::BTreeSet::new();
        let scripts: Vec<(String, &String)> = files
            .iter()
            .filter(|(p, _)| p.parent() == Some(&root.join("backfill")))
            .map(|(p, text)| (p.file_stem().unwrap().to_string_lossy().into_owned(), text))
            .collect();
        for (p, text) in files.iter().filter(|(p, _)| p.parent() == Some(root)) {
            let name = p.file_name().unwrap().to_string_lossy();
            // A contract runs after its migration's backfill script, whose
            // validated checks prove its `SET NOT NULL`s: lint them first.
            if let Some(migration) = name
                .strip_suffix("_contract.sql")
                .and_then(|n| n.split_once('_'))
                .map(|(_, m)| m)
            {
                let own = name.trim_end_matches(".sql");
                for (stem, script) in &scripts {
                    if stem == own || stem.split_once('_').is_some_and(|(_, m)| m == migration) {
                        session.lint_with(script, &LintContext::default());
                    }
                }
            }
            let cx = LintContext {
                in_transaction: true,
                contract_phase: name.ends_with("_contract.sql"),
                ..LintContext::default()
            };
            let findings = session.lint_with(text, &cx);
            if name.starts_with("0000_") {
                continue;
            }
            for f in findings {
                if f.code.default_severity() == Severity::Error {
                    found.insert(f.code.as_str().to_string());
                }
            }
        }
        let mut reported: Vec<String> = c
            .diagnostics
            .items
            .iter()
            .filter(|d| d.message.contains("forced `unsafe`"))
            .map(|d| d.code.as_str().to_string())
            .collect();
        reported.sort();
        reported.dedup();
        assert_eq!(
            found.into_iter().collect::<Vec<_>>(),
            reported,
            "{}: lint findings in the compiled phases vs forced steps",
            path.display()
        );
    });
}

/// `sluice lint` on the whole folder a safe history compiles to (journal
/// files, scripts and rollbacks, as `sluice build` writes them) finds no
/// error: a rollback undoes a widening and sets NOT NULL back in forms the
/// lint accepts.
#[test]
fn every_file_a_safe_history_compiles_to_passes_sluice_lint() {
    let mut linted = 0;
    for entry in std::fs::read_dir("tests/fixtures/phases").expect("phases fixtures") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "sluice") {
            continue;
        }
        let f = fixture::read(&path);
        if !f.expect.is_empty() {
            continue;
        }
        let c = fixture::compile(&f);
        let out = crate::scratch::ScratchDir::new(&format!(
            "phases-lint-{}",
            path.file_stem().unwrap().to_string_lossy()
        ))
        .at("out");
        let files = sluice::emit::workspace(&c.workspace, Some(&out)).expect("emits");
        sluice::write::write(&files).expect("writes the build");
        let run = sluice::lint::run::run(&sluice::lint::run::Options {
            paths: vec![out.to_path_buf()],
            ..Default::default()
        });
        drop(out);
        let run = run.expect("the build lints");
        let errors: Vec<String> = run
            .diagnostics
            .items
            .iter()
            .filter(|d| d.is_error())
            .map(|d| {
                let at = sluice::diagnostic::Diagnostics::position(&run.sources, d)
                    .map(|(f, p)| format!("{f}:{}", p[0]))
                    .unwrap_or_default();
                format!("{} {at}: {}", d.code, d.message)
            })
            .collect();
        assert!(
            errors.is_empty(),
            "{}:\n  {}",
            path.display(),
            errors.join("\n  ")
        );
        linted += 1;
    }
    assert!(linted >= 3, "only {linted} safe phase fixtures");
}
