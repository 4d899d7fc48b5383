//! Tenant isolation on a real PostgreSQL: the policies `sluice build` emits
//! for the bundled workspace, probed as the runtime roles (`service_rw`, and
//! every other role declared `runtime`, e.g. `jobs_rw`) — never the owner,
//! never a superuser.
//!
//! **Which tables.** Every `tenant` table of every project, read from the
//! compiled IR, so a new table is probed without touching this file. One
//! cluster per project (roles are cluster-wide), the projects in parallel.
//!
//! **Seeding.** As the superuser, which bypasses RLS. In the test database
//! only, CHECK, FOREIGN KEY and UNIQUE (not primary key) constraints are
//! dropped and user triggers are disabled while seeding, so that rows can be
//! made from column types alone (the probes test policies, not constraints);
//! the triggers (`updated_at`, the audit trail) are enabled again for the
//! probes. Every table gets three rows: org A owned by user UA, org A owned
//! by UA2, org B owned by UB; a foreign key points at the parent's row of
//! the same kind, so a policy that looks through a parent sees a consistent
//! world. App roles come from the `app_roles` setting, or, in a project
//! whose roles live in a table (core), from rows seeded there for the
//! project's app — plus an admin of another app and an admin in org B.
//!
//! **Probes.** Each runs in its own transaction with `SET LOCAL` settings
//! and is rolled back. For each runtime role and tenant table:
//! - with org A set and a caller the select policy admits, only org A rows
//!   are visible, at least one (and the superuser does see org B's);
//! - inserting a row for org B fails with SQLSTATE 42501;
//! - moving a row the caller may update to org B fails (42501), or updates
//!   nothing when the caller may not update it;
//! - with the org unset (fresh connection), empty, or expired from an
//!   earlier `SET LOCAL` on a reused connection: zero rows, no error; and
//!   an insert is refused;
//! - a matrix over callers (owner, another user without app role, admin,
//!   editor, viewer, and in core an admin of another app and an admin of
//!   org B) × org A rows × select/insert/update/delete, expected from the
//!   IR policies (three-valued: a `sql(...)` predicate is not predicted, so
//!   those cells are skipped). It covers "an owner-only command is refused
//!   to a non-owner without the role", "a viewer deletes nothing" and "an
//!   admin of another app gets no rights here";
//! - where a permissive `sql(...)` policy admits org B's row to a caller
//!   with org B set, the same caller with org A set sees or changes nothing
//!   of it: the restrictive tenant policy is not bypassed;
//! - a partition of a partitioned tenant table, read directly, shows no rows.
//!
//! Every probe is counted; the test prints the counts and fails below a
//! minimum, so a change that silently stops probing is caught.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use postgres::error::SqlState;
use postgres::Client;
use sluice::ast::Pred;
use sluice::ir::{AppRoles, Command, Origin, Project, Table, Workspace};

use crate::pg::{Cluster, SqlError};
use crate::pg_emit::{apply, compiled, project_sql};

const ORG_A: &str = "0000000a-0000-4000-a000-00000000000a";
const ORG_B: &str = "0000000b-0000-4000-a000-00000000000b";
/// Owns the first org A row of every table; no app role.
const UA: &str = "000000a1-0000-4000-b000-0000000000a1";
/// Owns the second org A row; no app role.
const UA2: &str = "000000a2-0000-4000-b000-0000000000a2";
/// Owns the org B row.
const UB: &str = "000000b1-0000-4000-b000-0000000000b1";

/// The seeded rows of every table: (org, owner).
const KINDS: [(&str, &str); 3] = [(ORG_A, UA), (ORG_A, UA2), (ORG_B, UB)];
/// The index of the org B row in [`KINDS`].
const B_ROW: usize = 2;
/// The `n` of rows made by probes (seeded rows use small ones).
const NEW_ROW: usize = 200;

/// A caller of the API: a user and, in org A, maybe an app role.
#[derive(Debug, Clone, Copy)]
struct Persona {
    name: &'static str,
    user: &'static str,
    /// Its role in this project's app within org A (what policies see).
    role: Option<&'static str>,
    /// Where its app role comes from.
    grant: Option<Grant>,
}

#[derive(Debug, Clone, Copy)]
struct Grant {
    org: &'static str,
    this_app: bool,
    role: &'static str,
}

const OWNER: Persona = Persona {
    name: "owner UA (no app role)",
    user: UA,
    role: None,
    grant: None,
};
const OTHER_USER: Persona = Persona {
    name: "user UA2 (no app role)",
    user: UA2,
    role: None,
    grant: None,
};

const fn member(name: &'static str, user: &'static str, role: &'static str) -> Persona {
    Persona {
        name,
        user,
        role: Some(role),
        grant: Some(Grant {
            org: ORG_A,
            this_app: true,
            role,
        }),
    }
}

const ADMIN: Persona = member("admin", "000000ad-0000-4000-c000-0000000000ad", "admin");
const EDITOR: Persona = member("editor", "000000ed-0000-4000-c000-0000000000ed", "editor");
const VIEWER: Persona = member("viewer", "000000ee-0000-4000-c000-0000000000ee", "viewer");
/// Admin of another app of the same org (only where roles live in a table).
const OTHER_APP_ADMIN: Persona = Persona {
    name: "admin of another app",
    user: "000000aa-0000-4000-c000-0000000000aa",
    role: None,
    grant: Some(Grant {
        org: ORG_A,
        this_app: false,
        role: "admin",
    }),
};
/// Admin of this app in org B (only where roles live in a table).
const OTHER_ORG_ADMIN: Persona = Persona {
    name: "admin in org B",
    user: "000000ab-0000-4000-c000-0000000000ab",
    role: None,
    grant: Some(Grant {
        org: ORG_B,
        this_app: true,
        role: "admin",
    }),
};

/// In preference order for "a caller the policy admits".
const PERSONAS: [Persona; 7] = [
    ADMIN,
    EDITOR,
    VIEWER,
    OWNER,
    OTHER_USER,
    OTHER_APP_ADMIN,
    OTHER_ORG_ADMIN,
];

/// Probe kinds that must run once per runtime role and tenant table.
const PER_TABLE_KINDS: [&str; 7] = [
    "org A sees only org A rows",
    "insert into org B refused (42501)",
    "update moving a row to org B refused",
    "no org (unset, fresh connection): no rows, no error",
    "no org (empty string): no rows, no error",
    "no org (expired SET LOCAL on a reused connection): no rows",
    "insert with no org refused (42501)",
];

/// Tagged matrix cells and special probes that must occur at least once.
const REQUIRED_KINDS: [&str; 6] = [
    "owner-only command refused to a non-owner without the role",
    "viewer deletes nothing",
    "admin of another app refused",
    "admin of another org refused",
    "permissive sql(...) policy cannot bypass the tenant policy",
    "partition read directly shows no rows",
];

/// Below this many probes in all, the suite has stopped probing.
const MIN_PROBES: usize = 1500;

#[derive(Default)]
struct Probes {
    total: usize,
    kinds: BTreeMap<String, usize>,
    failures: Vec<String>,
}

impl Probes {
    fn count(&mut self, kind: &str) {
        self.total += 1;
        *self.kinds.entry(kind.to_string()).or_default() += 1;
    }

    /// A tag on a probe already counted.
    fn tag(&mut self, kind: &str) {
        *self.kinds.entry(kind.to_string()).or_default() += 1;
    }

    fn merge(&mut self, other: Probes) {
        self.total += other.total;
        for (k, n) in other.kinds {
            *self.kinds.entry(k).or_default() += n;
        }
        self.failures.extend(other.failures);
    }
}

#[test]
fn tenant_isolation_holds_for_every_tenant_table_as_the_runtime_roles() {
    let c = compiled();
    isolation_holds(&c, crate::pg::default_major());
}

/// Applies every project's initial migration of `c` (the bundled workspace,
/// built for some target) on PostgreSQL `major` and runs the probes.
pub fn isolation_holds(c: &sluice::Compilation, major: u32) {
    let started = std::time::Instant::now();
    let ws = &c.workspace;
    let sql = project_sql(c);
    let runtime: Vec<&str> = ws
        .roles
        .iter()
        .filter(|r| r.runtime)
        .map(|r| r.name.as_str())
        .collect();
    assert!(
        runtime.contains(&"service_rw"),
        "service_rw is a runtime role: {runtime:?}"
    );
    let tenant_tables: usize = ws
        .projects
        .iter()
        .map(|p| p.tables.iter().filter(|t| t.tenant).count())
        .sum();
    assert!(tenant_tables >= 20, "only {tenant_tables} tenant tables");

    let results: Vec<(String, Probes)> = std::thread::scope(|s| {
        let handles: Vec<_> = ws
            .projects
            .iter()
            .zip(&sql)
            .filter(|(p, _)| p.postgres <= major && p.tables.iter().any(|t| t.tenant))
            .map(|(p, files)| {
                let runtime = &runtime;
                let name = format!("rls::{} on PostgreSQL {major}", p.name);
                let spawned = std::thread::Builder::new()
                    .name(name)
                    .spawn_scoped(s, move || {
                        let pg = Cluster::start_on(major);
                        let db = pg.create_db();
                        apply(&pg, &db, &format!("{}/0000_initial.sql", p.name), &files.up);
                        let mut env = Env::new(&pg, db, ws, p);
                        env.seed();
                        for role in runtime {
                            env.probe_as(role);
                        }
                        (p.name.clone(), env.probes)
                    });
                spawned.expect("start a thread")
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a project's probes panicked"))
            .collect()
    });

    let mut all = Probes::default();
    for (project, probes) in results {
        println!(
            "rls: PostgreSQL {major}, project {project}: {} probes",
            probes.total
        );
        all.merge(probes);
    }
    println!(
        "rls: {} probes over {tenant_tables} tenant tables as {runtime:?} in {:.1?}",
        all.total,
        started.elapsed()
    );
    for (kind, n) in &all.kinds {
        println!("rls:   {n:5}  {kind}");
    }
    assert!(
        all.failures.is_empty(),
        "{} probe(s) failed:\n\n{}",
        all.failures.len(),
        all.failures.join("\n\n")
    );
    let per_table = tenant_tables * runtime.len();
    for kind in PER_TABLE_KINDS {
        assert_eq!(
            all.kinds.get(kind).copied().unwrap_or(0),
            per_table,
            "probe `{kind}` did not run once per runtime role and tenant table"
        );
    }
    for kind in REQUIRED_KINDS {
        assert!(all.kinds.contains_key(kind), "no probe `{kind}` ran");
    }
    assert!(
        all.total >= MIN_PROBES,
        "only {} probes ran (minimum {MIN_PROBES})",
        all.total
    );
}

/// A column as the catalog has it.
struct Column {
    name: String,
    /// `format_type`: `numeric(12,2)`, `integer[]`, `attendance_status`.
    ty: String,
    /// The (element) type's name: `numeric`, `int4`, `attendance_status`.
    base: String,
    array: bool,
    /// Labels, for an enum (element) type.
    labels: Vec<String>,
    generated: bool,
}

/// A row: SQL expressions per column, and the raw uuids it holds.
#[derive(Clone)]
struct Row {
    kind: usize,
    values: Vec<(String, String)>,
    uuids: Vec<String>,
}

impl Row {
    fn get(&self, column: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(c, _)| c == column)
            .map(|(_, v)| v.as_str())
    }

    fn set(&mut self, column: &str, value: String) {
        match self.values.iter_mut().find(|(c, _)| c == column) {
            Some((_, v)) => *v = value,
            None => self.values.push((column.to_string(), value)),
        }
    }
}

/// What a probe's statement did.
enum Outcome {
    Rows(u64),
    /// SQLSTATE 42501, with the server's report.
    Denied(String),
    Error(String),
}

impl Outcome {
    /// Refused by a row-level security policy (42501 "new row violates
    /// row-level security policy"), not by a missing privilege.
    fn rls_violation(&self) -> bool {
        matches!(self, Outcome::Denied(e) if e.contains("row-level security"))
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Rows(n) => write!(f, "{n} row(s)"),
            Outcome::Denied(e) => write!(f, "refused: {e}"),
            Outcome::Error(e) => write!(f, "error: {e}"),
        }
    }
}

/// The org setting of a session.
#[derive(Clone, Copy)]
enum Org {
    /// Never set on this connection: reads as NULL.
    Unset,
    Empty,
    Id(&'static str),
}

/// The `SET LOCAL` settings of one probe's transaction.
struct Session {
    org: Org,
    user: Option<String>,
    app_role: Option<&'static str>,
}

impl Session {
    fn of(p: &Persona, org: Org) -> Session {
        Session {
            org,
            user: Some(p.user.to_string()),
            app_role: p
                .grant
                .filter(|g| g.this_app && g.org == ORG_A)
                .map(|g| g.role),
        }
    }
}

/// Whether a probe counts rows or changes them.
enum Stmt {
    Count(String),
    Write(String),
}

impl Stmt {
    fn sql(&self) -> &str {
        match self {
            Stmt::Count(s) | Stmt::Write(s) => s,
        }
    }
}

/// The commands of the matrix.
const COMMANDS: [Command; 4] = [
    Command::Select,
    Command::Insert,
    Command::Update,
    Command::Delete,
];

/// One project's database, its seeded rows and the probes so far.
struct Env<'a> {
    pg: &'a Cluster,
    db: String,
    ws: &'a Workspace,
    p: &'a Project,
    org_col: String,
    org_setting: String,
    user_setting: String,
    /// `Some(setting)` when app roles come from a setting; `None` when
    /// from a table of the project.
    role_setting: Option<String>,
    columns: Vec<Vec<Column>>,
    /// Per table, the rows of [`KINDS`].
    rows: Vec<Vec<Row>>,
    /// Per table, the names of its partitions.
    partitions: Vec<Vec<String>>,
    probes: Probes,
}

fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

impl<'a> Env<'a> {
    fn new(pg: &'a Cluster, db: String, ws: &'a Workspace, p: &'a Project) -> Env<'a> {
        let tenancy = p
            .tenancy
            .as_ref()
            .unwrap_or_else(|| panic!("project {} has tenant tables but no tenancy", p.name));
        let role_setting = match &p.app_roles {
            Some(AppRoles::Setting(s)) => Some(s.clone()),
            Some(AppRoles::Table { .. }) => None,
            None => panic!("project {} declares no app_roles", p.name),
        };
        let mut env = Env {
            pg,
            db,
            ws,
            p,
            org_col: tenancy.column.clone(),
            org_setting: tenancy.org_setting.clone(),
            user_setting: tenancy
                .user_setting
                .clone()
                .unwrap_or_else(|| "app.current_user_id".into()),
            role_setting,
            columns: Vec::new(),
            rows: Vec::new(),
            partitions: Vec::new(),
            probes: Probes::default(),
        };
        let mut su = env.superuser();
        for t in &p.tables {
            let cols = env.catalog_columns(&mut su, t);
            env.columns.push(cols);
            let parts = su
                .query(
                    "SELECT i.inhrelid::regclass::text FROM pg_inherits i
                      WHERE i.inhparent = $1::text::regclass ORDER BY 1",
                    &[&env.qualified(&t.name)],
                )
                .unwrap_or_else(|e| panic!("partitions of {}: {}", t.name, SqlError(e)))
                .iter()
                .map(|r| r.get(0))
                .collect();
            env.partitions.push(parts);
        }
        env
    }

    fn superuser(&self) -> Client {
        self.pg.client(&self.db)
    }

    fn qualified(&self, table: &str) -> String {
        format!("{}.{}", ident(&self.p.schema), ident(table))
    }

    fn catalog_columns(&self, su: &mut Client, t: &Table) -> Vec<Column> {
        let rows = su
            .query(
                "SELECT a.attname::text, format_type(a.atttypid, a.atttypmod),
                        coalesce(et.typname, t.typname)::text, et.oid IS NOT NULL,
                        ARRAY(SELECT e.enumlabel::text FROM pg_enum e
                               WHERE e.enumtypid = coalesce(et.oid, t.oid)
                               ORDER BY e.enumsortorder),
                        a.attgenerated <> '' OR a.attidentity = 'a'
                   FROM pg_attribute a
                   JOIN pg_type t ON t.oid = a.atttypid
                   LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
                  WHERE a.attrelid = $1::text::regclass AND a.attnum > 0 AND NOT a.attisdropped
                  ORDER BY a.attnum",
                &[&self.qualified(&t.name)],
            )
            .unwrap_or_else(|e| panic!("columns of {}: {}", t.name, SqlError(e)));
        assert!(!rows.is_empty(), "table {} is not in the database", t.name);
        rows.iter()
            .map(|r| Column {
                name: r.get(0),
                ty: r.get(1),
                base: r.get(2),
                array: r.get(3),
                labels: r.get(4),
                generated: r.get(5),
            })
            .collect()
    }

    // ─── seeding ───

    /// Drops CHECK, FOREIGN KEY and UNIQUE constraints, seeds every table of
    /// the project with the rows of [`KINDS`] (triggers off), and in a
    /// project whose app roles live in a table, the personas' roles.
    fn seed(&mut self) {
        let mut su = self.superuser();
        let schema = self.p.schema.clone();
        let statements = |su: &mut Client, query: &str| -> Vec<String> {
            su.query(query, &[&schema])
                .unwrap_or_else(|e| panic!("{query}: {}", SqlError(e)))
                .iter()
                .map(|r| r.get(0))
                .collect()
        };
        let drops = statements(
            &mut su,
            "SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname)
               FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
              WHERE n.nspname = $1 AND c.contype IN ('c', 'f', 'u')
                AND c.coninhcount = 0 AND c.conparentid = 0
              ORDER BY c.contype, 1",
        );
        let tables = statements(
            &mut su,
            "SELECT c.oid::regclass::text FROM pg_class c
               JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') ORDER BY c.relkind DESC, 1",
        );
        for sql in &drops {
            su.batch_execute(sql)
                .unwrap_or_else(|e| panic!("{sql}: {}", SqlError(e)));
        }
        let triggers = |su: &mut Client, mode: &str| {
            for t in &tables {
                let sql = format!("ALTER TABLE {t} {mode} TRIGGER USER");
                su.batch_execute(&sql)
                    .unwrap_or_else(|e| panic!("{sql}: {}", SqlError(e)));
            }
        };
        triggers(&mut su, "DISABLE");

        // Every value but foreign keys first, then the foreign keys from the
        // parent's row of the same kind.
        let mut rows: Vec<Vec<Row>> = (0..self.p.tables.len())
            .map(|ti| {
                (0..KINDS.len())
                    .map(|kind| self.base_row(ti, kind + 1, kind, &[]))
                    .collect()
            })
            .collect();
        for ti in 0..rows.len() {
            for kind in 0..KINDS.len() {
                let mut row = rows[ti][kind].clone();
                self.resolve_foreign_keys(ti, &mut row, &rows);
                rows[ti][kind] = row;
            }
        }
        self.rows = rows;
        for ti in 0..self.p.tables.len() {
            for row in self.rows[ti].clone() {
                let sql = self.insert_sql(ti, &row);
                su.batch_execute(&sql)
                    .unwrap_or_else(|e| panic!("seed: {sql}: {}", SqlError(e)));
            }
        }
        if let Some(AppRoles::Table { table }) = &self.p.app_roles {
            for sql in self.role_rows(*table) {
                su.batch_execute(&sql)
                    .unwrap_or_else(|e| panic!("seed roles: {sql}: {}", SqlError(e)));
            }
        }
        triggers(&mut su, "ENABLE");

        // The superuser bypasses RLS: it sees every seeded row, org B's too.
        // Proves that the rows the probes must not see are there.
        for (ti, t) in self.p.tables.iter().enumerate().filter(|(_, t)| t.tenant) {
            let q = format!(
                "SELECT count(*) FILTER (WHERE {col} = {b}), count(*) FROM {table}",
                col = ident(&self.org_col),
                b = self.uuid_lit(ORG_B),
                table = self.qualified(&t.name)
            );
            let row = su
                .query_one(&q, &[])
                .unwrap_or_else(|e| panic!("{q}: {}", SqlError(e)));
            let (b, all): (i64, i64) = (row.get(0), row.get(1));
            assert!(b >= 1, "{}: the superuser sees org B's row", t.name);
            assert!(all >= self.rows[ti].len() as i64, "{}: seeded", t.name);
            self.probes.count("superuser sees org B rows (control)");
        }
    }

    /// The app roles of the personas as rows of the project's role table
    /// (`user_id`, tenant column, the app's foreign key, `role`), and the
    /// apps they point at.
    fn role_rows(&self, roles_ti: usize) -> Vec<String> {
        let roles = &self.p.tables[roles_ti];
        let app = self
            .p
            .app
            .clone()
            .expect("a project with a role table has an app");
        let (app_col, apps_ti, apps_ref) = roles
            .foreign_keys
            .iter()
            .find(|fk| fk.columns.len() == 1 && self.p.tables[fk.table].column("code").is_some())
            .map(|fk| (fk.columns[0].clone(), fk.table, fk.ref_columns[0].clone()))
            .expect("the role table refers to the apps table");
        let other_app = self
            .ws
            .projects
            .iter()
            .filter_map(|p| p.app.clone())
            .find(|a| *a != app)
            .unwrap_or_else(|| "hr".into());
        let mut sql = Vec::new();
        let mut app_ids = Vec::new();
        for (i, code) in [&app, &other_app].into_iter().enumerate() {
            let row = self.base_row(apps_ti, 50 + i, 0, &[("code", literal(code))]);
            app_ids.push(row.get(&apps_ref).expect("apps rows have ids").to_string());
            sql.push(self.insert_sql(apps_ti, &row));
        }
        let mut n = 60;
        for persona in PERSONAS {
            let Some(g) = persona.grant else { continue };
            n += 1;
            let kind = if g.org == ORG_A { 0 } else { B_ROW };
            let app_id = app_ids[usize::from(!g.this_app)].clone();
            let mut row = self.base_row(
                roles_ti,
                n,
                kind,
                &[
                    ("user_id", self.uuid_lit(persona.user)),
                    (&app_col, app_id),
                    ("role", literal(g.role)),
                ],
            );
            self.resolve_foreign_keys(roles_ti, &mut row, &self.rows);
            sql.push(self.insert_sql(roles_ti, &row));
        }
        sql
    }

    fn uuid_lit(&self, u: &str) -> String {
        format!("'{u}'::uuid")
    }

    fn is_soft_delete(t: &Table, column: &str) -> bool {
        t.column(column)
            .is_some_and(|c| c.origin == Origin::Timestamp && c.nullable)
    }

    /// Every column's value except foreign keys (the tenant and owner
    /// columns from `kind`), from its type and `n`; `overrides` win.
    fn base_row(&self, ti: usize, n: usize, kind: usize, overrides: &[(&str, String)]) -> Row {
        let t = &self.p.tables[ti];
        let (org, owner) = KINDS[kind];
        let mut row = Row {
            kind,
            values: Vec::new(),
            uuids: Vec::new(),
        };
        for col in &self.columns[ti] {
            if col.generated || Self::is_soft_delete(t, &col.name) {
                continue;
            }
            let value = if let Some((_, v)) = overrides.iter().find(|(c, _)| *c == col.name) {
                v.clone()
            } else if t.tenant && col.name == self.org_col {
                self.uuid_lit(org)
            } else if t.owner.as_deref() == Some(col.name.as_str()) {
                self.uuid_lit(owner)
            } else if self.foreign_key(t, &col.name).is_some() {
                continue;
            } else {
                let (value, uuid) = value_for(&t.name, col, ti, n);
                row.uuids.extend(uuid);
                value
            };
            row.values.push((col.name.clone(), value));
        }
        row
    }

    /// The parent table and column of `column`, when it is a foreign key.
    fn foreign_key(&self, t: &Table, column: &str) -> Option<(usize, String)> {
        t.foreign_keys.iter().find_map(|fk| {
            let i = fk.columns.iter().position(|c| c == column)?;
            Some((fk.table, fk.ref_columns[i].clone()))
        })
    }

    /// Foreign keys not set yet point at the parent's row of the same kind
    /// (a self-reference at the row itself).
    fn resolve_foreign_keys(&self, ti: usize, row: &mut Row, rows: &[Vec<Row>]) {
        let t = &self.p.tables[ti];
        for col in &self.columns[ti] {
            if row.get(&col.name).is_some() || col.generated {
                continue;
            }
            let Some((parent, ref_col)) = self.foreign_key(t, &col.name) else {
                continue;
            };
            let value = if parent == ti {
                row.get(&ref_col).map(str::to_string)
            } else {
                rows[parent][row.kind].get(&ref_col).map(str::to_string)
            };
            let value = value.unwrap_or_else(|| value_for(&t.name, col, ti, 1).0);
            row.set(&col.name, value);
        }
    }

    fn insert_sql(&self, ti: usize, row: &Row) -> String {
        let cols: Vec<String> = row.values.iter().map(|(c, _)| ident(c)).collect();
        let vals: Vec<&str> = row.values.iter().map(|(_, v)| v.as_str()).collect();
        format!(
            "INSERT INTO {} ({}) VALUES ({})",
            self.qualified(&self.p.tables[ti].name),
            cols.join(", "),
            vals.join(", ")
        )
    }

    /// A new row (not seeded) of `kind`, with `owner` as its owner.
    fn new_row(&self, ti: usize, kind: usize, org: &str, owner: &str) -> Row {
        let t = &self.p.tables[ti];
        let mut overrides = vec![(self.org_col.as_str(), self.uuid_lit(org))];
        if let Some(o) = &t.owner {
            overrides.push((o.as_str(), self.uuid_lit(owner)));
        }
        let mut row = self.base_row(ti, NEW_ROW, kind, &overrides);
        self.resolve_foreign_keys(ti, &mut row, &self.rows);
        row
    }

    /// `pk = value AND …` for a seeded row.
    fn key_of(&self, ti: usize, row: &Row) -> String {
        let t = &self.p.tables[ti];
        assert!(!t.primary_key.is_empty(), "{} has no primary key", t.name);
        t.primary_key
            .iter()
            .map(|c| {
                let v = row
                    .get(c)
                    .unwrap_or_else(|| panic!("{}: no value for key {c}", t.name));
                format!("{} = {v}", ident(c))
            })
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    // ─── running probes ───

    fn set_local(&self, s: &Session) -> String {
        let mut sql = String::new();
        let mut set = |name: &str, value: &str| {
            let _ = writeln!(sql, "SET LOCAL {name} = {};", literal(value));
        };
        match s.org {
            Org::Unset => {}
            Org::Empty => set(&self.org_setting, ""),
            Org::Id(org) => set(&self.org_setting, org),
        }
        if let Some(user) = &s.user {
            set(&self.user_setting, user);
        }
        if let (Some(setting), Some(role)) = (&self.role_setting, s.app_role) {
            set(setting, role);
        }
        sql
    }

    /// Runs `stmt` as the client's role in a transaction with `s`'s
    /// settings, then rolls back.
    fn run(&self, client: &mut Client, s: &Session, stmt: &Stmt) -> Outcome {
        let mut tx = client.transaction().expect("begin");
        tx.batch_execute(&self.set_local(s)).expect("SET LOCAL");
        let result = match stmt {
            Stmt::Count(q) => tx
                .query_one(q.as_str(), &[])
                .map(|r| r.get::<_, i64>(0) as u64),
            Stmt::Write(q) => tx.execute(q.as_str(), &[]),
        };
        let outcome = match result {
            Ok(n) => Outcome::Rows(n),
            Err(e) if e.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) => {
                Outcome::Denied(SqlError(e).to_string())
            }
            Err(e) => Outcome::Error(SqlError(e).to_string()),
        };
        tx.rollback().expect("rollback");
        outcome
    }

    fn fail(&mut self, role: &str, table: &str, probe: &str, s: &Session, stmt: &Stmt, got: &str) {
        self.probes.failures.push(format!(
            "project {} table {table} as {role}: {probe}\n  settings: {}\n  sql: {}\n  got: {got}",
            self.p.name,
            self.set_local(s).replace('\n', " "),
            stmt.sql()
        ));
    }

    /// Runs a probe and checks its outcome with `ok`; records a failure
    /// (with what happened) when `ok` says no.
    #[allow(clippy::too_many_arguments)]
    fn probe(
        &mut self,
        client: &mut Client,
        role: &str,
        table: &str,
        kind: &str,
        s: &Session,
        stmt: &Stmt,
        ok: impl Fn(&Outcome) -> bool,
    ) -> Outcome {
        self.probes.count(kind);
        let got = self.run(client, s, stmt);
        if !ok(&got) {
            self.fail(role, table, kind, s, stmt, &got.to_string());
        }
        got
    }

    fn probe_as(&mut self, role: &str) {
        let mut client = self.pg.client_as(&self.db, role);
        let me = client
            .query_one(
                "SELECT r.rolsuper, r.rolbypassrls FROM pg_roles r WHERE r.rolname = current_user",
                &[],
            )
            .expect("who am I");
        assert!(
            !me.get::<_, bool>(0) && !me.get::<_, bool>(1),
            "{role} must be neither a superuser nor BYPASSRLS"
        );
        for ti in 0..self.p.tables.len() {
            if !self.p.tables[ti].tenant {
                continue;
            }
            let owner: String = client
                .query_one(
                    "SELECT pg_get_userbyid(relowner)::text FROM pg_class WHERE oid = $1::text::regclass",
                    &[&self.qualified(&self.p.tables[ti].name)],
                )
                .expect("table owner")
                .get(0);
            assert_ne!(owner, role, "{role} owns {}", self.p.tables[ti].name);
            self.probe_table(&mut client, role, ti);
        }
    }

    fn personas(&self) -> Vec<Persona> {
        PERSONAS
            .into_iter()
            .filter(|p| {
                self.role_setting.is_none() || p.grant.is_none_or(|g| g.this_app && g.org == ORG_A)
            })
            .collect()
    }

    fn probe_table(&mut self, client: &mut Client, role: &str, ti: usize) {
        let p = self.p;
        let t = &p.tables[ti];
        let name = t.name.clone();
        let table = self.qualified(&t.name);
        let org = ident(&self.org_col);
        let a_rows: Vec<Row> = self.rows[ti][..B_ROW].to_vec();
        let personas = self.personas();

        // ── org A: only org A rows ──
        let reader = personas
            .iter()
            .copied()
            .find(|w| {
                a_rows
                    .iter()
                    .any(|r| admits_row(t, role, Command::Select, w, r) == Some(true))
            })
            .or_else(|| {
                // No prediction (sql policies): the first who sees something.
                personas.iter().copied().find(|w| {
                    let q = Stmt::Count(format!("SELECT count(*) FROM {table}"));
                    matches!(self.run(client, &Session::of(w, Org::Id(ORG_A)), &q), Outcome::Rows(n) if n > 0)
                })
            });
        let Some(reader) = reader else {
            let s = Session::of(&ADMIN, Org::Id(ORG_A));
            let stmt = Stmt::Count(format!("SELECT count(*) FROM {table}"));
            self.probes.count(PER_TABLE_KINDS[0]);
            self.fail(
                role,
                &name,
                "no caller sees any org A row",
                &s,
                &stmt,
                "0 rows for every persona",
            );
            return;
        };
        let s = Session::of(&reader, Org::Id(ORG_A));
        let stmt = Stmt::Count(format!(
            "SELECT count(*) FILTER (WHERE {org} IS DISTINCT FROM {a}) * 1000000 + count(*) FROM {table}",
            a = self.uuid_lit(ORG_A)
        ));
        // Encoded as (rows not in org A) * 10^6 + rows seen.
        self.probe(
            client,
            role,
            &name,
            PER_TABLE_KINDS[0],
            &s,
            &stmt,
            |o| matches!(o, Outcome::Rows(n) if *n > 0 && *n < 1_000_000),
        );

        // ── insert into org B ──
        let inserter = personas
            .iter()
            .copied()
            .find(|w| admits_own_new(t, role, w) == Some(true));
        let w = inserter.unwrap_or(ADMIN);
        let s = Session::of(&w, Org::Id(ORG_A));
        if inserter.is_some() {
            // Control: the same caller may insert the row into org A.
            let row = self.new_row(ti, 0, ORG_A, w.user);
            let stmt = Stmt::Write(self.insert_sql(ti, &row));
            self.probe(
                client,
                role,
                &name,
                "insert into own org allowed (control)",
                &s,
                &stmt,
                |o| matches!(o, Outcome::Rows(1)),
            );
        }
        let row = self.new_row(ti, B_ROW, ORG_B, w.user);
        let stmt = Stmt::Write(self.insert_sql(ti, &row));
        self.probe(client, role, &name, PER_TABLE_KINDS[1], &s, &stmt, |o| {
            o.rls_violation()
        });

        // ── update a row to org B ──
        let updater = personas.iter().copied().find_map(|w| {
            a_rows
                .iter()
                .find(|r| admits_row(t, role, Command::Update, &w, r) == Some(true))
                .map(|r| (w, r.clone()))
        });
        let (w, r, may_update) = match updater {
            Some((w, r)) => (w, r, true),
            None => (reader, a_rows[0].clone(), false),
        };
        let s = Session::of(&w, Org::Id(ORG_A));
        let key = self.key_of(ti, &r);
        if may_update {
            let stmt = Stmt::Write(format!("UPDATE {table} SET {org} = {org} WHERE {key}"));
            self.probe(
                client,
                role,
                &name,
                "update within own org allowed (control)",
                &s,
                &stmt,
                |o| matches!(o, Outcome::Rows(1)),
            );
        }
        let stmt = Stmt::Write(format!(
            "UPDATE {table} SET {org} = {} WHERE {key}",
            self.uuid_lit(ORG_B)
        ));
        self.probe(client, role, &name, PER_TABLE_KINDS[2], &s, &stmt, |o| {
            o.rls_violation() || (!may_update && matches!(o, Outcome::Rows(0)))
        });

        // ── no org ──
        let count = Stmt::Count(format!("SELECT count(*) FROM {table}"));
        {
            let mut fresh = self.pg.client_as(&self.db, role);
            let unset: bool = fresh
                .query_one(
                    "SELECT current_setting($1, true) IS NULL",
                    &[&self.org_setting],
                )
                .expect("read the org setting")
                .get(0);
            assert!(unset, "a fresh connection has no org setting");
            let s = Session::of(&reader, Org::Unset);
            self.probe(
                &mut fresh,
                role,
                &name,
                PER_TABLE_KINDS[3],
                &s,
                &count,
                |o| matches!(o, Outcome::Rows(0)),
            );
        }
        let s = Session::of(&reader, Org::Empty);
        self.probe(client, role, &name, PER_TABLE_KINDS[4], &s, &count, |o| {
            matches!(o, Outcome::Rows(0))
        });
        // This connection has run SET LOCAL before: the setting reads ''.
        let expired: String = client
            .query_one("SELECT current_setting($1, true)", &[&self.org_setting])
            .expect("read the org setting")
            .get::<_, Option<String>>(0)
            .unwrap_or_else(|| "NULL".into());
        assert_eq!(expired, "", "an expired SET LOCAL reads as ''");
        let s = Session::of(&reader, Org::Unset);
        self.probe(client, role, &name, PER_TABLE_KINDS[5], &s, &count, |o| {
            matches!(o, Outcome::Rows(0))
        });
        let w = inserter.unwrap_or(ADMIN);
        let row = self.new_row(ti, 0, ORG_A, w.user);
        let stmt = Stmt::Write(self.insert_sql(ti, &row));
        let s = Session::of(&w, Org::Unset);
        self.probe(client, role, &name, PER_TABLE_KINDS[6], &s, &stmt, |o| {
            o.rls_violation()
        });

        self.matrix(client, role, ti, &personas);
        self.sql_policies_cannot_bypass(client, role, ti);

        // ── partitions read directly ──
        for part in self.partitions[ti].clone() {
            let s = Session::of(&reader, Org::Id(ORG_A));
            let stmt = Stmt::Count(format!("SELECT count(*) FROM {part}"));
            self.probe(
                client,
                role,
                &name,
                "partition read directly shows no rows",
                &s,
                &stmt,
                |o| matches!(o, Outcome::Rows(0)),
            );
        }
    }

    /// Every persona × org A row × command whose outcome the IR policies
    /// predict.
    fn matrix(&mut self, client: &mut Client, role: &str, ti: usize, personas: &[Persona]) {
        let p = self.p;
        let t = &p.tables[ti];
        let name = t.name.clone();
        let table = self.qualified(&t.name);
        let org = ident(&self.org_col);
        // Without an owner column the two org A rows are alike.
        let rows: Vec<Row> = self.rows[ti][..if t.owner.is_some() { B_ROW } else { 1 }].to_vec();
        for r in &rows {
            let key = self.key_of(ti, r);
            let row_owner = KINDS[r.kind].1;
            for w in personas {
                for cmd in COMMANDS {
                    let expected = match cmd {
                        Command::Insert => admits_new_owned(t, role, w, row_owner),
                        _ => admits_row(t, role, cmd, w, r),
                    };
                    let Some(allowed) = expected else { continue };
                    let stmt = match cmd {
                        Command::Select => {
                            Stmt::Count(format!("SELECT count(*) FROM {table} WHERE {key}"))
                        }
                        Command::Insert => {
                            let new = self.new_row(ti, r.kind, ORG_A, row_owner);
                            Stmt::Write(self.insert_sql(ti, &new))
                        }
                        Command::Update => {
                            Stmt::Write(format!("UPDATE {table} SET {org} = {org} WHERE {key}"))
                        }
                        Command::Delete => Stmt::Write(format!("DELETE FROM {table} WHERE {key}")),
                        Command::All => unreachable!(),
                    };
                    let verdict = if allowed { "allowed" } else { "refused" };
                    let kind = format!("matrix: {} {verdict}", cmd.as_str());
                    let probe = format!(
                        "{kind} for {} on the row owned by {}",
                        w.name,
                        if row_owner == UA { "UA" } else { "UA2" }
                    );
                    self.probes.count(&kind);
                    let got = self.run(client, &Session::of(w, Org::Id(ORG_A)), &stmt);
                    let ok = match (cmd, allowed) {
                        (Command::Insert, true) => matches!(got, Outcome::Rows(1)),
                        (Command::Insert, false) => got.rls_violation(),
                        (Command::Update, false) => {
                            matches!(got, Outcome::Rows(0)) || got.rls_violation()
                        }
                        (_, true) => matches!(got, Outcome::Rows(1)),
                        (_, false) => matches!(got, Outcome::Rows(0)),
                    };
                    if !ok {
                        let s = Session::of(w, Org::Id(ORG_A));
                        self.fail(role, &name, &probe, &s, &stmt, &got.to_string());
                    }
                    if allowed {
                        continue;
                    }
                    // Tags for the cases the issue names.
                    let predict = |p: &Persona| match cmd {
                        Command::Insert => admits_new_owned(t, role, p, row_owner),
                        _ => admits_row(t, role, cmd, p, r),
                    };
                    let owner_persona = if row_owner == UA { OWNER } else { OTHER_USER };
                    if w.role.is_none()
                        && w.grant.is_none()
                        && w.user != row_owner
                        && predict(&owner_persona) == Some(true)
                    {
                        self.probes
                            .tag("owner-only command refused to a non-owner without the role");
                    }
                    if w.name == VIEWER.name && cmd == Command::Delete {
                        self.probes.tag("viewer deletes nothing");
                    }
                    if predict(&ADMIN) == Some(true) {
                        if w.name == OTHER_APP_ADMIN.name {
                            self.probes.tag("admin of another app refused");
                        }
                        if w.name == OTHER_ORG_ADMIN.name {
                            self.probes.tag("admin of another org refused");
                        }
                    }
                }
            }
        }
    }

    /// Where a permissive `sql(...)` policy admits org B's row to a caller
    /// in org B, that caller in org A must not reach it.
    fn sql_policies_cannot_bypass(&mut self, client: &mut Client, role: &str, ti: usize) {
        let p = self.p;
        let t = &p.tables[ti];
        let name = t.name.clone();
        let table = self.qualified(&t.name);
        let org = ident(&self.org_col);
        let b = self.rows[ti][B_ROW].clone();
        let key = self.key_of(ti, &b);
        // Users a sql(...) predicate may compare with: org B's owner, and
        // every uuid in the row (its id, its parents' ids).
        let mut users = vec![UB.to_string()];
        users.extend(b.uuids.iter().cloned());
        for cmd in [Command::Select, Command::Update, Command::Delete] {
            let has_sql = applicable(t, role, cmd)
                .any(|p| contains_sql(&p.using) || p.check.as_ref().is_some_and(contains_sql));
            if !has_sql {
                continue;
            }
            let stmt = match cmd {
                Command::Select => Stmt::Count(format!("SELECT count(*) FROM {table} WHERE {key}")),
                Command::Update => {
                    Stmt::Write(format!("UPDATE {table} SET {org} = {org} WHERE {key}"))
                }
                _ => Stmt::Write(format!("DELETE FROM {table} WHERE {key}")),
            };
            for user in &users {
                let home = Session {
                    org: Org::Id(ORG_B),
                    user: Some(user.clone()),
                    app_role: None,
                };
                if !matches!(self.run(client, &home, &stmt), Outcome::Rows(1)) {
                    continue;
                }
                // Admitted at home: the permissive policy is true for this
                // row and caller. From org A, the tenant policy must win.
                let away = Session {
                    org: Org::Id(ORG_A),
                    user: Some(user.clone()),
                    app_role: None,
                };
                self.probe(
                    client,
                    role,
                    &name,
                    "permissive sql(...) policy cannot bypass the tenant policy",
                    &away,
                    &stmt,
                    |o| matches!(o, Outcome::Rows(0)) || o.rls_violation(),
                );
            }
        }
    }
}

/// A value of `col`'s type for row `n` of table `ti`: distinct per row
/// (so unique columns stay unique) and small (so `numeric(p,s)` fits).
/// Returns the SQL expression and, for a uuid, the uuid.
fn value_for(table: &str, col: &Column, ti: usize, n: usize) -> (String, Option<String>) {
    let uuid = format!("{:08x}-0000-4000-8000-{:012x}", ti + 1, n);
    let digits = col
        .ty
        .strip_prefix("numeric(")
        .and_then(|rest| rest.split(')').next())
        .and_then(|ps| {
            let (p, s) = ps.split_once(',')?;
            Some(p.trim().parse::<u32>().ok()? - s.trim().parse::<u32>().ok()?)
        });
    let number = match digits {
        Some(d) => n % 10usize.pow(d.min(9)),
        None => n,
    };
    let element = match col.base.as_str() {
        "uuid" => format!("'{uuid}'"),
        "text" | "varchar" | "bpchar" | "citext" | "name" => format!("'v{n}'"),
        "int2" | "int4" | "int8" | "float4" | "float8" | "numeric" => number.to_string(),
        "bool" => n.is_multiple_of(2).to_string(),
        "date" => format!("(DATE '2024-01-01' + {n})"),
        "timestamptz" => format!("(TIMESTAMPTZ '2024-01-01 00:00:00+00' + interval '{n} hours')"),
        "timestamp" => format!("(TIMESTAMP '2024-01-01 00:00:00' + interval '{n} hours')"),
        "time" => format!("(TIME '08:00' + interval '{n} minutes')"),
        "interval" => format!("interval '{n} minutes'"),
        "jsonb" | "json" => format!("'{{\"n\": {n}}}'"),
        "inet" | "cidr" => format!("'10.0.{}.{}'", n / 256 % 256, n % 256),
        "bytea" => format!("'\\x{:02x}'", n % 256),
        _ if !col.labels.is_empty() => literal(&col.labels[n % col.labels.len()]),
        other => panic!(
            "{table}.{}: no value for type `{other}` ({}): teach value_for in tests/it/rls.rs",
            col.name, col.ty
        ),
    };
    let expr = if col.array {
        format!("ARRAY[{element}]::{}", col.ty)
    } else {
        format!("({element})::{}", col.ty)
    };
    let raw = (col.base == "uuid" && !col.array).then_some(uuid);
    (expr, raw)
}

// ─── what the IR policies predict ───

/// The permissive policies of `t` for `cmd` that apply to `role`.
fn applicable<'t>(
    t: &'t Table,
    role: &'t str,
    cmd: Command,
) -> impl Iterator<Item = &'t sluice::ir::Policy> + 't {
    t.policies.iter().filter(move |p| {
        (p.commands.contains(&cmd) || p.commands.contains(&Command::All))
            && (p.roles.is_empty() || p.roles.iter().any(|r| r == role || r == "public"))
    })
}

fn contains_sql(p: &Pred) -> bool {
    match p {
        Pred::Or(ps, _) | Pred::And(ps, _) => ps.iter().any(contains_sql),
        Pred::Not(q, _) => contains_sql(q),
        Pred::Sql(_) => true,
        _ => false,
    }
}

/// Three-valued: `None` when a `sql(...)` predicate decides.
fn eval(p: &Pred, w: &Persona, row_owner: Option<&str>) -> Option<bool> {
    match p {
        Pred::Or(ps, _) => {
            let vs: Vec<Option<bool>> = ps.iter().map(|q| eval(q, w, row_owner)).collect();
            if vs.contains(&Some(true)) {
                Some(true)
            } else if vs.iter().all(|v| *v == Some(false)) {
                Some(false)
            } else {
                None
            }
        }
        Pred::And(ps, _) => {
            let vs: Vec<Option<bool>> = ps.iter().map(|q| eval(q, w, row_owner)).collect();
            if vs.contains(&Some(false)) {
                Some(false)
            } else if vs.iter().all(|v| *v == Some(true)) {
                Some(true)
            } else {
                None
            }
        }
        Pred::Not(q, _) => eval(q, w, row_owner).map(|v| !v),
        Pred::Role(names, _) => Some(w.role.is_some_and(|r| names.iter().any(|n| n.name == r))),
        Pred::Sql(_) => None,
        Pred::Owner(_) => Some(row_owner == Some(w.user)),
        // Probes evaluate org A rows with org A set.
        Pred::Tenant(_) => Some(true),
        Pred::Bool(b, _) => Some(*b),
    }
}

/// OR over the applicable policies (USING, or WITH CHECK).
fn any_policy(
    t: &Table,
    role: &str,
    cmd: Command,
    w: &Persona,
    owner: Option<&str>,
    check: bool,
) -> Option<bool> {
    let mut result = Some(false);
    for p in applicable(t, role, cmd) {
        let pred = if check {
            p.check.as_ref().unwrap_or(&p.using)
        } else {
            &p.using
        };
        match eval(pred, w, owner) {
            Some(true) => return Some(true),
            Some(false) => {}
            None => result = None,
        }
    }
    result
}

fn and(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

/// What PostgreSQL applies to a seeded org A row: SELECT policies for
/// every command with a WHERE clause, plus the command's own (and, for
/// `UPDATE … SET org = org`, its WITH CHECK on the unchanged row).
fn admits_row(t: &Table, role: &str, cmd: Command, w: &Persona, r: &Row) -> Option<bool> {
    let owner = t.owner.as_ref().map(|_| KINDS[r.kind].1);
    let select = any_policy(t, role, Command::Select, w, owner, false);
    match cmd {
        Command::Select => select,
        Command::Update => and(
            select,
            and(
                any_policy(t, role, cmd, w, owner, false),
                any_policy(t, role, cmd, w, owner, true),
            ),
        ),
        Command::Delete => and(select, any_policy(t, role, cmd, w, owner, false)),
        Command::Insert | Command::All => unreachable!(),
    }
}

/// INSERT (no RETURNING) of a new org A row owned by `owner`: WITH CHECK
/// of the insert policies only.
fn admits_new_owned(t: &Table, role: &str, w: &Persona, owner: &str) -> Option<bool> {
    let owner = t.owner.as_ref().map(|_| owner);
    any_policy(t, role, Command::Insert, w, owner, true)
}

/// INSERT of a new org A row owned by the caller.
fn admits_own_new(t: &Table, role: &str, w: &Persona) -> Option<bool> {
    admits_new_owned(t, role, w, w.user)
}
