//! The built binary: exit codes, formats, `explain`.

use std::path::Path;
use std::process::{Command, Output};

use crate::scratch::ScratchDir;

pub fn sluice(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the sluice binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A command's stdout then its stderr, for an assertion's message.
pub fn all(o: &Output) -> String {
    format!("{}{}", stdout(o), String::from_utf8_lossy(&o.stderr))
}

/// Replace `from` (which must be there) in a file of the workspace `ws`.
pub fn edit(ws: &Path, file: &str, from: &str, to: &str) {
    let path = ws.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} lacks `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

/// A fresh copy of the bundled workspace as `schemas/` in a scratch folder;
/// the guard points at that copy and removes the whole folder on drop.
pub fn copy_of_schemas(tag: &str) -> ScratchDir {
    let target = ScratchDir::new(&format!("cli-{tag}")).at("schemas");
    for entry in walkdir::WalkDir::new("schemas") {
        let entry = entry.expect("walk");
        let rel = entry
            .path()
            .strip_prefix("schemas")
            .expect("inside schemas");
        let to = target.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &to).expect("copy");
        }
    }
    target
}

#[test]
fn check_on_the_bundled_workspace_succeeds_with_a_summary() {
    let o = sluice(&["check", "schemas"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    let last = out.lines().last().unwrap_or("");
    assert!(last.starts_with("checked 5 projects, "), "{last}");
    assert!(last.ends_with(": 0 errors, 0 warnings"), "{last}");
}

#[test]
fn a_missing_workspace_folder_exits_2() {
    let o = sluice(&["check", "/nonexistent/sluice/workspace"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("workspace folder not found"));
}

#[test]
fn a_usage_error_exits_2() {
    assert_eq!(
        sluice(&["check", "--format", "yaml"]).status.code(),
        Some(2)
    );
    assert_eq!(sluice(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn help_and_version_work() {
    let o = sluice(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("check"));
    let o = sluice(&["--version"]);
    assert!(stdout(&o).starts_with("sluice "));
}

#[test]
fn explain_lists_every_code_and_explains_each() {
    let o = sluice(&["explain"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0));
    for code in sluice::diagnostic::Code::ALL {
        assert!(
            out.contains(code.as_str()),
            "`{code}` missing from the list"
        );
        let one = sluice(&["explain", code.as_str()]);
        assert_eq!(one.status.code(), Some(0), "{code}");
        assert!(
            stdout(&one).contains("Fix:"),
            "`sluice explain {code}` has no fix"
        );
    }
}

#[test]
fn explain_of_an_unknown_code_suggests_and_exits_2() {
    let o = sluice(&["explain", "unknown-colum"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `unknown-column`?"));
}

fn broken_workspace() -> ScratchDir {
    let dir = ScratchDir::new("cli-broken");
    std::fs::create_dir_all(dir.join("notes")).expect("mkdir");
    std::fs::write(
        dir.join("workspace.sluice"),
        "workspace w {\n  postgres 16\n}\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("notes/notes.sluice"),
        "project notes {\n  schema public\n}\n\ntable notes {\n  global\n  title txt\n  body text\n  index (titel)\n  id uuid primary key\n}\n",
    )
    .expect("write");
    dir
}

#[test]
fn json_output_is_one_object_in_the_documented_shape() {
    let ws = broken_workspace();
    let o = sluice(&["check", ws.to_str().expect("utf-8"), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON value");
    let diags = v["diagnostics"].as_array().expect("diagnostics array");
    assert_eq!(diags.len(), 2, "{v}");
    for d in diags {
        for key in [
            "code",
            "severity",
            "message",
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "help",
        ] {
            assert!(d.get(key).is_some(), "missing `{key}` in {d}");
        }
    }
    assert_eq!(diags[0]["code"], "unknown-type");
    assert_eq!(
        diags[0]["file"],
        format!(
            "{}/notes/notes.sluice",
            ws.file_name().and_then(|n| n.to_str()).unwrap_or("")
        )
    );
    assert_eq!(
        (diags[0]["line"].as_u64(), diags[0]["column"].as_u64()),
        (Some(7), Some(9))
    );
    assert_eq!(diags[1]["code"], "unknown-column");
    assert_eq!(
        (diags[1]["line"].as_u64(), diags[1]["column"].as_u64()),
        (Some(9), Some(10))
    );
    assert_eq!(v["summary"]["errors"], 2);
    assert_eq!(v["summary"]["warnings"], 0);
}

#[test]
fn github_output_is_one_workflow_command_per_diagnostic() {
    let ws = broken_workspace();
    let o = sluice(&["check", ws.to_str().expect("utf-8"), "--format", "github"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with("::error file="), "{}", lines[0]);
    assert!(lines[0].contains(",line=7,col=9,"), "{}", lines[0]);
    assert!(lines[0].contains("title=unknown-type::"), "{}", lines[0]);
}

/// Where `needle` starts in `file`, as 1-based line and column.
pub fn position_of(file: &Path, needle: &str) -> (u64, u64) {
    let text = std::fs::read_to_string(file).expect("read");
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in {}", file.display()));
    let line = text[..at].matches('\n').count() as u64 + 1;
    let col = text[..at].rsplit('\n').next().unwrap_or("").chars().count() as u64 + 1;
    (line, col)
}

/// Apply `edit` to a copy of `schemas/notes/notes.sluice`, run `check
/// --format json`, and return the diagnostics with the edited file.
fn check_mutated(tag: &str, edit: impl Fn(&str) -> String) -> (ScratchDir, Vec<serde_json::Value>) {
    let ws = copy_of_schemas(tag);
    let file = ws.join("notes/notes.sluice");
    let text = std::fs::read_to_string(&file).expect("read");
    let edited = edit(&text);
    assert_ne!(edited, text, "the mutation changed nothing");
    std::fs::write(&file, edited).expect("write");
    let o = sluice(&["check", ws.to_str().expect("utf-8"), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let diags = v["diagnostics"].as_array().expect("array").clone();
    (ws.at("schemas/notes/notes.sluice"), diags)
}

/// The one diagnostic with `code`, checked to sit at `(line, column)` of
/// `schemas/notes/notes.sluice` with a help line.
fn assert_at(diags: &[serde_json::Value], code: &str, at: (u64, u64)) -> serde_json::Value {
    let found: Vec<&serde_json::Value> = diags.iter().filter(|d| d["code"] == code).collect();
    assert_eq!(found.len(), 1, "expected one `{code}` in {diags:#?}");
    let d = found[0];
    assert_eq!(d["file"], "schemas/notes/notes.sluice", "{d}");
    assert_eq!(
        (
            d["line"].as_u64().unwrap_or(0),
            d["column"].as_u64().unwrap_or(0)
        ),
        at,
        "{d}"
    );
    assert!(
        d["help"].as_str().is_some_and(|h| !h.is_empty()),
        "no help: {d}"
    );
    d.clone()
}

#[test]
fn a_syntax_error_is_reported_where_the_unclosed_block_opens() {
    let (file, diags) = check_mutated("syntax", |t| {
        let at = t.find("table notebooks {").expect("notebooks");
        let close = at + t[at..].find("\n}\n").expect("end of notebooks");
        format!("{}{}", &t[..close + 1], &t[close + 3..])
    });
    assert_at(&diags, "syntax-error", {
        let (l, c) = position_of(&file, "table notebooks {");
        (l, c + "table notebooks ".len() as u64)
    });
}

#[test]
fn a_foreign_key_to_a_missing_table_suggests_the_near_name() {
    let (file, diags) = check_mutated("fk", |t| t.replacen("-> notebooks.id", "-> notebook.id", 1));
    let (l, c) = position_of(&file, "-> notebook.id");
    let d = assert_at(&diags, "unknown-table", (l, c + 3));
    assert!(
        d["help"].as_str().unwrap_or("").contains("`notebooks`"),
        "{d}"
    );
}

#[test]
fn a_misspelled_index_column_suggests_the_near_name() {
    let (file, diags) = check_mutated("index", |t| {
        t.replacen(
            "index (org_id, notebook_id)",
            "index (org_id, notebok_id)",
            1,
        )
    });
    let d = assert_at(&diags, "unknown-column", position_of(&file, "notebok_id"));
    assert!(
        d["help"].as_str().unwrap_or("").contains("`notebook_id`"),
        "{d}"
    );
}

#[test]
fn a_broken_check_fragment_is_reported_inside_the_fragment() {
    let (file, diags) = check_mutated("sql", |t| {
        t.replacen(
            "check (length(title) <= 200)",
            "check (length(title) <= )",
            1,
        )
    });
    let (l, c) = position_of(&file, "<= )");
    assert_at(&diags, "sql-syntax-error", (l, c + 3));
}

#[test]
fn a_duplicate_table_points_at_the_second_definition() {
    let (file, diags) = check_mutated("dup", |t| format!("{t}\ntable tags {{\n  global\n}}\n"));
    let text = std::fs::read_to_string(&file).expect("read");
    let second = text.rfind("table tags").expect("second");
    let line = text[..second].matches('\n').count() as u64 + 1;
    assert_at(&diags, "duplicate-definition", (line, 7));
}

#[test]
fn a_declared_column_changed_without_a_migration_is_schema_drift() {
    let (file, diags) = check_mutated("drift", |t| {
        t.replacen(
            "pinned      boolean not null default false",
            "pinned      boolean not null default true",
            1,
        )
    });
    let d = assert_at(
        &diags,
        "schema-drift",
        position_of(&file, "pinned      boolean"),
    );
    assert!(
        d["help"]
            .as_str()
            .unwrap_or("")
            .contains("set default notes.pinned"),
        "{d}"
    );
}

#[test]
fn build_names_the_contract_phases_still_waiting_for_a_release() {
    let out = ScratchDir::new("cli-pending");
    let o = sluice(&["build", "schemas", "--out", out.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{stdout}");
    assert!(
        stdout.contains("pending contract phases")
            && stdout.contains("notes: note_summary")
            && stdout.contains("notes: rename_body"),
        "{stdout}"
    );
    assert!(
        !out.join("notes").read_dir().unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with("_contract.sql")),
        "no contract is written before it is released"
    );
}
