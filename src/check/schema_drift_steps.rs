//! The migration step that creates a declared index, unique constraint or
//! check, written out in full for `schema-drift` help.
//!
//! Input: a table and the shape text of one of its declared items (as
//! [`crate::ir::diff`] reports it missing from the history). Output: the
//! step in the DSL (`add index on notes (org_id, title) where (…)`), or
//! `None` when no declared item has that shape.

use crate::ir::shape::{index_text, key_text, norm};
use crate::ir::{Index, IndexKey, Table};

/// The `add …` step that creates the declared `what` (`index`, `unique
/// constraint`, `check`) whose shape text is `text`.
pub(super) fn add_step(t: &Table, what: &str, text: &str) -> Option<String> {
    let name = &t.name;
    let as_name = |n: &Option<String>| n.as_ref().map_or(String::new(), |n| format!(" as {n}"));
    match what {
        "index" => {
            let ix = t
                .indexes
                .iter()
                .filter(|i| !(i.derived && i.unique))
                .find(|i| shape(i) == text)?;
            Some(index_step(name, ix))
        }
        "unique constraint" => {
            let u = t.uniques.iter().find(|u| u.columns.join(", ") == text)?;
            Some(format!(
                "add unique on {name} ({}){}",
                u.columns.join(", "),
                as_name(&u.name)
            ))
        }
        "check" => {
            let c = t.checks.iter().find(|c| norm(&c.expr.text) == text)?;
            Some(format!(
                "add check on {name} {}{}",
                paren(&c.expr.text),
                as_name(&c.name)
            ))
        }
        _ => None,
    }
}

/// Whether the check with shape text `text` belongs to one of `columns`
/// (which are missing, so their `add column` step writes the check).
pub(super) fn check_of_column(t: &Table, text: &str, columns: &[&str]) -> bool {
    t.checks.iter().any(|c| {
        norm(&c.expr.text) == text
            && c.column
                .as_deref()
                .is_some_and(|col| columns.contains(&col))
    })
}

fn shape(i: &Index) -> String {
    let keys: Vec<String> = i
        .elems
        .iter()
        .map(|e| key_text(&e.key, e.descending))
        .collect();
    index_text(i.unique, &i.method, &keys, i.predicate.as_deref())
}

/// `add [unique] index on T [method] (keys) [include (…)] [where …] [as N]`.
fn index_step(table: &str, ix: &Index) -> String {
    let keys: Vec<String> = ix
        .elems
        .iter()
        .map(|e| {
            let mut k = match &e.key {
                IndexKey::Column(c) => c.clone(),
                IndexKey::Expr(x) => paren(x),
            };
            if let Some(op) = &e.opclass {
                k.push_str(&format!(" {op}"));
            }
            if e.descending {
                k.push_str(" desc");
            }
            match e.nulls_first {
                Some(true) => k.push_str(" nulls first"),
                Some(false) => k.push_str(" nulls last"),
                None => {}
            }
            k
        })
        .collect();
    let mut s = format!(
        "add {}index on {table} ",
        if ix.unique { "unique " } else { "" }
    );
    if ix.method != "btree" {
        s.push_str(&format!("{} ", ix.method));
    }
    s.push_str(&format!("({})", keys.join(", ")));
    if !ix.include.is_empty() {
        s.push_str(&format!(" include ({})", ix.include.join(", ")));
    }
    if let Some(p) = &ix.predicate {
        s.push_str(&format!(" where {}", paren(p)));
    }
    if let Some(n) = &ix.name {
        s.push_str(&format!(" as {n}"));
    }
    s
}

/// `text` in one pair of parentheses: as it is when one pair already
/// encloses all of it, else wrapped.
fn paren(text: &str) -> String {
    let t = text.trim();
    let mut depth = 0usize;
    let mut closes_at_end = false;
    for (i, ch) in t.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    closes_at_end = i + 1 == t.len();
                    break;
                }
            }
            _ => {}
        }
    }
    if t.starts_with('(') && closes_at_end {
        t.to_string()
    } else {
        format!("({t})")
    }
}

#[cfg(test)]
mod tests {
    use super::paren;

    #[test]
    fn one_pair_of_parentheses_encloses_an_expression() {
        assert_eq!(paren("body is not null"), "(body is not null)");
        assert_eq!(paren(" (body is not null) "), "(body is not null)");
        assert_eq!(paren("(a) or (b)"), "((a) or (b))");
        assert_eq!(paren("lower(title)"), "(lower(title))");
    }
}
