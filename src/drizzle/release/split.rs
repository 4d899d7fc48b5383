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
    // A folder's files are one run of the sorted paths, from the folder
    // on: each run is split off whole (the folders do not nest), not
    // tested file by file nor moved one at a time.
    let mut parts: Vec<Files> = Vec::with_capacity(dirs.len());
    for dir in dirs {
        let mut part = files.split_off(dir.as_path());
        let end = part.keys().find(|path| !path.starts_with(dir)).cloned();
        if let Some(end) = end {
            files.append(&mut part.split_off(&end));
        }
        parts.push(part);
    }
    let mut rest = std::mem::take(files);
    let parts: Vec<Mutex<Files>> = parts.into_iter().map(Mutex::new).collect();
    let found = crate::cores::in_parallel(&indices, |i| {
        let mut part = parts[i].lock().unwrap_or_else(|e| e.into_inner());
        settle(i, &mut part)
    });
    for part in parts {
        rest.append(&mut part.into_inner().unwrap_or_else(|e| e.into_inner()));
    }
    *files = rest;
    for f in found {
        diagnostics.extend(f?);
    }
    Ok(diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_folder_sees_its_own_files_and_the_rest_come_back_untouched() {
        let dirs = [PathBuf::from("out/a"), PathBuf::from("out/ab")];
        let mut files = Files::new();
        for path in [
            "out/a/x.sql",
            "out/a/meta/j",
            "out/ab/y.sql",
            "out/b.ts",
            "app/s.ts",
        ] {
            files.insert(PathBuf::from(path), path.to_string());
        }
        let before = files.clone();
        let seen = Mutex::new(vec![Vec::new(); dirs.len()]);
        let found = each_folder(&dirs, &mut files, |i, part| {
            let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
            seen[i] = part.keys().cloned().collect();
            part.insert(dirs[i].join("new"), String::new());
            Ok(Vec::new())
        })
        .expect("no error");
        assert!(found.is_empty());
        let seen = seen.into_inner().unwrap_or_else(|e| e.into_inner());
        let paths = |v: &[&str]| v.iter().map(PathBuf::from).collect::<Vec<_>>();
        if crate::cores::threads() >= 2 {
            assert_eq!(seen[0], paths(&["out/a/meta/j", "out/a/x.sql"]));
            assert_eq!(seen[1], paths(&["out/ab/y.sql"]));
        }
        let mut expected = before;
        expected.insert(PathBuf::from("out/a/new"), String::new());
        expected.insert(PathBuf::from("out/ab/new"), String::new());
        assert_eq!(files, expected);
    }
}
