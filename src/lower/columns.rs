//! Columns of a table: declared ones and the ones conventions derive
//! (primary key, tenant, owner, timestamps, audit), in emission order.

use std::sync::Arc;

use super::column_memo::ColumnMemo;
use super::settings::uuid_type;
use super::types::check_type;
use super::values::{one_of, Scope};
use crate::ast::{self, ColumnOpt};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::*;
use crate::span::Span;

/// What a table declaration says that shapes its derived columns.
pub(super) struct Shape<'a> {
    pub tenant: bool,
    pub owner: Option<&'a ast::Ident>,
    pub composite_pk: bool,
    pub exempt_timestamps: bool,
    pub exempt_audit: bool,
    pub exempt_pk: bool,
    pub span: Span,
}

/// The table's columns; with `memo`, each one made before is shared.
pub(super) fn build(
    shape: &Shape,
    declared: &[&Arc<ast::ColumnDef>],
    conventions: &Conventions,
    tenancy: Option<&Tenancy>,
    enums: &[String],
    diags: &mut Vec<Diagnostic>,
    mut memo: Option<&mut ColumnMemo>,
) -> Vec<Arc<Column>> {
    let mut scope = Scope::default();
    let mut decl_cols = Vec::new();
    for d in declared {
        if scope.define(&d.name.name, d.name.span, "column", diags) {
            decl_cols.push(match memo.as_deref_mut() {
                Some(m) => m.declared(d, || declared_column(d, enums, diags)),
                None => Arc::new(declared_column(d, enums, diags)),
            });
        }
    }
    let mut hold = |c: Column| match memo.as_deref_mut() {
        Some(m) => m.derived(c),
        None => Arc::new(c),
    };
    let is_declared = |name: &str| decl_cols.iter().any(|c| c.name == name);
    // Room for every column up front: the list is kept as made (tables
    // share it between their copies), and one grown by doubling would
    // hold up to twice the room it needs, for every table of every phase.
    let derived_at_most = 3
        + conventions.timestamps.len()
        + conventions.audit.as_ref().map_or(0, |a| a.columns.len());
    let mut out = Vec::with_capacity(decl_cols.len() + derived_at_most);

    if let Some(pk) = &conventions.primary_key {
        let declares_pk = decl_cols.iter().any(|c| c.origin == Origin::PrimaryKey);
        if !declares_pk && !shape.composite_pk && !shape.exempt_pk && !is_declared(&pk.column) {
            out.push(hold(Column {
                default: pk.default.as_ref().map(|d| ast::SqlText {
                    text: d.clone(),
                    span: shape.span,
                }),
                nullable: false,
                ..derived(&pk.column, pk.ty.clone(), Origin::PrimaryKey, shape.span)
            }));
        }
    }
    if shape.tenant {
        if let Some(t) = tenancy {
            if !is_declared(&t.column) {
                out.push(hold(Column {
                    nullable: false,
                    ..derived(&t.column, t.ty.clone(), Origin::Tenant, shape.span)
                }));
            }
        }
    }
    if let Some(owner) = shape.owner {
        if !is_declared(&owner.name) {
            out.push(hold(Column {
                nullable: false,
                ..derived(
                    &owner.name,
                    uuid_type(owner.span),
                    Origin::Owner,
                    owner.span,
                )
            }));
        }
    }
    // The columns after the declared ones, which move in without a copy.
    let mut tail = Vec::new();
    if !shape.exempt_timestamps {
        for (i, name) in conventions.timestamps.iter().enumerate() {
            if is_declared(name) {
                continue;
            }
            // created_at, updated_at: set on write; deleted_at: null until soft-deleted.
            let soft_delete = i >= 2;
            tail.push(hold(Column {
                nullable: soft_delete,
                default: (!soft_delete).then(|| ast::SqlText {
                    text: "now()".into(),
                    span: shape.span,
                }),
                ..derived(name, timestamptz(shape.span), Origin::Timestamp, shape.span)
            }));
        }
    }
    if !shape.exempt_audit {
        if let Some(audit) = &conventions.audit {
            for name in &audit.columns {
                if !is_declared(name) {
                    tail.push(hold(derived(
                        name,
                        uuid_type(shape.span),
                        Origin::Audit,
                        shape.span,
                    )));
                }
            }
        }
    }
    out.append(&mut decl_cols);
    out.append(&mut tail);
    out
}

fn timestamptz(span: Span) -> ast::TypeName {
    ast::TypeName {
        text: "timestamptz".into(),
        base: "timestamptz".into(),
        params: Vec::new(),
        array_dims: 0,
        span,
    }
}

fn derived(name: &str, ty: ast::TypeName, origin: Origin, span: Span) -> Column {
    Column {
        name: name.to_string(),
        ty,
        nullable: true,
        default: None,
        unique: false,
        check: None,
        generated: None,
        identity: false,
        comment: None,
        classification: None,
        origin,
        span,
        was: None,
    }
}

fn declared_column(d: &ast::ColumnDef, enums: &[String], diags: &mut Vec<Diagnostic>) -> Column {
    check_type(&d.ty, enums, diags);
    let mut c = derived(&d.name.name, d.ty.clone(), Origin::Declared, d.span);
    let mut null_span = None;
    let mut not_null_span = None;
    for opt in &d.opts {
        match opt {
            ColumnOpt::NotNull(s) => {
                c.nullable = false;
                not_null_span = Some(*s);
            }
            ColumnOpt::Null(s) => null_span = Some(*s),
            ColumnOpt::Default(e) => c.default = Some(e.clone()),
            ColumnOpt::Unique(_) => c.unique = true,
            ColumnOpt::PrimaryKey(_) => {
                c.origin = Origin::PrimaryKey;
                c.nullable = false;
            }
            ColumnOpt::Check(e) => c.check = Some(e.clone()),
            ColumnOpt::References(_) => {}
            ColumnOpt::Comment(s) => c.comment = Some(s.value.clone()),
            ColumnOpt::Classify(i) => c.classification = classification(i, diags),
            ColumnOpt::Generated(e) => c.generated = Some(e.clone()),
            ColumnOpt::Identity(_) => {
                c.identity = true;
                c.nullable = false;
            }
            ColumnOpt::Was(old) => c.was = Some(old.clone()),
        }
    }
    if let (Some(n), Some(nn)) = (null_span, not_null_span) {
        diags.push(
            Diagnostic::error(
                Code::ConflictingOptions,
                format!("column `{}` is both `null` and `not null`", d.name.name),
            )
            .at(n)
            .with_label(nn, "`not null` here")
            .help("keep one of the two"),
        );
    }
    if c.generated.is_some() && c.default.is_some() {
        diags.push(
            Diagnostic::error(
                Code::ConflictingOptions,
                format!(
                    "column `{}` has both a default and a generated value",
                    d.name.name
                ),
            )
            .at(d.name.span)
            .help("a generated column computes its value; remove the `default`"),
        );
    }
    c
}

pub(super) fn classification(
    i: &ast::Ident,
    diags: &mut Vec<Diagnostic>,
) -> Option<Classification> {
    one_of(i, &Classification::NAMES, "classification", diags).and_then(Classification::parse)
}
