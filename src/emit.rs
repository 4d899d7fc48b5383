//! Stage 7a, emit: plans → the files of the output folder.
//!
//! Input: the compiled workspace. Output: every file `sluice build` writes,
//! as relative paths (under each project's output folder) and their bytes.
//! Deterministic: the same workspace gives the same bytes on any machine.

mod files;
mod phases;
mod schedule;
mod subscription;

use std::path::PathBuf;

use crate::ir::{PhaseKind, Project, Workspace};
use crate::plan;

use files::{initial, phase_files, script_path};

/// The files of one build, keyed by path (project output folder first).
pub use crate::drizzle::Files;

#[derive(Debug)]
pub struct EmitError {
    pub project: String,
    pub message: String,
}

impl std::fmt::Display for EmitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "project `{}`: {}", self.project, self.message)
    }
}

/// Every file of every project. `out` overrides the configured folder.
pub fn workspace(ws: &Workspace, out: Option<&std::path::Path>) -> Result<Files, EmitError> {
    workspace_with(ws, out, crate::drizzle::Snapshots::Newest)
}

/// [`workspace`], with a snapshot for every journal entry when `snapshots`
/// asks for it (else for the newest only, unless the folder has the 1.x
/// layout).
pub fn workspace_with(
    ws: &Workspace,
    out: Option<&std::path::Path>,
    snapshots: crate::drizzle::Snapshots,
) -> Result<Files, EmitError> {
    let mut files = Files::new();
    for p in &ws.projects {
        let dir = match out {
            Some(o) => o.join(&p.name),
            None => PathBuf::from(&p.out),
        };
        let (produced, states) = project_with_states(ws, p)?;
        // The schema the folder builds: that of its last journal entry.
        let last = states.last().map_or(p, |(_, s)| *s);
        files.extend(crate::drizzle::schema_ts::file(ws, p, last, &dir, out));
        let scope = match snapshots {
            crate::drizzle::Snapshots::Every => snapshots,
            crate::drizzle::Snapshots::Newest => snapshots_for(&dir),
        };
        let mut produced = produced;
        // The scripts are sluice's files too: the lock lists them, so a
        // later build may rewrite them when the feed or schedule changes.
        produced.extend(subscription::files(ws, p).map_err(render_err(p))?);
        produced.extend(schedule::files(ws, p).map_err(render_err(p))?);
        let meta = crate::drizzle::meta(ws, p, &produced, &states, scope);
        for (name, text) in produced.into_iter().chain(meta) {
            files.insert(dir.join(name), text);
        }
    }
    Ok(files)
}

pub use crate::drizzle::{JournalStates, ProjectFiles};

/// Which snapshots the project folder `dir` needs: every entry's when it has
/// (or its `package.json` asks for) the 1.x layout, which makes each into
/// its migration folder's snapshot; else only the newest, all drizzle-kit
/// 0.x reads.
fn snapshots_for(dir: &std::path::Path) -> crate::drizzle::Snapshots {
    match crate::drizzle::layout::detect(dir) {
        Ok(Ok(crate::drizzle::layout::Layout::V1)) => crate::drizzle::Snapshots::Every,
        _ => crate::drizzle::Snapshots::Newest,
    }
}

/// The files of one project, relative to its output folder.
pub fn project(ws: &Workspace, p: &Project) -> Result<Vec<(String, String)>, EmitError> {
    Ok(project_with_states(ws, p)?.0)
}

/// The files of one project and, per journal file, the schema after it.
pub fn project_with_states<'p>(
    ws: &Workspace,
    p: &'p Project,
) -> Result<(ProjectFiles, JournalStates<'p>), EmitError> {
    project_with_states_from(ws, p, 0)
}

/// [`project_with_states`] numbering the journal files from `first` on:
/// the entries before them are a history sluice continues.
pub fn project_with_states_from<'p>(
    ws: &Workspace,
    p: &'p Project,
    first: usize,
) -> Result<(ProjectFiles, JournalStates<'p>), EmitError> {
    if p.phases.is_empty() {
        let tag = format!("{first:04}_initial");
        let files = initial(ws, p, p, &tag)?;
        return Ok((files, vec![(tag, p)]));
    }
    // Each journal file's tag: numbered from `first`, baselines skipped.
    let mut idx = first;
    let tags: Vec<Option<String>> = p
        .phases
        .iter()
        .map(|ph| {
            let m = &p.migrations[ph.migration];
            (!m.baseline).then(|| {
                idx += 1;
                format!("{:04}_{}{}", idx - 1, m.name, ph.kind.suffix())
            })
        })
        .collect();
    let planned = phases::plan_all(ws, p, &tags);
    let mut files = Vec::new();
    let mut states = Vec::new();
    let mut scripted = plan::script_guard::Scripted::new();
    for ((ph, tag), outcome) in p.phases.iter().zip(tags).zip(planned) {
        let m = &p.migrations[ph.migration];
        match outcome {
            phases::Outcome::Baseline => continue,
            phases::Outcome::Initial(initial) => files.extend(initial?),
            phases::Outcome::Phase(mut plan) => {
                let tag = tag.as_deref().unwrap_or_default();
                let script = script_path(tag, &m.name, ph.kind);
                plan::script_guard::require(&mut plan, tag, &script, &mut scripted);
                files.extend(phase_files(ws, p, tag, &m.name, ph.kind, plan)?);
            }
        }
        states.push((tag.unwrap_or_default(), &*ph.state));
    }
    Ok((files, states))
}

/// Migrations whose contract phase no migration releases yet, per project.
pub fn pending_contracts(ws: &Workspace) -> Vec<(String, String)> {
    pending_contracts_where(ws, &|p, i| {
        p.phases
            .iter()
            .any(|ph| ph.migration == i && ph.kind == PhaseKind::Contract)
    })
}

/// [`pending_contracts`], told by `released` whether the contract phase of
/// a project's `i`-th migration is released (a workspace compiled without
/// its phases learns it from the journal a build wrote).
pub fn pending_contracts_where(
    ws: &Workspace,
    released: &dyn Fn(&Project, usize) -> bool,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in &ws.projects {
        for (i, m) in p.migrations.iter().enumerate() {
            if i > 0 && crate::lower::has_contract(m) && !released(p, i) {
                out.push((p.name.clone(), m.name.clone()));
            }
        }
    }
    out
}

fn render_err(p: &Project) -> impl Fn(minijinja::Error) -> EmitError + '_ {
    move |e| EmitError {
        project: p.name.clone(),
        message: format!("rendering failed: {e:#}"),
    }
}
