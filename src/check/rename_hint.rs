//! `rename-hint-done`: a `was OLD` hint only tells `sluice plan` to write a
//! rename. Once the history renames the column or table (or there is no
//! history to rename in), the hint does nothing and should go. A table hint
//! naming a table the history never built is `unknown-table`.

use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{Project, Table, Workspace};

pub fn rename_hints_are_pending(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    for t in &p.tables {
        table_hint(p, t, out);
        for c in t.columns.iter() {
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

/// `table NEW was OLD`: done once the history builds `NEW` and no `OLD`;
/// naming nothing when the history builds neither.
fn table_hint(p: &Project, t: &Table, out: &mut Vec<Diagnostic>) {
    let Some(old) = &t.was else { return };
    let has = |n: &str| p.replayed.as_ref().is_some_and(|r| r.contains_key(n));
    let done = if p.migrations.is_empty() {
        "the project has no migration history yet, so there is nothing to rename"
    } else if p.replayed.is_none() || has(&old.name) {
        return;
    } else if has(&t.name) {
        "the migration history already renames it"
    } else {
        let known: Vec<&str> = p
            .replayed
            .iter()
            .flat_map(|r| r.keys())
            .map(String::as_str)
            .filter(|n| p.table(n).is_none())
            .collect();
        let help = match known.as_slice() {
            [] => "remove the hint: no table of the history is left to rename".to_string(),
            names => format!(
                "name the table the history builds that this one used to be: {}",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        out.push(
            Diagnostic::error(
                Code::UnknownTable,
                format!(
                    "table `{}` says `was {}`, but project `{}`'s migration history has no table `{}` to rename",
                    t.name, old.name, p.name, old.name
                ),
            )
            .at(old.span)
            .help(help),
        );
        return;
    };
    out.push(
        Diagnostic::of(
            Code::RenameHintDone,
            format!("table `{}` says `was {}`, but {done}", t.name, old.name),
        )
        .at(old.span)
        .help(format!("remove `was {}` from the declaration", old.name)),
    );
}
