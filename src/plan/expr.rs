//! SQL expressions and row predicates a recipe passes to its templates as
//! data, so that the templates, not Rust, write the SQL around them.
//!
//! Input: the pieces a recipe decided on (a column, which row, a type, SQL
//! text the user wrote). Output: [`Expr`] and [`Predicate`] values, rendered
//! by the `expr` and `predicate` macros of `templates/postgres/macros.sql.j2`.

use serde::Serialize;

/// A value computed for one row.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Expr {
    /// SQL text the user wrote, as written.
    Sql { text: String },
    /// SQL text in parentheses.
    Paren { text: String },
    /// A column, of the trigger's `NEW` row when `new_row`.
    Column { new_row: bool, name: String },
    /// A column (of the `NEW` row when `new_row`) cast to `ty`.
    Cast {
        new_row: bool,
        name: String,
        ty: String,
    },
}

impl Expr {
    pub fn sql(text: &str) -> Expr {
        Expr::Sql {
            text: text.to_string(),
        }
    }

    pub fn column(new_row: bool, name: &str) -> Expr {
        Expr::Column {
            new_row,
            name: name.to_string(),
        }
    }
}

/// What a row must satisfy.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Test {
    /// A condition the user wrote.
    Sql { text: String },
    /// The column is null.
    IsNull { column: String },
    /// The column differs from `from` (nulls compare equal).
    Distinct { column: String, from: Expr },
}

/// A [`Test`], in parentheses when `paren`.
#[derive(Debug, Clone, Serialize)]
pub struct Predicate {
    pub test: Test,
    pub paren: bool,
}

impl Predicate {
    pub fn bare(test: Test) -> Predicate {
        Predicate { test, paren: false }
    }

    /// The same test in parentheses.
    pub fn parenthesized(&self) -> Predicate {
        Predicate {
            test: self.test.clone(),
            paren: true,
        }
    }

    pub fn distinct(column: &str, from: Expr) -> Predicate {
        Predicate::bare(Test::Distinct {
            column: column.to_string(),
            from,
        })
    }
}
