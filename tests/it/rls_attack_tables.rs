//! The RLS attack suite's probes on one table (see `rls_attack`): reads,
//! `COPY`, DDL, `ON CONFLICT`, references and partitions of a tenant table;
//! writes to a global table. Each reports to [`Attack::note`].

use crate::pg::SqlError;
use crate::rls_attack::Attack;
use crate::rls_attack_seed::{ident, literal, row_id, Seeded, ORGS};

impl Attack<'_> {
    /// Every attack on tenant table `t` as `role`, with org A set.
    pub fn attack_tenant_table(&mut self, role: &str, t: &Seeded, tenant: &[Seeded], tcol: &str) {
        let q = self.q(&t.name);
        let b_id = row_id(t.index, 1);
        let reads = [
            ("direct read", format!("SELECT * FROM {q}")),
            ("read by org B's key", format!("SELECT * FROM {q} WHERE {} = {}", ident(tcol), literal(ORGS[1]))),
            ("RETURNING of an update aimed at org B", format!("WITH u AS (UPDATE {q} SET {c} = {c} WHERE {c} = {} RETURNING *) SELECT * FROM u", literal(ORGS[1]), c = ident(tcol))),
            ("RETURNING of a delete aimed at org B", format!("WITH d AS (DELETE FROM {q} WHERE {} = {} RETURNING *) SELECT * FROM d", ident(tcol), literal(ORGS[1]))),
            ("moving org A's rows to org B", format!("WITH u AS (UPDATE {q} SET {} = {} RETURNING *) SELECT * FROM u", ident(tcol), literal(ORGS[1]))),
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
            .copy_in(&format!("COPY {q} ({}) FROM STDIN", ident(tcol)))
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
            literal(tcol),
            literal(ORGS[0])
        );
        let _ = self.write(role, &conflict);
        let upsert = format!(
            "INSERT INTO {q} SELECT * FROM json_populate_record(NULL::{q}, (SELECT row_to_json(x) FROM {q} x LIMIT 1)::jsonb || jsonb_build_object('id', {}) ) ON CONFLICT (id) DO UPDATE SET {c} = {}",
            literal(&b_id),
            literal(ORGS[0]),
            c = ident(tcol)
        );
        let _ = self.write(role, &upsert);
        let owner: Option<String> = self
            .pg
            .client(&self.db)
            .query_opt(
                &format!(
                    "SELECT {}::text FROM {q} WHERE id = {}",
                    ident(tcol),
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

    /// Writes to global table `g` as `role`: every one must be refused.
    pub fn attack_global_table(&mut self, role: &str, g: &Seeded) {
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
}
