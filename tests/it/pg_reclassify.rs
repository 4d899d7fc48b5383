//! A classification changed by a later migration, deployed: once the
//! phase that says `classify column users.email pii` ran, `readonly_user`
//! (which does not read `pii`) is refused the column and reads the others,
//! the runtime role (which does) still reads it, and the catalog shows the
//! new comment with its tag; the phase's rollback gives the column back and
//! restores the comments.

use std::path::Path;

use postgres::error::SqlState;

use crate::pg_deploy::ORG;

const FIXTURE: &str = "a_column_classified_pii_later_is_withheld_until_the_rollback";

#[test]
fn a_column_classified_pii_later_is_withheld_until_the_rollback() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/deploy")
        .join(format!("{FIXTURE}.sluice"));
    let f = crate::fixture::read(&path);
    let c = crate::fixture::compile(&f);
    assert_eq!(
        crate::fixture::codes(&c),
        f.expect,
        "{}",
        crate::fixture::render(&c)
    );
    let files = sluice::emit::workspace(&c.workspace, Some(Path::new("out"))).expect("emits");
    let pg = crate::pg::Cluster::start();
    let db = pg.create_db();
    crate::pg_walk::apply_phases(&pg, &db, &files, "notes", FIXTURE, &|| {});
    let as_role = |role: &str, sql: &str| {
        pg.execute_as(
            &db,
            role,
            &format!("SET app.current_org_id = '{ORG}';\n{sql}"),
        )
    };
    let comments = || -> (Option<String>, Option<String>) {
        let row = pg
            .client(&db)
            .query_one(
                "SELECT obj_description('users'::regclass, 'pg_class'),
                        col_description('users'::regclass,
                          (SELECT attnum FROM pg_attribute
                           WHERE attrelid = 'users'::regclass AND attname = 'email'))",
                &[],
            )
            .expect("comments");
        (row.get(0), row.get(1))
    };

    match as_role("readonly_user", "SELECT email FROM users") {
        Ok(()) => panic!("readonly_user read users.email after it was classified pii"),
        Err(e) => assert_eq!(e.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{e}"),
    }
    as_role(
        "readonly_user",
        "SELECT id, org_id, locale, created_at FROM users",
    )
    .unwrap_or_else(|e| panic!("readonly_user lost the other columns: {e}"));
    as_role("service_rw", "SELECT email FROM users")
        .unwrap_or_else(|e| panic!("service_rw reads pii but cannot read users.email: {e}"));
    assert_eq!(
        comments(),
        (
            Some("People who sign in.".to_string()),
            Some("sign-in address\nclassification: pii".to_string())
        )
    );

    let rollback = files
        .iter()
        .find(|(p, _)| {
            let p = p.to_string_lossy();
            p.contains("/rollback/") && p.ends_with("_classify_email_expand.sql")
        })
        .map(|(_, text)| text)
        .expect("the phase's rollback");
    crate::pg_emit::apply(&pg, &db, "the rollback", rollback);
    as_role("readonly_user", "SELECT email, locale FROM users")
        .unwrap_or_else(|e| panic!("the rollback did not give users.email back: {e}"));
    as_role("readonly_user", "SELECT * FROM users")
        .unwrap_or_else(|e| panic!("the rollback left readonly_user with column grants: {e}"));
    assert_eq!(comments(), (None, None));
}
