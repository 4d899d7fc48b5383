//! A role's `reads` changed in a released project, on a copy of the
//! bundled workspace: `readonly_user` gains `reads pii`; `check` reports
//! the drift, `sluice plan` writes `grant reads pii to readonly_user` in a
//! new migration of core, `build` leaves the released first migration as
//! it was, and on PostgreSQL the new migration lets `readonly_user` read
//! `core.users.email` while its rollback refuses it again. Taking `reads
//! pii` away from `jobs_rw` is planned as `revoke reads` in a contract.

use std::path::Path;

use postgres::error::SqlState;

use crate::cli::{all, copy_of_schemas, edit, sluice};
use crate::pg_deploy::ORG;
use crate::plan_tail::{built_after_plan, clean_after_plan};

fn emitted(ws: &Path, rel: &str) -> String {
    let path = ws.join("../drizzle/core").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// `check` reports drift naming `what`; plan every project as `name` (a
/// role's `reads` is the workspace's: each project's history carries it);
/// then check is clean and build succeeds. Returns core's new migration.
fn plan_core(ws: &Path, what: &str, name: &str) -> String {
    let ws_arg = ws.to_str().expect("utf-8 path");
    let o = sluice(&["check", ws_arg]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "no drift before plan:\n{}",
        all(&o)
    );
    assert!(all(&o).contains(what), "{}", all(&o));
    let o = sluice(&["plan", ws_arg, "--name", name]);
    assert_eq!(o.status.code(), Some(0), "plan failed:\n{}", all(&o));
    let text = std::fs::read_to_string(ws.join(format!("core/migrations/0002_{name}.sluice")))
        .expect("plan wrote the migration");
    clean_after_plan(ws_arg, &text);
    built_after_plan(ws_arg);
    text
}

#[test]
fn readonly_user_gains_reads_pii_in_a_new_migration_and_its_rollback_withholds_email_again() {
    let ws = copy_of_schemas("reads-history");
    let ws_arg = ws.to_str().expect("utf-8");
    let o = sluice(&["build", ws_arg]);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    let released = emitted(&ws, "0000_initial.sql");
    edit(
        &ws,
        "workspace.sluice",
        "  grant usage on schema\n  grant select on tables\n}",
        "  grant usage on schema\n  grant select on tables\n  reads pii\n}",
    );
    let text = plan_core(
        &ws,
        "role `readonly_user` is declared with `reads pii`",
        "readonly_reads_pii",
    );
    assert_eq!(
        released,
        emitted(&ws, "0000_initial.sql"),
        "the released first migration changed"
    );
    insta::assert_snapshot!(text);

    let pg = crate::pg::Cluster::start();
    let db = pg.create_db();
    crate::pg_emit::apply(&pg, &db, "core 0000", &released);
    let read_email = || {
        pg.execute_as(
            &db,
            "readonly_user",
            &format!("SET app.current_org_id = '{ORG}';\nSELECT email FROM core.users"),
        )
    };
    let refused = |when: &str| match read_email() {
        Ok(()) => panic!("readonly_user read core.users.email {when}"),
        Err(e) => assert_eq!(e.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{e}"),
    };
    refused("before the new migration");
    let expand = "0001_readonly_reads_pii_expand.sql";
    crate::pg_emit::apply(&pg, &db, "core 0001", &emitted(&ws, expand));
    read_email().unwrap_or_else(|e| panic!("readonly_user reads pii but not email: {e}"));
    crate::pg_emit::apply(
        &pg,
        &db,
        "core 0001 rollback",
        &emitted(&ws, &format!("rollback/{expand}")),
    );
    refused("after the rollback");
    pg.execute_as(
        &db,
        "readonly_user",
        &format!("SET app.current_org_id = '{ORG}';\nSELECT id, org_id, locale FROM core.users"),
    )
    .unwrap_or_else(|e| panic!("the rollback took the other columns too: {e}"));
}

#[test]
fn a_role_that_stops_reading_pii_is_planned_as_revoke_reads_in_the_contract() {
    let ws = copy_of_schemas("reads-revoke");
    edit(
        &ws,
        "workspace.sluice",
        "  reads pii            // the jobs email users",
        "  // the jobs email users",
    );
    let text = plan_core(
        &ws,
        "grants `reads pii` to `jobs_rw`, which the role does not declare",
        "jobs_stop_reading_pii",
    );
    assert!(
        text.contains("contract {\n    // withholding columns waits"),
        "{text}"
    );
    insta::assert_snapshot!(text);
}
