//! Indexes sluice derives for foreign keys through `sluice plan`: a
//! reference that gains `no index` plans exactly the drop of its derived
//! index in a contract, and one that loses it plans the index again; after
//! each, `check` is clean and nothing is left to plan.

use std::path::Path;

use crate::fixture::{self, Fixture};

const INITIAL: &str = "migration initial {
  create table notebooks {
    tenant
    policy all tenant
    name text not null
  }
  create table notes {
    tenant
    policy all tenant
    notebook_id uuid not null -> notebooks.id on delete cascade
    title text not null
  }
}
";

const TABLES: &str = "table notebooks {
  tenant
  policy all tenant
  name text not null
}

table notes {
  tenant
  policy all tenant
  notebook_id uuid not null -> notebooks.id on delete cascade
  title text not null
}
";

const INDEX: &str = "notes_org_id_notebook_id_idx";

fn no_index() -> String {
    TABLES.replace("on delete cascade\n", "on delete cascade no index\n")
}

fn workspace(decls: &str, migrations: &[(String, String)]) -> Fixture {
    let mut f = fixture::parse(&format!("// expect: nothing\n{decls}"), "fk_index");
    for (name, text) in migrations {
        f.files
            .insert(format!("notes/migrations/{name}"), text.clone());
    }
    f
}

/// The next migration plan writes: (migration name, text).
fn plan(f: &Fixture) -> (String, String) {
    let c = fixture::compile(f);
    let out = sluice::author::plan(&c, &sluice::author::Options::default());
    assert!(!out.diagnostics.has_errors(), "{:?}", out.diagnostics);
    assert_eq!(out.files.len(), 1, "plan writes one file");
    let file = &out.files[0];
    let name = file.display.rsplit('/').next().unwrap_or_default();
    (name.to_string(), file.text.clone())
}

fn nothing_to_plan(f: &Fixture) {
    let c = fixture::compile(f);
    let codes = fixture::codes(&c);
    assert!(
        codes.iter().all(|c| c == "foreign-key-without-index"),
        "check is not clean: {codes:?}"
    );
    let out = sluice::author::plan(&c, &sluice::author::Options::default());
    assert!(out.files.is_empty(), "plan writes {:?}", out.files);
}

/// The steps of a planned migration: its lines other than comments,
/// braces and block openings.
fn steps(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//") && !l.ends_with('{') && *l != "}")
        .map(str::to_string)
        .collect()
}

/// Every emitted line, in every file of project `notes`, that names `what`.
fn emitted(f: &Fixture, what: &str) -> Vec<String> {
    let c = fixture::compile(f);
    let files = sluice::emit::workspace(&c.workspace, Some(Path::new("out"))).expect("emits");
    let mut out = Vec::new();
    for (path, text) in &files {
        let shown = path.to_string_lossy();
        if !shown.starts_with("out/notes/") || shown.contains("/meta/") {
            continue;
        }
        for l in text
            .lines()
            .filter(|l| l.contains(what) && !l.starts_with("--"))
        {
            out.push(format!("{}: {l}", shown.trim_start_matches("out/notes/")));
        }
    }
    out
}

#[test]
fn a_reference_that_gains_no_index_plans_the_drop_of_its_derived_index() {
    let mut history = vec![("0001_initial.sluice".to_string(), INITIAL.to_string())];
    nothing_to_plan(&workspace(TABLES, &history));
    let (name, text) = plan(&workspace(&no_index(), &history));
    assert!(
        text.contains("contract {") && !text.contains("expand {"),
        "{text}"
    );
    assert_eq!(steps(&text), [format!("drop index {INDEX}")], "{text}");
    let migration = name
        .trim_end_matches(".sluice")
        .split_once('_')
        .expect("NNNN_name")
        .1
        .to_string();
    history.push((name, text));
    nothing_to_plan(&workspace(&no_index(), &history));
    history.push((
        "0003_release.sluice".into(),
        format!("migration release_it {{\n  release {migration}\n}}\n"),
    ));
    nothing_to_plan(&workspace(&no_index(), &history));
    let lines = emitted(&workspace(&no_index(), &history), INDEX);
    assert!(
        lines.iter().any(|l| l.contains("DROP INDEX")),
        "the build drops the index: {lines:#?}"
    );

    // The reverse: the reference wants its index again.
    let (_, text) = plan(&workspace(TABLES, &history));
    assert_eq!(
        steps(&text),
        ["add index on notes (org_id, notebook_id)"],
        "{text}"
    );
}

#[test]
fn a_reference_created_with_no_index_that_loses_it_plans_the_index() {
    let initial = INITIAL.replace("on delete cascade\n", "on delete cascade no index\n");
    let mut history = vec![("0001_initial.sluice".to_string(), initial)];
    nothing_to_plan(&workspace(&no_index(), &history));
    let (name, text) = plan(&workspace(TABLES, &history));
    assert_eq!(
        steps(&text),
        ["add index on notes (org_id, notebook_id)"],
        "{text}"
    );
    history.push((name, text));
    nothing_to_plan(&workspace(TABLES, &history));
    let lines = emitted(&workspace(TABLES, &history), INDEX);
    assert!(
        lines.iter().any(|l| l.contains("CREATE INDEX")),
        "the build creates the index: {lines:#?}"
    );
}
