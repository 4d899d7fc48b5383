//! The README stays true: every diagnostic code is documented there.

#[test]
fn readme_documents_every_code_with_its_default_severity() {
    let readme = std::fs::read_to_string("README.md").expect("README.md");
    for code in sluice::diagnostic::Code::ALL {
        let row = format!(
            "| `{}` | {} |",
            code.as_str(),
            code.default_severity().as_str()
        );
        assert!(readme.contains(&row), "README.md lacks the row `{row}`");
    }
}

#[test]
fn readme_lists_every_lint_rule_under_linting_sql() {
    let readme = std::fs::read_to_string("README.md").expect("README.md");
    let start = readme
        .find("## Linting SQL")
        .expect("README.md has a `Linting SQL` section");
    let section = &readme[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    for rule in sluice::lint::RULES {
        let row = format!(
            "| `{}` | {} |",
            rule.code.as_str(),
            rule.code.default_severity().as_str()
        );
        assert!(
            section.contains(&row),
            "`Linting SQL` lacks the row `{row}`"
        );
    }
    for needle in [
        "sluice-ignore-file",
        "--changed-since",
        "--config",
        "sarif",
        "pre-commit-config.yaml",
        "upload-sarif",
    ] {
        assert!(
            section.contains(needle),
            "`Linting SQL` does not mention `{needle}`"
        );
    }
}
