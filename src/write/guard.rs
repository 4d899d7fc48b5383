//! What a build may write: no project folder that is, or holds, the
//! workspace, and no file of sluice's where a file it did not write is.
//! Checked before anything is written; each problem is
//! `unsafe-output-folder`.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::emit::Files;
use crate::Compilation;

/// The problems that stop writing `files` for the compilation `c`.
pub fn check(c: &Compilation, out: Option<&Path>, files: &Files) -> io::Result<Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let root = absolute(&c.sources.root);
    let span = c.workspace.span;
    let at = |d: Diagnostic| if out.is_none() { d.at(span) } else { d };
    for p in &c.workspace.projects {
        let dir = crate::drizzle::release::project_dir(p, out);
        let dir_abs = absolute(&dir);
        // The folder the project folders go into must not hold the
        // workspace either: it is sluice's, not the workspace's.
        let base = dir_abs.parent().unwrap_or(&dir_abs);
        if root.starts_with(base) {
            diags.push(at(Diagnostic::error(
                Code::UnsafeOutputFolder,
                format!(
                    "the output folder `{}` of project `{}` is in a folder that holds the workspace",
                    dir.display(),
                    p.name
                ),
            )
            .help("point `out` (relative to the workspace folder) at a folder of its own, such as \"../drizzle\"")));
            continue;
        }
        if let Some(source) = first_source(&dir)? {
            diags.push(at(Diagnostic::error(
                Code::UnsafeOutputFolder,
                format!(
                    "the output folder `{}` of project `{}` holds workspace sources such as `{}`",
                    dir.display(),
                    p.name,
                    source.display()
                ),
            )
            .help("point `out` (relative to the workspace folder) at a folder of its own, such as \"../drizzle\"")));
            continue;
        }
        let produced: Vec<(&Path, &str)> = crate::drizzle::files_under(files, &dir)
            .map(|(path, text)| (path.as_path(), text.as_str()))
            .collect();
        let foreign = super::foreign_files(&dir, &[])?;
        for (path, text) in &produced {
            let rel = path.strip_prefix(&dir).unwrap_or(path);
            // The journal and snapshots are drizzle's format, kept up to
            // date with drizzle-kit's own entries (see `drizzle::release`).
            if !foreign.iter().any(|f| f == rel) || rel.starts_with("meta") {
                continue;
            }
            if fs::read(path).is_ok_and(|bytes| bytes != text.as_bytes()) {
                diags.push(at(Diagnostic::error(
                    Code::UnsafeOutputFolder,
                    format!(
                        "`{}` was not written by sluice, and the build would overwrite it",
                        path.display()
                    ),
                )
                .help("move the file out of the way (sluice keeps other files it did not write), or point `out` at another folder")));
            }
        }
    }
    Ok(diags)
}

/// The first `.sluice` file under `dir`, if any.
fn first_source(dir: &Path) -> io::Result<Option<PathBuf>> {
    if !dir.is_dir() {
        return Ok(None);
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "sluice") {
            return Ok(Some(entry.path().to_path_buf()));
        }
    }
    Ok(None)
}

/// `path` made absolute, symlinks of its existing part resolved and `..`
/// removed from the rest, so two spellings of one folder compare equal.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    while !existing.as_os_str().is_empty() && fs::canonicalize(&existing).is_err() {
        match existing.file_name() {
            Some(name) => rest.push(name.to_owned()),
            None => break,
        }
        existing.pop();
    }
    let base = if existing.as_os_str().is_empty() {
        std::env::current_dir().unwrap_or_default()
    } else {
        fs::canonicalize(&existing).unwrap_or(existing)
    };
    let mut out = base;
    for name in rest.into_iter().rev() {
        match Path::new(&name).components().next() {
            Some(Component::ParentDir) => {
                out.pop();
            }
            Some(Component::CurDir) => {}
            _ => out.push(name),
        }
    }
    out
}
