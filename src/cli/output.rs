//! The output folders of `check` and `build`: emitting the workspace,
//! settling it against the released files on disk, refusing folders in the
//! way, and the lock that keeps two builds apart.
//!
//! Input: a compilation and the `--out` folder. Output: the files to write,
//! with release, guard and lock diagnostics added to the compilation; `Err`
//! carries the exit code to stop with.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use sluice::diagnostic::{Code, Diagnostic};
use sluice::drizzle::{release, Snapshots};

/// Emit the workspace and settle it against the output folders on disk:
/// the files to write, with release diagnostics added to `c`.
pub fn settle(
    c: &mut sluice::Compilation,
    out: Option<&Path>,
) -> Result<sluice::emit::Files, ExitCode> {
    let files = emit(c, out, Snapshots::Newest)?;
    settle_files(c, out, files, Snapshots::Newest)
}

pub fn emit(
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
pub fn settle_files(
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

/// Refuse output folders that hold the workspace or files in the way.
pub fn guard(
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
pub fn interrupted(c: &sluice::Compilation, out: Option<&Path>) -> bool {
    c.workspace
        .projects
        .iter()
        .map(|p| release::project_dir(p, out))
        .any(|d| sluice::write::leftovers(&d))
}

/// Take the lock of every project folder (and put back what a killed
/// build left there); a busy folder is reported.
pub fn lock(
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
