//! Journal entries an earlier build wrote, kept instead of planned again.
//!
//! Input: a project's output folder on disk (its lock and files) and each
//! entry's key ([`super::entry_key`]). Output: for an entry whose key the
//! lock records, with files whose bytes are the ones the lock lists, those
//! files as they are on disk; and the record of every entry this build
//! writes, for the next.
//!
//! An everyday edit (a table declaration, a new migration) leaves the
//! inputs of every earlier entry as they were; keeping them makes such a
//! build cost the entries that changed, not the whole history. An entry is
//! planned again whenever in doubt: a folder in drizzle-kit 1.x's layout, a
//! file missing or changed, a file whose release was settled against what
//! a build would write (the lock's `emitted`), a lock line edited with its
//! file (the record's seal). Debug builds plan every kept entry anyway and
//! compare.

use std::collections::HashMap;
use std::path::Path;

use super::entry_key::Key;
use crate::digest::{hex, sha256_hex};
use crate::drizzle::{layout, EntryRecord, Lock};

/// What the lock of a folder records of its entries, with what is needed
/// to check their files.
#[derive(Default)]
pub struct Prior {
    dir: std::path::PathBuf,
    lock: Option<Lock>,
}

/// An entry kept: its files with their bytes on disk, and the indexes its
/// script builds.
pub struct Kept {
    pub files: Vec<(String, String)>,
    pub scripted: Vec<String>,
}

impl Prior {
    /// Nothing to keep: every entry is planned.
    pub fn none() -> Prior {
        Prior::default()
    }

    /// The lock of the project folder `dir`, when the folder has the
    /// layout sluice writes and a readable lock with entry records.
    pub fn read(dir: &Path) -> Prior {
        let v0 = matches!(layout::detect(dir), Ok(Ok(layout::Layout::V0)));
        let lock = v0
            .then(|| std::fs::read(dir.join(crate::drizzle::LOCK)).ok())
            .flatten()
            .and_then(|b| serde_json::from_slice::<Lock>(&b).ok())
            .filter(|l| !l.entries.is_empty());
        Prior {
            dir: dir.to_path_buf(),
            lock,
        }
    }

    /// The entry `tag` as on disk, when the lock records it with `key` and
    /// its files are intact.
    pub fn take(&self, tag: &str, key: &Key) -> Option<Kept> {
        let lock = self.lock.as_ref()?;
        let record = lock.entries.get(tag)?;
        if record.key != hex(key) || record.files.is_empty() {
            return None;
        }
        let mut hashes = Vec::with_capacity(record.files.len());
        for rel in &record.files {
            if lock.emitted.contains_key(rel) {
                return None;
            }
            hashes.push(lock.files.get(rel)?.as_str());
        }
        if record.seal != seal(&record.key, &record.files, &hashes) {
            return None;
        }
        let mut files = Vec::with_capacity(record.files.len());
        for (rel, hash) in record.files.iter().zip(hashes) {
            let text = std::fs::read_to_string(self.dir.join(rel)).ok()?;
            if sha256_hex(text.as_bytes()) != hash {
                return None;
            }
            files.push((rel.clone(), text));
        }
        Some(Kept {
            files,
            scripted: record.scripted.clone(),
        })
    }
}

impl Prior {
    /// The snapshot the entry `tag` had when the lock records it with the
    /// key `key` (hex) and the snapshot file is intact.
    pub fn snapshot(&self, tag: &str, key: &str) -> Option<String> {
        let lock = self.lock.as_ref()?;
        let record = lock.entries.get(tag).filter(|r| r.key == key)?;
        let (rel, hash) = record.snapshot.as_ref()?;
        if lock.files.get(rel) != Some(hash) || lock.emitted.contains_key(rel) {
            return None;
        }
        let text = std::fs::read_to_string(self.dir.join(rel)).ok()?;
        (sha256_hex(text.as_bytes()) == *hash).then_some(text)
    }
}

/// The record of an entry this build writes; the hash of each of its
/// files goes into `hashed`, by path, for the lock.
pub fn record(
    key: &Key,
    files: &[(String, String)],
    scripted: Vec<String>,
    hashed: &mut HashMap<String, String>,
) -> EntryRecord {
    let key = hex(key);
    let names: Vec<String> = files.iter().map(|(rel, _)| rel.clone()).collect();
    let hashes: Vec<String> = files
        .iter()
        .map(|(_, t)| sha256_hex(t.as_bytes()))
        .collect();
    let record = EntryRecord {
        seal: seal(&key, &names, &hashes),
        key,
        files: names,
        scripted,
        snapshot: None,
    };
    for ((rel, _), hash) in files.iter().zip(hashes) {
        hashed.insert(rel.clone(), hash);
    }
    record
}

/// SHA-256 of a key and its files' names and hashes.
fn seal(key: &str, files: &[String], hashes: &[impl AsRef<str>]) -> String {
    let mut text = format!("sluice entry\0{key}");
    for (rel, hash) in files.iter().zip(hashes) {
        text.push('\0');
        text.push_str(rel);
        text.push('\0');
        text.push_str(hash.as_ref());
    }
    sha256_hex(text.as_bytes())
}
