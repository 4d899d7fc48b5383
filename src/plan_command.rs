//! `sluice plan`: compile the workspace, plan each project's next migration
//! ([`sluice::author`]) and write the files (or print them with
//! `--dry-run`). Progress goes to standard error, phase by phase.

use std::path::Path;
use std::process::ExitCode;

use sluice::author::{self, Options};
use sluice::diagnostic::{Code, Diagnostics, Severity};

use super::{exit_code, guarded, print_report, Format, ReportArgs};

pub fn run(workspace: &Path, opts: Options, dry_run: bool, report: &ReportArgs) -> ExitCode {
    if let Some(n) = &opts.name {
        if !author::is_valid_name(n) {
            errln!("error: `--name {n}` is not a migration name: use letters, digits and `_`, not starting with a digit");
            return ExitCode::from(2);
        }
    }
    errln!("plan: reading {}", workspace.display());
    // The phases of the projects to plan: the checks that read them find
    // errors in the history that planning must not build on.
    let only = opts.project.clone();
    let phases = move |p: &sluice::ir::Project| only.as_ref().is_none_or(|o| &p.name == o);
    // The syntax trees are kept: checking the planned files with the rest
    // then parses only them.
    let compiled = guarded("compiling this workspace", "workspace", report, || {
        sluice::compile_where_keeping(workspace, &phases)
    });
    let (c, parsed) = match compiled {
        Ok(c) => c,
        Err(code) => return code,
    };
    if let Some(p) = &opts.project {
        if !c.workspace.projects.iter().any(|x| &x.name == p) {
            errln!("error: the workspace has no project `{p}`");
            return ExitCode::from(2);
        }
    }
    // Drift is what plan closes; any other error means the declarations or
    // the history cannot be trusted to plan from.
    let blocking: Vec<_> = c
        .diagnostics
        .items
        .iter()
        .filter(|d| d.severity == Severity::Error && d.code != Code::SchemaDrift)
        .cloned()
        .collect();
    if !blocking.is_empty() {
        let diags = Diagnostics { items: blocking };
        print_report(&diags, &c.sources, report);
        errln!("plan: nothing written; fix these errors first");
        return exit_code(&diags, report.deny_warnings);
    }
    errln!("plan: comparing the declarations with each project's history");
    let out = author::plan_with(&c, Some(parsed), &opts);
    if !out.diagnostics.items.is_empty() {
        print_report(&out.diagnostics, &out.sources, report);
    }
    if out.diagnostics.has_errors() {
        errln!("plan: nothing written");
        return exit_code(&out.diagnostics, report.deny_warnings);
    }
    if out.files.is_empty() {
        if matches!(report.format, Format::Human) {
            outln!("nothing to plan: the declarations match the migration history");
        }
        return exit_code(&out.diagnostics, report.deny_warnings);
    }
    for f in &out.files {
        if dry_run {
            errln!("plan: would write {}", f.display);
            outln!("{}", f.text.trim_end());
            continue;
        }
        if let Err(e) = sluice::write::new_file::create_new(&f.path, &f.text) {
            errln!("error: writing {} failed: {e}", f.display);
            return ExitCode::from(2);
        }
        if matches!(report.format, Format::Human) {
            outln!("wrote {}", f.display);
        }
    }
    if !dry_run && matches!(report.format, Format::Human) {
        outln!("next: review the steps, then `sluice build`");
    }
    exit_code(&out.diagnostics, report.deny_warnings)
}
