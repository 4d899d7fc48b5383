//! Fixture workspaces written as one file.
//!
//! A fixture is a `.sluice` file whose first line is `// expect: code, …`
//! (or `// expect: nothing`). Its body is `notes/notes.sluice` of a small
//! base workspace (a `workspace.sluice` with conventions, tenancy and roles,
//! and a `notes` project). Lines `=== path` start further files, replacing
//! base files of the same path.

use std::collections::BTreeMap;
use std::path::Path;

use sluice::diagnostic::render::{self, HumanStyle};
use sluice::source::{FileKind, SourceFile, Sources};
use sluice::Compilation;

const BASE_WORKSPACE: &str = r#"workspace test {
  out "drizzle"
  postgres 16
}

conventions {
  primary_key id uuid default gen_random_uuid()
  timestamps created_at, updated_at, deleted_at
}

tenancy {
  column org_id uuid
  org_from setting app.current_org_id
  user_from setting app.current_user_id
}

role service_rw { login connection_limit 25 runtime grant select, insert, update, delete on tables }
role migration_user { login connection_limit 2 owns schema }
"#;

const BASE_PROJECT: &str = r#"project notes {
  database notes
  schema public
  app "notes"
  app_roles from setting app.current_app_role
}
"#;

pub struct Fixture {
    pub expect: Vec<String>,
    pub files: BTreeMap<String, String>,
}

pub fn read(path: &Path) -> Fixture {
    let text = std::fs::read_to_string(path).expect("fixture is readable");
    parse(&text, &path.display().to_string())
}

/// A fixture from its text; `name` is for messages.
pub fn parse(text: &str, name: &str) -> Fixture {
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let expect = first
        .strip_prefix("// expect:")
        .unwrap_or_else(|| panic!("{name} must start with `// expect: …`"))
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty() && s != "nothing")
        .collect();
    let mut files = BTreeMap::new();
    files.insert("workspace.sluice".to_string(), BASE_WORKSPACE.to_string());
    files.insert("notes/project.sluice".to_string(), BASE_PROJECT.to_string());
    let mut current = "notes/notes.sluice".to_string();
    let mut body = String::new();
    for line in rest.split_inclusive('\n') {
        if let Some(name) = line.strip_prefix("=== ") {
            files.insert(std::mem::take(&mut current), std::mem::take(&mut body));
            current = name.trim().to_string();
        } else {
            body.push_str(line);
        }
    }
    files.insert(current, body);
    files.retain(|_, v| !v.trim().is_empty());
    Fixture { expect, files }
}

pub fn compile(f: &Fixture) -> Compilation {
    let mut sources = Sources::new("ws");
    for (name, text) in &f.files {
        let parts: Vec<&str> = name.split('/').collect();
        let kind = match parts.as_slice() {
            [_] => FileKind::Workspace,
            [p, _] => FileKind::Project(p.to_string()),
            [p, "migrations", _] => FileKind::Migration(p.to_string()),
            _ => FileKind::Ignored,
        };
        sources.add(SourceFile::new(format!("ws/{name}"), text.clone(), kind));
    }
    sluice::compile_sources(sources)
}

pub fn render(c: &Compilation) -> String {
    render::human(&c.diagnostics, &c.sources, HumanStyle::plain())
}

/// `f` compiled, checked to report exactly the codes it expects, and
/// emitted under `out/`: a lookup of its files by path inside `out/`.
pub fn emitted(f: &Fixture) -> impl Fn(&str) -> String {
    let c = compile(f);
    assert_eq!(codes(&c), f.expect, "{}", render(&c));
    let files = sluice::emit::workspace(&c.workspace, Some(Path::new("out"))).expect("emits");
    move |path: &str| -> String {
        files
            .get(&Path::new("out").join(path))
            .unwrap_or_else(|| panic!("no {path}"))
            .clone()
    }
}

/// The fixture at `rel` (from the repository root), which must compile
/// without errors, emitted under `out/`: a lookup of its `notes` project's
/// files by path inside `out/notes`, which names the files there on a miss.
pub fn emitted_notes(rel: &str) -> impl Fn(&str) -> String {
    let f = read(&Path::new(env!("CARGO_MANIFEST_DIR")).join(rel));
    let c = compile(&f);
    assert!(!c.diagnostics.has_errors(), "{}", render(&c));
    let files = sluice::emit::workspace(&c.workspace, Some(Path::new("out"))).expect("emits");
    move |rel: &str| -> String {
        files
            .get(&Path::new("out/notes").join(rel))
            .unwrap_or_else(|| panic!("no out/notes/{rel}; have {:?}", files.keys()))
            .clone()
    }
}

pub fn codes(c: &Compilation) -> Vec<String> {
    c.diagnostics
        .items
        .iter()
        .map(|d| d.code.as_str().to_string())
        .collect()
}
