//! Snapshots of earlier journal entries, kept from disk.
//!
//! Input: a project folder's files on disk, its lock as on disk, and the
//! files a build would write (which hold only the newest entry's snapshot,
//! see [`super::Snapshots`]). Output: the same files plus, byte for byte,
//! every `meta/<NNNN>_snapshot.json` on disk that an earlier build wrote
//! (its hash is in the lock) for an entry the journal still has, with the
//! lock recomputed. A build thus never rewrites or drops an older snapshot
//! that `drizzle-kit` or a reviewer may read, and never computes one either.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::{sha256_hex, Files, Lock};

/// Add the kept snapshots of the project folder `dir` to `files`.
pub(super) fn keep(
    dir: &Path,
    disk: &BTreeMap<String, Vec<u8>>,
    lock: Option<&Lock>,
    files: &mut Files,
) {
    let Some(lock) = lock else {
        return;
    };
    let prefixes: BTreeSet<String> = super::journal_tags_of(files, dir)
        .iter()
        .map(|t| t[..4].to_string())
        .collect();
    let mut added = false;
    for (rel, bytes) in disk.range("meta/".to_string().."meta0".to_string()) {
        let Some(prefix) = rel
            .strip_prefix("meta/")
            .and_then(|r| r.strip_suffix("_snapshot.json"))
        else {
            continue;
        };
        let path = dir.join(rel);
        let ours = lock.files.get(rel) == Some(&sha256_hex(bytes));
        if !ours || !prefixes.contains(prefix) || files.contains_key(&path) {
            continue;
        }
        let Ok(text) = String::from_utf8(bytes.clone()) else {
            continue;
        };
        files.insert(path, text);
        added = true;
    }
    if added {
        super::relock(dir, files);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lock_of(files: &[(&str, &str)]) -> Lock {
        Lock {
            sluice_lock: 1,
            files: files
                .iter()
                .map(|(p, t)| (p.to_string(), sha256_hex(t.as_bytes())))
                .collect(),
            ..Lock::default()
        }
    }

    #[test]
    fn earlier_snapshots_sluice_wrote_are_kept_and_locked() {
        let dir = Path::new("out/notes");
        let mut files = Files::new();
        for f in ["0000_initial.sql", "0001_a_expand.sql", "0002_b_expand.sql"] {
            files.insert(dir.join(f), String::new());
        }
        files.insert(dir.join("meta/0002_snapshot.json"), "new".to_string());
        let on_disk = [
            ("meta/0000_snapshot.json", "zero"),
            ("meta/0001_snapshot.json", "one"),
            ("meta/0002_snapshot.json", "stale"),
            ("meta/0005_snapshot.json", "gone"),
        ];
        // `0001` was edited by hand after it was written: not kept.
        let lock = lock_of(&[
            ("meta/0000_snapshot.json", "zero"),
            ("meta/0001_snapshot.json", "edited"),
            ("meta/0002_snapshot.json", "stale"),
            ("meta/0005_snapshot.json", "gone"),
        ]);
        let disk: BTreeMap<String, Vec<u8>> = on_disk
            .iter()
            .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
            .collect();
        keep(dir, &disk, Some(&lock), &mut files);
        let snaps: Vec<(String, &str)> = files
            .iter()
            .filter(|(p, _)| p.to_string_lossy().ends_with("_snapshot.json"))
            .map(|(p, t)| (p.to_string_lossy().replace('\\', "/"), t.as_str()))
            .collect();
        assert_eq!(
            snaps,
            [
                ("out/notes/meta/0000_snapshot.json".to_string(), "zero"),
                ("out/notes/meta/0002_snapshot.json".to_string(), "new"),
            ]
        );
        let lock: Lock = serde_json::from_str(&files[&dir.join(super::super::LOCK)]).unwrap();
        assert!(lock.files.contains_key("meta/0000_snapshot.json"));
    }
}
