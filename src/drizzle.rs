//! Stage 7a′, drizzle: the `meta/` folder beside a project's migration files.
//!
//! Input: the files [`crate::emit::project`] produced for one project (the
//! journal files are the top-level `<NNNN>_<name>.sql`, in prefix order) and
//! the schema state after each of them. Output: `meta/_journal.json`, the
//! `meta/<NNNN>_snapshot.json` of the newest journal entry (of every entry
//! when [`Snapshots::Every`] is asked for) and `meta/_sluice.lock.json`
//! (the SHA-256 of every file of the folder, for release integrity). Everything is a pure function of the workspace: no clock,
//! no randomness, so rebuilding gives the same bytes.
//!
//! Format facts (see `shared/design/drizzle.md`): drizzle-orm's migrator
//! runs a journal entry only when its `when` is greater than every
//! `created_at` already recorded, so `when` strictly increases along the
//! journal and is never in the future; it is [`EPOCH_MS`] plus one second per
//! index. `drizzle-kit check` reads every file of `meta/` whose name does not
//! start with `_` as a snapshot, so the lock file's name starts with `_`.
//!
//! Which snapshots drizzle reads (drizzle-kit 0.31, drizzle-orm 0.45):
//! `migrate()` reads only the journal and the SQL files; `drizzle-kit
//! generate` diffs the schema against the last snapshot file in name order
//! alone; `drizzle-kit check` validates the snapshot files that exist and
//! refuses two that share a `prevId`. None needs a snapshot per entry, and a
//! full snapshot per entry makes a folder grow with migrations × tables, so
//! a build computes only the newest entry's. Snapshots of earlier entries
//! that an earlier build left on disk are kept byte for byte (see
//! [`kept`]); ids are derived from the tag, so every `prevId` chain stays
//! the one a build with every snapshot would write.

pub mod deploy;
pub mod draft;
pub mod fingerprint;
mod integrity;
mod journal;
mod kept;
pub mod layout;
mod lock;
pub mod release;
pub mod schema_ts;
pub mod siblings;
mod snapshot;
mod upgrade;
pub mod v1;
mod v1_ddl;
mod v1_release;

use std::collections::BTreeMap;

use serde::Serialize;
use sha2::{Digest, Sha256};

pub use crate::digest::sha256_hex;

/// Files to write, by path: what a build produces.
pub type Files = BTreeMap<std::path::PathBuf, String>;

/// The files under `dir`, in order. Paths order component by component,
/// so a folder's files are the run of paths from the folder on: found
/// without testing each of the build's files.
pub fn files_under<'f>(
    files: &'f Files,
    dir: &'f std::path::Path,
) -> impl Iterator<Item = (&'f std::path::PathBuf, &'f String)> + 'f {
    let from = std::ops::Bound::Included(dir);
    files
        .range::<std::path::Path, _>((from, std::ops::Bound::Unbounded))
        .take_while(move |(path, _)| path.starts_with(dir))
}

use crate::ir::{Project, Target, Workspace};

use journal::journal;
pub use journal::{when, Journal, JournalEntry};
use lock::lock_recorded;
pub use lock::{relock, EntryRecord, Lock, Recorded};

/// The journal, relative to a project folder.
pub const JOURNAL: &str = "meta/_journal.json";
/// What sluice wrote, with hashes, relative to a project folder.
pub const LOCK: &str = "meta/_sluice.lock.json";
/// `when` of the first journal entry: 2024-01-01T00:00:00Z in epoch ms.
pub const EPOCH_MS: u64 = 1_704_067_200_000;
/// Snapshot and journal format version drizzle-kit 0.31 writes.
pub const VERSION: &str = "7";
/// `prevId` of the first snapshot.
pub const ZERO_ID: &str = "00000000-0000-0000-0000-000000000000";

/// One journal entry: a migration file and the schema after it.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// `<NNNN>_<name>`; the file is `<tag>.sql`.
    pub tag: &'a str,
    /// The declared schema once this file (and every earlier one) ran.
    pub state: &'a Project,
}

/// The journal tags among a project's files (relative paths), in order:
/// top-level `<4 digits>_<name>.sql`; `rollback/` and `backfill/` are not
/// journal files.
pub fn journal_tags(files: &[(String, String)]) -> Vec<&str> {
    let mut tags: Vec<&str> = files
        .iter()
        .filter_map(|(path, _)| path.strip_suffix(".sql"))
        .filter(|tag| is_tag(tag))
        .collect();
    tags.sort_unstable();
    tags
}

/// `0001_note_summary_expand`: four digits, `_`, a name without `/`.
pub fn is_tag(tag: &str) -> bool {
    let b = tag.as_bytes();
    b.len() > 5 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'_' && !tag.contains('/')
}

/// A project's files, relative to its output folder.
pub type ProjectFiles = Vec<(String, String)>;
/// Per journal tag, the schema once that file ran.
pub type JournalStates<'p> = Vec<(String, &'p Project)>;
/// Emit a project again with its journal files numbered from the given
/// index on (the emit stage passes it in: it comes after this one).
pub type Reemit<'a> = &'a (dyn for<'p> Fn(&'p Project, usize) -> std::io::Result<(ProjectFiles, JournalStates<'p>)>
         + Sync);

/// Which journal entries get a `meta/<NNNN>_snapshot.json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Snapshots {
    /// Only the newest: all that drizzle-kit 0.x reads.
    Newest,
    /// Every entry: the 1.x layout turns each into its folder's snapshot.
    Every,
}

/// The `meta/` files of one project, given the files [`crate::emit::project`]
/// produced and the schema after each journal entry; the lock records the
/// entries `recorded` holds.
pub fn meta(
    ws: &Workspace,
    p: &Project,
    files: &[(String, String)],
    states: &[(String, &Project)],
    scope: Snapshots,
    (known, recorded): (Known, Recorded),
) -> Vec<(String, String)> {
    let history = History::default();
    meta_with(ws, p, files, states, (&history, scope), (known, recorded))
}

/// The snapshot text an earlier build wrote for a journal tag, when it is
/// still what this build would write (see `crate::emit`'s reuse).
pub type Known<'a> = &'a (dyn Fn(&str) -> Option<String> + Sync);

/// A journal history sluice continues: the entries `drizzle-kit generate`
/// wrote before sluice took the folder over.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Their journal entries, as on disk.
    pub entries: Vec<JournalEntry<'static>>,
    /// The `id` of their last snapshot, which sluice's first one follows.
    pub last_id: Option<String>,
}

/// [`meta`] for a folder whose journal starts with `history`.
pub fn meta_after(
    ws: &Workspace,
    p: &Project,
    files: &[(String, String)],
    states: &[(String, &Project)],
    history: &History,
    scope: Snapshots,
) -> Vec<(String, String)> {
    let recorded = Recorded::default();
    meta_with(
        ws,
        p,
        files,
        states,
        (history, scope),
        (&|_| None, recorded),
    )
}

/// [`meta_after`], taking the snapshots `known` gives, and the lock the
/// entries and file hashes `recorded`.
fn meta_with(
    ws: &Workspace,
    p: &Project,
    files: &[(String, String)],
    states: &[(String, &Project)],
    (history, scope): (&History, Snapshots),
    (known, recorded): (Known, Recorded),
) -> Vec<(String, String)> {
    if ws.settings.target != Target::Drizzle {
        return Vec::new();
    }
    let mut by_tag: std::collections::HashMap<&str, &Project> = std::collections::HashMap::new();
    for (t, s) in states {
        by_tag.entry(t.as_str()).or_insert(*s);
    }
    let entries: Vec<Entry> = journal_tags(files)
        .into_iter()
        .map(|tag| Entry {
            tag,
            state: by_tag.get(tag).copied().unwrap_or(p),
        })
        .collect();
    let mut out = meta_of(ws, &p.name, &entries, (history, scope), known);
    let mut all: Vec<(&str, &str)> = files
        .iter()
        .chain(out.iter())
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    all.sort_unstable();
    out.push((LOCK.to_string(), lock_recorded(&all, recorded)));
    out
}

/// Journal and snapshots for the given entries, in journal order, after
/// those of `history`: the newest entry's snapshot, or every entry's.
fn meta_of(
    ws: &Workspace,
    project: &str,
    entries: &[Entry],
    (history, scope): (&History, Snapshots),
    known: Known,
) -> Vec<(String, String)> {
    let mut out = vec![(JOURNAL.to_string(), journal(entries, &history.entries))];
    let mut prev = history
        .last_id
        .clone()
        .unwrap_or_else(|| ZERO_ID.to_string());
    for (i, e) in entries.iter().enumerate() {
        let id = snapshot_id(project, e.tag);
        if scope == Snapshots::Every || i + 1 == entries.len() {
            let fresh = || to_json(&snapshot::snapshot(ws, e.state, &id, &prev));
            let text = match known(e.tag) {
                // Debug builds compute it anyway, and compare.
                Some(text) if cfg!(debug_assertions) => {
                    assert_eq!(text, fresh(), "the kept snapshot of {} differs", e.tag);
                    text
                }
                Some(text) => text,
                None => fresh(),
            };
            let prefix = &e.tag[..4];
            out.push((format!("meta/{prefix}_snapshot.json"), text));
        }
        prev = id;
    }
    out
}

/// The snapshot [`meta`] writes for the newest journal entry `tag`, whose
/// schema is `state`, after the entry `prev` (`None` for the first); a
/// build makes it beside the planning and hands it back through `known`.
pub fn newest_snapshot(
    ws: &Workspace,
    project: &str,
    state: &Project,
    (tag, prev): (&str, Option<&str>),
) -> String {
    let prev = prev.map_or_else(|| ZERO_ID.to_string(), |t| snapshot_id(project, t));
    to_json(&snapshot::snapshot(
        ws,
        state,
        &snapshot_id(project, tag),
        &prev,
    ))
}

/// `JSON.stringify(value, null, 2)`: 2-space indentation, no trailing newline.
pub fn to_json(value: &impl Serialize) -> String {
    serde_json::to_string_pretty(value).expect("snapshot values serialise")
}

/// A UUID (version 8, RFC 4122 variant) derived from the project and tag, so
/// rebuilding gives the same id and no two entries share one.
pub fn snapshot_id(project: &str, tag: &str) -> String {
    let h = Sha256::digest(format!("sluice snapshot\0{project}\0{tag}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// The journal tags among the files of the project folder `dir`, in order.
pub fn journal_tags_of(files: &Files, dir: &std::path::Path) -> Vec<String> {
    let mut tags: Vec<String> = files_under(files, dir)
        .filter_map(|(path, _)| path.strip_prefix(dir).ok())
        .filter_map(|rel| rel.to_str()?.strip_suffix(".sql"))
        .filter(|tag| is_tag(tag))
        .map(str::to_string)
        .collect();
    tags.sort_unstable();
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_tags_are_those_of_the_folder_alone_beside_folders_named_alike() {
        let mut files = Files::new();
        for path in [
            "out/a/0000_initial.sql",
            "out/a/0001_x_expand.sql",
            "out/a/rollback/0001_x_expand.sql",
            "out/a-b/0000_initial.sql",
            "out/a.b/0002_y_expand.sql",
            "out/a0/0003_z_expand.sql",
            "out/0004_w_expand.sql",
        ] {
            files.insert(std::path::PathBuf::from(path), String::new());
        }
        let tags = journal_tags_of(&files, std::path::Path::new("out/a"));
        assert_eq!(tags, ["0000_initial", "0001_x_expand"]);
        let tags = journal_tags_of(&files, std::path::Path::new("out"));
        assert_eq!(tags, ["0004_w_expand"]);
    }

    #[test]
    fn ids_are_uuids_and_differ_per_tag() {
        let a = snapshot_id("notes", "0000_initial");
        let b = snapshot_id("notes", "0001_x_expand");
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8");
        assert_eq!(a, snapshot_id("notes", "0000_initial"));
    }

    #[test]
    fn tags_are_top_level_numbered_files_in_order() {
        let files: Vec<(String, String)> = [
            "0001_b_expand.sql",
            "rollback/0000_initial.sql",
            "0000_initial.sql",
            "backfill/0001_b.sql",
        ]
        .iter()
        .map(|p| (p.to_string(), String::new()))
        .collect();
        assert_eq!(journal_tags(&files), ["0000_initial", "0001_b_expand"]);
    }

    #[test]
    fn sha256_matches_a_known_digest() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
