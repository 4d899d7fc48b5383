//! The analytics feed, replicated: a table that says `publish to analytics`
//! is in the publication `sluice_to_analytics` with a column list without
//! its `pii` columns, and rows inserted into the source database arrive in
//! the analytics database (another database of the same cluster, which
//! the analytics project built) without them.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::pg::Cluster;
use crate::pg_emit::apply;

const FIXTURE: &str =
    "tests/fixtures/replication/a_published_table_arrives_without_its_pii_columns.sluice";
const ORG: &str = "0000000a-0000-4000-a000-00000000000a";

fn strings(pg: &Cluster, db: &str, sql: &str) -> Vec<String> {
    pg.client(db)
        .query(sql, &[])
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[test]
fn a_published_table_arrives_without_its_pii_columns() {
    let f = crate::fixture::read(Path::new(FIXTURE));
    let c = crate::fixture::compile(&f);
    assert_eq!(
        crate::fixture::codes(&c),
        f.expect,
        "{}",
        crate::fixture::render(&c)
    );
    let files = sluice::emit::workspace(&c.workspace, Some(Path::new("out"))).expect("emits");
    let first = |project: &str| {
        files
            .get(&Path::new("out").join(project).join("0000_initial.sql"))
            .unwrap_or_else(|| panic!("no first migration for {project}"))
            .clone()
    };
    let pg = Cluster::start_with(16, "wal_level = logical");
    let source = pg.create_db();
    let analytics = pg.create_db();
    apply(&pg, &source, "notes 0000", &first("notes"));
    apply(&pg, &analytics, "analytics 0000", &first("analytics"));

    let published = strings(
        &pg,
        &source,
        "SELECT array_to_string(attnames, ',') FROM pg_publication_tables WHERE pubname = 'sluice_to_analytics' AND tablename = 'users'",
    );
    assert_eq!(
        published,
        vec!["id,org_id,locale,plan,created_at,updated_at,deleted_at".to_string()]
    );

    // The operator's part: the slot, then the subscription (a subscription
    // into the same cluster cannot create its slot itself). The receiving
    // tables force row-level security, which refuses the apply worker
    // running as their owner: it runs as the subscription's owner, the
    // superuser, instead (`run_as_owner`).
    pg.execute(
        &source,
        "SELECT pg_create_logical_replication_slot('analytics_feed', 'pgoutput')",
    )
    .expect("create the slot");
    let conninfo = pg.conninfo(&source, crate::pg::SUPERUSER);
    for sql in [
        format!("CREATE SUBSCRIPTION analytics_feed CONNECTION '{conninfo}' PUBLICATION sluice_to_analytics WITH (connect = false, run_as_owner = true)"),
        "ALTER SUBSCRIPTION analytics_feed ENABLE".to_string(),
        "ALTER SUBSCRIPTION analytics_feed REFRESH PUBLICATION".to_string(),
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
    let columns = strings(
        &pg,
        &analytics,
        "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'users' ORDER BY column_name",
    );
    assert!(
        !columns.iter().any(|c| c == "email" || c == "phone"),
        "{columns:?}"
    );
    pg.execute(&analytics, "ALTER SUBSCRIPTION analytics_feed DISABLE")
        .expect("disable");
    pg.execute(
        &analytics,
        "ALTER SUBSCRIPTION analytics_feed SET (slot_name = NONE)",
    )
    .expect("detach the slot");
    pg.execute(&analytics, "DROP SUBSCRIPTION analytics_feed")
        .expect("drop the subscription");
}
