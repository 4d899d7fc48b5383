//! `Path::parent` and `Path::file_name` for the paths a walk yields,
//! without parsing them component by component.
//!
//! Input: a path. Output: its parent folder or its last name, exactly as
//! the standard library gives them (a test holds the two together). The
//! runner detection asks both a dozen times per file, and std's
//! component parser made that a thirtieth of linting a corpus; a path
//! whose end is plain (`dir/name`) is cut at its last `/` instead, any
//! other is left to std.

use std::ffi::OsStr;
use std::path::Path;

/// The folder and the name of a path that ends `dir/name`, `name` neither
/// `.` nor `..` and `dir` ending in neither `/` nor `/.`.
fn plain(path: &Path) -> Option<(&OsStr, &OsStr)> {
    if !cfg!(unix) {
        return None;
    }
    let bytes = path.as_os_str().as_encoded_bytes();
    let cut = bytes.iter().rposition(|&b| b == b'/')?;
    let (dir, name) = (&bytes[..cut], &bytes[cut + 1..]);
    let plain_name = !name.is_empty() && name != b"." && name != b"..";
    let plain_dir = !dir.is_empty() && !dir.ends_with(b"/") && !dir.ends_with(b"/.");
    // SAFETY: both sides of an ASCII `/` are valid encoded text.
    let os = |b| unsafe { OsStr::from_encoded_bytes_unchecked(b) };
    (plain_name && plain_dir).then(|| (os(dir), os(name)))
}

/// As [`Path::parent`].
pub fn parent(path: &Path) -> Option<&Path> {
    match plain(path) {
        Some((dir, _)) => Some(Path::new(dir)),
        None => path.parent(),
    }
}

/// As [`Path::file_name`].
pub fn file_name(path: &Path) -> Option<&OsStr> {
    match plain(path) {
        Some((_, name)) => Some(name),
        None => path.file_name(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_and_names_are_what_std_gives() {
        let paths = [
            "a/b/c.sql",
            "./a/c.sql",
            "./c.sql",
            "../c.sql",
            "a/../c.sql",
            "c.sql",
            "/c.sql",
            "/a/c.sql",
            "a//c.sql",
            "a//b//c.sql",
            "a/./c.sql",
            "a/.",
            "a/..",
            "a/b/",
            "a/b//",
            ".",
            "..",
            "/",
            "",
            "a/.hidden",
            "é/ü.sql",
            "a/./",
        ];
        for p in paths {
            let p = Path::new(p);
            assert_eq!(parent(p), p.parent(), "parent of {p:?}");
            assert_eq!(file_name(p), p.file_name(), "name of {p:?}");
        }
    }
}
