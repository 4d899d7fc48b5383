//! The steps `schema-drift` help writes are the fix: adding each one to a
//! new migration of the fixture leaves no drift.

use std::path::Path;

use sluice::diagnostic::Code;

use crate::fixture;

#[test]
fn following_every_drift_help_removes_the_drift() {
    let path = Path::new(
        "tests/fixtures/errors/drift_help_writes_the_whole_step_for_each_missing_index_unique_and_check.sluice",
    );
    let mut f = fixture::read(path);
    let c = fixture::compile(&f);
    // Each help is `add `STEP` to a new migration` (an expand step) or
    // `… add `STEP` to a new migration's contract`.
    let mut expand = Vec::new();
    let mut contract = Vec::new();
    for d in c
        .diagnostics
        .items
        .iter()
        .filter(|d| d.code == Code::SchemaDrift)
    {
        let help = d.help.as_deref().unwrap_or("");
        let (_, rest) = help
            .split_once("add `")
            .unwrap_or_else(|| panic!("the help names no step: {help}"));
        if let Some(step) = rest.strip_suffix("` to a new migration's contract") {
            contract.push(step.to_string());
        } else if let Some(step) = rest.strip_suffix("` to a new migration") {
            expand.push(step.to_string());
        } else {
            panic!("the help names no step: {help}");
        }
    }
    assert_eq!(expand.len(), 5, "{expand:?}");
    f.files.insert(
        "notes/migrations/0002_fix.sluice".to_string(),
        format!(
            "migration fix {{\n  after initial\n  expand {{\n    {}\n  }}\n  contract {{\n    {}\n  }}\n}}\n",
            expand.join("\n    "),
            contract.join("\n    ")
        ),
    );
    let fixed = fixture::compile(&f);
    assert!(
        !fixed.diagnostics.has_errors(),
        "{}",
        fixture::render(&fixed)
    );
}
