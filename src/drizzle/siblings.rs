//! Where sluice keeps the siblings of a folder or file it replaces: the
//! staging copy it writes first and the backup a killed build leaves.
//!
//! Input: a path. Output: the hidden sibling path beside it.

use std::path::{Path, PathBuf};

/// Where a build killed between its two renames left the previous folder.
pub fn backup_of(folder: &Path) -> PathBuf {
    sibling(folder, "backup")
}

pub fn sibling(folder: &Path, suffix: &str) -> PathBuf {
    let name = folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    folder.with_file_name(format!(".{name}.sluice-{suffix}"))
}
