//! `add unique`: the unique index is built concurrently by the script, and
//! the contract phase turns it into the constraint without a scan.
//!
//! Input: the step's table and unique definition. Output: the index build
//! in `script`, the constraint in the contract's `pre`, their undo (the
//! contract's rebuilds the index its constraint took over).

use minijinja::context;

use super::Recipes;
use crate::ast;
use crate::ir::names;
use crate::plan::stmt::{Key, Stmt};
use crate::plan::stmt::{DROP_INDEX_CONCURRENTLY, REBUILD_INDEX_CONCURRENTLY};

impl Recipes<'_> {
    pub(super) fn add_unique(&mut self, table: &ast::Path, unique: &ast::UniqueDef) {
        let t = table.last().name.as_str();
        if self.is_fresh(t) {
            return;
        }
        let name = self.unique_name(t, unique);
        let columns: Vec<&str> = unique.columns.iter().map(|c| c.name.as_str()).collect();
        let key = Key::Other(format!("index {name}"));
        let mut build = self.on_table(
            "recipes/create_unique_index_concurrently",
            format!("CreateUniqueIndexConcurrently {name}"),
            t,
            context! { name, columns },
        );
        build.key = key.clone();
        self.script.push(build);
        // Built concurrently, dropped concurrently: before the rollback's
        // transaction.
        self.undo.push(Stmt::new(
            "recipes/drop_index",
            format!("{DROP_INDEX_CONCURRENTLY} {name}"),
            context! { schema => self.schema(), name, concurrently => true },
            key,
        ));
    }

    /// The contract half: the constraint over the index the script built.
    pub(super) fn finish_add_unique(&mut self, table: &ast::Path, unique: &ast::UniqueDef) {
        let t = table.last().name.as_str();
        if self.new_tables().contains(t) {
            return;
        }
        let name = self.unique_name(t, unique);
        self.pre.push(self.on_table(
            "recipes/add_unique_using_index",
            format!("AddUniqueUsingIndex {name}"),
            t,
            context! { name },
        ));
        // Dropping the constraint drops the index it took over, which the
        // expand phase (still deployed after this rollback) built: the
        // rollback builds it again, concurrently, after its transaction.
        let columns: Vec<&str> = unique.columns.iter().map(|c| c.name.as_str()).collect();
        self.undo.push(self.on_table(
            "recipes/rebuild_index",
            format!("{REBUILD_INDEX_CONCURRENTLY} {name}"),
            t,
            context! { name, columns, unique => true, concurrently => true },
        ));
        self.undo.push(self.drop_constraint(t, &name));
    }

    fn unique_name(&self, t: &str, u: &ast::UniqueDef) -> String {
        let cols: Vec<String> = u.columns.iter().map(|c| c.name.clone()).collect();
        match (&u.name, self.after.table(t)) {
            (Some(n), _) => n.name.clone(),
            (None, Some(table)) => table
                .uniques
                .iter()
                .find(|x| x.columns == cols)
                .map(|x| names::unique(table, x))
                .unwrap_or_else(|| format!("{t}_{}_key", cols.join("_"))),
            (None, None) => format!("{t}_{}_key", cols.join("_")),
        }
    }
}
