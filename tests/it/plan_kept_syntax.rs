//! `sluice plan` keeps the workspace's syntax trees and parses only the
//! files it plans when it checks them with the rest. What it plans and
//! reports must be what planning from the sources alone gives: for plans
//! that pass, in two projects at once, and for one the check refuses.

use std::path::Path;

use sluice::author::{Options, Outcome};
use sluice::diagnostic::Code;

use crate::cli::{copy_of_schemas, edit};

/// The plan from kept syntax trees, and the plan from the sources alone.
fn planned_both_ways(ws: &Path, opts: &Options) -> (Outcome, Outcome) {
    let phases = |_: &sluice::ir::Project| true;
    let (c, parsed) = sluice::compile_where_keeping(ws, &phases).expect("loads");
    let kept = sluice::author::plan_with(&c, Some(parsed), opts);
    let c = sluice::compile_where(ws, &phases).expect("loads");
    let fresh = sluice::author::plan(&c, opts);
    (kept, fresh)
}

fn files(o: &Outcome) -> Vec<(String, String)> {
    o.files
        .iter()
        .map(|f| (f.display.clone(), f.text.clone()))
        .collect()
}

#[test]
fn plans_from_kept_syntax_trees_match_plans_from_the_sources() {
    let ws = copy_of_schemas("plan-kept-syntax");
    edit(
        &ws,
        "notes/notes.sluice",
        "  sort_order  integer not null default 0\n",
        "  sort_order  integer not null default 0\n  icon        text\n",
    );
    edit(
        &ws,
        "attendance/attendance.sluice",
        "enum clock_event { check_in, check_out, break_start, break_end }",
        "enum clock_event { check_in, check_out, break_start, break_end, lunch }",
    );
    let (kept, fresh) = planned_both_ways(&ws, &Options::default());
    assert!(!kept.diagnostics.has_errors(), "{:?}", kept.diagnostics);
    assert_eq!(kept.files.len(), 2, "{:?}", files(&kept));
    assert_eq!(files(&kept), files(&fresh));
    assert_eq!(
        format!("{:?}", kept.diagnostics),
        format!("{:?}", fresh.diagnostics)
    );
}

#[test]
fn a_planned_file_the_check_refuses_is_reported_alike_from_kept_syntax_trees() {
    let ws = copy_of_schemas("plan-kept-syntax-refused");
    edit(
        &ws,
        "notes/notes.sluice",
        "  sort_order  integer not null default 0\n",
        "  sort_order  integer not null default 0\n  icon        text\n",
    );
    // A name the history already has: the planned file defines it again.
    let opts = Options {
        project: Some("notes".into()),
        name: Some("initial".into()),
    };
    let (kept, fresh) = planned_both_ways(&ws, &opts);
    let codes: Vec<Code> = kept.diagnostics.items.iter().map(|d| d.code).collect();
    assert!(codes.contains(&Code::PlanUnsupportedChange), "{codes:?}");
    assert!(codes.contains(&Code::DuplicateDefinition), "{codes:?}");
    // The duplicate points into the planned file, which the kept trees
    // gained by parsing it alone.
    let dup = kept
        .diagnostics
        .items
        .iter()
        .find(|d| d.code == Code::DuplicateDefinition)
        .and_then(|d| d.span)
        .expect("the duplicate has a place");
    assert!(
        kept.sources
            .get(dup.file)
            .name
            .ends_with("notes/migrations/0004_initial.sluice"),
        "{}",
        kept.sources.get(dup.file).name
    );
    assert_eq!(
        format!("{:?}", kept.diagnostics),
        format!("{:?}", fresh.diagnostics)
    );
}
