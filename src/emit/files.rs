//! The files of one journal entry: an initial entry's migration and
//! rollback, or a later phase's migration, rollback and out-of-transaction
//! script.
//!
//! Input: a phase's plan (or the whole-schema plan of an initial entry),
//! its tag and migration. Output: the entry's files, as paths relative to
//! the project's output folder and their rendered text.

use crate::ir::{PhaseKind, Project, Workspace};
use crate::plan::phase::REBUILD_INDEX_CONCURRENTLY;
use crate::plan::{self, Key, Stmt};
use crate::render::{self, BREAKPOINT};

use super::{render_err, EmitError};

/// The first journal file: the whole schema of `state` from empty.
pub(super) fn initial(
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
pub(super) fn phase_files(
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
pub(super) fn script_path(tag: &str, migration: &str, kind: PhaseKind) -> String {
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
        .repeated()
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
            .map(|s| {
                plan::phase::with(s, "local", false)
                    .keyed(Key::Other(format!("session {}", s.label)))
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
        .repeated()
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
