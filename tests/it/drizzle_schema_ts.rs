//! The `schema_ts` module `sluice build` writes per project, checked with the
//! real tools (pinned in `tests/drizzle/package.json`): TypeScript's `tsc
//! --noEmit` compiles it and a typed query file using every column, and
//! rejects a wrong column name; `drizzle-kit generate` run against it, on a
//! copy of the folder sluice wrote, finds nothing to migrate — the module and
//! sluice's last snapshot describe the same schema.

use std::fs;
use std::path::Path;

use sluice::drizzle::schema_ts::camel;
use sluice::ir::{Column, Project};

use crate::drizzle::{drizzle_kit, node, node_dir, report, text, Scratch, PROJECTS};

/// Where the showcase's `schema_ts` puts each project's module.
const SETTING: &str = "\"../app/db/{project}.ts\"";

/// The bundled projects and `kinds`, which uses every column type and
/// constraint form the generator maps (`tests/fixtures/schema_ts/`).
const ALL: [&str; 6] = ["analytics", "attendance", "core", "hr", "notes", "kinds"];

/// A copy of `schemas/` (which sets `schema_ts` workspace-wide) with the
/// `kinds` project added, built (without `--out`, so the configured paths are used).
fn built() -> Scratch {
    let s = Scratch::new("schema-ts");
    let ws = s.root.join("schemas/workspace.sluice");
    let text = fs::read_to_string(&ws).expect("workspace.sluice");
    assert!(text.contains(SETTING), "the showcase sets `{SETTING}`");
    fs::create_dir_all(s.root.join("schemas/kinds")).expect("mkdir");
    fs::copy(
        "tests/fixtures/schema_ts/kinds.sluice",
        s.root.join("schemas/kinds/kinds.sluice"),
    )
    .expect("copy kinds.sluice");
    let o = s.sluice(&["build", "schemas"]);
    assert_eq!(o.status.code(), Some(0), "build failed:\n{}", report(&o));
    s
}

fn project(p: &str, s: &Scratch) -> Project {
    let c = sluice::compile(&s.root.join("schemas")).expect("loads");
    c.workspace
        .projects
        .into_iter()
        .find(|x| x.name == p)
        .expect("the project")
}

/// The state the folder builds: that of the last journal entry.
fn last_state(p: &Project) -> &Project {
    p.phases.last().map_or(p, |ph| &ph.state)
}

/// A TypeScript value of the column's type.
fn value(p: &Project, c: &Column) -> String {
    let one = if let Some(e) = p.enums.iter().find(|e| e.name == c.ty.base) {
        format!("{:?}", e.values[0])
    } else {
        match c.ty.base.as_str() {
            "integer" | "int" | "int4" | "smallint" | "int2" | "bigint" | "int8" | "real"
            | "double precision" => "1".into(),
            "boolean" | "bool" => "true".into(),
            "numeric" | "decimal" => "\"1.5\"".into(),
            "timestamptz" | "timestamp" | "timestamp with time zone" => "new Date()".into(),
            "date" => "\"2024-01-31\"".into(),
            "time" => "\"08:30:00\"".into(),
            "jsonb" | "json" => "{ any: [\"shape\"] }".into(),
            "uuid" => "\"7a1c6f0e-4b8a-4c6e-9d52-0f6b1e0a2c11\"".into(),
            "inet" => "\"192.0.2.1\"".into(),
            "bytea" => "new Uint8Array([1])".into(),
            _ => "\"x\"".into(),
        }
    };
    let mut v = one;
    for _ in 0..c.ty.array_dims {
        v = format!("[{v}]");
    }
    v
}

/// Per table: select everything, select one column with a filter, insert
/// a row giving every column; per view: select everything.
fn query_file(p: &Project, wrong_column: bool) -> String {
    let mut out = format!(
        "import {{ eq }} from \"drizzle-orm\";\n\
         import type {{ PgDatabase, PgQueryResultHKT }} from \"drizzle-orm/pg-core\";\n\
         import * as s from \"./{}\";\n\n\
         declare const db: PgDatabase<PgQueryResultHKT>;\n\n\
         export async function queries() {{\n",
        p.name
    );
    let state = last_state(p);
    for t in &state.tables {
        let table = camel(&t.name);
        out.push_str(&format!("  await db.select().from(s.{table});\n"));
        let col = if wrong_column {
            "noSuchColumn".to_string()
        } else {
            camel(&t.columns[0].name)
        };
        out.push_str(&format!(
            "  await db.select({{ v: s.{table}.{col} }}).from(s.{table}).where(eq(s.{table}.id, \"x\"));\n"
        ));
        let values: Vec<String> = t
            .columns
            .iter()
            .filter(|c| c.generated.is_none())
            .map(|c| format!("{}: {}", camel(&c.name), value(state, c)))
            .collect();
        out.push_str(&format!(
            "  await db.insert(s.{table}).values({{ {} }});\n",
            values.join(", ")
        ));
    }
    for v in state.views.iter() {
        out.push_str(&format!(
            "  await db.select().from(s.{});\n",
            camel(&v.name)
        ));
    }
    out.push_str("}\n");
    out
}

/// `tsc --noEmit -p tsconfig.json` in the scratch folder.
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

/// The pinned packages, where the modules' imports resolve them from.
fn link_node_modules(s: &Scratch) {
    let link = s.root.join("node_modules");
    if !link.exists() {
        std::os::unix::fs::symlink(node_dir().join("node_modules"), &link).expect("symlink");
    }
}

fn tsconfig(s: &Scratch, files: &[String]) {
    link_node_modules(s);
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
        "files": files,
    });
    fs::write(s.root.join("tsconfig.json"), config.to_string()).expect("tsconfig");
}

#[test]
fn every_generated_schema_ts_and_a_query_using_every_column_compile_with_tsc() {
    let s = built();
    let mut files = Vec::new();
    for p in ALL {
        let module = s.root.join(format!("app/db/{p}.ts"));
        let text = fs::read_to_string(&module).expect("the module was written");
        assert!(
            text.starts_with("// Generated by sluice — do not edit.\n"),
            "{p}: the header"
        );
        let q = format!("app/db/{p}.query.ts");
        fs::write(s.root.join(&q), query_file(&project(p, &s), false)).expect("query file");
        files.push(format!("app/db/{p}.ts"));
        files.push(q);
    }
    tsconfig(&s, &files);
    let o = tsc(&s);
    assert!(o.status.success(), "tsc failed:\n{}", report(&o));
}

#[test]
fn a_query_naming_a_column_the_schema_lacks_does_not_compile() {
    let s = built();
    let q = "app/db/notes.wrong.ts".to_string();
    fs::write(s.root.join(&q), query_file(&project("notes", &s), true)).expect("query file");
    tsconfig(&s, &["app/db/notes.ts".into(), q]);
    let o = tsc(&s);
    let out = report(&o);
    assert!(!o.status.success(), "tsc accepted a wrong column:\n{out}");
    assert!(
        out.contains("TS2339") && out.contains("'noSuchColumn'"),
        "tsc failed for another reason:\n{out}"
    );
}

/// `drizzle-kit generate` with the module as its schema, on a copy of the
/// folder sluice wrote: nothing to migrate, no file added.
#[test]
fn drizzle_kit_generate_against_each_schema_ts_finds_no_changes() {
    let s = built();
    link_node_modules(&s);
    let mut failures = Vec::new();
    for p in ALL {
        let copy = s.root.join(format!("gen/{p}"));
        copy_dir(&s.root.join(format!("drizzle/{p}")), &copy);
        let before = crate::drizzle::tree(&copy);
        let config = s.root.join(format!("drizzle.generate.{p}.config.js"));
        fs::write(
            &config,
            format!(
                "module.exports = {{ dialect: \"postgresql\", schema: \"./app/db/{p}.ts\", out: \"./gen/{p}\" }};\n"
            ),
        )
        .expect("write the config");
        let o = drizzle_kit(
            &s.root,
            &["generate", "--config", config.to_str().expect("UTF-8")],
        );
        let out = report(&o);
        let after = crate::drizzle::tree(&copy);
        let added: Vec<String> = after
            .iter()
            .filter(|(k, _)| !before.contains_key(*k))
            .map(|(k, v)| format!("{k}:\n{}", text(v)))
            .collect();
        if !o.status.success() || !out.contains("No schema changes") || !added.is_empty() {
            failures.push(format!("{p}:\n{out}\n{}", added.join("\n")));
        }
    }
    assert!(
        failures.is_empty(),
        "drizzle-kit generate found differences:\n{}",
        failures.join("\n")
    );
}

#[test]
fn build_check_reports_a_changed_or_missing_schema_ts_as_stale() {
    let s = built();
    let o = s.sluice(&["build", "schemas", "--check"]);
    assert_eq!(o.status.code(), Some(0), "{}", report(&o));
    let module = s.root.join("app/db/notes.ts");
    fs::write(&module, "// edited\n").expect("edit");
    fs::remove_file(s.root.join("app/db/hr.ts")).expect("remove");
    let o = s.sluice(&["build", "schemas", "--check"]);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("stale: app/db/notes.ts"), "{out}");
    assert!(out.contains("stale: app/db/hr.ts"), "{out}");
    assert!(out.contains("2 files differ"), "{out}");
}

#[test]
fn a_rebuild_replaces_the_module_and_leaves_the_applications_files_beside_it() {
    let s = built();
    let own = s.root.join("app/db/client.ts");
    fs::write(&own, "export const mine = 1;\n").expect("an application file");
    fs::write(s.root.join("app/db/notes.ts"), "// edited\n").expect("edit");
    let o = s.sluice(&["build", "schemas"]);
    assert_eq!(o.status.code(), Some(0), "{}", report(&o));
    assert_eq!(
        fs::read_to_string(&own).expect("still there"),
        "export const mine = 1;\n"
    );
    let notes = fs::read_to_string(s.root.join("app/db/notes.ts")).expect("rewritten");
    assert!(
        notes.contains("export const notes = pgTable(\"notes\""),
        "{notes}"
    );
    let o = s.sluice(&["build", "schemas", "--check"]);
    assert_eq!(o.status.code(), Some(0), "{}", report(&o));
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("inside");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The module of every bundled project, as reviewed.
#[test]
fn the_generated_modules_are_snapshotted() {
    let s = built();
    for p in ALL {
        let text = fs::read_to_string(s.root.join(format!("app/db/{p}.ts"))).expect("module");
        insta::assert_snapshot!(format!("schema_ts_{p}"), text);
    }
}

/// A project's own `schema_ts` wins over the workspace's; `--out DIR` puts
/// every module at `DIR/<project>.ts`, beside the project's folder.
#[test]
fn a_project_setting_overrides_the_workspace_and_out_puts_modules_beside_the_folders() {
    let s = built();
    let notes = s.root.join("schemas/notes/notes.sluice");
    let text = fs::read_to_string(&notes).expect("notes.sluice");
    let text = text.replacen(
        "project notes {\n",
        "project notes {\n  schema_ts \"../web/src/db/schema.ts\"\n",
        1,
    );
    fs::write(&notes, text).expect("write notes.sluice");
    let o = s.sluice(&["build", "schemas"]);
    assert_eq!(o.status.code(), Some(0), "{}", report(&o));
    assert!(s.root.join("web/src/db/schema.ts").is_file());
    assert!(s.root.join("app/db/core.ts").is_file());

    let o = s.sluice(&["build", "schemas", "--out", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", report(&o));
    for p in PROJECTS {
        let module = fs::read_to_string(s.root.join(format!("out/{p}.ts"))).expect("module");
        assert!(
            module.contains(&format!("of project `{p}`")),
            "{p}: {module}"
        );
        assert!(s.root.join(format!("out/{p}/meta/_journal.json")).is_file());
    }
}
