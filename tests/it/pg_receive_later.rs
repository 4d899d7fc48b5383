//! A table published to the analytics project after both sides were
//! deployed, replicated: the source's `publish` phase adds it to the
//! publication, the analytics project's `receive` phase creates it, and
//! after `ALTER SUBSCRIPTION … REFRESH PUBLICATION` a row inserted into it
//! at the source arrives on the analytics side, next to the table the
//! feed carried from the start. The analytics rollback of that phase drops
//! the table again.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::pg::Cluster;
use crate::pg_emit::{apply, strings};

const FIXTURE: &str = "tests/fixtures/phases/a_table_published_after_the_receiving_project_released_is_received_by_a_new_migration.sluice";
const ORG: &str = "0000000a-0000-4000-a000-00000000000a";

/// The rows of `sql` on `db` once there are `n` of them (or after a minute).
fn arrived(pg: &Cluster, db: &str, sql: &str, n: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let rows = strings(pg, db, sql);
        if rows.len() == n || Instant::now() > deadline {
            return rows;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn a_table_received_later_fills_after_the_subscription_is_refreshed() {
    let f = crate::fixture::read(Path::new(FIXTURE));
    let file = crate::fixture::emitted(&f);
    let pg = Cluster::start_with(16, "wal_level = logical");
    let source = pg.create_db();
    let analytics = pg.create_db();
    apply(&pg, &source, "notes 0000", &file("notes/0000_initial.sql"));
    apply(
        &pg,
        &analytics,
        "analytics 0000",
        &file("analytics/0000_initial.sql"),
    );
    apply(
        &pg,
        &analytics,
        "subscribe",
        &file("analytics/subscribe/sluice_from_notes.sql"),
    );
    pg.execute(
        &source,
        "SELECT pg_create_logical_replication_slot('sluice_notes_to_analytics', 'pgoutput')",
    )
    .expect("create the slot");
    let conninfo = pg.conninfo(&source, crate::pg::SUPERUSER);
    let refresh = "ALTER SUBSCRIPTION sluice_from_notes REFRESH PUBLICATION";
    for sql in [
        format!("ALTER SUBSCRIPTION sluice_from_notes CONNECTION '{conninfo}'"),
        "ALTER SUBSCRIPTION sluice_from_notes ENABLE".to_string(),
        refresh.to_string(),
    ] {
        pg.execute(&analytics, &sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    pg.execute(
        &source,
        &format!("INSERT INTO notes (org_id, title, author_email) VALUES ('{ORG}', 'first', 'ada@example.com')"),
    )
    .expect("insert a note");
    assert_eq!(
        arrived(&pg, &analytics, "SELECT title FROM public.notes", 1),
        ["first"],
        "server log:\n{}",
        pg.server_log()
    );
    let teams = "SELECT count(*)::int FROM pg_class WHERE relname = 'teams'";
    assert_eq!(
        pg.client(&analytics)
            .query_one(teams, &[])
            .expect("count")
            .get::<_, i32>(0),
        0,
        "analytics' released migration does not create the table published later"
    );

    // The later phases of both sides, then the refresh.
    apply(
        &pg,
        &source,
        "notes 0001",
        &file("notes/0001_publish_teams_expand.sql"),
    );
    apply(
        &pg,
        &analytics,
        "analytics 0001",
        &file("analytics/0001_receive_teams_expand.sql"),
    );
    pg.execute(&analytics, refresh)
        .unwrap_or_else(|e| panic!("{refresh}: {e}"));
    pg.execute(
        &source,
        &format!("INSERT INTO teams (org_id, name) VALUES ('{ORG}', 'platform')"),
    )
    .expect("insert a team");
    pg.execute(
        &source,
        &format!("INSERT INTO notes (org_id, title) VALUES ('{ORG}', 'second')"),
    )
    .expect("insert another note");
    assert_eq!(
        arrived(&pg, &analytics, "SELECT name FROM public.teams", 1),
        ["platform"],
        "server log:\n{}",
        pg.server_log()
    );
    assert_eq!(
        arrived(
            &pg,
            &analytics,
            "SELECT title FROM public.notes ORDER BY title",
            2
        ),
        ["first", "second"]
    );
    // The runtime role reads the new table under its grant and policy.
    let mut service = pg.client_as(&analytics, "service_rw");
    service
        .batch_execute(&format!("SET app.current_org_id = '{ORG}'"))
        .expect("set the org");
    assert_eq!(
        service
            .query("SELECT * FROM public.teams", &[])
            .expect("reads")
            .len(),
        1
    );

    for sql in [
        "ALTER SUBSCRIPTION sluice_from_notes DISABLE",
        "ALTER SUBSCRIPTION sluice_from_notes SET (slot_name = NONE)",
        "DROP SUBSCRIPTION sluice_from_notes",
    ] {
        pg.execute(&analytics, sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    pg.execute(
        &source,
        "SELECT pg_drop_replication_slot('sluice_notes_to_analytics')",
    )
    .expect("drop the slot");
    apply(
        &pg,
        &analytics,
        "analytics rollback 0001",
        &file("analytics/rollback/0001_receive_teams_expand.sql"),
    );
    assert_eq!(
        pg.client(&analytics)
            .query_one(teams, &[])
            .expect("count")
            .get::<_, i32>(0),
        0,
        "the rollback drops the received table"
    );
}
