//! The whole build as one step for readers of the output folder. Before
//! the first project folder is swapped in, a marker beside each folder of
//! the build (`.<project>.sluice-swap`) lists them all; once every folder
//! is swapped it says `committed`. A build killed in between leaves the
//! marker behind, and the next `sluice build`, `build --check` or `check`
//! (under the folder lock) puts every folder back as it was before the
//! killed build, or finishes a committed one: the folders are never left
//! some old and some new. The marker also lists the loose modules of the
//! build (`file <path>`) and the locks of folders whose lock alone changed,
//! staged beside their place: undoing removes the staged ones, finishing
//! renames them into place.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::sibling;

const COMMITTED: &str = "committed";
const FILE: &str = "file ";

pub fn marker(folder: &Path) -> PathBuf {
    sibling(folder, "swap")
}

/// Record that the swaps of `folders` begin; `loose` are staged.
pub fn begin(folders: &[&PathBuf], loose: &[&PathBuf]) -> io::Result<()> {
    write_markers(folders, loose, false)
}

/// Record that every folder is swapped in: the build is done.
pub fn commit(folders: &[&PathBuf], loose: &[&PathBuf]) -> io::Result<()> {
    write_markers(folders, loose, true)
}

fn write_markers(folders: &[&PathBuf], loose: &[&PathBuf], committed: bool) -> io::Result<()> {
    let mut text = String::new();
    if committed {
        text.push_str(COMMITTED);
        text.push('\n');
    }
    for f in folders {
        text.push_str(&f.to_string_lossy());
        text.push('\n');
    }
    for f in loose {
        text.push_str(FILE);
        text.push_str(&f.to_string_lossy());
        text.push('\n');
    }
    for f in folders {
        if let Some(dir) = f.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir)?;
        }
        fs::write(marker(f), &text)?;
        super::failpoint();
    }
    Ok(())
}

/// Remove the markers once the backups are gone.
pub fn end(folders: &[&PathBuf]) -> io::Result<()> {
    for f in folders {
        let m = marker(f);
        if m.exists() {
            fs::remove_file(m)?;
        }
        super::failpoint();
    }
    Ok(())
}

/// Undo (or finish, when committed) a build killed while it swapped the
/// folders that `folder`'s marker lists.
pub fn recover(folder: &Path) -> io::Result<()> {
    let Ok(text) = fs::read_to_string(marker(folder)) else {
        return Ok(());
    };
    let committed = text.lines().next() == Some(COMMITTED);
    let folders: Vec<PathBuf> = text
        .lines()
        .filter(|l| *l != COMMITTED && !l.is_empty() && !l.starts_with(FILE))
        .map(PathBuf::from)
        .collect();
    for f in text.lines().filter_map(|l| l.strip_prefix(FILE)) {
        let stage = sibling(Path::new(f), "staging");
        if !stage.exists() {
            continue;
        }
        if committed {
            fs::rename(&stage, f)?;
        } else {
            fs::remove_file(&stage)?;
        }
    }
    for f in &folders {
        let stage = sibling(f, "staging");
        let backup = sibling(f, "backup");
        let staged = stage.exists();
        if staged {
            fs::remove_dir_all(&stage)?;
        }
        if committed {
            if backup.exists() {
                fs::remove_dir_all(&backup)?;
            }
        } else if backup.exists() {
            if f.exists() {
                fs::remove_dir_all(f)?;
            }
            fs::rename(&backup, f)?;
        } else if !staged && f.exists() {
            // Swapped in where no folder was before.
            fs::remove_dir_all(f)?;
        }
    }
    for f in &folders {
        let m = marker(f);
        if m.exists() {
            fs::remove_file(m)?;
        }
    }
    Ok(())
}
