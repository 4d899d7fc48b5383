//! Read one schema of a live database.
//!
//! Input: a connected client and a schema name. Output: a [`Catalog`], the
//! schema's objects as plain rows, in a stable order. Every query text is a
//! file under `templates/import/`; all of them run in one read-only,
//! repeatable-read transaction, so the catalog is one consistent snapshot
//! and nothing is ever written. Only catalog tables readable by any role
//! are used: no superuser needed.

use postgres::{Client, Row};

macro_rules! query {
    ($name:literal) => {
        include_str!(concat!("../../templates/import/", $name, ".sql"))
    };
}

pub use super::model::*;

/// Read schema `schema`, reporting each phase to `progress`.
pub fn read(
    client: &mut Client,
    schema: &str,
    progress: &mut dyn FnMut(&str),
) -> Result<Catalog, postgres::Error> {
    let mut tx = client
        .build_transaction()
        .read_only(true)
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .start()?;
    tx.query(query!("search_path"), &[&schema])?;
    let q = |tx: &mut postgres::Transaction, text: &str| tx.query(text, &[&schema]);
    let mut c = Catalog {
        schema: schema.to_string(),
        ..Catalog::default()
    };
    progress("schema");
    if let Some(r) = q(&mut tx, query!("schema"))?.first() {
        c.schema_owner = r.get("owner");
    }
    progress("tables");
    c.tables = q(&mut tx, query!("tables"))?.iter().map(table).collect();
    progress("columns");
    for r in q(&mut tx, query!("columns"))? {
        let oid: i64 = r.get("table_oid");
        if let Some(t) = c.tables.iter_mut().find(|t| t.oid == oid) {
            t.columns.push(column(&r));
        }
    }
    progress("constraints");
    for r in q(&mut tx, query!("constraints"))? {
        let oid: i64 = r.get("table_oid");
        if let Some(t) = c.tables.iter_mut().find(|t| t.oid == oid) {
            t.constraints.push(constraint(&r));
        }
    }
    progress("indexes");
    for r in q(&mut tx, query!("indexes"))? {
        let oid: i64 = r.get("table_oid");
        if let Some(t) = c.tables.iter_mut().find(|t| t.oid == oid) {
            t.indexes.push(index(&r));
        }
    }
    progress("policies");
    for r in q(&mut tx, query!("policies"))? {
        let table: String = r.get("table_name");
        if let Some(t) = c.tables.iter_mut().find(|t| t.name == table) {
            t.policies.push(Policy {
                name: r.get("name"),
                command: r.get("command"),
                permissive: r.get("permissive"),
                roles: r.get("roles"),
                using: r.get("using_expr"),
                check: r.get("check_expr"),
            });
        }
    }
    progress("partitions");
    c.partitions = q(&mut tx, query!("partitions"))?
        .iter()
        .map(|r| Partition {
            parent: r.get("parent"),
            name: r.get("name"),
            bound: r.get("bound"),
        })
        .collect();
    progress("types, views, functions");
    c.enums = q(&mut tx, query!("enums"))?
        .iter()
        .map(|r| Enum {
            name: r.get("name"),
            labels: r.get("labels"),
        })
        .collect();
    c.views = q(&mut tx, query!("views"))?.iter().map(view).collect();
    c.functions = q(&mut tx, query!("functions"))?
        .iter()
        .map(function)
        .collect();
    c.extensions = tx
        .query(query!("extensions"), &[])?
        .iter()
        .map(|r| Extension {
            name: r.get("name"),
            schema: r.get("schema"),
            version: r.get("version"),
        })
        .collect();
    progress("triggers, rules");
    c.triggers = q(&mut tx, query!("triggers"))?
        .iter()
        .map(|r| Trigger {
            table: r.get("table_name"),
            name: r.get("name"),
            function: r.get("function"),
            definition: r.get("definition"),
        })
        .collect();
    c.rules = q(&mut tx, query!("rules"))?
        .iter()
        .map(|r| Rule {
            table: r.get("table_name"),
            name: r.get("name"),
            definition: r.get("definition"),
        })
        .collect();
    progress("grants, default privileges, roles");
    c.grants = q(&mut tx, query!("grants"))?
        .iter()
        .map(|r| Grant {
            kind: r.get(0),
            object: r.get(1),
            grantee: r.get(2),
            privilege: r.get(3),
        })
        .collect();
    c.default_privileges = q(&mut tx, query!("default_privileges"))?
        .iter()
        .map(|r| DefaultPrivilege {
            creator: r.get(0),
            object_kind: r.get(1),
            grantee: r.get(2),
            privilege: r.get(3),
            in_schema: r.get(4),
        })
        .collect();
    let named = c.named_roles();
    c.roles = tx
        .query(query!("roles"), &[&named])?
        .iter()
        .map(|r| Role {
            name: r.get("name"),
            login: r.get("login"),
            connection_limit: r.get("connection_limit"),
            comment: r.get("comment"),
        })
        .collect();
    tx.rollback()?;
    Ok(c)
}

impl Catalog {
    /// Every role an owner, grant, default privilege or policy names.
    fn named_roles(&self) -> Vec<String> {
        let mut out: Vec<String> = vec![self.schema_owner.clone()];
        out.extend(self.tables.iter().map(|t| t.owner.clone()));
        out.extend(self.grants.iter().map(|g| g.grantee.clone()));
        for d in &self.default_privileges {
            out.push(d.creator.clone());
            out.push(d.grantee.clone());
        }
        for t in &self.tables {
            for p in &t.policies {
                out.extend(p.roles.iter().cloned());
            }
        }
        out.retain(|r| r != "public" && !r.is_empty());
        out.sort();
        out.dedup();
        out
    }

    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}

fn table(r: &Row) -> Table {
    let kind: String = r.get("kind");
    Table {
        oid: r.get("oid"),
        name: r.get("name"),
        partitioned: kind == "p",
        rls: r.get("rls"),
        force_rls: r.get("force_rls"),
        owner: r.get("owner"),
        comment: r.get("comment"),
        partition_key: r.get("partition_key"),
        ..Table::default()
    }
}

fn column(r: &Row) -> Column {
    Column {
        name: r.get("name"),
        ty: r.get("type"),
        not_null: r.get("not_null"),
        default: r.get("default_expr"),
        identity: r.get("identity"),
        generated: r.get("generated"),
        comment: r.get("comment"),
    }
}

fn constraint(r: &Row) -> Constraint {
    Constraint {
        name: r.get("name"),
        kind: r.get("kind"),
        definition: r.get("definition"),
        columns: r.get("columns"),
        ref_table: r.get("ref_table"),
        ref_schema: r.get("ref_schema"),
        ref_columns: r.get("ref_columns"),
        on_delete: r.get("on_delete"),
        on_update: r.get("on_update"),
        check: r.get("check_expr"),
    }
}

fn index(r: &Row) -> Index {
    Index {
        name: r.get("name"),
        unique: r.get("is_unique"),
        method: r.get("method"),
        keys: r.get("keys"),
        options: r.get("options"),
        opclasses: r.get("opclasses"),
        include: r.get("include"),
        predicate: r.get("predicate"),
        definition: r.get("definition"),
    }
}

fn view(r: &Row) -> View {
    View {
        name: r.get("name"),
        materialized: r.get("materialized"),
        security_invoker: r.get("security_invoker"),
        body: r.get("body"),
        comment: r.get("comment"),
        owner: r.get("owner"),
    }
}

fn function(r: &Row) -> Function {
    Function {
        name: r.get("name"),
        arguments: r.get("arguments"),
        result: r.get("result"),
        language: r.get("language"),
        volatility: r.get("volatility"),
        security_definer: r.get("security_definer"),
        config: r.get("config"),
        body: r.get("body"),
        comment: r.get("comment"),
        definition: r.get("definition"),
        kind: r.get("kind"),
    }
}
