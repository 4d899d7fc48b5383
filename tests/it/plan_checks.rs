//! Unnamed table checks through `sluice plan`: they are numbered by
//! position, so dropping the first of two must neither rename the second
//! in the history's later states nor hand its name to a new check. Plan,
//! `check` and the build leave the second alone.

use std::path::Path;

use crate::fixture::{self, Fixture};

const INITIAL: &str = "migration initial {
  create table notes {
    tenant
    policy all tenant
    title text
    body  text
    check (length(title) < 200)
    check (length(body) < 5000)
  }
}
";

const TABLE: &str = "table notes {
  tenant
  policy all tenant
  title text
  body  text
  check (length(body) < 5000)
}
";

fn workspace(decls: &str, migrations: &[(String, String)]) -> Fixture {
    let mut f = fixture::parse(&format!("// expect: nothing\n{decls}"), "checks");
    for (name, text) in migrations {
        f.files
            .insert(format!("notes/migrations/{name}"), text.clone());
    }
    f
}

/// The next migration plan writes: (file name, text).
fn plan(f: &Fixture) -> (String, String) {
    let c = fixture::compile(f);
    let out = sluice::author::plan(&c, &sluice::author::Options::default());
    assert!(!out.diagnostics.has_errors(), "{:?}", out.diagnostics);
    assert_eq!(out.files.len(), 1, "plan writes one file");
    let file = &out.files[0];
    let name = file.display.rsplit('/').next().unwrap_or_default();
    (name.to_string(), file.text.clone())
}

/// The constraint statements of the last emitted journal file whose name
/// ends in `suffix`.
fn emitted(f: &Fixture, suffix: &str) -> Vec<String> {
    let c = fixture::compile(f);
    let codes = fixture::codes(&c);
    assert!(codes.is_empty(), "check is not clean: {codes:?}");
    let files = sluice::emit::workspace(&c.workspace, Some(Path::new("out"))).expect("emits");
    let (_, text) = files
        .iter()
        .rev()
        .find(|(p, _)| {
            p.parent() == Some(Path::new("out/notes")) && p.to_string_lossy().ends_with(suffix)
        })
        .unwrap_or_else(|| panic!("no file ending in {suffix}"));
    text.lines()
        .filter(|l| l.contains("CONSTRAINT"))
        .map(str::to_string)
        .collect()
}

#[test]
fn dropping_the_first_of_two_unnamed_checks_leaves_the_second_alone() {
    let mut history = vec![("0001_initial.sluice".to_string(), INITIAL.to_string())];
    let (name, text) = plan(&workspace(TABLE, &history));
    assert!(
        text.contains("drop constraint notes_check1") && !text.contains("check2"),
        "{text}"
    );
    let migration = name
        .trim_end_matches(".sluice")
        .split_once('_')
        .expect("NNNN_name")
        .1
        .to_string();
    history.push((name, text));
    history.push((
        "0003_release.sluice".into(),
        format!("migration release_first {{\n  release {migration}\n}}\n"),
    ));
    let contract = emitted(&workspace(TABLE, &history), "_contract.sql");
    assert_eq!(
        contract,
        ["ALTER TABLE \"public\".\"notes\" DROP CONSTRAINT IF EXISTS \"notes_check1\";"]
    );

    // Nothing left to plan: the second check is the declared one.
    let c = fixture::compile(&workspace(TABLE, &history));
    let out = sluice::author::plan(&c, &sluice::author::Options::default());
    assert!(out.files.is_empty(), "plan writes {:?}", out.files);

    // A new unnamed check takes the free name, not the second's.
    let wider = TABLE.replace(
        "  check (length(body) < 5000)\n",
        "  check (length(body) < 5000)\n  check (length(title) < 300)\n",
    );
    let (name, text) = plan(&workspace(&wider, &history));
    assert!(
        text.contains("add check on notes (length(title) < 300)"),
        "{text}"
    );
    history.push((name, text));
    let expand = emitted(&workspace(&wider, &history), "_expand.sql");
    assert_eq!(
        expand,
        ["ALTER TABLE \"public\".\"notes\" ADD CONSTRAINT \"notes_check1\" CHECK (length(title) < 300) NOT VALID;"]
    );

    // Dropping the second later drops it by the name the database knows.
    let (_, text) = plan(&workspace(
        &wider.replace("  check (length(body) < 5000)\n", ""),
        &history,
    ));
    assert!(text.contains("drop constraint notes_check2"), "{text}");
}
