//! A drizzle-kit (0.31, version "7") snapshot of one project's schema state.
//!
//! Every key drizzle-kit's strict schema knows, none it does not (unknown
//! keys make a snapshot "malformed"). Object names are the ones the emitted
//! SQL uses ([`crate::names`]); policy expressions are taken from the
//! planner's own statements, so the snapshot says exactly what the SQL did.
//! Objects drizzle does not model (functions, triggers, extensions, grants,
//! comments, hash partitions, index `INCLUDE` lists) are left out: a later
//! `drizzle-kit generate` leaves them alone. So are roles, which drizzle
//! models but sluice manages (the generated `schema.ts` declares them
//! existing).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ast::TypeName;
use crate::ir::names;
use crate::ir::{FkAction, IndexKey, Project, Table, Workspace};
use crate::plan;

mod table_snap;

pub(super) use table_snap::column_type;
use table_snap::table;

#[derive(Serialize)]
pub(super) struct Snapshot {
    id: String,
    #[serde(rename = "prevId")]
    prev_id: String,
    version: &'static str,
    dialect: &'static str,
    tables: BTreeMap<String, TableSnap>,
    enums: BTreeMap<String, EnumSnap>,
    schemas: BTreeMap<String, String>,
    sequences: BTreeMap<String, Value>,
    /// Always empty: roles are cluster-wide and created by sluice, not by
    /// drizzle; a `schema.ts` declares them `pgRole(…).existing()`, which
    /// drizzle-kit leaves out of its snapshot too.
    roles: BTreeMap<String, Value>,
    policies: BTreeMap<String, PolicySnap>,
    views: BTreeMap<String, ViewSnap>,
    #[serde(rename = "_meta")]
    meta: MetaSnap,
}

#[derive(Serialize, Default)]
struct MetaSnap {
    columns: BTreeMap<String, String>,
    schemas: BTreeMap<String, String>,
    tables: BTreeMap<String, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TableSnap {
    name: String,
    schema: String,
    columns: BTreeMap<String, ColumnSnap>,
    indexes: BTreeMap<String, IndexSnap>,
    foreign_keys: BTreeMap<String, ForeignKeySnap>,
    composite_primary_keys: BTreeMap<String, CompositePkSnap>,
    unique_constraints: BTreeMap<String, UniqueSnap>,
    policies: BTreeMap<String, PolicySnap>,
    check_constraints: BTreeMap<String, CheckSnap>,
    #[serde(rename = "isRLSEnabled")]
    is_rls_enabled: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ColumnSnap {
    name: String,
    #[serde(rename = "type")]
    ty: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    type_schema: Option<String>,
    primary_key: bool,
    not_null: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    default: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    generated: Option<GeneratedSnap>,
    #[serde(skip_serializing_if = "Option::is_none")]
    identity: Option<IdentitySnap>,
}

#[derive(Serialize)]
struct GeneratedSnap {
    #[serde(rename = "type")]
    ty: &'static str,
    #[serde(rename = "as")]
    expr: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IdentitySnap {
    #[serde(rename = "type")]
    ty: &'static str,
    name: String,
    schema: String,
    increment: &'static str,
    start_with: &'static str,
    min_value: &'static str,
    max_value: &'static str,
    cache: &'static str,
    cycle: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IndexSnap {
    name: String,
    columns: Vec<IndexColumnSnap>,
    is_unique: bool,
    concurrently: bool,
    method: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(rename = "where")]
    predicate: Option<String>,
    with: BTreeMap<String, Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IndexColumnSnap {
    expression: String,
    is_expression: bool,
    asc: bool,
    nulls: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    opclass: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ForeignKeySnap {
    name: String,
    table_from: String,
    table_to: String,
    schema_to: String,
    columns_from: Vec<String>,
    columns_to: Vec<String>,
    on_delete: String,
    on_update: String,
}

#[derive(Serialize)]
struct CompositePkSnap {
    name: String,
    columns: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UniqueSnap {
    name: String,
    nulls_not_distinct: bool,
    columns: Vec<String>,
}

#[derive(Serialize)]
struct CheckSnap {
    name: String,
    value: String,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub(super) struct PolicySnap {
    pub(super) name: String,
    #[serde(rename = "as")]
    pub(super) kind: &'static str,
    #[serde(rename = "for")]
    pub(super) command: String,
    pub(super) to: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) using: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) with_check: Option<String>,
}

#[derive(Serialize)]
struct EnumSnap {
    name: String,
    schema: String,
    values: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ViewSnap {
    name: String,
    schema: String,
    columns: BTreeMap<String, Value>,
    definition: String,
    materialized: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    with: Option<ViewWith>,
    is_existing: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ViewWith {
    security_invoker: bool,
}

/// The snapshot of `state` (a project's schema once an entry ran).
pub(super) fn snapshot(ws: &Workspace, state: &Project, id: &str, prev: &str) -> Snapshot {
    let schema = state.schema.clone();
    let mut policies = policies_by_table(ws, state);
    let tables = state
        .tables
        .iter()
        .map(|t| {
            let snap = table(state, t, policies.remove(&t.name).unwrap_or_default());
            (format!("{schema}.{}", t.name), snap)
        })
        .collect();
    let enums = state
        .enums
        .iter()
        .map(|e| {
            let snap = EnumSnap {
                name: e.name.clone(),
                schema: schema.clone(),
                values: e.values.clone(),
            };
            (format!("{schema}.{}", e.name), snap)
        })
        .collect();
    let mut schemas = BTreeMap::new();
    if schema != "public" {
        schemas.insert(schema.clone(), schema.clone());
    }
    let views = state
        .views
        .iter()
        .map(|v| {
            let snap = ViewSnap {
                name: v.name.clone(),
                schema: schema.clone(),
                columns: BTreeMap::new(),
                definition: v.query.text.trim().to_string(),
                materialized: v.materialized,
                with: (v.security_invoker && !v.materialized).then_some(ViewWith {
                    security_invoker: true,
                }),
                is_existing: false,
            };
            (format!("{schema}.{}", v.name), snap)
        })
        .collect();
    Snapshot {
        id: id.to_string(),
        prev_id: prev.to_string(),
        version: super::VERSION,
        dialect: "postgresql",
        tables,
        enums,
        schemas,
        sequences: BTreeMap::new(),
        roles: BTreeMap::new(),
        policies: BTreeMap::new(),
        views,
        meta: MetaSnap::default(),
    }
}

/// Policies as the planner emits them, by table: the same names and the
/// same `USING` / `WITH CHECK` text as the SQL.
pub(super) fn policies_by_table(
    ws: &Workspace,
    p: &Project,
) -> BTreeMap<String, BTreeMap<String, PolicySnap>> {
    #[derive(serde::Deserialize)]
    struct Ctx {
        table: String,
        name: String,
        restrictive: bool,
        command: String,
        roles: Vec<String>,
        using: Option<serde_json::Value>,
        check: Option<serde_json::Value>,
    }
    // The same macro writes the expressions of the policy statement. Most
    // tables share their predicates (the tenant's column, the owner's):
    // each distinct one, told by its JSON text, is rendered once.
    let mut rendered: HashMap<String, Option<String>> = HashMap::new();
    let mut text = |p: Option<serde_json::Value>| {
        let p = p?;
        rendered
            .entry(p.to_string())
            .or_insert_with(|| {
                crate::render::template("policy_predicate", minijinja::context! { p }).ok()
            })
            .clone()
    };
    let mut out: BTreeMap<String, BTreeMap<String, PolicySnap>> = BTreeMap::new();
    // Keyed by table and name below: the order of statements does not matter.
    for stmt in plan::policies(ws, p) {
        if stmt.template == "compliance/purge_policy" {
            if let Some((table, snap)) = purge_policy(stmt.ctx()) {
                out.entry(table)
                    .or_default()
                    .insert(snap.name.clone(), snap);
            }
            continue;
        }
        if stmt.template != "create_policy" {
            continue;
        }
        // Read from the context as made, not through a JSON copy of it.
        let Ok(ctx) = Ctx::deserialize(stmt.ctx().clone()) else {
            continue;
        };
        // drizzle-kit sorts the roles of a policy it reads from a schema.
        let mut to = if ctx.roles.is_empty() {
            vec!["public".to_string()]
        } else {
            ctx.roles
        };
        to.sort();
        let snap = PolicySnap {
            name: ctx.name.clone(),
            kind: if ctx.restrictive {
                "RESTRICTIVE"
            } else {
                "PERMISSIVE"
            },
            command: ctx.command.to_ascii_uppercase(),
            to,
            using: text(ctx.using),
            with_check: text(ctx.check),
        };
        out.entry(ctx.table).or_default().insert(ctx.name, snap);
    }
    out
}

/// A retention purge's policy (see `plan::schema::retention`): the schema
/// owner may read and delete the rows past their period.
fn purge_policy(ctx: &minijinja::Value) -> Option<(String, PolicySnap)> {
    #[derive(serde::Deserialize)]
    struct Purge {
        table: String,
        name: String,
        command: String,
        role: String,
        basis: String,
        interval: String,
    }
    let ctx = Purge::deserialize(ctx.clone()).ok()?;
    let using = crate::render::template(
        "compliance/purge_predicate",
        minijinja::context! { basis => ctx.basis, interval => ctx.interval },
    )
    .ok()?;
    let snap = PolicySnap {
        name: ctx.name,
        kind: "PERMISSIVE",
        command: ctx.command.to_ascii_uppercase(),
        to: vec![ctx.role],
        using: Some(using.trim().to_string()),
        with_check: None,
    };
    Some((ctx.table, snap))
}
