//! The RLS attack suite: every bundled project fully migrated on
//! PostgreSQL (every journal file and script, see `rls_attack_deploy`),
//! seeded with one row per org in every table (foreign and unique keys
//! kept, see `rls_attack_seed`), then attacked as every
//! runtime role and every role that may read tables, with org A set. Every
//! attack must show 0 rows of org B and leave org B's rows as they were:
//!
//! - direct reads, `COPY … TO`, `COPY … FROM`, partitions read directly,
//!   every view, every function called with org B's ids;
//! - `TRUNCATE`, DDL (`ALTER`, `DROP`, `CREATE TABLE`, `CREATE TRIGGER`),
//!   `SET ROLE` to the schema owner;
//! - `ON CONFLICT` over org B's key, moving rows to org B, `RETURNING`
//!   from an update or delete aimed at org B;
//! - the setting missing, empty, malformed, `RESET`, or expired after an
//!   earlier transaction's `SET LOCAL`: no rows (or an error), never org B's;
//! - writes to every global table;
//! - a row of org A pointing at org B's row through every foreign key
//!   between tenant tables.
//!
//! Org B's rows are fingerprinted (every column, as JSON) by the superuser
//! before and after each role's attacks. The number of probes is printed.

use std::collections::BTreeMap;

use postgres::Client;
use sluice::ir::Project;

use crate::pg::{Cluster, SqlError};
use crate::pg_emit::compiled;
use crate::rls_attack_seed::{ident, literal, seed, Seeded, ORGS, USERS};

const MIN_PROBES: usize = 1000;

/// A project's probes: its name, count, count per kind and failures.
type ProjectResult = (String, usize, BTreeMap<&'static str, usize>, Vec<String>);

pub struct Attack<'a> {
    pub pg: &'a Cluster,
    pub db: String,
    pub p: &'a Project,
    pub tables: Vec<Seeded>,
    pub org_setting: String,
    probes: usize,
    kinds: BTreeMap<&'static str, usize>,
    failures: Vec<String>,
}

impl Attack<'_> {
    pub fn q(&self, table: &str) -> String {
        format!("{}.{}", ident(&self.p.schema), ident(table))
    }

    pub fn session(&self, role: &str) -> Client {
        self.pg.client_as(&self.db, role)
    }

    /// Opens a transaction as `role` with org A (and user A, app role
    /// admin) set locally.
    pub fn begin(&self, c: &mut Client) {
        c.batch_execute(&format!(
            "BEGIN; SET LOCAL {} = {}; SET LOCAL app.current_user_id = {}; SET LOCAL app.current_app_role = 'admin';",
            self.org_setting,
            literal(ORGS[0]),
            literal(USERS[0])
        ))
        .unwrap_or_else(|e| panic!("begin: {}", SqlError(e)));
    }

    pub fn note(&mut self, kind: &'static str, ok: bool, what: String) {
        self.probes += 1;
        *self.kinds.entry(kind).or_default() += 1;
        if !ok {
            self.failures
                .push(format!("{}: {kind}: {what}", self.p.name));
        }
    }

    /// Rows of `query` (run in org A's transaction, committed when it
    /// succeeds) that mention org B; an error counts as none.
    pub fn org_b_rows(&self, role: &str, query: &str, commit: bool) -> Result<usize, String> {
        let mut c = self.session(role);
        self.begin(&mut c);
        let wrapped = format!(
            "SELECT count(*) FROM ({query}) q WHERE row_to_json(q)::text LIKE '%{}%'",
            ORGS[1]
        );
        let r = c.query_one(&wrapped, &[]);
        let end = if commit && r.is_ok() {
            "COMMIT"
        } else {
            "ROLLBACK"
        };
        let _ = c.batch_execute(end);
        match r {
            Ok(row) => Ok(row.get::<_, i64>(0) as usize),
            Err(e) => Err(SqlError(e).to_string()),
        }
    }

    /// Runs `sql` as `role` in org A's transaction and commits it when it
    /// succeeds: what it changes stays, for the fingerprint to see.
    pub fn write(&self, role: &str, sql: &str) -> Result<u64, String> {
        let mut c = self.session(role);
        self.begin(&mut c);
        let r = c.execute(sql, &[]);
        let end = if r.is_ok() { "COMMIT" } else { "ROLLBACK" };
        let _ = c.batch_execute(end);
        r.map_err(|e| SqlError(e).to_string())
    }

    fn attack_as(&mut self, role: &str) {
        let before = self.fingerprint();
        let tenant: Vec<Seeded> = self.tables.iter().filter(|t| t.tenant).cloned().collect();
        let global: Vec<Seeded> = self.tables.iter().filter(|t| !t.tenant).cloned().collect();
        let tcol = self
            .p
            .tenancy
            .as_ref()
            .map(|t| t.column.clone())
            .unwrap_or_default();
        for t in &tenant {
            self.attack_tenant_table(role, t, &tenant, &tcol);
        }
        for g in &global {
            self.attack_global_table(role, g);
        }
        for v in self.p.views.iter() {
            let r = self.org_b_rows(role, &format!("SELECT * FROM {}", self.q(&v.name)), false);
            self.note(
                "view",
                matches!(r, Err(_) | Ok(0)),
                format!("{role} read org B's rows through view {}: {r:?}", v.name),
            );
        }
        self.functions(role);
        for target in ["migration_user", "postgres"] {
            let r = self.write(role, &format!("SET ROLE {target}"));
            self.note("SET ROLE", r.is_err(), format!("{role} became {target}"));
        }
        let after = self.fingerprint();
        self.note(
            "org B's rows unchanged",
            before == after,
            format!("{role} changed org B's rows:\nbefore {before}\nafter {after}"),
        );
    }
}

#[test]
fn rls_attacks_find_nothing_across_tenants() {
    let c = compiled();
    let ws = &c.workspace;
    let comp = &c;
    let roles: Vec<&str> = ws
        .roles
        .iter()
        .filter(|r| {
            r.runtime
                || r.grants
                    .iter()
                    .any(|g| g.privileges.iter().any(|p| p == "select" || p == "all"))
                    && !r.owns_schema
        })
        .filter(|r| {
            r.runtime
                || !r
                    .grants
                    .iter()
                    .any(|g| g.privileges.iter().any(|p| p != "select" && p != "usage"))
        })
        .map(|r| r.name.as_str())
        .collect();
    assert!(
        roles.contains(&"service_rw") && roles.contains(&"readonly_user"),
        "{roles:?}"
    );
    let results: Vec<ProjectResult> = std::thread::scope(|s| {
        let handles: Vec<_> = ws
            .projects
            .iter()
            .map(|p| {
                let roles = &roles;
                s.spawn(move || {
                    let pg = Cluster::start();
                    let db = pg.create_db();
                    let phases = crate::rls_attack_deploy::migrate(&pg, &db, comp, &p.name);
                    println!(
                        "rls_attack: project {}: {phases} journal file(s) applied",
                        p.name
                    );
                    let tables = seed(&mut pg.client(&db), p);
                    let mut a = Attack {
                        pg: &pg,
                        db,
                        p,
                        tables,
                        org_setting: p
                            .tenancy
                            .as_ref()
                            .map(|t| t.org_setting.clone())
                            .expect("tenancy"),
                        probes: 0,
                        kinds: BTreeMap::new(),
                        failures: Vec::new(),
                    };
                    for role in roles.iter() {
                        a.attack_as(role);
                    }
                    (p.name.clone(), a.probes, a.kinds, a.failures)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a project's attacks panicked"))
            .collect()
    });
    let mut total = 0;
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for (project, n, k, f) in results {
        println!("rls_attack: project {project}: {n} probes as {roles:?}");
        total += n;
        for (kind, c) in k {
            *kinds.entry(kind).or_default() += c;
        }
        failures.extend(f);
    }
    println!("rls_attack: {total} probes");
    for (kind, n) in &kinds {
        println!("rls_attack:   {n:5}  {kind}");
    }
    assert!(
        failures.is_empty(),
        "{} attack(s) got through:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        total >= MIN_PROBES,
        "only {total} probes ran (minimum {MIN_PROBES})"
    );
    for kind in [
        "reference to org B's row",
        "write to a global table",
        "COPY TO",
        "function",
        "view",
        "setting malformed",
    ] {
        assert!(
            kinds.get(kind).copied().unwrap_or(0) > 0,
            "no probe `{kind}` ran"
        );
    }
}
