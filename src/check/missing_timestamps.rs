//! `missing-timestamps`: the lifecycle timestamps the conventions require
//! exist on every table as `timestamptz` (declared ones included).

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Workspace};

pub fn tables_have_lifecycle_timestamps(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    let wanted = &p.conventions.timestamps;
    for t in &p.tables {
        if t.is_exempt("missing-timestamps") {
            continue;
        }
        for name in wanted {
            match t.column(name) {
                // Absent only on exempted tables, which are skipped above.
                None => {}
                Some(c) if !is_timestamptz(&c.ty.base) => out.push(
                    Diagnostic::of(
                        Code::MissingTimestamps,
                        format!("`{}.{name}` is `{}`, not `timestamptz`", t.name, c.ty.text),
                    )
                    .at(c.ty.span)
                    .help(format!("declare `{name} timestamptz`, or remove the declaration and let the convention add it")),
                ),
                Some(_) => {}
            }
        }
    }
}

fn is_timestamptz(base: &str) -> bool {
    matches!(base, "timestamptz" | "timestamp with time zone")
}
