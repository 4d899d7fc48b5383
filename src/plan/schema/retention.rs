//! Retention: the purge function of every table with `retain`, and the
//! policies that let it see and delete that table's expired rows.
//!
//! Input: the project's tables with a [`crate::ir::retention::Retention`]
//! whose basis column and primary key exist (the check stage reports the
//! others). Output: statements pushed onto the [`Planner`]: per table a
//! `SECURITY DEFINER` function owned by the schema owner that deletes one
//! batch of expired rows (of one org, for a tenant table) in primary-key
//! order and returns how many it deleted; `EXECUTE` taken from `PUBLIC`
//! and granted to the roles granted `execute on functions`; and, when the
//! table has row-level security, a `SELECT` and a `DELETE` policy for the
//! schema owner limited to expired rows. Rollback drops the policies and
//! the function.

use serde::Serialize;

use super::{rank, Planner};
use crate::ir::*;
use crate::plan::stmt::{Key, Stmt};
use crate::plan::target::Target;

#[derive(Serialize)]
struct TenantCtx<'a> {
    column: &'a str,
    ty: &'a str,
    setting: &'a str,
}

#[derive(Serialize)]
struct PurgeCtx<'a> {
    schema: &'a str,
    name: String,
    table: &'a str,
    key: &'a [String],
    basis: &'a str,
    interval: String,
    tenant: Option<TenantCtx<'a>>,
    arg_types: Vec<String>,
    audited: bool,
}

#[derive(Serialize)]
struct GrantCtx<'a> {
    function: Target,
    role: Option<&'a str>,
}

#[derive(Serialize)]
struct PolicyCtx<'a> {
    schema: &'a str,
    table: &'a str,
    name: String,
    command: &'a str,
    role: &'a str,
    basis: &'a str,
    interval: &'a str,
}

impl Planner<'_> {
    pub(super) fn retention(&mut self) {
        let p = self.project;
        for t in &p.tables {
            let Some(r) = &t.retention else { continue };
            let Ok(basis) = r.basis(t, &p.conventions) else {
                continue;
            };
            if t.primary_key.is_empty() {
                continue;
            }
            self.purge(t, &basis.name, r.interval());
            if crate::ir::retention::schedules_purges(p) {
                self.purge_all(t, &basis.name, &r.interval());
            }
        }
    }

    fn purge(&mut self, t: &Table, basis: &str, interval: String) {
        let p = self.project;
        let schema = self.schema_name();
        let tenant = p.tenancy.as_ref().filter(|_| t.tenant).map(|x| TenantCtx {
            column: &x.column,
            ty: &x.ty.text,
            setting: &x.org_setting,
        });
        let mut arg_types: Vec<String> = tenant.iter().map(|x| x.ty.to_string()).collect();
        arg_types.push("integer".into());
        let audited = p
            .audit_trail
            .is_some_and(|i| t.tenant && p.tables[i].name != t.name);
        let ctx = PurgeCtx {
            schema,
            name: names::purge_function(t),
            table: &t.name,
            key: &t.primary_key,
            basis,
            interval: interval.clone(),
            tenant,
            arg_types,
            audited,
        };
        let key = Key::Function(ctx.name.clone());
        let table_key = Key::Table(t.name.clone());
        self.push(
            rank::FUNCTION,
            Stmt::new(
                "compliance/create_purge",
                format!("CreatePurge {}", ctx.name),
                &ctx,
                key.clone(),
            )
            .after([Key::Schema, table_key.clone()]),
        );
        self.undo(
            rank::TYPE,
            Stmt::new(
                "compliance/drop_purge",
                format!("DropPurge {}", ctx.name),
                &ctx,
                key.clone(),
            )
            .after([Key::Schema]),
        );
        let target =
            crate::plan::target::Target::function(schema, &ctx.name, ctx.arg_types.clone());
        self.set_owner("FUNCTION", target.clone(), &ctx.name, key.clone());
        // Only the roles trusted with functions may run it; it deletes
        // nothing the retention period does not already condemn.
        let runners: Vec<String> = self
            .ws
            .roles
            .iter()
            .filter(|r| {
                r.grants.iter().any(|g| {
                    g.on == GrantOn::AllFunctions
                        && g.privileges.iter().any(|x| x == "execute" || x == "all")
                })
            })
            .map(|r| r.name.clone())
            .collect();
        for role in std::iter::once(None).chain(runners.iter().map(|r| Some(r.as_str()))) {
            let g = GrantCtx {
                function: target.clone(),
                role,
            };
            let who = role.unwrap_or("PUBLIC");
            let mut deps = vec![key.clone()];
            deps.extend(role.map(|r| Key::Role(r.to_string())));
            self.push(
                rank::GRANT,
                Stmt::new(
                    "compliance/grant_purge",
                    format!("GrantPurge {} {who}", ctx.name),
                    &g,
                    Key::Other(format!("grant purge {} {who}", ctx.name)),
                )
                .after(deps),
            );
        }
        if t.tenant || !t.policies.is_empty() {
            self.purge_policies(t, basis, &interval);
        }
    }

    /// The schema owner's view of the table under row-level security: its
    /// expired rows, to read (the delete's `WHERE`) and to delete. The
    /// tenant isolation still applies: one org at a time.
    fn purge_policies(&mut self, t: &Table, basis: &str, interval: &str) {
        let Some(owner) = self.owner() else { return };
        let mut deps = self.all_tables();
        deps.push(Key::Other(format!("rls FORCE {}", t.name)));
        deps.push(Key::Role(owner.to_string()));
        for command in ["select", "delete"] {
            let ctx = PolicyCtx {
                schema: self.schema_name(),
                table: &t.name,
                name: names::purge_policy(t, command),
                command,
                role: owner,
                basis,
                interval,
            };
            let key = Key::Other(format!("policy {}", ctx.name));
            let label = format!("CreatePolicy {} (retention purge)", ctx.name);
            let drop_label = format!("DropPolicy {} (retention purge)", ctx.name);
            self.push(
                rank::POLICY,
                Stmt::new("compliance/purge_policy", label, &ctx, key.clone()).after(deps.clone()),
            );
            self.undo(
                rank::POLICY,
                Stmt::new("drop_policy", drop_label, &ctx, key).after(deps.clone()),
            );
        }
    }
}
