//! The migration runners, and how each one runs a file.
//!
//! Input: a file's path (and its text, for goose's annotations), plus the
//! runner the user named or none. Output: a [`FilePlan`] — whether the
//! runner runs the file at all, and its parts: byte ranges with the
//! transaction the runner opens around them ([`Wrap`]) and whether the part
//! is a rollback. The lint engine then follows the explicit `BEGIN` /
//! `COMMIT` inside each part.
//!
//! | runner | layout | transaction |
//! |---|---|---|
//! | drizzle | `meta/_journal.json` beside the files, or (1.x) `<timestamp>_<name>/migration.sql` beside `snapshot.json` | one around all pending journal entries together (each may be the first); files the journal does not list are not run |
//! | prisma | `<timestamp>_<name>/migration.sql` | the file is one query: more than one statement runs in an implicit transaction, one statement outside any |
//! | goose | `-- +goose Up` / `-- +goose Down` | one per section, none with `-- +goose NO TRANSACTION` |
//! | golang-migrate | `N_name.up.sql` / `N_name.down.sql` | the file is one query, as for prisma |
//! | flyway | `V1__name.sql`, `U1__name.sql` (undo), `R__name.sql` | one per file, none when the file holds a statement that cannot run in one or its `.conf` says `executeInTransaction=false` |
//! | sqitch | `deploy/`, `revert/`, `verify/` beside `sqitch.plan` | none (scripts carry their own `BEGIN`/`COMMIT`); `verify/` is not a change |
//! | plain | anything else (psql) | none |

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::ops::Range;
use std::path::{Path, PathBuf};

use foldhash::fast::FixedState;

use super::paths;

mod dir;
mod folders;
mod goose;
mod names;

use dir::{Dir, Named};

pub use folders::{Folders, Listing};

use goose::{goose_annotation, goose_parts};
pub use names::is_rollback;
use names::{is_flyway_name, is_golang_migrate_name, is_rollback_name};

/// A migration runner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Runner {
    Drizzle,
    Prisma,
    Goose,
    GolangMigrate,
    Flyway,
    Sqitch,
    #[default]
    Plain,
}

pub const RUNNERS: &[Runner] = &[
    Runner::Drizzle,
    Runner::Prisma,
    Runner::Goose,
    Runner::GolangMigrate,
    Runner::Flyway,
    Runner::Sqitch,
    Runner::Plain,
];

impl Runner {
    pub fn as_str(self) -> &'static str {
        match self {
            Runner::Drizzle => "drizzle",
            Runner::Prisma => "prisma",
            Runner::Goose => "goose",
            Runner::GolangMigrate => "golang-migrate",
            Runner::Flyway => "flyway",
            Runner::Sqitch => "sqitch",
            Runner::Plain => "plain",
        }
    }

    /// Why a statement of a part this runner wraps is in a transaction.
    pub fn wraps_why(self) -> &'static str {
        match self {
            Runner::Drizzle => "drizzle-orm runs the pending journal entries inside one transaction",
            Runner::Prisma => "prisma sends the file as one query, and PostgreSQL runs a query of several statements in one transaction",
            Runner::GolangMigrate => "golang-migrate sends the file as one query, and PostgreSQL runs a query of several statements in one transaction",
            Runner::Goose => "goose runs each section inside a transaction unless the file says `-- +goose NO TRANSACTION`",
            Runner::Flyway => "flyway runs each file inside a transaction",
            Runner::Sqitch | Runner::Plain => "the runner wraps this file in a transaction",
        }
    }
}

impl std::str::FromStr for Runner {
    type Err = String;

    fn from_str(s: &str) -> Result<Runner, String> {
        RUNNERS
            .iter()
            .copied()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = RUNNERS.iter().map(|r| r.as_str()).collect();
                format!("`{s}` is not a runner: one of {}", names.join(", "))
            })
    }
}

/// The transaction a runner opens around a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Wrap {
    /// None: each statement commits on its own unless the file says `BEGIN`.
    #[default]
    None,
    /// `BEGIN` before the part, `COMMIT` after: a `COMMIT` in the part
    /// leaves it, and what follows runs outside any transaction.
    Transaction,
    /// The part is sent as one query: with more than one statement,
    /// PostgreSQL runs them in an implicit transaction that a `COMMIT`
    /// ends and the next statement reopens; one statement runs alone.
    OneQuery,
    /// A transaction unless the part holds a statement that cannot run
    /// in one (flyway then runs the whole file outside).
    UnlessNonTransactional,
}

/// One part of a file, run as one unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub range: Range<usize>,
    pub wrap: Wrap,
    /// Undoes a migration (a down section or an undo file): drops are
    /// expected, and it teaches the next files nothing.
    pub rollback: bool,
}

/// How a runner runs one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePlan {
    pub runner: Runner,
    /// Empty when the runner never runs the file.
    pub parts: Vec<Part>,
    /// Why the file is not run, when it is not.
    pub skipped: Option<String>,
}

/// The tags a drizzle journal lists, asked once per file of its folder.
type Tags = HashSet<String, FixedState>;

/// What the runners' files say about a folder, read once per folder.
#[derive(Debug, Default)]
pub struct Layout {
    /// Drizzle folder → the tags its journal lists (None: no journal).
    /// Keyed by the folder's text, hashed: asked once or twice per
    /// linted file, and paths that compare by components cost more.
    journals: HashMap<OsString, Option<Tags>, FixedState>,
    /// Folder → what its place says about its files, keyed as `journals`.
    dirs: HashMap<OsString, Dir, FixedState>,
    /// Which layout files stand where.
    pub folders: Folders,
}

impl Layout {
    /// A layout that knows the folders `listing` walked.
    pub fn new(listing: Listing) -> Layout {
        Layout {
            journals: HashMap::default(),
            dirs: HashMap::default(),
            folders: Folders::new(listing),
        }
    }

    /// The facts of the folder `path` stands in, found once per folder.
    fn dir(&mut self, path: &Path) -> Dir {
        let parent = paths::parent(path);
        let key = parent.map_or(Default::default(), Path::as_os_str);
        if let Some(&d) = self.dirs.get(key) {
            return d;
        }
        let d = Dir::find(parent, &mut self.folders);
        self.dirs.insert(key.to_os_string(), d);
        d
    }

    /// The plan for one file. `forced` is `--runner`; `in_transaction` is
    /// `--in-transaction` (every forward part wrapped).
    pub fn plan(
        &mut self,
        path: &Path,
        text: &str,
        forced: Option<Runner>,
        in_transaction: bool,
    ) -> FilePlan {
        let runner = forced.unwrap_or_else(|| self.detect(path, text));
        let whole = 0..text.len();
        let dir = self.dir(path);
        let named_rollback = dir.rollbacks || is_rollback_name(path);
        let part = |wrap: Wrap, rollback: bool| Part {
            range: whole.clone(),
            wrap: if in_transaction && !rollback {
                Wrap::Transaction
            } else {
                wrap
            },
            rollback,
        };
        let mut plan = FilePlan {
            runner,
            parts: Vec::new(),
            skipped: None,
        };
        let name = file_name(path);
        match runner {
            Runner::Drizzle => match self.journal(path).map(|tags| {
                let stem = name.strip_suffix(".sql").unwrap_or(&name);
                tags.contains(stem)
            }) {
                Some(listed) => {
                    if listed {
                        plan.parts.push(part(Wrap::Transaction, false));
                    } else {
                        plan.skipped = Some(
                            "its folder's `meta/_journal.json` does not list it, so drizzle never runs it"
                                .into(),
                        );
                    }
                }
                // Drizzle 1.x has no journal: every folder holding a
                // `migration.sql` is an entry, run in the one transaction.
                None if is_drizzle_v1_entry(&name, dir) => {
                    plan.parts.push(part(Wrap::Transaction, false));
                }
                None => plan.parts.push(part(Wrap::None, named_rollback)),
            },
            Runner::Prisma | Runner::GolangMigrate => {
                plan.parts.push(part(Wrap::OneQuery, named_rollback));
            }
            Runner::Goose => plan.parts = goose_parts(text, in_transaction),
            Runner::Flyway => {
                let undo = name.starts_with('U') && name.contains("__");
                let wrap = if self.flyway_no_transaction(path) {
                    Wrap::None
                } else {
                    Wrap::UnlessNonTransactional
                };
                plan.parts.push(part(wrap, undo || named_rollback));
            }
            Runner::Sqitch => {
                match dir.named {
                    Named::Verify => plan.skipped = Some(
                        "it is a sqitch verify script: it checks a change, it does not make one"
                            .into(),
                    ),
                    Named::Revert => plan.parts.push(part(Wrap::None, true)),
                    Named::Other => plan.parts.push(part(Wrap::None, named_rollback)),
                }
            }
            Runner::Plain => plan.parts.push(part(Wrap::None, named_rollback)),
        }
        plan
    }

    /// The runner a file's place and text point to.
    pub fn detect(&mut self, path: &Path, text: &str) -> Runner {
        let name = file_name(path);
        let dir = self.dir(path);
        if self.journal(path).is_some() || is_drizzle_v1_entry(&name, dir) {
            return Runner::Drizzle;
        }
        if goose_annotation(text) {
            return Runner::Goose;
        }
        if name == "migration.sql" && dir.prisma {
            return Runner::Prisma;
        }
        if is_golang_migrate_name(&name) {
            return Runner::GolangMigrate;
        }
        if is_flyway_name(&name) {
            return Runner::Flyway;
        }
        if dir.sqitch {
            return Runner::Sqitch;
        }
        Runner::Plain
    }

    /// The tags of the journal beside `path`, read once per folder.
    fn journal(&mut self, path: &Path) -> Option<&Tags> {
        let dir = paths::parent(path)?;
        if !self.journals.contains_key(dir.as_os_str()) {
            let tags = Self::read_journal(&mut self.folders, dir);
            self.journals.insert(dir.as_os_str().to_os_string(), tags);
        }
        self.journals.get(dir.as_os_str())?.as_ref()
    }

    fn read_journal(folders: &mut Folders, dir: &Path) -> Option<Tags> {
        let file = dir.join("meta").join("_journal.json");
        if !folders.is_file(&file) {
            return None;
        }
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let json: serde_json::Value =
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
        let tags = json["entries"]
            .as_array()
            .map(|es| {
                es.iter()
                    .filter_map(|e| e["tag"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        Some(tags)
    }

    /// The folder whose files replay in one session: a Prisma
    /// `<timestamp>_<name>/migration.sql` replays with the other migrations of
    /// its `migrations/` folder; any other file with its own folder.
    pub fn replay_folder(&mut self, path: &Path) -> PathBuf {
        let parent = paths::parent(path).unwrap_or(Path::new(""));
        let dir = self.dir(path);
        if paths::file_name(path).is_some_and(|n| n == "migration.sql")
            && (dir.prisma || dir.snapshot)
        {
            return paths::parent(parent).unwrap_or(parent).to_path_buf();
        }
        parent.to_path_buf()
    }

    /// `V1__x.sql.conf` beside the file says `executeInTransaction=false`.
    fn flyway_no_transaction(&mut self, path: &Path) -> bool {
        let mut conf = path.as_os_str().to_owned();
        conf.push(".conf");
        let conf = PathBuf::from(conf);
        if !self.folders.is_file(&conf) {
            return false;
        }
        std::fs::read_to_string(conf).is_ok_and(|t| {
            t.lines().any(|l| {
                let l: String = l.chars().filter(|c| !c.is_whitespace()).collect();
                l.eq_ignore_ascii_case("executeInTransaction=false")
            })
        })
    }
}

fn file_name(path: &Path) -> String {
    paths::file_name(path)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A Drizzle 1.x entry: `<timestamp>_<name>/migration.sql` beside its
/// `snapshot.json` (Prisma's folders hold no snapshot).
fn is_drizzle_v1_entry(name: &str, dir: Dir) -> bool {
    name == "migration.sql" && dir.snapshot
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runners_parse_by_name() {
        assert_eq!("golang-migrate".parse(), Ok(Runner::GolangMigrate));
        assert!("liquibase".parse::<Runner>().is_err());
    }
}
