//! `foreign-key-type-mismatch`: a foreign-key column has the type of the
//! column it references (PostgreSQL refuses some mismatches outright and
//! turns others into casts that defeat the index).

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Workspace};

pub fn foreign_keys_match_referenced_types(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    for t in &p.tables {
        for fk in &t.foreign_keys {
            let target = &p.tables[fk.table];
            for (col, rcol) in fk.columns.iter().zip(&fk.ref_columns) {
                let (Some(c), Some(r)) = (t.column(col), target.column(rcol)) else {
                    continue;
                };
                if canonical(&c.ty.base) == canonical(&r.ty.base)
                    && c.ty.array_dims == r.ty.array_dims
                {
                    continue;
                }
                out.push(
                    Diagnostic::of(
                        Code::ForeignKeyTypeMismatch,
                        format!(
                            "`{}.{col}` is `{}` but references `{}.{rcol}`, which is `{}`",
                            t.name, c.ty.text, target.name, r.ty.text
                        ),
                    )
                    .at(c.ty.span)
                    .with_label(fk.span, "the reference")
                    .help(format!("declare `{col} {}`", r.ty.text)),
                );
            }
        }
    }
}

/// One name per type, aliases folded.
fn canonical(base: &str) -> &str {
    match base {
        "int" | "int4" | "integer" | "serial" | "serial4" => "integer",
        "int8" | "bigint" | "bigserial" | "serial8" => "bigint",
        "int2" | "smallint" | "smallserial" | "serial2" => "smallint",
        "timestamptz" | "timestamp with time zone" => "timestamptz",
        "timestamp" | "timestamp without time zone" => "timestamp",
        "varchar" | "character varying" | "text" => "text",
        "bool" | "boolean" => "boolean",
        "decimal" | "numeric" => "numeric",
        "float8" | "double precision" => "double precision",
        "float4" | "real" => "real",
        other => other,
    }
}
