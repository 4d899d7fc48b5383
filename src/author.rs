//! `sluice plan`: write the next migration of each project from its
//! declarations.
//!
//! Input: a [`Compilation`] (declarations, and the tables each project's
//! history replays to). Output: one [`Planned`] migration file per project
//! whose declarations differ from its history — DSL text with `expand` and
//! `contract` steps, each under a comment saying why that recipe — or the
//! diagnostics of the changes whose intent cannot be inferred. A project
//! without migrations gets its initial migration from its declarations.
//! This module sits above every stage: it may use them all, and none uses
//! it.

mod access;
mod enums;
mod feed;
mod initial;
mod name;
mod notes;
mod objects;
mod reads;
mod receive;
mod rename;
mod render;
mod table;
pub mod text;

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::ir::diff::ItemDiff;
use crate::ir::shape::{policy_text, TableShape};
use crate::ir::{Command, Index, Project, Table};
use crate::source::{FileKind, SourceFile, Sources};
use crate::{Compilation, Parsed};

/// One migration file to write.
#[derive(Debug, Clone)]
pub struct Planned {
    pub project: String,
    /// Where it goes.
    pub path: PathBuf,
    /// The path as shown to users (like source file names).
    pub display: String,
    pub text: String,
}

/// What `plan` was asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only this project.
    pub project: Option<String>,
    /// The migration's name; derived from the change when absent.
    pub name: Option<String>,
}

/// The result: the files to write and the problems that stop them.
#[derive(Debug, Default)]
pub struct Outcome {
    pub files: Vec<Planned>,
    pub diagnostics: Diagnostics,
    /// The sources with the planned files added (for rendering diagnostics
    /// that point into them).
    pub sources: Sources,
}

/// Where in its phase a step goes: earlier buckets first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Bucket {
    /// Renames first: a new table may reference a renamed one, or take a
    /// renamed table's old name.
    Rename,
    CreateTable,
    Column,
    Item,
    Policy,
    /// Views and functions: after the tables and columns they read.
    Object,
    /// Dropped views and functions: before the columns and tables they read.
    DropObject,
    DropItem,
    DropColumn,
    DropTable,
}

#[derive(Debug, Clone, serde::Serialize)]
struct Step {
    why: String,
    text: String,
}

/// The steps of one project's next migration, gathered table by table.
#[derive(Debug, Default)]
struct Draft {
    expand: Vec<(Bucket, Step)>,
    contract: Vec<(Bucket, Step)>,
    /// A short name for each change and what its step does, to name the
    /// migration after.
    labels: Vec<(String, name::Subject)>,
    /// The declared table being compared, while it is.
    table: Option<String>,
}

impl Draft {
    fn expand(&mut self, b: Bucket, text: String, why: String, label: String) {
        let subject = name::Subject::of(&text, self.table.as_deref());
        self.expand.push((b, Step { why, text }));
        self.labels.push((label, subject));
    }

    fn contract(&mut self, b: Bucket, text: String, why: String, label: String) {
        let subject = name::Subject::of(&text, self.table.as_deref());
        self.contract.push((b, Step { why, text }));
        self.labels.push((label, subject));
    }

    fn is_empty(&self) -> bool {
        self.expand.is_empty() && self.contract.is_empty()
    }

    fn add_index(&mut self, sources: &Sources, t: &Table, i: &Index) {
        let unique = if i.unique { "unique " } else { "" };
        // A derived index has no text of its own: its keys are columns.
        let (spec, why) = if i.derived {
            let cols: Vec<&str> = i.leading_columns();
            (
                format!("({})", cols.join(", ")),
                "the tenant column's own index, needed once no other index leads with it; built `CONCURRENTLY` by a script",
            )
        } else {
            (
                self::text::index_spec(sources, i),
                "built `CONCURRENTLY` by a script, so writes are never blocked",
            )
        };
        self.expand(
            Bucket::Item,
            format!("add {unique}index on {} {spec}", t.name),
            why.into(),
            format!("add_index_{}", t.name),
        );
    }

    /// Policies are dropped per command, so a command with a policy to
    /// remove has all its declared policies written again after the drop.
    fn policies(&mut self, sources: &Sources, t: &Table, d: &ItemDiff) {
        let mut redo: Vec<Command> = Vec::new();
        for extra in &d.extra {
            let cmd = extra.split(' ').next().unwrap_or_default();
            let Some(c) = Command::parse(cmd) else {
                continue;
            };
            if !redo.contains(&c) {
                redo.push(c);
                self.expand(
                    Bucket::Policy,
                    format!("drop policy on {} {cmd}", t.name),
                    "policies change in one transaction: the drop and its replacements apply together".into(),
                    format!("change_{}_policies", t.name),
                );
            }
        }
        for p in t.policies.iter() {
            for &c in &p.commands {
                let text = policy_text(c, &p.roles, &p.using, p.check.as_ref());
                if !d.missing.contains(&text) && !redo.contains(&c) {
                    continue;
                }
                let step = self::text::policy_step(sources, t, p, c);
                self.expand(
                    Bucket::Policy,
                    step,
                    "a policy takes effect in the migrator's transaction".into(),
                    format!("change_{}_policies", t.name),
                );
            }
        }
    }
}

/// Plan every project (or the one `opts` names).
pub fn plan(c: &Compilation, opts: &Options) -> Outcome {
    plan_with(c, None, opts)
}

/// [`plan`], given the syntax trees `c` was compiled from (see
/// [`crate::compile_where_keeping`]): checking the planned files then
/// parses only them.
pub fn plan_with(c: &Compilation, parsed: Option<Parsed>, opts: &Options) -> Outcome {
    let mut out = Outcome {
        sources: c.sources.clone(),
        ..Outcome::default()
    };
    let mut diags = Vec::new();
    for p in &c.workspace.projects {
        if opts.project.as_ref().is_some_and(|n| *n != p.name) {
            continue;
        }
        let (draft, initial) = if p.migrations.is_empty() {
            (initial::draft(p, &c.sources, &c.workspace.roles), true)
        } else {
            let Some(replayed) = &p.replayed else {
                continue;
            };
            let mut draft = Draft::default();
            let before = diags.len();
            let replayed = &rename::tables(p, replayed, &mut draft);
            let mut new_tables = Vec::new();
            for t in &p.tables {
                match replayed.get(&t.name) {
                    None => new_tables.push(&**t),
                    Some((built, _)) => {
                        draft.table = Some(t.name.clone());
                        table::plan(p, &c.sources, t, built, &mut draft, &mut diags);
                        draft.table = None;
                    }
                }
            }
            for t in &new_tables {
                let columns = TableShape::declared(p, t).columns;
                let vanished = replayed
                    .iter()
                    .find(|(n, (b, _))| p.table(n).is_none() && same_columns(&b.columns, &columns));
                if let Some((old, _)) = vanished {
                    diags.push(
                        Diagnostic::of(
                            Code::PlanPossibleRename,
                            format!("table `{}` appears as `{old}`, with the same columns, disappears: it may be a rename", t.name),
                        )
                        .at(t.name_span)
                        .help(format!("if it is, say so on the declaration: `table {} was {old} {{`; if not, remove `{old}` and plan, then add `{}` and plan again", t.name, t.name)),
                    );
                }
            }
            if let Some(built) = &p.replayed_enums {
                enums::plan(p, &c.sources, built, &mut draft, &mut diags);
            }
            if let Some(built) = &p.replayed_objects {
                objects::plan(p, &c.sources, built, &mut draft, &mut diags);
            }
            if let Some(built) = &p.replayed_access {
                access::plan(p, &c.sources, &c.workspace.roles, built, &mut draft);
                reads::plan(&c.workspace.roles, built, &mut draft);
                feed::plan(p, replayed, built, &mut draft);
                receive::plan(&c.workspace.projects, p, &mut draft);
            }
            initial::create_tables(p, &new_tables, &c.sources, &mut draft);
            for name in replayed.keys().filter(|n| p.table(n).is_none()) {
                draft.contract(
                    Bucket::DropTable,
                    format!("drop table {name}"),
                    "a drop waits for the contract: the running app version may still use it"
                        .into(),
                    format!("drop_{name}"),
                );
            }
            if diags.len() > before {
                continue;
            }
            (draft, false)
        };
        if draft.is_empty() {
            continue;
        }
        let name = opts
            .name
            .clone()
            .unwrap_or_else(|| derive_name(&draft, initial));
        let file = file_for(p, &c.sources, &name);
        let text = render::migration(&file.0, &name, draft, initial);
        out.files.push(Planned {
            project: p.name.clone(),
            path: file.1,
            display: file.2,
            text,
        });
    }
    out.diagnostics.extend(diags);
    if !out.files.is_empty() && !out.diagnostics.has_errors() {
        validate(&mut out, opts.project.as_deref(), parsed);
    }
    out.diagnostics.finish();
    out
}

/// The history with the planned files must check clean; otherwise nothing
/// is written and the problems are reported in the planned text. Planning
/// one project, the errors in another project's files are that project's
/// to plan (a table published here that the receiving project does not
/// receive yet): `sluice check` still reports them.
///
/// The phases are lowered for the planned projects only: every other
/// project's files are as they were when the workspace was compiled with
/// its phases, and planning stops on any error that compile found.
fn validate(out: &mut Outcome, only: Option<&str>, parsed: Option<Parsed>) {
    let mut sources = out.sources.clone();
    for f in &out.files {
        sources.add(SourceFile::new(
            f.display.clone(),
            f.text.clone(),
            FileKind::Migration(f.project.clone()),
        ));
    }
    // With the phases of the planned projects: some checks read them (a
    // blocking step on a partitioned table, the views of the history).
    let planned: BTreeSet<&str> = out.files.iter().map(|f| f.project.as_str()).collect();
    let phases = |p: &Project| planned.contains(p.name.as_str());
    let c = match parsed {
        Some(mut parsed) => {
            parsed.extend(&sources);
            crate::compile_parsed(sources, &parsed, &phases)
        }
        None => crate::compile_sources_with(sources, &phases),
    };
    let errors: Vec<Diagnostic> = c
        .diagnostics
        .items
        .iter()
        .filter(|d| d.severity == crate::diagnostic::Severity::Error)
        .filter(|d| only.is_none_or(|p| !of_another_project(&c.sources, d, p)))
        .cloned()
        .collect();
    if !errors.is_empty() {
        out.diagnostics.push(
            Diagnostic::of(
                Code::PlanUnsupportedChange,
                "the planned migrations do not pass `sluice check`, so nothing is written",
            )
            .help("the errors below point into the planned text: write those steps by hand, or change the declarations"),
        );
        out.diagnostics.extend(errors);
    }
    out.sources = c.sources;
}

/// Whether `d` points into the files of a project other than `p`.
fn of_another_project(sources: &Sources, d: &Diagnostic, p: &str) -> bool {
    d.span.is_some_and(|s| match &sources.get(s.file).kind {
        FileKind::Project(n) | FileKind::Migration(n) => n != p,
        _ => false,
    })
}

/// `NNNN` after the project's last migration file, the file's path and
/// its display name.
fn file_for(p: &Project, sources: &Sources, name: &str) -> (String, PathBuf, String) {
    let mut last = 0;
    let mut folder_display = None;
    for (_, f) in sources.iter() {
        if f.kind == FileKind::Migration(p.name.clone()) {
            let base = f.name.rsplit('/').next().unwrap_or_default();
            let n: String = base.chars().take_while(char::is_ascii_digit).collect();
            last = last.max(n.parse::<u32>().unwrap_or(0));
            folder_display = f.name.rsplit_once('/').map(|(d, _)| d.to_string());
        }
    }
    let folder_display = folder_display.unwrap_or_else(|| {
        let project_file = &sources.get(p.span.file).name;
        let dir = project_file.rsplit_once('/').map_or("", |(d, _)| d);
        format!("{dir}/migrations")
    });
    let number = format!("{:04}", last + 1);
    let file = format!("{number}_{name}.sluice");
    let path = sources.root.join(&p.name).join("migrations").join(&file);
    (number, path, format!("{folder_display}/{file}"))
}

/// A name from the changes (see [`name`]).
fn derive_name(d: &Draft, initial: bool) -> String {
    if initial {
        return "initial".into();
    }
    name::derive(&d.labels)
}

/// Whether `name` can name a migration (and its file).
pub fn is_valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether two tables have the same columns, built alike (comments and
/// classifications aside: a renamed table may change those too).
fn same_columns(
    a: &std::collections::BTreeMap<String, crate::ir::shape::ColumnShape>,
    b: &std::collections::BTreeMap<String, crate::ir::shape::ColumnShape>,
) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((n, x), (m, y))| n == m && x.same_definition(y))
}
