//! Which classified columns a role reads.
//!
//! Columns classified `pii` or `phi` are withheld: a role reads them only
//! when it says `reads pii` / `reads phi` (or `reads pii, phi`), or owns
//! the schema. Every other classification is read by whoever reads the
//! table. The grants (`plan::classified_reads`), the view check
//! (`check::classified_column_exposed`) and `sluice import` all ask here.
//!
//! Input: a role and a column's classification. Output: whether the
//! column is withheld from the role.

use super::{Classification, Role};

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
