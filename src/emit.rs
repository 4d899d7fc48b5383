//! Stage 7a, emit: plans → the files of the output folder.
//!
//! Input: the compiled workspace. Output: every file `sluice build` writes,
//! as relative paths (under each project's output folder) and their bytes.
//! Deterministic: the same workspace gives the same bytes on any machine.

mod phases;
mod schedule;
mod subscription;

use std::path::PathBuf;

use crate::ir::{PhaseKind, Project, Workspace};
use crate::plan::phase::REBUILD_INDEX_CONCURRENTLY;
use crate::plan::{self, Key, Stmt};
use crate::render::{self, BREAKPOINT};

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

/// The first journal file: the whole schema of `state` from empty.
fn initial(
    ws: &Workspace,
    p: &Project,
    state: &Project,
    tag: &str,
) -> Result<Vec<(String, String)>, EmitError> {
    initial_files(ws, p, plan::initial(ws, state), tag)
}

/// [`initial`] from the state's plan.
fn initial_files(
    ws: &Workspace,
    p: &Project,
    plan: plan::Plan,
    tag: &str,
) -> Result<Vec<(String, String)>, EmitError> {
    let err = render_err(p);
    let header = render::header(
        "initial",
        minijinja::context! { tag, project => &p.name, database => &p.database, schema => &p.schema },
    )
    .map_err(&err)?;
    let forward = with_preamble(ws, p, plan.forward);
    let up = render::file(&header, &forward).map_err(&err)?;
    let rollback_header = render::header(
        "initial_rollback",
        minijinja::context! { tag, project => &p.name },
    )
    .map_err(&err)?;
    let rollback = in_transaction(with_preamble(ws, p, plan.rollback));
    let down = render::file(&rollback_header, &rollback).map_err(&err)?;
    check_breakpoints(p, &[("migration", &up), ("rollback", &down)])?;
    Ok(vec![
        (format!("{tag}.sql"), up),
        (format!("rollback/{tag}.sql"), down),
    ])
}

/// A later phase: its journal file, its rollback, and for an expand phase
/// the script that runs outside any transaction before the contract.
fn phase_files(
    ws: &Workspace,
    p: &Project,
    tag: &str,
    migration: &str,
    kind: PhaseKind,
    plan: plan::PhasePlan,
) -> Result<Vec<(String, String)>, EmitError> {
    let err = render_err(p);
    let header = render::header(
        "phase",
        minijinja::context! { tag, migration, contract => kind == PhaseKind::Contract },
    )
    .map_err(&err)?;
    let mut forward = plan.forward;
    let script_file = script_path(tag, migration, kind);
    if let Some(guard) = plan::guard::statement(&plan.guards, tag, &script_file) {
        forward.insert(0, guard);
    }
    if forward.is_empty() {
        forward.push(comment_only(&format!(
            "{migration} has no {} statements",
            kind_word(kind)
        )));
    }
    let up = render::file(&header, &with_preamble(ws, p, forward)).map_err(&err)?;
    let mut rollback = Vec::new();
    let concurrent_drops = plan.rollback.iter().any(|s| {
        s.label
            .starts_with(&format!("{} ", plan::phase::DROP_INDEX_CONCURRENTLY))
    });
    let rollback_header = render::header(
        "phase_rollback",
        minijinja::context! { tag, steps => &plan.irreversible, concurrent_drops, rebuilds => rebuilds_concurrently(&plan.rollback), proves_not_null => proves_not_null(&plan.rollback) },
    )
    .map_err(&err)?;
    if !plan.irreversible.is_empty() {
        rollback.push(refuse(tag, &plan.irreversible));
    }
    if plan.irreversible.is_empty() {
        rollback.extend(plan.rollback);
    }
    if rollback.is_empty() {
        rollback.push(comment_only("nothing to undo"));
    }
    let down = render::file(
        &rollback_header,
        &in_transaction(with_preamble(ws, p, rollback)),
    )
    .map_err(&err)?;
    check_breakpoints(p, &[("migration", &up), ("rollback", &down)])?;
    let mut files = vec![
        (format!("{tag}.sql"), up),
        (format!("rollback/{tag}.sql"), down),
    ];
    if !plan.script.is_empty() {
        files.push((
            script_file,
            script(ws, p, tag, kind, &plan.script).map_err(&err)?,
        ));
    }
    Ok(files)
}

fn kind_word(kind: PhaseKind) -> &'static str {
    match kind {
        PhaseKind::Contract => "contract",
        _ => "expand",
    }
}

/// `backfill/<prefix>_<migration>.sql` after an expand phase;
/// `backfill/<contract tag>.sql` before a contract phase.
fn script_path(tag: &str, migration: &str, kind: PhaseKind) -> String {
    match kind {
        PhaseKind::Contract => format!("backfill/{tag}.sql"),
        _ => format!("backfill/{}_{migration}.sql", &tag[..4]),
    }
}

/// The out-of-transaction script: psql in autocommit, every statement
/// restartable.
fn script(
    ws: &Workspace,
    p: &Project,
    tag: &str,
    kind: PhaseKind,
    stmts: &[Stmt],
) -> Result<String, minijinja::Error> {
    let mut out = render::template(
        "scripts/prelude",
        minijinja::context! {
            contract => kind == PhaseKind::Contract,
            tag,
            lock_timeout => format!("{}ms", ws.settings.lock_timeout_ms),
            schema => &p.schema,
            maintenance => crate::plan::MAINTENANCE_SETTING,
        },
    )?;
    out.push('\n');
    for s in stmts {
        out.push('\n');
        out.push_str(&render::statement(s)?);
        out.push('\n');
    }
    Ok(out)
}

/// The first statement of an irreversible rollback: stop before undoing
/// anything, naming what cannot be undone.
fn refuse(tag: &str, steps: &[String]) -> Stmt {
    let message = format!("rollback of {tag} is irreversible: {}", steps.join("; "));
    Stmt::new(
        "scripts/refuse",
        "Irreversible",
        minijinja::context! { message },
        Key::Other("irreversible".into()),
    )
}

/// A rollback is run by hand with psql, outside any migrator: its own
/// transaction makes it all or nothing and lets `SET LOCAL` hold.
fn in_transaction(stmts: Vec<Stmt>) -> Vec<Stmt> {
    let mark = |label: &'static str, commit: bool| {
        Stmt::new(
            "scripts/transaction",
            label,
            minijinja::context! { commit },
            Key::Other(format!("{label};")),
        )
    };
    // Indexes built concurrently are dropped concurrently, which no
    // transaction may hold: first, each on its own.
    // A foreign key a script added on such an index goes before it.
    let (outside, inside): (Vec<Stmt>, Vec<Stmt>) = stmts.into_iter().partition(|s| {
        s.label
            .starts_with(&format!("{} ", plan::phase::DROP_INDEX_CONCURRENTLY))
            || s.label
                .starts_with(&format!("{} ", plan::phase::DROP_FOREIGN_KEY_FIRST))
            || s.label
                .starts_with(&format!("{} ", plan::phase::DROP_INDEX_FIRST))
            || s.label
                .starts_with(&format!("{} ", plan::phase::PROVE_NOT_NULL_FIRST))
    });
    // Indexes dropped concurrently before a contract are built again
    // concurrently: last, each on its own.
    let (after, inside): (Vec<Stmt>, Vec<Stmt>) = inside.into_iter().partition(|s| {
        s.label
            .starts_with(&format!("{REBUILD_INDEX_CONCURRENTLY} "))
    });
    // What locks before the transaction (anything but a concurrent drop)
    // waits for its locks no longer than what runs inside it: the
    // timeouts, for the session.
    let locks = outside.iter().any(|s| {
        !s.label
            .starts_with(&format!("{} ", plan::phase::DROP_INDEX_CONCURRENTLY))
    });
    let mut out: Vec<Stmt> = if !locks {
        Vec::new()
    } else {
        inside
            .iter()
            .filter(|s| {
                s.template == "set"
                    && matches!(s.label.as_str(), "lock_timeout" | "statement_timeout")
            })
            .map(|s| Stmt {
                key: Key::Other(format!("session {}", s.label)),
                ..plan::phase::with(s, "local", false)
            })
            .collect()
    };
    out.extend(outside);
    out.push(mark("BEGIN", false));
    out.extend(inside);
    out.push(mark("COMMIT", true));
    out.extend(after);
    out
}

/// Whether a rollback builds again, concurrently and last, indexes that the
/// script before its phase dropped concurrently.
fn rebuilds_concurrently(rollback: &[Stmt]) -> bool {
    rollback.iter().any(|s| {
        s.label
            .starts_with(&format!("{REBUILD_INDEX_CONCURRENTLY} "))
    })
}

/// Whether a rollback first proves, outside its transaction, the NOT NULL
/// it sets back.
fn proves_not_null(rollback: &[Stmt]) -> bool {
    rollback.iter().any(|s| {
        s.label
            .starts_with(&format!("{} ", plan::phase::PROVE_NOT_NULL_FIRST))
    })
}

fn comment_only(text: &str) -> Stmt {
    Stmt::new(
        "scripts/nothing",
        "Nothing",
        minijinja::context! { text },
        Key::Other("nothing".into()),
    )
}

fn check_breakpoints(p: &Project, texts: &[(&str, &String)]) -> Result<(), EmitError> {
    for (name, text) in texts {
        if contains_inner_breakpoint(text) {
            return Err(EmitError {
                project: p.name.clone(),
                message: format!("the {name} contains `{BREAKPOINT}` inside a statement"),
            });
        }
    }
    Ok(())
}

/// A breakpoint marker that is not on a line of its own would split a
/// statement (e.g. inside a string the user wrote).
fn contains_inner_breakpoint(text: &str) -> bool {
    text.lines()
        .any(|l| l.contains(BREAKPOINT) && l.trim() != BREAKPOINT)
}

/// Timeouts first, so no statement queues behind a lock for long; then the
/// search path that unqualified names in the project's SQL resolve against.
fn with_preamble(ws: &Workspace, p: &Project, stmts: Vec<Stmt>) -> Vec<Stmt> {
    #[derive(serde::Serialize)]
    struct Ctx {
        local: bool,
        name: &'static str,
        value: Option<String>,
        path: Vec<String>,
    }
    let set = |local: bool, name: &'static str, value: Option<String>, path: Vec<String>| {
        Stmt::new(
            "set",
            name,
            Ctx {
                local,
                name,
                value,
                path,
            },
            Key::Other(if local {
                format!("LOCAL {name}")
            } else {
                name.into()
            }),
        )
        .headed("set")
    };
    let ms = |n: u64| Some(format!("{n}ms"));
    let mut path = vec![p.schema.clone(), "public".to_string()];
    path.dedup();
    let mut out = vec![
        set(
            true,
            "lock_timeout",
            ms(ws.settings.lock_timeout_ms),
            Vec::new(),
        ),
        set(
            true,
            "statement_timeout",
            ms(ws.settings.statement_timeout_ms),
            Vec::new(),
        ),
        set(false, "search_path", None, path),
    ];
    out.extend(stmts);
    out
}
