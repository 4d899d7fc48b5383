//! The differences between two shapes of one table: the declared one and
//! the one a migration history builds.
//!
//! Input: two [`TableShape`]s. Output: a [`TableDiff`] listing, in a stable
//! order, each column on one side only or different on both, each index,
//! constraint or policy on one side only, and whether tenancy, owner or
//! primary key differ, and the comments and classifications (the table's
//! own first, then its columns by name) that differ. `schema-drift` reports it; `sluice plan` writes the
//! steps that close it.

use super::notes::NoteDiff;
use super::shape::{ColumnShape, TableShape};

/// A declared column the history does not build as declared.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ColumnDiff {
    /// Declared, never added.
    Missing { name: String, want: ColumnShape },
    /// Both sides have it, in different forms.
    Changed {
        name: String,
        have: ColumnShape,
        want: ColumnShape,
    },
}

/// The kinds of table items compared as sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Item {
    Index,
    Unique,
    Check,
    ForeignKey,
    Policy,
}

impl Item {
    pub fn as_str(self) -> &'static str {
        match self {
            Item::Index => "index",
            Item::Unique => "unique constraint",
            Item::Check => "check",
            Item::ForeignKey => "foreign key",
            Item::Policy => "policy",
        }
    }

    /// The start of the step that adds one.
    pub fn add_step(self) -> &'static str {
        match self {
            Item::Index => "add index on",
            Item::Unique => "add unique on",
            Item::Check => "add check on",
            Item::ForeignKey => "add foreign key",
            Item::Policy => "add policy on",
        }
    }
}

/// Items of one kind on one side only, as their shape texts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ItemDiff {
    pub item: Item,
    /// Declared, not built.
    pub missing: Vec<String>,
    /// Built, not declared.
    pub extra: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct TableDiff {
    /// In column-name order.
    pub columns: Vec<ColumnDiff>,
    /// Built, not declared; in name order.
    pub extra_columns: Vec<String>,
    /// Index, unique, check, foreign key and policy differences, in that
    /// order; kinds without a difference are left out.
    pub items: Vec<ItemDiff>,
    /// Tenancy, owner or primary key differ.
    pub key_differs: bool,
    /// Comments and classifications of the table and of the columns both
    /// sides have.
    pub notes: Vec<NoteDiff>,
}

impl TableDiff {
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
            && self.extra_columns.is_empty()
            && self.items.is_empty()
            && !self.key_differs
            && self.notes.is_empty()
    }

    /// The differences of one kind of item, if any.
    pub fn item(&self, item: Item) -> Option<&ItemDiff> {
        self.items.iter().find(|d| d.item == item)
    }
}

/// What `built` lacks or has too many of, to be `declared`.
pub fn table(declared: &TableShape, built: &TableShape) -> TableDiff {
    let mut columns = Vec::new();
    for (name, want) in &declared.columns {
        match built.columns.get(name) {
            None => columns.push(ColumnDiff::Missing {
                name: name.clone(),
                want: want.clone(),
            }),
            Some(have) if !have.same_definition(want) => columns.push(ColumnDiff::Changed {
                name: name.clone(),
                have: have.clone(),
                want: want.clone(),
            }),
            Some(_) => {}
        }
    }
    let extra_columns = built
        .columns
        .keys()
        .filter(|c| !declared.columns.contains_key(*c))
        .cloned()
        .collect();
    let joined = |s: &std::collections::BTreeSet<Vec<String>>| -> Vec<String> {
        s.iter().map(|u| u.join(", ")).collect()
    };
    let sets: [(Item, Vec<String>, Vec<String>); 5] = [
        (
            Item::Index,
            declared.indexes.iter().cloned().collect(),
            built.indexes.iter().cloned().collect(),
        ),
        (
            Item::Unique,
            joined(&declared.uniques),
            joined(&built.uniques),
        ),
        (
            Item::Check,
            declared.checks.iter().cloned().collect(),
            built.checks.iter().cloned().collect(),
        ),
        (
            Item::ForeignKey,
            declared.foreign_keys.iter().cloned().collect(),
            built.foreign_keys.iter().cloned().collect(),
        ),
        (
            Item::Policy,
            declared.policies.iter().cloned().collect(),
            built.policies.iter().cloned().collect(),
        ),
    ];
    let items = sets
        .into_iter()
        .map(|(item, want, have)| ItemDiff {
            item,
            missing: want.iter().filter(|w| !have.contains(w)).cloned().collect(),
            extra: have.iter().filter(|h| !want.contains(h)).cloned().collect(),
        })
        .filter(|d| !d.missing.is_empty() || !d.extra.is_empty())
        .collect();
    TableDiff {
        columns,
        extra_columns,
        items,
        key_differs: declared.tenant != built.tenant
            || declared.owner != built.owner
            || declared.primary_key != built.primary_key,
        notes: notes(declared, built),
    }
}

impl ColumnShape {
    /// Whether two columns are built alike, notes aside.
    pub fn same_definition(&self, other: &ColumnShape) -> bool {
        self.ty == other.ty && self.nullable == other.nullable && self.default == other.default
    }
}

/// The notes `built` must change to be `declared`: the table's own, and
/// those of the columns both have.
pub fn notes(declared: &TableShape, built: &TableShape) -> Vec<NoteDiff> {
    let mut out = Vec::new();
    if declared.note != built.note {
        out.push(NoteDiff {
            column: None,
            have: built.note.clone(),
            want: declared.note.clone(),
        });
    }
    for (name, want) in &declared.columns {
        if let Some(have) = built.columns.get(name) {
            if have.note != want.note {
                out.push(NoteDiff {
                    column: Some(name.clone()),
                    have: have.note.clone(),
                    want: want.note.clone(),
                });
            }
        }
    }
    out
}
