//! `backfill`: a keyset-paged update, one transaction per batch, in the
//! script after the expand phase and again (catching up) before the
//! contract phase, whose guard refuses while rows still need it.
//!
//! Input: the backfill (or a recipe's copy: column, value, filter). Output:
//! a statement in `script` and a guard.

use minijinja::context;

use super::{column_of, Recipes};
use crate::ast;
use crate::plan::expr::{Expr, Predicate, Test};
use crate::plan::stmt::Stmt;

/// Rows per backfill batch when the migration does not say.
pub const DEFAULT_BATCH: u64 = 1000;

impl Recipes<'_> {
    pub(super) fn backfill(&mut self, b: &ast::Backfill) {
        let (t, c) = column_of(&b.target);
        let expr = b.expr.text.trim();
        let filter = b.filter.as_ref().map(|f| {
            Predicate::bare(Test::Sql {
                text: f.text.trim().to_string(),
            })
        });
        let stmt = self.backfill_stmt(
            &t,
            &c,
            Expr::sql(expr),
            filter.clone(),
            b.batch.map(|(n, _)| n),
            b.pause.as_ref().map(|d| d.millis),
        );
        self.script.push(stmt);
        let needs = Self::needs(&c, expr, filter);
        self.guard(&t, needs, format!("the backfill of {t}.{c}"));
    }

    /// Rows a backfill still has to change: those matching its filter, else
    /// those whose column differs from the value.
    fn needs(c: &str, expr: &str, filter: Option<Predicate>) -> Predicate {
        match filter {
            Some(f) => f.parenthesized(),
            None => Predicate::distinct(
                c,
                Expr::Paren {
                    text: expr.to_string(),
                },
            ),
        }
    }

    /// A keyset-paged backfill setting `c` to `value` where `filter` holds
    /// (else where `c` differs from `value`): one transaction per batch,
    /// restartable because it only touches rows still needing the change.
    pub(super) fn backfill_stmt(
        &self,
        t: &str,
        c: &str,
        value: Expr,
        filter: Option<Predicate>,
        batch: Option<u64>,
        pause_ms: Option<u64>,
    ) -> Stmt {
        let table = self.after.table(t).or_else(|| self.before.table(t));
        let key = table
            .and_then(|x| x.primary_key.first().cloned())
            .unwrap_or_else(|| "id".to_string());
        let key_type = table
            .and_then(|x| x.column(&key))
            .map(|x| x.ty.text.clone())
            .unwrap_or_else(|| "uuid".to_string());
        let needs = match filter {
            Some(f) => f.parenthesized(),
            None => Predicate::distinct(
                c,
                match &value {
                    Expr::Sql { text } => Expr::Paren { text: text.clone() },
                    other => other.clone(),
                },
            ),
        };
        let batch = batch.unwrap_or(DEFAULT_BATCH).max(1);
        let pause = pause_ms.unwrap_or(0);
        let pause = format!("{}.{:03}", pause / 1000, pause % 1000);
        self.on_table(
            "recipes/backfill",
            format!("Backfill {t}.{c}"),
            t,
            context! { column => c, key, key_type, needs, value, batch, pause },
        )
    }
}
