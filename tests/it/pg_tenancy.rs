//! Tenant isolation by default, deployed: a reference between tenant
//! tables (declared, or added by a later `add foreign key` step) cannot
//! point at another org's row, `on delete set null` keeps the tenant
//! column, and a `global` table (and a view over it) is read-only for the
//! runtime role, including when a later migration creates it.

use postgres::error::SqlState;

use crate::pg_deploy::{Deployed, ORG};

const ORG_B: &str = "0000000b-0000-4000-a000-00000000000b";

fn id(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

/// `sql` as the runtime role with org A set must fail with `state`.
fn refused(d: &Deployed, sql: &str, state: &SqlState) {
    match d.as_role("service_rw", sql) {
        Ok(()) => panic!("the runtime role ran, with org A set: {sql}"),
        Err(e) => assert_eq!(e.code(), Some(state), "{sql}: {e}"),
    }
}

fn count(d: &Deployed, sql: &str) -> i64 {
    d.pg.client(&d.db)
        .query_one(sql, &[])
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .get(0)
}

#[test]
fn references_between_tenant_tables_stay_inside_the_org() {
    let seed = format!(
        "INSERT INTO notebooks (id, org_id, title) VALUES ('{}', '{ORG}', 'a'), ('{}', '{ORG_B}', 'b');
         INSERT INTO tags (id, org_id, name) VALUES ('{}', '{ORG}', 'a'), ('{}', '{ORG_B}', 'b');",
        id(1),
        id(2),
        id(3),
        id(4)
    );
    let d = Deployed::seeded(
        "references_between_tenant_tables_stay_inside_the_org",
        &seed,
    );
    let fk = &SqlState::FOREIGN_KEY_VIOLATION;
    // A declared reference, and one a later migration added.
    refused(
        &d,
        &format!(
            "INSERT INTO notes (org_id, notebook_id, title) VALUES ('{ORG}', '{}', 'x')",
            id(2)
        ),
        fk,
    );
    refused(
        &d,
        &format!(
            "INSERT INTO note_tags (org_id, tag_id) VALUES ('{ORG}', '{}')",
            id(4)
        ),
        fk,
    );
    // The same writes inside the org work.
    d.as_role(
        "service_rw",
        &format!(
            "INSERT INTO notes (id, org_id, notebook_id, title) VALUES ('{}', '{ORG}', '{}', 'p');
             INSERT INTO notes (id, org_id, notebook_id, parent_id, title) VALUES ('{}', '{ORG}', '{}', '{}', 'c');
             INSERT INTO note_tags (org_id, tag_id) VALUES ('{ORG}', '{}');
             DELETE FROM notes WHERE id = '{}';",
            id(5),
            id(1),
            id(6),
            id(1),
            id(5),
            id(3),
            id(5)
        ),
    )
    .unwrap_or_else(|e| panic!("the runtime role cannot write inside its org: {e}"));
    // `on delete set null` cleared the reference, not the tenant column.
    assert_eq!(
        count(
            &d,
            &format!(
                "SELECT count(*) FROM notes WHERE id = '{}' AND parent_id IS NULL AND org_id = '{ORG}'",
                id(6)
            )
        ),
        1
    );
    assert_eq!(count(&d, "SELECT count(*) FROM note_tags"), 1);
    let keys: Vec<String> = d
        .pg
        .client(&d.db)
        .query(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' AND convalidated ORDER BY 1",
            &[],
        )
        .expect("foreign keys")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        keys,
        [
            "FOREIGN KEY (org_id, notebook_id) REFERENCES notebooks(org_id, id) ON DELETE CASCADE",
            "FOREIGN KEY (org_id, parent_id) REFERENCES notes(org_id, id) ON DELETE SET NULL (parent_id)",
            "FOREIGN KEY (org_id, tag_id) REFERENCES tags(org_id, id) ON DELETE CASCADE",
        ]
    );
}

#[test]
fn a_global_table_is_read_only_for_the_runtime_role() {
    let seed = "";
    let d = Deployed::seeded("a_global_table_is_read_only_for_the_runtime_role", seed);
    d.pg.execute(
        &d.db,
        &format!("INSERT INTO plans (id, name) VALUES ('{}', 'free')", id(1)),
    )
    .expect("seed a plan");
    d.as_role(
        "service_rw",
        "SELECT count(*) FROM plans; SELECT count(*) FROM \"PlanNames\";",
    )
    .unwrap_or_else(|e| panic!("the runtime role cannot read the global table: {e}"));
    let denied = &SqlState::INSUFFICIENT_PRIVILEGE;
    for sql in [
        "INSERT INTO plans (name) VALUES ('pro')",
        "UPDATE plans SET name = 'pwned'",
        "DELETE FROM plans",
        "TRUNCATE plans",
        "INSERT INTO \"PlanNames\" (name) VALUES ('pro')",
        "UPDATE \"PlanNames\" SET name = 'pwned'",
        "DELETE FROM \"PlanNames\"",
    ] {
        refused(&d, sql, denied);
    }
    assert_eq!(
        count(&d, "SELECT count(*) FROM plans WHERE name = 'free'"),
        1
    );
    // The tenant table keeps its writes.
    d.as_role(
        "service_rw",
        &format!("INSERT INTO notes (org_id, title) VALUES ('{ORG}', 'a'); UPDATE notes SET title = 'b'; DELETE FROM notes;"),
    )
    .unwrap_or_else(|e| panic!("the runtime role cannot write its tenant table: {e}"));
}

/// The rollback of a phase whose script added a scoped key on an index it
/// built concurrently drops the key before the index, after the script ran.
#[test]
fn rolling_back_a_scoped_key_added_by_a_script_drops_it_before_its_index() {
    let name = "references_between_tenant_tables_stay_inside_the_org";
    let d = Deployed::fixture(name);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/deploy")
        .join(format!("{name}.sluice"));
    let c = crate::fixture::compile(&crate::fixture::read(&path));
    let files =
        sluice::emit::workspace(&c.workspace, Some(std::path::Path::new("out"))).expect("emits");
    let down = files
        .get(std::path::Path::new(
            "out/notes/rollback/0001_link_tags_expand.sql",
        ))
        .expect("the rollback of the expand");
    crate::pg_emit::apply(&d.pg, &d.db, "rollback of 0001_link_tags_expand", down);
    assert_eq!(
        count(
            &d,
            "SELECT count(*) FROM pg_constraint WHERE conname = 'note_tags_org_id_tag_id_fkey'"
        ),
        0
    );
    assert_eq!(
        count(
            &d,
            "SELECT count(*) FROM pg_class WHERE relname = 'tags_org_id_id_key'"
        ),
        0
    );
}
