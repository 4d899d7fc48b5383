//! The flags of the commands that hand the library an options struct.
//!
//! Input: the parsed command line of `lint`, `import` and `verify`. Output:
//! the library's `Options` of each, and the report flags beside them.

use std::path::PathBuf;

use super::ReportArgs;

#[derive(clap::Args)]
pub struct LintArgs {
    /// `.sql` files, or folders searched for them.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Target PostgreSQL version (`15`, `14.3`); default: the workspace's, else 15.
    #[arg(long, value_name = "VERSION")]
    pg_version: Option<sluice::lint::PgVersion>,
    /// Every file runs inside one transaction (whatever its runner does).
    #[arg(long)]
    in_transaction: bool,
    /// The migration runner: drizzle, prisma, goose, golang-migrate,
    /// flyway, sqitch or plain; default: detected per file from the layout.
    #[arg(long, value_name = "RUNNER")]
    runner: Option<sluice::lint::Runner>,
    /// The workspace whose `lint { }` settings apply (default: `schemas` when present).
    #[arg(long, value_name = "DIR")]
    workspace: Option<PathBuf>,
    /// A file of `lint { rule = level  exclude "glob" }` blocks.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Run only these rules (repeatable, or comma-separated).
    #[arg(long = "rule", value_name = "RULE")]
    rules: Vec<String>,
    /// Skip these rules (repeatable, or comma-separated).
    #[arg(long = "exclude-rule", value_name = "RULE")]
    exclude_rules: Vec<String>,
    /// Lint only files changed since this git revision (and untracked ones).
    #[arg(long, value_name = "REV")]
    changed_since: Option<String>,
    #[command(flatten)]
    pub report: ReportArgs,
}

impl LintArgs {
    pub fn options(&self) -> sluice::lint::run::Options {
        sluice::lint::run::Options {
            paths: self.paths.clone(),
            pg: self.pg_version,
            in_transaction: self.in_transaction,
            workspace: self.workspace.clone(),
            config: self.config.clone(),
            rules: self.rules.clone(),
            exclude_rules: self.exclude_rules.clone(),
            changed_since: self.changed_since.clone(),
            runner: self.runner,
        }
    }
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// The workspace folder to write into (created when missing).
    #[arg(default_value = "schemas")]
    workspace: PathBuf,
    /// A libpq connection string or `postgres://` URL; the import only reads.
    #[arg(long, value_name = "URL", required_unless_present = "from_drizzle")]
    database: Option<String>,
    /// Read the last snapshot of this Drizzle migration folder instead.
    #[arg(long, value_name = "DIR", conflicts_with = "database")]
    pub from_drizzle: Option<PathBuf>,
    /// The name of the new project (its folder in the workspace).
    #[arg(long, value_name = "P")]
    project: String,
    /// The schema to read.
    #[arg(long, value_name = "S", default_value = "public")]
    schema: String,
    /// Replace the project folder if it exists.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    pub report: ReportArgs,
}

impl ImportArgs {
    pub fn options(&self) -> sluice::import::Options {
        sluice::import::Options {
            database: self.database.clone().unwrap_or_default(),
            project: self.project.clone(),
            schema: self.schema.clone(),
            workspace: self.workspace.clone(),
            force: self.force,
        }
    }
}

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// The workspace folder (holds `workspace.sluice`).
    #[arg(default_value = "schemas")]
    workspace: PathBuf,
    /// Verify this project only.
    #[arg(long, value_name = "P")]
    project: Option<String>,
    /// Rows every existing table holds before each phase.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    rows: u64,
    /// Deploy to this empty scratch database instead of a throwaway server.
    #[arg(long, value_name = "URL")]
    database: Option<String>,
    /// Major version of the throwaway server (default: the workspace's `postgres`).
    #[arg(long, value_name = "V")]
    pg_version: Option<u32>,
    /// The folder of `initdb`, `pg_ctl` and `postgres` (default: `SLUICE_PG_BIN`, `PATH`, `pg_config`, the usual folders).
    #[arg(long, value_name = "DIR")]
    pg_bin: Option<PathBuf>,
    /// Deploy to a `--database` that already holds tables.
    #[arg(long)]
    allow_existing: bool,
    /// Longest an ACCESS EXCLUSIVE lock on a table with rows may be held, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    lock_budget: u64,
    #[command(flatten)]
    pub report: ReportArgs,
}

impl VerifyArgs {
    pub fn options(&self) -> sluice::verify::Options {
        sluice::verify::Options {
            workspace: self.workspace.clone(),
            project: self.project.clone(),
            rows: self.rows,
            database: self.database.clone(),
            pg_version: self.pg_version,
            pg_bin: self.pg_bin.clone(),
            allow_existing: self.allow_existing,
            lock_budget: std::time::Duration::from_millis(self.lock_budget),
        }
    }
}
