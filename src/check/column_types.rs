//! The column-type rules of `sluice lint` (`prefer-text`,
//! `prefer-timestamptz`, `prefer-identity`, `adding-json-column`,
//! `ban-char`, `prefer-bigint`) applied to the declared columns, with the
//! same type tests: `check` gives the verdicts that `lint` gives on the SQL
//! the workspace compiles to, at the line that declares the column.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Table, Workspace};
use crate::pg::types::{
    is_char, is_json, is_serial, is_small_int, is_timestamp_without_tz, varchar_limit,
};

pub fn columns_use_the_preferred_types(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    for t in &p.tables {
        for c in t.columns.iter() {
            let ty = c.ty.text.to_lowercase();
            let span = c.ty.span;
            let col = &c.name;
            let mut report = |code: Code, message: String, help: &str| {
                out.push(
                    Diagnostic::of(code, message)
                        .at(span)
                        .help(help.to_string()),
                );
            };
            if varchar_limit(&ty).is_some() {
                report(
                    Code::PreferText,
                    format!(
                        "`{}.{col}` is `{ty}`: changing its limit later takes an exclusive lock",
                        t.name
                    ),
                    "use `text` with `check (length(col) <= n)`",
                );
            }
            if is_timestamp_without_tz(&ty) {
                report(
                    Code::PreferTimestamptz,
                    format!("`{}.{col}` is `{ty}` without a time zone, so its values depend on the session's `TimeZone`", t.name),
                    "use `timestamptz`",
                );
            }
            if is_serial(&ty) {
                report(
                    Code::PreferIdentity,
                    format!("`{}.{col}` is `{ty}`; identity columns are the standard replacement, with tighter ownership of the sequence", t.name),
                    "use `bigint identity`",
                );
            }
            if is_json(&ty) {
                report(
                    Code::AddingJsonColumn,
                    format!("`{}.{col}` is `json`, which is re-parsed on every access and has no equality or GIN index", t.name),
                    "use `jsonb`",
                );
            }
            if is_char(&ty) {
                report(
                    Code::BanChar,
                    format!(
                        "`{}.{col}` is `{ty}`, which pads values with spaces",
                        t.name
                    ),
                    "use `text` (with a length check if needed)",
                );
            }
            if is_small_int(&ty) && is_key(t, col, c.identity, &ty) {
                report(
                    Code::PreferBigint,
                    format!("the key `{}.{col}` is `{ty}`, which runs out at about two billion values (`smallint`: 32767); widening it later rewrites this table and every table that references it", t.name),
                    "use `bigint` (or `bigint identity` for a generated key), and `bigint` for the columns that reference it",
                );
            }
        }
    }
}

/// A key as `prefer-bigint` sees one: primary, foreign, identity or
/// serial, or named `id` / `…_id`.
fn is_key(t: &Table, col: &str, identity: bool, ty: &str) -> bool {
    identity
        || is_serial(ty)
        || col == "id"
        || col.ends_with("_id")
        || t.primary_key.iter().any(|k| k == col)
        || t.foreign_keys
            .iter()
            .any(|f| f.columns.iter().any(|k| k == col))
}
