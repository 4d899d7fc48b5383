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

mod matrix;
mod probes;
mod seed;

use matrix::{admits_own_new, admits_row};
pub use probes::isolation_holds;

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
