//! `drop column|table|constraint|enum|extension`: contract-phase drops,
//! each irreversible (the rollback cannot bring the data back). Indexes,
//! views and functions disappear from the compared states instead.
//!
//! Input: the kind and the target path. Output: statements in `pre` and
//! irreversible notes; a leftover tenant index's concurrent drop goes in
//! the script before the contract, with its undo.

use minijinja::context;

use super::{column_of, Recipes};
use crate::ast;
use crate::ir::names;
use crate::ir::Table;
use crate::plan::stmt::{Key, Stmt};
use crate::plan::stmt::{DROP_INDEX_CONCURRENTLY, REBUILD_INDEX_CONCURRENTLY};

impl Recipes<'_> {
    pub(super) fn drop(&mut self, kind: &str, target: &ast::Path) {
        let name = target.last().name.clone();
        match kind {
            "column" => {
                let (t, c) = column_of(target);
                self.pre.push(self.drop_column(&t, &c));
                self.irreversible
                    .push(format!("drop column {t}.{c}: its data is gone"));
            }
            "table" => {
                self.pre.push(self.drop_object(
                    "table",
                    format!("DropTable {name}"),
                    &name,
                    Key::Table(name.clone()),
                ));
                self.irreversible
                    .push(format!("drop table {name}: its rows are gone"));
            }
            "constraint" => {
                if let Some(t) = self.before.tables.iter().find(|t| has_constraint(t, &name)) {
                    let tn = t.name.clone();
                    self.pre.push(self.drop_constraint(&tn, &name));
                    self.irreversible.push(format!(
                        "drop constraint {name}: re-adding it must re-validate every row"
                    ));
                }
            }
            "enum" | "type" => {
                self.pre.push(self.drop_object(
                    "type",
                    format!("DropEnum {name}"),
                    &name,
                    Key::Type(name.clone()),
                ));
                self.irreversible.push(format!("drop enum {name}"));
            }
            "extension" => {
                self.pre.push(self.drop_object(
                    "extension",
                    format!("DropExtension {name}"),
                    &name,
                    Key::Extension(name.clone()),
                ));
                self.irreversible.push(format!("drop extension {name}"));
            }
            "index" => self.drop_leftover_tenant_index(&name),
            // Views and functions, and the indexes the states hold,
            // disappear from the compared states.
            _ => {}
        }
    }

    /// `drop index T_org_id_idx` of a tenant index no state holds any
    /// more: derived while nothing else led with the tenant column, it
    /// stayed when a declared index came to cover it. The rollback builds
    /// it again.
    fn drop_leftover_tenant_index(&mut self, name: &str) {
        let held = self
            .before
            .tables
            .iter()
            .any(|t| t.indexes.iter().any(|i| names::index(t, i) == name));
        let Some(col) = self.before.tenancy.as_ref().map(|t| t.column.clone()) else {
            return;
        };
        let Some(t) = self
            .before
            .tables
            .iter()
            .find(|t| t.tenant && format!("{}_{col}_idx", t.name) == name)
        else {
            return;
        };
        if held {
            return;
        }
        let table = t.name.clone();
        let key = Key::Other(format!("index {name}"));
        if t.partition.is_some() {
            // PostgreSQL drops a partitioned table's index only under its
            // lock, in the contract's transaction.
            self.post.push(Stmt::new(
                "recipes/drop_index",
                format!("DropIndex {name}"),
                context! { schema => self.schema(), name, concurrently => false, partitioned => true },
                key.clone(),
            ));
            let mut rebuild = self.on_table(
                "recipes/rebuild_index",
                format!("RebuildIndex {name}"),
                &table,
                context! { name, columns => vec![col], unique => false, partitioned => true },
            );
            rebuild.key = key;
            self.undo.push(rebuild);
            return;
        }
        // Dropped concurrently by the script before the contract; built
        // again concurrently after the rollback's transaction.
        self.script.push(Stmt::new(
            "recipes/drop_index",
            format!("{DROP_INDEX_CONCURRENTLY} {name}"),
            context! { schema => self.schema(), name, concurrently => true },
            key.clone(),
        ));
        let mut rebuild = self.on_table(
            "recipes/rebuild_index",
            format!("{REBUILD_INDEX_CONCURRENTLY} {name}"),
            &table,
            context! { name, columns => vec![col], unique => false, concurrently => true },
        );
        rebuild.key = key;
        self.undo.push(rebuild);
    }

    fn drop_object(&self, object: &str, label: String, name: &str, key: Key) -> Stmt {
        Stmt::new(
            "recipes/drop_object",
            label,
            context! { schema => self.schema(), object, name },
            key,
        )
    }
}

fn has_constraint(t: &Table, name: &str) -> bool {
    t.checks.iter().any(|c| names::check(t, c) == name)
        || t.uniques.iter().any(|u| names::unique(t, u) == name)
        || t.foreign_keys
            .iter()
            .any(|f| names::foreign_key(t, f) == name)
}
