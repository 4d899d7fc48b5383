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
use crate::rls_attack_seed::{ident, literal, row_id, seed, Seeded, ORGS, USERS};

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
    fn begin(&self, c: &mut Client) {
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
    fn write(&self, role: &str, sql: &str) -> Result<u64, String> {
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
            let q = self.q(&t.name);
            let b_id = row_id(t.index, 1);
            let reads = [
                ("direct read", format!("SELECT * FROM {q}")),
                ("read by org B's key", format!("SELECT * FROM {q} WHERE {} = {}", ident(&tcol), literal(ORGS[1]))),
                ("RETURNING of an update aimed at org B", format!("WITH u AS (UPDATE {q} SET {c} = {c} WHERE {c} = {} RETURNING *) SELECT * FROM u", literal(ORGS[1]), c = ident(&tcol))),
                ("RETURNING of a delete aimed at org B", format!("WITH d AS (DELETE FROM {q} WHERE {} = {} RETURNING *) SELECT * FROM d", ident(&tcol), literal(ORGS[1]))),
                ("moving org A's rows to org B", format!("WITH u AS (UPDATE {q} SET {} = {} RETURNING *) SELECT * FROM u", ident(&tcol), literal(ORGS[1]))),
            ];
            for (kind, sql) in reads {
                match self.org_b_rows(role, &sql, true) {
                    Ok(n) => self.note(
                        kind,
                        n == 0,
                        format!("{role} got {n} org B row(s) from {sql}"),
                    ),
                    Err(_) => self.note(kind, true, String::new()),
                }
            }
            // COPY: out through RLS, in refused or inside the org.
            let mut c = self.session(role);
            self.begin(&mut c);
            let mut text = String::new();
            if let Ok(mut r) = c.copy_out(&format!("COPY {q} TO STDOUT")) {
                let _ = std::io::Read::read_to_string(&mut r, &mut text);
            }
            let _ = c.batch_execute("ROLLBACK");
            self.note(
                "COPY TO",
                !text.contains(ORGS[1]),
                format!("{role} copied org B's rows out of {}", t.name),
            );
            let mut c = self.session(role);
            self.begin(&mut c);
            let copied = c
                .copy_in(&format!("COPY {q} ({}) FROM STDIN", ident(&tcol)))
                .map_err(SqlError)
                .and_then(|mut w| {
                    std::io::Write::write_all(&mut w, format!("{}\n", ORGS[1]).as_bytes())
                        .expect("write COPY data");
                    w.finish().map_err(SqlError)
                });
            let _ = c.batch_execute(if copied.is_ok() { "COMMIT" } else { "ROLLBACK" });
            self.note(
                "COPY FROM",
                copied.is_err(),
                format!("{role} copied a row into {} for org B", t.name),
            );
            for sql in [
                format!("TRUNCATE {q}"),
                format!("ALTER TABLE {q} ADD COLUMN pwned int"),
                format!("ALTER TABLE {q} DISABLE ROW LEVEL SECURITY"),
                format!("DROP TABLE {q}"),
                format!("CREATE TRIGGER pwned BEFORE INSERT ON {q} FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()"),
                format!("CREATE POLICY pwned ON {q} USING (true)"),
            ] {
                let r = self.write(role, &sql);
                self.note("TRUNCATE or DDL refused", r.is_err(), format!("{role} ran {sql}"));
            }
            // ON CONFLICT over org B's row: take it over, or learn it exists.
            let conflict = format!(
                "INSERT INTO {q} SELECT * FROM json_populate_record(NULL::{q}, json_build_object('id', {}, {}, {})) ON CONFLICT DO NOTHING",
                literal(&b_id),
                literal(&tcol),
                literal(ORGS[0])
            );
            let _ = self.write(role, &conflict);
            let upsert = format!(
                "INSERT INTO {q} SELECT * FROM json_populate_record(NULL::{q}, (SELECT row_to_json(x) FROM {q} x LIMIT 1)::jsonb || jsonb_build_object('id', {}) ) ON CONFLICT (id) DO UPDATE SET {c} = {}",
                literal(&b_id),
                literal(ORGS[0]),
                c = ident(&tcol)
            );
            let _ = self.write(role, &upsert);
            let owner: Option<String> = self
                .pg
                .client(&self.db)
                .query_opt(
                    &format!(
                        "SELECT {}::text FROM {q} WHERE id = {}",
                        ident(&tcol),
                        literal(&b_id)
                    ),
                    &[],
                )
                .expect("read org B's row")
                .map(|r| r.get(0));
            self.note(
                "ON CONFLICT over org B's key",
                owner.as_deref() == Some(ORGS[1]),
                format!(
                    "{role} took over org B's row of {} with ON CONFLICT: now {owner:?}",
                    t.name
                ),
            );
            // References to org B's rows through every key between tenant tables.
            for fk in t
                .fks
                .iter()
                .filter(|fk| tenant.iter().any(|x| x.name == fk.table))
            {
                let Some(target) = tenant.iter().find(|x| x.name == fk.table) else {
                    continue;
                };
                let Some(col) = fk.columns.iter().find(|c| **c != tcol) else {
                    continue;
                };
                let sql = format!(
                    "UPDATE {q} SET {} = {} WHERE id = {}",
                    ident(col),
                    literal(&row_id(target.index, 1)),
                    literal(&row_id(t.index, 0))
                );
                let r = self.write(role, &sql);
                self.note(
                    "reference to org B's row",
                    matches!(r, Err(_) | Ok(0)),
                    format!("{role} pointed {}.{col} at org B's row: {sql}", t.name),
                );
            }
            for part in self.partitions(&t.name) {
                let r = self.org_b_rows(role, &format!("SELECT * FROM {part}"), false);
                self.note(
                    "partition read directly",
                    matches!(r, Err(_) | Ok(0)),
                    format!("{role} read org B from {part}"),
                );
            }
            self.settings(role, &q);
        }
        for g in &global {
            let q = self.q(&g.name);
            let col = g
                .cols
                .iter()
                .find(|c| c.ty == "text" && !c.generated)
                .map(|c| c.name.clone());
            let mut attempts = vec![
                format!("DELETE FROM {q}"),
                format!("TRUNCATE {q}"),
                format!("UPDATE {q} SET id = id"),
            ];
            if let Some(c) = col {
                attempts.push(format!("UPDATE {q} SET {} = 'pwned'", ident(&c)));
                attempts.push(format!("INSERT INTO {q} ({}) VALUES ('pwned')", ident(&c)));
            }
            for sql in attempts {
                let r = self.write(role, &sql);
                self.note(
                    "write to a global table",
                    r.is_err(),
                    format!("{role} ran {sql}"),
                );
            }
        }
        for v in &self.p.views {
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
