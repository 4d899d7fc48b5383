//! What is on disk against what a build produces. Input: the build's
//! files ([`Files`]) and the project folders on disk with their locks.
//! Output: the files of a folder that sluice did not write (carried over
//! by a build), the files on disk that differ from the build's (for
//! `build --check`), and what a write changes ([`Changes`]).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{by_folder, project_folder};
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

/// What writing a build changes on disk, byte for byte.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// New files and files whose bytes differ, in path order.
    pub written: Vec<PathBuf>,
    /// Files an earlier build wrote (its lock lists them) that this build
    /// no longer produces, in path order.
    pub removed: Vec<PathBuf>,
    /// How many of the build's files are on disk with these bytes already.
    pub unchanged: usize,
}

impl Changes {
    /// Whether the write changes nothing in `folder` (a project folder).
    pub fn leaves_alone(&self, folder: &Path) -> bool {
        !self
            .written
            .iter()
            .chain(&self.removed)
            .any(|p| p.starts_with(folder))
    }

    /// Whether `path`, one of the build's files, is on disk as it is.
    pub fn is_unchanged(&self, path: &Path) -> bool {
        self.written
            .binary_search_by(|p| p.as_path().cmp(path))
            .is_err()
    }
}

/// What writing `files` changes: unlike [`stale`], any byte counts (a lock
/// whose input fingerprint alone differs is written).
/// The files are read on every core, in runs of about equal count.
pub fn changes(files: &Files) -> io::Result<Changes> {
    let mut out = Changes::default();
    let all: Vec<(&PathBuf, &String)> = files.iter().collect();
    let size = all
        .len()
        .div_ceil(crate::cores::threads().clamp(1, 8) * 4)
        .max(64);
    let runs: Vec<&[(&PathBuf, &String)]> = all.chunks(size).collect();
    let indices: Vec<usize> = (0..runs.len()).collect();
    // A project folder that does not exist yet holds none of its files:
    // they are all written, without opening each (a first build, or one
    // into an emptied folder, writes thousands).
    let absent: std::collections::BTreeSet<PathBuf> = by_folder(files)
        .into_keys()
        .filter(|f| !f.is_dir())
        .collect();
    let differing = crate::cores::in_parallel(&indices, |i| {
        let mut differ = Vec::new();
        for (path, text) in runs[i] {
            if !absent.is_empty()
                && !super::is_loose(path)
                && absent.contains(&project_folder(path))
            {
                differ.push((*path).clone());
                continue;
            }
            match fs::read(path) {
                Ok(bytes) if bytes == text.as_bytes() => {}
                Ok(_) => differ.push((*path).clone()),
                Err(e) if e.kind() == io::ErrorKind::NotFound => differ.push((*path).clone()),
                Err(e) => return Err(e),
            }
        }
        Ok(differ)
    });
    for differ in differing {
        out.written.extend(differ?);
    }
    out.unchanged = files.len() - out.written.len();
    for folder in by_folder(files).keys() {
        for rel in written_before(folder) {
            let path = folder.join(rel);
            if path.is_file() && !files.contains_key(&path) {
                out.removed.push(path);
            }
        }
    }
    out.written.sort();
    out.removed.sort();
    out.removed.dedup();
    Ok(out)
}
