//! What is on disk against what a build produces. Input: the build's
//! files ([`Files`]) and the project folders on disk with their locks.
//! Output: the files of a folder that sluice did not write (carried over
//! by a build), and the files on disk that differ from the build's (for
//! `build --check`).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::by_folder;
use crate::drizzle::Files;

/// Files in `folder` that sluice did not write: neither produced now nor
/// recorded in the folder's lock file as written by an earlier build.
/// A build carries them over untouched.
pub fn foreign_files(folder: &Path, produced: &[(&Path, &str)]) -> io::Result<Vec<PathBuf>> {
    if !folder.is_dir() {
        return Ok(Vec::new());
    }
    let ours = written_before(folder);
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(folder).sort_by_file_name() {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(folder).unwrap_or(entry.path());
        let key = rel.to_string_lossy().replace('\\', "/");
        if key == crate::drizzle::LOCK
            || ours.contains(&key)
            || produced.iter().any(|(p, _)| *p == entry.path())
        {
            continue;
        }
        out.push(rel.to_path_buf());
    }
    Ok(out)
}

/// The files the lock of `folder` says sluice wrote there.
fn written_before(folder: &Path) -> std::collections::BTreeSet<String> {
    fs::read_to_string(folder.join(crate::drizzle::LOCK))
        .ok()
        .and_then(|text| serde_json::from_str::<crate::drizzle::Lock>(&text).ok())
        .map(|lock| lock.files.into_keys().collect())
        .unwrap_or_default()
}

/// Copy a foreign file (or symlink, as a symlink) into the staging folder.
pub(super) fn carry(from: &Path, to: &Path) -> io::Result<()> {
    if let Some(dir) = to.parent() {
        fs::create_dir_all(dir)?;
    }
    let meta = fs::symlink_metadata(from)?;
    if meta.file_type().is_symlink() {
        #[cfg(unix)]
        return std::os::unix::fs::symlink(fs::read_link(from)?, to);
    }
    fs::copy(from, to).map(|_| ())
}

/// Which files on disk differ from `files` (for `--check`): missing,
/// changed, or written by an earlier build but not produced now. Files
/// sluice did not write are not its business, nor a lock that differs in
/// its input fingerprint only.
pub fn stale(files: &Files) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for (path, text) in files {
        match fs::read(path) {
            Ok(bytes) if bytes == text.as_bytes() => {}
            Ok(bytes) if crate::drizzle::fingerprint::same_but_input(path, &bytes, text) => {}
            Ok(_) => out.push(path.clone()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => out.push(path.clone()),
            Err(e) => return Err(e),
        }
    }
    for folder in by_folder(files).keys() {
        for rel in written_before(folder) {
            let path = folder.join(rel);
            if path.exists() && !files.contains_key(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}
