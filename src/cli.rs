//! What every command shares: the report flags, printing the report, the
//! exit code, and running a library call so that a crash is reported as an
//! `internal-error` diagnostic instead of a panic.
//!
//! Input: a command's flags and the library's results. Output: the report
//! on standard output, and the command's exit code.

pub mod args;
pub mod build;
pub mod check;
pub mod check_folder;
pub mod explain;
pub mod lint;
pub mod output;
pub mod verify;

use std::io::IsTerminal;
use std::panic::UnwindSafe;
use std::path::Path;
use std::process::ExitCode;

use clap::ValueEnum;

use sluice::diagnostic::render::{self, HumanStyle};
use sluice::diagnostic::{Code, Diagnostic, Diagnostics};
use sluice::source::Sources;

#[derive(clap::Args)]
pub struct ReportArgs {
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Colour in `human` output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// Run a library call. An error is printed and exits 2; a panic is
/// reported as `internal-error`, "sluice crashed while {doing}", asking for
/// the {input} that triggers it, and exits 2 too.
pub fn guarded<T, E: std::fmt::Display>(
    doing: &str,
    input: &str,
    report: &ReportArgs,
    call: impl FnOnce() -> Result<T, E> + UnwindSafe,
) -> Result<T, ExitCode> {
    match std::panic::catch_unwind(call) {
        Ok(Ok(t)) => Ok(t),
        Ok(Err(e)) => {
            errln!("error: {e}");
            Err(ExitCode::from(2))
        }
        Err(_) => {
            let d = Diagnostic::error(Code::InternalError, format!("sluice crashed while {doing}"))
                .help(format!(
                    "this is a bug in sluice; please report it with the {input} that triggers it"
                ));
            print_report(&Diagnostics { items: vec![d] }, &Sources::default(), report);
            Err(ExitCode::from(2))
        }
    }
}

/// Compile, printing the report unless `quiet` (the caller then prints it,
/// after adding its own diagnostics); `Err` carries the exit code to stop with.
pub fn compile(
    workspace: &Path,
    report: &ReportArgs,
    quiet: bool,
    phases: &(dyn Fn(&sluice::ir::Project) -> bool + std::panic::RefUnwindSafe + Sync),
) -> Result<sluice::Compilation, ExitCode> {
    let c = guarded("compiling this workspace", "workspace", report, || {
        sluice::compile_where(workspace, phases)
    })?;
    if !quiet {
        print_report(&c.diagnostics, &c.sources, report);
    }
    Ok(c)
}

/// "2 projects, 5 tables, 3 migrations: 0 errors, 1 warning".
pub fn summary(c: &sluice::Compilation) -> String {
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

pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

pub fn exit_code(diags: &Diagnostics, deny_warnings: bool) -> ExitCode {
    if diags.has_errors() || (deny_warnings && diags.warnings() > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

pub fn print_report(diags: &Diagnostics, sources: &Sources, report: &ReportArgs) {
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
        Format::Json => {
            return crate::console::out_with(|w| render::json_to(diags, sources, w));
        }
        Format::Github => render::github(diags, sources),
        Format::Sarif => render::sarif(diags, sources),
    };
    crate::console::out(&text);
}
