//! Retention, deployed: each retained table's purge function, run by the
//! jobs role one batch per call, deletes exactly the rows past their
//! period (by `created_at`, or for soft-deleted rows by `deleted_at`), one
//! org at a time, in batches of the size asked for; a second run deletes
//! nothing; each purged row of an audited table is in the audit trail; and
//! a role not granted `execute on functions` cannot run it.

use postgres::error::SqlState;

use crate::pg_deploy::{Deployed, ORG};

const ORG_B: &str = "0000000b-0000-4000-a000-00000000000b";
const FIXTURE: &str = "retained_tables_purge_their_expired_rows_in_batches";

fn id(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

/// Rows on both sides of every period: ids 1xx expire, 2xx stay.
fn seed() -> String {
    let mut sql = String::new();
    let mut row = |table: &str, n: u32, org: &str, extra_cols: &str, extra_vals: &str| {
        sql.push_str(&format!(
            "INSERT INTO {table} (id, org_id{extra_cols}) VALUES ('{}', '{org}'{extra_vals});\n",
            id(n)
        ));
    };
    // Sessions: 24 hours after creation. Org A has five expired, org B three.
    for n in 101..=105 {
        row(
            "sessions",
            n,
            ORG,
            ", token_hash, created_at",
            ", 't', now() - interval '25 hours'",
        );
    }
    for n in 106..=108 {
        row(
            "sessions",
            n,
            ORG_B,
            ", token_hash, created_at",
            ", 't', now() - interval '25 hours'",
        );
    }
    for n in 201..=202 {
        row(
            "sessions",
            n,
            ORG,
            ", token_hash, created_at",
            ", 't', now() - interval '23 hours'",
        );
    }
    // Notes: 90 days after soft delete; old rows that are not deleted stay.
    for n in 111..=114 {
        row(
            "notes",
            n,
            ORG,
            ", deleted_at",
            ", now() - interval '91 days'",
        );
    }
    row(
        "notes",
        211,
        ORG,
        ", deleted_at",
        ", now() - interval '89 days'",
    );
    row(
        "notes",
        212,
        ORG,
        ", created_at",
        ", now() - interval '400 days'",
    );
    // PHI access logs: six years after creation.
    for n in 121..=122 {
        row(
            "phi_access_logs",
            n,
            ORG,
            ", action, created_at",
            ", 'read', now() - interval '6 years 1 day'",
        );
    }
    row(
        "phi_access_logs",
        221,
        ORG,
        ", action, created_at",
        ", 'read', now() - interval '5 years'",
    );
    // Audit logs: one year after creation.
    for n in 131..=133 {
        row(
            "audit_logs",
            n,
            ORG,
            ", table_name, row_id, action, created_at",
            ", 'notes', gen_random_uuid(), 'insert', now() - interval '1 year 1 day'",
        );
    }
    row(
        "audit_logs",
        231,
        ORG,
        ", table_name, row_id, action, created_at",
        ", 'notes', gen_random_uuid(), 'insert', now() - interval '364 days'",
    );
    sql
}

/// Calls the purge of `table` for `org` as the jobs role, one batch of
/// `size` per call (each its own transaction), until a call deletes
/// nothing; the count each call returned.
fn purge(d: &Deployed, table: &str, org: &str, size: i32) -> Vec<i32> {
    let mut jobs = d.pg.client_as(&d.db, "jobs_rw");
    let sql = format!("SELECT sluice_purge_{table}($1::text::uuid, $2)");
    let mut out = Vec::new();
    loop {
        let n: i32 = jobs
            .query_one(sql.as_str(), &[&org, &size])
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .get(0);
        out.push(n);
        if n == 0 || out.len() > 20 {
            return out;
        }
    }
}

/// The ids of `table`'s rows, as the superuser sees them.
fn ids(d: &Deployed, table: &str) -> Vec<String> {
    d.pg.client(&d.db)
        .query(&format!("SELECT id::text FROM {table} ORDER BY id"), &[])
        .unwrap_or_else(|e| panic!("read {table}: {e}"))
        .iter()
        .map(|r| r.get(0))
        .collect()
}

fn ids_of(ns: &[u32]) -> Vec<String> {
    ns.iter().map(|n| id(*n)).collect()
}

#[test]
fn retained_tables_purge_their_expired_rows_in_batches() {
    let d = Deployed::seeded(FIXTURE, &seed());

    // Sessions, in batches of two: 5 expired rows of org A → 2, 2, 1.
    assert_eq!(purge(&d, "sessions", ORG, 2), vec![2, 2, 1, 0]);
    let left: Vec<u32> = vec![106, 107, 108, 201, 202];
    assert_eq!(
        ids(&d, "sessions"),
        ids_of(&left),
        "org B's rows wait for org B's run"
    );
    assert_eq!(purge(&d, "sessions", ORG_B, 2), vec![2, 1, 0]);
    assert_eq!(ids(&d, "sessions"), ids_of(&[201, 202]));
    // Twice changes nothing more.
    assert_eq!(purge(&d, "sessions", ORG, 2), vec![0]);
    assert_eq!(purge(&d, "sessions", ORG_B, 2), vec![0]);

    // Notes: only rows soft-deleted more than 90 days ago.
    assert_eq!(purge(&d, "notes", ORG, 3), vec![3, 1, 0]);
    assert_eq!(ids(&d, "notes"), ids_of(&[211, 212]));
    assert_eq!(purge(&d, "notes", ORG, 3), vec![0]);

    // Each purged note is in the audit trail, as a delete.
    let audited: Vec<String> = d
        .pg
        .client(&d.db)
        .query(
            "SELECT row_id::text FROM audit_logs WHERE table_name = 'notes' AND action = 'delete' ORDER BY row_id",
            &[],
        )
        .expect("read the audit trail")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(audited, ids_of(&[111, 112, 113, 114]));

    // PHI access logs: six years.
    assert_eq!(purge(&d, "phi_access_logs", ORG, 10), vec![2, 0]);
    assert_eq!(ids(&d, "phi_access_logs"), ids_of(&[221]));

    // Audit logs: one year; the purge's own entries (just written) stay.
    assert_eq!(purge(&d, "audit_logs", ORG, 10), vec![3, 0]);
    let kept = ids(&d, "audit_logs");
    assert!(kept.contains(&id(231)), "{kept:?}");
    assert!(
        !kept.iter().any(|k| ids_of(&[131, 132, 133]).contains(k)),
        "{kept:?}"
    );
    assert_eq!(purge(&d, "audit_logs", ORG, 10), vec![0]);

    // Not for every role: service_rw has no `execute on functions`.
    let refused =
        d.pg.client_as(&d.db, "service_rw")
            .query_one(&format!("SELECT sluice_purge_sessions('{ORG}', 10)"), &[]);
    match refused {
        Ok(_) => panic!("a role without execute on functions ran the purge"),
        Err(e) => assert_eq!(e.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{e}"),
    }
    // And not without an org.
    let no_org =
        d.pg.client_as(&d.db, "jobs_rw")
            .query_one("SELECT sluice_purge_sessions(NULL, 10)", &[]);
    assert!(no_org.is_err(), "a purge without an org ran");
}
