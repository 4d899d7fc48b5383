//! The isolation probes: per runtime role and tenant table, one
//! transaction each with its `SET LOCAL` settings, rolled back; counted.

use super::*;

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

impl Env<'_> {
    pub(super) fn set_local(&self, s: &Session) -> String {
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
    pub(super) fn run(&self, client: &mut Client, s: &Session, stmt: &Stmt) -> Outcome {
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

    pub(super) fn fail(
        &mut self,
        role: &str,
        table: &str,
        probe: &str,
        s: &Session,
        stmt: &Stmt,
        got: &str,
    ) {
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
    pub(super) fn probe(
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

    pub(super) fn probe_as(&mut self, role: &str) {
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

    pub(super) fn personas(&self) -> Vec<Persona> {
        PERSONAS
            .into_iter()
            .filter(|p| {
                self.role_setting.is_none() || p.grant.is_none_or(|g| g.this_app && g.org == ORG_A)
            })
            .collect()
    }

    pub(super) fn probe_table(&mut self, client: &mut Client, role: &str, ti: usize) {
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
}
