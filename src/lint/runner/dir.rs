//! What a folder's place says about the files in it, found once per
//! folder rather than once per file: the layout checks walk the path's
//! components, which costs more than the rest of a file's plan.
//!
//! Input: a file's folder (its parent path) and the [`Folders`] listing.
//! Output: a [`Dir`] — the runner facts every file of that folder shares.

use std::path::Path;

use super::folders::Folders;
use super::names::is_rollback_folder;
use crate::lint::paths;

/// What a folder's name and neighbours say about its files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dir {
    /// `snapshot.json` stands in it: a `migration.sql` in it is a Drizzle
    /// 1.x entry.
    pub snapshot: bool,
    /// A Prisma migration folder: `migration_lock.toml` stands beside it,
    /// or its name is `<14-digit timestamp>_<name>`.
    pub prisma: bool,
    /// A sqitch `deploy/`, `revert/` or `verify/` folder beside `sqitch.plan`.
    pub sqitch: bool,
    /// Its name.
    pub named: Named,
    /// A folder of rollback scripts (`rollback/`, `down/`).
    pub rollbacks: bool,
}

/// The folder names the runners' plans look at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Named {
    Verify,
    Revert,
    #[default]
    Other,
}

impl Dir {
    /// The facts of folder `dir` (`None`: the file has no folder).
    pub fn find(dir: Option<&Path>, folders: &mut Folders) -> Dir {
        let Some(dir) = dir else {
            return Dir::default();
        };
        let name = paths::file_name(dir).map(|n| n.to_string_lossy());
        let name = name.as_deref().unwrap_or("");
        let grand = paths::parent(dir);
        let lock = grand.is_some_and(|d| folders.is_file(&d.join("migration_lock.toml")));
        let stamped = name.len() > 15
            && name.as_bytes()[..14].iter().all(u8::is_ascii_digit)
            && name.as_bytes()[14] == b'_';
        let sqitch = matches!(name, "deploy" | "revert" | "verify")
            && grand.is_some_and(|d| folders.is_file(&d.join("sqitch.plan")));
        Dir {
            snapshot: folders.is_file(&dir.join("snapshot.json")),
            prisma: lock || stamped,
            sqitch,
            named: match name {
                "verify" => Named::Verify,
                "revert" => Named::Revert,
                _ => Named::Other,
            },
            rollbacks: is_rollback_folder(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::runner::Listing;

    #[test]
    fn a_folder_is_known_by_its_name_and_neighbours() {
        let dir = std::env::temp_dir().join(format!("sluice-dir-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("20240101120000_init")).expect("mkdir");
        std::fs::create_dir_all(dir.join("deploy")).expect("mkdir");
        std::fs::create_dir_all(dir.join("0001_v1")).expect("mkdir");
        std::fs::write(dir.join("sqitch.plan"), "").expect("write");
        std::fs::write(dir.join("0001_v1/snapshot.json"), "{}").expect("write");
        let mut folders = Folders::new(Listing::default());
        let find = |name: &str, folders: &mut Folders| Dir::find(Some(&dir.join(name)), folders);
        let stamped = find("20240101120000_init", &mut folders);
        assert!(stamped.prisma && !stamped.snapshot && !stamped.sqitch);
        let deploy = find("deploy", &mut folders);
        assert!(deploy.sqitch && !deploy.prisma && deploy.named == Named::Other);
        assert!(find("0001_v1", &mut folders).snapshot);
        assert_eq!(find("verify", &mut folders).named, Named::Verify);
        assert!(find("rollback", &mut folders).rollbacks);
        assert_eq!(Dir::find(None, &mut folders), Dir::default());
        std::fs::remove_dir_all(&dir).expect("rm");
    }
}
