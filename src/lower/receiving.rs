//! Pass 9: the receiving side of the analytics feed. A table that another
//! project publishes to this one (`publish to THIS`) becomes one of this
//! project's tables, so its first migration creates it and its roles'
//! grants cover it.
//!
//! Input: every lowered project. Output: the same projects, each with a
//! table per table it receives (the sent columns with their names, types,
//! nullability and defaults, the primary key, no `pii`/`phi` column, no
//! identity, check, unique or foreign key: replication fills every row), and
//! `receiving-table-mismatch` where that cannot be: the two projects use
//! different schemas (replication matches tables by schema and name), two
//! projects send a table of the same name, the receiving project declares
//! the table itself with another shape, or a sent column's type is an
//! enum the receiving project lacks.
//!
//! A received tenant table keeps `FORCE ROW LEVEL SECURITY` and gets one
//! policy, `select` by tenant: the runtime roles read their org's rows and
//! write none; the subscription applies changes as a role that bypasses
//! row-level security (see `crate::subscription`).

use crate::ast;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::feed::{received_by, sent_columns, Received};
use crate::ir::{Column, Command, Policy, Project, Table};

pub(super) fn receive(projects: &mut [Project], diags: &mut Vec<Diagnostic>) {
    let mut additions: Vec<(usize, Table)> = Vec::new();
    for (bi, b) in projects.iter().enumerate() {
        let mut taken: Vec<(&str, &str)> = Vec::new();
        for r in received_by(projects, &b.name) {
            let name = r.table.name.as_str();
            if r.source.schema != b.schema {
                diags.push(mismatch(
                    r,
                    format!(
                        "`{}` publishes `{}.{name}` to `{}`, whose schema is `{}`: replication matches tables by schema and name",
                        r.source.name, r.source.schema, b.name, b.schema
                    ),
                    format!(
                        "give both projects the same `schema`, or publish to a project whose schema is `{}`",
                        r.source.schema
                    ),
                ));
                continue;
            }
            if let Some((_, other)) = taken.iter().find(|(t, _)| *t == name) {
                diags.push(mismatch(
                    r,
                    format!(
                        "`{}` and `{other}` both publish a table `{name}` to `{}`",
                        r.source.name, b.name
                    ),
                    "publish only one of them, or rename one of the tables".to_string(),
                ));
                continue;
            }
            taken.push((name, r.source.name.as_str()));
            if let Some(missing) = missing_enum(&r, b) {
                diags.push(mismatch(
                    r,
                    format!(
                        "`{name}` sends `{}`, of the enum type `{}`, which `{}` does not declare",
                        missing.name, missing.ty.text, b.name
                    ),
                    format!(
                        "declare `enum {}` in `{}` too, with the same values",
                        missing.ty.text, b.name
                    ),
                ));
                continue;
            }
            match b.table(name) {
                Some(declared) => {
                    if let Some((why, help)) = differs(&r, declared) {
                        diags.push(
                            Diagnostic::error(
                                Code::ReceivingTableMismatch,
                                format!(
                                    "table `{name}` of `{}` receives `{}`'s `{name}`, but {why}",
                                    b.name, r.source.name
                                ),
                            )
                            .at(declared.name_span)
                            .with_label(r.publish.span, "published here")
                            .help(help),
                        );
                    }
                }
                None => additions.push((bi, received_table(r, b))),
            }
        }
    }
    for (bi, t) in additions {
        projects[bi].tables.push(t);
    }
}

fn mismatch(r: Received, message: String, help: String) -> Diagnostic {
    Diagnostic::error(Code::ReceivingTableMismatch, message)
        .at(r.publish.span)
        .help(help)
}

/// A sent column whose type is one of the source's enums that the
/// receiving project does not declare.
fn missing_enum<'a>(r: &Received<'a>, b: &Project) -> Option<&'a Column> {
    sent_columns(r.table, r.publish).into_iter().find(|c| {
        let ty = c.ty.base.as_str();
        r.source.enums.iter().any(|e| e.name == ty) && !b.enums.iter().any(|e| e.name == ty)
    })
}

fn same_type(a: &ast::TypeName, b: &ast::TypeName) -> bool {
    a.base == b.base && a.params == b.params && a.array_dims == b.array_dims
}

/// Why a table the receiving project declares itself cannot take the
/// rows sent, and the help; `None` when it can.
fn differs(r: &Received, declared: &Table) -> Option<(String, String)> {
    for c in sent_columns(r.table, r.publish) {
        match declared.column(&c.name) {
            None => {
                return Some((
                    format!("it has no column `{}`", c.name),
                    format!(
                    "add `{} {}`, or remove the table: sluice creates it from what is published",
                    c.name, c.ty.text
                ),
                ))
            }
            Some(d) if !same_type(&d.ty, &c.ty) => {
                return Some((
                    format!(
                        "its `{}` is `{}` where the source's is `{}`",
                        c.name, d.ty.text, c.ty.text
                    ),
                    format!("declare `{}` as `{}`", c.name, c.ty.text),
                ))
            }
            Some(_) => {}
        }
    }
    if declared.primary_key != r.table.primary_key {
        return Some((
            format!(
                "its primary key is ({}) where the source's is ({})",
                declared.primary_key.join(", "),
                r.table.primary_key.join(", ")
            ),
            "replication applies updates and deletes by the primary key: declare the source's"
                .to_string(),
        ));
    }
    let sent: Vec<&str> = sent_columns(r.table, r.publish)
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let unfilled = declared.columns.iter().find(|c| {
        !sent.contains(&c.name.as_str())
            && !c.nullable
            && c.default.is_none()
            && c.generated.is_none()
            && !c.identity
    })?;
    Some((
        format!(
            "its `{}` is `not null` without a default, and the feed does not send it",
            unfilled.name
        ),
        format!(
            "make `{}` nullable or give it a default, or remove it",
            unfilled.name
        ),
    ))
}

/// The table `b` receives: what is sent, as plain columns.
fn received_table(r: Received, b: &Project) -> Table {
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
        indexes: Vec::new(),
        uniques: Vec::new(),
        checks: Vec::new(),
        foreign_keys: Vec::new(),
        policies,
        partition: None,
        columns,
    }
}
