//! One project folder staged beside it for the swap.
//!
//! Input: the folder, the build's files for it and what the write changes
//! ([`Changes`]). Output: `<folder>` staged as a sibling folder
//! (`.<project>.sluice-staging`) holding the folder's new contents.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::compare::{carry, foreign_files, Changes};
use super::sibling;

/// Stage one project folder's files beside it: the foreign files copied,
/// the unchanged ones linked, the others written.
pub(super) fn stage(folder: &Path, entries: &[(&Path, &str)], changes: &Changes) -> io::Result<()> {
    let stage = sibling(folder, "staging");
    if stage.exists() {
        fs::remove_dir_all(&stage)?;
    }
    for rel in foreign_files(folder, entries)? {
        carry(&folder.join(&rel), &stage.join(&rel))?;
    }
    // Each folder made once, not asked for again before every file.
    let mut made: HashSet<PathBuf> = HashSet::new();
    for (path, text) in entries {
        let rel = path.strip_prefix(folder).unwrap_or(path);
        let target = stage.join(rel);
        if let Some(dir) = target.parent() {
            if !made.contains(dir) {
                fs::create_dir_all(dir)?;
                made.insert(dir.to_path_buf());
            }
        }
        // The same bytes: the file itself moves into the new folder.
        let linked = changes.is_unchanged(path) && fs::hard_link(path, &target).is_ok();
        if !linked {
            fs::write(&target, text)?;
        }
    }
    Ok(())
}
