//! `add column`: added with its default when the default is stable; a
//! volatile default would rewrite the table, so new rows get it from the
//! column default and existing rows from a batched backfill. A column check
//! is added `NOT VALID` and validated by the script.
//!
//! Input: the step's column path. Output: statements in `pre`, `post`,
//! `script` and `undo`.

use minijinja::context;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use super::{column_of, Recipes};
use crate::ast;
use crate::ir::names;
use crate::plan::expr::{Expr, Predicate, Test};

impl Recipes<'_> {
    pub(super) fn add_column(&mut self, column: &ast::Path) {
        let (t, c) = column_of(column);
        if self.is_fresh(&t) {
            return;
        }
        let Some(col) = self.after.table(&t).and_then(|x| x.column(&c)) else {
            return;
        };
        let ty = self.type_sql(&col.ty);
        let default = col.default.as_ref().map(|d| d.text.trim().to_string());
        let volatile = default.as_deref().is_some_and(is_volatile);
        let stable_default = default.as_deref().filter(|_| !volatile);
        self.pre.push(self.on_table(
            "recipes/add_column",
            format!("AddColumn {t}.{c}"),
            &t,
            context! { column => &c, ty, default => stable_default, not_null => !col.nullable },
        ));
        if let (Some(d), true) = (&default, volatile) {
            // A volatile default would rewrite the table: new rows get it
            // from the column default, existing rows from the backfill.
            self.pre.push(self.alter_column_to(
                format!("SetDefault {t}.{c}"),
                &t,
                &c,
                "set_default",
                Some(d),
                None,
            ));
            let filter = Predicate::bare(Test::IsNull { column: c.clone() });
            self.script
                .push(self.backfill_stmt(&t, &c, Expr::sql(d), Some(filter), None, None));
        }
        if let Some(check) = &col.check {
            let name = names::check(
                self.after.table(&t).expect("found above"),
                &crate::ir::Check {
                    name: None,
                    column: Some(c.clone()),
                    expr: check.clone(),
                    span: check.span,
                },
            );
            self.post.push(self.on_table(
                "recipes/add_check",
                format!("AddCheckNotValid {name}"),
                &t,
                context! { name, expr => check.text.trim(), not_valid => true },
            ));
            self.script.push(self.validate(&t, &name));
        }
        self.undo.push(self.drop_column(&t, &c));
    }

    pub(super) fn drop_column(&self, t: &str, c: &str) -> crate::plan::stmt::Stmt {
        self.on_table(
            "recipes/drop_column",
            format!("DropColumn {t}.{c}"),
            t,
            context! { column => c },
        )
    }

    /// A column type as a statement writes it: an enum of the project is
    /// qualified by the schema.
    pub(super) fn type_sql(&self, ty: &ast::TypeName) -> String {
        if self.after.enums.iter().any(|e| e.name == ty.base) {
            crate::quote::qualified_type(self.schema(), &ty.base, ty.array_dims)
        } else {
            ty.text.clone()
        }
    }
}

/// Whether a default expression calls a volatile function (it would be
/// evaluated for every existing row, rewriting the table).
fn is_volatile(sql: &str) -> bool {
    Parser::new(&PostgreSqlDialect {})
        .try_with_sql(sql)
        .and_then(|mut p| p.parse_expr())
        .map(|e| crate::pg::volatility::first_volatile_call(&e).is_some())
        .unwrap_or(true)
}
