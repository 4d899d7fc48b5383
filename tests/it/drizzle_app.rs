//! The showcase's typed queries: `schemas/workspace.sluice` sets
//! `schema_ts`, so building the bundled workspace writes `app/db/<project>.ts`
//! beside the hand-written `app/queries.ts`, which selects from and inserts
//! into the notes tables with every column type. TypeScript (pinned in
//! `tests/drizzle`) compiles it, and refuses it once a column name in it is
//! wrong.

use std::fs;

use crate::drizzle::{node, node_dir, report, Scratch};

/// A copy of `schemas/` and `app/queries.ts`, built (without `--out`, so the
/// configured `schema_ts` paths are used), with a tsconfig for the app.
fn app() -> Scratch {
    let s = Scratch::new("app");
    let o = s.sluice(&["build", "schemas"]);
    assert_eq!(o.status.code(), Some(0), "build failed:\n{}", report(&o));
    assert!(
        s.root.join("app/db/notes.ts").is_file(),
        "the showcase writes app/db/notes.ts"
    );
    fs::copy("app/queries.ts", s.root.join("app/queries.ts")).expect("copy app/queries.ts");
    std::os::unix::fs::symlink(node_dir().join("node_modules"), s.root.join("node_modules"))
        .expect("symlink node_modules");
    let config = serde_json::json!({
        "compilerOptions": {
            "strict": true,
            "noEmit": true,
            "target": "es2022",
            "module": "esnext",
            "moduleResolution": "bundler",
            "skipLibCheck": true,
            "types": [],
        },
        "files": ["app/queries.ts"],
    });
    fs::write(s.root.join("tsconfig.json"), config.to_string()).expect("tsconfig");
    s
}

fn tsc(s: &Scratch) -> std::process::Output {
    let tsc = node_dir().join("node_modules/typescript/bin/tsc");
    node(
        &s.root,
        &[
            tsc.to_str().expect("UTF-8"),
            "--noEmit",
            "-p",
            "tsconfig.json",
        ],
    )
}

#[test]
fn the_showcase_queries_compile_against_the_generated_schema() {
    let s = app();
    let o = tsc(&s);
    assert!(o.status.success(), "tsc failed:\n{}", report(&o));
}

#[test]
fn the_showcase_queries_do_not_compile_with_a_wrong_column_name() {
    let s = app();
    let file = s.root.join("app/queries.ts");
    let text = fs::read_to_string(&file).expect("read");
    assert!(
        text.contains("checksumSha256:"),
        "the insert names the column"
    );
    fs::write(&file, text.replace("checksumSha256:", "checksum:")).expect("write");
    let o = tsc(&s);
    let out = report(&o);
    assert!(!o.status.success(), "tsc accepted a wrong column:\n{out}");
    assert!(
        out.contains("app/queries.ts") && out.contains("'checksum'"),
        "tsc failed for another reason:\n{out}"
    );
}
