//! Deploys that PostgreSQL accepts and the application can use: each
//! history under `tests/fixtures/deploy/` is applied on PostgreSQL as a team
//! ships it (the first journal file, then every later one in journal order,
//! each script where `sluice build` says it runs), by the superuser, as a
//! migrator usually connects; then the runtime role works in its own org.

use std::path::Path;

use crate::pg::Cluster;

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
        Deployed::seeded(name, "")
    }

    /// [`Deployed::fixture`] with `seed` run by the superuser right after
    /// the first journal file: rows the later phases find.
    pub fn seeded(name: &str, seed: &str) -> Deployed {
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
        let pg = Cluster::start();
        let db = pg.create_db();
        let seed_once = || {
            if !seed.is_empty() {
                pg.execute(&db, seed)
                    .unwrap_or_else(|e| panic!("{name}: the seed: {e}"));
            }
        };
        crate::pg_walk::apply_phases(&pg, &db, &files, "notes", name, &seed_once);
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

#[test]
fn a_backfill_neither_bumps_updated_at_nor_writes_audit_entries() {
    let d = Deployed::seeded(
        "a_backfill_neither_bumps_updated_at_nor_writes_audit_entries",
        &format!(
            "INSERT INTO notes (org_id, title, updated_at)
               SELECT '{ORG}', 't' || g, '2020-01-01 00:00:00+00' FROM generate_series(1, 50) g;"
        ),
    );
    let scalar = |sql: &str| -> i64 {
        d.pg.client(&d.db)
            .query_one(sql, &[])
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .get(0)
    };
    assert_eq!(
        scalar("SELECT count(*) FROM notes WHERE summary = upper(title)"),
        50,
        "the backfill ran"
    );
    assert_eq!(
        scalar("SELECT count(*) FROM notes WHERE updated_at <> '2020-01-01 00:00:00+00'"),
        0,
        "the backfill left updated_at alone"
    );
    assert_eq!(
        scalar("SELECT count(*) FROM audit_logs WHERE action = 'update'"),
        0,
        "the backfill wrote no audit entry"
    );
    // The setting alone does not silence the triggers for the runtime role.
    d.as_role(
        "service_rw",
        "SET sluice.maintenance = 'on'; UPDATE notes SET title = 'x' WHERE title = 't1';",
    )
    .unwrap_or_else(|e| panic!("the runtime role's update fails: {e}"));
    assert_eq!(
        scalar("SELECT count(*) FROM audit_logs WHERE action = 'update'"),
        1,
        "a user's update is audited"
    );
    assert_eq!(
        scalar("SELECT count(*) FROM notes WHERE updated_at <> '2020-01-01 00:00:00+00'"),
        1,
        "a user's update bumps updated_at"
    );
}

#[test]
fn a_tenant_table_partitioned_by_hash_on_its_org_deploys() {
    let d = Deployed::fixture("a_tenant_table_partitioned_by_hash_on_its_org_deploys");
    d.as_role(
        "service_rw",
        &format!("INSERT INTO notes (org_id, title) VALUES ('{ORG}', 'a'), ('{ORG}', 'b');"),
    )
    .unwrap_or_else(|e| panic!("the runtime role cannot write: {e}"));
    let pk: String =
        d.pg.client(&d.db)
            .query_one(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint \
             WHERE conrelid = 'public.notes'::regclass AND contype = 'p'",
                &[],
            )
            .expect("a primary key")
            .get(0);
    assert_eq!(pk, "PRIMARY KEY (id, org_id)");
}

#[test]
fn a_composite_foreign_key_to_a_declared_unique_key_deploys() {
    let d = Deployed::fixture("a_composite_foreign_key_to_a_declared_unique_key_deploys");
    d.as_role(
        "service_rw",
        &format!(
            "WITH nb AS (INSERT INTO notebooks (org_id, title) VALUES ('{ORG}', 'inbox') RETURNING id)
             INSERT INTO notes (org_id, notebook_id) SELECT '{ORG}', id FROM nb;"
        ),
    )
    .unwrap_or_else(|e| panic!("the runtime role cannot write: {e}"));
}

#[test]
fn dropping_a_column_a_view_reads_recreates_the_view() {
    let d = Deployed::fixture("dropping_a_column_a_view_reads_recreates_the_view");
    d.as_role(
        "service_rw",
        &format!(
            "INSERT INTO notes (org_id, title) VALUES ('{ORG}', 'a');
             SELECT title FROM \"AllNotes\";"
        ),
    )
    .unwrap_or_else(|e| panic!("the recreated view is not usable by the runtime role: {e}"));
    let columns: i64 =
        d.pg.client(&d.db)
            .query_one(
                "SELECT count(*) FROM information_schema.columns \
             WHERE table_name = 'AllNotes' AND column_name = 'legacy'",
                &[],
            )
            .expect("read the catalog")
            .get(0);
    assert_eq!(columns, 0, "the view no longer has the dropped column");
}
