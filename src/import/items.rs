//! The table items that are lines of their own: indexes, policies and
//! partitioning.
//!
//! Input: one catalog table (and its partitions). Output: the DSL line of
//! each item, naming it with `as NAME` when sluice would name it otherwise.

use super::catalog::{Catalog, Index, Table};
use super::pred::{pred, PredCx};
use super::recognise;
use super::text::{index_key, is_ident, one_line};

pub(super) fn index(t: &Table, ix: &Index) -> String {
    let mut elems = Vec::new();
    let mut plain = true;
    for (i, key) in ix.keys.iter().enumerate() {
        let mut e = index_key(key);
        plain &= is_ident(&e);
        if let Some(oc) = ix.opclasses.get(i).filter(|o| !o.is_empty()) {
            e.push_str(&format!(" {oc}"));
        }
        let opt = ix.options.get(i).copied().unwrap_or(0);
        let desc = opt & 1 != 0;
        let nulls_first = opt & 2 != 0;
        if desc {
            e.push_str(" desc");
        }
        match (desc, nulls_first) {
            (false, true) => e.push_str(" nulls first"),
            (true, false) => e.push_str(" nulls last"),
            _ => {}
        }
        elems.push(e);
    }
    let mut s = String::new();
    if ix.unique {
        s.push_str("unique ");
    }
    s.push_str("index ");
    if ix.method != "btree" {
        s.push_str(&format!("{} ", ix.method));
    }
    s.push_str(&format!("({})", elems.join(", ")));
    if !ix.include.is_empty() {
        s.push_str(&format!(" include ({})", ix.include.join(", ")));
    }
    if let Some(p) = &ix.predicate {
        s.push_str(&format!(
            " where ({})",
            one_line(recognise::strip_parens(p))
        ));
    }
    let suffix = if ix.unique { "key" } else { "idx" };
    let default = format!("{}_{}_{suffix}", t.name, ix.keys.join("_"));
    if !plain || ix.name != default {
        s.push_str(&format!(" as {}", ix.name));
    }
    s
}

pub(super) fn policy(t: &Table, p: &super::catalog::Policy, cx: &PredCx) -> String {
    let cmd = match p.command.as_str() {
        "r" => "select",
        "a" => "insert",
        "w" => "update",
        "d" => "delete",
        _ => "all",
    };
    let mut s = format!("policy {cmd}");
    let roles: Vec<&str> = p
        .roles
        .iter()
        .map(String::as_str)
        .filter(|r| *r != "public")
        .collect();
    if !roles.is_empty() {
        s.push_str(&format!(" to {}", roles.join(", ")));
    }
    let using = p.using.as_deref().map(|e| pred(e, cx));
    let check = p.check.as_deref().map(|e| pred(e, cx));
    match (cmd, &using, &check) {
        ("insert", _, Some(c)) => s.push_str(&format!(" {c}")),
        (_, Some(u), Some(c)) if u != c => s.push_str(&format!(" {u} check {c}")),
        ("update" | "all", Some(u), None) => s.push_str(&format!(" {u} check using")),
        (_, Some(u), _) => s.push_str(&format!(" {u}")),
        (_, None, Some(c)) => s.push_str(&format!(" true check {c}")),
        (_, None, None) => s.push_str(" true"),
    }
    if p.name != format!("{}_{cmd}", t.name) {
        s.push_str(&format!(" as {}", p.name));
    }
    s
}

/// `partition by hash (cols) into N` when the partitions are sluice's;
/// `partition by range (cols)` or `list`, whose partitions are kept as raw
/// SQL.
pub(super) fn partition(c: &Catalog, t: &Table) -> Option<String> {
    let key = t.partition_key.as_deref()?;
    let (method, _) = key.split_once(' ')?;
    let cols = recognise::partition_columns(t);
    let parts: Vec<_> = c.partitions.iter().filter(|p| p.parent == t.name).collect();
    let n = parts.len();
    let mut s = format!(
        "partition by {} ({})",
        method.to_lowercase(),
        cols.join(", ")
    );
    if n > 0 && method.eq_ignore_ascii_case("hash") {
        s.push_str(&format!(" into {n}"));
    }
    Some(s)
}
