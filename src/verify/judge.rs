//! Holding what the server did to the verdicts of the safety rules.
//!
//! Input: the [`Observed`] statements of one journal entry, the relations
//! that existed before it, the phase that produced it and the diagnostics
//! `sluice check` reported. Output: diagnostics at the DSL step each
//! offending statement came from — a rewrite of a pre-existing table or
//! index, a scan of a pre-existing table under a lock that blocks writes,
//! an ACCESS EXCLUSIVE lock held past the budget — each under the code of
//! the rule that should have caught it, saying whether `sluice check`
//! reported that step (a forced `unsafe` step warns) or passed it (a false
//! negative of the rules).
//!
//! A statement is mapped back to its step through the names it mentions
//! (its header comment's object, `-- SetNotNull public.notes.title`, and
//! its quoted identifiers): the step of the phase whose text names most of
//! them; failing that, the migration.

use std::time::Duration;

use super::trace::{Observed, Relations};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{PhaseKind, Project};
use crate::source::Sources;
use crate::span::Span;

/// What a journal entry is, for mapping statements back.
pub struct Entry<'a> {
    pub project: &'a Project,
    /// Index into `project.phases`, when the project has a history.
    pub phase: Option<usize>,
    pub tag: &'a str,
}

/// The locks that block writes to a table while they are held.
const BLOCKING: [&str; 4] = [
    "ShareLock",
    "ShareRowExclusiveLock",
    "ExclusiveLock",
    "AccessExclusiveLock",
];

pub fn judge(
    entry: &Entry,
    observed: &[Observed],
    before: &Relations,
    budget: Duration,
    sources: &Sources,
    reported: &[Diagnostic],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for obs in observed {
        let table_of = |oid: i64| {
            before
                .get(&oid)
                .map(|r| if r.kind == "i" { r.table } else { oid })
        };
        let name = |oid: i64| before.get(&oid).map_or("?".to_string(), |r| r.name.clone());
        let mut found: Vec<(Code, String)> = Vec::new();
        let rewritten: Vec<i64> =
            obs.rewrote
                .iter()
                .filter_map(|o| table_of(*o))
                .fold(Vec::new(), |mut v, t| {
                    if !v.contains(&t) {
                        v.push(t);
                    }
                    v
                });
        for t in &rewritten {
            found.push((
                rewrite_code(&obs.text),
                format!(
                    "rewrote `{}` (its file changed) under an ACCESS EXCLUSIVE lock held {} ms",
                    name(*t),
                    obs.held.as_millis()
                ),
            ));
        }
        for (t, rows) in &obs.scanned {
            if rewritten.contains(t) {
                continue;
            }
            let modes: Vec<&str> = obs
                .locks
                .iter()
                .filter(|(o, m)| o == t && BLOCKING.contains(&m.as_str()))
                .map(|(_, m)| m.as_str())
                .collect();
            if let Some(mode) = modes.last() {
                found.push((
                    scan_code(&obs.text),
                    format!(
                        "read {rows} rows of `{}` under {} held {} ms, blocking writes to it",
                        name(*t),
                        lock_name(mode),
                        obs.held.as_millis()
                    ),
                ));
            }
        }
        if found.is_empty() && obs.held > budget {
            for (oid, mode) in &obs.locks {
                if mode == "AccessExclusiveLock" && before.get(oid).is_some_and(|r| r.kind != "i") {
                    found.push((
                        Code::StatementsAfterExclusiveLock,
                        format!(
                            "held an ACCESS EXCLUSIVE lock on `{}` for {} ms, past the budget of {} ms",
                            name(*oid),
                            obs.held.as_millis(),
                            budget.as_millis()
                        ),
                    ));
                }
            }
        }
        if found.is_empty() {
            continue;
        }
        let span = span_of(entry, &obs.text, sources);
        for (code, what) in found {
            let caught = span.is_some_and(|s| {
                reported
                    .iter()
                    .any(|d| d.code == code && d.span.is_some_and(|d| overlaps(d, s)))
            });
            let verdict = if caught {
                "`sluice check` reported this step, as a warning when it is forced `unsafe`"
            } else {
                "`sluice check` passed this step: a false negative of its rules"
            };
            let statement = obs
                .text
                .lines()
                .find(|l| !l.starts_with("--"))
                .unwrap_or("");
            let mut d = Diagnostic::error(
                code,
                format!(
                    "on PostgreSQL, `{statement}` of {} {what}; {verdict}",
                    entry.tag
                ),
            )
            .help(format!(
                "remove `unsafe` from the step to get sluice's online form (see `sluice explain {}`), or keep it only for a table known to stay small",
                code.as_str()
            ));
            if let Some(s) = span {
                d = d.at(s).label("this step");
            }
            out.push(d);
        }
    }
    out
}

fn overlaps(a: Span, b: Span) -> bool {
    a.file == b.file && a.start < b.end.max(b.start + 1) && b.start < a.end.max(a.start + 1)
}

fn lock_name(mode: &str) -> &'static str {
    match mode {
        "ShareLock" => "a SHARE lock",
        "ShareRowExclusiveLock" => "a SHARE ROW EXCLUSIVE lock",
        "ExclusiveLock" => "an EXCLUSIVE lock",
        _ => "an ACCESS EXCLUSIVE lock",
    }
}

fn upper(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

/// The rule that should have caught a rewrite by this statement.
fn rewrite_code(text: &str) -> Code {
    let t = upper(text);
    if t.contains(" TYPE ") {
        Code::ChangingColumnType
    } else if t.contains("ADD COLUMN") {
        Code::AddingVolatileDefault
    } else {
        Code::RewritingTable
    }
}

/// The rule that should have caught a scan under a blocking lock.
fn scan_code(text: &str) -> Code {
    let t = upper(text);
    if t.contains("CREATE UNIQUE INDEX") || t.contains("CREATE INDEX") {
        Code::IndexWithoutConcurrently
    } else if t.contains("SET NOT NULL") {
        Code::SettingNotNull
    } else if t.contains("UNIQUE") || t.contains("PRIMARY KEY") {
        Code::AddingUniqueConstraint
    } else if t.contains("ADD CONSTRAINT") {
        Code::ConstraintMissingNotValid
    } else if t.contains(" TYPE ") {
        Code::ChangingColumnType
    } else {
        Code::RewritingTable
    }
}

/// The DSL step a statement came from: the step of its phase whose text
/// names the table and column of the statement's header comment.
pub fn span_of(entry: &Entry, text: &str, sources: &Sources) -> Option<Span> {
    let p = entry.project;
    let phase = &p.phases[entry.phase?];
    let m = &p.migrations[phase.migration];
    let header = text.lines().next()?.strip_prefix("-- ")?;
    let object = header.split_whitespace().nth(1).unwrap_or("");
    // The names the statement mentions: its header's object and every
    // quoted identifier of its SQL, the schema left out.
    let mut parts: Vec<&str> = object.split('.').collect();
    parts.extend(text.split('"').skip(1).step_by(2));
    parts.retain(|w| *w != p.schema && !w.is_empty());
    parts.sort_unstable();
    parts.dedup();
    let steps: Vec<&crate::ast::Step> = match phase.kind {
        PhaseKind::Initial => m.expand.iter().chain(&m.contract).collect(),
        PhaseKind::Expand => m.expand.iter().collect(),
        PhaseKind::Contract => m.contract.iter().collect(),
    };
    let word = |hay: &str, w: &str| {
        hay.match_indices(w).any(|(i, _)| {
            let before = hay[..i].chars().last();
            let after = hay[i + w.len()..].chars().next();
            let edge = |c: Option<char>| !c.is_some_and(|c| c.is_alphanumeric() || c == '_');
            edge(before) && edge(after)
        })
    };
    let mut best: Option<(usize, Span)> = None;
    for s in steps {
        let t = sources.text(s.span);
        let score: usize = parts.iter().filter(|w| !w.is_empty() && word(t, w)).count();
        if score > 0 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, s.span));
        }
    }
    Some(best.map_or(m.span, |(_, s)| s))
}
