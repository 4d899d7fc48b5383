//! The probes' world: a project's database, its catalog columns and the
//! seeded rows (three per table: two of org A, one of org B), made as the
//! superuser with constraints relaxed as the parent module describes.

use super::*;

impl<'a> Env<'a> {
    pub(super) fn new(pg: &'a Cluster, db: String, ws: &'a Workspace, p: &'a Project) -> Env<'a> {
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

    pub(super) fn superuser(&self) -> Client {
        self.pg.client(&self.db)
    }

    pub(super) fn qualified(&self, table: &str) -> String {
        format!("{}.{}", ident(&self.p.schema), ident(table))
    }

    pub(super) fn catalog_columns(&self, su: &mut Client, t: &Table) -> Vec<Column> {
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
    pub(super) fn seed(&mut self) {
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
    pub(super) fn role_rows(&self, roles_ti: usize) -> Vec<String> {
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

    pub(super) fn uuid_lit(&self, u: &str) -> String {
        format!("'{u}'::uuid")
    }

    pub(super) fn is_soft_delete(t: &Table, column: &str) -> bool {
        t.column(column)
            .is_some_and(|c| c.origin == Origin::Timestamp && c.nullable)
    }

    /// Every column's value except foreign keys (the tenant and owner
    /// columns from `kind`), from its type and `n`; `overrides` win.
    pub(super) fn base_row(
        &self,
        ti: usize,
        n: usize,
        kind: usize,
        overrides: &[(&str, String)],
    ) -> Row {
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
    pub(super) fn foreign_key(&self, t: &Table, column: &str) -> Option<(usize, String)> {
        t.foreign_keys.iter().find_map(|fk| {
            let i = fk.columns.iter().position(|c| c == column)?;
            Some((fk.table, fk.ref_columns[i].clone()))
        })
    }

    /// Foreign keys not set yet point at the parent's row of the same kind
    /// (a self-reference at the row itself).
    pub(super) fn resolve_foreign_keys(&self, ti: usize, row: &mut Row, rows: &[Vec<Row>]) {
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

    pub(super) fn insert_sql(&self, ti: usize, row: &Row) -> String {
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
    pub(super) fn new_row(&self, ti: usize, kind: usize, org: &str, owner: &str) -> Row {
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
    pub(super) fn key_of(&self, ti: usize, row: &Row) -> String {
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
