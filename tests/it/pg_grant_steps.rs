//! A `grant select on tables` step of a later migration, on PostgreSQL:
//! the role reads every table but the `pii` columns it does not read, as
//! a role declared with that grant in the first migration does; tables
//! the schema owner creates later are readable through the default
//! privileges; the rollback takes it all back.

use postgres::error::SqlState;

use crate::pg::Cluster;
use crate::pg_emit::apply;

const FIXTURE: &str = "tests/fixtures/phases/a_later_grant_on_tables_keeps_pii_columns_withheld_and_sets_default_privileges.sluice";

/// The error code of `sql` run as `role`, or `None` when it succeeds.
fn refused(pg: &Cluster, db: &str, role: &str, sql: &str) -> Option<SqlState> {
    let mut c = pg.client_as(db, role);
    c.batch_execute(sql)
        .err()
        .map(|e| e.code().cloned().unwrap_or_else(|| panic!("{sql}: {e}")))
}

#[test]
fn a_later_grant_on_tables_withholds_pii_columns_live() {
    let get = crate::fixture::emitted_notes(FIXTURE);
    let pg = Cluster::start();
    let db = pg.create_db();
    apply(&pg, &db, "initial", &get("0000_initial.sql"));
    let title = "SELECT title FROM public.notes";
    let email = "SELECT author_email FROM public.notes";
    assert_eq!(
        refused(&pg, &db, "readonly_user", title),
        Some(SqlState::INSUFFICIENT_PRIVILEGE),
        "readonly_user reads notes before the grant"
    );
    apply(&pg, &db, "expand", &get("0001_reporting_expand.sql"));
    assert_eq!(refused(&pg, &db, "readonly_user", title), None);
    assert_eq!(
        refused(&pg, &db, "readonly_user", email),
        Some(SqlState::INSUFFICIENT_PRIVILEGE),
        "the grant step gave readonly_user the pii column"
    );
    assert_eq!(refused(&pg, &db, "service_rw", email), None);
    // A table the schema owner creates after the step.
    pg.execute_as(&db, "migration_user", "CREATE TABLE public.later (x int)")
        .expect("the schema owner creates a table");
    assert_eq!(
        refused(&pg, &db, "readonly_user", "SELECT x FROM public.later"),
        None,
        "no default privileges for tables created later"
    );
    pg.execute(&db, "DROP TABLE public.later").expect("drop it");
    apply(
        &pg,
        &db,
        "rollback",
        &get("rollback/0001_reporting_expand.sql"),
    );
    assert_eq!(
        refused(&pg, &db, "readonly_user", title),
        Some(SqlState::INSUFFICIENT_PRIVILEGE),
        "the rollback left readonly_user reading notes"
    );
}
