//! `rename-hint-done`: a `was OLD` hint only tells `sluice plan` to write a
//! rename. Once the history renames the column (or there is no history to
//! rename in), the hint does nothing and should go.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Workspace};

pub fn rename_hints_are_pending(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    for t in &p.tables {
        for c in &t.columns {
            let Some(old) = &c.was else { continue };
            let done = if p.migrations.is_empty() {
                Some("the project has no migration history yet, so there is nothing to rename")
            } else {
                p.replayed
                    .as_ref()
                    .and_then(|r| r.get(&t.name))
                    .filter(|(built, _)| {
                        built.columns.contains_key(&c.name)
                            && !built.columns.contains_key(&old.name)
                    })
                    .map(|_| "the migration history already renames it")
            };
            if let Some(why) = done {
                out.push(
                    Diagnostic::of(
                        Code::RenameHintDone,
                        format!("`{}.{}` says `was {}`, but {why}", t.name, c.name, old.name),
                    )
                    .at(old.span)
                    .help(format!("remove `was {}` from the declaration", old.name)),
                );
            }
        }
    }
}
