//! One build at a time per output folder. A build takes an exclusive lock
//! per project folder (a file in the system's temporary folder, see
//! [`lock_path`]; taken in path order, so two builds never wait on each
//! other crosswise) before it reads the folders and holds it until its
//! files are in place. The operating system
//! drops the lock with the process, so a killed build never leaves it held.

use std::fs::{self, File, TryLockError};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a build waits for another one to finish.
pub const WAIT: Duration = Duration::from_secs(5);

/// The locks of a build; dropping it releases them.
#[derive(Debug)]
pub struct Held {
    _files: Vec<File>,
}

/// Why the locks were not taken.
#[derive(Debug)]
pub enum LockError {
    /// Another build held this lock file for all of [`WAIT`].
    Busy(PathBuf),
    Io(io::Error),
}

/// Lock every project folder of a build.
pub fn acquire<'a>(folders: impl IntoIterator<Item = &'a Path>) -> Result<Held, LockError> {
    let mut paths: Vec<PathBuf> = folders.into_iter().map(lock_path).collect();
    paths.sort();
    paths.dedup();
    let deadline = Instant::now() + WAIT;
    let mut files = Vec::new();
    for path in paths {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(LockError::Io)?;
        }
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(LockError::Io)?;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(25));
                }
                Err(TryLockError::WouldBlock) => return Err(LockError::Busy(path)),
                Err(TryLockError::Error(e)) => return Err(LockError::Io(e)),
            }
        }
        files.push(file);
    }
    Ok(Held { _files: files })
}

/// The lock file of a project folder: in the system's temporary folder,
/// named by a hash of the folder's absolute path, so a build writes nothing
/// into the output folder but its files, and every spelling of one folder
/// shares one lock.
pub fn lock_path(folder: &Path) -> PathBuf {
    let abs = super::guard::absolute(folder);
    let hash = crate::digest::sha256_hex(abs.to_string_lossy().as_bytes());
    std::env::temp_dir()
        .join(locks_folder())
        .join(format!("{}.lock", &hash[..32]))
}

/// `sluice-locks-<uid>`: one folder per user, so a folder another user
/// made in a shared temporary folder never blocks this one's builds.
/// (Where `/proc` is missing, as on macOS, the temporary folder is the
/// user's own already.)
fn locks_folder() -> String {
    use std::os::unix::fs::MetadataExt as _;
    match fs::metadata("/proc/self") {
        Ok(me) => format!("sluice-locks-{}", me.uid()),
        Err(_) => "sluice-locks".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_user_has_a_lock_folder_of_their_own() {
        use std::os::unix::fs::MetadataExt as _;
        let path = lock_path(Path::new("drizzle/notes"));
        let folder = path.parent().expect("a folder").to_path_buf();
        if let Ok(me) = fs::metadata("/proc/self") {
            assert!(
                folder.ends_with(format!("sluice-locks-{}", me.uid())),
                "{path:?}"
            );
        }
    }
}
