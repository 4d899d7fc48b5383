//! Declarations as DSL text, for the steps `sluice plan` writes.
//!
//! Input: the lowered model and its sources. Output: the text of a
//! declaration as the user wrote it (without `was` hints, which belong to
//! the declaration only), or, for what the conventions derive, the text
//! the shape implies.

use crate::ir::shape::ColumnShape;
use crate::ir::{Column, Command, Index, Origin, Policy, Table};
use crate::source::Sources;
use crate::span::Span;

/// The text `span` covers, with each `was OLD` hint whose name lies in it
/// cut out (with the keyword and the blank before it).
pub fn without_hints(sources: &Sources, span: Span, hints: &[Span]) -> String {
    let file = &sources.get(span.file).text;
    let mut cuts: Vec<(usize, usize)> = hints
        .iter()
        .filter(|h| h.file == span.file && span.range().contains(&h.range().start))
        .map(|h| {
            let before = file[..h.range().start].trim_end();
            let before = before.strip_suffix("was").unwrap_or(before).trim_end();
            (before.len(), h.range().end)
        })
        .collect();
    cuts.sort();
    let mut out = String::new();
    let mut at = span.range().start;
    for (from, to) in cuts {
        out.push_str(&file[at..from.max(at)]);
        at = to;
    }
    out.push_str(&file[at..span.range().end]);
    out
}

/// The `was` hints of a table's columns.
pub fn hints(t: &Table) -> Vec<Span> {
    t.columns
        .iter()
        .filter_map(|c| c.was.as_ref().map(|w| w.span))
        .collect()
}

/// A column as `add column` writes it after `table.`: its declaration as
/// written, or its shape for a column the conventions add.
pub fn column(sources: &Sources, c: &Column, shape: &ColumnShape) -> String {
    let written = sources.text(c.span);
    let declared = c.origin == Origin::Declared
        || written
            .strip_prefix(c.name.as_str())
            .is_some_and(|rest| rest.starts_with(char::is_whitespace));
    if declared {
        let hint: Vec<Span> = c.was.iter().map(|w| w.span).collect();
        let text = without_hints(sources, c.span, &hint);
        // Columns are often aligned in a table; one blank after the name
        // reads better in a step.
        return match text.strip_prefix(c.name.as_str()) {
            Some(rest) => format!("{} {}", c.name, rest.trim_start()),
            None => text,
        };
    }
    let mut s = format!("{} {}", c.name, shape.ty);
    if !shape.nullable {
        s.push_str(" not null");
    }
    if let Some(d) = &shape.default {
        s.push_str(&format!(" default {d}"));
    }
    s
}

/// An index as written after `add [unique] index on TABLE`: its
/// declaration without the leading `[unique] index`.
pub fn index_spec(sources: &Sources, i: &Index) -> String {
    let written = sources.text(i.span).trim();
    let rest = written
        .strip_prefix("unique")
        .unwrap_or(written)
        .trim_start();
    rest.strip_prefix("index")
        .unwrap_or(rest)
        .trim()
        .to_string()
}

/// `add policy on TABLE COMMAND …` for one command of a declared policy:
/// its roles, predicates and name as written.
pub fn policy_step(sources: &Sources, t: &Table, p: &Policy, c: Command) -> String {
    let start = p.using.span().range().start;
    let end = p.span.range().end;
    let file = &sources.get(p.span.file).text;
    let mut rest = file.get(start..end).unwrap_or_default().trim().to_string();
    if p.commands.len() > 1 {
        if let Some(n) = &p.name {
            if let Some(head) = rest.strip_suffix(n.as_str()) {
                rest = format!("{head}{n}_{}", c.as_str());
            }
        }
    }
    let to = if p.roles.is_empty() {
        String::new()
    } else {
        format!(" to {}", p.roles.join(", "))
    };
    format!("add policy on {} {}{to} {rest}", t.name, c.as_str())
}

/// `text` without its first `not null` that stands outside brackets and
/// strings (the column option, not words inside a check).
pub fn without_not_null(text: &str) -> String {
    let (mut depth, mut quoted) = (0i32, false);
    for (i, ch) in text.char_indices() {
        match ch {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            _ => {}
        }
        if depth == 0 && !quoted && text[i..].starts_with(" not null") {
            let end = i + " not null".len();
            if !text[end..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
                return format!("{}{}", &text[..i], &text[end..]);
            }
        }
    }
    text.to_string()
}

/// Whether a default expression calls a function not known to be stable
/// or immutable (PostgreSQL would evaluate it for every existing row).
pub fn is_volatile(sql: &str) -> bool {
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::parser::Parser;
    Parser::new(&PostgreSqlDialect {})
        .try_with_sql(sql)
        .and_then(|mut p| p.parse_expr())
        .map(|e| crate::lint::volatility::first_volatile_call(&e).is_some())
        .unwrap_or(true)
}

/// Whether re-indenting `text` cannot change what it means: no string or
/// dollar-quoted body spans a line break.
pub fn can_indent(text: &str) -> bool {
    !text.contains('$') && text.lines().all(|l| l.matches('\'').count() % 2 == 0)
}

/// `text` with every line after the first indented by `by` more spaces,
/// when that is safe (see [`can_indent`]).
pub fn indent(text: &str, by: usize) -> String {
    if !can_indent(text) {
        return text.to_string();
    }
    let pad = " ".repeat(by);
    let mut lines = text.lines();
    let mut out = lines.next().unwrap_or_default().to_string();
    for l in lines {
        out.push('\n');
        if !l.trim().is_empty() {
            out.push_str(&pad);
            out.push_str(l);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_multi_line_string_is_never_reindented() {
        assert!(can_indent("table t {\n  a text check (a <> '')\n}"));
        assert!(!can_indent("view v {\n  as $$ select\n 1 $$\n}"));
        assert!(!can_indent("a text default 'x\ny'"));
        assert_eq!(indent("t {\n  a\n\n}", 2), "t {\n    a\n\n  }");
    }

    #[test]
    fn only_the_column_option_not_null_is_removed() {
        assert_eq!(
            without_not_null("a uuid not null default gen_random_uuid() check (a is not null)"),
            "a uuid default gen_random_uuid() check (a is not null)"
        );
        assert_eq!(
            without_not_null("a text check (a is not null)"),
            "a text check (a is not null)"
        );
        assert!(is_volatile("gen_random_uuid()"));
        assert!(!is_volatile("now()"));
    }
}
