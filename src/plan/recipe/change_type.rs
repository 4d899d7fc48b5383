//! `change type`: in place when the change is safe (a widening, a new
//! table, forced); otherwise through a shadow column of the new type, kept
//! in sync by the trigger and backfilled, which the contract phase renames
//! over the old column (irreversibly).
//!
//! Input: the step's column path, new type and `using` expression. Output:
//! statements in every place, a guard and an irreversible note.

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use super::{column_of, Recipes};
use crate::ast::{self, StepKind};
use crate::ir::PhaseKind;
use crate::plan::expr::{Expr, Predicate};

impl Recipes<'_> {
    /// The direct form: `ALTER COLUMN … TYPE`, undone by the old type.
    pub(super) fn change_type_in_place(
        &mut self,
        column: &ast::Path,
        ty: &ast::TypeName,
        using: Option<&ast::SqlText>,
    ) {
        let (t, c) = column_of(column);
        let old = self
            .before
            .table(&t)
            .and_then(|x| x.column(&c))
            .map(|x| x.ty.text.clone());
        self.pre.push(self.alter_column_to(
            format!("ChangeType {t}.{c}"),
            &t,
            &c,
            "type",
            Some(&ty.text),
            using.map(|u| u.text.trim()),
        ));
        match old {
            Some(old) if !self.is_fresh(&t) => {
                let using = using.map(|u| u.text.as_str());
                let undo = if crate::pg::type_change::is_in_place(&c, &old, &ty.text, using) {
                    // Undoing a widening narrows: a rewrite no form avoids,
                    // said so where `sluice lint` reads it.
                    self.on_table(
                        "recipes/narrow_column",
                        format!("ChangeType {t}.{c}"),
                        &t,
                        minijinja::context! { column => &c, value => &old },
                    )
                } else {
                    self.alter_column_to(
                        format!("ChangeType {t}.{c}"),
                        &t,
                        &c,
                        "type",
                        Some(&old),
                        None,
                    )
                };
                self.undo.push(undo);
            }
            _ => {}
        }
    }

    /// Whether a `change type` step goes through a shadow column (judged
    /// on the schema before the migration, as the phase states are).
    pub(super) fn is_shadowed(&self, step: &ast::Step) -> bool {
        let StepKind::ChangeType { column, ty, .. } = &step.kind else {
            return false;
        };
        let (t, c) = column_of(column);
        let fresh = self.new_tables().contains(&t);
        let old = self.migration_start_type(&t, &c);
        old.is_some_and(|old| crate::lower::is_shadowed_type_change(step, &old, &ty.text, fresh))
    }

    /// A column's type as the migration found it: in a contract phase the
    /// shadow column exists and the original still has its old type.
    fn migration_start_type(&self, t: &str, c: &str) -> Option<String> {
        self.before
            .table(t)
            .and_then(|x| x.column(c))
            .map(|x| x.ty.text.clone())
    }

    /// Column `c` converted to the new type: the `using` expression with
    /// the column read from the `NEW` row when `new_row`, or a cast.
    fn converted(c: &str, ty: &ast::TypeName, using: Option<&ast::SqlText>, new_row: bool) -> Expr {
        let cast = Expr::Cast {
            new_row,
            name: c.to_string(),
            ty: ty.text.clone(),
        };
        let Some(using) = using else {
            return cast;
        };
        if !new_row {
            return Expr::Paren {
                text: using.text.trim().to_string(),
            };
        }
        match Parser::new(&PostgreSqlDialect {})
            .try_with_sql(using.text.trim())
            .and_then(|mut p| p.parse_expr())
        {
            Ok(mut expr) => {
                let _ = sqlparser::ast::visit_expressions_mut(&mut expr, |e| {
                    if let sqlparser::ast::Expr::Identifier(id) = e {
                        if id.value == c {
                            *e = sqlparser::ast::Expr::CompoundIdentifier(vec![
                                sqlparser::ast::Ident::new("NEW"),
                                sqlparser::ast::Ident::with_quote('"', c),
                            ]);
                        }
                    }
                    std::ops::ControlFlow::<()>::Continue(())
                });
                Expr::Paren {
                    text: expr.to_string(),
                }
            }
            Err(_) => cast,
        }
    }

    /// Expand half of a type change: a shadow column of the new type, a
    /// trigger converting whichever side a writer sets, a batched copy.
    pub(super) fn type_change_expand(
        &mut self,
        column: &ast::Path,
        ty: &ast::TypeName,
        using: Option<&ast::SqlText>,
    ) {
        let (t, c) = column_of(column);
        let Some(old) = self.migration_start_type(&t, &c) else {
            return;
        };
        let shadow = crate::lower::shadow_column(&c);
        let new_ty = self.type_sql(ty);
        let to_new = Self::converted(&c, ty, using, true);
        let to_old = Expr::Cast {
            new_row: true,
            name: shadow.clone(),
            ty: old,
        };
        self.add_synced_column(&t, &c, &shadow, &new_ty, to_new, to_old);
        self.type_change_catch_up(column, ty, using);
    }

    /// The batched copy into the shadow column (again before the contract,
    /// and then the NOT NULL check the contract relies on).
    pub(super) fn type_change_catch_up(
        &mut self,
        column: &ast::Path,
        ty: &ast::TypeName,
        using: Option<&ast::SqlText>,
    ) {
        let (t, c) = column_of(column);
        let shadow = crate::lower::shadow_column(&c);
        let conv = Self::converted(&c, ty, using, false);
        let filter = Predicate::distinct(&shadow, conv.clone());
        self.script
            .push(self.backfill_stmt(&t, &shadow, conv, Some(filter.clone()), None, None));
        self.guard(&t, filter, format!("the copy of {t}.{c} into {shadow}"));
        if self.kind == PhaseKind::Contract && self.was_required(&t, &c) {
            self.not_null_check_script(&t, &shadow);
        }
    }

    /// Contract half: the old column goes, the shadow takes its name, its
    /// default and its NOT NULL (through the validated check).
    pub(super) fn type_change_contract(&mut self, column: &ast::Path) {
        let (t, c) = column_of(column);
        let shadow = crate::lower::shadow_column(&c);
        let func = Self::sync_function(&t, &c);
        let drops = self.drop_sync(&t, &func);
        self.pre.extend(drops);
        self.pre.push(self.drop_column(&t, &c));
        self.pre.push(self.on_table(
            "recipes/rename_shadow",
            format!("RenameColumn {t}.{shadow}"),
            &t,
            minijinja::context! { shadow, column => &c },
        ));
        let default = self
            .after
            .table(&t)
            .and_then(|x| x.column(&c))
            .and_then(|x| x.default.as_ref())
            .map(|d| d.text.trim().to_string());
        if let Some(d) = default {
            self.pre.push(self.alter_column_to(
                format!("SetDefault {t}.{c}"),
                &t,
                &c,
                "set_default",
                Some(&d),
                None,
            ));
        }
        if self.was_required(&t, &c) {
            let check = Self::not_null_check_name(&t, &shadow);
            self.set_not_null_proven(&t, &c, &check);
            self.pre.push(self.drop_constraint(&t, &check));
        }
        self.irreversible.push(format!(
            "change type of {t}.{c}: the column of the old type is dropped"
        ));
    }
}
