//! The analytics feed, replicated: a table that says `publish to analytics`
//! is in the publication `sluice_to_analytics` with a column list without
//! its `pii` columns; the analytics project, which does not declare the
//! table, gets it from its own emitted migration and its subscription from
//! the emitted `subscribe/` script; after the enable commands the
//! script's header documents, rows inserted into the source database
//! arrive in the analytics database (another database of the same
//! cluster) without the `pii` columns, readable by tenant and writable by
//! no runtime role.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::pg::Cluster;
use crate::pg_emit::{apply, strings};

const FIXTURE: &str =
    "tests/fixtures/replication/a_published_table_arrives_without_its_pii_columns.sluice";
const ORG: &str = "0000000a-0000-4000-a000-00000000000a";

#[test]
fn a_published_table_arrives_without_its_pii_columns() {
    feed_on(16);
}

/// On 15 the subscription has no `run_as_owner` (its apply worker always
/// runs as the subscription's owner), and the emitted script says none.
#[test]
fn the_feed_runs_on_postgres_15_without_run_as_owner() {
    feed_on(15);
}

#[test]
fn the_feed_runs_on_postgres_18() {
    feed_on(18);
}

/// The fixture, targeting `major`, deployed and fed on a server of that
/// major.
fn feed_on(major: u32) {
    let mut f = crate::fixture::read(Path::new(FIXTURE));
    let ws = f.files.get_mut("workspace.sluice").expect("base workspace");
    *ws = ws.replace("postgres 16", &format!("postgres {major}"));
    let file = crate::fixture::emitted(&f);
    let script = file("analytics/subscribe/sluice_from_notes.sql");
    assert_eq!(script.contains("run_as_owner"), major >= 16, "{script}");
    let pg = Cluster::start_with(major, "wal_level = logical");
    let source = pg.create_db();
    let analytics = pg.create_db();
    apply(&pg, &source, "notes 0000", &file("notes/0000_initial.sql"));
    apply(
        &pg,
        &analytics,
        "analytics 0000",
        &file("analytics/0000_initial.sql"),
    );
    // The operator's part, as a superuser: the emitted script, then the
    // commands its header gives.
    apply(&pg, &analytics, "subscribe", &script);

    let published = strings(
        &pg,
        &source,
        "SELECT array_to_string(attnames, ',') FROM pg_publication_tables WHERE pubname = 'sluice_to_analytics' AND tablename = 'users'",
    );
    assert_eq!(
        published,
        vec!["id,org_id,locale,plan,created_at,updated_at,deleted_at".to_string()]
    );
    let received = strings(
        &pg,
        &analytics,
        "SELECT string_agg(column_name::text, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'users'",
    );
    assert_eq!(
        received, published,
        "the receiving table has the sent columns"
    );

    pg.execute(
        &source,
        "SELECT pg_create_logical_replication_slot('sluice_notes_to_analytics', 'pgoutput')",
    )
    .expect("create the slot");
    let conninfo = pg.conninfo(&source, crate::pg::SUPERUSER);
    for sql in [
        format!("ALTER SUBSCRIPTION sluice_from_notes CONNECTION '{conninfo}'"),
        "ALTER SUBSCRIPTION sluice_from_notes ENABLE".to_string(),
        "ALTER SUBSCRIPTION sluice_from_notes REFRESH PUBLICATION".to_string(),
    ] {
        pg.execute(&analytics, &sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    pg.execute(
        &source,
        &format!(
            "INSERT INTO users (org_id, email, phone, locale, plan) VALUES
               ('{ORG}', 'ada@example.com', '+44 20 7946 0000', 'en-GB', 'team'),
               ('{ORG}', 'grace@example.com', NULL, 'en-US', NULL)"
        ),
    )
    .expect("insert at the source");

    let deadline = Instant::now() + Duration::from_secs(60);
    let arrived = loop {
        let rows = strings(
            &pg,
            &analytics,
            "SELECT locale || '/' || coalesce(plan, '-') FROM users ORDER BY locale",
        );
        if rows.len() == 2 || Instant::now() > deadline {
            break rows;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(
        arrived,
        vec!["en-GB/team".to_string(), "en-US/-".to_string()],
        "server log:\n{}",
        pg.server_log()
    );
    // The runtime role reads its org's rows through the tenant policy,
    // another org's not at all, and writes none.
    let as_service = |org: &str, sql: &str| {
        let mut c = pg.client_as(&analytics, "service_rw");
        c.batch_execute(&format!(
            "SET app.current_org_id = '{org}'; SET app.current_app_role = 'viewer'"
        ))
        .expect("set the org");
        c.query(sql, &[]).map(|rows| rows.len())
    };
    assert_eq!(as_service(ORG, "SELECT * FROM users").expect("reads"), 2);
    assert_eq!(
        as_service(
            "0000000b-0000-4000-a000-00000000000b",
            "SELECT * FROM users"
        )
        .expect("reads"),
        0
    );
    let write = as_service(
        ORG,
        &format!(
            "INSERT INTO users (id, org_id, locale) VALUES (gen_random_uuid(), '{ORG}', 'fr')"
        ),
    );
    assert!(write.is_err(), "a runtime role wrote a received table");

    for sql in [
        "ALTER SUBSCRIPTION sluice_from_notes DISABLE",
        "ALTER SUBSCRIPTION sluice_from_notes SET (slot_name = NONE)",
        "DROP SUBSCRIPTION sluice_from_notes",
    ] {
        pg.execute(&analytics, sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}
