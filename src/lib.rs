//! sluice: an embedded SQL migration and policy compiler for PostgreSQL.
//!
//! The pipeline, one module per stage; a module uses its own stage and
//! earlier ones only (`.ci/layers.py` checks it, and that no modules use
//! each other):
//!
//! | stage | module | input → output |
//! |---|---|---|
//! | shared | [`span`], [`source`], [`diagnostic`], [`rules`], [`suggest`], [`quote`], [`digest`], [`pg`], [`cores`] | used by every stage; [`source::load`] reads a workspace folder → [`source::Sources`] |
//! | parse | [`parse`], [`ast`] | one source file → [`ast::File`] |
//! | lower | [`lower`], [`ir`] (with [`ir::names`]) | all syntax trees → [`ir::Workspace`] |
//! | check | [`check`]; [`compile`] here | IR → convention and validity diagnostics, levels applied |
//! | plan | [`plan`] | IR → statements (a template name and a context each); a later phase from the safe recipes in `plan/recipe/` |
//! | lint | [`lint`] | SQL text → safety findings |
//! | render | [`render`] | statements → SQL through the templates under `templates/postgres/` (recipes in `recipes/`, file headers in `headers/`, statement header comments in `labels/`) |
//! | emit | [`emit`], [`drizzle`], [`write`] | a project's SQL files, Drizzle journal and lock; atomic writes |
//! | commands | `main.rs`, `cli` | the CLI: commands and flags in `main.rs`, one module per command under `cli/` |
//!
//! At the top, beside the command line and [`write`]: [`author`] writes the
//! next migration's DSL text from the declarations and the replayed history
//! (`sluice plan`); [`import`] reads a
//! live database into a workspace folder and uses the stages to check it;
//! [`verify`] deploys the emitted files on a live PostgreSQL and judges what
//! the server did.
//!
//! Diagnostics accumulate through every stage; [`compile`] runs load → check and
//! returns everything it found. No input makes it panic.

// Checks that report a diagnostic and then act on the answer read better as
// `if` inside a match arm than as side-effecting match guards.
#![allow(clippy::collapsible_match)]

pub mod ast;
pub mod author;
pub mod check;
pub mod cores;
pub mod diagnostic;
pub mod digest;
pub mod drizzle;
pub mod emit;
pub mod import;
pub mod ir;
pub mod lint;
pub mod lower;
pub mod parse;
pub mod pg;
pub mod plan;
pub mod quote;
pub mod render;
pub mod rules;
pub mod source;
pub mod span;
pub mod suggest;
pub mod verify;
pub mod write;

pub use ir::names;

use std::path::Path;

use diagnostic::{Diagnostic, Diagnostics};
use source::{FileKind, LoadError, Sources};
use span::FileId;

/// The result of compiling a workspace: its sources (for rendering), the
/// resolved model and every diagnostic, sorted.
#[derive(Debug)]
pub struct Compilation {
    pub sources: Sources,
    pub workspace: ir::Workspace,
    pub diagnostics: Diagnostics,
}

impl Compilation {
    pub fn table_count(&self) -> usize {
        self.workspace.projects.iter().map(|p| p.tables.len()).sum()
    }

    pub fn migration_count(&self) -> usize {
        self.workspace
            .projects
            .iter()
            .map(|p| p.migrations.len())
            .sum()
    }
}

/// Load a workspace folder and run every stage on it.
pub fn compile(root: &Path) -> Result<Compilation, LoadError> {
    compile_with(root, true)
}

/// [`compile`]; without `phases` the IR has no [`ir::Phase`]s, at a
/// fraction of the cost for a long history: emitting needs them, the
/// checks that read them (a blocking step on a partitioned table, a view
/// of the history reading a dropped column) report nothing without them,
/// and `schema-drift` loses its "the history last changed it here" label.
pub fn compile_with(root: &Path, phases: bool) -> Result<Compilation, LoadError> {
    compile_where(root, &|_| phases)
}

/// [`compile`], with the phases of the projects `phases` picks only.
pub fn compile_where(
    root: &Path,
    phases: &(dyn Fn(&ir::Project) -> bool + Sync),
) -> Result<Compilation, LoadError> {
    let (sources, load_diags) = source::load(root)?;
    let mut c = compile_sources_with(sources, phases);
    c.diagnostics
        .extend(load_diags.into_iter().map(Diagnostic::from));
    c.diagnostics.finish();
    Ok(c)
}

/// [`compile_where`], keeping the syntax trees: for a caller that compiles
/// the same files again with a few more ([`author::plan_with`] checks its
/// planned files with the rest), parsing only those.
pub fn compile_where_keeping(
    root: &Path,
    phases: &(dyn Fn(&ir::Project) -> bool + Sync),
) -> Result<(Compilation, Parsed), LoadError> {
    let (sources, load_diags) = source::load(root)?;
    let parsed = parse_sources(&sources);
    let mut c = compile_parsed(sources, &parsed, phases);
    c.diagnostics
        .extend(load_diags.into_iter().map(Diagnostic::from));
    c.diagnostics.finish();
    Ok((c, parsed))
}

/// The syntax trees of a workspace's files, and what parsing them
/// reported.
pub struct Parsed {
    files: Vec<(FileId, ast::File)>,
    diagnostics: Vec<Diagnostic>,
}

/// Parse every file of `sources`.
pub fn parse_sources(sources: &Sources) -> Parsed {
    let (files, diagnostics) = parse_all(sources);
    Parsed { files, diagnostics }
}

impl Parsed {
    /// Parse the files of `sources` past the last one parsed (files added
    /// since, as [`source::Sources::add`] appends them).
    pub fn extend(&mut self, sources: &Sources) {
        let next = self.files.last().map_or(0, |(id, _)| id.0 as usize + 1);
        for (id, file) in sources.iter().skip(next) {
            if file.kind == FileKind::Ignored {
                continue;
            }
            let (ast, d) = parse::parse_file(id, file);
            self.files.push((id, ast));
            self.diagnostics.extend(d);
        }
    }
}

/// Lower and check `sources` from their syntax trees.
pub fn compile_parsed(
    sources: Sources,
    parsed: &Parsed,
    phases: &(dyn Fn(&ir::Project) -> bool + Sync),
) -> Compilation {
    let mut diagnostics = Diagnostics::default();
    diagnostics.extend(parsed.diagnostics.iter().cloned());
    let (workspace, lower_diags) = lower::lower_with(&sources, &parsed.files, phases);
    checked(sources, workspace, diagnostics, lower_diags)
}

/// Run parse → lower → check on sources already in memory.
pub fn compile_sources(sources: Sources) -> Compilation {
    compile_sources_with(sources, &|_| true)
}

/// [`compile_sources`], with the phases of the projects `phases` picks only.
pub fn compile_sources_with(
    sources: Sources,
    phases: &(dyn Fn(&ir::Project) -> bool + Sync),
) -> Compilation {
    let mut diagnostics = Diagnostics::default();
    let (files, parse_diags) = parse_all(&sources);
    diagnostics.extend(parse_diags);
    let (workspace, lower_diags) = lower::lower_with(&sources, &files, phases);
    // Nothing reads the syntax trees from here on. Freeing a large
    // workspace's trees takes a tenth of a `check`: a thread of its own
    // does it while the checks run (a process that exits first skips it;
    // where no thread can start, the refused closure frees them here).
    let _ = std::thread::Builder::new().spawn(move || drop(files));
    checked(sources, workspace, diagnostics, lower_diags)
}

/// The checks on a lowered workspace, with what parsing and lowering found.
fn checked(
    sources: Sources,
    workspace: ir::Workspace,
    mut diagnostics: Diagnostics,
    mut lower_diags: Vec<Diagnostic>,
) -> Compilation {
    drop_missing_projects_of_unreadable_folders(&sources, &diagnostics, &mut lower_diags);
    diagnostics.extend(lower_diags);
    check::check(&workspace, &sources, &mut diagnostics);
    diagnostics.finish();
    Compilation {
        sources,
        workspace,
        diagnostics,
    }
}

/// A project folder whose file does not parse (a missing `}`) may hold its
/// `project` declaration in that very file: the syntax error is the
/// problem to report, not a missing project.
fn drop_missing_projects_of_unreadable_folders(
    sources: &Sources,
    parse_diags: &Diagnostics,
    lower_diags: &mut Vec<Diagnostic>,
) {
    let folder_of = |d: &Diagnostic| {
        let file = sources.get(d.span?.file);
        match &file.kind {
            FileKind::Project(p) => Some(p.clone()),
            _ => None,
        }
    };
    let unreadable: Vec<String> = parse_diags
        .items
        .iter()
        .filter(|d| d.code == diagnostic::Code::SyntaxError)
        .filter_map(&folder_of)
        .collect();
    lower_diags.retain(|d| {
        d.code != diagnostic::Code::MissingProject
            || folder_of(d).is_none_or(|f| !unreadable.contains(&f))
    });
}

/// Parse every file that belongs to the layout, in file order. A large
/// workspace is parsed on every core, in runs of files of about equal size;
/// the results join in order, so the output is the same on any machine.
pub fn parse_all(sources: &Sources) -> (Vec<(FileId, ast::File)>, Vec<Diagnostic>) {
    /// Below this many bytes one thread parses everything: starting more
    /// would cost more than they save. A thread starts in tens of
    /// microseconds and parsing runs at about 10 MB/s, so even the bundled
    /// workspace (about 110 KiB) gains from a second core.
    const PARALLEL_FROM: usize = 32 * 1024;
    /// Runs of files per thread.
    const RUNS_PER_THREAD: usize = 8;
    let todo: Vec<(FileId, &source::SourceFile)> = sources
        .iter()
        .filter(|(_, f)| f.kind != FileKind::Ignored)
        .collect();
    let bytes: usize = todo.iter().map(|(_, f)| f.text.len()).sum();
    let threads = cores::threads().min(8);
    let parse_run = |run: &[(FileId, &source::SourceFile)]| {
        let mut files = Vec::with_capacity(run.len());
        let mut diags = Vec::new();
        for &(id, file) in run {
            let (ast, d) = parse::parse_file(id, file);
            files.push((id, ast));
            diags.extend(d);
        }
        (files, diags)
    };
    if threads < 2 || bytes < PARALLEL_FROM {
        return parse_run(&todo);
    }
    // Cut the file list into runs of about equal size, several per
    // thread, which the threads take in turn: files parse at different
    // rates (a table's columns, a migration's steps), so runs of equal
    // bytes, one per thread, leave one thread parsing alone at the end.
    let share = bytes.div_ceil(threads * RUNS_PER_THREAD);
    let mut runs = Vec::with_capacity(threads * RUNS_PER_THREAD);
    let (mut start, mut acc) = (0, 0);
    for (i, (_, f)) in todo.iter().enumerate() {
        acc += f.text.len();
        if acc >= share {
            runs.push(&todo[start..=i]);
            (start, acc) = (i + 1, 0);
        }
    }
    if start < todo.len() {
        runs.push(&todo[start..]);
    }
    let all: Vec<usize> = (0..runs.len()).collect();
    let parsed = cores::in_parallel(&all, |r| parse_run(runs[r]));
    let mut files = Vec::with_capacity(todo.len());
    let mut diags = Vec::new();
    for (f, d) in parsed {
        files.extend(f);
        diags.extend(d);
    }
    (files, diags)
}
