//! `publish to PROJECT [(columns…)]`: what the analytics feed may send.
//!
//! Input: one project's tables and the workspace's projects. Output:
//! `classified-column-published` for a listed `pii`/`phi` column; and, with
//! existing codes, a target that is not another project (`invalid-value`),
//! a listed column the table lacks (`unknown-column`), a list without the
//! primary key that updates and deletes are replicated by
//! (`invalid-value`), and a target version before 15, which has no column
//! lists (`unsupported-on-target`).

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Classification, Project, Workspace};

/// The first version whose publications take column lists.
const COLUMN_LISTS: u32 = 15;

pub fn published_tables_send_no_classified_columns(
    ws: &Workspace,
    p: &Project,
    out: &mut Vec<Diagnostic>,
) {
    for t in &p.tables {
        for publish in &t.publish {
            let target = &publish.target;
            if target.name == p.name || !ws.projects.iter().any(|o| o.name == target.name) {
                out.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("`{}` is not another project of the workspace", target.name),
                    )
                    .at(target.span)
                    .help("publish to the project whose database receives the rows, e.g. `publish to analytics`"),
                );
            }
            if p.postgres < COLUMN_LISTS {
                out.push(
                    Diagnostic::of(
                        Code::UnsupportedOnTarget,
                        format!(
                            "`publish to {}` needs publication column lists, which PostgreSQL {} does not have (it needs {COLUMN_LISTS})",
                            target.name, p.postgres
                        ),
                    )
                    .at(publish.span)
                    .help(format!(
                        "target `postgres {COLUMN_LISTS}` or later; without column lists every column, `pii` and `phi` ones included, would be sent"
                    )),
                );
            }
            let Some(list) = &publish.columns else {
                continue;
            };
            for i in list {
                let Some(c) = t.column(&i.name) else {
                    out.push(
                        Diagnostic::error(
                            Code::UnknownColumn,
                            format!("table `{}` has no column `{}`", t.name, i.name),
                        )
                        .at(i.span)
                        .help("list columns of the table"),
                    );
                    continue;
                };
                if let Some(k @ (Classification::Pii | Classification::Phi)) = c.classification {
                    out.push(
                        Diagnostic::error(
                            Code::ClassifiedColumnPublished,
                            format!(
                                "`publish to {}` lists `{}`, classified `{}`: it must not leave the database",
                                target.name,
                                c.name,
                                k.as_str()
                            ),
                        )
                        .at(i.span)
                        .help("remove it from the list; classified columns are never published"),
                    );
                }
            }
            let missing: Vec<&str> = t
                .primary_key
                .iter()
                .filter(|k| !list.iter().any(|i| &i.name == *k))
                .map(String::as_str)
                .collect();
            if !missing.is_empty() {
                out.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!(
                            "the column list of `publish to {}` lacks the primary key ({})",
                            target.name,
                            missing.join(", ")
                        ),
                    )
                    .at(publish.span)
                    .help("add the primary key columns: updates and deletes are replicated by them, and PostgreSQL refuses them on the table otherwise"),
                );
            }
        }
    }
}
