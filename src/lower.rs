//! Stage 3, lower: syntax trees → the resolved, read-only [`ir::Workspace`].
//!
//! Input: every parsed file with its place in the layout. Output: the IR and
//! diagnostics. Lowering runs in numbered passes; each pass reports what it
//! cannot resolve and carries on with what it can, so one run reports every
//! problem it can see:
//!
//! 1. [`collect`]: group declarations by workspace and project folder;
//!    refuse declarations in the wrong kind of file.
//! 2. [`settings`]: workspace settings, conventions, tenancy, roles and lint
//!    levels, merged workspace → project ([`project_settings`]).
//! 3. [`tables`]: tables with their derived columns (primary key, tenant,
//!    owner, timestamps, audit), constraints, indexes and policies
//!    ([`table_parts`]).
//! 4. [`references`]: foreign-key targets and derived indexes.
//! 5. [`objects`]: views, functions, enums, extensions.
//! 6. [`migrations`]: names, `after` dependencies, and the targets of each
//!    step against the schema the history has built so far.
//! 7. [`sql`]: every SQL fragment parsed with sqlparser.
//! 8. [`phases`]: the schema after each phase a build ships.
//! 9. [`receiving`]: the tables each project receives from the others'
//!    `publish to`.

mod annotate_state;
mod audit;
mod backfill_columns;
mod baseline;
mod collect;
mod column_memo;
pub(crate) mod column_refs;
mod columns;
mod drop_generated;
mod history;
mod migrations;
mod objects;
mod partition_keys;
mod phase_lookup;
mod phase_lowering;
mod phase_state;
mod phases;
mod project_settings;
mod receiving;
mod references;
mod replay;
mod replay_access;
mod replay_derived;
mod replay_enums;
mod replay_feed;
mod replay_objects;
mod replay_reads;
mod replay_receive;
mod schema_ts;
mod settings;
mod share_tables;
pub mod sql;
mod sql_hazard;
mod table_memo;
mod table_parts;
mod tables;
mod tenant_scope;
mod type_shadow;
mod types;
mod values;

pub use audit::AUDIT_COLUMNS;
pub use phases::has_contract;
pub use references::is_covered;
pub use type_shadow::{is_shadowed_type_change, shadow_column};

use crate::ast;
use crate::diagnostic::Diagnostic;
use crate::ir;
use crate::source::Sources;
use crate::span::FileId;

/// Lower parsed files into the IR, reporting what cannot be resolved.
pub fn lower(sources: &Sources, files: &[(FileId, ast::File)]) -> (ir::Workspace, Vec<Diagnostic>) {
    lower_with(sources, files, &|_| true)
}

/// [`lower`], with the phases (pass 8) only of the projects `phases`
/// picks: they re-lower the replayed schema once per journal entry, and
/// emitting and the checks of the history read them, so a check whose
/// output folder a build wrote from the same sources leaves them out. The
/// projects' phases are lowered in parallel.
pub fn lower_with(
    sources: &Sources,
    files: &[(FileId, ast::File)],
    phases: &(dyn Fn(&ir::Project) -> bool + Sync),
) -> (ir::Workspace, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let collected = collect::collect(sources, files, &mut diags);
    let ws = settings::workspace(&collected, &mut diags);
    // Projects were lowered one per project folder, in the same order.
    let folders: Vec<_> = collected.projects.iter().collect();
    // Each project lowers on its own (it reads the others' declarations,
    // never their IR): in parallel, diagnostics joined in folder order. Its
    // phases, which need only its own history and take most of the time,
    // come second: every project's declarations are lowered first, so
    // that the phases of the last ones run beside each other.
    let all: Vec<usize> = (0..folders.len()).collect();
    let mut projects = Vec::new();
    let declared = |i: usize| {
        let (folder, pf) = folders[i];
        let mut diags = Vec::new();
        let mut project = project_settings::project(&ws, &collected, folder, pf, &mut diags);
        let pending = tables::lower_tables(&mut project, &ws.roles, pf, &mut diags);
        references::resolve(&mut project, pending, &collected.projects, &mut diags);
        audit::resolve_audit_trail(&mut project, pf, &mut diags);
        objects::lower_objects(&mut project, &collected, pf, &mut diags);
        sql::check_project(pf, &mut diags);
        project.migrations = migrations::lower_migrations(&mut project, &ws, pf, &mut diags);
        // Resolved before the phases: whether to lower them depends on
        // the output folder (whether a build wrote it from these sources).
        project.out = project_settings::resolve_out(&sources.root, &project.out);
        if let Some(ts) = &mut project.schema_ts {
            ts.path = project_settings::resolve_out(&sources.root, &ts.path);
        }
        (project, diags)
    };
    let with_phases = |i: usize, (mut project, diags): (ir::Project, Vec<Diagnostic>)| {
        let (folder, pf) = folders[i];
        if project.replayed.is_some() && phases(&project) {
            project.phases = phases::phases(&ws, &collected, folder, pf, &project.migrations);
        }
        (project, diags)
    };
    for (project, found) in crate::cores::in_two_stages(&all, declared, with_phases) {
        projects.push(project);
        diags.extend(found);
    }
    project_settings::resolve_app_roles(&mut projects, &collected, &mut diags);
    receiving::receive(&mut projects, &mut diags);
    schema_ts::check_distinct(&projects, &mut diags);
    sql::check_conventions(&collected, &mut diags);
    let mut ws = ws;
    ws.projects = projects;
    (ws, diags)
}
