//! One new file, written whole or not at all, never over an existing one.
//!
//! Input: a path and its text. Output: the file on disk. The text goes to a
//! hidden temporary file beside it, is synced, and is then linked in under
//! its name: the link fails if the name exists, so an existing file (a
//! migration written meanwhile) is never replaced, and a reader never sees
//! half a file.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Write `text` to `path`, which must not exist yet.
pub fn create_new(path: &Path, text: &str) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        drop(f);
        fs::hard_link(&tmp, path)
    })();
    let _ = fs::remove_file(&tmp);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_existing_file_is_never_replaced() {
        let dir = std::env::temp_dir().join(format!("sluice-new-file-{}", std::process::id()));
        let path = dir.join("0002_x.sluice");
        let _ = fs::remove_dir_all(&dir);
        create_new(&path, "one").expect("first write");
        let err = create_new(&path, "two").expect_err("second write must fail");
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read_to_string(&path).expect("read"), "one");
        assert_eq!(
            fs::read_dir(&dir).expect("dir").count(),
            1,
            "no temporary file left"
        );
        let _ = fs::remove_dir_all(&dir);
    }
}
