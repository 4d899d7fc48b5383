//! One project through verify: deploy, probe, roll back, apply again.
//!
//! Input: a connection to the project's (empty) database and the files
//! `sluice build` would write for it. Output: the diagnostics found, and
//! counts added to the [`Summary`]. The deploy follows the README's
//! "Deploying": journal entries in order, a `backfill/` script named after
//! a contract entry just before that entry, every other script right after
//! the entry it follows. Rollbacks run newest first; each must give back
//! the catalog as it was before its phase, and applying the phase again
//! must give the catalog after it. A rollback that refuses (an
//! irreversible phase) must touch nothing, and ends the walk back.

use std::path::Path;

use postgres::Client;

use super::judge::{self, Entry};
use super::{isolation, seed, sql, trace, Options, Summary};
use crate::diagnostic::{Code, Diagnostic};
use crate::drizzle::deploy::{steps, Step};
use crate::emit::Files;
use crate::ir::{Project as IrProject, Workspace};
use crate::source::Sources;
use crate::span::Span;

pub struct Project<'a> {
    pub ws: &'a Workspace,
    pub project: &'a IrProject,
    pub files: &'a Files,
    pub dir: &'a Path,
    pub opts: &'a Options,
    pub sources: &'a Sources,
    pub reported: &'a [Diagnostic],
    /// For the scripts, each on a session of its own.
    pub config: &'a postgres::Config,
    /// Roll every phase back at the end (another project shares the database).
    pub leave_empty: bool,
}

impl Project<'_> {
    fn file(&self, rel: &str) -> Option<&String> {
        self.files.get(&self.dir.join(rel))
    }

    /// The step of journal entry `k` that names most of the objects in the
    /// first line of a catalog difference; else its migration.
    fn step_span(&self, k: usize, tag: &str, diff: &str) -> Span {
        let first = diff.lines().next().unwrap_or("");
        let words: Vec<&str> = first
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .collect();
        // Shaped like a statement: each name quoted, as the mapping reads them.
        let text = format!("-- Difference -\n\"{}\"", words.join("\" \""));
        let entry = Entry {
            project: self.project,
            phase: (!self.project.phases.is_empty()).then_some(k),
            tag,
        };
        judge::span_of(&entry, &text, self.sources).unwrap_or_else(|| self.phase_span(k))
    }

    /// The span of the migration behind journal entry `k`.
    fn phase_span(&self, k: usize) -> Span {
        let p = self.project;
        p.phases
            .get(k)
            .map_or(p.span, |ph| p.migrations[ph.migration].span)
    }
}

pub fn catalog(client: &mut Client) -> Result<Vec<String>, postgres::Error> {
    Ok(client
        .query(&sql::fixed("catalog"), &[])?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

/// Lines of `a` missing from `b` (`-`) and of `b` missing from `a` (`+`).
fn difference(a: &[String], b: &[String]) -> String {
    let mut out: Vec<String> = a
        .iter()
        .filter(|l| !b.contains(l))
        .map(|l| format!("- {l}"))
        .chain(
            b.iter()
                .filter(|l| !a.contains(l))
                .map(|l| format!("+ {l}")),
        )
        .collect();
    let more = out.len().saturating_sub(6);
    out.truncate(6);
    if more > 0 {
        out.push(format!("… and {more} more"));
    }
    out.join("\n")
}

pub fn project(
    client: &mut Client,
    pr: &Project,
    summary: &mut Summary,
    progress: &dyn Fn(&str),
) -> Vec<Diagnostic> {
    match run(client, pr, summary, progress) {
        Ok(d) => d,
        Err(e) => vec![Diagnostic::error(
            Code::DeployFailed,
            format!("project `{}`: the server failed: {}", pr.project.name, trace::describe(&e)),
        )
        .at(pr.project.span)
        .help("the connection or a query of verify itself failed; run again, and report it if it repeats")],
    }
}

fn run(
    client: &mut Client,
    pr: &Project,
    summary: &mut Summary,
    progress: &dyn Fn(&str),
) -> Result<Vec<Diagnostic>, postgres::Error> {
    let p = pr.project;
    let mut out = Vec::new();
    let tags = crate::drizzle::journal_tags_of(pr.files, pr.dir);
    let rel: Vec<String> = pr
        .files
        .keys()
        .filter_map(|k| Some(k.strip_prefix(pr.dir).ok()?.to_str()?.to_string()))
        .collect();
    let scripts = steps(rel.iter().map(String::as_str));
    let tenant = p.tenancy.as_ref().map(|t| t.column.as_str());
    let mut before_cat = Vec::new();
    for (k, tag) in tags.iter().enumerate() {
        if k > 0 {
            progress(&format!(
                "{}: seeding {} rows per table",
                p.name, pr.opts.rows
            ));
            let (_, unfilled) = seed::seed(client, tenant, pr.opts.rows)?;
            for u in unfilled {
                out.push(unfilled_table(p, &u, tag));
            }
        }
        before_cat.push(catalog(client)?);
        progress(&format!("{}: applying {tag}", p.name));
        if let Err(d) = apply(client, pr, &scripts, k, tag, summary, &mut out)? {
            out.push(d);
            return Ok(out);
        }
    }
    // The probes need rows of both orgs in every table, the new ones too.
    progress(&format!(
        "{}: seeding {} rows per table",
        p.name, pr.opts.rows
    ));
    let (orgs, unfilled) = seed::seed(client, tenant, pr.opts.rows)?;
    for u in unfilled {
        let known = out.iter().any(|d| {
            d.code == Code::SeedFailed && d.message.starts_with(&format!("`{}`", u.table))
        });
        if !known {
            out.push(unfilled_table(p, &u, "the probes"));
        }
    }
    let after = catalog(client)?;
    for line in after
        .iter()
        .filter(|l| l.starts_with("index ") && l.ends_with("valid=false"))
    {
        out.push(
            Diagnostic::error(Code::InvalidIndexLeft, format!("the deploy left an invalid index: {line}"))
                .at(p.span)
                .help("a `CREATE INDEX CONCURRENTLY` failed part way; the backfill script must drop it and build it again"),
        );
    }
    for line in after
        .iter()
        .filter(|l| l.starts_with("constraint ") && l.ends_with("valid=false"))
    {
        out.push(
            Diagnostic::warning(Code::NotValidConstraintLeft, format!("the deploy left a constraint `NOT VALID`: {line}"))
                .at(p.span)
                .help("expected while its contract phase is pending; release the contract in a later migration so it is validated"),
        );
    }
    let state = p.phases.last().map_or(p, |ph| &ph.state);
    let roles: Vec<&crate::ir::Role> = pr.ws.roles.iter().filter(|r| !r.owns_schema).collect();
    progress(&format!(
        "{}: probing tenant isolation as {} role{}",
        p.name,
        roles.len(),
        if roles.len() == 1 { "" } else { "s" }
    ));
    let probed = isolation::probe(client, state, &roles, &orgs)?;
    summary.probes += probed.probes;
    summary.leaks += probed.leaks.len();
    out.extend(probed.leaks);
    let mut from = 0;
    for k in (0..tags.len()).rev() {
        let Some(text) = pr.file(&format!("rollback/{}.sql", tags[k])) else {
            from = k + 1;
            break;
        };
        progress(&format!("{}: rolling back {}", p.name, tags[k]));
        let refuses = text.contains("irreversible");
        let now = if refuses {
            catalog(client)?
        } else {
            Vec::new()
        };
        match trace::script(pr.config, text) {
            Ok(()) => {
                summary.rollbacks += 1;
                let got = catalog(client)?;
                if got != before_cat[k] {
                    let diff = difference(&before_cat[k], &got);
                    out.push(
                        Diagnostic::error(
                            Code::RollbackMismatch,
                            format!(
                                "rollback/{}.sql does not restore the catalog as it was before {}:\n{diff}",
                                tags[k], tags[k],
                            ),
                        )
                        .at(pr.step_span(k, &tags[k], &diff))
                        .help("give the raw SQL step an `inverse` that undoes exactly what it does, or mark it `irreversible \"reason\"`"),
                    );
                    return Ok(out);
                }
            }
            Err(f) if refuses => {
                summary.refused += 1;
                if catalog(client)? != now {
                    out.push(
                        Diagnostic::error(
                            Code::RollbackMismatch,
                            format!(
                                "rollback/{}.sql refused ({}) but changed the catalog first",
                                tags[k], f.error
                            ),
                        )
                        .at(pr.phase_span(k))
                        .help("an irreversible rollback must refuse before it touches anything"),
                    );
                    return Ok(out);
                }
                from = k + 1;
                break;
            }
            Err(f) => {
                out.push(
                    Diagnostic::error(
                        Code::DeployFailed,
                        format!("rollback/{}.sql failed: {}", tags[k], f.error),
                    )
                    .at(pr.phase_span(k))
                    .help("the rollback must run on the database its phase left; give the raw SQL step an `inverse` that does"),
                );
                return Ok(out);
            }
        }
    }
    let mut ignored = Vec::new();
    let mut quiet = Summary::default();
    for (k, tag) in tags.iter().enumerate().skip(from) {
        progress(&format!("{}: applying {tag} again", p.name));
        if let Err(d) = apply(client, pr, &scripts, k, tag, &mut quiet, &mut ignored)? {
            out.push(d);
            return Ok(out);
        }
        let want = before_cat.get(k + 1).unwrap_or(&after);
        let got = catalog(client)?;
        if &got != want {
            let diff = difference(want, &got);
            out.push(
                Diagnostic::error(
                    Code::RollbackMismatch,
                    format!("{tag} applied again after its rollback gives another catalog:\n{diff}"),
                )
                .at(pr.step_span(k, tag, &diff))
                .help("the rollback left something behind that the phase does not create again; make the `inverse` undo exactly the step"),
            );
            return Ok(out);
        }
    }
    if pr.leave_empty {
        for tag in tags.iter().rev() {
            if let Some(text) = pr.file(&format!("rollback/{tag}.sql")) {
                let _ = trace::script(pr.config, text);
            }
        }
    }
    Ok(out)
}

/// The warning for a table the seed could not fill before `what`.
fn unfilled_table(p: &IrProject, u: &seed::Unfilled, what: &str) -> Diagnostic {
    Diagnostic::warning(
        Code::SeedFailed,
        format!("`{}` could not be filled with rows before {what}: {}", u.table, u.error),
    )
    .at(p.span)
    .help("what ran next met an empty table there, so a scan, rewrite or leak of it went unseen; give the column a default that meets the check")
}

/// Apply journal entry `k` with its scripts; an `Err` diagnostic stops the project.
fn apply(
    client: &mut Client,
    pr: &Project,
    scripts: &[Step],
    k: usize,
    tag: &str,
    summary: &mut Summary,
    out: &mut Vec<Diagnostic>,
) -> Result<Result<(), Diagnostic>, postgres::Error> {
    let p = pr.project;
    let entry = Entry {
        project: p,
        phase: (!p.phases.is_empty()).then_some(k),
        tag,
    };
    let stem = |s: &Step| {
        s.script
            .trim_start_matches("backfill/")
            .trim_end_matches(".sql")
            .to_string()
    };
    let run_script = |s: &Step| -> Result<(), Diagnostic> {
        let text = pr.file(&s.script).map_or("", String::as_str);
        trace::script(pr.config, text).map_err(|f| {
            Diagnostic::error(
                Code::DeployFailed,
                format!("{} failed on PostgreSQL: {}", s.script, f.error),
            )
            .at(pr.phase_span(k))
            .help("the script runs where `sluice build` says, after its journal entry; fix the step it comes from")
        })
    };
    for s in scripts.iter().filter(|s| stem(s) == tag) {
        if let Err(d) = run_script(s) {
            return Ok(Err(d));
        }
    }
    let before = trace::relations(client)?;
    let text = pr.file(&format!("{tag}.sql")).map_or("", String::as_str);
    match trace::entry(client, text, &before) {
        Ok(observed) => {
            summary.phases += 1;
            summary.statements += observed.len();
            summary.locks += observed.iter().map(|o| o.locks.len()).sum::<usize>();
            summary.rewrites += observed.iter().map(|o| o.rewrote.len()).sum::<usize>();
            out.extend(judge::judge(
                &entry,
                &observed,
                &before,
                pr.opts.lock_budget,
                pr.sources,
                pr.reported,
            ));
        }
        Err(f) => {
            let span = judge::span_of(&entry, &f.text, pr.sources).unwrap_or(p.span);
            return Ok(Err(Diagnostic::error(
                Code::DeployFailed,
                format!("{tag} failed on PostgreSQL: {}", f.error),
            )
            .at(span)
            .help("the server refused this step on a database holding rows; fix the step, or split it into expand, backfill and contract")));
        }
    }
    for s in scripts.iter().filter(|s| {
        s.after.as_deref() == Some(tag) && stem(s) != s.before.clone().unwrap_or_default()
    }) {
        if let Err(d) = run_script(s) {
            return Ok(Err(d));
        }
    }
    Ok(Ok(()))
}
