//! The SQL `sluice build` emits for the bundled workspace: snapshots,
//! determinism, and a re-parse of every statement with sqlparser.

use std::path::Path;

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

/// Statement kinds sqlparser cannot parse (as of the pinned version); they
/// are exercised against a real PostgreSQL instead.
pub const SQLPARSER_UNSUPPORTED: &[&str] = &[
    "CREATE PUBLICATION",
    "CREATE TRIGGER",
    "DO",
    "DROP PUBLICATION",
];

fn emitted() -> sluice::emit::Files {
    let c = sluice::compile(Path::new("schemas")).expect("schemas/ loads");
    assert!(!c.diagnostics.has_errors(), "schemas/ has errors");
    sluice::emit::workspace(&c.workspace, Some(Path::new("out"))).expect("emits")
}

/// Chunks of a migration file without their `-- label` comment lines.
pub fn statements(text: &str) -> Vec<String> {
    text.split(sluice::render::BREAKPOINT)
        .map(|chunk| {
            chunk
                .lines()
                .filter(|l| !l.starts_with("-- "))
                .collect::<Vec<_>>()
                .join("\n")
                .trim()
                .to_string()
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// `text` of the file `path`, a lock without its entry records: their keys
/// hold the build of sluice, so a snapshot of them would change with every
/// commit (the build tests check what they record).
pub fn without_entries(path: &std::path::Path, text: &str) -> String {
    if !path.ends_with(sluice::drizzle::LOCK) {
        return text.to_string();
    }
    let mut lock: sluice::drizzle::Lock = serde_json::from_str(text).expect("a lock");
    lock.entries.clear();
    sluice::drizzle::to_json(&lock)
}

#[test]
fn the_bundled_workspace_emits_the_snapshotted_sql() {
    // The typed modules (`schema_ts`) are snapshotted by `drizzle_schema_ts`.
    let files = emitted()
        .into_iter()
        .filter(|(path, _)| path.extension().is_none_or(|e| e != "ts"));
    for (path, text) in files {
        let name = path.to_string_lossy().replace('/', "__");
        insta::assert_snapshot!(name, without_entries(&path, &text));
    }
}

#[test]
fn building_twice_gives_identical_bytes() {
    assert_eq!(emitted(), emitted());
}

#[test]
fn every_statement_reparses_with_sqlparser_unless_its_kind_is_listed() {
    let mut unsupported = std::collections::BTreeSet::new();
    let mut parsed = 0;
    let sql = emitted()
        .into_iter()
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "sql"))
        // psql scripts (`\gexec`, `DO` loops, the subscription) are
        // exercised on PostgreSQL.
        .filter(|(path, _)| {
            !path
                .components()
                .any(|c| c.as_os_str() == "backfill" || c.as_os_str() == "subscribe")
        });
    for (path, text) in sql {
        for stmt in statements(&text) {
            match Parser::parse_sql(&PostgreSqlDialect {}, &stmt) {
                Ok(_) => parsed += 1,
                // PostgreSQL 15's `ON DELETE SET NULL (col)` of a
                // tenant-scoped reference; `sluice lint` reads it without
                // the column list.
                Err(_)
                    if stmt.contains(") ON DELETE SET NULL (")
                        && Parser::parse_sql(
                            &PostgreSqlDialect {},
                            &set_null_without_columns(&stmt),
                        )
                        .is_ok() =>
                {
                    parsed += 1
                }
                Err(e) => {
                    let kind = kind_of(&stmt);
                    assert!(
                        SQLPARSER_UNSUPPORTED.contains(&kind.as_str()),
                        "{}: sqlparser rejects a `{kind}` statement not listed as unsupported: {e}\n{stmt}",
                        path.display()
                    );
                    unsupported.insert(kind);
                }
            }
        }
    }
    assert!(parsed > 100, "only {parsed} statements parsed");
    let listed: std::collections::BTreeSet<String> = SQLPARSER_UNSUPPORTED
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(
        unsupported, listed,
        "the list of unsupported kinds is out of date"
    );
}

/// `stmt` without the column list after `ON DELETE SET NULL`.
fn set_null_without_columns(stmt: &str) -> String {
    let (head, tail) = stmt
        .split_once("ON DELETE SET NULL (")
        .expect("a column list");
    let (_, rest) = tail.split_once(')').expect("a closing parenthesis");
    format!("{head}ON DELETE SET NULL{rest}")
}

fn kind_of(stmt: &str) -> String {
    let upper = stmt.to_ascii_uppercase();
    let words: Vec<&str> = upper.split_whitespace().collect();
    match words.as_slice() {
        ["DO", ..] => "DO".into(),
        [a, b, ..] => format!("{a} {b}"),
        _ => upper,
    }
}
