//! Stage 7a, emit: plans → the files of the output folder.
//!
//! Input: the compiled workspace, and the lock of each output folder on
//! disk. Output: every file `sluice build` writes, as relative paths (under
//! each project's output folder) and their bytes. A journal entry whose
//! inputs are those the lock records is kept as on disk ([`reuse`]), not
//! planned again. Deterministic: the same workspace gives the same bytes on
//! any machine, whatever the folder held.

mod entry_key;
mod files;
mod phases;
mod reuse;
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
    Ok(workspace_keeping(ws, out, snapshots)?.0)
}

/// [`workspace_with`], and how many journal entries it kept as an earlier
/// build wrote them (see [`reuse`]) rather than planned.
pub fn workspace_keeping(
    ws: &Workspace,
    out: Option<&std::path::Path>,
    snapshots: crate::drizzle::Snapshots,
) -> Result<(Files, usize), EmitError> {
    // Projects emit apart, on every core; the first error in project
    // order is the one reported, whatever the threads.
    let all: Vec<usize> = (0..ws.projects.len()).collect();
    let done = crate::cores::in_parallel(&all, |i| {
        project_folder(ws, &ws.projects[i], out, snapshots)
    });
    let mut all = Vec::new();
    let mut kept = 0;
    for d in done {
        let (produced, k) = d?;
        all.extend(produced);
        kept += k;
    }
    // A path written twice keeps its last text, as inserting would.
    Ok((all.into_iter().collect(), kept))
}

/// The files of project `p`'s output folder and its `schema_ts` module,
/// and how many journal entries were kept.
fn project_folder(
    ws: &Workspace,
    p: &Project,
    out: Option<&std::path::Path>,
    snapshots: crate::drizzle::Snapshots,
) -> Result<(Vec<(PathBuf, String)>, usize), EmitError> {
    let dir = match out {
        Some(o) => o.join(&p.name),
        None => PathBuf::from(&p.out),
    };
    // The entries the lock on disk records, kept when their inputs and
    // files are as they were.
    let prior = match ws.settings.target {
        crate::ir::Target::Drizzle => reuse::Prior::read(&dir),
        crate::ir::Target::Plain => reuse::Prior::none(),
    };
    let scope = match snapshots {
        crate::drizzle::Snapshots::Every => snapshots,
        crate::drizzle::Snapshots::Newest => snapshots_for(&dir),
    };
    // The newest entry's snapshot is made on a core of its own while the
    // phases are planned: it needs only that entry's schema, and would
    // otherwise be the last thing a build waits for.
    let newest = (scope == crate::drizzle::Snapshots::Newest
        && ws.settings.target == crate::ir::Target::Drizzle)
        .then(|| newest_entry(p, &tags_of(p, 0)));
    let ((mut produced, states, records), speculated) = std::thread::scope(|s| {
        let made = newest.map(|(tag, prev, state)| {
            s.spawn(move || {
                let text =
                    crate::drizzle::newest_snapshot(ws, &p.name, state, (&tag, prev.as_deref()));
                (tag, text)
            })
        });
        let planned = project_keeping(ws, p, 0, &prior);
        let made = made.map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        planned.map(|planned| (planned, made))
    })?;
    let mut files = Vec::new();
    // The schema the folder builds: that of its last journal entry.
    let last = states.last().map_or(p, |(_, s)| *s);
    files.extend(crate::drizzle::schema_ts::file(ws, p, last, &dir, out));
    // The scripts are sluice's files too: the lock lists them, so a
    // later build may rewrite them when the feed or schedule changes.
    produced.extend(subscription::files(ws, p).map_err(render_err(p))?);
    produced.extend(schedule::files(ws, p).map_err(render_err(p))?);
    let known = |tag: &str| {
        let made = || {
            let (t, text) = speculated.as_ref()?;
            (t == tag).then(|| text.clone())
        };
        (records.entries.get(tag))
            .and_then(|e| prior.snapshot(tag, &e.key))
            .or_else(made)
    };
    let recorded = crate::drizzle::Recorded {
        entries: records.entries.clone(),
        hashes: records.hashes,
    };
    let meta = crate::drizzle::meta(ws, p, &produced, &states, scope, (&known, recorded));
    for (name, text) in produced.into_iter().chain(meta) {
        files.push((dir.join(name), text));
    }
    // Sorted here, on the project's core: the build's map is then made
    // from sorted runs in one pass, not by ten thousand insertions.
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok((files, records.kept))
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
    let (files, states, _) = project_keeping(ws, p, first, &reuse::Prior::none())?;
    Ok((files, states))
}

/// The record of every journal entry a build writes, by tag, and how many
/// of them it kept.
#[derive(Default)]
struct Entries {
    entries: std::collections::BTreeMap<String, crate::drizzle::EntryRecord>,
    /// The SHA-256 of the entries' files, by path (see [`reuse::record`]).
    hashes: std::collections::HashMap<String, String>,
    kept: usize,
}

/// [`project_with_states_from`], keeping the entries of `prior` whose
/// inputs are unchanged; also gives the record of every entry, for the
/// lock.
fn project_keeping<'p>(
    ws: &Workspace,
    p: &'p Project,
    first: usize,
    prior: &reuse::Prior,
) -> Result<(ProjectFiles, JournalStates<'p>, Entries), EmitError> {
    if p.phases.is_empty() {
        let tag = format!("{first:04}_initial");
        let files = initial(ws, p, p, &tag)?;
        return Ok((files, vec![(tag, p)], Entries::default()));
    }
    let tags = tags_of(p, first);
    let keys = entry_key::keys(ws, p, &tags);
    let mut kept: Vec<Option<reuse::Kept>> = tags
        .iter()
        .zip(&keys)
        .map(|(tag, key)| prior.take(tag.as_deref()?, key))
        .collect();
    // Debug builds plan the kept entries too, and compare.
    let skip: Vec<bool> = kept
        .iter()
        .map(|k| k.is_some() && !cfg!(debug_assertions))
        .collect();
    let planned = phases::plan_all(ws, p, &tags, &skip);
    // In phase order: a phase's script guard depends on the scripts of
    // the phases before it.
    let mut scripted = plan::script_guard::Scripted::new();
    let mut records = Entries::default();
    let mut steps = Vec::new();
    let mut plans = Vec::new();
    for (j, ((ph, tag), outcome)) in p.phases.iter().zip(tags).zip(planned).enumerate() {
        let m = &p.migrations[ph.migration];
        let Some(tag) = tag else { continue };
        let script = script_path(&tag, &m.name, ph.kind);
        let was = scripted.clone();
        let made = match outcome {
            phases::Outcome::Baseline => continue,
            phases::Outcome::Kept => {
                let k = kept[j].take().expect("a skipped entry is kept");
                records.kept += 1;
                for index in &k.scripted {
                    scripted.insert(plan::Key::Other(index.clone()), script.clone());
                }
                Some(k.files)
            }
            phases::Outcome::Initial(initial) => Some(initial?),
            phases::Outcome::Phase(mut plan) => {
                plan::script_guard::require(&mut plan, &tag, &script, &mut scripted);
                plans.push(std::sync::Mutex::new(Some((j, tag.clone(), plan))));
                None
            }
        };
        steps.push((j, tag, made, scripted_by(&was, &scripted)));
    }
    // The phases' files rendered on every core, taken in phase order.
    let at: Vec<usize> = (0..plans.len()).collect();
    let mut rendered = crate::cores::in_parallel(&at, |i| {
        let taken = plans[i].lock().map(|mut x| x.take());
        let Ok(Some((j, tag, plan))) = taken else {
            unreachable!("each phase is rendered once")
        };
        let ph = &p.phases[j];
        let m = &p.migrations[ph.migration];
        phase_files(ws, p, &tag, &m.name, ph.kind, plan)
    })
    .into_iter();
    let mut files = Vec::new();
    let mut states = Vec::new();
    for (j, tag, made, added) in steps {
        let made = match made {
            Some(files) => files,
            None => rendered.next().expect("one rendering per phase planned")?,
        };
        if let Some(k) = kept[j].take() {
            assert_eq!(
                k.files, made,
                "entry {tag} kept differs from the one planned"
            );
            records.kept += 1;
        }
        if let Some(added) = added {
            records.entries.insert(
                tag.clone(),
                reuse::record(&keys[j], &made, added, &mut records.hashes),
            );
        }
        files.extend(made);
        states.push((tag, &*p.phases[j].state));
    }
    Ok((files, states, records))
}

/// Each phase's journal tag: numbered from `first`, baselines skipped
/// (`None`).
fn tags_of(p: &Project, first: usize) -> Vec<Option<String>> {
    let mut idx = first;
    p.phases
        .iter()
        .map(|ph| {
            let m = &p.migrations[ph.migration];
            (!m.baseline).then(|| {
                idx += 1;
                format!("{:04}_{}{}", idx - 1, m.name, ph.kind.suffix())
            })
        })
        .collect()
}

/// The newest journal entry of `p` (phases tagged `tags`), the entry
/// before it and its schema.
fn newest_entry<'p>(
    p: &'p Project,
    tags: &[Option<String>],
) -> (String, Option<String>, &'p Project) {
    let mut tagged = tags
        .iter()
        .enumerate()
        .filter_map(|(j, t)| Some((j, t.clone()?)));
    let Some((j, tag)) = tagged.next_back() else {
        return ("0000_initial".to_string(), None, p);
    };
    let prev = tagged.next_back().map(|(_, t)| t);
    (tag, prev, &p.phases[j].state)
}

/// The indexes an entry's script added to `now` since `was`, by name;
/// `None` when one is not named by an `index …` key (such an entry is
/// not recorded, and so always planned).
fn scripted_by(
    was: &plan::script_guard::Scripted,
    now: &plan::script_guard::Scripted,
) -> Option<Vec<String>> {
    now.iter()
        .filter(|(k, v)| was.get(*k) != Some(*v))
        .map(|(k, _)| match k {
            plan::Key::Other(name) => Some(name.clone()),
            _ => None,
        })
        .collect()
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
