//! Builders for migrations: `after`, `expand`, `backfill`, `contract` and
//! every step kind.

use pest::iterators::Pair;

use super::decls;
use super::{child, empty_path, sql, table, Context, Cx, Rule};
use crate::ast::*;

pub(super) fn migration(cx: &mut Cx, pair: Pair<Rule>) -> MigrationDecl {
    let span = cx.span(&pair);
    let mut m = MigrationDecl {
        name: Ident {
            name: String::new(),
            span,
        },
        baseline: None,
        after: Vec::new(),
        releases: Vec::new(),
        expand: Vec::new(),
        backfills: Vec::new(),
        contract: Vec::new(),
        span,
    };
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::ident => m.name = cx.ident(p),
            Rule::after_item => {
                if let Some(list) = child(&p, Rule::ident_list) {
                    m.after.extend(cx.idents(list));
                }
            }
            Rule::release_item => m.releases.push(release(cx, p)),
            Rule::baseline_item => m.baseline = Some(cx.span(&p)),
            Rule::expand_block => m.expand.extend(steps(cx, p)),
            Rule::contract_block => m.contract.extend(steps(cx, p)),
            Rule::backfill_item => m.backfills.push(backfill(cx, p)),
            Rule::step => m.expand.extend(step(cx, p)),
            _ => {}
        }
    }
    m
}

fn steps(cx: &mut Cx, block: Pair<Rule>) -> Vec<Step> {
    block
        .into_inner()
        .filter(|p| p.as_rule() == Rule::step)
        .filter_map(|p| step(cx, p))
        .collect()
}

fn release(cx: &mut Cx, pair: Pair<Rule>) -> Release {
    let span = cx.span(&pair);
    let mut r = Release {
        migration: Ident {
            name: String::new(),
            span,
        },
        together: None,
        span,
    };
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::ident => r.migration = cx.ident(p),
            Rule::release_together => {
                let at = cx.span(&p);
                let reason = child(&p, Rule::string).map(|s| cx.string(s));
                r.together = Some((reason, at));
            }
            _ => {}
        }
    }
    r
}

fn backfill(cx: &mut Cx, pair: Pair<Rule>) -> Backfill {
    let span = cx.span(&pair);
    let mut b = Backfill {
        target: empty_path(span),
        expr: SqlText {
            text: String::new(),
            span,
        },
        filter: None,
        batch: None,
        pause: None,
        span,
    };
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::path => b.target = cx.path(p),
            Rule::sql_inline => b.expr = sql::text(cx, p),
            Rule::backfill_where => {
                b.filter = child(&p, Rule::sql_inline).map(|q| sql::text(cx, q))
            }
            Rule::backfill_batch => {
                if let Some(n) = child(&p, Rule::int) {
                    let s = cx.span(&n);
                    b.batch = Some((cx.int(n), s));
                }
            }
            Rule::backfill_pause => b.pause = child(&p, Rule::duration).map(|d| cx.duration(d)),
            _ => {}
        }
    }
    b
}

fn step(cx: &mut Cx, pair: Pair<Rule>) -> Option<Step> {
    let span = cx.span(&pair);
    let mut unsafe_ = None;
    let mut kind = None;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::unsafe_opt => {
                let s = cx.span(&p);
                unsafe_ = Some((child(&p, Rule::string).map(|q| cx.string(q)), s));
            }
            Rule::invalid_item => cx.invalid(p, Context::Step),
            _ => kind = step_kind(cx, p),
        }
    }
    Some(Step {
        kind: kind?,
        unsafe_,
        span,
    })
}

fn path_child(cx: &Cx, pair: &Pair<Rule>) -> Option<Path> {
    child(pair, Rule::path).map(|p| cx.path(p))
}

fn step_kind(cx: &mut Cx, p: Pair<Rule>) -> Option<StepKind> {
    Some(match p.as_rule() {
        Rule::create_step => {
            let inner = p.into_inner().find(|q| q.as_rule() != Rule::k_create)?;
            match inner.as_rule() {
                Rule::table_decl => StepKind::CreateTable(table::table(cx, inner)),
                Rule::view_decl => StepKind::CreateView(decls::view(cx, inner)),
                Rule::function_decl => StepKind::CreateFunction(decls::function(cx, inner)),
                Rule::enum_decl => StepKind::CreateEnum(decls::enum_decl(cx, inner)),
                Rule::extension_decl => StepKind::CreateExtension(decls::extension(cx, inner)),
                _ => return None,
            }
        }
        Rule::replace_step => {
            let inner = p.into_inner().find(|q| q.as_rule() != Rule::k_replace)?;
            match inner.as_rule() {
                Rule::view_decl => StepKind::ReplaceView(decls::view(cx, inner)),
                Rule::function_decl => StepKind::ReplaceFunction(decls::function(cx, inner)),
                _ => return None,
            }
        }
        Rule::add_column_step => {
            let column = path_child(cx, &p)?;
            let mut def = table::column(cx, p);
            def.name = column.last().clone();
            StepKind::AddColumn { column, def }
        }
        Rule::add_index_step => {
            let table = path_child(cx, &p)?;
            let index = table::index(cx, p, Context::Index)?;
            StepKind::AddIndex { table, index }
        }
        Rule::add_fk_step => {
            let mut table = path_child(cx, &p)?;
            let mut columns = child(&p, Rule::col_list)
                .map(|l| cx.idents(l))
                .unwrap_or_default();
            // `notes.notebook_id -> …`: the last part is the column, the
            // rest names the table, so every later stage sees one shape.
            if columns.is_empty() && table.parts.len() > 1 {
                let column = table.parts.pop().expect("more than one part");
                let first = table.parts[0].span;
                table.span = first.to(table.last().span);
                columns.push(column);
            }
            let name = table::name_as(cx, &p);
            let reference = table::reference(cx, p);
            StepKind::AddForeignKey {
                table,
                columns,
                reference,
                name,
            }
        }
        Rule::add_check_step => {
            let table = path_child(cx, &p)?;
            let check = table::check(cx, p)?;
            StepKind::AddCheck { table, check }
        }
        Rule::add_unique_step => {
            let table = path_child(cx, &p)?;
            let unique = table::unique(cx, p)?;
            StepKind::AddUnique { table, unique }
        }
        Rule::add_policy_step => {
            let table = path_child(cx, &p)?;
            let policy = table::policy(cx, p)?;
            StepKind::AddPolicy { table, policy }
        }
        Rule::add_enum_value_step => {
            let mut strings = p
                .clone()
                .into_inner()
                .filter(|q| q.as_rule() == Rule::string)
                .map(|q| cx.string(q));
            let value = strings.next()?;
            let anchor = strings.next();
            let before = child(&p, Rule::k_before).is_some();
            StepKind::AddEnumValue {
                value,
                enum_name: path_child(cx, &p)?,
                position: anchor.map(|a| (before, a)),
            }
        }
        Rule::set_not_null_step => StepKind::SetNotNull(path_child(cx, &p)?),
        Rule::drop_not_null_step => StepKind::DropNotNull(path_child(cx, &p)?),
        Rule::set_default_step => StepKind::SetDefault {
            column: path_child(cx, &p)?,
            expr: sql::text(cx, child(&p, Rule::default_expr)?),
        },
        Rule::drop_default_step => StepKind::DropDefault(path_child(cx, &p)?),
        Rule::change_type_step => StepKind::ChangeType {
            column: path_child(cx, &p)?,
            ty: table::type_name(cx, child(&p, Rule::type_name)?),
            using: sql::paren_child(cx, &p),
        },
        Rule::rename_column_step => StepKind::RenameColumn {
            column: path_child(cx, &p)?,
            to: child(&p, Rule::ident).map(|i| cx.ident(i))?,
        },
        Rule::rename_table_step => StepKind::RenameTable {
            table: path_child(cx, &p)?,
            to: child(&p, Rule::ident).map(|i| cx.ident(i))?,
        },
        Rule::drop_policy_step => StepKind::DropPolicy {
            table: path_child(cx, &p)?,
            policy: child(&p, Rule::ident).map(|i| cx.ident(i))?,
        },
        Rule::drop_step => StepKind::Drop {
            kind: child(&p, Rule::ident).map(|i| cx.ident(i))?,
            target: path_child(cx, &p)?,
        },
        Rule::enable_rls_step => StepKind::EnableRls(path_child(cx, &p)?),
        Rule::classify_step
        | Rule::declassify_step
        | Rule::comment_step
        | Rule::drop_comment_step => StepKind::Annotate(super::annotate::step(cx, p)?),
        Rule::publish_step => StepKind::Publish {
            table: path_child(cx, &p)?,
            target: child(&p, Rule::ident).map(|i| cx.ident(i))?,
            columns: child(&p, Rule::col_list).map(|l| cx.idents(l)),
        },
        Rule::unpublish_step => StepKind::Unpublish {
            table: path_child(cx, &p)?,
            target: child(&p, Rule::ident).map(|i| cx.ident(i))?,
        },
        Rule::receive_step => StepKind::Receive {
            table: path_child(cx, &p)?,
            source: child(&p, Rule::ident).map(|i| cx.ident(i))?,
        },
        Rule::reads_step => {
            let mut lists = p
                .clone()
                .into_inner()
                .filter(|q| q.as_rule() == Rule::ident_list);
            StepKind::Reads {
                grant: child(&p, Rule::k_grant).is_some(),
                classifications: lists.next().map(|l| cx.idents(l)).unwrap_or_default(),
                roles: lists.next().map(|l| cx.idents(l)).unwrap_or_default(),
            }
        }
        Rule::grant_step | Rule::revoke_step => {
            let is_grant = p.as_rule() == Rule::grant_step;
            let roles = child(&p, Rule::ident_list)
                .map(|l| cx.idents(l))
                .unwrap_or_default();
            let grant = decls::grant(cx, p);
            if is_grant {
                StepKind::Grant { grant, roles }
            } else {
                StepKind::Revoke { grant, roles }
            }
        }
        Rule::sql_step => {
            let forward = child(&p, Rule::dollar_body).and_then(|b| sql::dollar(cx, b))?;
            let inverse = if let Some(inv) = child(&p, Rule::sql_inverse) {
                match child(&inv, Rule::dollar_body).and_then(|b| sql::dollar(cx, b)) {
                    Some(t) => Inverse::Sql(t),
                    None => Inverse::Missing,
                }
            } else if let Some(irr) = child(&p, Rule::sql_irreversible) {
                let s = cx.span(&irr);
                Inverse::Irreversible(child(&irr, Rule::string).map(|q| cx.string(q)), s)
            } else {
                Inverse::Missing
            };
            StepKind::Sql { forward, inverse }
        }
        Rule::invalid_item => {
            cx.invalid(p, Context::Step);
            return None;
        }
        _ => return None,
    })
}
