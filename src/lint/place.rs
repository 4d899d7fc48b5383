//! Where each file `sluice lint` walked to replays, and in what order.
//!
//! Input: the paths given, the `--changed-since` revision, the excludes,
//! and a callback to hear of each file as the walk finds it. Output: [`Walked`] — the files (sorted), the
//! folder [`Layout`], each file's [`Place`] (the folder whose session it
//! replays in, the migration a `backfill/` script prepares) and the replay
//! order: sorted, but a backfill script right before its migration.

use std::path::{Path, PathBuf};

use globset::GlobSet;

use super::files::{changed_since, collect};
use super::paths;
use super::runner::Layout;

/// What the walk found: the files, sorted, where each replays, and the
/// order they replay in.
pub struct Walked {
    pub files: Vec<PathBuf>,
    pub layout: Layout,
    pub places: Vec<Place>,
    pub order: Vec<usize>,
}

/// Find the files under `paths` (telling `found` of each as the walk
/// meets it), keep those changed since `changed` (`--changed-since`), and
/// place them.
pub fn walk(
    paths: &[PathBuf],
    changed: Option<&str>,
    excludes: &GlobSet,
    found: impl Fn(&Path),
) -> Result<Walked, String> {
    let (mut files, listing) = collect(paths, excludes, found)?;
    if let Some(rev) = changed {
        let changed = changed_since(rev)?;
        files.retain(|f| std::fs::canonicalize(f).is_ok_and(|c| changed.contains(&c)));
    }
    let mut layout = Layout::new(listing);
    let places: Vec<Place> = files.iter().map(|f| place(f, &mut layout)).collect();
    let order = replay_order(&files, &places);
    Ok(Walked {
        files,
        layout,
        places,
        order,
    })
}

/// Where a file replays, found once per file.
pub struct Place {
    /// The folder whose session it replays in.
    pub folder: PathBuf,
    /// The migrations folder a `backfill/` script prepares.
    pub backfill: Option<PathBuf>,
}

fn place(path: &Path, layout: &mut Layout) -> Place {
    Place {
        folder: layout.replay_folder(path),
        backfill: backfill_target(path, layout),
    }
}

/// The order files replay in: sorted, but a `backfill/NAME.sql` script
/// right before the `NAME.sql` migration it prepares (it runs first).
fn replay_order(files: &[PathBuf], places: &[Place]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..files.len()).collect();
    // Paths compare by their components: split each once, not per
    // comparison.
    let key = |&i: &usize| {
        let p = &files[i];
        let (dir, last) = match &places[i].backfill {
            Some(dir) => (dir.as_path(), 0),
            None => (paths::parent(p).unwrap_or(Path::new("")), 1),
        };
        (
            dir.components().collect::<Vec<_>>(),
            paths::file_name(p),
            last,
        )
    };
    order.sort_by_cached_key(key);
    order
}

/// The migrations folder a `backfill/NAME.sql` script prepares, when
/// `NAME.sql` stands in it.
fn backfill_target(path: &Path, layout: &mut Layout) -> Option<PathBuf> {
    let dir = paths::parent(path)?;
    if paths::file_name(dir)? != "backfill" {
        return None;
    }
    let target = paths::parent(dir)?;
    layout
        .folders
        .is_file(&target.join(paths::file_name(path)?))
        .then(|| target.to_path_buf())
}
