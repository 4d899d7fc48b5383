//! Whether a file stands at a path, for the runners' layout checks
//! (`migration_lock.toml`, `snapshot.json`, `meta/_journal.json`, …),
//! without asking the file system once per linted file.
//!
//! Input: the [`Listing`] of the folders `sluice lint` walked to find its
//! files, then paths to ask about. Output: whether each is a file. A path
//! in a walked folder is answered from the listing; so is one in a folder
//! the walk would have entered and did not see (it does not exist). Any
//! other path — in a folder nobody walked, a symbolic link (the walk does
//! not follow links), a hidden folder (the walk skips them) — is asked of
//! the file system once and the answer remembered.

use std::collections::{HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::path::Path;

use foldhash::fast::FixedState;

use crate::lint::paths;

/// The sets are asked several times per linted file: a fast hash.
type Set = HashSet<OsString, FixedState>;

/// What a walk of folders saw: every folder it entered, and every file,
/// folder and link in them.
#[derive(Debug, Default)]
pub struct Listing {
    walked: Set,
    files: Set,
    dirs: Set,
    links: Set,
}

impl Listing {
    /// A folder the walk entered: all its entries are recorded.
    pub fn walked(&mut self, dir: &Path) {
        self.walked.insert(key(dir).to_os_string());
        self.dirs.insert(key(dir).to_os_string());
    }

    /// An entry the walk saw in a folder it entered.
    pub fn entry(&mut self, path: &Path, kind: std::fs::FileType) {
        let k = key(path).to_os_string();
        if kind.is_symlink() {
            self.links.insert(k);
        } else if kind.is_dir() {
            self.dirs.insert(k);
        } else if kind.is_file() {
            self.files.insert(k);
        }
    }
}

/// [`Listing`] answers, and the file system's for the rest.
#[derive(Debug, Default)]
pub struct Folders {
    listing: Listing,
    asked: HashMap<OsString, bool, FixedState>,
}

impl Folders {
    pub fn new(listing: Listing) -> Folders {
        Folders {
            listing,
            asked: HashMap::default(),
        }
    }

    /// Whether `path` is a file (following links), as `Path::is_file`.
    pub fn is_file(&mut self, path: &Path) -> bool {
        if let Some(known) = self.listed(path) {
            return known;
        }
        let k = key(path);
        if let Some(&known) = self.asked.get(k) {
            return known;
        }
        let is = path.is_file();
        self.asked.insert(k.to_os_string(), is);
        is
    }

    /// The listing's answer, when it has one.
    fn listed(&self, path: &Path) -> Option<bool> {
        let l = &self.listing;
        let k = key(path);
        let hidden =
            |p: &Path| paths::file_name(p).is_none_or(|n| n.as_encoded_bytes().starts_with(b"."));
        // The walk skips hidden names.
        if l.links.contains(k) || hidden(path) {
            return None;
        }
        let parent = paths::parent(path)?;
        if l.walked.contains(key(parent)) {
            return Some(l.files.contains(k));
        }
        // A folder the walk would have entered had it been there.
        let grand = paths::parent(parent)?;
        let absent = !hidden(parent)
            && l.walked.contains(key(grand))
            && !l.dirs.contains(key(parent))
            && !l.links.contains(key(parent));
        absent.then_some(false)
    }
}

/// The path's text without trailing separators, so `migrations/` and the
/// parent of `migrations/x.sql` are the same folder.
fn key(path: &Path) -> &OsStr {
    let bytes = path.as_os_str().as_encoded_bytes();
    let mut end = bytes.len();
    while end > 1 && bytes[end - 1] == b'/' {
        end -= 1;
    }
    // SAFETY: cutting ASCII `/` off the end keeps the encoding valid.
    unsafe { OsStr::from_encoded_bytes_unchecked(&bytes[..end]) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walked_folders_are_answered_without_the_file_system() {
        let dir = std::env::temp_dir().join(format!("sluice-folders-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("a/meta")).expect("mkdir");
        std::fs::write(dir.join("a/x.sql"), "").expect("write");
        std::fs::write(dir.join("a/meta/_journal.json"), "{}").expect("write");
        let mut listing = Listing::default();
        for e in walkdir::WalkDir::new(format!("{}/", dir.display())) {
            let e = e.expect("walks");
            if e.file_type().is_dir() {
                listing.walked(e.path());
            }
            listing.entry(e.path(), e.file_type());
        }
        let mut folders = Folders::new(listing);
        // Removed after the walk: the listing, not the disk, answers.
        std::fs::remove_dir_all(&dir).expect("rm");
        assert!(folders.is_file(&dir.join("a/x.sql")));
        assert!(folders.is_file(&dir.join("a/meta/_journal.json")));
        assert!(!folders.is_file(&dir.join("a/snapshot.json")));
        assert!(!folders.is_file(&dir.join("a/none/_journal.json")));
        assert!(!folders.is_file(&dir.join("a")));
        // Outside the walk, the file system is asked.
        assert!(!folders.is_file(Path::new("/nonexistent-sluice/x/y")));
    }
}
