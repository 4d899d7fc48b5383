//! Column types PostgreSQL defines, for `unknown-type`.

use super::values::unknown;
use crate::ast::TypeName;
use crate::diagnostic::{Code, Diagnostic};

/// Built-in type names (and common aliases) sluice accepts.
pub(super) const BUILTIN: &[&str] = &[
    "bigint",
    "bigserial",
    "bit",
    "bit varying",
    "bool",
    "boolean",
    "box",
    "bytea",
    "char",
    "character",
    "character varying",
    "cidr",
    "circle",
    "citext",
    "date",
    "daterange",
    "decimal",
    "double precision",
    "float4",
    "float8",
    "hstore",
    "inet",
    "int",
    "int2",
    "int4",
    "int4range",
    "int8",
    "int8range",
    "integer",
    "interval",
    "json",
    "jsonb",
    "line",
    "lseg",
    "ltree",
    "macaddr",
    "macaddr8",
    "money",
    "numeric",
    "numrange",
    "oid",
    "path",
    "pg_lsn",
    "point",
    "polygon",
    "real",
    "serial",
    "serial2",
    "serial4",
    "serial8",
    "smallint",
    "smallserial",
    "text",
    "time",
    "time with time zone",
    "time without time zone",
    "timestamp",
    "timestamp with time zone",
    "timestamp without time zone",
    "timestamptz",
    "timetz",
    "tsquery",
    "tsrange",
    "tstzrange",
    "tsvector",
    "uuid",
    "varbit",
    "varchar",
    "vector",
    "xml",
];

/// Types that take `(n)` or `(p, s)` and how many parameters at most.
fn max_params(base: &str) -> usize {
    match base {
        "numeric" | "decimal" => 2,
        "varchar"
        | "character varying"
        | "char"
        | "character"
        | "bit"
        | "bit varying"
        | "varbit"
        | "time"
        | "timetz"
        | "timestamp"
        | "timestamptz"
        | "interval"
        | "time with time zone"
        | "time without time zone"
        | "timestamp with time zone"
        | "timestamp without time zone"
        | "vector" => 1,
        _ => 0,
    }
}

/// Report an unknown base type or wrong parameters.
pub(super) fn check_type(ty: &TypeName, enums: &[String], diags: &mut Vec<Diagnostic>) {
    if ty.base.is_empty() {
        return;
    }
    let is_enum = enums.iter().any(|e| e == &ty.base);
    if !is_enum && !BUILTIN.contains(&ty.base.as_str()) {
        let candidates = BUILTIN
            .iter()
            .copied()
            .chain(enums.iter().map(String::as_str));
        diags.push(unknown(
            Code::UnknownType,
            "type",
            &ty.base,
            ty.span,
            "",
            candidates,
            "use a PostgreSQL type (`text`, `uuid`, `timestamptz`, `numeric(12,2)`, `jsonb`, …) or an `enum` declared in this project",
        ));
        return;
    }
    let max = if is_enum { 0 } else { max_params(&ty.base) };
    if ty.params.len() > max {
        diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!(
                    "type `{}` takes {} parameter{}",
                    ty.base,
                    max,
                    if max == 1 { "" } else { "s" }
                ),
            )
            .at(ty.span)
            .help(match max {
                0 => format!("write `{}` without parentheses", ty.base),
                1 => format!("write `{}(n)`", ty.base),
                _ => format!("write `{}(precision, scale)`", ty.base),
            }),
        );
    }
    if let (Some(&p), Some(&s)) = (ty.params.first(), ty.params.get(1)) {
        if p == 0 || p > 1000 || s > p {
            diags.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("`{}` has an invalid precision or scale", ty.text),
                )
                .at(ty.span)
                .help("precision is 1 to 1000 and scale is at most the precision, e.g. `numeric(12,2)`"),
            );
        }
    }
}
