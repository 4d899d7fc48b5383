//! The bundled workspace on every PostgreSQL major version sluice targets,
//! 14 to 18. For each, `schemas/` is built with `postgres N`, and on a
//! server of that version every project's whole history is applied journal
//! entry by journal entry, with the out-of-transaction scripts where the
//! build places them; each entry's rollback returns the catalog to what it
//! was before the entry, and the entry applies again. Then the RLS probes
//! run on each project's initial state.
//!
//! The rest of the suite runs on the default version (16, the bundled
//! workspace's target); this file is the matrix. Each test's name carries
//! its version.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::cli::copy_of_schemas;
use crate::pg::Cluster;
use crate::pg_emit::{apply, psql};
use crate::scratch::ScratchDir;

/// `schemas/` with its target set to PostgreSQL `major`.
fn schemas_for(major: u32) -> ScratchDir {
    let ws = copy_of_schemas(&format!("matrix-{major}"));
    let file = ws.join("workspace.sluice");
    let text = fs::read_to_string(&file).expect("read workspace.sluice");
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("postgres "))
        .expect("schemas/workspace.sluice sets `postgres`")
        .to_string();
    let target = format!("  postgres          {major}");
    fs::write(&file, text.replace(&line, &target)).expect("write workspace.sluice");
    ws
}

/// `code: message` of every error of `c`.
pub fn error_lines(c: &sluice::Compilation) -> Vec<String> {
    c.diagnostics
        .items
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.code.as_str(), d.message))
        .collect()
}

/// Compiles `ws`: the compilation, or the codes and lines of its errors.
fn compile(ws: &Path) -> Result<sluice::Compilation, Vec<String>> {
    let c = sluice::compile(ws).expect("the workspace loads");
    let errors = error_lines(&c);
    if errors.is_empty() {
        Ok(c)
    } else {
        Err(errors)
    }
}

/// Applies every project of `c` on PostgreSQL `major`, entry by entry, with
/// each rollback checked; returns how many entries were applied.
fn apply_every_history(c: &sluice::Compilation, major: u32) -> usize {
    let out = Path::new("out");
    let files = sluice::emit::workspace(&c.workspace, Some(out)).expect("the workspace emits");
    let mut entries = 0;
    for p in &c.workspace.projects {
        let root = out.join(&p.name);
        let project: BTreeMap<String, &String> = files
            .iter()
            .filter_map(|(path, text)| {
                let rel = path.strip_prefix(&root).ok()?;
                Some((rel.to_str()?.to_string(), text))
            })
            .collect();
        let journal: Vec<&String> = project
            .keys()
            .filter(|rel| !rel.contains('/') && rel.ends_with(".sql"))
            .collect();
        assert!(!journal.is_empty(), "{}: no journal entry", p.name);
        if p.postgres > major {
            continue;
        }
        let pg = Cluster::start_on(major);
        let db = pg.create_db();
        for rel in journal {
            let tag = rel.trim_end_matches(".sql");
            let what = format!("PostgreSQL {major}: {}/{tag}", p.name);
            if let Some(script) = project.get(&format!("backfill/{tag}.sql")) {
                apply(&pg, &db, &format!("{what} pre-contract script"), script);
            }
            let before = pg.catalog_dump(&db);
            apply(&pg, &db, &what, project[rel.as_str()]);
            let rollback = project
                .get(&format!("rollback/{rel}"))
                .unwrap_or_else(|| panic!("{what}: no rollback"));
            match psql(&pg, &db, "rollback.sql", rollback) {
                Ok(_) => assert_eq!(
                    before,
                    pg.catalog_dump(&db),
                    "{what}: the rollback does not restore the catalog"
                ),
                Err(e) => assert!(
                    e.contains("irreversible"),
                    "{what}: the rollback fails:\n{e}"
                ),
            }
            apply(&pg, &db, &format!("{what} again"), project[rel.as_str()]);
            let prefix = format!("backfill/{}_", &tag[..4]);
            for (script_rel, script) in &project {
                let is_contract_script = journal_tag(script_rel, &project);
                if script_rel.starts_with(&prefix) && !is_contract_script {
                    apply(&pg, &db, &format!("{what} {script_rel}"), script);
                }
            }
            entries += 1;
        }
        // No runtime role may create objects in the schema (before 15,
        // PUBLIC may create in `public` unless the migration revokes it).
        let runtime: Vec<String> = c
            .workspace
            .roles
            .iter()
            .filter(|r| r.runtime)
            .map(|r| r.name.clone())
            .collect();
        let creators = pg
            .client(&db)
            .query(
                "SELECT r FROM unnest($1::text[]) r WHERE has_schema_privilege(r, $2, 'CREATE')",
                &[&runtime, &p.schema],
            )
            .expect("ask who may create in the schema");
        assert!(
            creators.is_empty(),
            "PostgreSQL {major}: {}: runtime roles may create objects in schema {}: {:?}",
            p.name,
            p.schema,
            creators
                .iter()
                .map(|r| r.get::<_, String>(0))
                .collect::<Vec<_>>()
        );
    }
    entries
}

/// Whether `backfill/<x>.sql` is named after a journal entry (it runs
/// before that contract, not after the expand).
fn journal_tag(script_rel: &str, project: &BTreeMap<String, &String>) -> bool {
    script_rel
        .strip_prefix("backfill/")
        .is_some_and(|name| project.contains_key(name))
}

/// Builds the bundled workspace for `major`, applies it, probes it.
fn bundled_workspace_on(major: u32) {
    let c = compile(&schemas_for(major)).unwrap_or_else(|errors| {
        panic!("schemas/ built for PostgreSQL {major} has errors: {errors:#?}")
    });
    let entries = apply_every_history(&c, major);
    assert!(entries >= 7, "only {entries} journal entries applied");
    crate::rls::isolation_holds(&c, major);
}

#[test]
fn bundled_workspace_built_for_postgres_14_refuses_invoker_views_and_applies_without_them_on_14() {
    let ws = schemas_for(14);
    let Err(errors) = compile(&ws) else {
        panic!("the invoker views need PostgreSQL 15, yet the target 14 compiles");
    };
    assert_eq!(
        errors.len(),
        9,
        "one error per view and per table fed to analytics (column lists): {errors:#?}"
    );
    for error in &errors {
        assert!(
            (error.starts_with("unsupported-on-target: view `")
                || error.starts_with("unsupported-on-target: `publish to analytics`"))
                && error.contains("PostgreSQL 14 does not have"),
            "{errors:#?}"
        );
    }
    // Everything else of the workspace is proven on 14: without the
    // feed, whose tables analytics' history receives no more.
    for entry in walkdir::WalkDir::new(&ws) {
        let path = entry.expect("walk the copy").into_path();
        if path.extension().is_some_and(|e| e == "sluice") {
            let text = fs::read_to_string(&path).expect("read a workspace file");
            let kept: String = without_views(&text)
                .split_inclusive('\n')
                .filter(|l| {
                    let l = l.trim_start();
                    !l.starts_with("publish to ") && !l.starts_with("receive ")
                })
                .collect();
            fs::write(&path, kept).expect("write a workspace file");
        }
    }
    let c = compile(&ws).unwrap_or_else(|e| panic!("{e:#?}"));
    assert!(c.workspace.projects.iter().all(|p| p.views.is_empty()));
    let entries = apply_every_history(&c, 14);
    assert!(entries >= 7, "only {entries} journal entries applied");
    crate::rls::isolation_holds(&c, 14);
}

/// `text` without its `view … { … }` and `create view … { … }` blocks.
fn without_views(text: &str) -> String {
    let mut out = String::new();
    let mut closing: Option<String> = None;
    for line in text.split_inclusive('\n') {
        if let Some(end) = &closing {
            if line.trim_end() == end {
                closing = None;
            }
            continue;
        }
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        let opens = body.trim_end().ends_with('{');
        if opens && (body.starts_with("view ") || body.starts_with("create view ")) {
            closing = Some(format!("{indent}}}"));
            continue;
        }
        out.push_str(line);
    }
    out
}

#[test]
fn bundled_workspace_built_for_postgres_15_applies_rolls_back_and_isolates_tenants_on_15() {
    bundled_workspace_on(15);
}

#[test]
fn bundled_workspace_built_for_postgres_16_applies_rolls_back_and_isolates_tenants_on_16() {
    bundled_workspace_on(16);
}

#[test]
fn bundled_workspace_built_for_postgres_17_applies_rolls_back_and_isolates_tenants_on_17() {
    bundled_workspace_on(17);
}

#[test]
fn bundled_workspace_built_for_postgres_18_applies_rolls_back_and_isolates_tenants_on_18() {
    bundled_workspace_on(18);
}
