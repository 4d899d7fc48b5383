//! `sluice plan` for comments and classifications on a copy of the bundled
//! workspace: a `classify` or `comment` changed on a table or column that a
//! released migration created is `schema-drift`; plan writes the
//! `classify` / `declassify` / `comment on` / `drop comment on` step; `check`
//! is clean after it, nothing is left to plan, and `build` emits a new
//! expand phase (the comment, and the column grants a `pii`/`phi` tag
//! decides) while the files of the first migration stay byte for byte.

use std::path::Path;

use crate::cli::{all, copy_of_schemas, edit, sluice};
use crate::plan_tail::{built_after_plan, clean_after_plan, nothing_left_to_plan};

/// Every file `build` wrote for `project`, by path, as bytes.
fn files(ws: &Path, project: &str) -> std::collections::BTreeMap<String, Vec<u8>> {
    let root = ws.join("../drizzle").join(project);
    walkdir::WalkDir::new(&root)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(&root).expect("inside");
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

/// Build, edit with `change`, check reports drift saying `what`, plan
/// `project` as `name`, check is clean, nothing is left to plan, build.
/// The files of the first build must be unchanged (its lock and journal
/// aside, which list the new phase); returns the planned migration and the
/// new phase's journal file and rollback, for a snapshot.
fn plan_build(tag: &str, project: &str, change: impl Fn(&Path), what: &str, name: &str) -> String {
    let ws = copy_of_schemas(tag);
    let ws_arg = ws.to_str().expect("utf-8 path");
    let o = sluice(&["build", ws_arg]);
    assert_eq!(o.status.code(), Some(0), "first build:\n{}", all(&o));
    let before = files(&ws, project);
    change(&ws);
    let o = sluice(&["check", ws_arg]);
    assert_eq!(o.status.code(), Some(1), "no drift:\n{}", all(&o));
    assert!(
        all(&o).contains("schema-drift") && all(&o).contains(what),
        "{}",
        all(&o)
    );
    let o = sluice(&["plan", ws_arg, "--project", project, "--name", name]);
    assert_eq!(o.status.code(), Some(0), "plan failed:\n{}", all(&o));
    let dir = ws.join(project).join("migrations");
    let mut planned: Vec<_> = std::fs::read_dir(&dir)
        .expect("migrations")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().ends_with(&format!("_{name}.sluice")))
        .collect();
    assert_eq!(planned.len(), 1, "plan wrote {planned:?}");
    let text = std::fs::read_to_string(planned.remove(0)).expect("read");
    clean_after_plan(ws_arg, &text);
    nothing_left_to_plan(ws_arg);
    built_after_plan(ws_arg);
    let after = files(&ws, project);
    for (path, bytes) in &before {
        if path.starts_with("meta/") {
            continue;
        }
        assert!(after.get(path) == Some(bytes), "{path} changed");
    }
    let new: Vec<&String> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    let mut out = format!("===== planned\n{text}");
    for path in new.iter().filter(|p| !p.starts_with("meta/")) {
        let body = String::from_utf8_lossy(&after[*path]);
        out.push_str(&format!("===== {path}\n{body}\n"));
    }
    out
}

#[test]
fn a_column_classified_pii_later_is_withheld_from_roles_that_do_not_read_pii() {
    let text = plan_build(
        "plan-classify",
        "core",
        |ws| {
            edit(
                ws,
                "core/identity.sluice",
                "  avatar_url    text\n",
                "  avatar_url    text classify pii\n",
            )
        },
        "column `users.avatar_url` is declared `classify pii` but the migration history leaves it",
        "classify_avatar_url",
    );
    assert!(
        text.contains("classify column users.avatar_url pii"),
        "{text}"
    );
    assert!(
        text.contains(r#"REVOKE SELECT ON TABLE "core"."users" FROM "readonly_user";"#),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn a_phi_column_declassified_later_is_granted_back() {
    let text = plan_build(
        "plan-declassify",
        "hr",
        |ws| {
            edit(
                ws,
                "hr/hr.sluice",
                "medical_note text classify phi comment",
                "medical_note text comment",
            )
        },
        "column `leave_requests.medical_note` is declared unclassified",
        "declassify_medical_note",
    );
    assert!(
        text.contains("declassify column leave_requests.medical_note"),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn a_changed_and_a_dropped_comment_are_set_and_restored_by_the_rollback() {
    let text = plan_build(
        "plan-comment",
        "notes",
        |ws| {
            edit(
                ws,
                "notes/notes.sluice",
                "comment \"hex colour shown in the sidebar\"",
                "comment \"hex colour of the notebook's dot in the sidebar\"",
            );
            edit(
                ws,
                "notes/notes.sluice",
                "  comment \"The org's tag vocabulary.\"\n",
                "",
            );
        },
        "with the comment",
        "comments",
    );
    assert!(text.contains("drop comment on table tags"), "{text}");
    insta::assert_snapshot!(text);
}
