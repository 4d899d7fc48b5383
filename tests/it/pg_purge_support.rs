//! What the two retention-schedule tests share: the fixture that declares
//! pg_cron, compiled and emitted; the rows they seed; and the counts that
//! show a purge kept only the unexpired rows.
//!
//! Input: the fixture path below and a database its migration was applied
//! to. Output: the emitted files, seeded rows, and assertions on the rows
//! left.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::fixture::Fixture;
use crate::pg::Cluster;

pub const FIXTURE: &str =
    "tests/fixtures/deploy/purges_are_scheduled_when_the_workspace_declares_pg_cron.sluice";
const ORG_A: &str = "0000000a-0000-4000-a000-00000000000a";
const ORG_B: &str = "0000000b-0000-4000-a000-00000000000b";

/// The fixture, as read (for a test to adjust before [`emit`]).
pub fn fixture() -> Fixture {
    crate::fixture::read(Path::new(FIXTURE))
}

/// The files `f` emits under `out/`, after checking it compiles with the
/// codes it expects.
pub fn emit(f: &Fixture) -> BTreeMap<PathBuf, String> {
    let c = crate::fixture::compile(f);
    assert_eq!(
        crate::fixture::codes(&c),
        f.expect,
        "{}",
        crate::fixture::render(&c)
    );
    sluice::emit::workspace(&c.workspace, Some(Path::new("out"))).expect("emits")
}

/// The one value `sql` selects.
pub fn count(pg: &Cluster, db: &str, sql: &str) -> i64 {
    pg.client(db)
        .query_one(sql, &[])
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .get(0)
}

/// Rows of both orgs in both retained tables: `sessions` keeps 24 hours
/// (5 expired, 2 recent rows, one per org), `imports` 30 days (2 expired,
/// 1 recent).
pub fn seed(pg: &Cluster, db: &str) {
    let mut seed = String::new();
    for (org, age, n) in [
        (ORG_A, "25 hours", 3),
        (ORG_B, "25 hours", 2),
        (ORG_A, "1 hour", 1),
        (ORG_B, "1 hour", 1),
    ] {
        for _ in 0..n {
            seed.push_str(&format!(
                "INSERT INTO sessions (org_id, token_hash, created_at) VALUES ('{org}', 't', now() - interval '{age}');\n"
            ));
        }
    }
    seed.push_str(
        "INSERT INTO imports (source, created_at) VALUES ('a', now() - interval '31 days'), ('b', now() - interval '31 days'), ('c', now());\n",
    );
    pg.execute(db, &seed).expect("seed");
}

/// After a purge: the recent rows of [`seed`] and no expired one.
pub fn assert_only_recent_rows_left(pg: &Cluster, db: &str) {
    assert_eq!(count(pg, db, "SELECT count(*) FROM sessions"), 2);
    assert_eq!(
        count(
            pg,
            db,
            "SELECT count(*) FROM sessions WHERE created_at < now() - interval '24 hours'"
        ),
        0
    );
    assert_eq!(count(pg, db, "SELECT count(*) FROM imports"), 1);
}

/// After a second purge: still the rows the first one left.
pub fn assert_rows_unchanged(pg: &Cluster, db: &str) {
    assert_eq!(count(pg, db, "SELECT count(*) FROM sessions"), 2);
    assert_eq!(count(pg, db, "SELECT count(*) FROM imports"), 1);
}
