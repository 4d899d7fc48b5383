//! The name of a planned migration when `--name` is absent, from its
//! changes: the one change's own name (`add_notes_icon`); changes to one
//! table, named after what most of them do (`add_columns_to_notes`) or
//! after the table alone (`change_notes`); changes to two tables
//! (`change_notes_and_tags`); changes of one kind to more tables
//! (`add_columns`); else a count (`change_5_objects`). Deterministic, at
//! most [`MAX`] characters, lower-case letters, digits and `_`.
//!
//! Input: each change's name and the step that makes it. Output: the
//! migration's name.

/// The longest derived name.
const MAX: usize = 50;

/// What one planned step does, and to which table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Subject {
    /// The step's first two words (`add column`, `change type`, …).
    pub kind: String,
    pub table: Option<String>,
}

impl Subject {
    /// From a step's text; `table` is the table being planned, if any.
    pub fn of(text: &str, table: Option<&str>) -> Subject {
        let words: Vec<&str> = text.split_whitespace().collect();
        let kind = words.iter().take(2).copied().collect::<Vec<_>>().join(" ");
        let table = table
            .map(str::to_string)
            .or_else(|| table_in(&words).map(str::to_string));
        Subject { kind, table }
    }
}

/// The table a step's words name: `create|drop table T`, `rename table A
/// to T`, `… on T`, or the first `T.column`.
fn table_in<'a>(words: &[&'a str]) -> Option<&'a str> {
    let clean = |w: &'a str| w.trim_matches(|c: char| !(c.is_alphanumeric() || c == '_'));
    match words {
        ["rename", "table", _, "to", to, ..] => return Some(clean(to)),
        [_, "table", t, ..] => return Some(clean(t)),
        _ => {}
    }
    if let Some(i) = words.iter().position(|w| *w == "on") {
        return words.get(i + 1).map(|w| clean(w));
    }
    words
        .iter()
        .skip(1)
        .find_map(|w| w.split_once('.').map(|(t, _)| clean(t)))
        .filter(|t| !t.is_empty())
}

/// The plural name of several steps of one kind, on table `t` or on
/// several (`None`).
fn of_kind(kind: &str, t: Option<&str>) -> Option<String> {
    let (what, prep) = match kind {
        "add column" => ("add_columns", "to"),
        "drop column" => ("drop_columns", "from"),
        "change type" => ("change_types", "in"),
        "rename column" => ("rename_columns", "in"),
        "add index" | "add unique" => ("add_indexes", "to"),
        "add check" => ("add_checks", "to"),
        "add foreign" => ("add_foreign_keys", "to"),
        "drop index" => ("drop_indexes", "from"),
        "create table" => ("create_tables", ""),
        "drop table" => ("drop_tables", ""),
        _ => return None,
    };
    Some(match t {
        Some(t) if !prep.is_empty() => format!("{what}_{prep}_{t}"),
        _ => what.to_string(),
    })
}

/// The name of a migration making `changes` (each change's own name and
/// its first step), in plan order.
pub(super) fn derive(changes: &[(String, Subject)]) -> String {
    // One entry per change: its steps share its name.
    let mut unique: Vec<&(String, Subject)> = Vec::new();
    for c in changes {
        if !unique.iter().any(|u| u.0 == c.0) {
            unique.push(c);
        }
    }
    let name = match unique.as_slice() {
        [] => "change".to_string(),
        [one] => one.0.clone(),
        many => several(many),
    };
    let mut name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name.truncate(MAX);
    while name.len() > 1 && name.ends_with('_') {
        name.pop();
    }
    name
}

fn several(changes: &[&(String, Subject)]) -> String {
    let mut tables: Vec<&str> = Vec::new();
    for (_, s) in changes {
        if let Some(t) = &s.table {
            if !tables.contains(&t.as_str()) {
                tables.push(t);
            }
        }
    }
    let all_on_tables = changes.iter().all(|(_, s)| s.table.is_some());
    // The kind more than half of the changes have, if one does.
    let dominant = changes
        .iter()
        .map(|(_, s)| s.kind.as_str())
        .find(|k| changes.iter().filter(|(_, s)| s.kind == *k).count() * 2 > changes.len());
    let every = |k: &str| changes.iter().all(|(_, s)| s.kind == k);
    match (all_on_tables, tables.as_slice()) {
        (true, [t]) => dominant
            .and_then(|k| of_kind(k, Some(t)))
            .unwrap_or_else(|| format!("change_{t}")),
        (true, [a, b]) => format!("change_{a}_and_{b}"),
        _ => dominant
            .filter(|k| every(k))
            .and_then(|k| of_kind(k, None))
            .unwrap_or_else(|| format!("change_{}_objects", changes.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A change's name, its step and the table being compared.
    type Change<'a> = (&'a str, &'a str, Option<&'a str>);

    fn named(steps: &[Change]) -> String {
        let changes: Vec<(String, Subject)> = steps
            .iter()
            .map(|(label, text, table)| (label.to_string(), Subject::of(text, *table)))
            .collect();
        derive(&changes)
    }

    #[test]
    fn names_follow_the_table_and_the_kind_most_changes_share() {
        let n = Some("notebooks");
        let cases: Vec<(&str, Vec<Change>)> = vec![
            (
                "one change",
                vec![("add_notebooks_icon", "add column notebooks.icon text", n)],
            ),
            (
                "one column over two steps",
                vec![
                    ("add_notebooks_rank", "add column notebooks.rank integer", n),
                    ("add_notebooks_rank", "set not null notebooks.rank", n),
                ],
            ),
            (
                "columns added to one table",
                vec![
                    ("add_notebooks_icon", "add column notebooks.icon text", n),
                    ("add_notebooks_color", "add column notebooks.color text", n),
                    ("add_index_notebooks", "add index on notebooks (color)", n),
                ],
            ),
            (
                "columns dropped from one table",
                vec![
                    ("drop_notebooks_a", "drop column notebooks.a", n),
                    ("drop_notebooks_b", "drop column notebooks.b", n),
                ],
            ),
            (
                "mixed changes to one table",
                vec![
                    ("add_notebooks_icon", "add column notebooks.icon text", n),
                    ("drop_notebooks_b", "drop column notebooks.b", n),
                ],
            ),
            (
                "a table renamed and a column added",
                vec![
                    ("rename_tags", "rename table tags to labels", None),
                    (
                        "add_labels_color",
                        "add column labels.color text",
                        Some("labels"),
                    ),
                ],
            ),
            (
                "two tables",
                vec![
                    (
                        "add_notes_icon",
                        "add column notes.icon text",
                        Some("notes"),
                    ),
                    ("create_tags", "create table tags {", None),
                ],
            ),
            (
                "columns added to three tables",
                vec![
                    ("add_a_x", "add column a.x text", Some("a")),
                    ("add_b_x", "add column b.x text", Some("b")),
                    ("add_c_x", "add column c.x text", Some("c")),
                ],
            ),
            (
                "tables created",
                vec![
                    ("create_a", "create table a {", None),
                    ("create_b", "create table b {", None),
                    ("create_c", "create table c {", None),
                ],
            ),
            (
                "objects of every kind",
                vec![
                    ("create_view_v", "create view v = select 1", None),
                    (
                        "grant_readonly_user",
                        "grant select on tables to readonly_user",
                        None,
                    ),
                    ("create_enum_e", "create enum e { a }", None),
                ],
            ),
            (
                "a long table name",
                vec![
                    (
                        "x",
                        "add column a_table_with_a_very_long_name_indeed_yes.x text",
                        None,
                    ),
                    (
                        "y",
                        "add column a_table_with_a_very_long_name_indeed_yes.y text",
                        None,
                    ),
                ],
            ),
        ];
        let out: Vec<String> = cases
            .iter()
            .map(|(what, steps)| format!("{what}: {}", named(steps)))
            .collect();
        insta::assert_snapshot!(out.join("\n"));
        for line in &out {
            let name = line.rsplit(": ").next().unwrap_or_default();
            assert!(
                name.len() <= MAX && crate::author::is_valid_name(name),
                "{line}"
            );
        }
    }
}
