//! `sluice build`: compile, emit and settle the workspace, then write the
//! files atomically under the folder lock and list those whose bytes
//! changed (or, with `--check`, list the stale ones); tell the team which
//! scripts to run by hand and which contract phases are pending.

use std::mem::ManuallyDrop;
use std::path::Path;
use std::process::ExitCode;

use sluice::drizzle::{fingerprint, release, Snapshots};

use super::output::{emit, guard, interrupted, lock, settle_files};
use super::{compile, exit_code, plural, print_report, summary, Format, ReportArgs};

pub fn run(
    workspace: &Path,
    (out, snapshots): (Option<&Path>, Snapshots),
    check_only: bool,
    report: &ReportArgs,
) -> ExitCode {
    // Never dropped: freeing a large compilation at exit takes a tenth of
    // a build, and the OS reclaims the memory anyway.
    let mut c = match compile(workspace, report, true, &|_| true) {
        Ok(c) => ManuallyDrop::new(c),
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
                return Ok(files);
            }
            let before = c.diagnostics.items.len();
            let mut files = settle_files(&mut c, out, files, snapshots)?;
            // A folder the release check found nothing in is what the
            // next `check` can trust while the sources stay the same.
            if c.diagnostics.items.len() == before {
                fingerprint::record(&c.sources, &c.workspace, out, &mut files);
            }
            Ok(files)
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
    // Never dropped either, for the same reason as the compilation.
    let files = ManuallyDrop::new(files);
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
    let changes = match sluice::write::write(&files) {
        Ok(changes) => changes,
        Err(e) => {
            errln!("error: writing the output failed, nothing was changed: {e}");
            return ExitCode::from(2);
        }
    };
    if human {
        for path in &changes.written {
            outln!("wrote {}", path.display());
        }
        for path in &changes.removed {
            outln!("removed {}", path.display());
        }
        print_deploy_steps(&c, out, &files);
        print_pending_contracts(&c);
        outln!("{}", written(&changes));
        outln!("built {}", summary(&c));
    }
    exit_code(&c.diagnostics, report.deny_warnings)
}

/// How many files the write changed: `up to date: N files` (as `--check`
/// says it) when none, else `3 files written, 1 removed, 412 unchanged`.
fn written(changes: &sluice::write::Changes) -> String {
    let (written, removed) = (changes.written.len(), changes.removed.len());
    if written + removed == 0 {
        return format!("up to date: {} files", changes.unchanged);
    }
    let mut text = format!("{written} file{} written", plural(written));
    if removed > 0 {
        text.push_str(&format!(", {removed} removed"));
    }
    text.push_str(&format!(", {} unchanged", changes.unchanged));
    text
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
