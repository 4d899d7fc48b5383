//! The `sluice` command line: a thin layer over the library's stages.

#[macro_use]
mod console;
mod import_cmd;
mod plan_command;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use sluice::diagnostic::render::{self, HumanStyle};
use sluice::diagnostic::{Code, Diagnostic, Diagnostics};
use sluice::drizzle::{release, Snapshots};
use sluice::source::Sources;

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
    Lint {
        /// `.sql` files, or folders searched for them.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Target PostgreSQL version (`15`, `14.3`); default: the workspace's, else 15.
        #[arg(long, value_name = "VERSION")]
        pg_version: Option<sluice::lint::PgVersion>,
        /// Every file runs inside one transaction (whatever its runner does).
        #[arg(long)]
        in_transaction: bool,
        /// The migration runner: drizzle, prisma, goose, golang-migrate,
        /// flyway, sqitch or plain; default: detected per file from the layout.
        #[arg(long, value_name = "RUNNER")]
        runner: Option<sluice::lint::Runner>,
        /// The workspace whose `lint { }` settings apply (default: `schemas` when present).
        #[arg(long, value_name = "DIR")]
        workspace: Option<PathBuf>,
        /// A file of `lint { rule = level  exclude "glob" }` blocks.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Run only these rules (repeatable, or comma-separated).
        #[arg(long = "rule", value_name = "RULE")]
        rules: Vec<String>,
        /// Skip these rules (repeatable, or comma-separated).
        #[arg(long = "exclude-rule", value_name = "RULE")]
        exclude_rules: Vec<String>,
        /// Lint only files changed since this git revision (and untracked ones).
        #[arg(long, value_name = "REV")]
        changed_since: Option<String>,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Read an existing database into a project of declarations and a baseline migration.
    Import {
        /// The workspace folder to write into (created when missing).
        #[arg(default_value = "schemas")]
        workspace: PathBuf,
        /// A libpq connection string or `postgres://` URL; the import only reads.
        #[arg(long, value_name = "URL")]
        database: String,
        /// The name of the new project (its folder in the workspace).
        #[arg(long, value_name = "P")]
        project: String,
        /// The schema to read.
        #[arg(long, value_name = "S", default_value = "public")]
        schema: String,
        /// Replace the project folder if it exists.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Deploy the workspace on a live PostgreSQL and hold it to the rules:
    /// locks, rewrites, tenant isolation, rollbacks.
    Verify {
        /// The workspace folder (holds `workspace.sluice`).
        #[arg(default_value = "schemas")]
        workspace: PathBuf,
        /// Verify this project only.
        #[arg(long, value_name = "P")]
        project: Option<String>,
        /// Rows every existing table holds before each phase.
        #[arg(long, value_name = "N", default_value_t = 10_000)]
        rows: u64,
        /// Deploy to this empty scratch database instead of a throwaway server.
        #[arg(long, value_name = "URL")]
        database: Option<String>,
        /// Major version of the throwaway server (default: the workspace's `postgres`).
        #[arg(long, value_name = "V")]
        pg_version: Option<u32>,
        /// The folder of `initdb`, `pg_ctl` and `postgres` (default: `SLUICE_PG_BIN`, `PATH`, `pg_config`, the usual folders).
        #[arg(long, value_name = "DIR")]
        pg_bin: Option<PathBuf>,
        /// Deploy to a `--database` that already holds tables.
        #[arg(long)]
        allow_existing: bool,
        /// Longest an ACCESS EXCLUSIVE lock on a table with rows may be held, in milliseconds.
        #[arg(long, value_name = "MS", default_value_t = 1000)]
        lock_budget: u64,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Explain a diagnostic code or rule; without CODE, list them all.
    Explain {
        /// A code such as `unknown-column`.
        code: Option<String>,
    },
}

#[derive(clap::Args)]
struct ReportArgs {
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit 1 on warnings too.
    #[arg(long)]
    deny_warnings: bool,
    /// Colour in `human` output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
    Github,
    Sarif,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { workspace, report } => check(&workspace, &report),
        Command::Build {
            workspace,
            out,
            check,
            every_snapshot,
            report,
        } => {
            let snapshots = if every_snapshot {
                Snapshots::Every
            } else {
                Snapshots::Newest
            };
            build(&workspace, (out.as_deref(), snapshots), check, &report)
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
        Command::Lint {
            paths,
            pg_version,
            in_transaction,
            runner,
            workspace,
            config,
            rules,
            exclude_rules,
            changed_since,
            report,
        } => {
            let opts = sluice::lint::run::Options {
                paths,
                pg: pg_version,
                in_transaction,
                workspace,
                config,
                rules,
                exclude_rules,
                changed_since,
                runner,
            };
            lint(&opts, &report)
        }
        Command::Import {
            workspace,
            database,
            project,
            schema,
            force,
            report,
        } => {
            let opts = sluice::import::Options {
                database,
                project,
                schema,
                workspace,
                force,
            };
            import_cmd::import(&opts, &report)
        }
        Command::Verify {
            workspace,
            project,
            rows,
            database,
            pg_version,
            pg_bin,
            allow_existing,
            lock_budget,
            report,
        } => {
            let opts = sluice::verify::Options {
                workspace,
                project,
                rows,
                database,
                pg_version,
                pg_bin,
                allow_existing,
                lock_budget: std::time::Duration::from_millis(lock_budget),
            };
            verify(&opts, &report)
        }
        Command::Explain { code } => explain(code.as_deref()),
    }
}

fn verify(opts: &sluice::verify::Options, report: &ReportArgs) -> ExitCode {
    let start = std::time::Instant::now();
    let progress = |line: &str| errln!("verify [{:5.1} s] {line}", start.elapsed().as_secs_f64());
    let run = match std::panic::catch_unwind(|| sluice::verify::run(opts, &progress)) {
        Ok(Ok(run)) => run,
        Ok(Err(e)) => {
            errln!("error: {e}");
            return ExitCode::from(2);
        }
        Err(_) => {
            let d = Diagnostic::error(Code::InternalError, "sluice crashed while verifying").help(
                "this is a bug in sluice; please report it with the workspace that triggers it",
            );
            print_report(&Diagnostics { items: vec![d] }, &Sources::default(), report);
            return ExitCode::from(2);
        }
    };
    print_report(&run.diagnostics, &run.sources, report);
    let s = &run.summary;
    let line = format!(
        "verified {} project{} in {:.1} s: {} phase{} applied ({} statement{}), {} lock{} observed, {} rewrite{}, {} probe{} run, {} leak{}, {} rollback{} ({} refused as documented): {} error{}, {} warning{}",
        s.projects,
        plural(s.projects),
        s.seconds,
        s.phases,
        plural(s.phases),
        s.statements,
        plural(s.statements),
        s.locks,
        plural(s.locks),
        s.rewrites,
        plural(s.rewrites),
        s.probes,
        plural(s.probes),
        s.leaks,
        plural(s.leaks),
        s.rollbacks,
        plural(s.rollbacks),
        s.refused,
        run.diagnostics.errors(),
        plural(run.diagnostics.errors()),
        run.diagnostics.warnings(),
        plural(run.diagnostics.warnings()),
    );
    if matches!(report.format, Format::Human) {
        outln!("{line}");
    } else {
        errln!("{line}");
    }
    exit_code(&run.diagnostics, report.deny_warnings)
}

fn lint(opts: &sluice::lint::run::Options, report: &ReportArgs) -> ExitCode {
    let run = match std::panic::catch_unwind(|| sluice::lint::run::run(opts)) {
        Ok(Ok(run)) => run,
        Ok(Err(e)) => {
            errln!("error: {e}");
            return ExitCode::from(2);
        }
        Err(_) => {
            let d = Diagnostic::error(Code::InternalError, "sluice crashed while linting")
                .help("this is a bug in sluice; please report it with the SQL that triggers it");
            print_report(&Diagnostics { items: vec![d] }, &Sources::default(), report);
            return ExitCode::from(2);
        }
    };
    for (file, why) in &run.skipped {
        errln!("note: `{file}` is not linted: {why}");
    }
    let diags = &run.diagnostics;
    print_report(diags, &run.sources, report);
    if matches!(report.format, Format::Human) {
        outln!(
            "linted {} file{}: {} error{}, {} warning{}",
            run.files,
            plural(run.files),
            diags.errors(),
            plural(diags.errors()),
            diags.warnings(),
            plural(diags.warnings()),
        );
    }
    exit_code(diags, report.deny_warnings)
}

/// Compile, printing the report unless `quiet` (the caller then prints it,
/// after adding its own diagnostics); `Err` carries the exit code to stop with.
fn compile(
    workspace: &Path,
    report: &ReportArgs,
    quiet: bool,
    phases: &(dyn Fn(&sluice::ir::Project) -> bool + std::panic::RefUnwindSafe),
) -> Result<sluice::Compilation, ExitCode> {
    let result = std::panic::catch_unwind(|| sluice::compile_where(workspace, phases));
    match result {
        Ok(Ok(c)) => {
            if !quiet {
                print_report(&c.diagnostics, &c.sources, report);
            }
            Ok(c)
        }
        Ok(Err(e)) => {
            errln!("error: {e}");
            Err(ExitCode::from(2))
        }
        Err(_) => {
            let d = Diagnostic::error(
                Code::InternalError,
                "sluice crashed while compiling this workspace",
            )
            .help("this is a bug in sluice; please report it with the workspace that triggers it");
            let diags = Diagnostics { items: vec![d] };
            print_report(&diags, &Sources::default(), report);
            Err(ExitCode::from(2))
        }
    }
}

fn summary(c: &sluice::Compilation) -> String {
    let diags = &c.diagnostics;
    format!(
        "{} project{}, {} table{}, {} migration{}: {} error{}, {} warning{}",
        c.workspace.projects.len(),
        plural(c.workspace.projects.len()),
        c.table_count(),
        plural(c.table_count()),
        c.migration_count(),
        plural(c.migration_count()),
        diags.errors(),
        plural(diags.errors()),
        diags.warnings(),
        plural(diags.warnings()),
    )
}

fn check(workspace: &Path, report: &ReportArgs) -> ExitCode {
    // Only settling against an output folder emits, and emitting needs
    // the phases: a project without a folder is compiled without them.
    let has_folder = |p: &sluice::ir::Project| release::project_dir(p, None).exists();
    let mut c = match compile(workspace, report, true, &has_folder) {
        Ok(c) => c,
        Err(code) => return code,
    };
    // Released files in an existing output folder bind the workspace too.
    let folders: Vec<bool> = c.workspace.projects.iter().map(has_folder).collect();
    let any_folder = folders.contains(&true);
    if !c.diagnostics.has_errors() && any_folder && folders.contains(&false) {
        // Settling emits every project: the ones without a folder need
        // their phases too (rare: a project added since the last build).
        c = match compile(workspace, report, true, &|_| true) {
            Ok(c) => c,
            Err(code) => return code,
        };
    }
    let mut _held = None;
    if !c.diagnostics.has_errors() && any_folder {
        if interrupted(&c, None) {
            match lock(&mut c, None) {
                Ok(held) => _held = held,
                Err(code) => return code,
            }
        }
        if !c.diagnostics.has_errors() {
            if let Err(code) = settle(&mut c, None) {
                return code;
            }
        }
    }
    print_report(&c.diagnostics, &c.sources, report);
    if matches!(report.format, Format::Human) {
        outln!("checked {}", summary(&c));
    }
    exit_code(&c.diagnostics, report.deny_warnings)
}

/// Emit the workspace and settle it against the output folders on disk:
/// the files to write, with release diagnostics added to `c`.
fn settle(
    c: &mut sluice::Compilation,
    out: Option<&Path>,
) -> Result<sluice::emit::Files, ExitCode> {
    let files = emit(c, out, Snapshots::Newest)?;
    settle_files(c, out, files, Snapshots::Newest)
}

fn emit(
    c: &sluice::Compilation,
    out: Option<&Path>,
    snapshots: Snapshots,
) -> Result<sluice::emit::Files, ExitCode> {
    sluice::emit::workspace_with(&c.workspace, out, snapshots).map_err(|e| {
        errln!("error: {e}");
        ExitCode::from(2)
    })
}

/// Settle emitted files against the output folders on disk.
fn settle_files(
    c: &mut sluice::Compilation,
    out: Option<&Path>,
    files: sluice::emit::Files,
    snapshots: Snapshots,
) -> Result<sluice::emit::Files, ExitCode> {
    let ws = &c.workspace;
    let reemit: sluice::drizzle::Reemit = &|p, first| {
        sluice::emit::project_with_states_from(ws, p, first)
            .map_err(|e| std::io::Error::other(e.to_string()))
    };
    match release::settle(c, out, files, reemit, snapshots) {
        Ok(settled) => {
            c.diagnostics.extend(settled.diagnostics);
            c.diagnostics.finish();
            Ok(settled.files)
        }
        Err(e) => {
            errln!("error: reading the output folder failed: {e}");
            Err(ExitCode::from(2))
        }
    }
}

fn build(
    workspace: &Path,
    (out, snapshots): (Option<&Path>, Snapshots),
    check_only: bool,
    report: &ReportArgs,
) -> ExitCode {
    let mut c = match compile(workspace, report, true, &|_| true) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let human = matches!(report.format, Format::Human);
    // Held until the files are in place: no other build reads or writes
    // these folders meanwhile.
    let mut _held = None;
    let files = if c.diagnostics.has_errors() {
        None
    } else {
        let prepared = emit(&c, out, snapshots)
            .and_then(|files| guard(&mut c, out, files, check_only))
            .and_then(|files| {
                if (!check_only || interrupted(&c, out)) && !c.diagnostics.has_errors() {
                    _held = lock(&mut c, out)?;
                }
                Ok(files)
            });
        match prepared.and_then(|files| {
            if c.diagnostics.has_errors() {
                Ok(files)
            } else {
                settle_files(&mut c, out, files, snapshots)
            }
        }) {
            Ok(files) => Some(files),
            Err(code) => {
                print_report(&c.diagnostics, &c.sources, report);
                return code;
            }
        }
    };
    print_report(&c.diagnostics, &c.sources, report);
    let Some(files) = files.filter(|_| !c.diagnostics.has_errors()) else {
        if human {
            outln!("not built, nothing written: {}", summary(&c));
        }
        return ExitCode::from(1);
    };
    if check_only {
        return match sluice::write::stale(&files) {
            Ok(stale) if stale.is_empty() => {
                if human {
                    outln!("up to date: {} files", files.len());
                }
                exit_code(&c.diagnostics, report.deny_warnings)
            }
            Ok(stale) => {
                for path in &stale {
                    outln!("stale: {}", path.display());
                }
                outln!(
                    "{} file{} differ from what `sluice build` would write",
                    stale.len(),
                    plural(stale.len())
                );
                ExitCode::from(1)
            }
            Err(e) => {
                errln!("error: {e}");
                ExitCode::from(2)
            }
        };
    }
    if let Err(e) = sluice::write::write(&files) {
        errln!("error: writing the output failed, nothing was changed: {e}");
        return ExitCode::from(2);
    }
    if human {
        for path in files.keys() {
            outln!("wrote {}", path.display());
        }
        print_deploy_steps(&c, out, &files);
        print_pending_contracts(&c);
        outln!("built {}", summary(&c));
    }
    exit_code(&c.diagnostics, report.deny_warnings)
}

/// Refuse output folders that hold the workspace or files in the way.
fn guard(
    c: &mut sluice::Compilation,
    out: Option<&Path>,
    files: sluice::emit::Files,
    check_only: bool,
) -> Result<sluice::emit::Files, ExitCode> {
    if check_only {
        return Ok(files);
    }
    match sluice::write::guard::check(c, out, &files) {
        Ok(found) => {
            c.diagnostics.extend(found);
            c.diagnostics.finish();
            Ok(files)
        }
        Err(e) => {
            errln!("error: reading the output folder failed: {e}");
            Err(ExitCode::from(2))
        }
    }
}

/// Whether a killed build left a project folder to recover.
fn interrupted(c: &sluice::Compilation, out: Option<&Path>) -> bool {
    c.workspace
        .projects
        .iter()
        .map(|p| release::project_dir(p, out))
        .any(|d| sluice::write::leftovers(&d))
}

/// Take the lock of every project folder (and put back what a killed
/// build left there); a busy folder is reported.
fn lock(
    c: &mut sluice::Compilation,
    out: Option<&Path>,
) -> Result<Option<sluice::write::lock::Held>, ExitCode> {
    use sluice::write::lock::{acquire, LockError};
    let dirs: Vec<PathBuf> = c
        .workspace
        .projects
        .iter()
        .map(|p| release::project_dir(p, out))
        .collect();
    match acquire(dirs.iter().map(PathBuf::as_path)) {
        Ok(held) => {
            match sluice::write::recover_all(dirs.iter().map(PathBuf::as_path)) {
                Ok(()) => Ok(Some(held)),
                Err(e) => {
                    errln!("error: recovering the output folder after an interrupted build failed: {e}");
                    Err(ExitCode::from(2))
                }
            }
        }
        Err(LockError::Busy(path)) => {
            c.diagnostics.extend([Diagnostic::error(
                Code::OutputFolderBusy,
                format!(
                    "another `sluice build` holds `{}` and did not finish within {} seconds",
                    path.display(),
                    sluice::write::lock::WAIT.as_secs()
                ),
            )
            .help("wait for the other build to finish, then build again")]);
            c.diagnostics.finish();
            Ok(None)
        }
        Err(LockError::Io(e)) => {
            errln!("error: locking the output folder failed: {e}");
            Err(ExitCode::from(2))
        }
    }
}

/// The scripts drizzle's single transaction cannot hold, and where each
/// goes between the journal entries.
fn print_deploy_steps(c: &sluice::Compilation, out: Option<&Path>, files: &sluice::emit::Files) {
    let mut lines = Vec::new();
    for p in &c.workspace.projects {
        let dir = release::project_dir(p, out);
        let rel: Vec<&str> = files
            .keys()
            .filter_map(|path| path.strip_prefix(&dir).ok()?.to_str())
            .collect();
        let shown = dir.display().to_string();
        for step in sluice::drizzle::deploy::steps(rel) {
            lines.push(format!("  {}: {}", p.name, step.describe(&shown)));
        }
    }
    if !lines.is_empty() {
        outln!(
            "run these yourself: drizzle applies every pending journal entry in one transaction, \
             and these scripts cannot run inside it:"
        );
        for line in lines {
            outln!("{line}");
        }
    }
}

/// Contract phases no migration releases yet: what the team does next.
fn print_pending_contracts(c: &sluice::Compilation) {
    let pending = sluice::emit::pending_contracts(&c.workspace);
    if pending.is_empty() {
        return;
    }
    outln!(
        "pending contract phases: release each with `release NAME` in a later migration once no deployed app version needs the old shape:"
    );
    for (project, migration) in pending {
        outln!("  {project}: {migration}");
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn exit_code(diags: &Diagnostics, deny_warnings: bool) -> ExitCode {
    if diags.has_errors() || (deny_warnings && diags.warnings() > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_report(diags: &Diagnostics, sources: &Sources, report: &ReportArgs) {
    let text = match report.format {
        Format::Human => {
            let tty = std::io::stdout().is_terminal();
            let color = match report.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => tty && std::env::var_os("NO_COLOR").is_none(),
            };
            let style = HumanStyle {
                color,
                unicode: color,
                width: 100,
            };
            render::human(diags, sources, style)
        }
        Format::Json => render::json(diags, sources),
        Format::Github => render::github(diags, sources),
        Format::Sarif => render::sarif(diags, sources),
    };
    console::out(&text);
}

fn explain(code: Option<&str>) -> ExitCode {
    match code {
        None => {
            let width = Code::ALL
                .iter()
                .map(|c| c.as_str().len())
                .max()
                .unwrap_or(0);
            for c in Code::ALL {
                outln!(
                    "{:width$}  {:7}  {}",
                    c.as_str(),
                    c.default_severity().as_str(),
                    c.summary()
                );
            }
            ExitCode::SUCCESS
        }
        Some(id) => match id.parse::<Code>() {
            Ok(c) => {
                outln!(
                    "{} ({})\n\n{}\n\n{}",
                    c.as_str(),
                    c.default_severity().as_str(),
                    c.summary(),
                    c.explain().trim_end()
                );
                ExitCode::SUCCESS
            }
            Err(()) => {
                let ids: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
                match sluice::suggest::did_you_mean(id, ids) {
                    Some(s) => errln!("error: no rule or code `{id}`; did you mean `{s}`?"),
                    None => {
                        errln!("error: no rule or code `{id}`; run `sluice explain` for the list")
                    }
                }
                ExitCode::from(2)
            }
        },
    }
}
