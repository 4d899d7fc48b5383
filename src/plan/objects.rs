//! Statements for functions (user-declared and the trigger functions sluice
//! derives) and triggers; views and grants in the modules below.

mod role_grants;
mod views;

use serde::Serialize;

use super::schema::{rank, Planner};
use super::stmt::{Key, Stmt};
use super::target::Target;
use crate::ir::names;
use crate::ir::*;

#[derive(Serialize)]
struct ParamCtx {
    name: String,
    ty: String,
}

#[derive(Serialize)]
struct SettingCtx {
    name: String,
    value: String,
}

#[derive(Serialize)]
struct FunctionCtx<'a> {
    schema: String,
    name: String,
    params: Vec<ParamCtx>,
    setof: bool,
    returns: String,
    language: &'a str,
    volatility: Option<&'a str>,
    security_definer: bool,
    settings: Vec<SettingCtx>,
    tag: String,
    body: String,
    /// The body of a function sluice writes itself, instead of `body`.
    generated: Option<Generated>,
    arg_types: Vec<String>,
}

/// The body of a function sluice generates, written by the template
/// `functions/<kind>.sql.j2` (both start by doing nothing in a sluice
/// script's session, see [`MAINTENANCE_SETTING`]).
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Generated {
    /// Keeps `column` current on update.
    SetUpdatedAt {
        maintenance: &'static str,
        column: String,
    },
    /// Records a write in the audit table, without the columns the trigger
    /// passes as arguments; the actor and app when the table has them.
    RecordAudit {
        maintenance: &'static str,
        schema: String,
        table: String,
        tenant: Option<AuditTenant>,
        user_setting: Option<String>,
        app: Option<String>,
    },
}

/// The org an audited row belongs to: its column and type, and the setting
/// the audit table's policies read.
#[derive(Serialize)]
struct AuditTenant {
    column: String,
    ty: String,
    org_setting: String,
}

/// A dollar-quote tag that cannot end the function's body early.
fn dollar_tag(body: &str) -> String {
    crate::quote::dollar_tag("function", body)
}

/// Whether a view's query ends in a line holding a `--` comment, which
/// would swallow the `;` the template ends it with on the same line.
fn ends_in_comment(text: &str) -> bool {
    text.trim().lines().last().is_some_and(|l| l.contains("--"))
}

/// The session setting sluice's own scripts set: their data moves (a
/// backfill, a rename's copy) are not a user's writes.
pub const MAINTENANCE_SETTING: &str = "sluice.maintenance";

/// The function that keeps `updated_at` current.
pub(super) const SET_UPDATED_AT: &str = "sluice_set_updated_at";
/// The function that records writes in the audit table.
pub(super) const RECORD_AUDIT: &str = "sluice_record_audit";

impl Planner<'_> {
    fn function_stmt(&mut self, ctx: FunctionCtx, deps: Vec<Key>) {
        let key = Key::Function(ctx.name.clone());
        let label = format!("CreateFunction {}", ctx.name);
        let drop_label = format!("DropFunction {}", ctx.name);
        let target = Target::function(&ctx.schema, &ctx.name, ctx.arg_types.clone());
        self.push(
            rank::FUNCTION,
            Stmt::new("create_function", label, &ctx, key.clone()).after(deps.clone()),
        );
        self.set_owner("FUNCTION", target, &ctx.name, key.clone());
        // Dropped after every table: triggers on them use the function.
        // (The rollback list is ordered, then reversed: depending on a table
        // here would drop the function before that table.)
        let undo_deps: Vec<Key> = deps
            .into_iter()
            .filter(|k| !matches!(k, Key::Table(_) | Key::Tables(_)))
            .collect();
        self.undo(
            rank::TYPE,
            Stmt::new("drop_function", drop_label, &ctx, key).after(undo_deps),
        );
    }

    /// The column kept current on update: the second lifecycle timestamp.
    fn updated_at(&self, t: &Table) -> Option<String> {
        let name = self.project.conventions.timestamps.get(1)?;
        t.column(name).map(|c| c.name.clone())
    }

    pub(super) fn trigger_functions(&mut self) {
        let schema = self.schema_name().to_string();
        let tables: Vec<&Table> = self.project.tables.iter().map(|t| &**t).collect();
        let updated: Vec<(&Table, String)> = tables
            .iter()
            .filter_map(|t| self.updated_at(t).map(|c| (*t, c)))
            .collect();
        if let Some((_, col)) = updated.first() {
            let body = Generated::SetUpdatedAt {
                maintenance: MAINTENANCE_SETTING,
                column: col.clone(),
            };
            self.function_stmt(
                generated_function(&schema, SET_UPDATED_AT, body),
                vec![Key::Schema],
            );
            for (t, _) in &updated {
                self.trigger(
                    t,
                    &names::updated_at_trigger(t),
                    "BEFORE",
                    &["UPDATE"],
                    SET_UPDATED_AT,
                    Vec::new(),
                );
            }
        }
        let Some(audit) = self.project.audit_trail.map(|i| &self.project.tables[i]) else {
            return;
        };
        self.audit_function(&schema, audit);
        for t in tables.iter().filter(|t| t.tenant && t.name != audit.name) {
            // Personal and health data never reaches the audit table.
            let redacted: Vec<String> = t
                .columns
                .iter()
                .filter(|c| {
                    matches!(
                        c.classification,
                        Some(Classification::Pii | Classification::Phi)
                    )
                })
                .map(|c| c.name.clone())
                .collect();
            self.trigger(
                t,
                &names::audit_trigger(t),
                "AFTER",
                &["INSERT", "UPDATE", "DELETE"],
                RECORD_AUDIT,
                redacted,
            );
        }
    }

    fn audit_function(&mut self, schema: &str, audit: &Table) {
        let p = self.project;
        let tenant = p.tenancy.as_ref().filter(|_| audit.tenant);
        let user = p.tenancy.as_ref().and_then(|t| t.user_setting.clone());
        // The audit table's policies check the current org: for the
        // insert, it is the audited row's (the same for a session scoped to
        // an org; set for one that bypasses row-level security, such as a
        // system job), and then what it was.
        let body = Generated::RecordAudit {
            maintenance: MAINTENANCE_SETTING,
            schema: schema.to_string(),
            table: audit.name.clone(),
            tenant: tenant.map(|t| AuditTenant {
                column: t.column.clone(),
                ty: t.ty.text.clone(),
                org_setting: t.org_setting.clone(),
            }),
            user_setting: user.filter(|_| audit.column("actor_id").is_some()),
            app: p.app.clone().filter(|_| audit.column("app_code").is_some()),
        };
        // The writer of the audit table is not the caller: an append-only
        // table (`policy insert false`) would refuse every audited write.
        // The function runs as its owner, the schema owner, whom the audit
        // table's writer policy lets insert (see `Planner::policies`).
        let mut f = generated_function(schema, RECORD_AUDIT, body);
        f.security_definer = true;
        f.settings.push(SettingCtx {
            name: "search_path".into(),
            value: "pg_catalog, pg_temp".into(),
        });
        self.function_stmt(f, vec![Key::Schema, Key::Table(audit.name.clone())]);
    }

    fn trigger(
        &mut self,
        t: &Table,
        name: &str,
        timing: &str,
        events: &[&str],
        function: &str,
        args: Vec<String>,
    ) {
        #[derive(Serialize)]
        struct Ctx<'a> {
            schema: &'a str,
            table: &'a str,
            name: &'a str,
            timing: &'a str,
            events: &'a [&'a str],
            function: &'a str,
            args: Vec<String>,
        }
        let ctx = Ctx {
            schema: self.schema_name(),
            table: &t.name,
            name,
            timing,
            events,
            function,
            args,
        };
        let key = Key::Other(format!("trigger {name}"));
        let deps = [
            Key::Table(t.name.clone()),
            Key::Function(function.to_string()),
        ];
        self.push(
            rank::TRIGGER,
            Stmt::new("create_trigger", format!("CreateTrigger {name}"), &ctx, key).after(deps),
        );
    }

    pub(super) fn functions(&mut self) {
        let schema = self.schema_name().to_string();
        // SQL function bodies are checked at creation: create them after
        // every table (and type) exists.
        let mut deps = self.all_tables();
        deps.push(Key::Schema);
        for f in self.project.functions.iter() {
            let d = &f.decl;
            let params = d
                .params
                .iter()
                .map(|(n, ty)| ParamCtx {
                    name: n.name.clone(),
                    ty: self.type_sql(ty).0,
                })
                .collect::<Vec<_>>();
            let arg_types = params.iter().map(|p| p.ty.clone()).collect();
            let body = d.body.as_ref().map(|b| b.text.clone()).unwrap_or_default();
            let ctx = FunctionCtx {
                schema: schema.clone(),
                name: f.name.clone(),
                params,
                setof: d.setof,
                returns: self.type_sql(&d.returns).0,
                language: d.language.as_ref().map_or("sql", |l| l.name.as_str()),
                volatility: d.volatility.as_ref().map(|v| v.name.as_str()),
                security_definer: d.security_definer.is_some_and(|(def, _)| def),
                settings: d
                    .settings
                    .iter()
                    .map(|(n, v)| SettingCtx {
                        name: n.name.clone(),
                        value: v.text.clone(),
                    })
                    .collect(),
                tag: dollar_tag(&body),
                body,
                generated: None,
                arg_types,
            };
            self.function_stmt(ctx, deps.clone());
        }
    }
}

fn generated_function(schema: &str, name: &str, body: Generated) -> FunctionCtx<'static> {
    FunctionCtx {
        schema: schema.to_string(),
        name: name.to_string(),
        params: Vec::new(),
        setof: false,
        returns: "trigger".into(),
        language: "plpgsql",
        volatility: None,
        security_definer: false,
        settings: Vec::new(),
        tag: String::new(),
        body: String::new(),
        generated: Some(body),
        arg_types: Vec::new(),
    }
}
