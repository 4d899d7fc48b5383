//! The RLS attack suite's probes on session settings, functions and
//! partitions (see `rls_attack`): each reports to [`Attack::note`].

use crate::pg::SqlError;
use crate::rls_attack::Attack;
use crate::rls_attack_seed::{literal, row_id, ORGS, ORG_EMPTY, USERS};

impl Attack<'_> {
    /// Org B's rows of every table, as the superuser sees them.
    pub fn fingerprint(&self) -> String {
        let mut su = self.pg.client(&self.db);
        let mut out = String::new();
        for t in &self.tables {
            let sql = format!(
                "SELECT coalesce(string_agg(row_to_json(x)::text, ',' ORDER BY row_to_json(x)::text), '') FROM {} x WHERE row_to_json(x)::text LIKE '%{}%'",
                self.q(&t.name),
                ORGS[1]
            );
            let v: String = su
                .query_one(&sql, &[])
                .unwrap_or_else(|e| panic!("{sql}: {}", SqlError(e)))
                .get(0);
            out.push_str(&format!("{}: {v}\n", t.name));
        }
        out
    }

    /// Missing, empty, malformed, `RESET` and expired settings see nothing.
    pub fn settings(&mut self, role: &str, q: &str) {
        let s = self.org_setting.clone();
        let variants = [
            ("setting missing", String::new()),
            ("setting empty", format!("SET {s} = '';")),
            ("setting malformed", format!("SET {s} = 'not-a-uuid';")),
            (
                "setting RESET",
                format!("SET {s} = {}; RESET {s};", literal(ORGS[1])),
            ),
            (
                "setting after SET LOCAL",
                format!("BEGIN; SET LOCAL {s} = {}; COMMIT;", literal(ORGS[1])),
            ),
        ];
        for (kind, prelude) in variants {
            let mut c = self.session(role);
            let rows = c.batch_execute(&prelude).map_err(SqlError).and_then(|_| {
                c.query_one(&format!("SELECT count(*) FROM {q}"), &[])
                    .map_err(SqlError)
            });
            let n = rows.map(|r| r.get::<_, i64>(0)).unwrap_or(0);
            self.note(
                kind,
                n == 0,
                format!("{role} saw {n} row(s) of {q} with `{prelude}`"),
            );
        }
    }

    /// Every function, called with each org B id for its uuid parameters:
    /// with org A set the result is what an org without rows gets.
    pub fn functions(&mut self, role: &str) {
        let mut su = self.pg.client(&self.db);
        let fns: Vec<(String, Vec<String>)> = su
            .query(
                "SELECT p.oid::regprocedure::text, ARRAY(SELECT format_type(t, NULL) FROM unnest(p.proargtypes) t)
                   FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                  WHERE n.nspname = $1 AND p.prorettype <> 'trigger'::regtype",
                &[&self.p.schema],
            )
            .expect("functions")
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let ids: Vec<String> = self
            .tables
            .iter()
            .map(|t| row_id(t.index, 1))
            .chain([USERS[1].to_string()])
            .collect();
        for (sig, args) in fns {
            let name = sig.split('(').next().unwrap_or_default().to_string();
            for b in &ids {
                let vals: Vec<String> = args
                    .iter()
                    .map(|ty| match ty.as_str() {
                        "uuid" => format!("{}::uuid", literal(b)),
                        "date" => "'2024-01-01'::date".into(),
                        "integer" | "bigint" => "2024".into(),
                        other => format!("(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = {}::regtype LIMIT 1)::{other}", literal(other)),
                    })
                    .collect();
                let call = format!("SELECT {name}({})::text", vals.join(", "));
                let run = |org: &str| -> Option<String> {
                    let mut c = self.session(role);
                    c.batch_execute(&format!(
                        "SET {} = {}; SET app.current_user_id = {};",
                        self.org_setting,
                        literal(org),
                        literal(USERS[0])
                    ))
                    .ok()?;
                    c.query_one(&call, &[])
                        .ok()
                        .map(|r| r.get::<_, Option<String>>(0).unwrap_or_default())
                };
                let (a, empty) = (run(ORGS[0]), run(ORG_EMPTY));
                self.note(
                    "function",
                    a == empty,
                    format!("{role}: {call} gives {a:?} in org A but {empty:?} in an empty org"),
                );
            }
        }
    }

    pub fn partitions(&self, table: &str) -> Vec<String> {
        self.pg
            .client(&self.db)
            .query("SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = $1::text::regclass", &[&self.q(table)])
            .expect("partitions")
            .iter()
            .map(|r| r.get(0))
            .collect()
    }
}
