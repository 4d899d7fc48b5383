//! Pass 3: tables — columns (declared and derived), indexes, uniques,
//! checks, policies, partitioning and exemptions. Foreign keys are recorded
//! as pending and resolved in [`super::references`] once every table exists.

use super::collect::ProjectFiles;
use super::column_memo::ColumnMemo;
use super::columns::{self, Shape};
use super::table_parts::{derived_fks, index, partition, policy, written_fk};
pub(super) use super::table_parts::{require_column, FkTarget, PendingFk, TableCx};
use super::values::{one_of, Scope};
use crate::ast::{self, TableItem};
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::*;
use crate::span::Span;

const RETAIN_UNITS: [&str; 10] = [
    "hour", "hours", "day", "days", "week", "weeks", "month", "months", "year", "years",
];

pub(super) fn lower_tables(
    project: &mut Project,
    roles: &[Role],
    pf: &ProjectFiles,
    diags: &mut Vec<Diagnostic>,
) -> Vec<PendingFk> {
    let mut one = |cx: &TableCx, at: usize, idx, pending: &mut _, diags: &mut _| {
        lower_table(cx, pf.tables[at], idx, pending, diags)
    };
    lower_tables_by(project, roles, pf, diags, &mut one)
}

/// Table `at` of `pf.tables` lowered as table `idx`.
pub(super) type LowerOne<'f> =
    dyn FnMut(&TableCx, usize, usize, &mut Vec<PendingFk>, &mut Vec<Diagnostic>) -> Table + 'f;

/// [`lower_tables`], each table lowered by `one`.
pub(super) fn lower_tables_by(
    project: &mut Project,
    roles: &[Role],
    pf: &ProjectFiles,
    diags: &mut Vec<Diagnostic>,
    one: &mut LowerOne,
) -> Vec<PendingFk> {
    let enums = pf
        .enums
        .iter()
        .map(|e| e.name.last().name.clone())
        .collect();
    let has_app_roles = project.app_roles.is_some()
        || pf.decls.iter().any(|d| d.app_roles.is_some())
        || pf
            .decls
            .iter()
            .flat_map(|d| &d.tenancy)
            .any(|t| t.app_roles.is_some());
    let tables;
    let mut pending = Vec::new();
    {
        let cx = TableCx {
            project: &project.name,
            conventions: &project.conventions,
            tenancy: project.tenancy.as_ref(),
            enums,
            roles,
            has_app_roles,
        };
        let mut scope = Scope::default();
        let mut out = Vec::new();
        for (at, decl) in pf.tables.iter().enumerate() {
            let name = decl.name.last();
            if !scope.define(&name.name, name.span, "table", diags) {
                continue;
            }
            let idx = out.len();
            out.push(one(&cx, at, idx, &mut pending, diags));
        }
        tables = out;
    }
    // A fresh vector: collecting in place would keep the buffer sized for
    // whole tables behind the much smaller pointers.
    let mut shared = Vec::with_capacity(tables.len());
    shared.extend(tables.into_iter().map(std::sync::Arc::new));
    project.tables = shared;
    pending
}

/// Lower one table declaration (also used for `create table` steps).
pub(super) fn lower_table(
    cx: &TableCx,
    decl: &ast::TableDecl,
    idx: usize,
    pending: &mut Vec<PendingFk>,
    diags: &mut Vec<Diagnostic>,
) -> Table {
    lower_table_with(cx, decl, idx, pending, diags, None)
}

/// [`lower_table`], its columns taken from `memo` where made before.
pub(super) fn lower_table_with(
    cx: &TableCx,
    decl: &ast::TableDecl,
    idx: usize,
    pending: &mut Vec<PendingFk>,
    diags: &mut Vec<Diagnostic>,
    memo: Option<&mut ColumnMemo>,
) -> Table {
    let (name, schema) = table_name(&decl.name, diags);
    let items = &decl.items;
    let mut tenant = None;
    let mut global = None;
    let mut owner = None;
    let mut comment = None;
    let mut classification = None;
    let mut retention = None;
    let mut publish = Vec::new();
    let mut exemptions = Vec::new();
    let mut composite_pk = None;
    for item in items {
        match item {
            TableItem::Tenant(s) => tenant = Some(*s),
            TableItem::Global(s) => global = Some(*s),
            TableItem::Owner(i) => owner = Some(i),
            TableItem::Comment(s) => comment = Some(s.value.clone()),
            TableItem::Classify(i) => classification = columns::classification(i, diags),
            TableItem::Retain {
                amount,
                unit,
                after,
                span,
            } => retention = retain(*amount, unit, after, *span, diags),
            TableItem::Publish {
                target,
                columns,
                span,
            } => publish.push(Publish {
                target: target.clone(),
                columns: columns.clone(),
                span: *span,
            }),
            TableItem::Allow(a) => exemptions.extend(exemption(a, diags)),
            TableItem::PrimaryKey { columns, span } => composite_pk = Some((columns, *span)),
            _ => {}
        }
    }
    if let (Some(t), Some(g)) = (tenant, global) {
        diags.push(
            Diagnostic::error(
                Code::ConflictingOptions,
                format!("table `{name}` is marked both `tenant` and `global`"),
            )
            .at(g)
            .with_label(t, "`tenant` here")
            .help("a table is either scoped to one tenant (`tenant`) or shared by all (`global`)"),
        );
    }
    if tenant.is_some() && cx.tenancy.is_none() {
        diags.push(missing_tenancy(tenant.unwrap_or_default(), "tenant"));
    }
    if let Some(o) = owner {
        if cx.tenancy.is_none_or(|t| t.user_setting.is_none()) {
            diags.push(missing_tenancy(o.span, "owner"));
        }
    }
    let exempt = |rule: &str| exemptions.iter().any(|e: &Exemption| e.rule == rule);
    let declared: Vec<&std::sync::Arc<ast::ColumnDef>> = items
        .iter()
        .filter_map(|i| match i {
            TableItem::Column(c) => Some(c),
            _ => None,
        })
        .collect();
    let shape = Shape {
        tenant: tenant.is_some() && cx.tenancy.is_some(),
        owner,
        composite_pk: composite_pk.is_some(),
        exempt_timestamps: exempt("missing-timestamps"),
        exempt_audit: exempt("missing-audit-fields"),
        exempt_pk: exempt("primary-key-not-uuid"),
        span: decl.name.span,
    };
    let cols = columns::build(
        &shape,
        &declared,
        cx.conventions,
        cx.tenancy,
        &cx.enums,
        diags,
        memo,
    );
    let mut t = Table {
        name: name.clone(),
        span: decl.span,
        name_span: decl.name.span,
        schema,
        was: decl.was.clone(),
        tenant: tenant.is_some(),
        global: global.is_some(),
        owner: owner.map(|o| o.name.clone()),
        comment,
        classification,
        retention,
        publish,
        exemptions,
        primary_key: Vec::new(),
        primary_key_span: composite_pk.map(|(_, s)| s),
        columns: cols.into(),
        indexes: Default::default(),
        uniques: Vec::new(),
        checks: Vec::new(),
        foreign_keys: Vec::new(),
        policies: Default::default(),
        partition: None,
    };
    t.primary_key = match composite_pk {
        Some((cols, _)) => cols
            .iter()
            .filter(|c| require_column(&t, c, diags))
            .map(|c| c.name.clone())
            .collect(),
        None => t
            .columns
            .iter()
            .filter(|c| c.origin == Origin::PrimaryKey)
            .map(|c| c.name.clone())
            .collect(),
    };
    for c in &declared {
        for opt in &c.opts {
            match opt {
                ast::ColumnOpt::Check(e) => t.checks.push(Check {
                    name: None,
                    column: Some(c.name.name.clone()),
                    expr: e.clone(),
                    span: e.span,
                }),
                ast::ColumnOpt::References(r) => {
                    pending.push(written_fk(idx, vec![c.name.clone()], r, None, r.span))
                }
                _ => {}
            }
        }
    }
    derived_fks(cx, &t, idx, pending);
    for item in items {
        match item {
            TableItem::Index(ix) => {
                if let Some(ix) = index(&t, ix, diags) {
                    std::sync::Arc::make_mut(&mut t.indexes).push(ix);
                }
            }
            TableItem::Unique(u) => {
                if u.columns.iter().all(|c| require_column(&t, c, diags)) {
                    t.uniques.push(Unique {
                        name: u.name.as_ref().map(|n| n.name.clone()),
                        columns: u.columns.iter().map(|c| c.name.clone()).collect(),
                        span: u.span,
                    });
                }
            }
            TableItem::Check(c) => t.checks.push(Check {
                name: c.name.as_ref().map(|n| n.name.clone()),
                column: None,
                expr: c.expr.clone(),
                span: c.span,
            }),
            TableItem::ForeignKey(fk) => {
                if fk.columns.iter().all(|c| require_column(&t, c, diags)) {
                    pending.push(written_fk(
                        idx,
                        fk.columns.clone(),
                        &fk.reference,
                        fk.name.as_ref().map(|n| n.name.clone()),
                        fk.span,
                    ));
                }
            }
            TableItem::Policy(p) => {
                if let Some(p) = policy(cx, &t, p, diags) {
                    std::sync::Arc::make_mut(&mut t.policies).push(p);
                }
            }
            TableItem::Partition(p) => t.partition = partition(&t, p, diags),
            _ => {}
        }
    }
    super::partition_keys::fit(&mut t, composite_pk.is_none(), diags);
    t
}

/// The table's name and the schema written before it, if any.
fn table_name(path: &ast::Path, diags: &mut Vec<Diagnostic>) -> (String, Option<ast::Ident>) {
    match path.parts.as_slice() {
        [t] => (t.name.clone(), None),
        [schema, t] => (t.name.clone(), Some(schema.clone())),
        _ => {
            diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("`{}` is not a table name", path.dotted()),
                )
                .at(path.span)
                .help("write `table NAME` or `table SCHEMA.NAME`"),
            );
            (path.last().name.clone(), None)
        }
    }
}

fn missing_tenancy(span: Span, what: &str) -> Diagnostic {
    let need = if what == "owner" {
        "`tenancy { … user_from setting app.current_user_id }`"
    } else {
        "`tenancy { column org_id uuid  org_from setting app.current_org_id }`"
    };
    Diagnostic::error(
        Code::MissingTenancy,
        format!(
            "`{what}` needs a tenancy block that says how the current tenant and user are known"
        ),
    )
    .at(span)
    .help(format!(
        "declare {need} in `workspace.sluice` or the project"
    ))
}

fn retain(
    amount: u64,
    unit: &ast::Ident,
    after: &Option<ast::Ident>,
    span: crate::span::Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<crate::ir::retention::Retention> {
    let unit = one_of(unit, &RETAIN_UNITS, "retention unit", diags)?;
    Some(crate::ir::retention::Retention {
        amount,
        unit: unit.trim_end_matches('s'),
        after: after.clone(),
        span,
    })
}

fn exemption(a: &ast::Allow, diags: &mut Vec<Diagnostic>) -> Option<Exemption> {
    if let Some(d) = super::settings::not_a_rule(&a.rule.name, a.rule.span) {
        diags.push(d);
        return None;
    }
    let reason = a.reason.as_ref().map(|r| r.value.trim()).unwrap_or("");
    if reason.is_empty() {
        diags.push(
            Diagnostic::error(
                Code::ExemptionWithoutReason,
                format!("the exemption from `{}` gives no reason", a.rule.name),
            )
            .at(a.span)
            .help(format!(
                "say why, e.g. `allow {} \"append-only log\"`",
                a.rule.name
            )),
        );
        return None;
    }
    Some(Exemption {
        rule: a.rule.name.clone(),
        reason: reason.to_string(),
        span: a.span,
    })
}
