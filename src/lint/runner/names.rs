//! What a file's name says about its runner: golang-migrate's
//! `N_name.up.sql`, flyway's `V1__name.sql`, and rollback scripts.
//!
//! Input: a file name or path. Output: yes or no.

use std::path::Path;

/// `1_name.up.sql`, `20240101120000_name.down.sql`.
pub fn is_golang_migrate_name(name: &str) -> bool {
    let stem = name
        .strip_suffix(".up.sql")
        .or_else(|| name.strip_suffix(".down.sql"));
    stem.and_then(|s| s.split_once('_'))
        .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// `V1__name.sql`, `V1.2__name.sql`, `U3__name.sql`, `R__name.sql`.
pub fn is_flyway_name(name: &str) -> bool {
    let Some((head, rest)) = name.split_once("__") else {
        return false;
    };
    if rest.len() <= 4 || !name.ends_with(".sql") {
        return false;
    }
    match head.split_at_checked(1) {
        Some(("R", v)) => v.is_empty(),
        Some(("V" | "U", v)) => {
            !v.is_empty()
                && v.bytes()
                    .all(|b| b.is_ascii_digit() || b == b'.' || b == b'_')
        }
        _ => false,
    }
}

/// A rollback script (`rollback/0001_x.sql`, `0001_x.down.sql`): it undoes
/// its migration for the application version before it, which never used
/// what the migration added, so its drops are expected, as in a contract
/// phase.
pub fn is_rollback(path: &Path) -> bool {
    let in_folder = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .is_some_and(is_rollback_folder);
    in_folder || is_rollback_name(path)
}

/// A folder of rollback scripts (`rollback/`, `rollbacks/`, `down/`).
pub fn is_rollback_folder(name: &str) -> bool {
    matches!(name, "rollback" | "rollbacks" | "down")
}

/// A file named as a rollback (`0001_x.down.sql`, `down.sql`).
pub fn is_rollback_name(path: &Path) -> bool {
    path.file_stem().and_then(|s| s.to_str()).is_some_and(|s| {
        s.ends_with(".down") || s.ends_with("_down") || s == "down" || s == "rollback"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_tell_the_runner() {
        assert!(is_golang_migrate_name("0001_init.up.sql"));
        assert!(is_golang_migrate_name("20240101_init.down.sql"));
        assert!(!is_golang_migrate_name("init.up.sql"));
        assert!(is_flyway_name("V1__init.sql"));
        assert!(is_flyway_name("V1.2__add_notes.sql"));
        assert!(is_flyway_name("U3__undo.sql"));
        assert!(is_flyway_name("R__views.sql"));
        assert!(!is_flyway_name("V__x.sql"));
        assert!(!is_flyway_name("0001_init.sql"));
    }
}
