//! Draft entries: which entries of an output folder are released.
//!
//! Input: a project's output folder and the environment (`SLUICE_RELEASED`,
//! `CI`). Output: a [`Scope`], which tells how many of the folder's entries
//! (in journal or folder order) are released; the ones after them are
//! drafts, which a build rewrites like new entries.
//!
//! An entry is released once its migration file is committed to the git
//! repository that holds the folder (it is in `HEAD`), and so is every entry
//! before a released one. An entry only built locally is a draft: nothing
//! outside this checkout can have run it. Everything on disk counts as
//! released when `SLUICE_RELEASED=all`, when `CI` is set (unless
//! `SLUICE_RELEASED=git`), and when the folder is not in a git work tree or
//! git cannot be run: without a record of what was shared, sluice assumes
//! all of it was.
//!
//! git runs in the folder with fixed arguments only: no path or name from
//! the user reaches its command line.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::diagnostic::{Code, Diagnostic};

/// The variable that chooses what counts as released.
pub const ENV: &str = "SLUICE_RELEASED";

/// What counts as released in one project folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every entry on disk.
    All,
    /// The entries up to the last one whose migration file is committed;
    /// holds the committed files, relative to the folder with `/`.
    Committed(BTreeSet<String>),
}

impl Scope {
    /// How many of the entries are released, given each entry's migration
    /// file relative to the folder, in order: all of them up to the last
    /// committed one.
    pub fn released(&self, files: &[String]) -> usize {
        match self {
            Scope::All => files.len(),
            Scope::Committed(set) => files
                .iter()
                .rposition(|f| set.contains(f))
                .map_or(0, |i| i + 1),
        }
    }
}

/// Whether drafts exist at all: `git` (the default) or `all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Git,
    All,
}

/// The mode the environment asks for; `Err` with the value when
/// `SLUICE_RELEASED` is neither `git` nor `all`.
pub fn mode() -> Result<Mode, String> {
    mode_of(std::env::var(ENV).ok(), std::env::var("CI").ok())
}

fn mode_of(released: Option<String>, ci: Option<String>) -> Result<Mode, String> {
    match released.as_deref().map(str::trim) {
        Some("all") => Ok(Mode::All),
        Some("git") => Ok(Mode::Git),
        Some("") | None => {
            let ci = ci.as_deref().map(str::trim).unwrap_or("");
            let on = !ci.is_empty() && !ci.eq_ignore_ascii_case("false") && ci != "0";
            Ok(if on { Mode::All } else { Mode::Git })
        }
        Some(other) => Err(other.to_string()),
    }
}

/// The diagnostic for a `SLUICE_RELEASED` value sluice does not know.
pub fn invalid_mode(value: &str) -> Diagnostic {
    Diagnostic::of(
        Code::InvalidReleaseMode,
        format!("`{ENV}={value}` is neither `git` nor `all`"),
    )
    .help(format!(
        "set `{ENV}=git` (entries committed to git are released, later ones are drafts a build rewrites) or `{ENV}=all` (every entry on disk is released), or unset it"
    ))
}

/// What counts as released in `dir` under `mode`.
pub fn scope(dir: &Path, mode: Mode) -> Scope {
    match mode {
        Mode::All => Scope::All,
        Mode::Git => committed(dir).map_or(Scope::All, Scope::Committed),
    }
}

/// The files under `dir` committed in `HEAD` of the git work tree holding
/// it, relative to `dir`; empty when the repository has no commit yet;
/// `None` when `dir` is not in a work tree or git cannot be run.
fn committed(dir: &Path) -> Option<BTreeSet<String>> {
    if !dir.is_dir() {
        return None;
    }
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .env("GIT_TERMINAL_PROMPT", "0")
            .output()
            .ok()
    };
    let inside = git(&["rev-parse", "--is-inside-work-tree"])?;
    if !inside.status.success() || String::from_utf8_lossy(&inside.stdout).trim() != "true" {
        return None;
    }
    let head = git(&["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])?;
    if !head.status.success() {
        return Some(BTreeSet::new());
    }
    // Paths print relative to the current folder, which is `dir`.
    let listed = git(&["ls-tree", "-r", "-z", "--name-only", "HEAD", "--", "."])?;
    if !listed.status.success() {
        return None;
    }
    Some(
        listed
            .stdout
            .split(|b| *b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn the_mode_follows_sluice_released_then_ci() {
        assert_eq!(mode_of(None, None), Ok(Mode::Git));
        assert_eq!(mode_of(None, s("true")), Ok(Mode::All));
        assert_eq!(mode_of(None, s("1")), Ok(Mode::All));
        assert_eq!(mode_of(None, s("false")), Ok(Mode::Git));
        assert_eq!(mode_of(None, s("")), Ok(Mode::Git));
        assert_eq!(mode_of(s("git"), s("true")), Ok(Mode::Git));
        assert_eq!(mode_of(s("all"), None), Ok(Mode::All));
        assert_eq!(mode_of(s("some"), None), Err("some".to_string()));
    }

    #[test]
    fn entries_up_to_the_last_committed_one_are_released() {
        let files: Vec<String> = ["0000_a.sql", "0001_b.sql", "0002_c.sql"]
            .map(String::from)
            .to_vec();
        let committed =
            |names: &[&str]| Scope::Committed(names.iter().map(|n| n.to_string()).collect());
        assert_eq!(Scope::All.released(&files), 3);
        assert_eq!(committed(&[]).released(&files), 0);
        assert_eq!(committed(&["0000_a.sql"]).released(&files), 1);
        assert_eq!(
            committed(&["0001_b.sql"]).released(&files),
            2,
            "an entry before a committed one is released too"
        );
    }

    #[test]
    fn a_missing_folder_or_the_all_mode_is_all_released() {
        let dir = std::env::temp_dir().join(format!("sluice-draft-{}", std::process::id()));
        assert_eq!(scope(&dir.join("missing"), Mode::Git), Scope::All);
        assert_eq!(scope(&dir, Mode::All), Scope::All);
    }
}
