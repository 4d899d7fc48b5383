//! The input fingerprint: whether an output folder is still exactly what
//! `sluice build` wrote for the workspace as it is now.
//!
//! Input: the loaded sources, the output folder a build writes, and a
//! project folder on disk. Output: the
//! fingerprint a build records in each folder's lock (`input` in
//! `meta/_sluice.lock.json`), and, for `check`, whether a folder still
//! matches it, so that its release check can be skipped without emitting.
//!
//! The fingerprint covers this build of sluice (its version and a digest of
//! the code and templates it was compiled from, see `build.rs`), every
//! source file (kind, name and bytes), the folder's path and the rest of
//! the lock it is recorded in (so an edited or merged lock is not
//! trusted). A build records it only when settling the folder reported
//! nothing; the folder then holds
//! what the build wrote. When the fingerprint still matches, every file
//! the lock lists is there with its recorded digest, no other file could
//! be a released rollback or backfill script, the
//! layout is the one a build writes and its journal holds sluice's entries
//! only, emitting again would give the same files: the release check has
//! nothing to report, except that an expand phase and its contract may
//! both be drafts again (`contract-in-same-deploy` depends on what git
//! holds). [`unchanged`] evaluates that one check on the folder as it is.
//! Any other difference (an edited input or output file, an extra or
//! missing file, a link, a lock from an older sluice) makes `check` take
//! the full comparison, with the same diagnostics as before.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::integrity::contracts_with_their_expand;
use super::{draft, is_tag, layout, sha256_hex, to_json, Files, Journal, Lock};
use super::{JOURNAL, LOCK};
use crate::digest::hex;
use crate::ir::{Project, Target, Workspace};
use crate::source::{FileKind, Sources};

/// This build of sluice: its version and the digest of the sources it was
/// compiled from, which changes with any change to what it emits.
pub const BUILD: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("SLUICE_BUILD_ID"));

/// The digest of every source file and of this build of sluice.
pub fn sources_digest(sources: &Sources) -> String {
    let mut h = Sha256::new();
    h.update(format!("sluice-input-1\n{BUILD}\n").as_bytes());
    for (_, f) in sources.iter() {
        let kind = match &f.kind {
            FileKind::Workspace => "workspace".to_string(),
            FileKind::Project(p) => format!("project {p}"),
            FileKind::Migration(p) => format!("migration {p}"),
            FileKind::Ignored => "ignored".to_string(),
            FileKind::Sql => "sql".to_string(),
        };
        h.update(format!("{kind}\n{}\n{}\n", f.name, f.text.len()).as_bytes());
        h.update(f.text.as_bytes());
    }
    hex(&h.finalize())
}

/// The fingerprint of the project folder `dir` built from sources with
/// digest `sources`. `--every-snapshot` is left out: the release check
/// judges the same files with or without it, and a build without it keeps
/// the snapshots one with it wrote.
pub fn input(sources: &str, dir: &Path) -> String {
    let dir = dir.to_string_lossy();
    sha256_hex(format!("{sources}\n{}\n{dir}\n", dir.len()).as_bytes())
}

/// The fingerprint recorded in `lock`: `input` sealed with the rest of the
/// lock (its file digests, source digests and module digest), so that a
/// lock edited by hand or merged from elsewhere is never trusted.
fn sealed(input: &str, lock: &Lock) -> String {
    let mut rest = lock.clone();
    rest.input = None;
    sha256_hex(format!("{input}\n{}", to_json(&rest)).as_bytes())
}

/// Record the fingerprint in the lock of every project folder among
/// `files` (the settled files of a build that reported nothing), built
/// from sources whose [`sources_digest`] is `digest`.
pub fn record(digest: &str, ws: &Workspace, out: Option<&Path>, files: &mut Files) {
    if ws.settings.target != Target::Drizzle {
        return;
    }
    // Each lock is read, sealed and written again on its own: on every
    // core, at the end of a build where nothing else runs.
    let all: Vec<usize> = (0..ws.projects.len()).collect();
    let read: &Files = files;
    let sealed_locks = crate::cores::in_parallel(&all, |i| {
        let p = &ws.projects[i];
        let dir = super::release::project_dir(p, out);
        let path = dir.join(LOCK);
        let mut lock = serde_json::from_str::<Lock>(read.get(&path)?).ok()?;
        lock.module = super::schema_ts::path(p, out)
            .and_then(|m| read.get(&m))
            .map(|text| sha256_hex(text.as_bytes()));
        lock.input = Some(sealed(&input(digest, &dir), &lock));
        Some((path, to_json(&lock)))
    });
    files.extend(sealed_locks.into_iter().flatten());
}

/// Whether the file at `path`, `disk` on disk, differs from `new` by the
/// fingerprint (and module digest) of a lock only: `build --check` does not count that as
/// stale, so a new sluice or an earlier lock alone does not fail it.
pub fn same_but_input(path: &Path, disk: &[u8], new: &str) -> bool {
    if !path.ends_with(LOCK) {
        return false;
    }
    let (Ok(old), Ok(mut new)) = (
        serde_json::from_slice::<Lock>(disk),
        serde_json::from_str::<Lock>(new),
    ) else {
        return false;
    };
    new.input = old.input;
    new.module = old.module;
    new.entries = old.entries;
    to_json(&new).as_bytes() == disk
}

/// A folder that is exactly what a build wrote: its journal's tags, the
/// files its lock lists and the digest of the `schema_ts` module written
/// with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Built {
    tags: Vec<String>,
    files: Vec<String>,
    module: Option<String>,
}

/// The folder `dir` if it is exactly what a build wrote for the input
/// `expected` (see [`input`]); `None` whenever in doubt.
pub fn unchanged(dir: &Path, expected: &str) -> io::Result<Option<Built>> {
    // What a killed build left beside the folder (as `write::leftovers`
    // finds it) is recovered by the full path.
    let leftovers = ["swap", "staging", "backup"]
        .iter()
        .any(|suffix| super::siblings::sibling(dir, suffix).exists());
    if draft::mode().is_err() || leftovers || !dir.is_dir() {
        return Ok(None);
    }
    let Some(lock) = fs::read(dir.join(LOCK))
        .ok()
        .and_then(|b| serde_json::from_slice::<Lock>(&b).ok())
    else {
        return Ok(None);
    };
    if lock.input.as_deref() != Some(sealed(expected, &lock).as_str())
        || !matches!(layout::detect(dir)?, Ok(layout::Layout::V0))
        || !files_match(dir, &lock)?
    {
        return Ok(None);
    }
    // The journal's bytes are the ones the lock records.
    let Some(journal) = fs::read_to_string(dir.join(JOURNAL))
        .ok()
        .and_then(|t| serde_json::from_str::<Journal>(&t).ok())
    else {
        return Ok(None);
    };
    let tags: Vec<String> = journal.entries.iter().map(|e| e.tag.to_string()).collect();
    let mut produced: Vec<&str> = lock
        .files
        .keys()
        .filter_map(|rel| rel.strip_suffix(".sql"))
        .filter(|t| is_tag(t))
        .collect();
    produced.sort_unstable();
    // A history another tool wrote is continued, not owned: compare it in
    // full.
    if produced.len() != tags.len() || produced.iter().zip(&tags).any(|(a, b)| a != b) {
        return Ok(None);
    }
    Ok(Some(Built {
        tags,
        files: lock.files.into_keys().collect(),
        module: lock.module,
    }))
}

impl Built {
    /// The journal's tags, in order.
    pub fn tags(&self) -> &[String] {
        &self.tags
    }

    /// The files the lock lists (relative to the folder), the lock not
    /// among them.
    pub fn files(&self) -> &[String] {
        &self.files
    }

    /// The journal holds the contract phase of the migration `name`
    /// (`0003_name_contract`).
    pub fn has_contract_of(&self, name: &str) -> bool {
        self.tags.iter().any(|t| {
            t.split_once('_')
                .and_then(|(_, rest)| rest.strip_suffix("_contract"))
                == Some(name)
        })
    }

    /// The `schema_ts` module of `p` (written under `out`) holds the bytes
    /// the build that wrote the folder gave it; true when `p` has none.
    pub fn module_intact(&self, p: &Project, out: Option<&Path>) -> bool {
        let Some(path) = super::schema_ts::path(p, out) else {
            return true;
        };
        let on_disk = fs::read(path).ok().map(|b| sha256_hex(&b));
        self.module.is_some() && on_disk == self.module
    }

    /// No contract phase of `p` would ship with its expand phase, as the
    /// release check judges it from what git holds now. Asks git only when
    /// some contract could.
    pub fn releasable(&self, p: &Project, dir: &Path) -> bool {
        let none: BTreeSet<&str> = BTreeSet::new();
        if contracts_with_their_expand(p, &none, &self.tags, "", &|s| s).is_empty() {
            return true;
        }
        let Ok(mode) = draft::mode() else {
            return false;
        };
        let files: Vec<String> = self.tags.iter().map(|t| format!("{t}.sql")).collect();
        let released = draft::scope(dir, mode).released(&files);
        let released: BTreeSet<&str> = self.tags[..released].iter().map(String::as_str).collect();
        contracts_with_their_expand(p, &released, &self.tags, "", &|s| s).is_empty()
    }
}

/// Every file the lock lists is in the folder with its recorded digest,
/// no other file could be a released script, no link or other entry.
fn files_match(dir: &Path, lock: &Lock) -> io::Result<bool> {
    let mut listed = Vec::with_capacity(lock.files.len());
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.map_err(io::Error::other)?;
        let kind = entry.file_type();
        if kind.is_dir() {
            continue;
        }
        if !kind.is_file() {
            return Ok(false);
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel == LOCK {
            continue;
        }
        let Some(hash) = lock.files.get(&rel) else {
            // A file the lock does not list is no concern of the release
            // check (the subscription scripts), unless it would make a
            // rollback or backfill script of a released entry.
            if rel.starts_with("rollback/") || rel.starts_with("backfill/") {
                return Ok(false);
            }
            continue;
        };
        listed.push((entry.into_path(), hash.as_str()));
    }
    if listed.len() != lock.files.len() {
        return Ok(false);
    }
    all_hashes_match(&listed)
}

/// Whether every file holds the bytes of its digest. A folder of a long
/// history holds thousands of files: they are read and hashed on every
/// core, and the first difference stops the others.
fn all_hashes_match(files: &[(std::path::PathBuf, &str)]) -> io::Result<bool> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let threads = crate::cores::threads().min(8);
    let per = files.len().div_ceil(threads).max(64);
    let differs = AtomicBool::new(false);
    let check = |part: &[(std::path::PathBuf, &str)]| -> io::Result<()> {
        for (path, hash) in part {
            if differs.load(Ordering::Relaxed) {
                break;
            }
            if sha256_hex(&fs::read(path)?) != *hash {
                differs.store(true, Ordering::Relaxed);
            }
        }
        Ok(())
    };
    let results: Vec<io::Result<()>> = std::thread::scope(|scope| {
        let mut parts = files.chunks(per);
        let first = parts.next().unwrap_or(&[]);
        let others: Vec<_> = parts.map(|part| scope.spawn(move || check(part))).collect();
        let mut results = vec![check(first)];
        results.extend(others.into_iter().map(|h| {
            h.join()
                .unwrap_or_else(|_| Err(io::Error::other("a thread hashing the folder failed")))
        }));
        results
    });
    for r in results {
        r?;
    }
    Ok(!differs.load(Ordering::Relaxed))
}
