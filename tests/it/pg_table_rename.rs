//! A table renamed online, on PostgreSQL: while the expand phase is out and
//! the contract is not, the previous app version keeps using the old name,
//! a `security_invoker` view, for select, insert, update and delete, and a
//! runtime role still sees only its own tenant's rows through it. Foreign
//! keys of other tables follow the table. The contract drops the view.

use crate::pg::Cluster;
use crate::pg_emit::apply;

const FIXTURE: &str = "tests/fixtures/phases/a_table_renamed_online_keeps_its_old_name_as_a_view_until_the_contract.sluice";
const ORG_A: &str = "0000000a-0000-4000-a000-00000000000a";
const ORG_B: &str = "0000000b-0000-4000-a000-00000000000b";

fn count(client: &mut postgres::Client, sql: &str) -> i64 {
    client
        .query_one(sql, &[])
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .get(0)
}

#[test]
fn the_old_name_serves_the_running_app_under_rls_until_the_contract() {
    let get = crate::fixture::emitted_notes(FIXTURE);
    let pg = Cluster::start();
    let db = pg.create_db();
    apply(&pg, &db, "initial", &get("0000_initial.sql"));
    pg.execute(
        &db,
        &format!(
            "INSERT INTO notes (org_id, title) VALUES ('{ORG_A}', 'a1'), ('{ORG_A}', 'a2'), ('{ORG_B}', 'b1');
             INSERT INTO comments (org_id, document_id, body) SELECT org_id, id, 'on ' || title FROM notes;"
        ),
    )
    .expect("rows");
    apply(&pg, &db, "expand", &get("0001_rename_notes_expand.sql"));

    let mut admin = pg.client(&db);
    assert_eq!(
        count(
            &mut admin,
            "SELECT count(*) FROM pg_views WHERE viewname = 'notes'"
        ),
        1
    );
    let fk: String = admin
        .query_one(
            "SELECT confrelid::regclass::text FROM pg_constraint WHERE conrelid = 'comments'::regclass AND contype = 'f'",
            &[],
        )
        .expect("the comments' foreign key")
        .get(0);
    assert_eq!(fk, "documents", "the foreign key follows the renamed table");

    // The previous app version, as the runtime role, scoped to org A.
    let mut app = pg.client_as(&db, "service_rw");
    app.batch_execute(&format!(
        "SELECT set_config('app.current_org_id', '{ORG_A}', false)"
    ))
    .expect("scope to org A");
    assert_eq!(
        count(&mut app, "SELECT count(*) FROM notes"),
        2,
        "org B's row shows through the view"
    );
    assert_eq!(count(&mut app, "SELECT count(*) FROM documents"), 2);
    app.batch_execute(&format!(
        "INSERT INTO notes (org_id, title) VALUES ('{ORG_A}', 'a3')"
    ))
    .expect("insert through the old name");
    let other = app.batch_execute(&format!(
        "INSERT INTO notes (org_id, title) VALUES ('{ORG_B}', 'planted')"
    ));
    assert!(
        other.is_err(),
        "a row for another tenant went in through the view"
    );
    let updated = app
        .execute("UPDATE notes SET title = title || '!'", &[])
        .expect("update through the old name");
    assert_eq!(updated, 3, "the update reached other tenants' rows");
    let deleted = app
        .execute("DELETE FROM notes WHERE title = 'a2!'", &[])
        .expect("delete through the old name");
    assert_eq!(deleted, 1);
    assert_eq!(
        count(
            &mut admin,
            &format!("SELECT count(*) FROM documents WHERE org_id = '{ORG_B}' AND title = 'b1'")
        ),
        1,
        "org B's row changed through org A's view"
    );
    assert_eq!(
        count(&mut admin, "SELECT count(*) FROM documents"),
        3,
        "a2 deleted, a3 inserted"
    );
    assert_eq!(
        count(&mut admin, "SELECT count(*) FROM comments"),
        2,
        "the cascade follows the renamed table"
    );

    apply(&pg, &db, "contract", &get("0002_rename_notes_contract.sql"));
    assert_eq!(
        count(
            &mut admin,
            "SELECT count(*) FROM pg_views WHERE viewname = 'notes'"
        ),
        0,
        "the contract drops the view"
    );
    assert!(app.batch_execute("SELECT 1 FROM notes").is_err());
    assert_eq!(count(&mut app, "SELECT count(*) FROM documents"), 2);
}

const WITHHELD: &str = "tests/fixtures/errors/a_role_that_does_not_read_pii_cannot_read_a_renamed_table_through_its_old_name.sluice";

/// What `compat-view-withheld-columns` warns of, on PostgreSQL: a role
/// that reads the table without its `pii` column reads nothing through
/// the old name during the expand (the view reads every column), but
/// reads the new name; a role that reads `pii` reads through the view.
#[test]
fn a_role_withheld_a_pii_column_reads_the_new_name_but_not_the_old_one() {
    use postgres::error::SqlState;
    let get = crate::fixture::emitted_notes(WITHHELD);
    let pg = Cluster::start();
    let db = pg.create_db();
    apply(&pg, &db, "initial", &get("0000_initial.sql"));
    pg.execute(
        &db,
        &format!("INSERT INTO notes (org_id, title, author_email) VALUES ('{ORG_A}', 'a1', 'a@example.com')"),
    )
    .expect("rows");
    apply(&pg, &db, "expand", &get("0001_rename_notes_expand.sql"));
    let code = |role: &str, sql: &str| {
        pg.client_as(&db, role)
            .batch_execute(sql)
            .err()
            .map(|e| e.code().cloned().unwrap_or_else(|| panic!("{sql}: {e}")))
    };
    assert_eq!(code("readonly_user", "SELECT title FROM documents"), None);
    assert_eq!(
        code("readonly_user", "SELECT author_email FROM documents"),
        Some(SqlState::INSUFFICIENT_PRIVILEGE)
    );
    assert_eq!(
        code("readonly_user", "SELECT title FROM notes"),
        Some(SqlState::INSUFFICIENT_PRIVILEGE),
        "PostgreSQL now lets a role withheld a column read through a view over it: the warning is stale"
    );
    let mut app = pg.client_as(&db, "service_rw");
    app.batch_execute(&format!(
        "SELECT set_config('app.current_org_id', '{ORG_A}', false)"
    ))
    .expect("scope to org A");
    assert_eq!(count(&mut app, "SELECT count(author_email) FROM notes"), 1);
}
