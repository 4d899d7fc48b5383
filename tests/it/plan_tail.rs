//! The steps every plan test ends with, on a workspace folder `ws` (as a
//! command-line argument) after `sluice plan` wrote a migration: `check`
//! is clean, nothing is left to plan, `build` succeeds.

use std::process::Output;

use crate::cli::{all, sluice};

/// `sluice check` is clean; `text`, the planned migration, is shown if not.
pub fn clean_after_plan(ws: &str, text: &str) {
    let o = sluice(&["check", ws]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "check after plan:\n{}\n{text}",
        all(&o)
    );
}

/// `sluice plan --dry-run` finds nothing more to plan.
pub fn nothing_left_to_plan(ws: &str) {
    let o = sluice(&["plan", ws, "--dry-run"]);
    assert!(
        all(&o).contains("nothing to plan"),
        "left to plan:\n{}",
        all(&o)
    );
}

/// `sluice build` succeeds; its output.
pub fn built_after_plan(ws: &str) -> Output {
    let o = sluice(&["build", ws]);
    assert_eq!(o.status.code(), Some(0), "build after plan:\n{}", all(&o));
    o
}
