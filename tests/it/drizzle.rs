//! The folders `sluice build` writes, read by the real drizzle-kit and
//! applied by the real drizzle-orm (pinned in `tests/drizzle/package.json`,
//! installed by `npm ci` there; `.ci/run` does it). Without node or those
//! packages every test here fails, never skips.
//!
//! Each test builds a copy of `schemas/` into its own temporary folder with
//! the `sluice` binary, as a user would, and runs node from `tests/drizzle`:
//! `drizzle-kit check`; drizzle-orm's `migrate()` (`migrate.mjs`) and
//! `drizzle-kit migrate`, compared row by row with the journal; and
//! `drizzle-kit pull` from the migrated database, compared with the last
//! snapshot (`diff.mjs`).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::cli::copy_of_schemas;
use crate::pg::Cluster;
use crate::scratch::ScratchDir;

mod applied;

pub const PROJECTS: [&str; 5] = ["analytics", "attendance", "core", "hr", "notes"];

/// A scratch folder holding `schemas/` (a copy) and `out/`; removed on
/// drop unless the test failed.
pub struct Scratch {
    pub root: PathBuf,
    _dir: ScratchDir,
}

impl Scratch {
    pub fn new(tag: &str) -> Scratch {
        let dir = copy_of_schemas(&format!("drizzle-{tag}")).into_root();
        Scratch {
            root: dir.to_path_buf(),
            _dir: dir,
        }
    }

    pub fn out(&self, project: &str) -> PathBuf {
        self.root.join("out").join(project)
    }

    /// `sluice ARGS` run in this folder (so paths print relative to it).
    pub fn sluice(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_sluice"))
            .args(args)
            .current_dir(&self.root)
            .env("NO_COLOR", "1")
            .output()
            .expect("the sluice binary runs")
    }

    /// `sluice build schemas --out out`, which must succeed.
    pub fn build(&self) -> String {
        let o = self.sluice(&["build", "schemas", "--out", "out"]);
        let text = format!("{}{}", text(&o.stdout), text(&o.stderr));
        assert_eq!(o.status.code(), Some(0), "sluice build failed:\n{text}");
        text
    }

    /// Append a migration that adds `notes.x` and declare the column.
    pub fn add_notes_x(&self) {
        let notes = self.root.join("schemas/notes/notes.sluice");
        let decl = fs::read_to_string(&notes).expect("notes.sluice");
        let decl = decl.replacen(
            "table notes {\n",
            "table notes {\n  x text  // migration add_notes_x\n",
            1,
        );
        fs::write(&notes, decl).expect("write notes.sluice");
        let last = fs::read_dir(self.root.join("schemas/notes/migrations"))
            .expect("migrations")
            .flatten()
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .max()
            .expect("a migration");
        let after = last_migration_name(&self.root.join("schemas/notes/migrations").join(last));
        fs::write(
            self.root.join("schemas/notes/migrations/0099_add_notes_x.sluice"),
            format!("migration add_notes_x {{\n  after {after}\n\n  expand {{\n    add column notes.x text\n  }}\n}}\n"),
        )
        .expect("write the migration");
    }

    /// Every file under `out/`, relative path → bytes.
    pub fn tree(&self) -> BTreeMap<String, Vec<u8>> {
        tree(&self.root.join("out"))
    }
}

fn last_migration_name(file: &Path) -> String {
    let text = fs::read_to_string(file).expect("a migration file");
    text.lines()
        .filter_map(|l| l.strip_prefix("migration "))
        .next_back()
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a migration declaration")
        .to_string()
}

pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside");
            (rel.display().to_string(), fs::read(e.path()).expect("read"))
        })
        .collect()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `tests/drizzle`, with the pinned packages installed (on first use).
pub fn node_dir() -> PathBuf {
    crate::provision::drizzle_packages().unwrap_or_else(|e| panic!("{e}"))
}

/// `node ARGS` in `cwd`; panics when node is not installed.
pub fn node(cwd: &Path, args: &[&str]) -> Output {
    Command::new("node")
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("FORCE_COLOR", "0")
        .output()
        .unwrap_or_else(|e| {
            panic!("node does not run ({e}): install Node.js 18 or later (.ci/run does)")
        })
}

pub fn drizzle_kit(cwd: &Path, args: &[&str]) -> Output {
    drizzle_kit_of(&node_dir(), cwd, args)
}

/// The drizzle-kit installed under `modules` with `args`, in `cwd`.
pub fn drizzle_kit_of(modules: &Path, cwd: &Path, args: &[&str]) -> Output {
    let bin = modules.join("node_modules/drizzle-kit/bin.cjs");
    let mut all = vec![bin.to_str().expect("a UTF-8 path")];
    all.extend_from_slice(args);
    node(cwd, &all)
}

pub fn report(o: &Output) -> String {
    format!("{}\n{}", text(&o.stdout), text(&o.stderr))
}

/// The entries of a project folder's journal: (tag, when).
pub fn journal(folder: &Path) -> Vec<(String, u64)> {
    let text = fs::read_to_string(folder.join("meta/_journal.json")).expect("a journal");
    let j: serde_json::Value = serde_json::from_str(&text).expect("journal JSON");
    j["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            (
                e["tag"].as_str().expect("tag").to_string(),
                e["when"].as_u64().expect("when"),
            )
        })
        .collect()
}

/// What drizzle must have recorded for a folder: (SHA-256, when) per entry.
fn expected_rows(folder: &Path) -> Vec<(String, i64)> {
    journal(folder)
        .into_iter()
        .map(|(tag, when)| {
            let bytes = fs::read(folder.join(format!("{tag}.sql"))).expect("the entry's file");
            (sluice::drizzle::sha256_hex(&bytes), when as i64)
        })
        .collect()
}

fn recorded_rows(pg: &Cluster, db: &str) -> Vec<(String, i64)> {
    pg.client(db)
        .query(
            "SELECT hash, created_at FROM drizzle.__drizzle_migrations ORDER BY id",
            &[],
        )
        .expect("read drizzle.__drizzle_migrations")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

/// drizzle-orm's `migrate()` on `folder` (`tests/drizzle/migrate.mjs`):
/// every pending journal entry in one transaction. Its exit status and
/// output, for tests that expect it to refuse.
pub fn migrate(folder: &Path, pg: &Cluster, db: &str) -> Output {
    node(
        &node_dir(),
        &["migrate.mjs", folder.to_str().expect("UTF-8"), &url(pg, db)],
    )
}

/// `migrate()`'s output, stdout then stderr.
pub fn migrate_report(o: &Output) -> String {
    report(o)
}

pub fn url(pg: &Cluster, db: &str) -> String {
    format!("postgresql://postgres@127.0.0.1:{}/{db}", pg.port())
}

/// drizzle-kit (`kit`, run in `root`) finds nothing wrong in project
/// `p`'s folder `out/<p>`.
pub fn kit_checks(kit: &dyn Fn(&Path, &[&str]) -> Output, root: &Path, p: &str) {
    let o = kit(
        root,
        &[
            "check",
            "--dialect",
            "postgresql",
            "--out",
            &format!("out/{p}"),
        ],
    );
    assert!(
        o.status.success() && text(&o.stdout).contains("Everything's fine"),
        "{p}: drizzle-kit check failed:\n{}",
        report(&o)
    );
}

/// What `diff.mjs` (of the packages in `modules`) finds between sluice's
/// schema `ours` and the one drizzle-kit pulled, `theirs`, for project `p`.
pub fn pulled_differences(modules: &Path, p: &str, ours: &Path, theirs: &Path) -> Vec<String> {
    let o = node(
        modules,
        &[
            "diff.mjs",
            ours.to_str().expect("UTF-8"),
            theirs.to_str().expect("UTF-8"),
        ],
    );
    assert!(o.status.success(), "{p}: diff failed:\n{}", report(&o));
    serde_json::from_slice(&o.stdout).expect("a JSON array")
}

fn last_snapshot(folder: &Path) -> PathBuf {
    let meta = folder.join("meta");
    fs::read_dir(&meta)
        .unwrap_or_else(|e| panic!("{}: {e}", meta.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('_'))
        })
        .max()
        .expect("a snapshot")
}

/// Apply each project's folder to its database (`dbs`) twice with `apply`:
/// the first run records the rows `expected` names for the project (some),
/// the second records nothing more (`recorded` reads a database's rows).
pub fn apply_twice<R: PartialEq + std::fmt::Debug>(
    dbs: &[(&str, String)],
    apply: impl Fn(&str, &str),
    expected: impl Fn(&str) -> Vec<R>,
    recorded: impl Fn(&str) -> Vec<R>,
) {
    for (p, db) in dbs {
        apply(p, db);
        let rows = expected(p);
        assert!(!rows.is_empty(), "{p}: nothing to apply");
        assert_eq!(recorded(db), rows, "{p}: first run");
        apply(p, db);
        assert_eq!(recorded(db), rows, "{p}: a second run applies nothing");
    }
}

/// The `notes` project's database (in `dbs`) has the column `notes.x` that
/// [`Scratch::add_notes_x`]'s migration adds.
pub fn assert_notes_has_x(pg: &Cluster, dbs: &[(&str, String)]) {
    let notes = &dbs.iter().find(|(p, _)| *p == "notes").expect("notes").1;
    let has_x: bool = pg
        .client(notes)
        .query_one(
            "SELECT count(*) = 1 FROM information_schema.columns \
             WHERE table_name = 'notes' AND column_name = 'x'",
            &[],
        )
        .expect("query the catalog")
        .get(0);
    assert!(has_x, "the third run added notes.x");
}

/// The schema project `p` of `c` lives in.
pub fn schema_of<'a>(c: &'a sluice::Compilation, p: &str) -> &'a str {
    &c.workspace
        .projects
        .iter()
        .find(|x| x.name == p)
        .expect("project")
        .schema
}

/// `drizzle-kit pull` (`kit`, run in `s.root`) of `schema` from `db` into
/// `pulled-<p>`, which must succeed; `entities` is the config's entity
/// filter, if any (with its trailing `, `). Returns the pulled folder.
pub fn pull(
    kit: &dyn Fn(&Path, &[&str]) -> Output,
    s: &Scratch,
    p: &str,
    schema: &str,
    db_url: &str,
    entities: &str,
) -> PathBuf {
    let pulled = format!("pulled-{p}");
    let config = s.root.join(format!("pull.{p}.config.js"));
    fs::write(
        &config,
        format!(
            "module.exports = {{ dialect: \"postgresql\", out: \"./{pulled}\", \
             schemaFilter: [{schema:?}], {entities}\
             dbCredentials: {{ url: {db_url:?} }} }};\n"
        ),
    )
    .expect("write the pull config");
    let o = kit(
        &s.root,
        &["pull", "--config", config.to_str().expect("UTF-8")],
    );
    assert!(
        o.status.success(),
        "{p}: drizzle-kit pull failed:\n{}",
        report(&o)
    );
    s.root.join(pulled)
}
