//! Classification that controls access, deployed: a role without `reads
//! phi` reads every column of a table but its `phi` ones, on tables of the
//! first migration and of a later one, and a column a later migration adds
//! (not `phi`) is readable; a role with `reads phi` reads them all; the
//! README's catalog query lists every classified table and column. In the
//! bundled workspace, `readonly_user` (analytics and BI) reads `core.users`
//! without its `pii` columns, and the roles that say `reads pii` read them.

use postgres::error::SqlState;

use crate::pg_deploy::{Deployed, ORG};

const FIXTURE: &str = "phi_columns_are_read_only_by_roles_that_read_phi";

/// The query the README gives auditors, verbatim.
pub const CLASSIFICATION_QUERY: &str = "\
SELECT n.nspname AS schema, c.relname AS relation, a.attname AS column,
       substring(d.description from 'classification: ([a-z]+)$') AS classification
FROM pg_description d
JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND c.oid = d.objoid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid AND d.objsubid > 0
WHERE d.description ~ 'classification: [a-z]+$'
ORDER BY 1, 2, 3 NULLS FIRST;";

#[test]
fn phi_columns_are_read_only_by_roles_that_read_phi() {
    let d = Deployed::fixture(FIXTURE);
    for table in ["visits", "checkups"] {
        let phi = if table == "visits" {
            "medical_note"
        } else {
            "result"
        };
        let other = if table == "visits" {
            "reason, summary"
        } else {
            "kind"
        };
        match d.as_role("readonly_user", &format!("SELECT {phi} FROM {table}")) {
            Ok(()) => panic!("readonly_user read {table}.{phi}"),
            Err(e) => assert_eq!(e.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{e}"),
        }
        assert!(
            d.as_role("readonly_user", &format!("SELECT * FROM {table}"))
                .is_err(),
            "`SELECT *` includes the phi column"
        );
        d.as_role(
            "readonly_user",
            &format!("SELECT id, org_id, {other}, created_at FROM {table}"),
        )
        .unwrap_or_else(|e| panic!("readonly_user cannot read {table}'s other columns: {e}"));
        d.as_role("service_rw", &format!("SELECT * FROM {table}"))
            .unwrap_or_else(|e| panic!("service_rw reads phi but cannot read {table}: {e}"));
    }
    d.as_role(
        "service_rw",
        &format!("INSERT INTO visits (org_id, medical_note) VALUES ('{ORG}', 'x')"),
    )
    .expect("service_rw writes a visit");

    let rows: Vec<(String, Option<String>, String)> =
        d.pg.client(&d.db)
            .query(CLASSIFICATION_QUERY, &[])
            .expect("the README's classification query runs")
            .iter()
            .map(|r| (r.get(1), r.get(2), r.get(3)))
            .collect();
    let want =
        |t: &str, c: Option<&str>, k: &str| (t.to_string(), c.map(str::to_string), k.to_string());
    assert_eq!(
        rows,
        vec![
            want("checkups", Some("result"), "phi"),
            want("visits", None, "phi"),
            want("visits", Some("medical_note"), "phi"),
            want("visits", Some("reason"), "confidential"),
        ]
    );
}

#[test]
fn the_bundled_readonly_user_reads_users_without_their_pii_columns() {
    let c = sluice::compile(std::path::Path::new("schemas")).expect("schemas/ loads");
    assert!(
        !c.diagnostics.has_errors(),
        "schemas/ has errors: {:?}",
        c.diagnostics.items
    );
    let out = std::path::Path::new("out");
    let files = sluice::emit::workspace(&c.workspace, Some(out)).expect("schemas/ emits");
    let initial = files
        .get(&out.join("core/0000_initial.sql"))
        .expect("core's first journal file");
    let pg = crate::pg::Cluster::start();
    let db = pg.create_db();
    crate::pg_emit::apply(&pg, &db, "core 0000", initial);
    let as_role = |role: &str, sql: &str| {
        pg.execute_as(
            &db,
            role,
            &format!(
                "SET app.current_org_id = '{ORG}';\nSET app.current_user_id = '{ORG}';\n{sql}"
            ),
        )
    };
    for pii in ["email", "display_name", "phone"] {
        match as_role("readonly_user", &format!("SELECT {pii} FROM core.users")) {
            Ok(()) => panic!("readonly_user read core.users.{pii}"),
            Err(e) => assert_eq!(e.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{e}"),
        }
    }
    as_role(
        "readonly_user",
        "SELECT id, org_id, locale, time_zone, status, created_at FROM core.users",
    )
    .unwrap_or_else(|e| panic!("readonly_user cannot read the other columns of core.users: {e}"));
    for role in ["service_rw", "jobs_rw", "admin_user"] {
        as_role(role, "SELECT email, display_name, phone FROM core.users")
            .unwrap_or_else(|e| panic!("{role} reads pii but cannot read core.users: {e}"));
    }
}
