//! `view-reads-dropped-column`: a phase of the migration history drops or
//! renames a column that a view of the history still reads. The phase
//! drops such a view before the change and creates it again after, as the
//! history defines it; reading a column that is gone, that `CREATE VIEW`
//! fails on PostgreSQL, after a clean `check`.
//!
//! Input: a project's phases (the schema the history builds after each).
//! Output: one error per view column, at the first phase where the view
//! reads it and it is gone: at the step that drops or renames it, with the
//! view's body as a secondary label.
//!
//! A view is judged again only in a phase where its definition or a table
//! its body may name (any word of the body that is a table's name) is not
//! the one it was last judged with: most phases leave most views alone.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::ast::StepKind;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{PhaseKind, Project, Table, View, Workspace};

use super::view_column_names::view_body_names_existing_columns;

pub fn history_views_read_existing_columns(_: &Workspace, p: &Project, out: &mut Vec<Diagnostic>) {
    let mut seen = BTreeSet::new();
    let mut judged = Judged::default();
    for ph in p.phases.iter().filter(|ph| ph.kind != PhaseKind::Initial) {
        let mut found = Vec::new();
        judged.index(&ph.state.tables);
        for v in ph.state.views.iter() {
            if judged.changed(v, &ph.state.tables) {
                view_body_names_existing_columns(&ph.state, v, &mut found);
            }
        }
        let m = &p.migrations[ph.migration];
        let steps = match ph.kind {
            PhaseKind::Contract => &m.contract,
            _ => &m.expand,
        };
        for d in found {
            if !seen.insert(d.message.clone()) {
                continue;
            }
            // "column `C` of view `V` is not defined in table `T`"
            let quoted: Vec<&str> = d.message.split('`').skip(1).step_by(2).collect();
            let [column, view, table, ..] = quoted[..] else {
                continue;
            };
            let step = steps.iter().chain(m.expand.iter()).find(|s| match &s.kind {
                StepKind::Drop { kind, target } => {
                    kind.name == "column" && target.last().name == column
                }
                StepKind::RenameColumn { column: c, .. } => c.last().name == column,
                _ => false,
            });
            let phase = match ph.kind {
                PhaseKind::Contract => "contract",
                _ => "expand",
            };
            let mut e = Diagnostic::error(
                Code::ViewReadsDroppedColumn,
                format!(
                    "the {phase} phase of migration `{}` drops or renames column `{column}` of `{table}`, which view `{view}` still reads",
                    m.name
                ),
            )
            .at(step.map_or(m.span, |s| s.span))
            .label("the column goes here");
            if let Some(at) = d.span {
                e = e.with_label(at, "the view reads it here");
            }
            out.push(e.help(format!(
                "define the view again in the same phase, before this step: `drop view {view}` then `create view {view} {{ … }}` reading the columns that remain"
            )));
        }
    }
}

/// What each view was last judged with, and the tables of the phase at
/// hand by lower-cased name.
#[derive(Default)]
struct Judged {
    views: HashMap<String, Seen>,
    names: Vec<String>,
    by_name: HashMap<String, Vec<usize>>,
    /// Tables whose name is not one word (`"order lines"`): every view
    /// may name them.
    odd: Vec<usize>,
    /// Bumped whenever the tables are indexed anew.
    generation: u64,
}

/// A view as last judged: its body (text and place), the positions of the
/// tables its words named under the index of `generation`, and those
/// tables.
struct Seen {
    text: String,
    span: crate::span::Span,
    generation: u64,
    named: Vec<usize>,
    was: Vec<Arc<Table>>,
}

impl Judged {
    /// Index `tables` by name, unless they have the names of the last ones.
    fn index(&mut self, tables: &[Arc<Table>]) {
        let same = self.names.len() == tables.len()
            && self.names.iter().zip(tables).all(|(n, t)| *n == t.name);
        if same {
            return;
        }
        self.generation += 1;
        self.names = tables.iter().map(|t| t.name.clone()).collect();
        self.by_name.clear();
        self.odd.clear();
        for (i, t) in tables.iter().enumerate() {
            if words(&t.name).ne(std::iter::once(t.name.as_str())) {
                self.odd.push(i);
            }
            self.by_name
                .entry(t.name.to_ascii_lowercase())
                .or_default()
                .push(i);
        }
    }

    /// Whether `v` must be judged again against `tables`; records it as
    /// judged when so. The words of a body are looked up again only when
    /// the body or the table index changed.
    fn changed(&mut self, v: &View, tables: &[Arc<Table>]) -> bool {
        if let Some(s) = self.views.get(&v.name) {
            if s.generation == self.generation && s.text == v.query.text {
                let same = s.span == v.query.span
                    && s.named
                        .iter()
                        .zip(&s.was)
                        .all(|(&i, a)| Arc::ptr_eq(a, &tables[i]));
                if same {
                    return false;
                }
                let s = self.views.get_mut(&v.name).expect("just found");
                s.span = v.query.span;
                s.was = s.named.iter().map(|&i| tables[i].clone()).collect();
                return true;
            }
        }
        let mut named: Vec<usize> = words(&v.query.text)
            .filter_map(|w| self.by_name.get(&w.to_ascii_lowercase()))
            .flatten()
            .chain(&self.odd)
            .copied()
            .collect();
        named.sort_unstable();
        named.dedup();
        let was = named.iter().map(|&i| tables[i].clone()).collect();
        let seen = Seen {
            text: v.query.text.clone(),
            span: v.query.span,
            generation: self.generation,
            named,
            was,
        };
        self.views.insert(v.name.clone(), seen);
        true
    }
}

/// The identifier-like words of an SQL text (quotes are separators).
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .filter(|w| !w.is_empty())
}
