//! Stage 7b, write: put a build's files on disk, all or nothing.
//!
//! Input: [`crate::emit::Files`]. Output: the folders on disk. Every file is
//! first written into a staging folder beside its project folder; then each
//! project folder is swapped in by two renames (old → backup, staged →
//! place). If anything fails, the folders already swapped are restored, so
//! a failed build leaves the output exactly as it was. A backup left by a
//! build killed between its two renames is restored by the next build.
//! Files in a project folder that sluice did not write (a README, seed
//! data) are carried into the new folder untouched. A folder whose lock
//! alone changed is not swapped: its lock is replaced by a rename of its
//! own, recorded in the marker like the modules (see [`swap`]).

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub use crate::drizzle::siblings::backup_of;
use crate::drizzle::siblings::sibling;
use crate::drizzle::Files;

mod compare;
pub mod guard;
pub mod lock;
pub mod new_file;
mod stage;
pub mod swap;

pub use compare::{changes, foreign_files, stale, Changes};
use stage::stage;

/// Files grouped by the project folder they belong to (the parent of the
/// first path component that is not shared: `<out>/<project>`).
fn by_folder(files: &Files) -> BTreeMap<PathBuf, Vec<(&Path, &str)>> {
    let mut out: BTreeMap<PathBuf, Vec<(&Path, &str)>> = BTreeMap::new();
    for (path, text) in files.iter().filter(|(p, _)| !is_loose(p)) {
        let folder = project_folder(path);
        out.entry(folder)
            .or_default()
            .push((path.as_path(), text.as_str()));
    }
    out
}

/// A generated module that lives among the application's own files (the
/// `schema_ts` TypeScript module): it replaces its old version by a rename
/// of its own, once the project folders are swapped in and the swap is
/// committed, and its folder is neither swapped nor searched for files the
/// build does not write.
fn is_loose(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "ts")
}

/// `drizzle/notes/rollback/x.sql` (or `meta/`, `backfill/`, `subscribe/`,
/// `schedule/`) → `drizzle/notes`; in the Drizzle 1.x
/// layout `drizzle/notes/20240101000000_initial/migration.sql` →
/// `drizzle/notes`.
fn project_folder(path: &Path) -> PathBuf {
    let mut folder = path.parent().unwrap_or(Path::new("")).to_path_buf();
    while folder
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| {
            matches!(
                n,
                "rollback" | "meta" | "backfill" | "subscribe" | "schedule"
            ) || crate::drizzle::layout::is_v1_folder_name(n)
        })
    {
        folder.pop();
    }
    folder
}

/// The project folders (on disk already) in which the lock is the only
/// file the write changes.
fn lock_only(
    folders: &BTreeMap<PathBuf, Vec<(&Path, &str)>>,
    changes: &Changes,
) -> std::collections::BTreeSet<PathBuf> {
    let mut only_lock: BTreeMap<PathBuf, bool> = BTreeMap::new();
    for path in changes.written.iter().filter(|p| !is_loose(p)) {
        let folder = project_folder(path);
        let lock = *path == folder.join(crate::drizzle::LOCK);
        *only_lock.entry(folder).or_insert(true) &= lock;
    }
    for path in &changes.removed {
        only_lock.insert(project_folder(path), false);
    }
    only_lock
        .into_iter()
        .filter(|(f, only)| *only && folders.contains_key(f) && f.is_dir())
        .map(|(f, _)| f)
        .collect()
}

/// Write every file whose bytes differ and remove the files an earlier
/// build wrote that this one does not produce; return what changed. On
/// error nothing on disk has changed. A project folder without a change is
/// left alone; in one with a change, the files that are the same are
/// linked into the new folder, not rewritten.
pub fn write(files: &Files) -> io::Result<Changes> {
    let mut folders = by_folder(files);
    recover_all(folders.keys().map(PathBuf::as_path))?;
    let changes = changes(files)?;
    let mut loose: Vec<(&PathBuf, &String)> = files
        .iter()
        .filter(|(p, _)| is_loose(p) && !changes.is_unchanged(p))
        .collect();
    // A folder whose lock alone changed (an edit elsewhere in the sources
    // changes every lock's input fingerprint) is not swapped: its new lock
    // is staged and renamed into place like a module.
    let relocked = lock_only(&folders, &changes);
    loose.extend(
        relocked
            .iter()
            .filter_map(|f| files.get_key_value(&f.join(crate::drizzle::LOCK))),
    );
    loose.sort();
    // A killed build's staged files are found through the marker beside a
    // swapped folder: with no folder to swap otherwise, the smallest one
    // is swapped (its files linked, not rewritten) to hold the marker.
    let holder = folders
        .iter()
        .min_by_key(|(f, entries)| (entries.len(), *f))
        .map(|(f, entries)| (f.clone(), entries.clone()));
    folders.retain(|f, _| !changes.leaves_alone(f) && !relocked.contains(f));
    if folders.is_empty() && !loose.is_empty() {
        if let Some((f, entries)) = holder {
            loose.retain(|(p, _)| !p.starts_with(&f) || is_loose(p));
            folders.insert(f, entries);
        }
    }
    if folders.is_empty() && loose.is_empty() {
        return Ok(changes);
    }
    let loose_paths: Vec<&PathBuf> = loose.iter().map(|(p, _)| *p).collect();
    // Every staging folder is removed if the write fails, whether or not
    // it got as far as creating it.
    let staged: Vec<PathBuf> = folders.keys().map(|f| sibling(f, "staging")).collect();
    let result = (|| {
        // Each folder is staged on its own, on every core: the links and
        // writes of one folder never touch another's directories.
        let list: Vec<(&PathBuf, &Vec<(&Path, &str)>)> = folders.iter().collect();
        let indices: Vec<usize> = (0..list.len()).collect();
        let stage_one = |i: usize| -> io::Result<()> {
            let (folder, entries) = list[i];
            stage(folder, entries, &changes)?;
            failpoint();
            Ok(())
        };
        for done in crate::cores::in_parallel(&indices, stage_one) {
            done?;
        }
        // Loose modules are staged beside their place; the marker lists
        // them, so a killed build removes them (before its commit) or puts
        // them in place (after it).
        for (path, text) in &loose {
            if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                fs::create_dir_all(dir)?;
            }
            fs::write(sibling(path, "staging"), text)?;
        }
        let all: Vec<&PathBuf> = folders.keys().collect();
        swap::begin(&all, &loose_paths)
    })();
    let unstage = |staged: &[PathBuf]| {
        for s in staged {
            let _ = fs::remove_dir_all(s);
        }
        for (path, _) in &loose {
            let _ = fs::remove_file(sibling(path, "staging"));
        }
    };
    if let Err(e) = result {
        unstage(&staged);
        let all: Vec<&PathBuf> = folders.keys().collect();
        let _ = swap::end(&all);
        return Err(e);
    }
    let mut swapped: Vec<&PathBuf> = Vec::new();
    for folder in folders.keys() {
        if let Err(e) = swap_in(folder) {
            for done in swapped.iter().rev() {
                let _ = restore(done);
            }
            unstage(&staged);
            let all: Vec<&PathBuf> = folders.keys().collect();
            let _ = swap::end(&all);
            return Err(e);
        }
        swapped.push(folder);
        failpoint();
    }
    swap::commit(&swapped, &loose_paths)?;
    // Committed: from here on a killed build is finished, not undone.
    for path in &loose_paths {
        fs::rename(sibling(path, "staging"), path)?;
        failpoint();
    }
    // Removing the old folders is most of a large write's system time:
    // each on a core of its own.
    let indices: Vec<usize> = (0..swapped.len()).collect();
    for done in crate::cores::in_parallel(&indices, |i| -> io::Result<()> {
        let backup = sibling(swapped[i], "backup");
        if backup.exists() {
            fs::remove_dir_all(backup)?;
        }
        failpoint();
        Ok(())
    }) {
        done?;
    }
    swap::end(&swapped)?;
    Ok(changes)
}

/// Put back what a killed build left in these project folders (see
/// [`swap`]); call it only while holding their locks.
pub fn recover_all<'a>(folders: impl IntoIterator<Item = &'a Path>) -> io::Result<()> {
    for folder in folders {
        swap::recover(folder)?;
        recover(folder)?;
    }
    Ok(())
}

/// Whether a killed build left a marker, staging or backup folder beside
/// `folder`.
pub fn leftovers(folder: &Path) -> bool {
    ["swap", "staging", "backup"]
        .iter()
        .any(|suffix| sibling(folder, suffix).exists())
}

/// In debug builds, `SLUICE_FAILPOINT=N` kills the process at the N-th
/// step of a write, as a crash or `kill -9` would, to test recovery.
fn failpoint() {
    #[cfg(debug_assertions)]
    {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static STEP: AtomicUsize = AtomicUsize::new(0);
        if let Some(n) = std::env::var("SLUICE_FAILPOINT")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
        {
            if STEP.fetch_add(1, Ordering::SeqCst) + 1 == n {
                std::process::abort();
            }
        }
    }
}

#[cfg(test)]
thread_local! {
    /// A folder whose swap fails, to test the restore path.
    static FAIL_SWAP_OF: std::cell::RefCell<Option<PathBuf>> = const { std::cell::RefCell::new(None) };
}

fn swap_in(folder: &Path) -> io::Result<()> {
    #[cfg(test)]
    if FAIL_SWAP_OF.with(|f| f.borrow().as_deref() == Some(folder)) {
        return Err(io::Error::other("injected failure"));
    }
    let stage = sibling(folder, "staging");
    let backup = sibling(folder, "backup");
    if let Some(parent) = folder.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)?;
    }
    if folder.exists() {
        fs::rename(folder, &backup)?;
        failpoint();
    }
    if let Err(e) = fs::rename(&stage, folder) {
        if backup.exists() {
            fs::rename(&backup, folder)?;
        }
        return Err(e);
    }
    Ok(())
}

/// Undo a completed swap: the backup becomes the folder again.
fn restore(folder: &Path) -> io::Result<()> {
    let backup = sibling(folder, "backup");
    if backup.exists() {
        if folder.exists() {
            fs::remove_dir_all(folder)?;
        }
        fs::rename(backup, folder)?;
    } else if folder.exists() {
        fs::remove_dir_all(folder)?;
    }
    Ok(())
}

/// Finish or undo what a killed build left: a backup without its folder is
/// the previous output; a backup beside a folder is stale.
fn recover(folder: &Path) -> io::Result<()> {
    let stage = sibling(folder, "staging");
    if stage.exists() {
        fs::remove_dir_all(&stage)?;
    }
    let backup = sibling(folder, "backup");
    if backup.exists() {
        if folder.exists() {
            fs::remove_dir_all(&backup)?;
        } else {
            fs::rename(&backup, folder)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
