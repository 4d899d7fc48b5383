//! `sluice import` on databases sluice did not write: the migration
//! histories of three open-source projects (two Prisma, one Drizzle), committed
//! under `tests/fixtures/import/` with their source. Each is applied,
//! imported into a fresh workspace that checks without errors or drift,
//! rebuilt from scratch (its declarations, then the objects the import kept
//! as raw SQL) on a new database, and the two catalogs are compared.

use std::path::Path;

use crate::import_roundtrip::{assert_imported_clean, from_scratch, import_outcome};
use crate::pg::Cluster;
use crate::pg_emit::apply;

/// Returns the objects kept as raw SQL, as `kind name`.
fn round_trip(fixture: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(fixture);
    let history = std::fs::read_to_string(&path).expect("the fixture");
    let pg = Cluster::start();
    let db = pg.create_db();
    apply(&pg, &db, fixture, &history);
    let (ws, took, outcome) = import_outcome(&pg, &db, "postgres", "app", "public");
    assert_imported_clean(&ws, "app");
    let (_, rebuilt) = from_scratch(&ws);
    let again = pg.create_db();
    apply(&pg, &again, &format!("{fixture} rebuilt"), &rebuilt["app"]);
    for k in &outcome.kept {
        apply(&pg, &again, &format!("{fixture} kept {}", k.kind), &k.sql);
    }
    let (before, after) = (pg.catalog_dump(&db), pg.catalog_dump(&again));
    let diff = similar::TextDiff::from_lines(&before, &after)
        .unified_diff()
        .context_radius(2)
        .to_string();
    eprintln!(
        "{fixture}: {} tables imported in {took:?}, {} objects kept as raw SQL",
        outcome.tables,
        outcome.kept.len()
    );
    assert!(
        before == after,
        "{fixture}: the rebuilt catalog differs:\n{diff}"
    );
    outcome
        .kept
        .iter()
        .map(|k| format!("{} {}", k.kind, k.name))
        .collect()
}

#[test]
fn the_umami_prisma_history_imports_and_rebuilds_the_same_catalog() {
    assert_eq!(round_trip("umami.sql"), Vec::<String>::new());
}

#[test]
fn the_saas_boilerplate_drizzle_history_imports_and_rebuilds_the_same_catalog() {
    assert_eq!(round_trip("saas_boilerplate.sql"), Vec::<String>::new());
}

#[test]
fn the_hoppscotch_prisma_history_with_capitalised_enums_imports_and_rebuilds_the_same_catalog() {
    assert_eq!(
        round_trip("hoppscotch.sql"),
        [
            "deferrable constraint TeamCollection_teamID_parentID_orderIndex_key on TeamCollection",
            "deferrable constraint TeamRequest_teamID_collectionID_orderIndex_key on TeamRequest",
            "deferrable constraint UserRequest_userUid_collectionID_orderIndex_key on UserRequest",
            "deferrable constraint UserCollection_userUid_parentID_orderIndex_key on UserCollection",
            "trigger trigger_sync_mock_examples_team_request on TeamRequest",
            "trigger trigger_sync_mock_examples_user_request on UserRequest",
        ]
    );
}

#[test]
fn columns_named_like_table_items_are_written_quoted_and_rebuild_the_same_catalog() {
    assert_eq!(
        round_trip("columns_named_like_table_items_are_written_quoted.sql"),
        Vec::<String>::new()
    );
}

#[test]
fn partitions_by_range_and_list_are_kept_as_raw_sql_and_rebuild_the_same_catalog() {
    let kept =
        round_trip("tables_partitioned_by_range_and_list_keep_their_partitions_as_raw_sql.sql");
    assert_eq!(
        kept,
        [
            "partition measurements_2025 of measurements",
            "partition measurements_2026 of measurements",
            "partition measurements_rest of measurements",
            "partition orders_eu of orders",
            "partition orders_us of orders",
        ]
    );
}

#[test]
fn default_privileges_no_grant_implies_are_kept_and_an_update_policy_keeps_no_check() {
    let kept = round_trip("default_privileges_no_role_grant_implies_are_kept_as_raw_sql.sql");
    assert_eq!(
        kept,
        [
            "default privileges on sequences for postgres to loader in the schema",
            "default privileges on tables for postgres to loader everywhere",
            "default privileges on tables for postgres to reporting in the schema",
        ]
    );
}

#[test]
fn a_trigger_a_rule_and_a_function_the_dsl_cannot_declare_are_kept_as_raw_sql() {
    let kept = round_trip("a_trigger_and_a_rule_sluice_did_not_write_are_kept_as_raw_sql.sql");
    assert_eq!(
        kept,
        [
            "function greeting",
            "identity documents.id generated always",
            "trigger documents_search on documents",
            "rule audit_no_delete on audit"
        ]
    );
}

#[test]
fn each_object_kept_as_raw_sql_is_a_warning_at_its_line_of_the_baseline() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "tests/fixtures/import/a_trigger_and_a_rule_sluice_did_not_write_are_kept_as_raw_sql.sql",
    );
    let pg = Cluster::start();
    let db = pg.create_db();
    apply(&pg, &db, "kept", &std::fs::read_to_string(path).unwrap());
    let ws = pg.dir().join("kept-workspace");
    let url = pg.conninfo(&db, "postgres");
    let out = crate::cli::sluice(&[
        "import",
        "--database",
        &url,
        "--project",
        "docs",
        "--format",
        "json",
        ws.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "warnings only:\n{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON report");
    let kept: Vec<(String, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "import-kept-raw-sql")
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(kept.len(), 4, "{stdout}");
    let baseline =
        std::fs::read_to_string(ws.join("docs/migrations/0000_baseline.sluice")).unwrap();
    for (file, line) in &kept {
        assert!(
            file.ends_with("docs/migrations/0000_baseline.sluice"),
            "{file}"
        );
        let text = baseline.lines().nth(*line as usize - 1).unwrap();
        assert!(
            text.trim_start().starts_with("// kept: "),
            "line {line}: {text}"
        );
    }
}
