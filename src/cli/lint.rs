//! `sluice lint`: check raw SQL migration files with the safety rules
//! ([`sluice::lint::run`]) and report the findings, with a count of files.

use std::process::ExitCode;

use super::{exit_code, guarded, plural, print_report, Format, ReportArgs};

pub fn run(opts: &sluice::lint::run::Options, report: &ReportArgs) -> ExitCode {
    let run = match guarded("linting", "SQL", report, || sluice::lint::run::run(opts)) {
        Ok(run) => run,
        Err(code) => return code,
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
    let code = exit_code(diags, report.deny_warnings);
    // The process ends here: handing a corpus's texts and findings back to
    // the allocator one by one costs time and gives nothing back.
    std::mem::forget(run);
    code
}
