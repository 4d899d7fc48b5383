//! The `sluice import` command: run the import, then check the new
//! workspace and report, with each object kept as raw SQL listed as an
//! `import-kept-raw-sql` warning at its step in the baseline.

use std::path::Path;
use std::process::ExitCode;

use sluice::diagnostic::{Code, Diagnostic, Diagnostics};
use sluice::import::{ImportError, Options, Outcome};
use sluice::source::Sources;
use sluice::span::Span;

use crate::{exit_code, plural, print_report, Format, ReportArgs};

/// Import from the live database, or from the Drizzle folder `drizzle`.
pub fn import(opts: &Options, drizzle: Option<&Path>, report: &ReportArgs) -> ExitCode {
    let mut progress = |phase: &str| errln!("import: {phase}");
    let run = match drizzle {
        Some(folder) => sluice::import::run_from_drizzle(opts, folder, &mut progress),
        None => sluice::import::run(opts, &mut progress),
    };
    let outcome = match run {
        Ok(o) => o,
        Err(ImportError::WouldOverwrite(paths)) => {
            let items = paths
                .iter()
                .map(|p| {
                    Diagnostic::error(
                        Code::ImportWouldOverwrite,
                        format!("`{}` exists already; the import writes nothing", p.display()),
                    )
                    .help("import into a new workspace folder or under another --project name, or pass --force to replace that project folder")
                })
                .collect();
            print_report(&Diagnostics { items }, &Sources::default(), report);
            return ExitCode::from(1);
        }
        Err(e) => {
            errln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let human = matches!(report.format, Format::Human);
    if human {
        for f in &outcome.files {
            outln!("wrote {}", f.display());
        }
    }
    errln!("import: checking {}", opts.workspace.display());
    let c = match sluice::compile(&opts.workspace) {
        Ok(c) => c,
        Err(e) => {
            errln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let mut diags = c.diagnostics.clone();
    diags.extend(kept_diagnostics(&outcome, &c.sources));
    for r in &outcome.roles_to_add {
        diags.extend([Diagnostic::warning(
            Code::UnknownRole,
            format!("role `{r}` is named by the imported database; declare it in workspace.sluice if it is not"),
        )
        .help("the import does not edit an existing workspace.sluice")]);
    }
    diags.finish();
    print_report(&diags, &c.sources, report);
    if !human {
        return exit_code(&diags, report.deny_warnings);
    }
    outln!(
        "imported project {}: {} table{}, {} view{}, {} function{}; {} object{} kept as raw SQL",
        opts.project,
        outcome.tables,
        plural(outcome.tables),
        outcome.views,
        plural(outcome.views),
        outcome.functions,
        plural(outcome.functions),
        outcome.kept.len(),
        plural(outcome.kept.len()),
    );
    exit_code(&diags, report.deny_warnings)
}

/// One warning per kept object, at its `// kept:` line of the baseline.
fn kept_diagnostics(outcome: &Outcome, sources: &Sources) -> Vec<Diagnostic> {
    let file = sources
        .iter()
        .find(|(_, f)| Path::new(&f.name).ends_with(rel_tail(&outcome.baseline)));
    outcome
        .kept
        .iter()
        .map(|k| {
            let d = Diagnostic::warning(
                Code::ImportKeptRawSql,
                format!("{} `{}` cannot be declared in the DSL yet; it is kept as raw SQL in the baseline", k.kind, k.name),
            )
            .help("sluice neither checks nor re-creates it; declare it when the DSL can, or own it by hand");
            let marker = format!("// kept: {} {}", k.kind, k.name);
            match file.and_then(|(id, f)| f.text.find(&marker).map(|at| Span::new(id, at, at + marker.len()))) {
                Some(span) => d.at(span),
                None => d,
            }
        })
        .collect()
}

/// `<project>/migrations/0000_baseline.sluice`: the part of the path that
/// names the file inside the workspace.
fn rel_tail(p: &Path) -> std::path::PathBuf {
    let parts: Vec<_> = p.components().collect();
    parts[parts.len().saturating_sub(3)..].iter().collect()
}
