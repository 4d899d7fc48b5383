//! A project folder as it is on disk, read once for the release checks.
//!
//! Input: a project's output folder (or the backup a killed build left).
//! Output: [`OnDisk`]: its files and links, its journal and lock as parsed
//! (or why they could not be), and which of its files are released.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::Path;

use crate::drizzle::{Journal, JournalEntry, Lock, JOURNAL, LOCK};

/// What a project folder holds now.
#[derive(Debug, Default)]
pub(super) struct OnDisk {
    /// The journal's entries, if there is a readable journal.
    pub(super) entries: Vec<JournalEntry<'static>>,
    pub(super) journal_text: Option<String>,
    /// The journal exists but is not a journal.
    pub(super) journal_error: Option<String>,
    pub(super) lock: Option<Lock>,
    pub(super) lock_error: Option<String>,
    /// Every file of the folder, relative path with `/` → bytes.
    pub(super) files: BTreeMap<String, Vec<u8>>,
    /// Symbolic links (and other entries that are neither a file nor a
    /// folder), relative path with `/`: never read through.
    pub(super) links: BTreeSet<String>,
}

impl OnDisk {
    pub(super) fn read(dir: &Path) -> io::Result<OnDisk> {
        let mut disk = OnDisk::default();
        // A build killed between its two renames left the folder here; the
        // next write restores it, so it is what is released.
        let backup = crate::drizzle::siblings::backup_of(dir);
        let dir = if !dir.exists() && backup.is_dir() {
            backup.as_path()
        } else {
            dir
        };
        if !dir.is_dir() {
            return Ok(disk);
        }
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.map_err(io::Error::other)?;
            let kind = entry.file_type();
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            if !kind.is_file() && !kind.is_dir() {
                disk.links.insert(rel);
            } else if kind.is_file() {
                disk.files.insert(rel, fs::read(entry.path())?);
            }
        }
        if let Some(bytes) = disk.files.get(JOURNAL) {
            let text = String::from_utf8_lossy(bytes).into_owned();
            match serde_json::from_str::<Journal<'static>>(&text) {
                Ok(j) => disk.entries = j.entries,
                Err(e) => disk.journal_error = Some(e.to_string()),
            }
            disk.journal_text = Some(text);
        }
        if let Some(bytes) = disk.files.get(LOCK) {
            match serde_json::from_slice::<Lock>(bytes) {
                Ok(l) => disk.lock = Some(l),
                Err(e) => disk.lock_error = Some(e.to_string()),
            }
        }
        Ok(disk)
    }

    /// The journal entries at its head that sluice did not write (their
    /// file is not in the lock, and the workspace does not produce their
    /// tag): a history `drizzle-kit generate` wrote, which sluice continues.
    pub(super) fn history(&self, produced: &[String]) -> crate::drizzle::History {
        let recorded = |tag: &str| {
            self.lock
                .as_ref()
                .is_some_and(|l| l.files.contains_key(&format!("{tag}.sql")))
        };
        let entries: Vec<JournalEntry<'static>> = self
            .entries
            .iter()
            .take_while(|e| !recorded(&e.tag) && !produced.iter().any(|t| *t == *e.tag))
            .cloned()
            .collect();
        let last_id = entries.last().and_then(|e| {
            let prefix = e.tag.split('_').next()?;
            let bytes = self.files.get(&format!("meta/{prefix}_snapshot.json"))?;
            let json: serde_json::Value = serde_json::from_slice(bytes).ok()?;
            json["id"].as_str().map(str::to_string)
        });
        crate::drizzle::History { entries, last_id }
    }

    /// The released files: each journal entry's SQL file, its rollback, and
    /// the backfill scripts with its prefix (on disk or recorded in the lock),
    /// leaving out the first `skip` entries (a history sluice continues).
    pub(super) fn released(&self, skip: usize) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let recorded = self.lock.iter().flat_map(|l| l.files.keys());
        let known: BTreeSet<&String> = self.files.keys().chain(recorded).collect();
        // Looked up per file, not scanned per entry and file: a long
        // history has thousands of both.
        let tags: BTreeSet<&str> = self.entries.iter().skip(skip).map(|e| &*e.tag).collect();
        let prefixes: BTreeSet<&str> = self
            .entries
            .iter()
            .skip(skip)
            .map(|e| e.tag.split('_').next().unwrap_or(""))
            .collect();
        for e in self.entries.iter().skip(skip) {
            out.insert(format!("{}.sql", e.tag));
        }
        for path in known {
            let rollback = path
                .strip_prefix("rollback/")
                .and_then(|rest| rest.strip_suffix(".sql"))
                .is_some_and(|tag| tags.contains(tag));
            // `backfill/<prefix>_…`: the prefix has no `_` of its own.
            let backfill = path
                .strip_prefix("backfill/")
                .and_then(|rest| rest.split_once('_'))
                .is_some_and(|(prefix, _)| prefixes.contains(prefix));
            if rollback || backfill {
                out.insert(path.to_string());
            }
        }
        out
    }
}
