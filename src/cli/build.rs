//! `sluice build`: compile, emit and settle the workspace, then write the
//! files atomically under the folder lock and list those whose bytes
//! changed (or, with `--check`, list the stale ones); tell the team which
//! scripts to run by hand and which contract phases are pending. When
//! every output folder is exactly what a build wrote from these very
//! sources (see [`sluice::drizzle::fingerprint`]), emitting again would
//! give the same bytes: the build says so without planning the history.

use std::collections::BTreeMap;
use std::mem::ManuallyDrop;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use sluice::drizzle::fingerprint::Built;
use sluice::drizzle::{fingerprint, release, Snapshots};

use super::check_folder::{self, Checked, Purpose};
use super::output::{emit, guard, interrupted, lock, settle_files};
use super::{compile, exit_code, plural, print_report, summary, Format, ReportArgs};

pub fn run(
    workspace: &Path,
    (out, snapshots): (Option<&Path>, Snapshots),
    check_only: bool,
    report: &ReportArgs,
) -> ExitCode {
    // `--every-snapshot` may add snapshots the folder lacks: no shortcut.
    let checked = match snapshots {
        Snapshots::Newest => check_folder::compile_for(workspace, report, out, Purpose::Build),
        Snapshots::Every => {
            compile(workspace, report, true, &|_| true).map(|compilation| Checked {
                digest: fingerprint::sources_digest(&compilation.sources),
                compilation,
                trusted: false,
                phased: true,
                built: BTreeMap::new(),
            })
        }
    };
    let Checked {
        compilation,
        trusted,
        phased,
        built,
        mut digest,
    } = match checked {
        Ok(checked) => checked,
        Err(code) => return code,
    };
    // Never dropped: freeing a large compilation at exit takes a tenth of
    // a build, and the OS reclaims the memory anyway.
    let mut c = ManuallyDrop::new(compilation);
    if trusted && !c.diagnostics.has_errors() {
        return up_to_date(&c, out, &built, check_only, report);
    }
    if !phased {
        // A folder edited or removed since the build that wrote it, with
        // the sources unchanged: emitting needs every project's phases.
        *c = match compile(workspace, report, true, &|_| true) {
            Ok(c) => c,
            Err(code) => return code,
        };
        // Loaded again: what the build records is what it compiled.
        digest = fingerprint::sources_digest(&c.sources);
    }
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
                fingerprint::record(&digest, &c.workspace, out, &mut files);
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
        // Thousands of lines on a large workspace: one buffered write, not
        // a write per line.
        crate::console::out_with(|w| {
            use std::io::Write;
            for path in &changes.written {
                writeln!(w, "wrote {}", path.display())?;
            }
            for path in &changes.removed {
                writeln!(w, "removed {}", path.display())?;
            }
            Ok(())
        });
        print_deploy_steps(&c, out, &|dir| {
            sluice::drizzle::files_under(&files, dir)
                .filter_map(|(path, _)| Some(path.strip_prefix(dir).ok()?.to_str()?.to_string()))
                .collect()
        });
        print_pending_contracts(&sluice::emit::pending_contracts(&c.workspace));
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

/// What a build whose every output folder is trusted (see
/// [`check_folder`]) reports: what writing the same files again would,
/// read from the folders' locks and journals instead of emitting.
fn up_to_date(
    c: &sluice::Compilation,
    out: Option<&Path>,
    built: &BTreeMap<PathBuf, Built>,
    check_only: bool,
    report: &ReportArgs,
) -> ExitCode {
    print_report(&c.diagnostics, &c.sources, report);
    if matches!(report.format, Format::Human) {
        let of = |p: &sluice::ir::Project| built.get(&release::project_dir(p, out));
        // Each folder's listed files and its lock, and each module.
        let count: usize = c
            .workspace
            .projects
            .iter()
            .map(|p| {
                let module = sluice::drizzle::schema_ts::path(p, out).is_some();
                of(p).map_or(0, |b| b.files().len() + 1) + usize::from(module)
            })
            .sum();
        if !check_only {
            print_deploy_steps(c, out, &|dir| {
                built.get(dir).map_or(Vec::new(), |b| b.files().to_vec())
            });
            print_pending_contracts(&sluice::emit::pending_contracts_where(
                &c.workspace,
                &|p, i| of(p).is_some_and(|b| b.has_contract_of(&p.migrations[i].name)),
            ));
        }
        outln!("up to date: {count} files");
        if !check_only {
            outln!("built {}", summary(c));
        }
    }
    exit_code(&c.diagnostics, report.deny_warnings)
}

/// The scripts drizzle's single transaction cannot hold, and where each
/// goes between the journal entries; `files_in` lists the files of a
/// project folder, relative to it.
fn print_deploy_steps(
    c: &sluice::Compilation,
    out: Option<&Path>,
    files_in: &dyn Fn(&Path) -> Vec<String>,
) {
    let mut lines = Vec::new();
    for p in &c.workspace.projects {
        let dir = release::project_dir(p, out);
        let rel = files_in(&dir);
        let shown = dir.display().to_string();
        for step in sluice::drizzle::deploy::steps(rel.iter().map(String::as_str)) {
            lines.push(format!("  {}: {}", p.name, step.describe(&shown)));
        }
    }
    if !lines.is_empty() {
        crate::console::out_with(|w| {
            use std::io::Write;
            writeln!(
                w,
                "run these yourself: drizzle applies every pending journal entry in one transaction, \
                 and these scripts cannot run inside it:"
            )?;
            for line in lines {
                writeln!(w, "{line}")?;
            }
            Ok(())
        });
    }
}

/// Contract phases no migration releases yet: what the team does next.
fn print_pending_contracts(pending: &[(String, String)]) {
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
