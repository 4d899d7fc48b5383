//! Row-level security of one table: enabling and forcing it, its
//! policies (tenant isolation, the audit trigger's writer, declared ones),
//! and the comments that carry its columns' classification.
//!
//! Input: a resolved [`Table`]. Output: statements pushed onto the
//! [`Planner`] (forward and undo).

use serde::Serialize;

use super::{rank, Planner};
use crate::ir::*;
use crate::plan::predicate::{self, PredCx, PredSql};
use crate::plan::stmt::{Context, Key, Stmt};
use crate::plan::target::Target;

impl Planner<'_> {
    pub(super) fn rls_stmt(&mut self, table: &str, mode: &'static str, table_key: Key) {
        #[derive(Serialize)]
        struct Ctx<'a> {
            schema: &'a str,
            table: &'a str,
            mode: &'a str,
        }
        let ctx = Ctx {
            schema: self.schema_name(),
            table,
            mode,
        };
        let label = format!(
            "{} RLS {table}",
            if mode == "ENABLE" {
                "EnableRls"
            } else {
                "ForceRls"
            }
        );
        let key = Key::Other(format!("rls {mode} {table}"));
        self.push(
            rank::RLS,
            Stmt::new("enable_rls", label, &ctx, key).after([table_key]),
        );
    }

    pub(super) fn rls(&mut self, t: &Table) {
        if !t.tenant && t.policies.is_empty() {
            return;
        }
        let key = Key::Table(t.name.clone());
        self.rls_stmt(&t.name, "ENABLE", key.clone());
        // FORCE: the table owner is subject to the policies too.
        self.rls_stmt(&t.name, "FORCE", key);
    }

    pub(super) fn policies(&mut self, t: &Table) {
        #[derive(Serialize)]
        struct Ctx<'a> {
            schema: &'a str,
            table: &'a str,
            name: String,
            restrictive: bool,
            command: &'a str,
            roles: Vec<String>,
            using: Option<PredSql>,
            check: Option<PredSql>,
            /// What the policy is for, in its header comment.
            note: Option<&'static str>,
        }
        let cx = PredCx {
            project: self.project,
            table: t,
        };
        // Every policy may read any table (subqueries, role lookups).
        let mut deps = self.all_tables();
        deps.push(Key::Other(format!("rls FORCE {}", t.name)));
        let mut stmts = Vec::new();
        if t.tenant {
            if let Some(tenant) = predicate::tenant(&cx) {
                let ctx = Ctx {
                    schema: self.schema_name(),
                    table: &t.name,
                    name: names::tenant_isolation_policy(t),
                    restrictive: true,
                    command: "all",
                    roles: Vec::new(),
                    using: Some(tenant.clone()),
                    check: Some(tenant),
                    note: Some("tenant isolation"),
                };
                stmts.push((
                    format!("CreatePolicy {}", ctx.name),
                    Key::Other(format!("policy {}", ctx.name)),
                    Context::of(&ctx),
                ));
            }
        }
        let audit = self.project.audit_trail.map(|i| &self.project.tables[i]);
        let writer = self
            .owner()
            .filter(|_| audit.is_some_and(|a| a.name == t.name));
        if let Some(owner) = writer {
            let ctx = Ctx {
                schema: self.schema_name(),
                table: &t.name,
                name: names::audit_writer_policy(t),
                restrictive: false,
                command: "insert",
                roles: vec![owner.to_string()],
                using: None,
                // Only the org whose row is audited (the tenant isolation
                // already requires it; a bare `true` would read as "any").
                check: Some(predicate::tenant(&cx).unwrap_or(PredSql::Bool { value: true })),
                note: Some("audit trigger"),
            };
            stmts.push((
                format!("CreatePolicy {}", ctx.name),
                Key::Other(format!("policy {}", ctx.name)),
                Context::of(&ctx),
            ));
        }
        for (i, cmd, name) in names::policies(t) {
            let p = &t.policies[i];
            let using = predicate::sql(&p.using, &cx);
            let check = p
                .check
                .as_ref()
                .map(|c| predicate::sql(c, &cx))
                .unwrap_or_else(|| using.clone());
            let (using, check) = match cmd {
                Command::Select | Command::Delete => (Some(using), None),
                Command::Insert => (None, Some(check)),
                Command::Update | Command::All if p.check_using => (Some(using), None),
                Command::Update | Command::All => (Some(using), Some(check)),
            };
            let ctx = Ctx {
                schema: self.schema_name(),
                table: &t.name,
                name,
                restrictive: false,
                command: cmd.as_str(),
                roles: p.roles.clone(),
                using,
                check,
                note: None,
            };
            stmts.push((
                format!("CreatePolicy {}", ctx.name),
                Key::Other(format!("policy {}", ctx.name)),
                Context::of(&ctx),
            ));
        }
        let roles: Vec<Key> = t
            .policies
            .iter()
            .flat_map(|p| p.roles.iter().map(|r| Key::Role(r.clone())))
            .chain(writer.map(|o| Key::Role(o.to_string())))
            .collect();
        for (label, key, ctx) in stmts {
            let drop_label = label.replace("CreatePolicy", "DropPolicy");
            let s = Stmt::with_context("create_policy", label, ctx.clone(), key.clone())
                .headed("create_policy")
                .after(deps.clone());
            self.push(rank::POLICY, s.after(roles.clone()));
            // Policies that read other tables depend on them: drop the
            // policies before any table.
            let back = Stmt::with_context("drop_policy", drop_label, ctx, key)
                .headed("drop_policy")
                .after(deps.clone());
            self.undo(rank::POLICY, back.after(roles.clone()));
        }
    }

    pub(super) fn comments(&mut self, t: &Table) {
        let target = Target::relation(self.schema_name(), &t.name);
        if let Some(text) = tagged(t.comment.as_deref(), t.classification) {
            self.comment("TABLE", target.clone(), text, Key::Table(t.name.clone()));
        }
        for c in t.columns.iter() {
            if let Some(text) = tagged(c.comment.as_deref(), c.classification) {
                let col = target.column(&c.name);
                self.comment("COLUMN", col, text, Key::Table(t.name.clone()));
            }
        }
    }
}

/// A comment with its classification tag appended on a line of its own.
fn tagged(comment: Option<&str>, class: Option<Classification>) -> Option<String> {
    crate::ir::notes::Note {
        comment: comment.map(str::to_string),
        classification: class,
    }
    .text()
}
