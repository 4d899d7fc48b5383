//! `sluice plan` without `--name` names the migration after its changes:
//! several columns added to one table make `add_columns_to_TABLE`, and the
//! file `check`s clean under that name.

use crate::cli::{all, copy_of_schemas, sluice};

#[test]
fn plan_names_columns_added_to_one_table_after_the_table() {
    let ws = copy_of_schemas("plan-names");
    let path = ws.join("notes/notes.sluice");
    let text = std::fs::read_to_string(&path).expect("read");
    let from = "  sort_order  integer not null default 0\n";
    assert!(text.contains(from), "notes.sluice lacks `{from}`");
    let to = format!("{from}  icon        text\n  pinned      boolean not null default false\n");
    std::fs::write(&path, text.replacen(from, &to, 1)).expect("write");
    let ws_arg = ws.to_str().expect("utf-8 path");
    let o = sluice(&["plan", ws_arg, "--project", "notes"]);
    assert_eq!(o.status.code(), Some(0), "plan failed:\n{}", all(&o));
    let planned = ws.join("notes/migrations/0004_add_columns_to_notebooks.sluice");
    let text = std::fs::read_to_string(&planned).unwrap_or_else(|e| {
        panic!("{}: {e}\n{}", planned.display(), all(&o));
    });
    assert!(
        text.starts_with("migration add_columns_to_notebooks {")
            || text.contains("\nmigration add_columns_to_notebooks {"),
        "{text}"
    );
    let o = sluice(&["check", ws_arg]);
    assert_eq!(o.status.code(), Some(0), "check after plan:\n{}", all(&o));
}
