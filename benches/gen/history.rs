//! The history of a generated project: an `initial` migration that creates
//! every table as the history's first state, then one migration per
//! change, each after the one before and releasing its contract.
//!
//! Input: a [`Spec`] and a project number. Output: the project's migration
//! files, by name, in order.

use std::fmt::Write as _;

use super::{change, core_tables, indent, index_column, objects, table_body, table_name};
use super::{Change, Spec};

/// The migration files of project `p`: `00000_initial.sluice`, then
/// `NNNNN_mNNNNN.sluice` for each later migration.
pub(super) fn migrations(spec: &Spec, p: usize) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut init =
        String::from("migration initial {\n  create enum status { draft, active, archived }\n\n");
    if p == 0 {
        for (name, body) in core_tables() {
            let _ = write!(init, "  create table {name} {{\n{}  }}\n\n", indent(&body));
        }
    }
    for t in 0..spec.tables {
        let _ = write!(
            init,
            "  create table {} {{\n{}  }}\n\n",
            table_name(t),
            indent(&table_body(spec, t, 0))
        );
        init.push_str(&indent(&objects(t, true)));
    }
    init.push_str("}\n");
    files.push(("00000_initial.sluice".to_string(), init));
    for j in 1..spec.migrations {
        let (t, kind, round) = change(spec, j);
        let name = table_name(t);
        let prev = if j == 1 {
            "initial".to_string()
        } else {
            format!("m{:05}", j - 1)
        };
        let mut m = format!("migration m{j:05} {{\n  after {prev}\n");
        if j > 1 {
            let (_, prev_kind, _) = change(spec, j - 1);
            if prev_kind != Change::AddIndex {
                let _ = writeln!(m, "  release {prev}");
            }
        }
        match kind {
            Change::AddColumn => {
                let _ = write!(
                    m,
                    "  expand {{\n    add column {name}.a{round} text comment \"added in round {round}\"\n  }}\n\
                     \x20 backfill {name}.a{round} = coalesce(c00, '') where a{round} is null batch 1000 pause 10ms\n\
                     \x20 contract {{\n    set not null {name}.a{round}\n  }}\n"
                );
            }
            Change::Rename => {
                let _ = write!(
                    m,
                    "  expand {{\n    rename column {name}.r{round}_old to r{round}\n  }}\n  contract {{ }}\n"
                );
            }
            Change::AddIndex => {
                let _ = write!(
                    m,
                    "  expand {{\n    add index on {name} (org_id, c02, {})\n  }}\n",
                    index_column(round)
                );
            }
        }
        m.push_str("}\n");
        files.push((format!("{j:05}_m{j:05}.sluice"), m));
    }
    files
}
