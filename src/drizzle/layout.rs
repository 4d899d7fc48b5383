//! Which Drizzle layout a project folder is meant for.
//!
//! Input: a project's output folder. Output: its [`Layout`]: 1.x when the
//! folder already has the 1.x layout (`<14 digits>_<name>/` with a
//! `migration.sql`, no journal) or the nearest `package.json` (in the
//! folder or any folder above it) asks for drizzle-kit or drizzle-orm 1.x,
//! betas and release candidates included; else 0.x. A `drizzle-v1-layout`
//! error when the two disagree: a journal folder under a `package.json`
//! that asks for 1.x (the 1.x migrator refuses a folder with a journal), or
//! a 1.x folder under one that pins 0.x (whose migrator reads only the
//! journal), or a folder holding both. Reads the disk, writes nothing.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};

/// The two folder layouts of Drizzle's migrations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `<NNNN>_<name>.sql` and `meta/_journal.json` (drizzle-kit 0.31).
    V0,
    /// `<YYYYMMDDHHMMSS>_<name>/migration.sql` (drizzle-kit 1.0).
    V1,
}

/// The layout `dir` is meant for, or why it is unclear.
pub fn detect(dir: &Path) -> io::Result<Result<Layout, Diagnostic>> {
    let v1_folder = v1_migration_folder(dir)?;
    let journal = dir.join(super::JOURNAL).is_file();
    let package = drizzle_package(dir)?;
    let help_v1 =
        "with drizzle-kit 0.31 still pinned, write every snapshot with `sluice build --every-snapshot`, \
         then convert the folder with `npx drizzle-kit up` (drizzle-kit 1.0) and commit it, or keep \
         drizzle-kit 0.31 and drizzle-orm 0.45 until then, or point `out` at a new folder";
    if let (Some(folder), true) = (&v1_folder, journal) {
        return Ok(Err(Diagnostic::of(
            Code::DrizzleV1Layout,
            format!(
                "`{}` has both Drizzle layouts: `{}` and `{}/migration.sql`",
                dir.display(),
                super::JOURNAL,
                folder
            ),
        )
        .help("keep one: restore the folder from version control, or move one layout to another folder")));
    }
    match (package, v1_folder, journal) {
        (Some((file, package, spec, true)), _, true) => Ok(Err(Diagnostic::of(
            Code::DrizzleV1Layout,
            format!(
                "`{}` asks for `{package}` `{spec}`, whose migrator refuses the journal folder `{}`",
                file.display(),
                dir.display()
            ),
        )
        .help(help_v1))),
        (Some((file, package, spec, false)), Some(folder), _) => Ok(Err(Diagnostic::of(
            Code::DrizzleV1Layout,
            format!(
                "`{}` has the Drizzle 1.x layout (`{folder}/migration.sql`), but `{}` pins `{package}` `{spec}`, whose migrator reads only a journal",
                dir.display(),
                file.display()
            ),
        )
        .help("pin drizzle-kit and drizzle-orm 1.0 (`1.0.0-rc.5` or later) in `package.json`, or point `out` at another folder"))),
        (Some((_, _, _, true)), _, false) | (_, Some(_), false) => Ok(Ok(Layout::V1)),
        _ => Ok(Ok(Layout::V0)),
    }
}

/// The name of a `<14 digits>_<name>` folder holding `migration.sql`.
fn v1_migration_folder(dir: &Path) -> io::Result<Option<String>> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut found: Vec<String> = Vec::new();
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_v1_folder_name(&name) && entry.path().join("migration.sql").is_file() {
            found.push(name);
        }
    }
    found.sort();
    Ok(found.into_iter().next())
}

/// `20250101120000_add_users`: 14 digits, `_`, a name.
pub fn is_v1_folder_name(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() > 15 && b[..14].iter().all(u8::is_ascii_digit) && b[14] == b'_'
}

/// The nearest `package.json` at or above `dir`, if it names a drizzle
/// package: (file, package, version spec, whether it is 1.x). A 1.x spec
/// of either package wins.
fn drizzle_package(dir: &Path) -> io::Result<Option<(PathBuf, String, String, bool)>> {
    let cwd = std::env::current_dir()?;
    let start = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        cwd.join(dir)
    };
    let Some(file) = start
        .ancestors()
        .map(|d| d.join("package.json"))
        .find(|f| f.is_file())
    else {
        return Ok(None);
    };
    let text = fs::read_to_string(&file)?;
    // A package.json that is not JSON says nothing about drizzle.
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Ok(None);
    };
    let mut found = None;
    for section in [
        "dependencies",
        "devDependencies",
        "peerDependencies",
        "optionalDependencies",
    ] {
        for package in ["drizzle-kit", "drizzle-orm"] {
            let spec = json
                .get(section)
                .and_then(|s| s.get(package))
                .and_then(|v| v.as_str());
            let Some(spec) = spec else { continue };
            // Shown relative to the current folder when inside it.
            let shown = file
                .strip_prefix(&cwd)
                .map_or(file.clone(), Path::to_path_buf);
            let v1 = is_v1_spec(spec);
            if v1 {
                return Ok(Some((shown, package.to_string(), spec.to_string(), true)));
            }
            found.get_or_insert((shown, package.to_string(), spec.to_string(), false));
        }
    }
    Ok(found)
}

/// Whether an npm version spec selects drizzle 1.x: a major of 1 or more
/// (`1.0.0-beta.2`, `^1.0.0-rc.1`, `>=1`), or the `beta`/`rc`/`next` tags
/// under which the 1.0 line is published.
pub fn is_v1_spec(spec: &str) -> bool {
    let spec = spec.trim();
    if matches!(spec, "beta" | "rc" | "next") {
        return true;
    }
    let digits: String = spec
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse::<u64>().is_ok_and(|major| major >= 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_of_the_1x_line_are_recognised() {
        for spec in [
            "1.0.0-beta.2",
            "^1.0.0-rc.1",
            ">=1",
            "~1.0.0",
            "beta",
            "v1.2.0",
        ] {
            assert!(is_v1_spec(spec), "{spec}");
        }
        for spec in ["0.31.11", "^0.45.4", "~0.31", "latest", "*", ""] {
            assert!(!is_v1_spec(spec), "{spec}");
        }
    }

    #[test]
    fn v1_folder_names_have_fourteen_digits() {
        assert!(is_v1_folder_name("20250101120000_add_users"));
        assert!(!is_v1_folder_name("0001_add_users"));
        assert!(!is_v1_folder_name("20250101120000_"));
    }
}
