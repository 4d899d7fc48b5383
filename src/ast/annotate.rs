//! Steps that change what a table or column is said to be, not what it
//! holds: `classify`, `declassify`, `comment on`, `drop comment on`.
//!
//! Part of [`crate::ast`]; produced by [`crate::parse`], read by
//! [`crate::lower`] (checked and replayed) and [`crate::plan`] (the
//! `COMMENT ON` and the column grants a classification decides).

use super::*;

/// `classify|declassify|comment on|drop comment on table|column PATH …`
#[derive(Debug, Clone, Hash)]
pub struct Annotate {
    /// Whether the path names a column (`column t.c`) or a table (`table t`).
    pub column: bool,
    pub target: Path,
    pub change: Annotation,
}

#[derive(Debug, Clone, Hash)]
pub enum Annotation {
    /// `classify … TAG` (`Some`) or `declassify …` (`None`).
    Classify(Option<Ident>),
    /// `comment on … "text"` (`Some`) or `drop comment on …` (`None`).
    Comment(Option<StrLit>),
}

impl Annotate {
    /// The table the step changes.
    pub fn table(&self) -> Option<&str> {
        let n = self.target.parts.len();
        match self.column {
            true => (n >= 2).then(|| self.target.parts[n - 2].name.as_str()),
            false => Some(self.target.last().name.as_str()),
        }
    }

    /// The column the step changes, if it names one.
    pub fn column_name(&self) -> Option<&str> {
        self.column.then(|| self.target.last().name.as_str())
    }
}
