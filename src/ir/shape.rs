//! The comparable shape of a table: what a migration history must build for
//! the declaration to be true. Names of generated objects and column order
//! are left out (renaming a column renames nothing else; `add column`
//! appends), spans too, so a declared table and a replayed one compare
//! equal exactly when PostgreSQL would hold the same table.

use std::collections::{BTreeMap, BTreeSet};

use super::names;
pub use super::names::norm;
use super::notes::Note;
use crate::ast::Pred;
use crate::ir::{Command, IndexKey, Origin, Project, Table};
use crate::span::Span;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ColumnShape {
    pub ty: String,
    pub nullable: bool,
    pub default: Option<String>,
    /// Comment and classification; compared apart (see [`super::notes`]).
    pub note: Note,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct TableShape {
    pub tenant: bool,
    pub owner: Option<String>,
    /// The table's own comment and classification.
    pub note: Note,
    pub columns: BTreeMap<String, ColumnShape>,
    pub primary_key: Vec<String>,
    /// Declared indexes, and the tenant column's and foreign keys' derived
    /// ones, as `[unique] method (keys) where …`.
    pub indexes: BTreeSet<String>,
    pub uniques: BTreeSet<Vec<String>>,
    pub checks: BTreeSet<String>,
    /// `(columns) -> table(columns) on delete …`.
    pub foreign_keys: BTreeSet<String>,
    /// `command to roles using … check …`.
    pub policies: BTreeSet<String>,
    /// Index name → its entry in `indexes` (for `drop index`); not compared.
    pub index_names: BTreeMap<String, String>,
    /// Constraint name → its entry (for `drop constraint`); not compared.
    pub constraint_names: BTreeMap<String, Constraint>,
    /// Entries of `indexes` derived for foreign keys; not compared.
    pub derived: BTreeSet<String>,
    /// Leading columns of each other entry of `indexes` without a
    /// predicate, which cover a foreign key; not compared.
    pub index_leads: BTreeMap<String, Vec<String>>,
    /// The foreign keys, in the order they were made, with whether each
    /// wants a derived index; not compared. Filled by a replay only.
    pub references: Vec<Reference>,
}

/// A foreign key of a replayed table: its entry in `foreign_keys`, its
/// columns, and whether it wants an index (no `no index`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    pub text: String,
    pub columns: Vec<String>,
    pub indexed: bool,
}

/// A constraint's entry in its table shape, found by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Constraint {
    Check(String),
    Unique(Vec<String>),
    ForeignKey(String),
}

impl TableShape {
    /// Remove a constraint by name; whether the table had it.
    pub fn drop_constraint(&mut self, name: &str) -> bool {
        let Some(c) = self.constraint_names.remove(name) else {
            return false;
        };
        match c {
            Constraint::Check(c) => self.checks.remove(&c),
            Constraint::Unique(u) => self.uniques.remove(&u),
            Constraint::ForeignKey(f) => self.foreign_keys.remove(&f),
        };
        true
    }

    /// Rename a column, and every reference to it: PostgreSQL renames them
    /// with it.
    pub fn rename_column(&mut self, from: &str, to: &str) {
        if let Some(c) = self.columns.remove(from) {
            self.columns.insert(to.to_string(), c);
        }
        let rename = |v: &mut Vec<String>| {
            v.iter_mut()
                .filter(|c| *c == from)
                .for_each(|c| *c = to.to_string())
        };
        rename(&mut self.primary_key);
        self.uniques = std::mem::take(&mut self.uniques)
            .into_iter()
            .map(|mut u| {
                rename(&mut u);
                u
            })
            .collect();
        for set in [&mut self.indexes, &mut self.checks, &mut self.foreign_keys] {
            *set = std::mem::take(set)
                .into_iter()
                .map(|s| rename_word(&s, from, to))
                .collect();
        }
        if self.owner.as_deref() == Some(from) {
            self.owner = Some(to.to_string());
        }
        self.derived = std::mem::take(&mut self.derived)
            .into_iter()
            .map(|s| rename_word(&s, from, to))
            .collect();
        for v in self.index_names.values_mut() {
            *v = rename_word(v, from, to);
        }
        self.index_leads = std::mem::take(&mut self.index_leads)
            .into_iter()
            .map(|(k, mut v)| {
                rename(&mut v);
                (rename_word(&k, from, to), v)
            })
            .collect();
        for r in &mut self.references {
            r.text = rename_word(&r.text, from, to);
            rename(&mut r.columns);
        }
    }

    /// Forget names whose constraint or index is no longer in the table.
    pub fn prune_names(&mut self) {
        let (checks, uniques, fks) = (&self.checks, &self.uniques, &self.foreign_keys);
        self.constraint_names.retain(|_, c| match c {
            Constraint::Check(x) => checks.contains(x),
            Constraint::Unique(x) => uniques.contains(x),
            Constraint::ForeignKey(x) => fks.contains(x),
        });
        let indexes = &self.indexes;
        self.index_names.retain(|_, i| indexes.contains(i));
        self.index_leads.retain(|i, _| indexes.contains(i));
        self.derived.retain(|i| indexes.contains(i));
        let fks = &self.foreign_keys;
        self.references.retain(|r| fks.contains(&r.text));
    }
}

/// `s` with `from` replaced where it stands as a whole word.
pub fn rename_word(s: &str, from: &str, to: &str) -> String {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(from) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + from.len()..].chars().next();
        out.push_str(&rest[..i]);
        if before.is_some_and(is_ident) || after.is_some_and(is_ident) {
            out.push_str(from);
        } else {
            out.push_str(to);
        }
        rest = &rest[i + from.len()..];
    }
    out.push_str(rest);
    out
}

/// Shapes of tables, by name, with where each was last written.
pub type Shapes = BTreeMap<String, (TableShape, Span)>;

/// Enums by name: their values in order, with where each was last written.
pub type Enums = BTreeMap<String, (Vec<String>, Span)>;

pub fn pred_text(p: &Pred) -> String {
    match p {
        Pred::Or(ps, _) => ps.iter().map(pred_text).collect::<Vec<_>>().join(" or "),
        Pred::And(ps, _) => ps
            .iter()
            .map(|q| format!("({})", pred_text(q)))
            .collect::<Vec<_>>()
            .join(" and "),
        Pred::Not(q, _) => format!("not ({})", pred_text(q)),
        Pred::Role(names, _) => {
            let names: Vec<&str> = names.iter().map(|n| n.name.as_str()).collect();
            format!("role({})", names.join(", "))
        }
        Pred::Sql(t) => format!("sql({})", norm(&t.text)),
        Pred::Owner(_) => "owner".into(),
        Pred::Tenant(_) => "tenant".into(),
        Pred::Bool(b, _) => b.to_string(),
    }
}

/// `[unique ]method (keys) [where pred]`
pub fn index_text(unique: bool, method: &str, keys: &[String], predicate: Option<&str>) -> String {
    let mut s = format!(
        "{}{method} ({})",
        if unique { "unique " } else { "" },
        keys.join(", ")
    );
    if let Some(p) = predicate {
        s.push_str(&format!(" where {}", norm(p)));
    }
    s
}

/// One index key: a column or `(expr)`, with ` desc`.
pub fn key_text(key: &IndexKey, descending: bool) -> String {
    let k = match key {
        IndexKey::Column(c) => c.clone(),
        IndexKey::Expr(x) => format!("({})", norm(x)),
    };
    if descending {
        format!("{k} desc")
    } else {
        k
    }
}

/// `command [to roles] using [check …]`
pub fn policy_text(
    command: Command,
    roles: &[String],
    using: &Pred,
    check: Option<&Pred>,
) -> String {
    let mut s = command.as_str().to_string();
    if !roles.is_empty() {
        s.push_str(&format!(" to {}", roles.join(", ")));
    }
    s.push_str(&format!(" {}", pred_text(using)));
    if let Some(ch) = check {
        s.push_str(&format!(" check {}", pred_text(ch)));
    }
    s
}

/// `(columns) -> table(columns) on delete action`
pub fn foreign_key_text(
    columns: &[String],
    table: &str,
    ref_columns: &[String],
    on_delete: &str,
) -> String {
    format!(
        "({}) -> {table}({}) on delete {}",
        columns.join(", "),
        ref_columns.join(", "),
        on_delete.to_lowercase()
    )
}

impl TableShape {
    /// The shape of a lowered table; `target` names a foreign key's table.
    pub fn of(t: &Table, target: impl Fn(usize) -> String) -> TableShape {
        let columns = t
            .columns
            .iter()
            .map(|c| {
                (
                    c.name.clone(),
                    ColumnShape {
                        ty: c.ty.text.clone(),
                        nullable: c.nullable,
                        default: c.default.as_ref().map(|d| norm(&d.text)),
                        note: Note {
                            comment: c.comment.clone(),
                            classification: c.classification,
                        },
                    },
                )
            })
            .collect();
        // The tenant column's own derived index is compared like a
        // declared one: whether it exists depends on the other indexes,
        // and a history keeps it until a step drops it.
        let tenant = t.columns.iter().find(|c| c.origin == Origin::Tenant);
        let tenant_index = |i: &crate::ir::Index| {
            !i.unique
                && i.predicate.is_none()
                && matches!(i.elems.as_slice(), [e] if matches!(&e.key, IndexKey::Column(c) if tenant.is_some_and(|t| t.name == *c)))
        };
        // So are the foreign keys' derived ones: which a history builds
        // depends on its references (and their `no index`) and on what
        // else leads with their columns. The derived unique `(org_id, id)`
        // keys come and go with references from other tables.
        let mut derived = BTreeSet::new();
        let mut index_leads = BTreeMap::new();
        let declared: Vec<(String, String)> = t
            .indexes
            .iter()
            .filter(|i| !(i.derived && i.unique))
            .map(|i| {
                let keys: Vec<String> = i
                    .elems
                    .iter()
                    .map(|e| key_text(&e.key, e.descending))
                    .collect();
                let text = index_text(i.unique, &i.method, &keys, i.predicate.as_deref());
                if i.derived && !tenant_index(i) {
                    derived.insert(text.clone());
                } else if i.predicate.is_none() {
                    let lead = i.leading_columns().into_iter().map(String::from);
                    index_leads.insert(text.clone(), lead.collect());
                }
                (names::index(t, i), text)
            })
            .collect();
        let indexes = declared.iter().map(|(_, text)| text.clone()).collect();
        let index_names: BTreeMap<String, String> = declared.into_iter().collect();
        let mut uniques: BTreeSet<Vec<String>> =
            t.uniques.iter().map(|u| u.columns.clone()).collect();
        uniques.extend(
            t.columns
                .iter()
                .filter(|c| c.unique)
                .map(|c| vec![c.name.clone()]),
        );
        let foreign_keys = t
            .foreign_keys
            .iter()
            .map(|fk| {
                foreign_key_text(
                    &fk.columns,
                    &target(fk.table),
                    &fk.ref_columns,
                    fk.on_delete.as_sql(),
                )
            })
            .collect();
        let mut constraint_names = BTreeMap::new();
        for c in &t.checks {
            constraint_names.insert(names::check(t, c), Constraint::Check(norm(&c.expr.text)));
        }
        for u in &t.uniques {
            constraint_names.insert(names::unique(t, u), Constraint::Unique(u.columns.clone()));
        }
        for c in t.columns.iter().filter(|c| c.unique) {
            let u = crate::ir::Unique {
                columns: vec![c.name.clone()],
                name: None,
                span: c.span,
            };
            constraint_names.insert(names::unique(t, &u), Constraint::Unique(u.columns));
        }
        for fk in &t.foreign_keys {
            let text = foreign_key_text(
                &fk.columns,
                &target(fk.table),
                &fk.ref_columns,
                fk.on_delete.as_sql(),
            );
            constraint_names.insert(names::foreign_key(t, fk), Constraint::ForeignKey(text));
        }
        let policies = t
            .policies
            .iter()
            .flat_map(|p| {
                p.commands.iter().map(move |c| {
                    policy_text(*c, &p.roles, &p.using, p.check.as_ref())
                        + if p.check_using { " check using" } else { "" }
                })
            })
            .collect();
        TableShape {
            tenant: t.tenant,
            owner: t.owner.clone(),
            note: Note {
                comment: t.comment.clone(),
                classification: t.classification,
            },
            columns,
            primary_key: t.primary_key.clone(),
            indexes,
            uniques,
            checks: t.checks.iter().map(|c| norm(&c.expr.text)).collect(),
            foreign_keys,
            policies,
            index_names,
            constraint_names,
            derived,
            index_leads,
            references: Vec::new(),
        }
    }

    /// The shape of a declared table of `project`.
    pub fn declared(project: &Project, t: &Table) -> TableShape {
        TableShape::of(t, |i| project.tables[i].name.clone())
    }
}
