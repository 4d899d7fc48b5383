//! The `sluice` command line: a thin layer over the library's stages.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use sluice::diagnostic::render::{self, HumanStyle};
use sluice::diagnostic::{Code, Diagnostic, Diagnostics};
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
        Command::Explain { code } => explain(code.as_deref()),
    }
}

fn check(workspace: &std::path::Path, report: &ReportArgs) -> ExitCode {
    let result = std::panic::catch_unwind(|| sluice::compile(workspace));
    let compilation = match result {
        Ok(Ok(c)) => c,
        Ok(Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
        Err(_) => {
            let d = Diagnostic::error(
                Code::InternalError,
                "sluice crashed while checking this workspace",
            )
            .help("this is a bug in sluice; please report it with the workspace that triggers it");
            let diags = Diagnostics { items: vec![d] };
            print_report(&diags, &Sources::default(), report);
            return ExitCode::from(2);
        }
    };
    let diags = &compilation.diagnostics;
    print_report(diags, &compilation.sources, report);
    if matches!(report.format, Format::Human) {
        let summary = format!(
            "checked {} project{}, {} table{}, {} migration{}: {} error{}, {} warning{}",
            compilation.workspace.projects.len(),
            plural(compilation.workspace.projects.len()),
            compilation.table_count(),
            plural(compilation.table_count()),
            compilation.migration_count(),
            plural(compilation.migration_count()),
            diags.errors(),
            plural(diags.errors()),
            diags.warnings(),
            plural(diags.warnings()),
        );
        println!("{summary}");
    }
    exit_code(diags, report.deny_warnings)
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
    };
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
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
                println!(
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
                println!(
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
                    Some(s) => eprintln!("error: no rule or code `{id}`; did you mean `{s}`?"),
                    None => eprintln!(
                        "error: no rule or code `{id}`; run `sluice explain` for the list"
                    ),
                }
                ExitCode::from(2)
            }
        },
    }
}
