//! Names sluice generates for objects the user did not name: indexes,
//! constraints, policies, triggers. Emission and the `identifier-too-long`
//! rule both use these, so the checked name is the emitted name.

use crate::ir::{Check, Command, ForeignKey, Index, IndexKey, Origin, Table, Unique};
use crate::span::Span;

/// PostgreSQL truncates identifiers longer than this many bytes.
pub const MAX_IDENTIFIER_BYTES: usize = 63;

pub fn primary_key(t: &Table) -> String {
    format!("{}_pkey", t.name)
}

/// An unnamed index is `<table>_<columns>_idx` (`_key` when unique, `expr`
/// for an expression). When an earlier index of the table already has that
/// name, or a named index or unique constraint takes it, a short hash of
/// the index's whole definition goes before the suffix
/// (`notes_org_id_title_3f2a9c1b_idx`): the name stays the same on every
/// run, and an index added later never renames one that exists.
pub fn index(t: &Table, ix: &Index) -> String {
    if let Some(n) = &ix.name {
        return n.clone();
    }
    let base = index_base(&t.name, ix);
    let earlier = match t.indexes.iter().position(|o| std::ptr::eq(o, ix)) {
        Some(i) => &t.indexes[..i],
        None => &t.indexes[..],
    };
    // Every name compared below shares the table's prefix, so the clash
    // tests compare what follows it, without building each name: a plan
    // names every index of every table it makes.
    let taken = earlier
        .iter()
        .any(|o| o.name.is_none() && o.unique == ix.unique && joined_eq(keys(o), keys(ix)))
        || t.indexes.iter().any(|o| o.name.as_deref() == Some(&base))
        || t.uniques.iter().any(|u| match &u.name {
            Some(n) => *n == base,
            None => ix.unique && joined_eq(u.columns.iter().map(|c| c.as_str()), keys(ix)),
        })
        || base.strip_prefix(t.name.as_str()) == Some("_pkey");
    if taken {
        with_hash(&base, ix)
    } else {
        base
    }
}

/// The words an unnamed index's name is made of, between the table's
/// name and the suffix.
fn keys(ix: &Index) -> impl Iterator<Item = &str> {
    ix.elems.iter().map(|e| match &e.key {
        IndexKey::Column(c) => c.as_str(),
        IndexKey::Expr(_) => "expr",
    })
}

/// Whether two lists of words joined by `_` give the same text: compared
/// byte by byte as they would be joined, without joining them.
fn joined_eq<'a>(
    a: impl Iterator<Item = &'a str> + 'a,
    b: impl Iterator<Item = &'a str> + 'a,
) -> bool {
    joined(a).eq(joined(b))
}

/// The bytes of `words` joined by `_`.
fn joined<'a>(words: impl Iterator<Item = &'a str> + 'a) -> impl Iterator<Item = u8> + 'a {
    words
        .enumerate()
        .flat_map(|(i, w)| (i > 0).then_some(b'_').into_iter().chain(w.bytes()))
}

/// The name an unnamed index would have without a clash.
pub fn index_base(table: &str, ix: &Index) -> String {
    let keys: Vec<&str> = keys(ix).collect();
    let suffix = if ix.unique { "key" } else { "idx" };
    format!("{table}_{}_{suffix}", keys.join("_"))
}

/// `base` with 8 hex digits of the hash of the index's definition before
/// its `_idx` / `_key` suffix.
pub fn with_hash(base: &str, ix: &Index) -> String {
    let hash = crate::digest::sha256_hex(index_definition(ix).as_bytes());
    match base.rsplit_once('_') {
        Some((stem, suffix)) => format!("{stem}_{}_{suffix}", &hash[..8]),
        None => format!("{base}_{}", &hash[..8]),
    }
}

/// Everything that makes an index what it is, in one line: the same text
/// for the same index however it was written.
pub fn index_definition(ix: &Index) -> String {
    let elems: Vec<String> = ix
        .elems
        .iter()
        .map(|e| {
            let mut s = match &e.key {
                IndexKey::Column(c) => c.clone(),
                IndexKey::Expr(x) => format!("({})", norm(x)),
            };
            if let Some(o) = &e.opclass {
                s.push_str(&format!(" {o}"));
            }
            if e.descending {
                s.push_str(" desc");
            }
            if let Some(first) = e.nulls_first {
                s.push_str(if first { " nulls first" } else { " nulls last" });
            }
            s
        })
        .collect();
    let mut s = format!(
        "{}{} ({})",
        if ix.unique { "unique " } else { "" },
        ix.method,
        elems.join(", ")
    );
    if !ix.include.is_empty() {
        s.push_str(&format!(" include ({})", ix.include.join(", ")));
    }
    if let Some(p) = &ix.predicate {
        s.push_str(&format!(" where {}", norm(p)));
    }
    s
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
/// numbered in declaration order, skipping the numbers a named check of
/// the table holds (the history names the checks left after a drop, see
/// `lower::drop_generated`).
pub fn check(t: &Table, c: &Check) -> String {
    if let Some(n) = &c.name {
        return n.clone();
    }
    if let Some(col) = &c.column {
        return format!("{}_{col}_check", t.name);
    }
    let taken = |name: &str| t.checks.iter().any(|o| o.name.as_deref() == Some(name));
    let mut n = 0;
    let mut name = String::new();
    for o in t
        .checks
        .iter()
        .filter(|o| o.name.is_none() && o.column.is_none())
    {
        loop {
            n += 1;
            name = format!("{}_check{n}", t.name);
            if !taken(&name) {
                break;
            }
        }
        if std::ptr::eq(o, c) {
            return name;
        }
    }
    if name.is_empty() {
        format!("{}_check1", t.name)
    } else {
        name
    }
}

/// One emitted policy per (declared policy, command): PostgreSQL policies
/// cover one command each. Names are `<table>_<command>` (or the declared
/// name, suffixed by the command when it covers several), numbered when a
/// table has several policies for one command.
pub fn policies(t: &Table) -> Vec<(usize, Command, String)> {
    let mut out: Vec<(usize, Command, String)> = Vec::new();
    for (i, p) in t.policies.iter().enumerate() {
        for &cmd in &p.commands {
            let base = match (&p.name, p.commands.len()) {
                (Some(n), 1) => n.clone(),
                (Some(n), _) => format!("{n}_{}", cmd.as_str()),
                (None, _) => format!("{}_{}", t.name, cmd.as_str()),
            };
            let mut name = base.clone();
            let mut n = 2;
            while out.iter().any(|(_, _, o)| *o == name) {
                name = format!("{base}_{n}");
                n += 1;
            }
            out.push((i, cmd, name));
        }
    }
    out
}

/// The restrictive policy that confines every command to the current tenant.
pub fn tenant_isolation_policy(t: &Table) -> String {
    format!("{}_tenant_isolation", t.name)
}

pub fn updated_at_trigger(t: &Table) -> String {
    format!("{}_set_updated_at", t.name)
}

pub fn audit_trigger(t: &Table) -> String {
    format!("{}_audit", t.name)
}

/// The policy that lets the audit trigger's function (run as the schema
/// owner) insert into the audit table.
pub fn audit_writer_policy(t: &Table) -> String {
    format!("{}_audit_writer", t.name)
}

/// The function that purges a retained table's expired rows.
pub fn purge_function(t: &Table) -> String {
    format!("sluice_purge_{}", t.name)
}

/// The policy that lets the purge function (run as the schema owner) see
/// or delete (`command`) the table's expired rows.
pub fn purge_policy(t: &Table, command: &str) -> String {
    format!("{}_purge_{command}", t.name)
}

/// The publication that replicates a project's tables to `target`'s database.
pub fn publication(target: &str) -> String {
    format!("sluice_to_{target}")
}

/// The `n`-th hash partition of a table.
pub fn partition(t: &Table, n: u64) -> String {
    format!("{}_p{n}", t.name)
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
    out.extend(
        policies(t)
            .into_iter()
            .map(|(i, _, name)| ("policy", name, t.policies[i].span)),
    );
    if t.tenant {
        out.push(("policy", tenant_isolation_policy(t), t.name_span));
    }
    if t.partition.is_some() {
        out.push(("partition", partition(t, 0), t.name_span));
    }
    if t.columns
        .iter()
        .any(|c| c.origin == Origin::Timestamp && !c.nullable)
    {
        out.push(("trigger", updated_at_trigger(t), t.name_span));
    }
    out
}

/// Whitespace collapsed and lower-cased outside string literals is enough
/// to compare SQL fragments written by hand.
pub fn norm(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut in_string = false;
    let mut last_space = true;
    for c in sql.trim().chars() {
        if c == '\'' {
            in_string = !in_string;
        }
        if !in_string && c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
            continue;
        }
        last_space = false;
        if in_string {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::joined_eq;

    fn eq(a: &[&str], b: &[&str]) -> bool {
        joined_eq(a.iter().copied(), b.iter().copied())
    }

    #[test]
    fn word_lists_compare_as_the_names_they_join_into() {
        assert!(eq(&["org_id", "title"], &["org_id", "title"]));
        assert!(eq(&["a_b"], &["a", "b"]));
        assert!(eq(&["x", "a_b"], &["x", "a", "b"]));
        assert!(eq(&[], &[""]));
        assert!(!eq(&["x"], &["x", ""]));
        assert!(!eq(&["org_id"], &["org_id", "title"]));
        assert!(!eq(&["a", "b"], &["a", "c"]));
        assert!(!eq(&["ab"], &["a", "b"]));
    }
}
