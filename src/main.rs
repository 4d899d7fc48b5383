//! The `sluice` command line: a thin layer over the library's stages.
//!
//! This file holds the commands and their flags; each command runs in a
//! module of its own under `cli/` (or beside this file), sharing the report
//! flags and helpers of [`cli`].

#[macro_use]
mod console;
mod cli;
mod import_cmd;
mod plan_command;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// glibc's allocator took a third of `sluice lint`'s time: a syntax tree
/// is built on one thread and freed on another, which contends on its
/// arena locks, and its small-block bookkeeping costs more than mimalloc's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc commits its arenas eagerly, which doubled the peak memory of
/// `sluice lint`: commit on demand, as glibc did. Freed pages go back to
/// the system after 10 ms: giving them back at once (a delay of 0) cost
/// `sluice lint` a tenth of its CPU time in `madvise` calls and in page
/// faults on memory it took again moments later, for about 1 MiB less peak
/// on the bench corpus. The arena is reserved when mimalloc starts, before
/// `main`, so the options are set by a constructor that runs ahead of
/// mimalloc's (priority 101).
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array.00100"]
static TUNE_ALLOCATOR: extern "C" fn() = tune_allocator;

#[cfg(target_os = "linux")]
extern "C" fn tune_allocator() {
    // SAFETY: plain option setters, which need no initialised allocator;
    // no other thread exists yet.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 10);
    }
}

// `mi_option_arena_eager_commit` and `mi_option_purge_delay` in
// mimalloc.h (the same numbers in its v2 and v3), which the bindings do
// not name.
#[cfg(target_os = "linux")]
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
#[cfg(target_os = "linux")]
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// `sluice build` frees the plans and texts of one phase and makes the
/// next one's moments later, all through the run: pages given back after
/// 10 ms are faulted in again at once. On a 1,000-table workspace they
/// were nearly half of its page faults, and the faults and `madvise`
/// calls a sixth of its CPU time. A build keeps freed pages a second
/// before it gives them back: 6% faster (45% fewer page faults) for 30%
/// more peak memory, still in proportion to the workspace. mimalloc
/// reads the delay each time it schedules a purge, so it can be set once
/// running, before the build starts a thread.
fn keep_freed_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: a plain option setter; no other thread exists yet.
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 1000);
    }
}

// The command modules beside this file reach the shared helpers here.
use cli::{exit_code, guarded, plural, print_report, Format, ReportArgs};

#[derive(Parser)]
#[command(
    name = "sluice",
    version,
    about = "An embedded SQL migration and policy compiler for PostgreSQL"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse, resolve and check a workspace; report every problem.
    Check {
        /// The workspace folder (holds `workspace.sluice`).
        #[arg(default_value = "schemas")]
        workspace: PathBuf,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Compile a workspace and write its migrations and rollback scripts.
    Build {
        /// The workspace folder (holds `workspace.sluice`).
        #[arg(default_value = "schemas")]
        workspace: PathBuf,
        /// Write every project into DIR/<project> instead of the configured folders.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Write nothing; exit 1 if the files on disk differ from what would be written.
        #[arg(long)]
        check: bool,
        /// Write the Drizzle snapshot of every journal entry, not only the newest (what `drizzle-kit up` needs).
        #[arg(long)]
        every_snapshot: bool,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Write each project's next migration from its declarations.
    Plan {
        /// The workspace folder (holds `workspace.sluice`).
        #[arg(default_value = "schemas")]
        workspace: PathBuf,
        /// Plan only this project.
        #[arg(long, value_name = "P")]
        project: Option<String>,
        /// The migration's name (default: derived from the change).
        #[arg(long, value_name = "N")]
        name: Option<String>,
        /// Print the migrations instead of writing them.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Check raw SQL migration files (or folders of them) with the safety rules.
    Lint(cli::args::LintArgs),
    /// Read an existing database into a project of declarations and a baseline migration.
    Import(cli::args::ImportArgs),
    /// Deploy the workspace on a live PostgreSQL and hold it to the rules:
    /// locks, rewrites, tenant isolation, rollbacks.
    Verify(cli::args::VerifyArgs),
    /// Explain a diagnostic code or rule; without CODE, list them all.
    Explain {
        /// A code such as `unknown-column`.
        code: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { workspace, report } => cli::check::run(&workspace, &report),
        Command::Build {
            workspace,
            out,
            check,
            every_snapshot,
            report,
        } => {
            keep_freed_pages();
            let snapshots = if every_snapshot {
                sluice::drizzle::Snapshots::Every
            } else {
                sluice::drizzle::Snapshots::Newest
            };
            cli::build::run(&workspace, (out.as_deref(), snapshots), check, &report)
        }
        Command::Plan {
            workspace,
            project,
            name,
            dry_run,
            report,
        } => plan_command::run(
            &workspace,
            sluice::author::Options { project, name },
            dry_run,
            &report,
        ),
        Command::Lint(args) => cli::lint::run(&args.options(), &args.report),
        Command::Import(args) => {
            import_cmd::import(&args.options(), args.from_drizzle.as_deref(), &args.report)
        }
        Command::Verify(args) => cli::verify::run(&args.options(), &args.report),
        Command::Explain { code } => cli::explain::run(code.as_deref()),
    }
}
