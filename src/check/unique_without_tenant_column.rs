//! `unique-without-tenant-column`: a unique key of a tenant table spans
//! every tenant (uniqueness is checked across row-level security), so one
//! without the tenant column tells org A whether a value exists in org B,
//! and keeps two tenants from holding the same value. Per-tenant uniques
//! include the tenant column; the primary key (a random uuid) is exempt.
//!
//! Input: a project's tenant tables. Output: one diagnostic per unique
//! column, `unique (…)` or declared `unique index` without the tenant
//! column. `allow unique-without-tenant-column "reason"` on the table
//! exempts it.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{IndexKey, Project, Workspace};
use crate::span::Span;

pub fn tenant_uniques_include_the_tenant_column(
    _: &Workspace,
    p: &Project,
    out: &mut Vec<Diagnostic>,
) {
    let Some(tenant) = p.tenancy.as_ref().map(|t| t.column.as_str()) else {
        return;
    };
    for t in p.tables.iter().filter(|t| t.tenant) {
        let mut report = |what: String, fix: String, span: Span| {
            out.push(
                Diagnostic::of(
                    Code::UniqueWithoutTenantColumn,
                    format!(
                        "{what} of tenant table `{}` leaves out `{tenant}`: it is checked across tenants, so one tenant learns whether a value exists in another's rows",
                        t.name
                    ),
                )
                .at(span)
                .help(format!(
                    "make it unique per tenant: `{fix}`; if the value must be unique across tenants, add `allow unique-without-tenant-column \"reason\"` to the table"
                )),
            );
        };
        for c in t.columns.iter().filter(|c| c.unique) {
            report(
                format!("the unique column `{}`", c.name),
                format!("unique ({tenant}, {})", c.name),
                c.span,
            );
        }
        for u in t
            .uniques
            .iter()
            .filter(|u| !u.columns.iter().any(|c| c == tenant))
        {
            report(
                format!("the unique constraint on ({})", u.columns.join(", ")),
                format!("unique ({tenant}, {})", u.columns.join(", ")),
                u.span,
            );
        }
        for ix in t.indexes.iter().filter(|ix| ix.unique && !ix.derived) {
            let mentions = ix.elems.iter().any(|e| match &e.key {
                IndexKey::Column(c) => c == tenant,
                IndexKey::Expr(x) => x
                    .split(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                    .any(|w| w == tenant),
            });
            if mentions {
                continue;
            }
            let keys: Vec<String> = ix
                .elems
                .iter()
                .map(|e| match &e.key {
                    IndexKey::Column(c) => c.clone(),
                    IndexKey::Expr(x) => x.clone(),
                })
                .collect();
            report(
                "the unique index".into(),
                format!("unique index ({tenant}, {})", keys.join(", ")),
                ix.span,
            );
        }
    }
}
