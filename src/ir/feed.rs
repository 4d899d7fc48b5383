//! The analytics feed from both ends: the columns a `publish to PROJECT`
//! sends, and the tables a project receives from the others.
//!
//! Input: a table and its [`Publish`] items, or the workspace's projects.
//! Output: the columns that leave the database (never a `pii` or `phi`
//! one), and per receiving project the tables other projects publish to
//! it, in project then table order.

use super::{Classification, Column, Command, Policy, Project, Publish, Table};
use crate::ast;

/// A table another project publishes to this one.
#[derive(Clone, Copy)]
pub struct Received<'a> {
    pub source: &'a Project,
    pub table: &'a Table,
    pub publish: &'a Publish,
}

/// Whether a column may leave the project's database.
pub fn shareable(c: &Column) -> bool {
    !matches!(
        c.classification,
        Some(Classification::Pii | Classification::Phi)
    )
}

/// The columns `publish` sends: those it lists (or every column) that the
/// table has, without the `pii` and `phi` ones, in the table's order when
/// nothing is listed and in the list's order otherwise.
pub fn sent_columns<'a>(t: &'a Table, publish: &Publish) -> Vec<&'a Column> {
    match &publish.columns {
        Some(list) => list
            .iter()
            .filter_map(|i| t.column(&i.name))
            .filter(|c| shareable(c))
            .collect(),
        None => t
            .columns
            .iter()
            .map(|c| &**c)
            .filter(|c| shareable(c))
            .collect(),
    }
}

/// The tables the other projects publish to `target`.
pub fn received_by<'a>(projects: &'a [Project], target: &str) -> Vec<Received<'a>> {
    let mut out = Vec::new();
    for source in projects.iter().filter(|p| p.name != target) {
        for table in &source.tables {
            for publish in table.publish.iter().filter(|p| p.target.name == target) {
                out.push(Received {
                    source,
                    table,
                    publish,
                });
            }
        }
    }
    out
}

/// The tables the other projects publish to `p` from another schema:
/// received into that schema of `p`'s database (replication matches
/// tables by schema and name), so not among `p`'s own tables.
pub fn received_elsewhere<'a>(projects: &'a [Project], p: &Project) -> Vec<Received<'a>> {
    received_by(projects, &p.name)
        .into_iter()
        .filter(|r| r.source.schema != p.schema)
        .collect()
}

/// The tables published to `p` from another schema that `p`'s history
/// does not receive (none without a history): no build creates them.
pub fn unreceived<'a>(projects: &'a [Project], p: &Project) -> Vec<Received<'a>> {
    let Some(access) = &p.replayed_access else {
        return Vec::new();
    };
    received_elsewhere(projects, p)
        .into_iter()
        .filter(|r| !access.receives(&r.source.name, &r.table.name))
        .collect()
}

/// The step by which `r`'s receiving project receives it.
pub fn receive_step(r: &Received) -> String {
    format!(
        "receive {}.{} from {}",
        r.source.schema, r.table.name, r.source.name
    )
}

/// Whether `p`'s table `name` is one another project publishes to it: its
/// rows come from replication alone.
pub fn is_received(projects: &[Project], p: &Project, name: &str) -> bool {
    received_by(projects, &p.name)
        .iter()
        .any(|r| r.table.name == name)
}

/// The subscription through which `target` receives `source`'s tables.
pub fn subscription(source: &str) -> String {
    format!("sluice_from_{source}")
}

/// The replication slot of that subscription on the source's server
/// (slots are per server, so it names both ends).
pub fn slot(source: &str, target: &str) -> String {
    format!("sluice_{source}_to_{target}")
}

/// The table `b` receives: what is sent, as plain columns.
pub fn received_table(r: Received, b: &Project) -> Table {
    let src = r.table;
    let columns: Vec<Column> = sent_columns(src, r.publish)
        .into_iter()
        .map(|c| Column {
            default: if c.identity { None } else { c.default.clone() },
            unique: false,
            check: None,
            generated: None,
            identity: false,
            was: None,
            span: r.publish.span,
            ..c.clone()
        })
        .collect();
    let tenant = src.tenant
        && b.tenancy
            .as_ref()
            .is_some_and(|t| columns.iter().any(|c| c.name == t.column));
    let policies = if tenant {
        vec![Policy {
            name: None,
            commands: vec![Command::Select],
            roles: Vec::new(),
            using: ast::Pred::Tenant(r.publish.span),
            check: None,
            check_using: false,
            span: r.publish.span,
        }]
    } else {
        Vec::new()
    };
    Table {
        name: src.name.clone(),
        span: r.publish.span,
        name_span: r.publish.target.span,
        was: None,
        schema: None,
        tenant,
        global: !tenant,
        owner: None,
        comment: Some(format!(
            "Received from {}: its rows arrive by logical replication, without pii or phi columns.",
            r.source.name
        )),
        classification: src.classification,
        retention: None,
        publish: Vec::new(),
        exemptions: src.exemptions.clone(),
        primary_key: src.primary_key.clone(),
        primary_key_span: None,
        indexes: Default::default(),
        uniques: Vec::new(),
        checks: Vec::new(),
        foreign_keys: Vec::new(),
        policies: policies.into(),
        partition: None,
        columns: std::sync::Arc::new(columns.into_iter().map(std::sync::Arc::new).collect()),
    }
}
