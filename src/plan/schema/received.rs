//! Tables received from projects of another schema: the analytics feed's
//! receiving side where the source's schema is not the receiving
//! project's. Logical replication matches tables by schema and name, so
//! each such table is created in the source's schema of the receiving
//! database (the schema created when it is not `public`, owned by the
//! receiving project's schema owner), with the source's enums its columns
//! use, `FORCE ROW LEVEL SECURITY` and the select-by-tenant policy of a
//! received tenant table, and the receiving project's table and schema
//! grants.
//!
//! Input: the workspace and the receiving project ([`Planner`]). Output:
//! the statements and undos of those tables, pushed onto the planner,
//! planned for a stand-in project per source schema that holds only them.

use std::collections::{BTreeMap, HashMap};

use super::Planner;
use crate::ir::feed::{received_elsewhere, received_table, sent_columns};
use crate::ir::*;
use crate::plan::grant_target::GrantTarget;
use crate::plan::stmt::Key;

impl Planner<'_> {
    pub(super) fn received(&mut self) {
        let mut by_schema: BTreeMap<&str, Vec<_>> = BTreeMap::new();
        // A state of a history holds the tables the history has received.
        let carried = |source: &str, table: &str| {
            self.project
                .replayed_access
                .as_ref()
                .is_none_or(|a| a.receives(source, table))
        };
        for r in received_elsewhere(&self.ws.projects, self.project)
            .into_iter()
            .filter(|r| carried(&r.source.name, &r.table.name))
        {
            by_schema
                .entry(r.source.schema.as_str())
                .or_default()
                .push(r);
        }
        for (schema, received) in by_schema {
            let mut enums: Vec<Enum> = Vec::new();
            for r in &received {
                for c in sent_columns(r.table, r.publish) {
                    let used = r.source.enums.iter().find(|e| e.name == c.ty.base);
                    if let Some(e) = used.filter(|e| !enums.iter().any(|x| x.name == e.name)) {
                        enums.push(e.clone());
                    }
                }
            }
            let stand_in = Project {
                schema: schema.to_string(),
                enums,
                tables: received
                    .iter()
                    .map(|r| std::sync::Arc::new(received_table(*r, self.project)))
                    .collect(),
                ..stand_in(self.project)
            };
            let mut sub = Planner {
                ws: self.ws,
                project: &stand_in,
                forward: Vec::new(),
                rollback: Vec::new(),
                ranks: HashMap::default(),
                tables: Default::default(),
            };
            sub.schema();
            sub.enums();
            for t in &stand_in.tables {
                sub.table(t, super::Alike::default());
            }
            sub.received_grants();
            self.forward.append(&mut sub.forward);
            self.rollback.append(&mut sub.rollback);
            self.ranks.extend(sub.ranks);
        }
    }

    /// The receiving project's grants on tables and on its schema, for
    /// the stand-in's schema and tables (no default privileges: sluice
    /// creates every table there itself).
    fn received_grants(&mut self) {
        let schema = self.schema_name().to_string();
        let tables: Vec<String> = self.project.tables.iter().map(|t| t.name.clone()).collect();
        let mut deps: Vec<Key> = tables.iter().map(|t| Key::Table(t.clone())).collect();
        deps.push(Key::Schema);
        let roles = self.ws.roles.clone();
        for r in &roles {
            for g in &r.grants {
                let on = match &g.on {
                    GrantOn::AllTables => GrantTarget::tables(&schema, tables.clone()),
                    GrantOn::Schema => GrantTarget::schema(&schema),
                    _ => continue,
                };
                let privileges: Vec<String> = g
                    .privileges
                    .iter()
                    .map(|p| p.to_ascii_uppercase())
                    .collect();
                self.grant(r, &privileges, &on, deps.clone());
            }
        }
    }
}

/// The receiving project with nothing of its own: its settings (owner,
/// tenancy, target version) for the received tables.
fn stand_in(p: &Project) -> Project {
    Project {
        name: p.name.clone(),
        span: p.span,
        database: p.database.clone(),
        schema: p.schema.clone(),
        postgres: p.postgres,
        out: p.out.clone(),
        schema_ts: None,
        app: p.app.clone(),
        app_roles: p.app_roles.clone(),
        audit_trail: None,
        conventions: p.conventions.clone(),
        tenancy: p.tenancy.clone(),
        lint: p.lint.clone(),
        extensions: Vec::new(),
        enums: Vec::new(),
        tables: Vec::new(),
        views: Default::default(),
        functions: Default::default(),
        migrations: Vec::new(),
        replayed: None,
        replayed_enums: None,
        replayed_objects: None,
        replayed_access: None,
        phases: Vec::new(),
    }
}
