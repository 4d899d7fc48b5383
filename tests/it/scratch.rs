//! Scratch folders for the integration tests. Input: a tag naming the
//! test. Output: a fresh, empty folder under cargo's per-target temp dir
//! (`target/tmp/`), never `/tmp`, removed when its guard drops — unless the
//! test is panicking: then it is kept for inspection and its path printed.
//!
//! `target/tmp/` has no `package.json` above it (the repository root has
//! none), so sluice's Drizzle layout detection sees a plain folder there.
//! It does sit inside this repository's git work tree, and sluice reads the
//! git repository holding an output folder to tell released migrations
//! from drafts: `.cargo/config.toml` sets `GIT_CEILING_DIRECTORIES` to
//! `target/` for the tests, so git finds no repository above a scratch
//! folder (one a test makes inside it with `git init` still counts). A run
//! without that setting fails here, saying so.

use std::ffi::OsStr;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Once;

static NEXT: AtomicU32 = AtomicU32::new(0);
static OUTSIDE_GIT: Once = Once::new();

/// Panics when git sees `target/tmp/` inside a work tree.
fn assert_outside_git(tmp: &Path) {
    let inside = Command::new("git")
        .args(["rev-parse", "--is-inside-work-tree"])
        .current_dir(tmp)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "true");
    assert!(
        !inside,
        "git sees the scratch folder {} as part of this repository, so sluice \
         would take every migration written there for a draft: run the tests \
         with cargo, which sets GIT_CEILING_DIRECTORIES from .cargo/config.toml",
        tmp.display()
    );
}

/// A test's scratch folder: derefs to the path it points at (the folder
/// itself, or a place inside it), removes the whole folder on drop.
#[derive(Debug)]
pub struct ScratchDir {
    root: PathBuf,
    at: PathBuf,
}

impl ScratchDir {
    /// A fresh, empty folder `target/tmp/TAG-PID-N`.
    pub fn new(tag: &str) -> ScratchDir {
        let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
        OUTSIDE_GIT.call_once(|| assert_outside_git(tmp));
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let root = tmp.join(format!("{tag}-{}-{n}", std::process::id()));
        // A leftover of an earlier process that had the same pid.
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root)
            .unwrap_or_else(|e| panic!("create the scratch folder {}: {e}", root.display()));
        ScratchDir {
            at: root.clone(),
            root,
        }
    }

    /// The same guard, pointing at `rel` inside the folder.
    pub fn at(mut self, rel: &str) -> ScratchDir {
        self.at = self.root.join(rel);
        self
    }

    /// The same guard, pointing at the folder itself.
    pub fn into_root(mut self) -> ScratchDir {
        self.at = self.root.clone();
        self
    }
}

impl Deref for ScratchDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.at
    }
}

impl AsRef<Path> for ScratchDir {
    fn as_ref(&self) -> &Path {
        &self.at
    }
}

impl AsRef<OsStr> for ScratchDir {
    fn as_ref(&self) -> &OsStr {
        self.at.as_os_str()
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("kept the scratch folder {}", self.root.display());
        } else {
            let _ = std::fs::remove_dir_all(&self.root);
        }
    }
}
