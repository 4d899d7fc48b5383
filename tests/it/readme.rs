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
