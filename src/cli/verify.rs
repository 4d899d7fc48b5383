//! `sluice verify`: deploy the workspace on a live PostgreSQL
//! ([`sluice::verify`]), with progress on standard error, then report what
//! the server did and one summary line.

use std::process::ExitCode;

use super::{exit_code, guarded, plural, print_report, Format, ReportArgs};

pub fn run(opts: &sluice::verify::Options, report: &ReportArgs) -> ExitCode {
    let start = std::time::Instant::now();
    let progress = |line: &str| errln!("verify [{:5.1} s] {line}", start.elapsed().as_secs_f64());
    let run = match guarded("verifying", "workspace", report, || {
        sluice::verify::run(opts, &progress)
    }) {
        Ok(run) => run,
        Err(code) => return code,
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
