//! `sluice plan` renames a table declared `table NEW was OLD { … }`: the
//! planned migration holds exactly the rename, `check` is clean afterwards
//! (and says the hint can go), nothing is left to plan, and `build` writes
//! the rename's expand phase.

use std::path::Path;

use crate::cli::{all, copy_of_schemas, sluice, stdout};
use crate::plan_tail::built_after_plan;

fn edit(ws: &Path, file: &str, from: &str, to: &str) {
    let path = ws.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} lacks `{from}`");
    std::fs::write(&path, text.replace(from, to)).expect("write");
}

/// The bundled workspace with `notes.tags` declared as `labels`.
fn tags_renamed(tag: &str, hint: bool) -> crate::scratch::ScratchDir {
    let ws = copy_of_schemas(tag);
    let head = if hint {
        "table labels was tags {"
    } else {
        "table labels {"
    };
    edit(&ws, "notes/notes.sluice", "table tags {", head);
    edit(&ws, "notes/notes.sluice", "-> tags.id", "-> labels.id");
    ws
}

#[test]
fn plan_renames_a_table_with_the_hint_and_check_says_the_hint_can_go() {
    let ws = tags_renamed("plan-rename-table", true);
    let ws_arg = ws.to_str().expect("utf-8 path");
    let o = sluice(&[
        "plan",
        ws_arg,
        "--project",
        "notes",
        "--name",
        "rename_tags",
    ]);
    assert_eq!(o.status.code(), Some(0), "plan failed:\n{}", all(&o));
    let path = ws.join("notes/migrations/0004_rename_tags.sluice");
    let text = std::fs::read_to_string(&path).expect("plan wrote 0004_rename_tags.sluice");
    let steps: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .collect();
    assert_eq!(
        steps,
        [
            "migration rename_tags {",
            "expand {",
            "rename table tags to labels",
            "}",
            "}"
        ],
        "{text}"
    );
    insta::assert_snapshot!("planned", text);

    let o = sluice(&["check", ws_arg]);
    assert_eq!(o.status.code(), Some(0), "check after plan:\n{}", all(&o));
    let out = all(&o).replace(ws_arg, "<ws>");
    assert!(out.contains("rename-hint-done"), "{out}");
    insta::assert_snapshot!("check_after_plan", out);

    let o = sluice(&["plan", ws_arg, "--project", "notes", "--dry-run"]);
    assert_eq!(o.status.code(), Some(0), "{}", all(&o));
    assert!(stdout(&o).contains("nothing to plan"), "{}", all(&o));

    let o = built_after_plan(ws_arg);
    let expand = ws.join("../drizzle/notes/0003_rename_tags_expand.sql");
    let sql = std::fs::read_to_string(&expand)
        .unwrap_or_else(|e| panic!("{}: {e}\n{}", expand.display(), all(&o)));
    insta::assert_snapshot!("expand_sql", sql);
    let ts = std::fs::read_to_string(ws.join("../app/db/notes.ts")).expect("schema.ts");
    assert!(
        ts.contains("pgTable(\"labels\""),
        "schema.ts keeps the old name"
    );
    assert!(
        !ts.contains("pgTable(\"tags\""),
        "schema.ts keeps the old name"
    );
}

#[test]
fn plan_without_the_hint_suggests_it_for_a_table_that_may_have_been_renamed() {
    let ws = tags_renamed("plan-rename-table-no-hint", false);
    let ws_arg = ws.to_str().expect("utf-8 path");
    let o = sluice(&["plan", ws_arg, "--project", "notes"]);
    assert_eq!(o.status.code(), Some(1), "{}", all(&o));
    let out = all(&o).replace(ws_arg, "<ws>");
    assert!(out.contains("table labels was tags {"), "{out}");
    insta::assert_snapshot!(out);
}
