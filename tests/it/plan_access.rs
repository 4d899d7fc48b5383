//! `sluice plan` for extensions and role grants on a copy of the bundled
//! workspace: a declared extension or grant no migration carries is
//! `schema-drift`; plan writes `create extension` / `grant` in the expand
//! and `drop extension` / `revoke` in the contract; `check` is clean after
//! it, nothing is left to plan, and `build` emits exactly those statements
//! in the new migration while the released first migration stays as it was.

use std::path::Path;

use crate::cli::{all, copy_of_schemas, edit, sluice};
use crate::plan_tail::{built_after_plan, clean_after_plan, nothing_left_to_plan};

/// The SQL statements of an emitted file, comments and session settings
/// left out.
fn statements(ws: &Path, rel: &str) -> Vec<String> {
    let path = ws.join("../drizzle/notes").join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    text.lines()
        .filter(|l| {
            !l.is_empty()
                && !l.starts_with("--")
                && !l.starts_with("SET ")
                && !matches!(*l, "BEGIN;" | "COMMIT;")
        })
        .map(str::to_string)
        .collect()
}

/// `check` reports drift naming `what`; plan notes as `name` writes
/// `0004_name.sluice`; then check is clean, plan finds nothing more, and
/// build succeeds. Returns the planned text.
fn plan_notes(ws: &Path, what: &str, name: &str) -> String {
    let ws_arg = ws.to_str().expect("utf-8 path");
    let o = sluice(&["check", ws_arg]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "no drift before plan:\n{}",
        all(&o)
    );
    assert!(
        all(&o).contains("schema-drift") && all(&o).contains(what),
        "{}",
        all(&o)
    );
    let o = sluice(&["plan", ws_arg, "--project", "notes", "--name", name]);
    assert_eq!(o.status.code(), Some(0), "plan failed:\n{}", all(&o));
    let text = std::fs::read_to_string(ws.join(format!("notes/migrations/0004_{name}.sluice")))
        .expect("plan wrote the migration");
    clean_after_plan(ws_arg, &text);
    nothing_left_to_plan(ws_arg);
    built_after_plan(ws_arg);
    text
}

/// Release `name`'s contract from a new migration and build again.
fn release(ws: &Path, name: &str) {
    std::fs::write(
        ws.join("notes/migrations/0005_release.sluice"),
        format!("migration release_{name} {{\n  release {name}\n}}\n"),
    )
    .expect("write");
    let o = sluice(&["build", ws.to_str().expect("utf-8")]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "build with the release:\n{}",
        all(&o)
    );
}

#[test]
fn plan_creates_a_new_extension_in_the_expand() {
    let ws = copy_of_schemas("plan-extension");
    let initial = sluice(&["build", ws.to_str().expect("utf-8")]);
    assert_eq!(initial.status.code(), Some(0), "{}", all(&initial));
    let before = statements(&ws, "0000_initial.sql");
    edit(
        &ws,
        "notes/notes.sluice",
        "project notes {",
        "extension pg_trgm\n\nproject notes {",
    );
    let text = plan_notes(&ws, "extension `pg_trgm` is declared", "add_trgm");
    assert_eq!(
        statements(&ws, "0003_add_trgm_expand.sql"),
        [r#"CREATE EXTENSION IF NOT EXISTS "pg_trgm" SCHEMA "public";"#]
    );
    assert_eq!(
        statements(&ws, "rollback/0003_add_trgm_expand.sql"),
        [r#"DROP EXTENSION IF EXISTS "pg_trgm";"#]
    );
    assert_eq!(
        before,
        statements(&ws, "0000_initial.sql"),
        "the first migration changed"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn plan_drops_an_extension_no_longer_declared_in_the_contract() {
    let ws = copy_of_schemas("plan-drop-extension");
    std::fs::write(
        ws.join("notes/migrations/0004_trgm.sluice"),
        "migration trgm {\n  create extension pg_trgm\n}\n",
    )
    .expect("write");
    let ws_arg = ws.to_str().expect("utf-8");
    let o = sluice(&["check", ws_arg]);
    assert!(
        all(&o).contains("creates extension `pg_trgm`, which is not declared"),
        "{}",
        all(&o)
    );
    let o = sluice(&["plan", ws_arg, "--project", "notes", "--name", "drop_trgm"]);
    assert_eq!(o.status.code(), Some(0), "plan failed:\n{}", all(&o));
    let text = std::fs::read_to_string(ws.join("notes/migrations/0005_drop_trgm.sluice"))
        .expect("plan wrote the migration");
    clean_after_plan(ws_arg, &text);
    assert!(
        text.contains("contract {\n    // an extension is dropped"),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn plan_grants_a_new_grant_on_a_table_in_the_expand() {
    let ws = copy_of_schemas("plan-grant");
    let initial = sluice(&["build", ws.to_str().expect("utf-8")]);
    assert_eq!(initial.status.code(), Some(0), "{}", all(&initial));
    let before = statements(&ws, "0000_initial.sql");
    edit(
        &ws,
        "workspace.sluice",
        "  grant select on tables\n}",
        "  grant select on tables\n  grant delete on table notes\n}",
    );
    let text = plan_notes(
        &ws,
        "role `readonly_user` is declared with `delete`",
        "readonly_deletes",
    );
    assert_eq!(
        statements(&ws, "0003_readonly_deletes_expand.sql"),
        [r#"GRANT DELETE ON TABLE "public"."notes" TO "readonly_user";"#]
    );
    assert_eq!(
        statements(&ws, "rollback/0003_readonly_deletes_expand.sql"),
        [r#"REVOKE DELETE ON TABLE "public"."notes" FROM "readonly_user";"#]
    );
    assert_eq!(
        before,
        statements(&ws, "0000_initial.sql"),
        "the first migration changed"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn plan_revokes_a_grant_no_role_declares_in_the_contract() {
    let ws = copy_of_schemas("plan-revoke");
    edit(
        &ws,
        "notes/migrations/0001_initial.sluice",
        "  grant select on tables to readonly_user\n",
        "  grant select on tables to readonly_user\n  grant delete on table notes to readonly_user\n",
    );
    let text = plan_notes(
        &ws,
        "grants `delete` on table notes to `readonly_user`",
        "readonly_stops_deleting",
    );
    assert!(text.contains("contract {\n    // a revoke waits"), "{text}");
    release(&ws, "readonly_stops_deleting");
    assert_eq!(
        statements(&ws, "0004_readonly_stops_deleting_contract.sql"),
        [r#"REVOKE DELETE ON TABLE "public"."notes" FROM "readonly_user";"#]
    );
    assert_eq!(
        statements(&ws, "rollback/0004_readonly_stops_deleting_contract.sql"),
        [r#"GRANT DELETE ON TABLE "public"."notes" TO "readonly_user";"#]
    );
    insta::assert_snapshot!(text);
}
