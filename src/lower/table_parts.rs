//! Pass 3, a table's parts: the context a table is lowered in, and each
//! part lowered from its declaration — written and derived foreign keys
//! (pending until every table exists), indexes, policies, the columns a
//! policy predicate names, partitioning.
//!
//! Input: a table lowered so far (its columns) and one declaration. Output:
//! the IR part, or diagnostics for what the declaration names wrongly.

use super::settings::unknown_role;
use super::values::{one_of, unknown};
use crate::ast;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::*;
use crate::span::Span;

/// A foreign key waiting for its target to be resolved.
#[derive(Clone)]
pub(super) struct PendingFk {
    pub table: usize,
    pub columns: Vec<ast::Ident>,
    pub target: FkTarget,
    pub name: Option<String>,
    pub on_delete: FkAction,
    pub on_update: FkAction,
    pub indexed: bool,
    pub origin: Origin,
    pub span: Span,
}

#[derive(Clone)]
pub(super) enum FkTarget {
    Written(ast::Reference),
    /// From a convention: `table.column` inside this project.
    Derived {
        table: String,
        column: String,
    },
}

/// Everything a table needs from its project.
pub(super) struct TableCx<'a> {
    pub project: &'a str,
    pub conventions: &'a Conventions,
    pub tenancy: Option<&'a Tenancy>,
    pub enums: Vec<String>,
    pub roles: &'a [Role],
    pub has_app_roles: bool,
}

const INDEX_METHODS: [&str; 6] = ["btree", "hash", "gin", "gist", "brin", "spgist"];
const PARTITION_METHODS: [&str; 3] = ["hash", "range", "list"];

pub(super) fn index(t: &Table, ix: &ast::IndexDef, diags: &mut Vec<Diagnostic>) -> Option<Index> {
    let method = match &ix.method {
        Some(m) => one_of(m, &INDEX_METHODS, "index method", diags)?.to_string(),
        None => "btree".to_string(),
    };
    let mut ok = true;
    let mut elems = Vec::new();
    for e in &ix.elems {
        let key = match &e.key {
            ast::IndexKey::Column(c) => {
                ok &= require_column(t, c, diags);
                IndexKey::Column(c.name.clone())
            }
            ast::IndexKey::Expr(x) => IndexKey::Expr(x.text.clone()),
        };
        let nulls_first = match &e.nulls {
            Some(n) => one_of(n, &["first", "last"], "nulls order", diags).map(|v| v == "first"),
            None => None,
        };
        elems.push(IndexElem {
            key,
            descending: e.descending,
            nulls_first,
            opclass: e.opclass.as_ref().map(|o| o.name.clone()),
        });
    }
    for c in &ix.include {
        ok &= require_column(t, c, diags);
    }
    ok.then(|| Index {
        name: ix.name.as_ref().map(|n| n.name.clone()),
        unique: ix.unique,
        method,
        elems,
        include: ix.include.iter().map(|c| c.name.clone()).collect(),
        predicate: ix.predicate.as_ref().map(|p| p.text.clone()),
        derived: false,
        span: ix.span,
    })
}

pub(super) fn policy(
    cx: &TableCx,
    t: &Table,
    p: &ast::PolicyDef,
    diags: &mut Vec<Diagnostic>,
) -> Option<Policy> {
    let mut commands = Vec::new();
    for c in &p.commands {
        if let Some(cmd) =
            one_of(c, &Command::NAMES, "policy command", diags).and_then(Command::parse)
        {
            commands.push(cmd);
        }
    }
    for r in &p.to {
        if !cx.roles.iter().any(|role| role.name == r.name) {
            diags.push(unknown_role(&r.name, r.span, cx.roles));
        }
    }
    check_pred(cx, t, &p.using, diags);
    if let Some(c) = &p.check {
        check_pred(cx, t, c, diags);
    }
    if let Some(s) = p.check_using {
        if !commands
            .iter()
            .any(|c| matches!(c, Command::Update | Command::All))
        {
            diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    "`check using` applies to an `update` or `all` policy",
                )
                .at(s)
                .help("remove `check using`: only update and all policies check new rows with their USING expression"),
            );
        }
    }
    (!commands.is_empty()).then(|| Policy {
        name: p.name.as_ref().map(|n| n.name.clone()),
        commands,
        roles: p.to.iter().map(|r| r.name.clone()).collect(),
        using: p.using.clone(),
        check: p.check.clone(),
        check_using: p.check_using.is_some(),
        span: p.span,
    })
}

/// The words of a predicate must make sense for this table.
pub(super) fn check_pred(cx: &TableCx, t: &Table, p: &ast::Pred, diags: &mut Vec<Diagnostic>) {
    match p {
        ast::Pred::Or(ps, _) | ast::Pred::And(ps, _) => {
            for q in ps {
                check_pred(cx, t, q, diags);
            }
        }
        ast::Pred::Not(q, _) => check_pred(cx, t, q, diags),
        ast::Pred::Owner(s) if t.owner.is_none() => diags.push(
            Diagnostic::error(
                Code::UnknownColumn,
                format!(
                    "`owner` is used in a policy of `{}`, which has no owner column",
                    t.name
                ),
            )
            .at(*s)
            .help("declare the owner with `owner user_id` in the table"),
        ),
        ast::Pred::Tenant(s) if !t.tenant => diags.push(
            Diagnostic::error(
                Code::UnknownColumn,
                format!(
                    "`tenant` is used in a policy of `{}`, which is not a tenant table",
                    t.name
                ),
            )
            .at(*s)
            .help("mark the table `tenant`, or remove `tenant` from the predicate"),
        ),
        ast::Pred::Role(_, s) if !cx.has_app_roles => diags.push(
            Diagnostic::error(
                Code::UnknownRole,
                format!(
                    "`role(…)` is used but project `{}` does not say where app roles come from",
                    cx.project
                ),
            )
            .at(*s)
            .help("add `app_roles from TABLE` or `app_roles from setting NAME` to the project"),
        ),
        _ => {}
    }
}

pub(super) fn partition(
    t: &Table,
    p: &ast::PartitionDef,
    diags: &mut Vec<Diagnostic>,
) -> Option<Partition> {
    let method = one_of(&p.method, &PARTITION_METHODS, "partition method", diags)?;
    if !p.columns.iter().all(|c| require_column(t, c, diags)) {
        return None;
    }
    match (method, p.count) {
        ("hash", None) => diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                "hash partitioning needs a partition count",
            )
            .at(p.span)
            .help("write `partition by hash (org_id) into 4`"),
        ),
        ("hash", Some((n, s))) if n < 2 => diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!("{n} hash partition is not partitioning"),
            )
            .at(s)
            .help("use at least 2 partitions"),
        ),
        (m, Some((_, s))) if m != "hash" => diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!("`into N` applies to hash partitioning, not `{m}`"),
            )
            .at(s)
            .help("remove `into N`, or partition by hash"),
        ),
        _ => {}
    }
    Some(Partition {
        method: method.to_string(),
        columns: p.columns.iter().map(|c| c.name.clone()).collect(),
        count: p.count.map(|(n, _)| n),
        span: p.span,
    })
}

/// Check that `col` names a column of `t`; report `unknown-column` if not.
pub(super) fn require_column(t: &Table, col: &ast::Ident, diags: &mut Vec<Diagnostic>) -> bool {
    if t.column(&col.name).is_some() {
        return true;
    }
    diags.push(unknown(
        Code::UnknownColumn,
        "column",
        &col.name,
        col.span,
        &format!(" in table `{}`", t.name),
        t.columns.iter().map(|c| c.name.as_str()),
        "declare the column or fix the name",
    ));
    false
}

pub(super) fn written_fk(
    table: usize,
    columns: Vec<ast::Ident>,
    r: &ast::Reference,
    name: Option<String>,
    span: Span,
) -> PendingFk {
    PendingFk {
        table,
        columns,
        target: FkTarget::Written(r.clone()),
        name,
        on_delete: r
            .on_delete
            .as_ref()
            .map(|a| FkAction::parse(&a.name))
            .unwrap_or(FkAction::NoAction),
        on_update: r
            .on_update
            .as_ref()
            .map(|a| FkAction::parse(&a.name))
            .unwrap_or(FkAction::NoAction),
        indexed: r.no_index.is_none(),
        origin: Origin::Declared,
        span,
    }
}

/// Real foreign keys for the tenant and audit columns when their target
/// lives in this project (a soft reference elsewhere).
pub(super) fn derived_fks(cx: &TableCx, t: &Table, idx: usize, pending: &mut Vec<PendingFk>) {
    let mut add = |col: &Column, target: &QualifiedColumn, on_delete| {
        if target.project != cx.project {
            return;
        }
        pending.push(PendingFk {
            table: idx,
            columns: vec![ast::Ident {
                name: col.name.clone(),
                span: col.span,
            }],
            target: FkTarget::Derived {
                table: target.table.clone(),
                column: target.column.clone(),
            },
            name: None,
            on_delete,
            on_update: FkAction::NoAction,
            indexed: true,
            origin: col.origin,
            span: col.span,
        });
    };
    for col in t.columns.iter() {
        match col.origin {
            Origin::Tenant => {
                if let Some(r) = cx.tenancy.and_then(|t| t.references.as_ref()) {
                    add(col, r, FkAction::Cascade);
                }
            }
            Origin::Audit => {
                if let Some(r) = cx
                    .conventions
                    .audit
                    .as_ref()
                    .and_then(|a| a.references.as_ref())
                {
                    add(col, r, FkAction::SetNull);
                }
            }
            _ => {}
        }
    }
}
