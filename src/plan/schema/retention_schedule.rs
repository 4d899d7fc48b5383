//! Retention, scheduled: when the project declares the `pg_cron`
//! extension, every retained table also gets a procedure that purges all
//! its expired rows, which the `schedule/` script's pg_cron jobs call.
//!
//! Input: a retained table with its basis column and interval (see
//! [`super::retention`]). Output: statements pushed onto the
//! [`Planner`]: `SCHEMA.sluice_purge_all_TABLE(batch_size)`, a procedure
//! that calls the table's purge function until it returns 0, committing
//! after each batch (for a tenant table, once per org holding expired
//! rows), `EXECUTE` taken from `PUBLIC`, its owner set; the rollback drops
//! it. The jobs themselves are not in a migration (see
//! `crate::emit`'s schedule script).

use serde::Serialize;

use super::{rank, Planner};
use crate::ir::retention::purge_all_procedure;
use crate::ir::*;
use crate::plan::stmt::{Key, Stmt};

#[derive(Serialize)]
struct TenantCtx<'a> {
    column: &'a str,
    ty: &'a str,
}

#[derive(Serialize)]
struct Ctx<'a> {
    schema: &'a str,
    name: String,
    table: &'a str,
    purge: String,
    basis: &'a str,
    interval: &'a str,
    tenant: Option<TenantCtx<'a>>,
}

impl Planner<'_> {
    pub(super) fn purge_all(&mut self, t: &Table, basis: &str, interval: &str) {
        let p = self.project;
        let schema = self.schema_name();
        let ctx = Ctx {
            schema,
            name: purge_all_procedure(&t.name),
            table: &t.name,
            purge: names::purge_function(t),
            basis,
            interval,
            tenant: p.tenancy.as_ref().filter(|_| t.tenant).map(|x| TenantCtx {
                column: &x.column,
                ty: &x.ty.text,
            }),
        };
        let key = Key::Function(ctx.name.clone());
        let deps = [Key::Schema, Key::Function(ctx.purge.clone())];
        self.push(
            rank::FUNCTION,
            Stmt::new(
                "compliance/create_purge_all",
                format!("CreatePurgeAll {}", ctx.name),
                &ctx,
                key.clone(),
            )
            .after(deps.clone()),
        );
        self.push(
            rank::GRANT,
            Stmt::new(
                "compliance/revoke_purge_all",
                format!("RevokePurgeAll {} PUBLIC", ctx.name),
                &ctx,
                Key::Other(format!("revoke purge all {}", ctx.name)),
            )
            .after([key.clone()]),
        );
        let target =
            crate::plan::target::Target::function(schema, &ctx.name, vec!["integer".into()]);
        self.set_owner("PROCEDURE", target, &ctx.name, key.clone());
        self.undo(
            rank::TYPE,
            Stmt::new(
                "compliance/drop_purge_all",
                format!("DropPurgeAll {}", ctx.name),
                &ctx,
                key,
            )
            .after([Key::Schema]),
        );
    }
}
