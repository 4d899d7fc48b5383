//! `sluice lint` as a process: exit codes, `--changed-since`, formats.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::cli::{sluice, stdout};
use crate::scratch::ScratchDir;

/// A statement every rule accepts (after the timeout preamble).
pub const GOOD: &str = "SET lock_timeout = '2s';\nSET statement_timeout = '60s';\n\
                        CREATE INDEX CONCURRENTLY IF NOT EXISTS notes_tags_idx ON notes USING gin (tags);\n";
/// `index-without-concurrently`, an error, on line 3 column 8.
pub const BAD: &str = "SET lock_timeout = '2s';\nSET statement_timeout = '60s';\n\
                       CREATE INDEX IF NOT EXISTS notes_tags_idx ON notes USING gin (tags);\n";
/// `adding-json-column`, a warning only.
const WARNS: &str = "SET lock_timeout = '2s';\nSET statement_timeout = '60s';\n\
                     CREATE TABLE IF NOT EXISTS events (id bigint PRIMARY KEY, payload json);\n";

/// A fresh, empty folder for one test, removed when it passes.
pub fn temp_dir(tag: &str) -> ScratchDir {
    ScratchDir::new(&format!("lint-{tag}"))
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&p, text).expect("write");
    p
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn codes(o: &Output) -> Vec<(String, String, u64, u64)> {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)));
    v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["file"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn lint_exits_0_when_clean_and_says_how_many_files() {
    let dir = temp_dir("clean");
    write(&dir, "0001_good.sql", GOOD);
    let o = sluice(&["lint", s(&dir)]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(
        stdout(&o).lines().last(),
        Some("linted 1 file: 0 errors, 0 warnings")
    );
}

#[test]
fn lint_exits_1_on_an_error_at_its_place() {
    let dir = temp_dir("error");
    let bad = write(&dir, "0001_bad.sql", BAD);
    let o = sluice(&["lint", "--format", "json", s(&bad)]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert_eq!(
        codes(&o),
        vec![(
            "index-without-concurrently".to_string(),
            s(&bad).to_string(),
            3,
            8
        )]
    );
}

#[test]
fn warnings_alone_exit_0_unless_denied() {
    let dir = temp_dir("warn");
    write(&dir, "0001_warn.sql", WARNS);
    let o = sluice(&["lint", s(&dir)]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).ends_with("linted 1 file: 0 errors, 1 warning\n"));
    let o = sluice(&["lint", "--deny-warnings", s(&dir)]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
}

#[test]
fn usage_and_io_problems_exit_2() {
    let missing = sluice(&["lint", "/nonexistent/sluice/migrations"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no such file or folder"));
    // No path at all, an unknown flag value, an unknown rule.
    assert_eq!(sluice(&["lint"]).status.code(), Some(2));
    let dir = temp_dir("usage");
    write(&dir, "a.sql", GOOD);
    assert_eq!(
        sluice(&["lint", "--format", "yaml", s(&dir)]).status.code(),
        Some(2)
    );
    let typo = sluice(&["lint", "--rule", "dropping-tabel", s(&dir)]);
    assert_eq!(typo.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&typo.stderr).contains("did you mean `dropping-table`?"));
    assert_eq!(
        sluice(&["lint", "--pg-version", "fifteen", s(&dir)])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn rule_flags_choose_what_is_reported() {
    let dir = temp_dir("rules");
    write(&dir, "0001_bad.sql", BAD);
    write(&dir, "0002_warn.sql", WARNS);
    let only = sluice(&[
        "lint",
        "--format",
        "json",
        "--rule",
        "adding-json-column",
        s(&dir),
    ]);
    assert_eq!(only.status.code(), Some(0));
    let found: Vec<String> = codes(&only).into_iter().map(|c| c.0).collect();
    assert_eq!(found, vec!["adding-json-column"]);
    let skip = sluice(&[
        "lint",
        "--format",
        "json",
        "--exclude-rule",
        "index-without-concurrently,adding-json-column",
        s(&dir),
    ]);
    assert_eq!(skip.status.code(), Some(0), "{}", stdout(&skip));
    assert_eq!(codes(&skip), vec![]);
}

#[test]
fn a_config_file_sets_levels_and_excludes() {
    let dir = temp_dir("config");
    write(&dir, "migrations/0001_bad.sql", BAD);
    write(&dir, "legacy/0001_bad.sql", BAD);
    let config = write(
        &dir,
        "lint.sluice",
        "lint {\n  index-without-concurrently = warning\n  exclude \"**/legacy/**\"\n}\n",
    );
    let o = sluice(&["lint", "--format", "json", "--config", s(&config), s(&dir)]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["summary"]["warnings"], 1, "{v}");
    assert_eq!(v["summary"]["errors"], 0, "{v}");
    let found = codes(&o);
    assert!(found[0].1.ends_with("migrations/0001_bad.sql"), "{found:?}");
}

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
        .output()
        .expect("git runs");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A git repository with one commit holding `files`.
pub fn repo_with(tag: &str, files: &[(&str, &str)]) -> ScratchDir {
    let dir = temp_dir(tag);
    git(&dir, &["init", "-q", "-b", "main"]);
    for (name, text) in files {
        write(&dir, name, text);
    }
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", "start"]);
    dir
}

#[test]
fn changed_since_lints_modified_and_untracked_files_only() {
    let dir = repo_with(
        "changed",
        &[
            ("db/0001_unchanged.sql", BAD),
            ("db/0002_modified.sql", GOOD),
        ],
    );
    write(&dir, "db/0002_modified.sql", BAD);
    write(&dir, "db/0003_untracked.sql", BAD);
    let lint = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_sluice"))
            .args(["lint", "--format", "json"])
            .args(args)
            .current_dir(&dir)
            .output()
            .expect("sluice runs")
    };
    let o = lint(&["--changed-since", "HEAD", "db"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let files: Vec<String> = codes(&o).into_iter().map(|c| c.1).collect();
    assert_eq!(files, vec!["db/0002_modified.sql", "db/0003_untracked.sql"]);

    // Without the flag every file is linted; with nothing changed, none is.
    assert_eq!(codes(&lint(&["db"])).len(), 3);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", "more"]);
    let o = lint(&["--changed-since", "HEAD", "db"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(codes(&o), vec![]);

    // A revision git does not know is a usage error.
    assert_eq!(
        lint(&["--changed-since", "no-such-rev", "db"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn a_changed_since_revision_that_looks_like_an_option_is_refused_and_writes_nothing() {
    let dir = repo_with("changed-option", &[("db/0001_good.sql", GOOD)]);
    let target = dir.join("injected.txt");
    let o = Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args([
            "lint",
            &format!("--changed-since=--output={}", s(&target)),
            "db",
        ])
        .current_dir(&dir)
        .output()
        .expect("sluice runs");
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(!target.exists(), "git was handed the revision as an option");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("not a git revision"), "{err}");
}

/// The SARIF 2.1.0 schema, vendored: `tests/sarif/sarif-schema-2.1.0.json`
/// is byte for byte the `src/schema.json` that the `serde-sarif` 0.8.0 crate
/// ships (and generates its types from), itself OASIS's
/// `Schemata/sarif-schema-2.1.0.json` from `oasis-tcs/sarif-spec`.
fn sarif_validator() -> jsonschema::Validator {
    let text =
        std::fs::read_to_string("tests/sarif/sarif-schema-2.1.0.json").expect("vendored schema");
    // The schema's `run.language` pattern has a known stray `]` that is not
    // a valid `regex`, so the schema itself fails its meta-schema. Validate
    // with the evident intent (a language tag such as `en` or `en-US`);
    // sluice does not write `language` at all.
    let broken = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert!(text.contains(broken), "the vendored schema changed");
    let text = text.replace(broken, r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#);
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

/// Valid against the schema, with rules that carry help text and results
/// that carry regions; returns the log.
fn assert_valid_sarif(o: &Output) -> serde_json::Value {
    let log: serde_json::Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)));
    let v = sarif_validator();
    let errors: Vec<String> = v
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    for r in rules {
        let help = r["help"]["text"].as_str().unwrap_or("");
        assert!(help.contains("Fix:"), "rule without help text: {r}");
    }
    let results = run["results"].as_array().expect("results");
    assert!(!results.is_empty(), "the report has results");
    for r in results {
        let idx = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            rules[idx]["id"], r["ruleId"],
            "ruleIndex points at the rule"
        );
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().is_some(), "no region: {r}");
        assert!(region["startColumn"].as_u64().is_some(), "no region: {r}");
    }
    log
}

#[test]
fn sarif_of_lint_is_valid_sarif_2_1_0() {
    let dir = temp_dir("sarif");
    write(&dir, "0001_bad.sql", BAD);
    write(&dir, "0002 warn.sql", WARNS);
    let o = sluice(&["lint", "--format", "sarif", s(&dir)]);
    assert_eq!(o.status.code(), Some(1));
    let log = assert_valid_sarif(&o);
    let results = log["runs"][0]["results"].as_array().expect("results");
    let first = &results[0];
    assert_eq!(first["ruleId"], "index-without-concurrently");
    assert_eq!(first["level"], "error");
    let region = &first["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(3), Some(8))
    );
    let uri = results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap_or("");
    assert!(uri.ends_with("/0002%20warn.sql"), "{uri}");
    // The validator is not vacuous: a level SARIF does not define fails.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!sarif_validator().is_valid(&broken));
}

#[test]
fn sarif_of_check_is_valid_sarif_2_1_0() {
    let dir = temp_dir("sarif-check");
    write(
        &dir,
        "workspace.sluice",
        "workspace w {\n  postgres 16\n}\n",
    );
    write(
        &dir,
        "notes/notes.sluice",
        "project notes {\n  schema public\n}\n\ntable notes {\n  global\n  title txt\n  id uuid primary key\n}\n",
    );
    let o = sluice(&["check", "--format", "sarif", s(&dir)]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let log = assert_valid_sarif(&o);
    assert_eq!(log["runs"][0]["results"][0]["ruleId"], "unknown-type");
    // A clean workspace is a valid log with no results.
    let clean = sluice(&["check", "--format", "sarif", "schemas"]);
    assert_eq!(clean.status.code(), Some(0));
    let log: serde_json::Value = serde_json::from_slice(&clean.stdout).expect("json");
    assert!(sarif_validator().is_valid(&log));
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn every_lint_rule_is_explained_in_four_parts() {
    let listed = stdout(&sluice(&["explain"]));
    for rule in sluice::lint::RULES {
        let text = rule.code.explain();
        for part in ["Problem:", "Why it matters:", "Fix:", "Example:"] {
            assert!(
                text.contains(part),
                "`sluice explain {}` lacks `{part}`",
                rule.code
            );
        }
        assert!(
            listed.lines().any(|l| l.starts_with(rule.code.as_str())),
            "`sluice explain` does not list `{}`",
            rule.code
        );
    }
}
