//! Pass 9: the receiving side of the analytics feed. A table that another
//! project publishes to this one (`publish to THIS`) becomes one of this
//! project's tables, so its first migration creates it and its roles'
//! grants cover it.
//!
//! Input: every lowered project. Output: the same projects, each with a
//! table per table it receives from a project of the same schema (the
//! sent columns with their names, types, nullability and defaults, the
//! primary key, no `pii`/`phi` column, no identity, check, unique or
//! foreign key: replication fills every row), and
//! `receiving-table-mismatch` where that cannot be: two projects send a
//! table of the same name, the receiving project declares the table
//! itself with another shape (or, for a table received into another
//! schema, at all), or a sent column's type is an enum the receiving
//! project lacks, declares with other values, or (received into another
//! schema) declares at all or gets from another source with other values.
//!
//! Replication matches tables by schema and name, so a table from a
//! project of another schema is received into that schema of the
//! receiving database: it is not one of this project's tables (no
//! history, drift or schema-ownership rule applies to it), and the
//! planner creates it from [`crate::ir::feed::received_elsewhere`] (see
//! `crate::plan`).
//!
//! A received tenant table keeps `FORCE ROW LEVEL SECURITY` and gets one
//! policy, `select` by tenant: the runtime roles read their org's rows and
//! write none; the subscription applies changes as a role that bypasses
//! row-level security (see `crate::subscription`).

use crate::ast;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::feed::{received_by, received_table, sent_columns, Received};
use crate::ir::{Column, Enum, Project, Table};

pub(super) fn receive(projects: &mut [Project], diags: &mut Vec<Diagnostic>) {
    let mut additions: Vec<(usize, Table)> = Vec::new();
    for (bi, b) in projects.iter().enumerate() {
        let mut taken: Vec<(&str, &str)> = Vec::new();
        // The enums received tables bring into another schema so far.
        let mut brought: Vec<(&str, &Enum)> = Vec::new();
        for r in received_by(projects, &b.name) {
            let name = r.table.name.as_str();
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
            if let Some((message, help)) = enum_clash(&r, b, &mut brought) {
                diags.push(mismatch(r, message, help));
                continue;
            }
            if r.source.schema != b.schema {
                // Received into the source's schema: the source's enums
                // come along (see `crate::plan`), but the name must stay
                // one table's.
                if let Some(own) = b.table(name) {
                    diags.push(
                        Diagnostic::error(
                            Code::ReceivingTableMismatch,
                            format!(
                                "`{}` publishes `{}.{name}` to `{}`, which has a table `{name}` of its own",
                                r.source.name, r.source.schema, b.name
                            ),
                        )
                        .at(own.name_span)
                        .with_label(r.publish.span, "published here")
                        .help(format!(
                            "rename one of them: a received table keeps its name, in schema `{}` of `{}`'s database",
                            r.source.schema, b.name
                        )),
                    );
                }
                continue;
            }
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
        projects[bi].tables.push(std::sync::Arc::new(t));
    }
}

fn mismatch(r: Received, message: String, help: String) -> Diagnostic {
    Diagnostic::error(Code::ReceivingTableMismatch, message)
        .at(r.publish.span)
        .help(help)
}

/// A sent column's enum that the receiving database cannot hold as sent:
/// received into the same schema, `b` declares it with other values;
/// received into another schema, `b` declares an enum of that name (the
/// plan names a project's types without their schema, so the two would be
/// taken for one) or another source of that schema brings one with other
/// values. The message and help; `None` when it can.
fn enum_clash<'a>(
    r: &Received<'a>,
    b: &Project,
    brought: &mut Vec<(&'a str, &'a Enum)>,
) -> Option<(String, String)> {
    let list = |e: &Enum| e.values.join(", ");
    for c in sent_columns(r.table, r.publish) {
        let Some(sent) = r.source.enums.iter().find(|e| e.name == c.ty.base) else {
            continue;
        };
        let own = b.enums.iter().find(|e| e.name == sent.name);
        let name = &r.table.name;
        if r.source.schema == b.schema {
            match own {
                Some(own) if own.values != sent.values => {
                    return Some((
                        format!(
                            "`{name}` sends `{}`, of the enum type `{}` ({}), which `{}` declares with other values ({})",
                            c.name, sent.name, list(sent), b.name, list(own)
                        ),
                        format!(
                            "declare `enum {} {{ {} }}` in `{}`: replication sends the values as they are",
                            sent.name, list(sent), b.name
                        ),
                    ))
                }
                _ => continue,
            }
        }
        if own.is_some() {
            return Some((
                format!(
                    "`{name}` sends `{}`, of the enum type `{}.{}`, which `{}` receives next to an enum `{}` of its own",
                    c.name, r.source.schema, sent.name, b.name, sent.name
                ),
                format!(
                    "rename one of the two enums: `{}` would create both, and they are told apart by name alone",
                    b.name
                ),
            ));
        }
        let schema = r.source.schema.as_str();
        match brought
            .iter()
            .find(|(s, e)| *s == schema && e.name == sent.name)
        {
            Some((_, first)) if first.values != sent.values => {
                return Some((
                    format!(
                        "`{name}` sends `{}`, of the enum type `{schema}.{}` ({}), which another table received into `{schema}` brings with other values ({})",
                        c.name, sent.name, list(sent), list(first)
                    ),
                    "give the two enums the same values in the same order, or rename one of them".to_string(),
                ));
            }
            Some(_) => {}
            None => brought.push((schema, sent)),
        }
    }
    None
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
