//! A contract and the expand it needs in one deploy: refused in both
//! layouts, unless the migration says why it may ship together.

use super::*;

/// Writes `notes/migrations/<file>` into the scratch workspace.
fn migration(s: &Scratch, file: &str, text: &str) {
    fs::write(s.root.join("schemas/notes/migrations").join(file), text).expect("write");
}

/// Declares `notes.y text not null` and the migration `add_y` that gets it
/// there: expand, backfill, and a contract that needs the expand live.
fn add_y(s: &Scratch) {
    let notes = s.root.join("schemas/notes/notes.sluice");
    let decl = fs::read_to_string(&notes).expect("notes.sluice");
    fs::write(
        &notes,
        decl.replacen("table notes {\n", "table notes {\n  y text not null\n", 1),
    )
    .expect("write");
    migration(
        s,
        "0097_add_y.sluice",
        "migration add_y {\n  after rename_body\n  expand { add column notes.y text }\n  backfill notes.y = 'y' where y is null\n  contract { set not null notes.y }\n}\n",
    );
}

/// `release add_y`, with whatever follows it on the line.
fn release_y(s: &Scratch, rest: &str) {
    migration(
        s,
        "0098_release_y.sluice",
        &format!("migration release_y {{\n  after add_y\n  release add_y{rest}\n}}\n"),
    );
}

fn has_y_contract(s: &Scratch) -> bool {
    s.tree().keys().any(|k| k.ends_with("_add_y_contract.sql"))
}

#[test]
fn a_contract_cannot_ship_in_the_deploy_that_brings_its_expand() {
    let s = Scratch::new("same-deploy");
    s.build();
    add_y(&s);
    release_y(&s, "");
    let before = s.tree();
    let (code, out) = run(&s, &["build", "schemas", "--out", "out"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("contract-in-same-deploy"), "{out}");
    assert_eq!(before, s.tree(), "a refused build writes nothing");

    // Released later: the expand ships first, the contract in a later build.
    fs::remove_file(
        s.root
            .join("schemas/notes/migrations/0098_release_y.sluice"),
    )
    .unwrap();
    let out = s.build();
    assert!(
        out.contains("notes: add_y"),
        "the contract is pending:\n{out}"
    );
    assert!(!has_y_contract(&s));
    release_y(&s, "");
    s.build();
    assert!(
        has_y_contract(&s),
        "the contract is appended once its expand is released"
    );
}

/// The same rule in the Drizzle 1.x layout: the released folders are the
/// deployed ones.
#[test]
fn a_contract_cannot_ship_in_the_deploy_that_brings_its_expand_in_the_1x_layout() {
    let s = Scratch::new("same-deploy-1x");
    fs::write(s.root.join("package.json"), crate::drizzle_v1::PACKAGE_JSON).expect("write");
    s.build();
    add_y(&s);
    release_y(&s, "");
    let before = s.tree();
    let (code, out) = run(&s, &["build", "schemas", "--out", "out"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("contract-in-same-deploy"), "{out}");
    assert_eq!(before, s.tree(), "a refused build writes nothing");
    fs::remove_file(
        s.root
            .join("schemas/notes/migrations/0098_release_y.sluice"),
    )
    .unwrap();
    s.build();
    release_y(&s, "");
    s.build();
    assert!(
        s.tree()
            .keys()
            .any(|k| k.ends_with("_add_y_contract/migration.sql")),
        "the contract folder is appended once its expand is released"
    );
}

#[test]
fn together_with_a_reason_lets_a_contract_ship_with_its_expand() {
    let s = Scratch::new("together");
    s.build();
    add_y(&s);
    release_y(&s, " together \"no app version reads notes.y yet\"");
    let (code, out) = run(&s, &["build", "schemas", "--out", "out"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(has_y_contract(&s));
}
