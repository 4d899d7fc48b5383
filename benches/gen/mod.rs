//! A deterministic generator of sluice workspaces of a given size, shared by
//! the scaling benchmark (`benches/scale.rs`) and the test that keeps it
//! honest (`tests/it/scale.rs`).
//!
//! A workspace has a `core` project (the `orgs` and `users` tables the
//! tenancy and audit conventions point at) and further projects `p01`, …;
//! every project holds `tables` tenant tables of about `columns` columns
//! each. The constructs are those of the bundled `schemas/`: tenancy,
//! owners, foreign keys within a project, indexes (partial and plain),
//! unique constraints, checks, comments, policies, an enum, hash-partitioned
//! tables, views and functions. Each project's history starts with an
//! `initial` migration; every later migration changes one table with an
//! expand / backfill / contract step (a new `not null` column filled in
//! batches, a column rename, a concurrent index) and releases the contract
//! of the migration before it. Replayed, the history gives exactly the
//! declarations, so the workspace checks clean.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

mod history;
use history::migrations;

/// The size of a generated workspace.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Projects besides `core` are named `p01`, `p02`, …; `projects` counts
    /// all of them, `core` included (at least one).
    pub projects: usize,
    /// Tenant tables per project.
    pub tables: usize,
    /// Declared columns per table (derived ones come on top).
    pub columns: usize,
    /// Migrations per project, `initial` included (at least one).
    pub migrations: usize,
}

impl Spec {
    /// `total` tables in projects of at most `per_project` tables, with
    /// `columns` columns and `migrations_per_table` migrations per table.
    pub fn sized(
        total: usize,
        per_project: usize,
        columns: usize,
        migrations_per_table: usize,
    ) -> Spec {
        let projects = total.div_ceil(per_project).max(1);
        let tables = total.div_ceil(projects).max(1);
        Spec {
            projects,
            tables,
            columns,
            migrations: (tables * migrations_per_table).max(1),
        }
    }

    pub fn total_tables(&self) -> usize {
        self.projects * self.tables + 2
    }

    pub fn total_migrations(&self) -> usize {
        self.projects * self.migrations
    }
}

/// What one later migration does to its table.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Change {
    /// `add column` nullable, backfill in batches, `set not null`.
    AddColumn,
    /// `rename column` (both columns live through the expand phase).
    Rename,
    /// `add index`, built concurrently after the expand phase.
    AddIndex,
}

/// Migration `j` (1-based, `initial` is 0): its table and change, and the
/// round (how many times that table was changed before).
fn change(spec: &Spec, j: usize) -> (usize, Change, usize) {
    let k = j - 1;
    let table = k % spec.tables;
    let round = k / spec.tables;
    let kind = match (round + table) % 3 {
        0 => Change::AddColumn,
        1 => Change::Rename,
        // PostgreSQL builds no index of a partitioned table concurrently,
        // so a later index there is a blocking step `check` refuses.
        _ if partitioned(table) => Change::AddColumn,
        _ => Change::AddIndex,
    };
    (table, kind, round)
}

/// The changes each table receives, as (round, change).
fn changes_of(spec: &Spec, table: usize) -> Vec<(usize, Change)> {
    (0..)
        .map(|round| round * spec.tables + table + 1)
        .take_while(|&j| j < spec.migrations)
        .map(|j| {
            let (_, c, r) = change(spec, j);
            (r, c)
        })
        .collect()
}

/// The column a concurrent index of `round` adds to `(org_id, c02)`.
fn index_column(round: usize) -> String {
    format!("c{:02}", 3 + (round / 3) % 5)
}

fn project_name(p: usize) -> String {
    if p == 0 {
        "core".to_string()
    } else {
        format!("p{p:02}")
    }
}

fn table_name(t: usize) -> String {
    format!("t{t:05}")
}

/// Every fifth table (from the fourth) is hash-partitioned by org.
fn partitioned(t: usize) -> bool {
    t % 5 == 3
}

/// The table `t` references: the nearest earlier unpartitioned one (a
/// foreign key to a partitioned table would need its whole key).
fn parent(t: usize) -> Option<usize> {
    (0..t).rev().find(|&x| !partitioned(x))
}

/// Write the workspace into `dir` (which must be empty or absent).
pub fn write(dir: &Path, spec: &Spec) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    fs::write(dir.join("workspace.sluice"), workspace())?;
    for p in 0..spec.projects.max(1) {
        let name = project_name(p);
        let folder = dir.join(&name);
        fs::create_dir_all(folder.join("migrations"))?;
        fs::write(folder.join(format!("{name}.sluice")), declarations(spec, p))?;
        for (file, text) in migrations(spec, p) {
            fs::write(folder.join("migrations").join(file), text)?;
        }
    }
    Ok(())
}

fn workspace() -> String {
    r#"// Generated by benches/gen: a workspace of a chosen size.
workspace generated {
  out               "../drizzle"
  postgres          16
  lock_timeout      2s
  statement_timeout 60s
}

conventions {
  primary_key id uuid default gen_random_uuid()
  timestamps  created_at, updated_at, deleted_at
  audit       created_by, updated_by -> core.users.id
  naming      tables snake_case, columns snake_case, views PascalCase, functions PascalCase
  schema owner migration_user
}

tenancy {
  column    org_id uuid -> core.orgs.id
  org_from  setting app.current_org_id
  user_from setting app.current_user_id
}

role service_rw {
  login
  connection_limit 25
  runtime
  grant usage on schema
  grant select, insert, update, delete on tables
  grant execute on functions
}

role readonly_user {
  login
  connection_limit 5
  grant usage on schema
  grant select on tables
}

role migration_user {
  login
  connection_limit 2
  owns schema
}
"#
    .to_string()
}

fn project_block(p: usize) -> String {
    let name = project_name(p);
    format!(
        "project {name} {{\n  database  {name}\n  schema    public\n  app       \"{name}\"\n  app_roles from setting app.current_app_role\n}}\n\n\
         enum status {{ draft, active, archived }}\n\n"
    )
}

/// `orgs` and `users`, which every other table's tenancy and audit columns
/// point at.
fn core_tables() -> [(String, String); 2] {
    [
        (
            "orgs".to_string(),
            "  global\n  name text not null check (length(name) between 1 and 200)\n  comment \"Tenants.\"\n"
                .to_string(),
        ),
        (
            "users".to_string(),
            "  tenant\n  email text not null check (email = lower(email)) classify pii\n  unique (org_id, email)\n  policy select tenant\n  policy insert, update, delete role(admin)\n"
                .to_string(),
        ),
    ]
}

/// The body of table `t` once `applied` of its changes ran (all of them for
/// the declaration).
fn table_body(spec: &Spec, t: usize, applied: usize) -> String {
    let name = table_name(t);
    let changes = changes_of(spec, t);
    let mut b = String::from("  tenant\n");
    let owned = t.is_multiple_of(2);
    if owned {
        b.push_str("  owner user_id\n");
    }
    if partitioned(t) {
        b.push_str("  id uuid not null default gen_random_uuid()\n");
    }
    if let Some(up) = parent(t) {
        let _ = writeln!(
            b,
            "  parent_id uuid not null -> {}.id on delete cascade",
            table_name(up)
        );
    }
    // The evolving columns, each in its shape after `applied` changes.
    let extra = changes
        .iter()
        .filter(|(_, k)| *k != Change::AddIndex)
        .count();
    for (i, &(round, kind)) in changes.iter().enumerate() {
        let done = i < applied;
        match kind {
            Change::AddColumn if done => {
                let _ = writeln!(
                    b,
                    "  a{round} text not null comment \"added in round {round}\""
                );
            }
            Change::AddColumn => {}
            Change::Rename => {
                let col = if done {
                    format!("r{round}")
                } else {
                    format!("r{round}_old")
                };
                let _ = writeln!(b, "  {col} text");
            }
            Change::AddIndex => {}
        }
    }
    let base = spec.columns.saturating_sub(extra).max(8);
    for c in 0..base {
        let col = format!("c{c:02}");
        let line = match c % 8 {
            0 => format!(
                "{col} text not null check (length({col}) <= 200) comment \"column {c} of {name}\""
            ),
            1 => format!("{col} integer not null default 0 check ({col} >= 0)"),
            2 => format!("{col} boolean not null default false"),
            3 => format!("{col} status not null default 'draft'"),
            4 => format!(
                "{col} jsonb not null default '{{}}'::jsonb check (jsonb_typeof({col}) = 'object')"
            ),
            5 => format!("{col} numeric(12,2) check ({col} between 0 and 1000000)"),
            6 => format!("{col} timestamptz"),
            _ => format!("{col} bigint"),
        };
        let _ = writeln!(b, "  {line}");
    }
    if partitioned(t) {
        b.push_str("  primary key (id, org_id)\n");
    }
    b.push_str("  unique (org_id, c00)\n");
    b.push_str("  index (org_id, c01) where (deleted_at is null)\n");
    if parent(t).is_some() {
        b.push_str("  index (org_id, parent_id)\n");
    }
    for (i, &(round, kind)) in changes.iter().enumerate() {
        if kind == Change::AddIndex && i < applied {
            let _ = writeln!(b, "  index (org_id, c02, {})", index_column(round));
        }
    }
    b.push_str("  check (c01 < 1000000000)\n");
    if partitioned(t) {
        b.push_str("  partition by hash (org_id) into 4\n");
    }
    let _ = writeln!(b, "  comment \"Generated table {t} of its project.\"");
    b.push('\n');
    if owned {
        b.push_str(
            "  policy select owner or role(admin, editor, viewer)\n  policy insert owner\n  policy update owner or role(admin, editor)\n  policy delete owner or role(admin)\n",
        );
    } else {
        b.push_str(
            "  policy select role(admin, editor, viewer)\n  policy select to readonly_user tenant\n  policy insert, update role(admin, editor)\n  policy delete role(admin)\n",
        );
    }
    b
}

/// A view and a function for every tenth table.
fn objects(t: usize, create: bool) -> String {
    if t % 10 != 9 {
        return String::new();
    }
    let kw = if create { "create " } else { "" };
    let name = table_name(t);
    let camel = format!("T{t:05}");
    format!(
        "{kw}view {camel}Live {{\n  security invoker\n  comment \"Live rows of {name}.\"\n  as select id, org_id, c00, c01 from {name} where deleted_at is null\n}}\n\n\
         {kw}function {camel}Count(p_org uuid) returns bigint {{\n  language sql\n  stable\n  security invoker\n  set search_path = public\n  body $$ select count(*) from {name} where org_id = p_org and deleted_at is null $$\n}}\n\n"
    )
}

fn declarations(spec: &Spec, p: usize) -> String {
    let mut out = format!("// Generated by benches/gen.\n{}", project_block(p));
    if p == 0 {
        for (name, body) in core_tables() {
            let _ = write!(out, "table {name} {{\n{body}}}\n\n");
        }
    }
    for t in 0..spec.tables {
        let all = changes_of(spec, t).len();
        let _ = write!(
            out,
            "table {} {{\n{}}}\n\n",
            table_name(t),
            table_body(spec, t, all)
        );
        out.push_str(&objects(t, false));
    }
    out
}

/// `text` one level (two spaces) deeper; blank lines stay blank.
fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_string()
            } else {
                format!("  {l}\n")
            }
        })
        .collect()
}
