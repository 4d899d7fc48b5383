//! `foreign-key-without-index`: sluice indexes every foreign key's columns;
//! when a reference opts out with `no index` and no other index, unique
//! constraint or primary key leads with them, deleting or updating a parent
//! row scans the whole child table.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Workspace};
use crate::lower::is_covered;

pub fn foreign_keys_are_indexed(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    for t in &p.tables {
        for fk in t.foreign_keys.iter().filter(|fk| !fk.indexed) {
            if is_covered(t, &fk.columns) {
                continue;
            }
            out.push(
                Diagnostic::of(
                    Code::ForeignKeyWithoutIndex,
                    format!(
                        "no index leads with `{}` ({}), the foreign key to `{}`",
                        fk.columns.join(", "),
                        t.name,
                        p.tables[fk.table].name
                    ),
                )
                .at(fk.span)
                .help(format!(
                    "remove `no index` so sluice creates one, or add `index ({})`",
                    fk.columns.join(", ")
                )),
            );
        }
    }
}
