//! The analytics feed: one publication per project a table says `publish
//! to`, listing for each table the columns it sends.
//!
//! Input: the project's tables with [`crate::ir::Publish`] items (the check
//! stage refuses a column list that names a `pii`/`phi` column or an
//! unknown one, and a target before PostgreSQL 15). Output: per target
//! project a `CREATE PUBLICATION sluice_to_TARGET FOR TABLE t (cols), …`
//! whose column lists leave out every `pii`/`phi` column, and its `DROP`
//! for the rollback.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{rank, Planner};
use crate::ir::*;
use crate::plan::stmt::{Key, Stmt};

#[derive(Serialize)]
struct TableCtx<'a> {
    name: &'a str,
    columns: Vec<&'a str>,
}

#[derive(Serialize)]
struct Ctx<'a> {
    schema: &'a str,
    name: String,
    tables: Vec<TableCtx<'a>>,
    alter: bool,
}

impl Planner<'_> {
    pub(super) fn publications(&mut self) {
        let mut by_target: BTreeMap<&str, Vec<TableCtx>> = BTreeMap::new();
        for t in &self.project.tables {
            for p in &t.publish {
                let columns: Vec<&str> = crate::ir::feed::sent_columns(t, p)
                    .into_iter()
                    .map(|c| c.name.as_str())
                    .collect();
                by_target
                    .entry(p.target.name.as_str())
                    .or_default()
                    .push(TableCtx {
                        name: &t.name,
                        columns,
                    });
            }
        }
        for (target, tables) in by_target {
            let deps: Vec<Key> = tables
                .iter()
                .map(|t| Key::Table(t.name.to_string()))
                .chain([Key::Schema])
                .collect();
            let ctx = Ctx {
                schema: self.schema_name(),
                name: names::publication(target),
                tables,
                alter: false,
            };
            let key = Key::Other(format!("publication {}", ctx.name));
            self.push(
                rank::COMMENT,
                Stmt::new(
                    "compliance/create_publication",
                    format!("CreatePublication {}", ctx.name),
                    &ctx,
                    key.clone(),
                )
                .after(deps.clone()),
            );
            self.undo(
                rank::COMMENT,
                Stmt::new(
                    "compliance/drop_publication",
                    format!("DropPublication {}", ctx.name),
                    &ctx,
                    key,
                )
                .after(deps),
            );
        }
    }
}
