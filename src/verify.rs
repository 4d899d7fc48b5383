//! `sluice verify`: a deploy proven on a live PostgreSQL.
//!
//! Input: a workspace folder and [`Options`]. Output: a [`Report`] — the
//! compile's diagnostics plus every finding on the server — and a
//! [`Summary`] of what ran. It sits at the top, beside the command line:
//! it uses every stage (compile, emit, lint's splitter) and no stage uses
//! it.
//!
//! Per project, on a throwaway cluster ([`cluster`]) or a scratch database
//! given by URL: every journal entry in deploy order, each in one
//! transaction as drizzle-orm runs it, every out-of-transaction script at
//! its documented place ([`crate::drizzle::deploy`]); before each phase
//! every table holds `rows` rows ([`seed`]); each statement traced
//! ([`trace`]) and judged ([`judge`]); then the cross-tenant probes on the
//! final state ([`isolation`]); then every phase rolled back in reverse
//! order, the catalog compared with the one before that phase, and applied
//! again, compared with the one after it ([`deploy`]).

pub mod cluster;
pub mod deploy;
pub mod isolation;
pub mod judge;
pub mod seed;
pub mod sql;
pub mod trace;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::source::Sources;

#[derive(Debug, Clone)]
pub struct Options {
    pub workspace: PathBuf,
    pub project: Option<String>,
    /// Rows every pre-existing table holds before each phase.
    pub rows: u64,
    /// A scratch database instead of the throwaway cluster.
    pub database: Option<String>,
    pub pg_version: Option<u32>,
    pub pg_bin: Option<PathBuf>,
    pub allow_existing: bool,
    /// The longest an ACCESS EXCLUSIVE lock on a table with rows may be held.
    pub lock_budget: Duration,
}

/// Counts for the closing line.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub projects: usize,
    pub phases: usize,
    pub statements: usize,
    pub locks: usize,
    pub rewrites: usize,
    pub probes: usize,
    pub leaks: usize,
    pub rollbacks: usize,
    pub refused: usize,
    pub seconds: f64,
}

pub struct Report {
    pub sources: Sources,
    pub diagnostics: Diagnostics,
    pub summary: Summary,
}

/// Where the deploy goes.
enum Target {
    Embedded(cluster::Cluster),
    Url(postgres::Config),
}

/// Run verify; `Err` is a failure to even start (an unreadable workspace).
pub fn run(opts: &Options, progress: &dyn Fn(&str)) -> Result<Report, String> {
    let started = Instant::now();
    progress("compiling the workspace");
    let c = crate::compile(&opts.workspace).map_err(|e| e.to_string())?;
    let mut report = Report {
        diagnostics: c.diagnostics,
        sources: c.sources,
        summary: Summary::default(),
    };
    let ws = &c.workspace;
    if let Some(name) = &opts.project {
        if !ws.projects.iter().any(|p| &p.name == name) {
            let names: Vec<&str> = ws.projects.iter().map(|p| p.name.as_str()).collect();
            return Err(format!(
                "no project `{name}` in this workspace; it has {}",
                names.join(", ")
            ));
        }
    }
    if report.diagnostics.has_errors() {
        return Ok(report);
    }
    let root = Path::new("/sluice-verify");
    let files = crate::emit::workspace(ws, Some(root)).map_err(|e| e.to_string())?;
    let target = match &opts.database {
        Some(url) => match url.parse::<postgres::Config>() {
            Ok(c) => Target::Url(c),
            Err(e) => return Err(format!("--database: not a PostgreSQL connection URL: {e}")),
        },
        None => {
            let major = opts.pg_version.unwrap_or(ws.settings.postgres);
            let bin = match cluster::find_bin(opts.pg_bin.as_deref(), Some(major)) {
                Ok(bin) => bin,
                Err(nf) => {
                    report
                        .diagnostics
                        .push(Diagnostic::error(Code::PostgresNotFound, nf.message).help(nf.help));
                    report.diagnostics.finish();
                    return Ok(report);
                }
            };
            progress(&format!(
                "starting PostgreSQL {major} from {}",
                bin.display()
            ));
            match cluster::Cluster::start(&bin) {
                Ok(cl) => Target::Embedded(cl),
                Err(e) => {
                    report.diagnostics.push(
                        Diagnostic::error(Code::PostgresNotFound, e)
                            .help("the server programs were found but the server did not start; the message above is the server's"),
                    );
                    report.diagnostics.finish();
                    return Ok(report);
                }
            }
        }
    };
    let projects: Vec<&crate::ir::Project> = ws
        .projects
        .iter()
        .filter(|p| opts.project.as_ref().is_none_or(|n| &p.name == n))
        .collect();
    for (i, p) in projects.iter().enumerate() {
        let config = match &target {
            Target::Embedded(cl) => {
                let db = format!("verify_{}", i + 1);
                let mut admin = cl
                    .config("postgres")
                    .connect(postgres::NoTls)
                    .map_err(|e| format!("connect to the throwaway server: {e}"))?;
                admin
                    .batch_execute(&sql::render(
                        "create_database",
                        minijinja::context! { name => &db },
                    ))
                    .map_err(|e| format!("create database {db}: {e}"))?;
                cl.config(&db)
            }
            Target::Url(c) => c.clone(),
        };
        let mut client = match config.connect(postgres::NoTls) {
            Ok(c) => c,
            Err(e) => {
                report.diagnostics.push(
                    Diagnostic::error(
                        Code::DeployFailed,
                        format!("could not connect to the database: {}", trace::describe(&e)),
                    )
                    .help("check the URL given to `--database`, or leave it out to verify on a throwaway server"),
                );
                break;
            }
        };
        if matches!(target, Target::Url(_)) && i == 0 && !opts.allow_existing {
            let n = client
                .query(&sql::fixed("user_tables"), &[])
                .map_err(|e| trace::describe(&e))?
                .len();
            if n > 0 {
                report.diagnostics.push(
                    Diagnostic::error(
                        Code::DatabaseNotEmpty,
                        format!("the database given to `--database` already holds {n} tables"),
                    )
                    .help("give verify an empty scratch database (a new Neon branch, `createdb`), or pass `--allow-existing` to deploy on top of what is there"),
                );
                break;
            }
        }
        let last = i + 1 == projects.len() || matches!(target, Target::Embedded(_));
        let found = deploy::project(
            &mut client,
            &deploy::Project {
                ws,
                project: p,
                files: &files,
                dir: &root.join(&p.name),
                opts,
                sources: &report.sources,
                reported: &report.diagnostics.items,
                config: &config,
                leave_empty: !last,
            },
            &mut report.summary,
            progress,
        );
        report.diagnostics.extend(found);
        report.summary.projects += 1;
    }
    if matches!(target, Target::Embedded(_)) {
        progress("stopping the throwaway server");
    }
    drop(target);
    report.diagnostics.finish();
    report.summary.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}
