//! Stage 7b, write: put a build's files on disk, all or nothing.
//!
//! Input: [`crate::emit::Files`]. Output: the folders on disk. Every file is
//! first written into a staging folder beside its project folder; then each
//! project folder is swapped in by two renames (old → backup, staged →
//! place). If anything fails, the folders already swapped are restored, so
//! a failed build leaves the output exactly as it was. A backup left by a
//! build killed between its two renames is restored by the next build.
//! Files in a project folder that sluice did not write (a README, seed
//! data) are carried into the new folder untouched.

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

/// Write every file whose bytes differ and remove the files an earlier
/// build wrote that this one does not produce; return what changed. On
/// error nothing on disk has changed. A project folder without a change is
/// left alone; in one with a change, the files that are the same are
/// linked into the new folder, not rewritten.
pub fn write(files: &Files) -> io::Result<Changes> {
    let mut folders = by_folder(files);
    recover_all(folders.keys().map(PathBuf::as_path))?;
    let changes = changes(files)?;
    let loose: Vec<(&PathBuf, &String)> = files
        .iter()
        .filter(|(p, _)| is_loose(p) && !changes.is_unchanged(p))
        .collect();
    // A killed build's staged modules are found through the marker beside
    // a swapped folder: with modules alone changed, every folder is swapped
    // (its files linked, not rewritten).
    if loose.is_empty() || folders.keys().any(|f| !changes.leaves_alone(f)) {
        folders.retain(|folder, _| !changes.leaves_alone(folder));
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
mod tests {
    use super::*;

    fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().to_path_buf(),
                    fs::read(e.path()).unwrap_or_default(),
                )
            })
            .collect()
    }

    #[test]
    fn a_swap_that_fails_after_another_folder_was_swapped_restores_both() {
        let root = std::env::temp_dir().join(format!("sluice-write-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let mut old = Files::new();
        let mut new = Files::new();
        for p in ["a", "b"] {
            old.insert(root.join(p).join("0000_initial.sql"), format!("old {p}"));
            old.insert(root.join(p).join("meta/_journal.json"), "{}".into());
            new.insert(root.join(p).join("0000_initial.sql"), format!("new {p}"));
            new.insert(root.join(p).join("rollback/0000_initial.sql"), "x".into());
        }
        write(&old).expect("the first write");
        let before = tree(&root);
        FAIL_SWAP_OF.with(|f| *f.borrow_mut() = Some(root.join("b")));
        let result = write(&new);
        FAIL_SWAP_OF.with(|f| *f.borrow_mut() = None);
        assert!(result.is_err());
        assert_eq!(
            tree(&root),
            before,
            "folder `a` was swapped and not restored"
        );
        write(&new).expect("a later write");
        assert_eq!(
            fs::read_to_string(root.join("a/0000_initial.sql"))
                .ok()
                .as_deref(),
            Some("new a")
        );
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn a_module_beside_the_applications_files_is_replaced_alone() {
        let root = std::env::temp_dir().join(format!("sluice-write-ts-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("app")).expect("mkdir");
        fs::write(root.join("app/client.ts"), "mine").expect("an application file");
        fs::write(root.join("app/notes.ts"), "old").expect("the previous module");
        let mut files = Files::new();
        files.insert(root.join("out/notes/0000_initial.sql"), "x".into());
        files.insert(root.join("app/notes.ts"), "new".into());
        write(&files).expect("the write");
        assert_eq!(
            fs::read_to_string(root.join("app/notes.ts"))
                .ok()
                .as_deref(),
            Some("new")
        );
        assert_eq!(
            fs::read_to_string(root.join("app/client.ts"))
                .ok()
                .as_deref(),
            Some("mine")
        );
        assert_eq!(stale(&files).expect("readable"), Vec::<PathBuf>::new());
        let leftovers: Vec<_> = fs::read_dir(root.join("app"))
            .expect("read")
            .flatten()
            .map(|e| e.file_name())
            .filter(|n| n.to_string_lossy().contains("sluice-"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        fs::write(root.join("app/notes.ts"), "edited").expect("edit");
        assert_eq!(
            stale(&files).expect("readable"),
            vec![root.join("app/notes.ts")]
        );
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn nested_output_folders_belong_to_their_project() {
        assert_eq!(
            project_folder(Path::new("out/notes/rollback/0000_initial.sql")),
            PathBuf::from("out/notes")
        );
        assert_eq!(
            project_folder(Path::new("out/notes/0000_initial.sql")),
            PathBuf::from("out/notes")
        );
        for script in [
            "out/analytics/subscribe/sluice_from_notes.sql",
            "out/notes/schedule/sluice_purge.sql",
        ] {
            assert_eq!(
                project_folder(Path::new(script)),
                PathBuf::from(script.rsplitn(3, '/').nth(2).expect("a project folder"))
            );
        }
    }
}
