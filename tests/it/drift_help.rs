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
    let steps: Vec<String> = c
        .diagnostics
        .items
        .iter()
        .filter(|d| d.code == Code::SchemaDrift)
        .map(|d| {
            let help = d.help.as_deref().unwrap_or("");
            let step = help
                .strip_prefix("add `")
                .and_then(|rest| rest.strip_suffix("` to a new migration"))
                .unwrap_or_else(|| panic!("the help names no step: {help}"));
            step.to_string()
        })
        .collect();
    assert_eq!(steps.len(), 5, "{steps:?}");
    f.files.insert(
        "notes/migrations/0002_fix.sluice".to_string(),
        format!(
            "migration fix {{\n  after initial\n  expand {{\n    {}\n  }}\n}}\n",
            steps.join("\n    ")
        ),
    );
    let fixed = fixture::compile(&f);
    assert!(
        !fixed.diagnostics.has_errors(),
        "{}",
        fixture::render(&fixed)
    );
}
