//! Names sluice generates for objects the user did not name: indexes,
//! constraints, policies, triggers. Emission and the `identifier-too-long`
//! rule both use these, so the checked name is the emitted name.

use crate::ir::{Check, Command, ForeignKey, Index, IndexKey, Origin, Policy, Table, Unique};
use crate::span::Span;

/// PostgreSQL truncates identifiers longer than this many bytes.
pub const MAX_IDENTIFIER_BYTES: usize = 63;

pub fn primary_key(t: &Table) -> String {
    format!("{}_pkey", t.name)
}

pub fn index(t: &Table, ix: &Index) -> String {
    if let Some(n) = &ix.name {
        return n.clone();
    }
    let keys: Vec<&str> = ix
        .elems
        .iter()
        .map(|e| match &e.key {
            IndexKey::Column(c) => c.as_str(),
            IndexKey::Expr(_) => "expr",
        })
        .collect();
    let suffix = if ix.unique { "key" } else { "idx" };
    format!("{}_{}_{suffix}", t.name, keys.join("_"))
}

pub fn unique(t: &Table, u: &Unique) -> String {
    u.name
        .clone()
        .unwrap_or_else(|| format!("{}_{}_key", t.name, u.columns.join("_")))
}

pub fn foreign_key(t: &Table, fk: &ForeignKey) -> String {
    fk.name
        .clone()
        .unwrap_or_else(|| format!("{}_{}_fkey", t.name, fk.columns.join("_")))
}

/// Column checks are `<table>_<column>_check`; unnamed table checks are
/// numbered in declaration order.
pub fn check(t: &Table, c: &Check) -> String {
    if let Some(n) = &c.name {
        return n.clone();
    }
    if let Some(col) = &c.column {
        return format!("{}_{col}_check", t.name);
    }
    let n = t
        .checks
        .iter()
        .filter(|o| o.name.is_none() && o.column.is_none())
        .position(|o| std::ptr::eq(o, c))
        .map_or(1, |i| i + 1);
    format!("{}_check{n}", t.name)
}

pub fn policy(t: &Table, p: &Policy) -> String {
    if let Some(n) = &p.name {
        return n.clone();
    }
    let cmds: Vec<&str> = p.commands.iter().map(|c| Command::as_str(*c)).collect();
    format!("{}_{}", t.name, cmds.join("_"))
}

pub fn updated_at_trigger(t: &Table) -> String {
    format!("{}_set_updated_at", t.name)
}

pub fn audit_trigger(t: &Table) -> String {
    format!("{}_audit", t.name)
}

/// Every name a table's emitted SQL will contain: what it names, the name,
/// and where the object was declared.
pub fn of_table(t: &Table) -> Vec<(&'static str, String, Span)> {
    let mut out = vec![("table", t.name.clone(), t.name_span)];
    out.extend(t.columns.iter().map(|c| ("column", c.name.clone(), c.span)));
    if !t.primary_key.is_empty() {
        out.push((
            "primary key",
            primary_key(t),
            t.primary_key_span.unwrap_or(t.name_span),
        ));
    }
    out.extend(t.indexes.iter().map(|i| ("index", index(t, i), i.span)));
    out.extend(
        t.uniques
            .iter()
            .map(|u| ("unique constraint", unique(t, u), u.span)),
    );
    out.extend(
        t.foreign_keys
            .iter()
            .map(|f| ("foreign key", foreign_key(t, f), f.span)),
    );
    out.extend(
        t.checks
            .iter()
            .map(|c| ("check constraint", check(t, c), c.span)),
    );
    out.extend(t.policies.iter().map(|p| ("policy", policy(t, p), p.span)));
    if t.columns
        .iter()
        .any(|c| c.origin == Origin::Timestamp && !c.nullable)
    {
        out.push(("trigger", updated_at_trigger(t), t.name_span));
    }
    out
}
