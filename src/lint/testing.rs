//! Test helpers for the rules: lint a snippet after the timeout preamble
//! and compare findings by rule and 1-based line and column of the snippet.

use super::{lint_sql, LintContext};
use crate::diagnostic::Code;
use crate::source::{FileKind, SourceFile};

/// Set before every snippet, so only the rule under test fires.
pub const PREAMBLE: &str = "SET lock_timeout = '2s';\nSET statement_timeout = '60s';\n";

/// The context of a Drizzle journal file on PostgreSQL 15.
pub fn cx() -> LintContext {
    LintContext {
        in_transaction: true,
        runtime_roles: vec!["service_rw".into()],
        ..LintContext::default()
    }
}

/// A context for autocommit files (psql without `--single-transaction`).
pub fn autocommit() -> LintContext {
    LintContext {
        in_transaction: false,
        ..cx()
    }
}

/// Findings of `sql` linted as the file after `setup` in one session (so
/// the catalog knows `setup`'s tables, columns and indexes).
pub fn findings_after(setup: &str, sql: &str) -> Vec<(Code, usize, usize)> {
    let mut session = super::Session::new(cx());
    session.lint(setup);
    let text = format!("{PREAMBLE}{sql}");
    let file = SourceFile::new("t.sql", text.clone(), FileKind::Ignored);
    let skip = PREAMBLE.lines().count();
    session
        .lint(&text)
        .into_iter()
        .map(|f| {
            let (l, c) = file.line_col(f.at.start);
            (f.code, l.saturating_sub(skip), c)
        })
        .collect()
}

#[track_caller]
pub fn assert_clean_after(setup: &str, sql: &str) {
    assert_eq!(findings_after(setup, sql), vec![], "{sql}");
}

/// `(rule, line, column)` of every finding, positions in the snippet.
pub fn findings_with(cx: &LintContext, sql: &str) -> Vec<(Code, usize, usize)> {
    let text = format!("{PREAMBLE}{sql}");
    let file = SourceFile::new("t.sql", text.clone(), FileKind::Ignored);
    let skip = PREAMBLE.lines().count();
    lint_sql(&text, cx)
        .into_iter()
        .map(|f| {
            let (l, c) = file.line_col(f.at.start);
            (f.code, l.saturating_sub(skip), c)
        })
        .collect()
}

/// The snippet breaks exactly `code`, once, at `line:column`.
#[track_caller]
pub fn assert_flags_with(cx: &LintContext, sql: &str, code: Code, line: usize, column: usize) {
    assert_eq!(findings_with(cx, sql), vec![(code, line, column)], "{sql}");
}

#[track_caller]
pub fn assert_flags(sql: &str, code: Code, line: usize, column: usize) {
    assert_flags_with(&cx(), sql, code, line, column);
}

/// The snippet breaks no rule at all.
#[track_caller]
pub fn assert_clean_with(cx: &LintContext, sql: &str) {
    assert_eq!(findings_with(cx, sql), vec![], "{sql}");
}

#[track_caller]
pub fn assert_clean(sql: &str) {
    assert_clean_with(&cx(), sql);
}

/// `(rule, line, column)` of every finding of `sql` as it stands, without
/// the preamble (for the rules about the preamble itself).
pub fn findings_bare(cx: &LintContext, sql: &str) -> Vec<(Code, usize, usize)> {
    let file = SourceFile::new("t.sql", sql.to_string(), FileKind::Ignored);
    lint_sql(sql, cx)
        .into_iter()
        .map(|f| {
            let (l, c) = file.line_col(f.at.start);
            (f.code, l, c)
        })
        .collect()
}
