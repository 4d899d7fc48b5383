//! The lock file of a project folder, `meta/_sluice.lock.json`: the
//! SHA-256 of every other file, and what the release checks and the build
//! recorded beside them.
//!
//! Input: a folder's files (relative paths and bytes). Output: the lock's
//! text; [`relock`] recomputes it after the files changed, keeping what was
//! recorded.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::{sha256_hex, to_json, Files, LOCK};

/// The lock file: format version and the SHA-256 of every other file of the
/// project folder, by relative path.
#[derive(Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq, Default)]
pub struct Lock {
    pub sluice_lock: u32,
    pub files: BTreeMap<String, String>,
    /// Journal tag → digest of the sources the entry was compiled from
    /// (see [`upgrade`]); written by `sluice build`, absent in older locks.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sources: BTreeMap<String, String>,
    /// Released file → SHA-256 of what the build that kept it (see
    /// [`upgrade`]) would have written instead.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub emitted: BTreeMap<String, String>,
    /// Journal tag → what the build that wrote the entry knew of it, so
    /// that a later build may keep it (see [`crate::emit`]'s reuse).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub entries: BTreeMap<String, EntryRecord>,
    /// Fingerprint of everything the folder was built from (see
    /// [`fingerprint`]): `check` trusts a folder that still matches it;
    /// absent in older locks and after a build that warned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// SHA-256 of the `schema_ts` module the same build wrote beside the
    /// folder: `build` trusts the folder only while that module is intact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module: Option<String>,
}

/// One journal entry as the build that wrote it recorded it in the lock.
#[derive(Serialize, serde::Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct EntryRecord {
    /// The entry's key: what its files depend on (hex SHA-256).
    pub key: String,
    /// Its files, relative to the folder.
    pub files: Vec<String>,
    /// The indexes its script builds (`index …`), which later entries'
    /// guards wait for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scripted: Vec<String>,
    /// SHA-256 of the key and the lock's hash of each file: an entry whose
    /// file and lock line were edited together is not kept.
    pub seal: String,
    /// Its snapshot, when the build wrote one: the file and its SHA-256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<(String, String)>,
}

/// Recompute the lock file of the project folder `dir` after its other
/// files changed.
pub fn relock(dir: &std::path::Path, files: &mut Files) {
    let rel: Vec<(String, &str)> = files
        .iter()
        .filter_map(|(path, text)| {
            let rel = path.strip_prefix(dir).ok()?.to_str()?.replace('\\', "/");
            (rel != LOCK).then_some((rel, text.as_str()))
        })
        .collect();
    let mut all: Vec<(&str, &str)> = rel.iter().map(|(p, t)| (p.as_str(), *t)).collect();
    all.sort_unstable();
    let mut text = lock(&all);
    // What the release checks recorded in the lock stays in it.
    let kept = files
        .get(&dir.join(LOCK))
        .and_then(|t| serde_json::from_str::<Lock>(t).ok())
        .filter(|l| !l.sources.is_empty() || !l.emitted.is_empty() || !l.entries.is_empty());
    if let Some(old) = kept {
        if let Ok(mut l) = serde_json::from_str::<Lock>(&text) {
            l.sources = old.sources;
            l.emitted = old.emitted;
            l.entries = old.entries;
            text = to_json(&l);
        }
    }
    files.insert(dir.join(LOCK), text);
}

fn lock(files: &[(&str, &str)]) -> String {
    lock_recorded(files, Recorded::default())
}

/// What a build knows of a folder's journal entries when it makes the
/// lock: their records, and the SHA-256 of the files it hashed for them
/// (by relative path), which the lock takes instead of hashing them again.
#[derive(Debug, Default)]
pub struct Recorded {
    pub entries: BTreeMap<String, EntryRecord>,
    pub hashes: HashMap<String, String>,
}

/// The lock of `files` (sorted by path) with the entries `recorded`, each
/// noted with its snapshot (`meta/<NNNN>_snapshot.json` of the tag
/// numbered `NNNN`) when the folder has one.
pub(super) fn lock_recorded(files: &[(&str, &str)], recorded: Recorded) -> String {
    let Recorded {
        mut entries,
        hashes,
    } = recorded;
    let files: BTreeMap<String, String> = files
        .iter()
        .map(|&(path, text)| {
            let hash = hashes.get(path).cloned();
            let hash = hash.unwrap_or_else(|| sha256_hex(text.as_bytes()));
            (path.to_string(), hash)
        })
        .collect();
    for (tag, r) in entries.iter_mut() {
        let name = format!("meta/{}_snapshot.json", &tag[..4.min(tag.len())]);
        r.snapshot = files.get(&name).map(|hash| (name, hash.clone()));
    }
    let l = Lock {
        sources: BTreeMap::new(),
        emitted: BTreeMap::new(),
        entries,
        input: None,
        module: None,
        sluice_lock: 1,
        files,
    };
    to_json(&l)
}
