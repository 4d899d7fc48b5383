//! `naming-case`: tables, columns, views and functions follow the naming
//! case of the conventions; the help gives the corrected name.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Case, Origin, Project, Workspace};
use crate::span::Span;

pub fn names_follow_the_naming_case(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    let c = &p.conventions;
    for t in &p.tables {
        check(c.tables_case, "table", &t.name, t.name_span, out);
        for col in t
            .columns
            .iter()
            .filter(|col| col.origin == Origin::Declared)
        {
            check(c.columns_case, "column", &col.name, col.span, out);
        }
    }
    for e in &p.enums {
        check(c.tables_case, "enum", &e.name, e.span, out);
    }
    for v in p.views.iter() {
        check(c.views_case, "view", &v.name, v.name_span, out);
    }
    for f in p.functions.iter() {
        check(c.functions_case, "function", &f.name, f.decl.name.span, out);
    }
}

fn check(case: Option<Case>, what: &str, name: &str, span: Span, out: &mut Vec<Diagnostic>) {
    let Some(case) = case else { return };
    let fixed = convert(name, case);
    if fixed != name {
        out.push(
            Diagnostic::of(
                Code::NamingCase,
                format!("{what} `{name}` is not {}", case_name(case)),
            )
            .at(span)
            .help(format!("rename it to `{fixed}`")),
        );
    }
}

fn case_name(case: Case) -> &'static str {
    match case {
        Case::Snake => "snake_case",
        Case::Pascal => "PascalCase",
        Case::Camel => "camelCase",
        Case::ScreamingSnake => "SCREAMING_SNAKE_CASE",
    }
}

/// Split a name into lower-case words at `_` and case changes.
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let chars: Vec<char> = name.chars().collect();
    let mut current = String::new();
    for (i, &ch) in chars.iter().enumerate() {
        if ch == '_' {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1);
        let boundary = ch.is_uppercase()
            && prev.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase() && next.is_some_and(|n| n.is_lowercase()))
            });
        if boundary && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        current.extend(ch.to_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

pub fn convert(name: &str, case: Case) -> String {
    let w = words(name);
    let cap = |s: &String| {
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    };
    match case {
        Case::Snake => w.join("_"),
        Case::ScreamingSnake => w.join("_").to_uppercase(),
        Case::Pascal => w.iter().map(cap).collect(),
        Case::Camel => w
            .iter()
            .enumerate()
            .map(|(i, s)| if i == 0 { s.clone() } else { cap(s) })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_between_cases() {
        assert_eq!(convert("ActiveNotes", Case::Snake), "active_notes");
        assert_eq!(convert("active_notes", Case::Pascal), "ActiveNotes");
        assert_eq!(convert("noteTags", Case::Snake), "note_tags");
        assert_eq!(convert("HTTPLog", Case::Snake), "http_log");
        assert_eq!(convert("note_tags_2", Case::Snake), "note_tags_2");
        assert_eq!(convert("user_id", Case::Camel), "userId");
    }
}
