//! `check` and `build` against output folders a build wrote from these
//! very sources.
//!
//! Input: the workspace folder (and `build`'s `--out`). Output: its
//! compilation, with the phases of every project whose output folder is
//! not trusted (some checks read the phases, and emitting needs them), and
//! whether every project's folder
//! is still exactly what `sluice build` wrote for the same sources, options
//! and sluice (see [`sluice::drizzle::fingerprint`]): then emitting again
//! and comparing would report nothing and writing would change nothing, so
//! `check` and `build` skip both.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

use sluice::diagnostic::Diagnostic;
use sluice::drizzle::fingerprint::{self, Built};
use sluice::drizzle::release;
use sluice::ir::Project;

use super::{guarded, ReportArgs};

/// A compilation for `check` or `build`.
pub struct Checked {
    pub compilation: sluice::Compilation,
    /// Every project has a folder a build wrote from these sources, and
    /// the release check would report nothing there.
    pub trusted: bool,
    /// Every project was lowered with its phases.
    pub phased: bool,
    /// The folders a build wrote from these sources, by path.
    pub built: BTreeMap<PathBuf, Built>,
    /// The digest of the compiled sources (see
    /// [`fingerprint::sources_digest`]): what a build records.
    pub digest: String,
}

/// What the folders are compared for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `check`: a project without a folder is not compared, though its
    /// phases are still checked.
    Check,
    /// `build`: every folder is written, and a folder is trusted only
    /// while the `schema_ts` module written with it is intact too.
    Build,
}

/// Load and compile the workspace for `check`, lowering the phases of the
/// projects whose folder is not trusted.
pub fn compile(workspace: &Path, report: &ReportArgs) -> Result<Checked, ExitCode> {
    compile_for(workspace, report, None, Purpose::Check)
}

/// Load and compile the workspace, lowering the phases of the projects
/// whose folder (under `out`) is not trusted: a check that reads the
/// phases (a blocking step on a partitioned table, the history's view
/// columns) must see every other project, with or without a folder.
pub fn compile_for(
    workspace: &Path,
    report: &ReportArgs,
    out: Option<&Path>,
    purpose: Purpose,
) -> Result<Checked, ExitCode> {
    let checked = guarded("compiling this workspace", "workspace", report, || {
        let (sources, skipped) = sluice::source::load(workspace)?;
        let digest = fingerprint::sources_digest(&sources);
        let seen: Mutex<BTreeMap<PathBuf, Option<Built>>> = Mutex::default();
        let built = |p: &Project| -> Option<Built> {
            let dir = release::project_dir(p, out);
            let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
            seen.entry(dir.clone())
                .or_insert_with(|| {
                    let expected = fingerprint::input(&digest, &dir);
                    fingerprint::unchanged(&dir, &expected).ok().flatten()
                })
                .clone()
        };
        let needs = |p: &Project| built(p).is_none();
        let mut compilation = sluice::compile_sources_with(sources, &needs);
        compilation
            .diagnostics
            .extend(skipped.into_iter().map(Diagnostic::from));
        compilation.diagnostics.finish();
        let projects = &compilation.workspace.projects;
        let trusted = !projects.is_empty()
            && projects.iter().all(|p| {
                let dir = release::project_dir(p, out);
                built(p).is_some_and(|b| {
                    b.releasable(p, &dir) && (purpose == Purpose::Check || b.module_intact(p, out))
                })
            });
        let phased = projects.iter().all(needs);
        let built = seen
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .filter_map(|(dir, b)| Some((dir, b?)))
            .collect();
        Ok::<_, sluice::source::LoadError>(Checked {
            compilation,
            trusted,
            phased,
            built,
            digest,
        })
    })?;
    Ok(checked)
}
