//! `sluice plan` on a copy of the bundled workspace: after editing a
//! declaration, plan writes the migration, `check` is clean without a hand
//! edit, and `build` writes the new expand phase. The planned text is
//! snapshotted.

use std::path::{Path, PathBuf};

use crate::cli::{all, copy_of_schemas, edit, sluice, stdout};
use crate::plan_tail::{built_after_plan, clean_after_plan};

fn migrations(ws: &Path, project: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(ws.join(project).join("migrations"))
        .map(|d| {
            d.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Plan `name` for notes, then check and build: returns the planned text.
fn plan_check_build(ws: &Path, name: &str) -> String {
    let before = migrations(ws, "notes");
    let ws_arg = ws.to_str().expect("utf-8 path");
    let o = sluice(&["plan", ws_arg, "--project", "notes", "--name", name]);
    assert_eq!(o.status.code(), Some(0), "plan failed:\n{}", all(&o));
    let after = migrations(ws, "notes");
    let new: Vec<&String> = after.iter().filter(|f| !before.contains(f)).collect();
    assert_eq!(new.len(), 1, "plan wrote {new:?}");
    assert_eq!(*new[0], format!("{:04}_{name}.sluice", before.len() + 1));
    for old in &before {
        let orig = PathBuf::from("schemas/notes/migrations").join(old);
        if orig.exists() {
            assert_eq!(
                std::fs::read(orig).expect("read"),
                std::fs::read(ws.join("notes/migrations").join(old)).expect("read"),
                "plan edited {old}"
            );
        }
    }
    let text = std::fs::read_to_string(ws.join("notes/migrations").join(new[0])).expect("read");
    clean_after_plan(ws_arg, &text);
    let o = built_after_plan(ws_arg);
    let out = stdout(&o);
    assert!(
        out.lines()
            .any(|l| l.starts_with("wrote ") && l.ends_with(&format!("_{name}_expand.sql"))),
        "build wrote no expand phase for {name}:\n{out}"
    );
    text
}

#[test]
fn plan_adds_a_nullable_column() {
    let ws = copy_of_schemas("plan-add-icon");
    edit(&ws, "notes/notes.sluice", "  sort_order  integer not null default 0\n", "  sort_order  integer not null default 0\n  icon        text comment \"emoji shown before the title\"\n");
    insta::assert_snapshot!(plan_check_build(&ws, "add_icon"));
}

#[test]
fn plan_adds_a_required_column_with_a_default() {
    let ws = copy_of_schemas("plan-add-required");
    edit(
        &ws,
        "notes/notes.sluice",
        "  sort_order  integer not null default 0\n",
        "  sort_order  integer not null default 0\n  starred     boolean not null default false\n",
    );
    insta::assert_snapshot!(plan_check_build(&ws, "add_starred"));
}

#[test]
fn plan_adds_an_index_to_an_existing_table() {
    let ws = copy_of_schemas("plan-add-index");
    edit(&ws, "notes/notes.sluice", "  index (org_id, user_id) where (deleted_at is null)\n\n  policy select owner or role(admin, editor, viewer)\n  policy insert owner\n  policy update owner or role(admin, editor)\n  policy delete owner or role(admin)\n}\n\ntable notes", "  index (org_id, user_id) where (deleted_at is null)\n  index (org_id, sort_order)\n\n  policy select owner or role(admin, editor, viewer)\n  policy insert owner\n  policy update owner or role(admin, editor)\n  policy delete owner or role(admin)\n}\n\ntable notes");
    insta::assert_snapshot!(plan_check_build(&ws, "index_sort_order"));
}

#[test]
fn plan_renames_a_column_with_the_hint_then_check_says_the_hint_can_go() {
    let ws = copy_of_schemas("plan-rename");
    edit(
        &ws,
        "notes/notes.sluice",
        "  description text\n",
        "  summary text was description\n",
    );
    let text = plan_check_build(&ws, "rename_description");
    assert!(
        text.contains("rename column notebooks.description to summary"),
        "{text}"
    );
    let o = sluice(&["check", ws.to_str().expect("utf-8")]);
    assert!(all(&o).contains("rename-hint-done"), "{}", all(&o));
    insta::assert_snapshot!(text);
}

#[test]
fn plan_drops_a_column_in_the_contract_only() {
    let ws = copy_of_schemas("plan-drop");
    edit(&ws, "notes/notes.sluice", "  description text\n", "");
    let text = plan_check_build(&ws, "drop_description");
    let (expand, contract) = text.split_once("contract {").expect("a contract block");
    assert!(!expand.contains("drop column"), "{text}");
    assert!(
        contract.contains("drop column notebooks.description"),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn plan_changes_a_column_type() {
    let ws = copy_of_schemas("plan-type");
    edit(
        &ws,
        "notes/notes.sluice",
        "  sort_order  integer not null default 0\n",
        "  sort_order  bigint not null default 0\n",
    );
    insta::assert_snapshot!(plan_check_build(&ws, "widen_sort_order"));
}

#[test]
fn plan_writes_the_initial_migration_of_a_new_project() {
    let ws = copy_of_schemas("plan-initial");
    let dir = ws.join("wiki");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(
        dir.join("wiki.sluice"),
        "project wiki {\n  app \"wiki\"\n  app_roles from setting app.current_app_role\n}\n\nenum page_state { draft, published }\n\ntable pages {\n  tenant\n  space_id uuid not null -> spaces.id on delete cascade\n  title    text not null\n  state    page_state not null default 'draft'\n  policy all role(admin, editor)\n}\n\ntable spaces {\n  tenant\n  name text not null\n  policy all role(admin)\n}\n",
    )
    .expect("write");
    let ws_arg = ws.to_str().expect("utf-8");
    let o = sluice(&["plan", ws_arg, "--project", "wiki"]);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    let text =
        std::fs::read_to_string(dir.join("migrations/0001_initial.sluice")).expect("0001 written");
    assert!(
        text.find("create table spaces") < text.find("create table pages"),
        "{text}"
    );
    let o = sluice(&["check", ws_arg]);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    insta::assert_snapshot!(text);
}

#[test]
fn plan_refuses_a_required_column_without_a_default_and_writes_nothing() {
    let ws = copy_of_schemas("plan-needs-backfill");
    edit(
        &ws,
        "notes/notes.sluice",
        "  sort_order  integer not null default 0\n",
        "  sort_order  integer not null default 0\n  rank        integer not null\n",
    );
    let o = sluice(&["plan", ws.to_str().expect("utf-8"), "--project", "notes"]);
    assert_eq!(o.status.code(), Some(1), "{}", all(&o));
    assert!(all(&o).contains("plan-needs-backfill"), "{}", all(&o));
    assert_eq!(migrations(&ws, "notes").len(), 3);
}

#[test]
fn plan_refuses_a_possible_rename_without_the_hint() {
    let ws = copy_of_schemas("plan-possible-rename");
    edit(
        &ws,
        "notes/notes.sluice",
        "  description text\n",
        "  summary text\n",
    );
    let o = sluice(&["plan", ws.to_str().expect("utf-8"), "--project", "notes"]);
    assert_eq!(o.status.code(), Some(1), "{}", all(&o));
    let text = all(&o);
    assert!(text.contains("plan-possible-rename"), "{text}");
    assert!(text.contains("summary text was description"), "{text}");
    assert_eq!(migrations(&ws, "notes").len(), 3);
}

#[test]
fn plan_dry_run_prints_and_writes_nothing() {
    let ws = copy_of_schemas("plan-dry-run");
    edit(
        &ws,
        "notes/notes.sluice",
        "  description text\n",
        "  description text\n  icon text\n",
    );
    let o = sluice(&["plan", ws.to_str().expect("utf-8"), "--dry-run"]);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    assert!(
        stdout(&o).contains("add column notebooks.icon text"),
        "{}",
        all(&o)
    );
    assert_eq!(migrations(&ws, "notes").len(), 3);
}

#[test]
fn plan_on_the_bundled_workspace_has_nothing_to_do() {
    let o = sluice(&["plan", "schemas", "--dry-run"]);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    assert!(stdout(&o).contains("nothing to plan"), "{}", all(&o));
}

#[test]
fn plan_refuses_a_table_that_may_have_been_renamed() {
    let ws = copy_of_schemas("plan-table-rename");
    edit(&ws, "notes/notes.sluice", "table tags {", "table labels {");
    edit(
        &ws,
        "notes/notes.sluice",
        "tag_id  uuid not null -> tags.id",
        "tag_id  uuid not null -> labels.id",
    );
    let o = sluice(&["plan", ws.to_str().expect("utf-8"), "--project", "notes"]);
    assert_eq!(o.status.code(), Some(1), "{}", all(&o));
    assert!(all(&o).contains("plan-possible-rename"), "{}", all(&o));
    assert_eq!(migrations(&ws, "notes").len(), 3);
}

#[test]
fn plan_adds_enum_values_online_and_refuses_to_remove_one() {
    let ws = copy_of_schemas("plan-enum-values");
    let ws_arg = ws.to_str().expect("utf-8");
    edit(
        &ws,
        "attendance/attendance.sluice",
        "enum clock_event { check_in, check_out, break_start, break_end }",
        "enum clock_event { check_in, check_out, break_start, break_end, lunch }",
    );
    // Drift first: the history's enum lacks the declared value.
    let o = sluice(&["check", ws_arg]);
    assert_eq!(o.status.code(), Some(1), "{}", all(&o));
    assert!(
        all(&o).contains("the migration history gives enum `clock_event`"),
        "{}",
        all(&o)
    );
    let o = sluice(&["plan", ws_arg, "--project", "attendance", "--dry-run"]);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    assert!(
        stdout(&o).contains("add value \"lunch\" to clock_event after \"break_end\""),
        "{}",
        all(&o)
    );
    edit(
        &ws,
        "attendance/attendance.sluice",
        "break_start, break_end, lunch }",
        "break_start }",
    );
    let before = migrations(&ws, "attendance").len();
    let o = sluice(&["plan", ws_arg, "--project", "attendance"]);
    assert_eq!(o.status.code(), Some(1), "{}", all(&o));
    assert!(all(&o).contains("plan-unsupported-change"), "{}", all(&o));
    assert!(
        all(&o).contains("cannot remove or reorder the values of enum `clock_event`"),
        "{}",
        all(&o)
    );
    assert_eq!(migrations(&ws, "attendance").len(), before);
}
