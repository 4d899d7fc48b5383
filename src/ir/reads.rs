//! Which classified columns a role reads.
//!
//! Columns classified `pii` or `phi` are withheld: a role reads them only
//! when it says `reads pii` / `reads phi` (or `reads pii, phi`), or owns
//! the schema. Every other classification is read by whoever reads the
//! table. The grants (`plan::classified_reads`), the view check
//! (`check::classified_column_exposed`) and `sluice import` all ask here.
//!
//! A history that names its roles' `reads` (`grant reads pii to R`)
//! carries them like grants: each state's roles read what its history
//! granted them by then ([`carried`]).
//!
//! Input: a role and a column's classification; the `reads` a history
//! carries. Output: whether the column is withheld from the role; the
//! roles with the history's `reads`.

use std::collections::{BTreeMap, BTreeSet};

use super::{Classification, Role};
use crate::span::Span;

/// The classifications a role reads only with `reads`.
pub const WITHHELD: [Classification; 2] = [Classification::Pii, Classification::Phi];

/// The classifications named by `reads` (valid names only), sorted and
/// without repeats.
pub fn sorted<'a>(names: impl Iterator<Item = &'a str>) -> Vec<Classification> {
    let mut out: Vec<Classification> = names.filter_map(Classification::parse).collect();
    out.sort_by_key(|c| *c as usize);
    out.dedup();
    out
}

impl Role {
    /// Whether a column classified `c` is withheld from this role.
    pub fn withholds(&self, c: Option<Classification>) -> bool {
        c.is_some_and(|c| WITHHELD.contains(&c) && !self.owns_schema && !self.reads.contains(&c))
    }
}

/// The `(role, classification)` pairs the declared roles read, each with
/// its role's span.
pub fn declared(roles: &[Role]) -> BTreeMap<(String, String), Span> {
    let mut out = BTreeMap::new();
    for r in roles {
        for c in &r.reads {
            out.insert((r.name.clone(), c.as_str().to_string()), r.span);
        }
    }
    out
}

/// The roles, each reading what a history carries for it (`carried`, see
/// [`super::access::Access::reads`]) instead of what it declares.
pub fn carried(mut roles: Vec<Role>, carried: &BTreeMap<(String, String), Span>) -> Vec<Role> {
    for r in &mut roles {
        let names: BTreeSet<&str> = carried
            .keys()
            .filter(|(role, _)| *role == r.name)
            .map(|(_, c)| c.as_str())
            .collect();
        r.reads = sorted(names.into_iter());
    }
    roles
}
