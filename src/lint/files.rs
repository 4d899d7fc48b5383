//! The files `sluice lint` reads: every `.sql` file under the paths it is
//! given, sorted, with the configured excludes dropped and, for
//! `--changed-since`, only those git reports changed.
//!
//! Input: paths, exclude patterns, a git revision. Output: sorted paths, the
//! exclude set, the changed files (canonical), or a usage/I/O error.

use std::collections::{BTreeSet, HashSet};
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use globset::{Glob, GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

use super::runner::Listing;

pub fn glob_set(patterns: &[String]) -> Result<GlobSet, String> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let g = Glob::new(p).map_err(|e| format!("exclude pattern `{p}`: {e}"))?;
        b.add(g);
    }
    b.build().map_err(|e| e.to_string())
}

/// Every `.sql` file under the paths (a file named directly is taken
/// whatever its extension), sorted, excludes dropped; and what the walk
/// saw on the way, so the runners' layout checks need not ask again.
/// `found` hears of each file as the walk finds it, in `Path` order within
/// each path given, so its reading can start before the walk ends.
pub fn collect(
    paths: &[PathBuf],
    excludes: &GlobSet,
    found: impl Fn(&Path),
) -> Result<(Vec<PathBuf>, Listing), String> {
    let mut out = Vec::new();
    let mut listing = Listing::default();
    let mut seen = HashSet::new();
    for root in paths {
        if root.is_file() {
            if !is_excluded(root, excludes) && seen.insert(root.clone()) {
                found(root);
                out.push(root.clone());
            }
            continue;
        }
        if !root.is_dir() {
            return Err(format!("{}: no such file or folder", root.display()));
        }
        // Each folder's names sorted, so files are found in the order they
        // replay. Siblings' paths differ only in their names: comparing the
        // paths whole spares parsing each name out on every comparison.
        let walker = WalkDir::new(root)
            .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            let entry = entry.map_err(|e| e.to_string())?;
            let p = entry.path();
            if entry.file_type().is_dir() {
                listing.walked(p);
            }
            if entry.depth() > 0 {
                listing.entry(p, entry.file_type());
            }
            let is_sql = p.extension().and_then(|e| e.to_str()) == Some("sql");
            if entry.file_type().is_file()
                && is_sql
                && !is_excluded(p, excludes)
                && seen.insert(p.to_path_buf())
            {
                found(p);
                out.push(p.to_path_buf());
            }
        }
    }
    // One folder's walk found its files in `Path` order already; files
    // named one by one (as pre-commit passes them) replay in order too.
    let out = match paths {
        [one] if one.is_dir() => out,
        _ => sorted(out),
    };
    debug_assert!(out.is_sorted());
    Ok((out, listing))
}

/// The paths in `Path` order. Paths compare by their components: each is
/// split once here, not once per comparison.
fn sorted(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut order: Vec<usize> = (0..paths.len()).collect();
    {
        let keys: Vec<Vec<Component>> = paths.iter().map(|p| p.components().collect()).collect();
        order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    }
    let mut slots: Vec<Option<PathBuf>> = paths.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

fn is_excluded(path: &Path, excludes: &GlobSet) -> bool {
    // Most runs exclude nothing: no name to build per file.
    if excludes.is_empty() {
        return false;
    }
    let shown = display_name(path);
    excludes.is_match(&shown) || excludes.is_match(path)
}

/// The path as the user gave it, with `/` and without a leading `./`.
pub fn display_name(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// Canonical paths of the files changed since `rev` (committed, staged,
/// unstaged) and of untracked files, from git.
pub fn changed_since(rev: &str) -> Result<BTreeSet<PathBuf>, String> {
    let git = |args: &[&str]| -> Result<String, String> {
        let o = Command::new("git")
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !o.status.success() {
            return Err(format!(
                "git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&o.stderr).trim()
            ));
        }
        Ok(String::from_utf8_lossy(&o.stdout).into_owned())
    };
    // git would read a revision starting with `-` as an option (one such as
    // `--output=FILE` writes a file); a revision never starts with one.
    if rev.starts_with('-') || rev.is_empty() {
        return Err(format!(
            "`--changed-since {rev}` is not a git revision: name a commit, branch or tag such as `main` or `HEAD~1`"
        ));
    }
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?.trim());
    let mut names = git(&["diff", "--name-only", "--end-of-options", rev, "--"])?;
    names.push_str(&git(&[
        "ls-files",
        "--others",
        "--exclude-standard",
        "--full-name",
    ])?);
    Ok(names
        .lines()
        .filter(|l| !l.is_empty())
        .filter_map(|l| std::fs::canonicalize(top.join(l)).ok())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_sort_as_path_orders_them() {
        let names = [
            "a-b/x.sql",
            "a/x.sql",
            "a/b/c.sql",
            "a.sql",
            "./a/y.sql",
            "a//z.sql",
            "b/0002.sql",
            "b/0001.sql",
            "/abs/x.sql",
            "../up.sql",
        ];
        let paths: Vec<PathBuf> = names.iter().map(PathBuf::from).collect();
        let mut expected = paths.clone();
        expected.sort();
        assert_eq!(sorted(paths), expected);
    }
}
