//! `sluice check`: compile the workspace and, where a project's output
//! folder exists, settle it against the released files there; report every
//! problem and a summary line.

use std::mem::ManuallyDrop;
use std::path::Path;
use std::process::ExitCode;

use sluice::drizzle::release;

use super::check_folder::{self, Checked};
use super::output::{interrupted, lock, settle};
use super::{compile, exit_code, print_report, summary, Format, ReportArgs};

pub fn run(workspace: &Path, report: &ReportArgs) -> ExitCode {
    // Only a project whose folder a build wrote from these very sources
    // is compiled without its phases: settling and the checks that read
    // the phases have nothing new to say about it.
    let has_folder = |p: &sluice::ir::Project| release::project_dir(p, None).exists();
    let Checked {
        compilation: c,
        trusted,
        phased,
        ..
    } = match check_folder::compile(workspace, report) {
        Ok(checked) => checked,
        Err(code) => return code,
    };
    // Never dropped: freeing a large compilation at exit takes a tenth of
    // the run, and the OS reclaims the memory anyway.
    let mut c = ManuallyDrop::new(c);
    // Released files in an existing output folder bind the workspace too.
    let any_folder = !trusted && c.workspace.projects.iter().any(has_folder);
    if !c.diagnostics.has_errors() && any_folder && !phased {
        // Settling emits every project: the ones compiled without phases
        // (their folder is what a build wrote from these sources) need
        // them too. Rare: the fingerprint covers every source, so only a
        // folder removed or edited by hand, or one that would ship an
        // expand phase with its contract, leaves the others trusted and
        // the whole untrusted.
        *c = match compile(workspace, report, true, &|_| true) {
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
