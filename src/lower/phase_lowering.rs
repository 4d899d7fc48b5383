//! Each phase's schema lowered in proportion to what the phase changed.
//!
//! Input: the syntax tree of a phase's schema ([`AstState`]), and the state
//! lowered before it with the tree it came from. Output: the lowered
//! [`Project`], the same as lowering the whole tree afresh.
//!
//! A migration changes a few tables; a history of M migrations over T
//! tables lowered whole costs M × T. The tree keeps every table it did not
//! change as the same `Arc`, so the tables a phase changed are those whose
//! pointer moved. Only they are lowered again, in a cut of the schema that
//! holds what their lowering reads: the tables they reference (to resolve
//! their keys) and the tables that reference them (whose tenant-scoped keys
//! give them derived unique indexes). Every other table keeps its lowered
//! `Arc` from the state before. Lowering whole is the answer when the cut
//! could not stand for it:
//! - the table list changed (a table created, dropped or renamed), or a
//!   view, function, enum or extension changed;
//! - a changed table is the audit trail;
//! - a changed table's foreign keys changed (their targets' derived
//!   indexes follow them), or what its referrers read of it changed (its
//!   primary key, tenancy, or a column a reference names).
//!
//! Debug builds lower every state whole as well and compare.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::collect::{Collected, ProjectFiles};
use super::phase_lookup::Lookup;
use super::phase_state::AstState;
use super::table_memo::TableMemo;
use super::tables::{FkTarget, PendingFk};
use super::{audit, objects, project_settings, references, tables};
use crate::ast;
use crate::ir::{Project, Table, Workspace};

/// Lowers the states of one project's history, in order.
pub(super) struct Lowerer<'a> {
    pub ws: &'a Workspace,
    pub c: &'a Collected<'a>,
    pub folder: &'a str,
    pub pf: &'a ProjectFiles<'a>,
    last: Option<Last>,
    memo: std::cell::RefCell<TableMemo>,
}

/// Per table, the names its references read; shared from state to state
/// for the tables a phase did not lower again.
type Reads = Vec<Arc<Vec<String>>>;

/// The state lowered last, with the tree it came from.
struct Last {
    tables: Vec<Arc<ast::TableDecl>>,
    views: Arc<Vec<ast::ViewDecl>>,
    functions: Arc<Vec<ast::FunctionDecl>>,
    enums: Arc<Vec<ast::EnumDecl>>,
    extensions: Arc<Vec<ast::ExtensionDecl>>,
    project: Project,
    /// Per table: the names its references read (tables and columns).
    reads: Reads,
    lookup: Lookup,
    /// Whether lowered table `i` is declared table `i` (no name repeats).
    aligned: bool,
}

/// A state lowered: the project, its tables' reads, and where to find them.
type Lowered = (Project, Reads, Lookup);

impl<'a> Lowerer<'a> {
    pub fn new(
        ws: &'a Workspace,
        c: &'a Collected<'a>,
        folder: &'a str,
        pf: &'a ProjectFiles<'a>,
    ) -> Self {
        Lowerer {
            ws,
            c,
            folder,
            pf,
            last: None,
            memo: Default::default(),
        }
    }

    /// The lowered schema of `st`.
    pub fn lower(&mut self, st: &AstState) -> Project {
        self.memo.get_mut().keep_if(&st.enums);
        // A cut keeps every table's name and place.
        let was_aligned = self.last.as_ref().is_some_and(|l| l.aligned);
        let (project, reads, lookup, aligned) = match self.cut(st) {
            Some((project, reads, lookup)) => {
                #[cfg(debug_assertions)]
                same_as_whole(&project, &self.whole_by(st, false).0);
                (project, reads, lookup, was_aligned)
            }
            None => {
                let (project, reads) = self.whole(st);
                #[cfg(debug_assertions)]
                same_as_whole(&project, &self.whole_by(st, false).0);
                let names = project.tables.iter().map(|t| t.name.as_str());
                let lookup = Lookup::new(names, &reads);
                let aligned = project.tables.len() == st.tables.len()
                    && project
                        .tables
                        .iter()
                        .zip(&st.tables)
                        .all(|(t, d)| t.name == d.name.last().name);
                (project, reads, lookup, aligned)
            }
        };
        self.last = Some(Last {
            tables: st.tables.clone(),
            views: Arc::clone(&st.views),
            functions: Arc::clone(&st.functions),
            enums: Arc::clone(&st.enums),
            extensions: Arc::clone(&st.extensions),
            project: project.clone(),
            reads,
            lookup,
            aligned,
        });
        self.memo.get_mut().prune();
        project
    }

    /// Lower `tables` of `st` (all of them, or a cut) like a project
    /// folder's declarations; with each table's reads.
    /// With `objects` false, the views and functions are left out: a cut
    /// keeps those of the last state, and no table reads them. With
    /// `memoised` false, every table is lowered afresh (debug builds
    /// compare against that). With `only`, a foreign key is resolved only
    /// when it starts or ends at one of those tables: a cut keeps just
    /// their lowering, and the keys among the tables around them would
    /// resolve (or fail to, their targets being left out) for nothing.
    fn lower_tables(
        &self,
        st: &AstState,
        tables: Vec<&Arc<ast::TableDecl>>,
        objects: bool,
        memoised: bool,
        only: Option<&BTreeSet<&str>>,
    ) -> (Project, Reads) {
        let files = ProjectFiles {
            decls: self.pf.decls.clone(),
            tables: tables.iter().map(|t| &***t).collect(),
            views: if objects {
                st.views.iter().collect()
            } else {
                Vec::new()
            },
            functions: if objects {
                st.functions.iter().collect()
            } else {
                Vec::new()
            },
            enums: st.enums.iter().collect(),
            // The history's extensions only (see below).
            extensions: Vec::new(),
            migrations: Vec::new(),
            first_file: self.pf.first_file,
        };
        let (ws, c) = (self.ws, self.c);
        let mut ignored = Vec::new();
        let mut project = project_settings::project(ws, c, self.folder, &files, &mut ignored);
        let pending = if memoised {
            let mut memo = self.memo.borrow_mut();
            let mut one = |cx: &tables::TableCx, at: usize, idx, pending: &mut _, _: &mut _| {
                memo.lower(cx, tables[at], idx, pending)
            };
            tables::lower_tables_by(&mut project, &ws.roles, &files, &mut ignored, &mut one)
        } else {
            tables::lower_tables(&mut project, &ws.roles, &files, &mut ignored)
        };
        let mut reads = vec![Vec::new(); project.tables.len()];
        for fk in &pending {
            reads[fk.table].extend(read_names(fk));
        }
        let mut pending = pending;
        if let Some(only) = only {
            let tables = &project.tables;
            pending.retain(|fk| only.contains(tables[fk.table].name.as_str()) || ends_at(fk, only));
        }
        references::resolve(&mut project, pending, &c.projects, &mut ignored);
        audit::resolve_audit_trail(&mut project, &files, &mut ignored);
        objects::lower_objects(&mut project, c, &files, &mut ignored);
        // A state holds the extensions and role grants its history carries,
        // not the declared ones: a declared change lands in the migration
        // that carries it.
        project.extensions = super::replay_access::extensions(&st.extensions);
        project.replayed_access = Some(st.access.clone());
        project_settings::resolve_app_roles(std::slice::from_mut(&mut project), c, &mut ignored);
        (project, reads.into_iter().map(Arc::new).collect())
    }

    fn whole(&self, st: &AstState) -> (Project, Reads) {
        self.whole_by(st, true)
    }

    fn whole_by(&self, st: &AstState, memoised: bool) -> (Project, Reads) {
        self.lower_tables(st, st.tables.iter().collect(), true, memoised, None)
    }

    /// `st` lowered from the last state and the tables it changed; `None`
    /// when the cut cannot stand for the whole (see the module header).
    /// Takes the last state: what it holds becomes the new one's.
    fn cut(&mut self, st: &AstState) -> Option<Lowered> {
        let last = self.last.take()?;
        let same = Arc::ptr_eq(&last.views, &st.views)
            && Arc::ptr_eq(&last.functions, &st.functions)
            && Arc::ptr_eq(&last.enums, &st.enums)
            && Arc::ptr_eq(&last.extensions, &st.extensions);
        if !same || !last.aligned || last.tables.len() != st.tables.len() {
            return None;
        }
        let mut changed = Vec::new();
        for (i, (old, new)) in last.tables.iter().zip(&st.tables).enumerate() {
            if !Arc::ptr_eq(old, new) {
                if old.name.last().name != new.name.last().name {
                    return None;
                }
                changed.push(i);
            }
        }
        let Last {
            project: mut prev,
            reads: mut all_reads,
            mut lookup,
            ..
        } = last;
        prev.replayed_access = Some(st.access.clone());
        if changed.is_empty() {
            return Some((prev, all_reads, lookup));
        }
        let audit = self.pf.decls.first().and_then(|d| d.audit_trail.as_ref());
        let changed_names: BTreeSet<&str> = changed
            .iter()
            .map(|&i| prev.tables[i].name.as_str())
            .collect();
        if audit.is_some_and(|a| changed_names.contains(a.name.as_str())) {
            return None;
        }
        let named = |names: &[String]| -> Vec<usize> {
            names
                .iter()
                .filter_map(|n| lookup.index.get(n.as_str()).copied())
                .collect()
        };
        let referrers = lookup.referrers(&changed_names);
        let mut keep: BTreeSet<usize> = changed.iter().copied().collect();
        keep.extend(&referrers);
        for &i in &changed {
            keep.extend(named(&all_reads[i]));
        }
        // A changed table may reference a table it did not before: lower
        // again with it.
        let (cut, reads, kept) = loop {
            let kept: Vec<usize> = keep.iter().copied().collect();
            let decls = kept.iter().map(|&i| &st.tables[i]).collect();
            let (cut, reads) = self.lower_tables(st, decls, false, true, Some(&changed_names));
            if cut.tables.len() != kept.len() {
                return None;
            }
            let before = keep.len();
            for &i in &changed {
                let at = kept.binary_search(&i).ok()?;
                keep.extend(named(&reads[at]));
            }
            if keep.len() == before {
                break (cut, reads, kept);
            }
        };
        // Read against the last state's reads: applied once all are checked.
        let mut fresh = Vec::with_capacity(changed.len());
        for &i in &changed {
            let at = kept.binary_search(&i).ok()?;
            let mut t = Table::clone(&cut.tables[at]);
            for fk in &mut t.foreign_keys {
                fk.table = kept[fk.table];
            }
            let old = &prev.tables[i];
            // Its targets' derived indexes follow its keys.
            if t.foreign_keys != old.foreign_keys
                || t.tenant != old.tenant
                || t.exemptions != old.exemptions
            {
                return None;
            }
            if referrers.iter().any(|&r| all_reads[r].contains(&t.name))
                && !reads_alike(old, &t, &referrers, &all_reads)
            {
                return None;
            }
            fresh.push((i, Arc::new(t), Arc::clone(&reads[at])));
        }
        for (i, t, reads) in fresh {
            prev.tables[i] = t;
            if all_reads[i] != reads {
                lookup.reread(i, &all_reads[i], &reads);
                all_reads[i] = reads;
            }
        }
        Some((prev, all_reads, lookup))
    }
}

/// The names a pending reference reads: its target's path, its columns.
fn read_names(fk: &PendingFk) -> Vec<String> {
    match &fk.target {
        FkTarget::Derived { table, column } => vec![table.clone(), column.clone()],
        FkTarget::Written(r) => r
            .target
            .parts
            .iter()
            .chain(&r.columns)
            .map(|p| p.name.clone())
            .collect(),
    }
}

/// Whether a pending reference may target one of `tables` (any name in its
/// target's path counts).
fn ends_at(fk: &PendingFk, tables: &BTreeSet<&str>) -> bool {
    match &fk.target {
        FkTarget::Derived { table, .. } => tables.contains(table.as_str()),
        FkTarget::Written(r) => r
            .target
            .parts
            .iter()
            .any(|p| tables.contains(p.name.as_str())),
    }
}

/// Whether the tables referring to `old` read the same of `new`: its
/// primary key, its tenancy, and every column a reference names.
fn reads_alike(old: &Table, new: &Table, referrers: &[usize], reads: &Reads) -> bool {
    if old.primary_key != new.primary_key || old.tenant != new.tenant {
        return false;
    }
    // A name read moved when one of the two has such a column.
    let moved = |n: &String| old.column(n).is_some() != new.column(n).is_some();
    !referrers.iter().any(|&r| reads[r].iter().any(moved))
}

/// The cut lowering equals the whole one (debug builds).
#[cfg(debug_assertions)]
fn same_as_whole(cut: &Project, whole: &Project) {
    assert_eq!(cut.tables.len(), whole.tables.len());
    for (a, b) in cut.tables.iter().zip(&whole.tables) {
        assert!(
            **a == **b,
            "the cut lowering of table `{}` differs from the whole one:\n{a:#?}\n{b:#?}",
            a.name
        );
    }
    let rest = |p: &Project| {
        format!(
            "{:?} {:?} {:?} {:?} {:?} {:?} {:?}",
            p.audit_trail,
            p.app_roles,
            p.extensions,
            p.enums,
            p.views,
            p.functions,
            p.replayed_access
        )
    };
    assert_eq!(rest(cut), rest(whole), "the cut lowering's objects differ");
}
