//! Keys of a partitioned table. PostgreSQL refuses a primary key, unique
//! constraint or unique index of a partitioned table that does not include
//! every partition column ("unique constraint on partitioned table must
//! include all partitioning columns"). The conventional primary key (`id`)
//! gets the partition columns appended, as `primary-key-not-uuid` allows;
//! a key the user wrote without them is `partition-key-missing`.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{IndexKey, Table};
use crate::span::Span;

/// Extend the conventional primary key of a partitioned `t` with its
/// partition columns, and report the declared keys that lack one.
pub(super) fn fit(t: &mut Table, conventional_pk: bool, diags: &mut Vec<Diagnostic>) {
    let Some(p) = &t.partition else {
        return;
    };
    let parts = p.columns.clone();
    if conventional_pk && !t.primary_key.is_empty() {
        for c in &parts {
            if !t.primary_key.contains(c) {
                t.primary_key.push(c.clone());
            }
        }
    }
    let missing = |cols: &[&str]| -> Vec<String> {
        parts
            .iter()
            .filter(|c| !cols.contains(&c.as_str()))
            .cloned()
            .collect()
    };
    let mut report = |what: String, cols: Vec<&str>, span: Span, fix: String| {
        let lacking = missing(&cols);
        if lacking.is_empty() {
            return;
        }
        diags.push(
            Diagnostic::error(
                Code::PartitionKeyMissing,
                format!(
                    "{what} of partitioned table `{}` lacks its partition column{} `{}`: PostgreSQL refuses it",
                    t.name,
                    if lacking.len() == 1 { "" } else { "s" },
                    lacking.join("`, `")
                ),
            )
            .at(span)
            .help(fix.replace("{cols}", &lacking.join(", "))),
        );
    };
    if !conventional_pk {
        let pk: Vec<&str> = t.primary_key.iter().map(String::as_str).collect();
        report(
            "the primary key".into(),
            pk,
            t.primary_key_span.unwrap_or(t.name_span),
            "add {cols} to it: `primary key (id, {cols})`".into(),
        );
    }
    for c in t.columns.iter().filter(|c| c.unique) {
        report(
            format!("the unique column `{}`", c.name),
            vec![c.name.as_str()],
            c.span,
            format!(
                "replace `unique` with a table item `unique ({{cols}}, {})`",
                c.name
            ),
        );
    }
    for u in &t.uniques {
        report(
            format!("the unique constraint on ({})", u.columns.join(", ")),
            u.columns.iter().map(String::as_str).collect(),
            u.span,
            format!("write `unique ({{cols}}, {})`", u.columns.join(", ")),
        );
    }
    for ix in t.indexes.iter().filter(|ix| ix.unique) {
        let cols: Vec<&str> = ix
            .elems
            .iter()
            .filter_map(|e| match &e.key {
                IndexKey::Column(c) => Some(c.as_str()),
                IndexKey::Expr(_) => None,
            })
            .collect();
        report(
            "a unique index".into(),
            cols,
            ix.span,
            "add {cols} as a plain column of the index: `unique index ({cols}, …)`".into(),
        );
    }
}
