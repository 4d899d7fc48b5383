//! Views: `pgView(name, { …columns }).existing()`, the columns typed from
//! the view's query where the type is knowable from the project's tables
//! (a column, `count`, `sum`, `avg`, `min`/`max`, `round`, `coalesce`, a
//! cast). A column whose type is not knowable is left out, named in a
//! comment above the view. `.existing()` keeps drizzle-kit from creating,
//! altering or dropping the view: sluice's migrations own it.

use std::collections::BTreeMap;

use sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, SelectItem, SetExpr, Statement,
    TableFactor,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

use super::names::Names;
use super::{camel, columns, string, Module};
use crate::ast::TypeName;
use crate::ir::{Project, Table, View};

pub(super) fn view(m: &mut Module, names: &Names, p: &Project, v: &View) -> String {
    let (typed, untyped) = view_columns(p, &v.query.text);
    let mut out = String::new();
    if !untyped.is_empty() {
        out.push_str(&format!(
            "// Not typed (the type is not knowable from the query): {}.\n",
            untyped.join(", ")
        ));
    }
    let ctor = if v.materialized {
        names.ctor(m, "pgMaterializedView", "materializedView")
    } else {
        names.ctor(m, "pgView", "view")
    };
    out.push_str(&format!(
        "export const {} = {ctor}({}, {{\n",
        names.views[&v.name],
        string(&v.name)
    ));
    let mut seen = Vec::new();
    for (name, ty) in typed {
        let key = camel(&name);
        let key = if seen.contains(&key) {
            string(&name)
        } else {
            key
        };
        seen.push(key.clone());
        let (_, mut b) = columns::builder(m, names, p, &ty, &name);
        for _ in 0..ty.array_dims {
            b.push_str(".array()");
        }
        out.push_str(&format!("  {key}: {b},\n"));
    }
    out.push_str("}).existing();\n");
    out
}

/// The output columns of a view's query: (name, type) where the type is
/// knowable, and the names of the others.
fn view_columns(p: &Project, sql: &str) -> (Vec<(String, TypeName)>, Vec<String>) {
    let mut typed = Vec::new();
    let mut untyped = Vec::new();
    let Ok(stmts) = Parser::parse_sql(&PostgreSqlDialect {}, sql) else {
        return (
            typed,
            vec!["every column (the query does not parse)".into()],
        );
    };
    let Some(Statement::Query(q)) = stmts.first() else {
        return (typed, untyped);
    };
    let SetExpr::Select(select) = q.body.as_ref() else {
        return (typed, vec!["every column (not a plain select)".into()]);
    };
    let mut from: BTreeMap<String, &Table> = BTreeMap::new();
    let mut order: Vec<&Table> = Vec::new();
    for twj in &select.from {
        let factors = std::iter::once(&twj.relation).chain(twj.joins.iter().map(|j| &j.relation));
        for f in factors {
            if let TableFactor::Table { name, alias, .. } = f {
                let full = name.to_string().replace('"', "");
                let short = full.rsplit('.').next().unwrap_or(&full).to_string();
                if let Some(t) = p.table(&short) {
                    from.insert(short.clone(), t);
                    if let Some(a) = alias {
                        from.insert(a.name.value.clone(), t);
                    }
                    order.push(t);
                }
            }
        }
    }
    let scope = Scope { from, order };
    for item in &select.projection {
        match item {
            SelectItem::UnnamedExpr(e) => match e {
                Expr::Identifier(_) | Expr::CompoundIdentifier(_) => {
                    let name = last_ident(e).unwrap_or_default();
                    match scope.type_of(e) {
                        Some(ty) => typed.push((name, ty)),
                        None => untyped.push(name),
                    }
                }
                other => untyped.push(other.to_string()),
            },
            SelectItem::ExprWithAlias { expr, alias } => match scope.type_of(expr) {
                Some(ty) => typed.push((alias.value.clone(), ty)),
                None => untyped.push(alias.value.clone()),
            },
            SelectItem::Wildcard(_) if scope.order.len() == 1 => {
                for c in scope.order[0].columns.iter() {
                    typed.push((c.name.clone(), c.ty.clone()));
                }
            }
            other => untyped.push(other.to_string()),
        }
    }
    (typed, untyped)
}

struct Scope<'a> {
    from: BTreeMap<String, &'a Table>,
    order: Vec<&'a Table>,
}

impl Scope<'_> {
    fn type_of(&self, e: &Expr) -> Option<TypeName> {
        match e {
            Expr::Identifier(id) => self
                .order
                .iter()
                .find_map(|t| t.column(&id.value))
                .map(|c| c.ty.clone()),
            Expr::CompoundIdentifier(parts) if parts.len() == 2 => self
                .from
                .get(&parts[0].value)?
                .column(&parts[1].value)
                .map(|c| c.ty.clone()),
            Expr::Nested(inner) => self.type_of(inner),
            Expr::Cast { data_type, .. } => Some(type_name(&data_type.to_string())),
            Expr::Function(f) => {
                let name = f.name.to_string().to_ascii_lowercase();
                let args: Vec<&Expr> = match &f.args {
                    FunctionArguments::List(l) => l
                        .args
                        .iter()
                        .filter_map(|a| match a {
                            FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                let arg = || args.first().and_then(|a| self.type_of(a));
                match name.as_str() {
                    "count" => Some(type_name("bigint")),
                    "min" | "max" | "coalesce" => arg(),
                    "round" => Some(type_name("numeric")),
                    "sum" => arg().map(|t| match t.base.as_str() {
                        "integer" | "int" | "int4" | "smallint" | "int2" => type_name("bigint"),
                        "real" | "float4" => type_name("real"),
                        "double precision" | "float8" => type_name("double precision"),
                        _ => type_name("numeric"),
                    }),
                    "avg" => arg().map(|t| match t.base.as_str() {
                        "real" | "float4" | "double precision" | "float8" => {
                            type_name("double precision")
                        }
                        _ => type_name("numeric"),
                    }),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

fn last_ident(e: &Expr) -> Option<String> {
    match e {
        Expr::Identifier(id) => Some(id.value.clone()),
        Expr::CompoundIdentifier(parts) => parts.last().map(|p| p.value.clone()),
        _ => None,
    }
}

/// `NUMERIC(10,2)` → base `numeric`, params `[10, 2]`; `TEXT[]` → one dimension.
fn type_name(sql: &str) -> TypeName {
    let lower = sql.trim().to_ascii_lowercase();
    let array_dims = lower.matches("[]").count();
    let bare = lower.replace("[]", "");
    let (base, params) = match bare.split_once('(') {
        Some((b, rest)) => (
            b.trim().to_string(),
            rest.trim_end_matches(')')
                .split(',')
                .filter_map(|x| x.trim().parse().ok())
                .collect(),
        ),
        None => (bare.trim().to_string(), Vec::new()),
    };
    TypeName {
        text: lower,
        base,
        params,
        array_dims,
        span: Default::default(),
    }
}
