//! Which Drizzle layout a project folder is meant for.
//!
//! Input: a project's output folder. Output: a `drizzle-v1-layout` error
//! when the folder already has the 1.x layout (`<14 digits>_<name>/` with a
//! `migration.sql`, no journal) or the nearest `package.json` (in the folder
//! or any folder above it) asks for drizzle-kit or drizzle-orm 1.x, betas
//! and release candidates included. sluice writes the 0.x layout only; the
//! 1.x migrator refuses a folder with a journal, so the two never mix.
//! Reads the disk, writes nothing.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};

const HELP: &str = "keep drizzle-kit 0.31 and drizzle-orm 0.45 (the 0.x line, whose \
     journal folder sluice writes), or set `target plain` in the workspace block, or point \
     `out` at another folder";

/// The layout problems of `dir` (empty when sluice may write there).
pub fn check(dir: &Path) -> io::Result<Vec<Diagnostic>> {
    let mut out = Vec::new();
    if let Some(folder) = v1_migration_folder(dir)? {
        out.push(
            Diagnostic::of(
                Code::DrizzleV1Layout,
                format!(
                    "`{}` has the Drizzle 1.x layout (`{}/migration.sql`); sluice writes the 0.x layout with a journal and does not mix them",
                    dir.display(),
                    folder
                ),
            )
            .help(HELP),
        );
    }
    if let Some((file, package, spec)) = v1_package(dir)? {
        out.push(
            Diagnostic::of(
                Code::DrizzleV1Layout,
                format!(
                    "`{}` asks for `{package}` `{spec}`, whose migrator reads the 1.x layout; sluice writes the 0.x layout for `{}`",
                    file.display(),
                    dir.display()
                ),
            )
            .help(HELP),
        );
    }
    Ok(out)
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

/// The nearest `package.json` at or above `dir`, if it pins a 1.x drizzle
/// package: (file, package, version spec).
fn v1_package(dir: &Path) -> io::Result<Option<(PathBuf, String, String)>> {
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
            if let Some(spec) = spec.filter(|s| is_v1_spec(s)) {
                // Shown relative to the current folder when inside it.
                let shown = file
                    .strip_prefix(&cwd)
                    .map_or(file.clone(), Path::to_path_buf);
                return Ok(Some((shown, package.to_string(), spec.to_string())));
            }
        }
    }
    Ok(None)
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
