//! The project folders of a build settled side by side.
//!
//! Input: the project folders, the build's files and what settles one
//! folder (reading only its folder on disk and changing only the build's
//! files under it). Output: the files as settled and the diagnostics of
//! every folder, in project order. Each folder's files are taken out of the
//! build, settled on a core of their own and put back; when one folder lies
//! inside another, the folders are settled one after the other on the
//! whole set, as their files cannot be told apart.

use std::io;
use std::path::PathBuf;
use std::sync::Mutex;

use crate::diagnostic::Diagnostic;
use crate::drizzle::Files;

/// `settle(i, files)` for every folder `dirs[i]`; `files` are the build's
/// files under that folder (all of them when folders nest).
pub(super) fn each_folder(
    dirs: &[PathBuf],
    files: &mut Files,
    settle: impl Fn(usize, &mut Files) -> io::Result<Vec<Diagnostic>> + Sync,
) -> io::Result<Vec<Diagnostic>> {
    let nested = dirs.iter().enumerate().any(|(i, a)| {
        dirs.iter()
            .enumerate()
            .any(|(j, b)| i != j && b.starts_with(a))
    });
    let indices: Vec<usize> = (0..dirs.len()).collect();
    let mut diagnostics = Vec::new();
    if nested || crate::cores::threads() < 2 {
        for i in indices {
            diagnostics.extend(settle(i, files)?);
        }
        return Ok(diagnostics);
    }
    let mut parts: Vec<Files> = vec![Files::new(); dirs.len()];
    let mut rest = Files::new();
    for (path, text) in std::mem::take(files) {
        match dirs.iter().position(|d| path.starts_with(d)) {
            Some(i) => parts[i].insert(path, text),
            None => rest.insert(path, text),
        };
    }
    let parts: Vec<Mutex<Files>> = parts.into_iter().map(Mutex::new).collect();
    let found = crate::cores::in_parallel(&indices, |i| {
        let mut part = parts[i].lock().unwrap_or_else(|e| e.into_inner());
        settle(i, &mut part)
    });
    *files = rest;
    for part in parts {
        files.extend(part.into_inner().unwrap_or_else(|e| e.into_inner()));
    }
    for f in found {
        diagnostics.extend(f?);
    }
    Ok(diagnostics)
}
