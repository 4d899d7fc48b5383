//! `sluice lint PATH...`: find the SQL files, lint each with the right
//! context, and turn findings into diagnostics with levels applied.
//!
//! Input: [`Options`] from the command line. Output: a [`Run`] — the files
//! read (as [`Sources`]), the diagnostics (sorted), and counts — or a
//! usage/I/O error (exit 2). Files are linted in sorted order, one
//! [`Session`] per folder (a Prisma `migrations/` folder is one), so a
//! migrations folder replays in order. How
//! each file runs — its runner, its parts, their transactions, which are
//! rollbacks, whether it runs at all — comes from [`super::runner`]; a file
//! named `*_contract.sql` is a contract phase.

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};

use foldhash::fast::FixedState;
use globset::GlobSet;

use super::ahead::Ahead;
use super::config::{self, Settings};
use super::early::{Early, Stop};
use super::files::{display_name, glob_set};
use super::place::{walk, Place, Walked};
use super::runner::{Layout, Runner};
use super::statement::Remains;
use super::{LintContext, PgVersion, Session};
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::source::{FileKind, SourceFile, Sources};

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub paths: Vec<PathBuf>,
    pub pg: Option<PgVersion>,
    /// Treat every file as run inside one transaction.
    pub in_transaction: bool,
    pub workspace: Option<PathBuf>,
    pub config: Option<PathBuf>,
    /// Only these rules (empty: all).
    pub rules: Vec<String>,
    pub exclude_rules: Vec<String>,
    pub changed_since: Option<String>,
    /// `--runner`; detected per file from the folder layout when `None`.
    pub runner: Option<Runner>,
}

#[derive(Debug)]
pub struct Run {
    pub sources: Sources,
    pub diagnostics: Diagnostics,
    pub files: usize,
    /// Files their runner never runs, and why: not linted.
    pub skipped: Vec<(String, String)>,
}

pub fn run(opts: &Options) -> Result<Run, String> {
    let only = config::rule_codes(&opts.rules)?;
    let skip = config::rule_codes(&opts.exclude_rules)?;
    let mut settings = Settings::default();
    let workspace = opts.workspace.clone().or_else(|| {
        Some(PathBuf::from("schemas")).filter(|p| p.join("workspace.sluice").is_file())
    });
    if let Some(ws) = &workspace {
        config::from_workspace(ws, &mut settings)?;
    }
    let mut sources = Sources::new(".");
    let mut diags = Vec::new();
    if let Some(path) = &opts.config {
        config::from_file(path, &mut sources, &mut settings, &mut diags)?;
    }
    let excludes = glob_set(&settings.excludes)?;
    let base = LintContext {
        pg: opts.pg.or(settings.pg).unwrap_or_default(),
        runtime_roles: settings.runtime_roles.clone(),
        tenant_column: settings.tenant_column.clone().or(Some("org_id".into())),
        ..LintContext::default()
    };
    // The first files are read and parsed while the walk goes on, but not
    // for `--changed-since`, which keeps few of the files walked.
    let helpers = helpers();
    let read_early = helpers > 0 && opts.changed_since.is_none();
    let early = if read_early {
        Early::new(EARLY_FILES, EARLY_BYTES)
    } else {
        Early::new(0, 0)
    };
    let (queue, results) = lint_all(&early, helpers, &excludes, (opts, &base))?;
    let files = &queue.files;
    let mut skipped = Vec::new();
    let mut count = 0;
    // Reserved at once: a corpus can have thousands of findings, and the
    // list would otherwise be copied as it grows.
    diags.reserve(
        results
            .iter()
            .map(|r| match r {
                Some(Linted::Found(_, found, _)) => found.len(),
                _ => 1,
            })
            .sum(),
    );
    for (path, result) in files.iter().zip(results) {
        let name = display_name(path);
        match result {
            Some(Linted::Skipped(why)) => skipped.push((name, why)),
            Some(Linted::NotUtf8) => {
                count += 1;
                let id = sources.add(SourceFile::new(&name, String::new(), FileKind::Sql));
                diags.push(
                    Diagnostic::error(Code::InvalidUtf8, format!("`{name}` is not valid UTF-8"))
                        .at(crate::span::Span::new(id, 0, 0))
                        .help("save the file as UTF-8"),
                );
            }
            Some(Linted::Found(text, found, starts)) => {
                count += 1;
                // A file without findings is never shown: keep its name only.
                let file = if found.is_empty() {
                    SourceFile::new(&name, String::new(), FileKind::Sql)
                } else {
                    SourceFile::with_line_starts(&name, text, FileKind::Sql, starts)
                };
                let id = sources.add(file);
                diags.extend(found.into_iter().map(|f| f.into_diagnostic(id, 0)));
            }
            None => {}
        }
    }
    diags.retain_mut(|d| config::keeps(d, &settings, &only, &skip));
    let mut diagnostics = Diagnostics { items: diags };
    diagnostics.finish();
    Ok(Run {
        sources,
        diagnostics,
        files: count,
        skipped,
    })
}

/// What linting one file gave.
enum Linted {
    /// The text, its findings, and its line starts.
    Found(String, Vec<super::Finding>, Vec<usize>),
    Skipped(String),
    NotUtf8,
}

/// The threads that may help the one judging files.
fn helpers() -> usize {
    crate::cores::threads().saturating_sub(1)
}

/// Files, and bytes of them, read and parsed during the walk at most: a
/// bound on what is held before the first file is judged. The bytes are
/// what binds: a folder of short files (a Prisma history, one folder per
/// migration) takes as long to walk as its first few hundred files take
/// to parse, and the helper should not idle through the rest of the walk.
const EARLY_FILES: usize = 1024;
const EARLY_BYTES: usize = 256 << 10;

/// The files walked, their replay order, and the next ones to prepare:
/// what the helper threads learn once the walk is over.
struct Queue {
    files: Vec<PathBuf>,
    order: Vec<usize>,
    ahead: Ahead<Result<Read, String>>,
    /// The statements judged and not yet freed: freeing a file's syntax
    /// trees took 7% of the judging thread's time, so the helpers
    /// free them, between files, off the path every file waits on.
    spent: Mutex<Vec<Vec<Remains>>>,
}

impl Queue {
    /// Free the statements judged so far (a helper, before its next file).
    fn free_spent(&self) {
        let spent = std::mem::take(&mut *self.spent.lock().unwrap_or_else(|e| e.into_inner()));
        drop(spent);
    }
}

/// Walk, and lint every file in replay order on this thread, one session
/// per folder. Up to `helpers` other threads start with the walk: they
/// read and parse the first files it finds ([`Early`]), then the files
/// next in replay order ([`Ahead`]), so no thread waits for another at
/// the walk's end. The results are in the order of the queue's files,
/// whatever the threads; a file is read once.
fn lint_all(
    early: &Early<Result<Read, String>>,
    helpers: usize,
    excludes: &GlobSet,
    (opts, base): (&Options, &LintContext),
) -> Result<(Arc<Queue>, Vec<Option<Linted>>), String> {
    let pg = base.pg;
    let prepare = |path: &Path| early.take(path).unwrap_or_else(|| read(path, pg));
    let (senders, receivers): (Vec<_>, Vec<_>) =
        (0..helpers).map(|_| mpsc::channel::<Arc<Queue>>()).unzip();
    std::thread::scope(|scope| {
        for rx in receivers {
            let prepare = &prepare;
            scope.spawn(move || {
                early.help(|p| sized(read(p, pg)));
                // No queue comes when the walk failed.
                if let Ok(q) = rx.recv() {
                    q.ahead.help(|p| {
                        q.free_spent();
                        sized(prepare(&q.files[q.order[p]]))
                    });
                }
            });
        }
        let walked = {
            let _stop = Stop(early);
            walk(&opts.paths, opts.changed_since.as_deref(), excludes, |p| {
                early.offer(p)
            })?
        };
        let Walked {
            files,
            mut layout,
            places,
            order,
        } = walked;
        let ahead = Ahead::new(order.len(), AHEAD, AHEAD_BYTES);
        let q = Arc::new(Queue {
            files,
            order,
            ahead,
            spent: Mutex::new(Vec::new()),
        });
        for tx in senders {
            let _ = tx.send(q.clone());
        }
        let mut results: Vec<Option<Result<Linted, String>>> =
            (0..q.files.len()).map(|_| None).collect();
        // Files that share a session (a folder, and the backfill scripts
        // that prepare its migrations) are next to each other in `order`.
        let mut group: Option<PathBuf> = None;
        let mut sessions: Sessions = HashMap::default();
        for (p, &i) in q.order.iter().enumerate() {
            let place = &places[i];
            let key = place.backfill.as_ref().unwrap_or(&place.folder);
            if group.as_ref() != Some(key) {
                sessions.clear();
                group = Some(key.clone());
            }
            let file = q.ahead.take(p, |p| sized(prepare(&q.files[q.order[p]])));
            let mut spent = Vec::new();
            let r = file.and_then(|f| {
                lint_one(
                    &q.files[i],
                    place,
                    f,
                    (opts, base),
                    (&mut layout, &mut sessions),
                    &mut spent,
                )
            });
            results[i] = Some(r);
            if helpers > 0 && !spent.is_empty() {
                q.spent
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(spent);
            }
        }
        let results: Result<Vec<_>, String> = results.into_iter().map(Option::transpose).collect();
        Ok((q, results?))
    })
}

/// The sessions of the files being linted, by their folder's text.
type Sessions = HashMap<OsString, Session, FixedState>;

/// Files read and parsed ahead of the one being judged, at most, and
/// the bytes of them held before no more are started. Files take very
/// unequal times to parse: a window of 8 files left the helper idle
/// behind a run of short ones and the judging thread parsing the long
/// ones itself. 32 files, bounded by 256 KiB of text, cut the median wall
/// time on the bench corpus by 6–9% in alternating runs; 64 files and
/// 1 MiB were no faster and held 1 MiB more at the peak on a loaded machine.
const AHEAD: usize = 32;
const AHEAD_BYTES: usize = 256 << 10;

/// A file read and prepared, or not UTF-8.
enum Read {
    Text(String, super::prepare::Prepared),
    NotUtf8,
}

/// A file read, with its length (what the early budget counts).
fn sized(read: Result<Read, String>) -> (Result<Read, String>, usize) {
    let len = match &read {
        Ok(Read::Text(text, _)) => text.len(),
        _ => 0,
    };
    (read, len)
}

/// Read one file and split and parse it (what needs no session).
fn read(path: &Path, pg: PgVersion) -> Result<Read, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => {
            let prepared = super::prepare::prepare(&text, pg);
            Read::Text(text, prepared)
        }
        Err(_) => Read::NotUtf8,
    })
}

/// Lint one file in its folder's session.
fn lint_one(
    path: &Path,
    place: &Place,
    file: Read,
    (opts, base): (&Options, &LintContext),
    (layout, sessions): (&mut Layout, &mut Sessions),
    spent: &mut Vec<Remains>,
) -> Result<Linted, String> {
    let folder = place.folder.clone();
    let Read::Text(text, prepared) = file else {
        return Ok(Linted::NotUtf8);
    };
    let plan = layout.plan(path, &text, opts.runner, opts.in_transaction);
    if let Some(why) = plan.skipped {
        return Ok(Linted::Skipped(why));
    }
    let cx = LintContext {
        contract_phase: is_contract_phase(path),
        runner: plan.runner,
        ..base.clone()
    };
    let session = sessions
        .entry(folder.into_os_string())
        .or_insert_with(|| Session::new(base.clone()));
    let (found, lines) = session.lint_prepared(&text, prepared, &plan.parts, &cx, spent);
    // A backfill script runs before the migration of its name: what it
    // proves (validated `IS NOT NULL` checks) holds for that migration.
    if let Some(target) = place.backfill.clone() {
        let proven = session.catalog.clone();
        let next = sessions
            .entry(target.into_os_string())
            .or_insert_with(|| Session::new(base.clone()));
        next.catalog.not_null_checks.extend(proven.not_null_checks);
        next.catalog
            .validated_not_null
            .extend(proven.validated_not_null);
    }
    Ok(Linted::Found(text, found, lines.into_starts()))
}

/// A contract phase file (`0005_notes_contract.sql`).
pub fn is_contract_phase(path: &Path) -> bool {
    path.file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| s.ends_with("_contract"))
}

pub use super::runner::is_rollback;

#[cfg(test)]
mod tests;
