//! Pass 1: group declarations by where they may live.

use std::collections::BTreeMap;

use crate::ast::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileKind, Sources};
use crate::span::{FileId, Span};

/// Declarations of one project folder.
#[derive(Default)]
pub(super) struct ProjectFiles<'a> {
    pub decls: Vec<&'a ProjectDecl>,
    pub tables: Vec<&'a TableDecl>,
    pub views: Vec<&'a ViewDecl>,
    pub functions: Vec<&'a FunctionDecl>,
    pub enums: Vec<&'a EnumDecl>,
    pub extensions: Vec<&'a ExtensionDecl>,
    /// With the file order index of the file that holds each.
    pub migrations: Vec<(usize, &'a MigrationDecl)>,
    /// First file of the folder, to anchor "missing project" diagnostics.
    pub first_file: Option<FileId>,
}

#[derive(Default)]
pub(super) struct Collected<'a> {
    pub workspace: Vec<&'a WorkspaceDecl>,
    pub conventions: Vec<&'a ConventionsDecl>,
    pub tenancy: Vec<&'a TenancyDecl>,
    pub roles: Vec<&'a RoleDecl>,
    pub lint: Vec<&'a LintDecl>,
    pub extensions: Vec<&'a ExtensionDecl>,
    /// Keyed by folder name: sorted, hence deterministic.
    pub projects: BTreeMap<String, ProjectFiles<'a>>,
    pub workspace_file: Option<FileId>,
}

pub(super) fn collect<'a>(
    sources: &Sources,
    files: &'a [(FileId, File)],
    diags: &mut Vec<Diagnostic>,
) -> Collected<'a> {
    let mut c = Collected::default();
    for (file_order, (id, file)) in files.iter().enumerate() {
        let kind = &sources.get(*id).kind;
        match kind {
            FileKind::Workspace => {
                c.workspace_file.get_or_insert(*id);
            }
            FileKind::Project(p) | FileKind::Migration(p) => {
                c.projects
                    .entry(p.clone())
                    .or_default()
                    .first_file
                    .get_or_insert(*id);
            }
            FileKind::Ignored | FileKind::Sql => continue,
        }
        for item in &file.items {
            place(&mut c, kind, file_order, item, diags);
        }
    }
    c
}

fn place<'a>(
    c: &mut Collected<'a>,
    kind: &FileKind,
    file_order: usize,
    item: &'a Item,
    diags: &mut Vec<Diagnostic>,
) {
    match (kind, item) {
        (FileKind::Workspace, Item::Workspace(d)) => c.workspace.push(d),
        (FileKind::Workspace, Item::Conventions(d)) => c.conventions.push(d),
        (FileKind::Workspace, Item::Tenancy(d)) => c.tenancy.push(d),
        (FileKind::Workspace, Item::Role(d)) => c.roles.push(d),
        (FileKind::Workspace, Item::Lint(d)) => c.lint.push(d),
        (FileKind::Workspace, Item::Extension(d)) => c.extensions.push(d),
        (FileKind::Project(p), Item::Project(d)) => project(c, p).decls.push(d),
        (FileKind::Project(p), Item::Table(d)) => project(c, p).tables.push(d),
        (FileKind::Project(p), Item::View(d)) => project(c, p).views.push(d),
        (FileKind::Project(p), Item::Function(d)) => project(c, p).functions.push(d),
        (FileKind::Project(p), Item::Enum(d)) => project(c, p).enums.push(d),
        (FileKind::Project(p), Item::Extension(d)) => project(c, p).extensions.push(d),
        (FileKind::Migration(p), Item::Migration(d)) => {
            project(c, p).migrations.push((file_order, d))
        }
        (kind, item) => diags.push(misplaced(kind, item.keyword(), item.span())),
    }
}

fn project<'a, 'c>(c: &'c mut Collected<'a>, name: &str) -> &'c mut ProjectFiles<'a> {
    c.projects.entry(name.to_string()).or_default()
}

fn misplaced(kind: &FileKind, keyword: &str, span: Span) -> Diagnostic {
    let (place, help) = match kind {
        FileKind::Workspace => (
            "the workspace root",
            "move it into a project folder (`<project>/*.sluice`), or migrations into `<project>/migrations/`",
        ),
        FileKind::Project(_) => (
            "a project folder",
            "workspace-wide settings belong in `workspace.sluice`; migrations belong in `<project>/migrations/`",
        ),
        FileKind::Migration(_) => (
            "a migrations folder",
            "a migration file holds `migration NAME { … }`; declarations belong in the project folder",
        ),
        FileKind::Ignored | FileKind::Sql => ("an ignored file", ""),
    };
    Diagnostic::error(
        Code::MisplacedDeclaration,
        format!("a `{keyword}` declaration does not belong in {place}"),
    )
    .at(span.sub(0, keyword.len()))
    .label("misplaced")
    .help(help)
}
