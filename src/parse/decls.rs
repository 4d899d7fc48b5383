//! Builders for top-level declarations other than tables and migrations:
//! workspace, conventions, tenancy, roles, lint, project; extensions, enums,
//! views and functions in [`objects`].

use pest::iterators::Pair;

mod objects;

pub(super) use objects::{enum_decl, extension, function, view};

use super::{child, sql, table, Context, Cx, Rule};
use crate::ast::*;

pub(super) fn workspace(cx: &mut Cx, pair: Pair<Rule>) -> WorkspaceDecl {
    let span = cx.span(&pair);
    let mut ws = WorkspaceDecl {
        name: Ident {
            name: String::new(),
            span,
        },
        out: None,
        schema_ts: None,
        postgres: None,
        target: None,
        lock_timeout: None,
        statement_timeout: None,
        span,
    };
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::ident => ws.name = cx.ident(p),
            Rule::set_out => ws.out = child(&p, Rule::string).map(|s| cx.string(s)),
            Rule::set_schema_ts => ws.schema_ts = child(&p, Rule::string).map(|s| cx.string(s)),
            Rule::set_postgres => ws.postgres = postgres(cx, p),
            Rule::set_target => ws.target = child(&p, Rule::ident).map(|s| cx.ident(s)),
            Rule::set_lock_timeout => {
                ws.lock_timeout = child(&p, Rule::duration).map(|d| cx.duration(d))
            }
            Rule::set_statement_timeout => {
                ws.statement_timeout = child(&p, Rule::duration).map(|d| cx.duration(d))
            }
            Rule::invalid_item => cx.invalid(p, Context::Workspace),
            _ => {}
        }
    }
    ws
}

fn postgres(cx: &mut Cx, p: Pair<Rule>) -> Option<(u64, crate::span::Span)> {
    let n = child(&p, Rule::int)?;
    let span = cx.span(&n);
    Some((cx.int(n), span))
}

pub(super) fn conventions(cx: &mut Cx, pair: Pair<Rule>) -> ConventionsDecl {
    let mut c = ConventionsDecl {
        span: cx.span(&pair),
        ..Default::default()
    };
    for p in pair.into_inner() {
        let span = cx.span(&p);
        match p.as_rule() {
            Rule::conv_primary_key => {
                let mut column = None;
                let mut ty = None;
                let mut default = None;
                for q in p.into_inner() {
                    match q.as_rule() {
                        Rule::ident => column = Some(cx.ident(q)),
                        Rule::type_name => ty = Some(table::type_name(cx, q)),
                        Rule::default_expr => default = Some(sql::text(cx, q)),
                        _ => {}
                    }
                }
                if let (Some(column), Some(ty)) = (column, ty) {
                    c.primary_key = Some(PrimaryKeyConvention {
                        column,
                        ty,
                        default,
                        span,
                    });
                }
            }
            Rule::conv_timestamps => {
                let cols = child(&p, Rule::ident_list)
                    .map(|l| cx.idents(l))
                    .unwrap_or_default();
                c.timestamps = Some((cols, span));
            }
            Rule::conv_audit => {
                let columns = child(&p, Rule::ident_list)
                    .map(|l| cx.idents(l))
                    .unwrap_or_default();
                let references = child(&p, Rule::path).map(|r| cx.path(r));
                c.audit = Some(AuditConvention {
                    columns,
                    references,
                    span,
                });
            }
            Rule::conv_naming => {
                for pairing in p.into_inner().filter(|q| q.as_rule() == Rule::naming_pair) {
                    let mut ids = pairing.into_inner().map(|q| cx.ident(q));
                    if let (Some(kind), Some(case)) = (ids.next(), ids.next()) {
                        c.naming.push((kind, case));
                    }
                }
            }
            Rule::conv_schema_owner => {
                c.schema_owner = child(&p, Rule::ident).map(|q| cx.ident(q));
            }
            Rule::invalid_item => cx.invalid(p, Context::Conventions),
            _ => {}
        }
    }
    c
}

pub(super) fn tenancy(cx: &mut Cx, pair: Pair<Rule>) -> TenancyDecl {
    let mut t = TenancyDecl {
        span: cx.span(&pair),
        ..Default::default()
    };
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::ten_column => {
                let name = child(&p, Rule::ident).map(|q| cx.ident(q));
                let ty = child(&p, Rule::type_name).map(|q| table::type_name(cx, q));
                let reference = child(&p, Rule::path).map(|q| cx.path(q));
                if let (Some(name), Some(ty)) = (name, ty) {
                    t.column = Some((name, ty, reference));
                }
            }
            Rule::ten_org_from => t.org_from = setting(cx, &p),
            Rule::ten_user_from => t.user_from = setting(cx, &p),
            Rule::app_roles_item => t.app_roles = app_roles(cx, p).map(|(s, _)| s),
            Rule::invalid_item => cx.invalid(p, Context::Tenancy),
            _ => {}
        }
    }
    t
}

fn setting(cx: &Cx, p: &Pair<Rule>) -> Option<Ident> {
    let s = child(p, Rule::setting_name)?;
    Some(Ident {
        name: s.as_str().to_string(),
        span: cx.span(&s),
    })
}

fn app_roles(cx: &mut Cx, p: Pair<Rule>) -> Option<(AppRolesSource, crate::span::Span)> {
    let span = cx.span(&p);
    for q in p.into_inner() {
        match q.as_rule() {
            Rule::app_roles_setting => {
                return setting(cx, &q).map(|s| (AppRolesSource::Setting(s), span))
            }
            Rule::path => return Some((AppRolesSource::Table(cx.path(q)), span)),
            _ => {}
        }
    }
    None
}

pub(super) fn role(cx: &mut Cx, pair: Pair<Rule>) -> RoleDecl {
    let span = cx.span(&pair);
    let mut r = RoleDecl {
        name: Ident {
            name: String::new(),
            span,
        },
        login: None,
        connection_limit: None,
        owns_schema: None,
        runtime: None,
        reads: Vec::new(),
        grants: Vec::new(),
        comment: None,
        span,
    };
    for p in pair.into_inner() {
        let ps = cx.span(&p);
        match p.as_rule() {
            Rule::ident => r.name = cx.ident(p),
            Rule::role_login => r.login = Some((true, ps)),
            Rule::role_nologin => r.login = Some((false, ps)),
            Rule::role_conn_limit => r.connection_limit = postgres(cx, p),
            Rule::role_owns_schema => r.owns_schema = Some(ps),
            Rule::role_runtime => r.runtime = Some(ps),
            Rule::role_reads => r.reads.extend(
                child(&p, Rule::ident_list)
                    .map(|l| cx.idents(l))
                    .unwrap_or_default(),
            ),
            Rule::role_grant => r.grants.push(grant(cx, p)),
            Rule::role_comment => r.comment = child(&p, Rule::string).map(|s| cx.string(s)),
            Rule::invalid_opt => cx.invalid(p, Context::Role),
            _ => {}
        }
    }
    r
}

pub(super) fn grant(cx: &mut Cx, pair: Pair<Rule>) -> Grant {
    let span = cx.span(&pair);
    let privileges = child(&pair, Rule::privileges)
        .map(|p| cx.idents(p))
        .unwrap_or_default();
    let target =
        child(&pair, Rule::grant_target)
            .and_then(|t| t.into_inner().next())
            .map(|t| match t.as_rule() {
                Rule::grant_on_table => GrantTarget::Tables(
                    t.into_inner()
                        .filter(|q| q.as_rule() == Rule::path)
                        .map(|q| cx.path(q))
                        .collect(),
                ),
                _ => GrantTarget::Kind(child(&t, Rule::ident).map(|q| cx.ident(q)).unwrap_or(
                    Ident {
                        name: String::new(),
                        span,
                    },
                )),
            })
            .unwrap_or(GrantTarget::Tables(Vec::new()));
    let unsafe_ = child(&pair, Rule::unsafe_opt).map(|u| {
        let s = cx.span(&u);
        (child(&u, Rule::string).map(|q| cx.string(q)), s)
    });
    Grant {
        privileges,
        target,
        unsafe_,
        span,
    }
}

pub(super) fn lint(cx: &mut Cx, pair: Pair<Rule>) -> LintDecl {
    let mut l = LintDecl {
        span: cx.span(&pair),
        ..Default::default()
    };
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::lint_level => {
                let mut rule = None;
                let mut level = None;
                for q in p.into_inner() {
                    match q.as_rule() {
                        Rule::rule_id => {
                            rule = Some(Ident {
                                name: q.as_str().to_string(),
                                span: cx.span(&q),
                            })
                        }
                        Rule::ident => level = Some(cx.ident(q)),
                        _ => {}
                    }
                }
                if let (Some(rule), Some(level)) = (rule, level) {
                    l.levels.push((rule, level));
                }
            }
            Rule::lint_exclude => {
                if let Some(s) = child(&p, Rule::string) {
                    l.excludes.push(cx.string(s));
                }
            }
            Rule::invalid_item => cx.invalid(p, Context::Lint),
            _ => {}
        }
    }
    l
}

pub(super) fn project(cx: &mut Cx, pair: Pair<Rule>) -> ProjectDecl {
    let span = cx.span(&pair);
    let mut pr = ProjectDecl {
        name: Ident {
            name: String::new(),
            span,
        },
        database: None,
        schema: None,
        postgres: None,
        out: None,
        schema_ts: None,
        app: None,
        app_roles: None,
        audit_trail: None,
        conventions: Vec::new(),
        tenancy: Vec::new(),
        lint: Vec::new(),
        span,
    };
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::ident => pr.name = cx.ident(p),
            Rule::set_database => pr.database = child(&p, Rule::ident).map(|q| cx.ident(q)),
            Rule::set_schema => pr.schema = child(&p, Rule::ident).map(|q| cx.ident(q)),
            Rule::set_postgres => pr.postgres = postgres(cx, p),
            Rule::set_out => pr.out = child(&p, Rule::string).map(|q| cx.string(q)),
            Rule::set_schema_ts => pr.schema_ts = child(&p, Rule::string).map(|q| cx.string(q)),
            Rule::set_app => pr.app = child(&p, Rule::string).map(|q| cx.string(q)),
            Rule::app_roles_item => pr.app_roles = app_roles(cx, p),
            Rule::set_audit_trail => pr.audit_trail = child(&p, Rule::ident).map(|q| cx.ident(q)),
            Rule::conventions_decl => pr.conventions.push(conventions(cx, p)),
            Rule::tenancy_decl => pr.tenancy.push(tenancy(cx, p)),
            Rule::lint_decl => pr.lint.push(lint(cx, p)),
            Rule::invalid_item => cx.invalid(p, Context::Project),
            _ => {}
        }
    }
    pr
}
