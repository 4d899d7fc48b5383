//! The widenings sluice changes in place, and those it does not, judged by
//! PostgreSQL itself: `ALTER COLUMN … TYPE` gives the table a new file
//! (`pg_relation_filenode`) exactly when it rewrites it. Every pair that
//! `sluice::pg::type_change::is_in_place` calls in place must keep the
//! file, and every other pair must change it, on the oldest and the newest
//! supported PostgreSQL.

use crate::pg::Cluster;

/// (old type, new type, `USING` text or none)
const PAIRS: &[(&str, &str, Option<&str>)] = &[
    ("varchar(20)", "text", None),
    ("varchar(20)", "text", Some("(c::text)")),
    ("varchar(20)", "varchar(40)", Some("c::varchar(40)")),
    ("varchar(20)", "varchar", None),
    ("text", "varchar", None),
    (
        "numeric(10, 2)",
        "numeric(14, 2)",
        Some("(c::numeric(14, 2))"),
    ),
    ("numeric(10, 2)", "numeric", None),
    ("timestamptz(0)", "timestamptz(3)", None),
    ("timestamp(3)", "timestamp", None),
    ("time(2)", "time(4)", None),
    ("varbit(8)", "varbit(16)", None),
    ("cidr", "inet", None),
    // Rewrites.
    ("varchar(20)", "text", Some("upper(c)")),
    ("varchar(40)", "varchar(20)", None),
    ("text", "varchar(400)", None),
    ("numeric(10, 2)", "numeric(14, 3)", None),
    ("numeric(14, 2)", "numeric(10, 2)", None),
    ("integer", "bigint", Some("(c::bigint)")),
    ("timestamp(3)", "timestamp(0)", None),
    // In place only while the session's time zone is UTC: sluice cannot
    // know the migrator's, so it never counts on it (the test session is
    // not in UTC).
    ("timestamp", "timestamptz", None),
    ("varbit(16)", "varbit(8)", None),
];

fn judge(major: u32) {
    let pg = Cluster::start_on(major);
    let db = pg.create_db();
    let mut client = pg.client(&db);
    client
        .batch_execute("SET TimeZone = 'America/New_York'")
        .expect("time zone");
    let mut wrong = Vec::new();
    for (i, (old, new, using)) in PAIRS.iter().enumerate() {
        let t = format!("t{i}");
        let value = match *old {
            o if o.starts_with("varbit") => "B'101'",
            "cidr" => "'10.0.0.0/8'",
            o if o.starts_with("time(") => "'10:00'",
            o if o.starts_with("timestamp") => "'2026-01-01 10:00'",
            _ => "'1'",
        };
        client
            .batch_execute(&format!(
                "CREATE TABLE {t} (c {old}); INSERT INTO {t} SELECT {value} FROM generate_series(1, 10);"
            ))
            .unwrap_or_else(|e| panic!("{t} {old}: {e}"));
        let file = |c: &mut postgres::Client| -> u32 {
            c.query_one(&format!("SELECT pg_relation_filenode('{t}')::oid"), &[])
                .expect("filenode")
                .get(0)
        };
        let before = file(&mut client);
        let clause = using.map(|u| format!(" USING {u}")).unwrap_or_default();
        client
            .batch_execute(&format!(
                "ALTER TABLE {t} ALTER COLUMN c TYPE {new}{clause}"
            ))
            .unwrap_or_else(|e| panic!("{old} -> {new}: {e}"));
        let rewrote = file(&mut client) != before;
        let in_place = sluice::pg::type_change::is_in_place("c", old, new, *using);
        if rewrote == in_place {
            wrong.push(format!(
                "{old} -> {new} {using:?}: sluice says in place {in_place}, PostgreSQL {major} rewrote {rewrote}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn widenings_sluice_changes_in_place_keep_the_table_file_on_postgres_14() {
    judge(14);
}

#[test]
fn widenings_sluice_changes_in_place_keep_the_table_file_on_postgres_18() {
    judge(18);
}
