//! The bundled workspace's analytics feed, replicated: `schemas/`
//! publishes `core.users` (schema `core`) and `attendance_records`
//! (schema `public`) to analytics (schema `reporting`). Replication
//! matches tables by schema and name, so analytics' own first migration
//! creates `core.users` and `public.attendance_records` (with the enum
//! `public.attendance_status` its `status` column needs); after the
//! emitted `subscribe/` scripts and the commands their headers give, rows
//! inserted at both sources arrive without a `pii` column, on 15, 16 and
//! 18. On 14 the feed is `unsupported-on-target`.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::pg::Cluster;
use crate::pg_emit::{apply, strings};

const ORG: &str = "0000000a-0000-4000-a000-00000000000a";
const USER: &str = "0000000c-0000-4000-a000-00000000000c";

#[test]
fn the_bundled_feed_arrives_without_pii_on_postgres_15() {
    bundled_feed_on(15);
}

#[test]
fn the_bundled_feed_arrives_without_pii_on_postgres_16() {
    bundled_feed_on(16);
}

#[test]
fn the_bundled_feed_arrives_without_pii_on_postgres_18() {
    bundled_feed_on(18);
}

#[test]
fn the_bundled_feed_on_postgres_14_is_unsupported_on_target() {
    let c = compile_for(14);
    let feed: Vec<_> = c
        .diagnostics
        .items
        .iter()
        .filter(|d| d.message.contains("`publish to analytics`"))
        .collect();
    assert_eq!(feed.len(), 2, "one per published table");
    for d in feed {
        assert_eq!(d.code.as_str(), "unsupported-on-target");
        assert!(
            d.help.as_deref().is_some_and(|h| h.contains("postgres 15")),
            "the diagnostic says what to do: {:?}",
            d.help
        );
    }
}

/// `schemas/`, copied, with the workspace targeting `major`.
fn compile_for(major: u32) -> sluice::Compilation {
    let dir = crate::scratch::ScratchDir::new(&format!("bundled-feed-{major}")).at("schemas");
    copy(Path::new("schemas"), &dir);
    let ws = dir.join("workspace.sluice");
    let text = fs::read_to_string(&ws).expect("workspace.sluice");
    assert!(
        text.contains("postgres          16"),
        "the bundled workspace targets 16"
    );
    let targeted = text.replace(
        "postgres          16",
        &format!("postgres          {major}"),
    );
    fs::write(&ws, targeted).expect("write workspace.sluice");
    sluice::compile(&dir).expect("schemas/ loads")
}

/// Copies the folder `from` to `to`, `to` created.
pub fn copy(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for e in fs::read_dir(from).expect("read schemas/") {
        let e = e.expect("entry");
        let target: PathBuf = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy(&e.path(), &target);
        } else {
            fs::copy(e.path(), &target).expect("copy");
        }
    }
}

fn bundled_feed_on(major: u32) {
    let c = compile_for(major);
    assert!(
        !c.diagnostics.has_errors(),
        "schemas/ targeting {major} has errors"
    );
    let out = Path::new("out");
    let files = sluice::emit::workspace(&c.workspace, Some(out)).expect("schemas/ emits");
    let file = |path: &str| {
        files
            .get(&out.join(path))
            .unwrap_or_else(|| panic!("no {path}"))
            .clone()
    };
    let pg = Cluster::start_with(major, "wal_level = logical");
    let core = pg.create_db();
    let attendance = pg.create_db();
    let analytics = pg.create_db();
    apply(&pg, &core, "core 0000", &file("core/0000_initial.sql"));
    apply(
        &pg,
        &attendance,
        "attendance 0000",
        &file("attendance/0000_initial.sql"),
    );
    apply(
        &pg,
        &analytics,
        "analytics 0000",
        &file("analytics/0000_initial.sql"),
    );
    let received = |schema: &str, table: &str| {
        strings(
            &pg,
            &analytics,
            &format!(
                "SELECT string_agg(column_name::text, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = '{schema}' AND table_name = '{table}'"
            ),
        )
    };
    assert_eq!(
        received("core", "users"),
        vec!["id,org_id,locale,time_zone,status,created_at,deleted_at".to_string()],
        "analytics' migration creates core.users with the sent columns only"
    );
    assert_eq!(
        received("public", "attendance_records"),
        vec!["id,org_id,user_id,work_date,status,worked_minutes,created_at,deleted_at".to_string()],
    );

    // The operator's part, as a superuser, per source: the emitted
    // script, the slot, then the commands the script's header gives.
    for (source, db) in [("core", &core), ("attendance", &attendance)] {
        let script = file(&format!("analytics/subscribe/sluice_from_{source}.sql"));
        assert_eq!(script.contains("run_as_owner"), major >= 16, "{script}");
        apply(&pg, &analytics, &format!("subscribe {source}"), &script);
        pg.execute(
            db,
            &format!(
                "SELECT pg_create_logical_replication_slot('sluice_{source}_to_analytics', 'pgoutput')"
            ),
        )
        .expect("create the slot");
        let conninfo = pg.conninfo(db, crate::pg::SUPERUSER);
        for sql in [
            format!("ALTER SUBSCRIPTION sluice_from_{source} CONNECTION '{conninfo}'"),
            format!("ALTER SUBSCRIPTION sluice_from_{source} ENABLE"),
            format!("ALTER SUBSCRIPTION sluice_from_{source} REFRESH PUBLICATION"),
        ] {
            pg.execute(&analytics, &sql)
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
    }

    let settings = format!("SET app.current_org_id = '{ORG}'; SET app.current_user_id = '{USER}';");
    pg.client(&core)
        .batch_execute(&format!(
            "{settings}
             INSERT INTO core.orgs (id, name, slug) VALUES ('{ORG}', 'Acme', 'acme');
             INSERT INTO core.users (id, org_id, email, display_name, phone, locale)
               VALUES ('{USER}', '{ORG}', 'ada@example.com', 'Ada', '+44 20 7946 0000', 'en-GB');"
        ))
        .unwrap_or_else(|e| panic!("insert into core: {e}"));
    pg.client(&attendance)
        .batch_execute(&format!(
            "{settings}
             INSERT INTO attendance_records (org_id, user_id, work_date, status, worked_minutes, remark)
               VALUES ('{ORG}', '{USER}', DATE '2026-11-02', 'late', 420, 'doctor''s appointment');"
        ))
        .unwrap_or_else(|e| panic!("insert into attendance: {e}"));

    let wait = |sql: &str| {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let rows = strings(&pg, &analytics, sql);
            if !rows.is_empty() || Instant::now() > deadline {
                break rows;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    };
    assert_eq!(
        wait("SELECT id::text || '/' || locale || '/' || status FROM core.users"),
        vec![format!("{USER}/en-GB/active")],
        "server log:\n{}",
        pg.server_log()
    );
    assert_eq!(
        wait("SELECT user_id::text || '/' || work_date::text || '/' || status::text || '/' || worked_minutes FROM public.attendance_records"),
        vec![format!("{USER}/2026-11-02/late/420")],
        "server log:\n{}",
        pg.server_log()
    );
    // Nothing classified pii (nor the confidential remark the column
    // list leaves out) exists anywhere in the analytics database.
    let leaked = strings(
        &pg,
        &analytics,
        "SELECT table_schema || '.' || table_name || '.' || column_name FROM information_schema.columns WHERE column_name IN ('email', 'display_name', 'phone', 'remark') AND table_schema IN ('core', 'public', 'reporting')",
    );
    assert!(leaked.is_empty(), "{leaked:?}");

    for source in ["core", "attendance"] {
        for sql in [
            format!("ALTER SUBSCRIPTION sluice_from_{source} DISABLE"),
            format!("ALTER SUBSCRIPTION sluice_from_{source} SET (slot_name = NONE)"),
            format!("DROP SUBSCRIPTION sluice_from_{source}"),
        ] {
            pg.execute(&analytics, &sql)
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
    }
}
