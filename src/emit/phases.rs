//! A project's phases planned on every core.
//!
//! Input: a project with its replayed phases, each phase's journal tag
//! (`None` for a baseline) and whether it is kept from the last build.
//! Output: per phase, in order, what planning it gave: a baseline's
//! nothing, an initial phase's files, a later phase's plan (before its
//! script guard, which depends on the phases before it), or, for a kept
//! one, nothing.
//!
//! A phase's plan depends only on the states on both sides of it and its
//! migration, so runs of consecutive phases are planned on separate
//! threads, each with its own render cache; the plans come back in phase
//! order, so the bytes never depend on the number of threads or on which
//! thread planned what. Within a run, a state planned whole is planned
//! once, as the "after" of its phase and the "before" of the next.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::EmitError;
use crate::ir::{PhaseKind, Project, Workspace};
use crate::plan::{self, PhasePlan, Stmt};
use crate::render;

/// What planning one phase gave.
pub enum Outcome {
    Baseline,
    /// Its files, or why they could not be rendered (reported in phase
    /// order, with the errors of later phases' files).
    Initial(Result<Vec<(String, String)>, EmitError>),
    Phase(PhasePlan),
    /// Not planned: the entry is kept as an earlier build wrote it.
    Kept,
}

/// Consecutive phases one thread plans at a time: long enough that the
/// state planned whole is mostly reused, short enough that the threads
/// finish together.
const RUN: usize = 8;

/// Plan every phase of `p` but those `skip` marks; `tags[i]` is phase
/// `i`'s journal tag.
pub fn plan_all(
    ws: &Workspace,
    p: &Project,
    tags: &[Option<String>],
    skip: &[bool],
) -> Vec<Outcome> {
    let runs = p.phases.len().div_ceil(RUN);
    // Each thread keeps a render cache as large as the project's
    // statements: at most eight, like the parser's and the lowering's.
    let threads = crate::cores::threads().min(8).min(runs);
    let run_of = |r: usize| r * RUN..((r + 1) * RUN).min(p.phases.len());
    if threads <= 1 {
        return plan_run(
            ws,
            p,
            (tags, skip),
            0..p.phases.len(),
            &render::Cache::default(),
        );
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, Vec<Outcome>)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let cache = render::Cache::default();
                    let mut mine = Vec::new();
                    loop {
                        let r = next.fetch_add(1, Ordering::Relaxed);
                        if r >= runs {
                            return mine;
                        }
                        mine.push((r, plan_run(ws, p, (tags, skip), run_of(r), &cache)));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    done.sort_by_key(|(r, _)| *r);
    done.into_iter().flat_map(|(_, planned)| planned).collect()
}

/// Plan the phases of `range`, in order.
fn plan_run(
    ws: &Workspace,
    p: &Project,
    (tags, skip): (&[Option<String>], &[bool]),
    range: Range<usize>,
    cache: &render::Cache,
) -> Vec<Outcome> {
    let text = |s: &Stmt| cache.statement(s).unwrap_or_default();
    // A phase is compared over the tables it touches; when it reaches
    // further, the whole states are, each planned at most once in a run.
    let mut before: Option<(&Project, Option<plan::Planned>)> = range
        .start
        .checked_sub(1)
        .map(|j| (&*p.phases[j].state, None));
    let mut out = Vec::with_capacity(range.len());
    let mut copies = plan::TableCopies::default();
    for j in range {
        let ph = &p.phases[j];
        let m = &p.migrations[ph.migration];
        // A baseline's objects already exist: no file, but the next phase
        // starts from its state.
        let Some(tag) = &tags[j] else {
            before = Some((&ph.state, None));
            out.push(Outcome::Baseline);
            continue;
        };
        if skip[j] {
            before = Some((&ph.state, None));
            out.push(Outcome::Kept);
            continue;
        }
        let mut planned = None;
        match (ph.kind, &mut before) {
            (PhaseKind::Initial, _) | (_, None) => {
                out.push(Outcome::Initial(super::files::initial(
                    ws, p, &ph.state, tag,
                )));
            }
            (kind, Some((b, old))) => {
                // A phase that renames tables starts from them renamed, and
                // is compared over the whole states.
                let renamed = plan::renamed::before(b, m, kind);
                let touched = match renamed {
                    Some(_) => None,
                    None => plan::phase_touched(ws, (b, &ph.state), (m, kind), &text, &mut copies),
                };
                let plan = match (touched, &renamed) {
                    (Some(plan), _) => plan,
                    (None, Some(r)) => {
                        let old = plan::Planned::new(ws, r, &text);
                        let new = plan::Planned::new(ws, &ph.state, &text);
                        let plan = plan::phase_from(ws, (r, &old), (&ph.state, &new), m, kind);
                        planned = Some(new);
                        plan
                    }
                    (None, None) => {
                        let b: &Project = b;
                        let old = old.get_or_insert_with(|| plan::Planned::new(ws, b, &text));
                        let new = plan::Planned::new(ws, &ph.state, &text);
                        let plan = plan::phase_from(ws, (b, old), (&ph.state, &new), m, kind);
                        planned = Some(new);
                        plan
                    }
                };
                out.push(Outcome::Phase(plan));
            }
        }
        before = Some((&ph.state, planned));
    }
    out
}
