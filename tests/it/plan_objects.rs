//! `sluice plan` for views and functions on a copy of the bundled
//! workspace: a changed view or function is replaced in place, a new one
//! created, a dropped one dropped in the contract; `check` is clean after
//! the plan and `build` writes the phase. A function whose signature
//! changes is refused, and nothing is written.

use std::path::Path;

use crate::cli::{all, copy_of_schemas, edit, sluice, stdout};
use crate::plan_tail::{built_after_plan, clean_after_plan};

fn migration_files(ws: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(ws.join("hr/migrations"))
        .expect("hr/migrations")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Plan hr as `name`, then check and build: the planned text.
fn plan_check_build(ws: &Path, name: &str, phase: &str) -> String {
    let ws_arg = ws.to_str().expect("utf-8 path");
    let o = sluice(&["check", ws_arg]);
    assert_eq!(o.status.code(), Some(1), "drift before plan:\n{}", all(&o));
    let o = sluice(&["plan", ws_arg, "--project", "hr", "--name", name]);
    assert_eq!(o.status.code(), Some(0), "plan failed:\n{}", all(&o));
    let file = format!("0002_{name}.sluice");
    assert!(
        migration_files(ws).contains(&file),
        "{:?}",
        migration_files(ws)
    );
    let text = std::fs::read_to_string(ws.join("hr/migrations").join(&file)).expect("read");
    clean_after_plan(ws_arg, &text);
    let o = built_after_plan(ws_arg);
    let wrote = format!("_{name}_{phase}.sql");
    assert!(
        stdout(&o)
            .lines()
            .any(|l| l.starts_with("wrote ") && l.ends_with(&wrote)),
        "build wrote no {phase} phase for {name}:\n{}",
        stdout(&o)
    );
    text
}

#[test]
fn plan_replaces_a_changed_view_and_function_and_creates_a_new_view() {
    let ws = copy_of_schemas("plan-objects-replace");
    edit(
        &ws,
        "hr/hr.sluice",
        "from leave_requests where status = 'pending' and deleted_at is null",
        "from leave_requests where status in ('pending', 'escalated') and deleted_at is null",
    );
    edit(
        &ws,
        "hr/hr.sluice",
        "select coalesce(sum(entitled_days + carried_over_days - used_days), 0)",
        "select coalesce(sum(entitled_days + carried_over_days - used_days), 0::numeric)",
    );
    edit(
        &ws,
        "hr/hr.sluice",
        "view DepartmentHeadcount {",
        "view OpenLeaveRequests {\n  security invoker\n  as select id, org_id, employee_id from leave_requests where status = 'pending'\n}\n\nview DepartmentHeadcount {",
    );
    insta::assert_snapshot!(plan_check_build(&ws, "change_leave_objects", "expand"));
}

#[test]
fn plan_drops_a_view_in_the_contract_only() {
    let ws = copy_of_schemas("plan-objects-drop");
    let path = ws.join("hr/hr.sluice");
    let text = std::fs::read_to_string(&path).expect("read");
    let start = text.find("view PendingLeaveRequests {").expect("the view");
    let end = start + text[start..].find("}\n").expect("its end") + 2;
    std::fs::write(&path, format!("{}{}", &text[..start], &text[end..])).expect("write");
    let text = plan_check_build(&ws, "drop_pending_view", "expand");
    let (expand, contract) = text.split_once("contract {").expect("a contract block");
    assert!(!expand.contains("drop view"), "{text}");
    assert!(
        contract.contains("drop view PendingLeaveRequests"),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn plan_refuses_to_change_a_function_signature_and_writes_nothing() {
    let ws = copy_of_schemas("plan-objects-signature");
    edit(
        &ws,
        "hr/hr.sluice",
        "p_year integer) returns numeric {",
        "p_year integer) returns bigint {",
    );
    let ws_arg = ws.to_str().expect("utf-8 path");
    let o = sluice(&["plan", ws_arg, "--project", "hr"]);
    assert_eq!(o.status.code(), Some(1), "{}", all(&o));
    let out = all(&o);
    assert!(out.contains("plan-unsupported-change"), "{out}");
    assert!(
        out.contains(
            "cannot change the parameters or result type of function `RemainingLeaveDays`"
        ),
        "{out}"
    );
    assert_eq!(
        migration_files(&ws),
        vec!["0001_initial.sluice".to_string()]
    );
}
