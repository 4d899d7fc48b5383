//! Deploys that PostgreSQL accepts and the application can use: each
//! history under `tests/fixtures/deploy/` is applied on PostgreSQL as a team
//! ships it (the first journal file, then every later one in journal order,
//! each script where `sluice build` says it runs), by the superuser, as a
//! migrator usually connects; then the runtime role works in its own org.

use std::path::Path;

use crate::pg::Cluster;
use crate::pg_emit::{apply, psql};

pub const ORG: &str = "0000000a-0000-4000-a000-00000000000a";

/// A fixture's history applied on a fresh database.
pub struct Deployed {
    pub pg: Cluster,
    pub db: String,
}

impl Deployed {
    /// Compiles `tests/fixtures/deploy/NAME.sluice` (which must be clean)
    /// and applies every phase, with its scripts.
    pub fn fixture(name: &str) -> Deployed {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/deploy")
            .join(format!("{name}.sluice"));
        let f = crate::fixture::read(&path);
        let c = crate::fixture::compile(&f);
        let rendered = crate::fixture::render(&c);
        assert_eq!(
            crate::fixture::codes(&c),
            f.expect,
            "{name}: diagnostics:\n{rendered}"
        );
        let files = sluice::emit::workspace(&c.workspace, Some(Path::new("out"))).expect("emits");
        let root = Path::new("out/notes");
        let get = |rel: &str| files.get(&root.join(rel)).cloned();
        let journal: Vec<String> = files
            .keys()
            .filter(|p| p.parent() == Some(root))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        let pg = Cluster::start();
        let db = pg.create_db();
        for tag in &journal {
            if tag.ends_with("_contract") {
                if let Some(script) = get(&format!("backfill/{tag}.sql")) {
                    psql(&pg, &db, "pre.sql", &script)
                        .unwrap_or_else(|e| panic!("{name}: the script before {tag}:\n{e}"));
                }
            }
            apply(
                &pg,
                &db,
                &format!("{name} {tag}"),
                &get(&format!("{tag}.sql")).unwrap(),
            );
            if let Some(migration) = tag.get(5..).map(|m| m.trim_end_matches("_expand")) {
                if !tag.ends_with("_contract") {
                    if let Some(script) = get(&format!("backfill/{}_{migration}.sql", &tag[..4])) {
                        psql(&pg, &db, "script.sql", &script)
                            .unwrap_or_else(|e| panic!("{name}: the script of {tag}:\n{e}"));
                    }
                }
            }
        }
        Deployed { pg, db }
    }

    /// Runs `sql` as `role` with the org (and a user) set, as the app does.
    pub fn as_role(&self, role: &str, sql: &str) -> Result<(), crate::pg::SqlError> {
        self.pg.execute_as(
            &self.db,
            role,
            &format!(
                "SET app.current_org_id = '{ORG}';\n\
                 SET app.current_user_id = '000000ad-0000-4000-c000-0000000000ad';\n{sql}"
            ),
        )
    }
}

#[test]
fn a_table_created_by_a_later_migration_is_granted_to_the_runtime_role() {
    let d =
        Deployed::fixture("a_table_created_by_a_later_migration_is_granted_to_the_runtime_role");
    d.as_role(
        "service_rw",
        &format!(
            "INSERT INTO tags (org_id, name) VALUES ('{ORG}', 'red');
             UPDATE tags SET name = 'blue';
             SELECT count(*) FROM tags;
             DELETE FROM tags;"
        ),
    )
    .unwrap_or_else(|e| panic!("the runtime role cannot use the new table: {e}"));
}

#[test]
fn an_audited_write_succeeds_when_the_audit_table_is_append_only() {
    let d = Deployed::fixture("an_audited_write_succeeds_when_the_audit_table_is_append_only");
    d.as_role(
        "service_rw",
        &format!(
            "INSERT INTO notes (org_id, title) VALUES ('{ORG}', 'a');
             UPDATE notes SET title = 'b';
             DELETE FROM notes;"
        ),
    )
    .unwrap_or_else(|e| panic!("an audited write fails: {e}"));
    let actions: Vec<String> =
        d.pg.client(&d.db)
            .query(
                "SELECT action FROM audit_logs ORDER BY created_at, action",
                &[],
            )
            .expect("read the audit table")
            .iter()
            .map(|r| r.get(0))
            .collect();
    assert_eq!(actions.len(), 3, "one entry per write: {actions:?}");
    let refused = d.as_role(
        "service_rw",
        &format!(
            "INSERT INTO audit_logs (org_id, table_name, row_id, action) \
             VALUES ('{ORG}', 'notes', gen_random_uuid(), 'forged')"
        ),
    );
    assert!(
        refused.is_err(),
        "the runtime role still cannot write the audit table itself"
    );
}
