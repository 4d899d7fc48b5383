//! `reserved-word`: a table, column, view or function named after a
//! PostgreSQL reserved word breaks every hand-written query that does not
//! quote it.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Origin, Project, Workspace};
use crate::span::Span;

/// PostgreSQL's reserved key words (Appendix C, "reserved" in PostgreSQL).
const RESERVED: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "constraint",
    "create",
    "current_catalog",
    "current_date",
    "current_role",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "fetch",
    "for",
    "foreign",
    "from",
    "grant",
    "group",
    "having",
    "in",
    "initially",
    "intersect",
    "into",
    "lateral",
    "leading",
    "limit",
    "localtime",
    "localtimestamp",
    "not",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "placing",
    "primary",
    "references",
    "returning",
    "select",
    "session_user",
    "some",
    "symmetric",
    "system_user",
    "table",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "variadic",
    "when",
    "where",
    "window",
    "with",
];

pub fn names_are_not_reserved_words(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    for t in &p.tables {
        check("table", &t.name, t.name_span, out);
        for c in t.columns.iter().filter(|c| c.origin == Origin::Declared) {
            check("column", &c.name, c.span, out);
        }
    }
    for v in p.views.iter() {
        check("view", &v.name, v.name_span, out);
    }
    for f in p.functions.iter() {
        check("function", &f.name, f.decl.name.span, out);
    }
}

fn check(what: &str, name: &str, span: Span, out: &mut Vec<Diagnostic>) {
    let lower = name.to_ascii_lowercase();
    if RESERVED.binary_search(&lower.as_str()).is_ok() {
        out.push(
            Diagnostic::of(Code::ReservedWord, format!("{what} `{name}` is a reserved word in PostgreSQL"))
                .at(span)
                .help(format!("choose another name, e.g. `{lower}_name` or a more specific noun; every query would have to quote `\"{name}\"`")),
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_list_is_sorted_for_binary_search() {
        let mut sorted = super::RESERVED.to_vec();
        sorted.sort();
        assert_eq!(sorted, super::RESERVED);
    }
}
