//! `sluice import`: adopt a database that already exists.
//!
//! Input: a connection string, a project name and schema, a workspace
//! folder. Output: the folder `<workspace>/<project>/` with readable
//! declarations of the schema (`<project>.sluice`) and a `baseline`
//! migration (`migrations/0000_baseline.sluice`) that records the existing
//! state, plus `workspace.sluice` when the workspace is new. The database is
//! read in one read-only transaction ([`catalog`]); sluice's own derived
//! objects are recognised ([`recognise`]) and left to the conventions; what
//! the DSL cannot express is kept as raw SQL steps of the baseline and
//! listed ([`objects::Kept`]). Files are staged beside the workspace and
//! renamed into place: an import that fails writes nothing, and it never
//! replaces an existing folder unless told to.
//!
//! [`run_from_drizzle`] reads the last snapshot of a Drizzle migration
//! folder ([`drizzle_snapshot`]) instead of a live database.
//!
//! This sits at the top of the pipeline (beside `write`): it uses the
//! stages, none of them uses it.

pub mod catalog;
mod drizzle_snapshot;
mod items;
mod kept;
pub mod model;
pub mod objects;
mod pred;
mod reads;
pub mod recognise;
mod retention;
mod scoped;
mod table;
mod text;

use std::fs;
use std::path::{Path, PathBuf};

pub use objects::Kept;

pub struct Options {
    pub database: String,
    pub project: String,
    pub schema: String,
    pub workspace: PathBuf,
    /// Replace an existing project folder.
    pub force: bool,
}

/// What an import wrote.
#[derive(Debug)]
pub struct Outcome {
    pub files: Vec<PathBuf>,
    pub tables: usize,
    pub views: usize,
    pub functions: usize,
    /// Objects kept as raw SQL, in the order of the baseline.
    pub kept: Vec<Kept>,
    /// The baseline file (for locating kept objects).
    pub baseline: PathBuf,
    /// Roles the declarations name that an existing `workspace.sluice` must
    /// declare (the import does not edit that file).
    pub roles_to_add: Vec<String>,
}

#[derive(Debug)]
pub enum ImportError {
    Usage(String),
    Connect(String),
    Read(String),
    /// Files that exist and would be replaced.
    WouldOverwrite(Vec<PathBuf>),
    Io(String),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::Usage(m) => write!(f, "{m}"),
            ImportError::Connect(m) => write!(f, "cannot connect to the database: {m}"),
            ImportError::Read(m) => write!(f, "cannot read the catalog: {m}"),
            ImportError::WouldOverwrite(p) => {
                let names: Vec<String> = p.iter().map(|p| p.display().to_string()).collect();
                write!(f, "the import would overwrite {}", names.join(", "))
            }
            ImportError::Io(m) => write!(f, "cannot write the workspace: {m}"),
        }
    }
}

/// Connect, read the catalog, write the project.
pub fn run(opts: &Options, progress: &mut dyn FnMut(&str)) -> Result<Outcome, ImportError> {
    check_target(opts)?;
    progress("connecting");
    let config: postgres::Config = opts
        .database
        .parse()
        .map_err(|e: postgres::Error| ImportError::Connect(e.to_string()))?;
    let database = config.get_dbname().unwrap_or(&opts.project).to_string();
    let mut client = config
        .connect(postgres::NoTls)
        .map_err(|e| ImportError::Connect(pg_message(&e)))?;
    let major = server_major(&mut client).map_err(|e| ImportError::Read(pg_message(&e)))?;
    let cat = catalog::read(&mut client, &opts.schema, &mut |phase| {
        progress(&format!("reading {phase}"))
    })
    .map_err(|e| ImportError::Read(pg_message(&e)))?;
    if cat.schema_owner.is_empty() {
        return Err(ImportError::Usage(format!(
            "the database has no schema `{}`",
            opts.schema
        )));
    }
    write(opts, cat, &database, major, progress)
}

/// Read the last snapshot of a Drizzle migration folder instead of a live
/// database, then write the project as [`run`] does.
pub fn run_from_drizzle(
    opts: &Options,
    folder: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<Outcome, ImportError> {
    check_target(opts)?;
    progress("reading the last drizzle snapshot");
    let cat = drizzle_snapshot::read(folder, &opts.schema).map_err(ImportError::Read)?;
    write(
        opts,
        cat,
        &opts.project,
        drizzle_snapshot::POSTGRES_MAJOR,
        progress,
    )
}

/// A valid project name whose folder may be written.
fn check_target(opts: &Options) -> Result<(), ImportError> {
    if !text::is_ident(&opts.project) {
        return Err(ImportError::Usage(format!(
            "`{}` is not a project name: use letters, digits and `_`",
            opts.project
        )));
    }
    let dir = opts.workspace.join(&opts.project);
    if dir.exists() && !opts.force {
        return Err(ImportError::WouldOverwrite(vec![dir]));
    }
    Ok(())
}

/// Recognise the conventions of `cat` and write the project's files.
fn write(
    opts: &Options,
    cat: catalog::Catalog,
    database: &str,
    major: u32,
    progress: &mut dyn FnMut(&str),
) -> Result<Outcome, ImportError> {
    let dir = opts.workspace.join(&opts.project);
    progress("recognising conventions");
    let mut cat = cat;
    if let Some(ten) = recognise::infer(&cat).tenancy {
        scoped::narrow(&mut cat, &ten.column);
    }
    let conv = recognise::infer(&cat);
    progress("writing declarations");
    let ws_file = opts.workspace.join("workspace.sluice");
    let new_workspace = !ws_file.exists();
    let mut shared = Vec::new();
    if !new_workspace {
        // Extensions the workspace declares already apply to every project;
        // the baseline still records that the database has them.
        let declared = workspace_extensions(&ws_file);
        shared = cat
            .extensions
            .iter()
            .filter(|e| declared.contains(&e.name))
            .map(|e| e.name.clone())
            .collect();
        cat.extensions.retain(|e| !declared.contains(&e.name));
    }
    let mut written = write_text(&cat, &conv, opts, database, major, new_workspace);
    written.baseline = with_shared_extensions(&written.baseline, &shared);
    let mut files = vec![
        (
            dir.join(format!("{}.sluice", opts.project)),
            written.project.clone(),
        ),
        (
            dir.join("migrations/0000_baseline.sluice"),
            written.baseline.clone(),
        ),
    ];
    if new_workspace {
        files.push((
            opts.workspace.join("workspace.sluice"),
            written.workspace.clone(),
        ));
    }
    place(&opts.workspace, &dir, &files).map_err(|e| ImportError::Io(e.to_string()))?;
    Ok(Outcome {
        files: files.into_iter().map(|(p, _)| p).collect(),
        tables: cat.tables.len(),
        views: cat.views.len(),
        functions: cat
            .functions
            .iter()
            .filter(|f| !recognise::is_sluice_function(&f.name))
            .count(),
        kept: written.kept,
        baseline: dir.join("migrations/0000_baseline.sluice"),
        roles_to_add: if new_workspace {
            Vec::new()
        } else {
            cat.roles.iter().map(|r| r.name.clone()).collect()
        },
    })
}

/// The baseline with a `create extension` step for each extension of the
/// database that `workspace.sluice` declares: the history must create
/// every declared extension.
fn with_shared_extensions(baseline: &str, names: &[String]) -> String {
    let head = "  baseline\n";
    match baseline.split_once(head) {
        Some((before, after)) if !names.is_empty() => {
            let steps: String = names
                .iter()
                .map(|n| format!("\n  create extension {n}\n"))
                .collect();
            format!("{before}{head}{steps}{after}")
        }
        _ => baseline.to_string(),
    }
}

/// The extensions an existing `workspace.sluice` declares.
fn workspace_extensions(path: &Path) -> Vec<String> {
    let Ok(text) = fs::read_to_string(path) else {
        return Vec::new();
    };
    let file = crate::source::SourceFile::new(
        "workspace.sluice",
        text,
        crate::source::FileKind::Workspace,
    );
    let (ast, _) = crate::parse::parse_file(crate::span::FileId(0), &file);
    ast.items
        .iter()
        .filter_map(|i| match i {
            crate::ast::Item::Extension(e) => Some(e.name.name.clone()),
            _ => None,
        })
        .collect()
}

fn pg_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.code().code(), db.message()),
        None => e.to_string(),
    }
}

fn server_major(client: &mut postgres::Client) -> Result<u32, postgres::Error> {
    let row = client.query_one(include_str!("../templates/import/version.sql"), &[])?;
    Ok(row.get::<_, i32>(0) as u32)
}

/// The texts of the three files.
pub struct Written {
    pub workspace: String,
    pub project: String,
    pub baseline: String,
    pub kept: Vec<Kept>,
}

/// Every declaration of the catalog as DSL text.
/// With `new_workspace` false, the conventions go inside the project block.
pub fn write_text(
    cat: &catalog::Catalog,
    conv: &recognise::Conventions,
    opts: &Options,
    database: &str,
    major: u32,
    new_workspace: bool,
) -> Written {
    let workspace = objects::workspace(cat, conv, &opts.project, major);
    let mut decls: Vec<String> = Vec::new();
    decls.extend(objects::extensions(cat));
    decls.extend(objects::enums(cat));
    decls.extend(
        recognise::dependency_order(cat, conv)
            .into_iter()
            .map(|i| table::table(cat, &cat.tables[i], conv)),
    );
    let (functions, mut kept) = objects::functions(cat);
    decls.extend(functions);
    decls.extend(cat.views.iter().map(objects::view));
    kept.extend(kept::partitions(cat));
    kept.extend(kept::deferrable_constraints(cat));
    kept.extend(kept::primary_key_names(cat));
    kept.extend(kept::row_level_security(cat));
    kept.extend(objects::raw_triggers_and_rules(cat, conv));
    kept.extend(kept::default_privileges(cat, conv));
    let header = format!(
        "// Imported by `sluice import` from schema `{}` of database `{database}`.\n// The history starts from this state: see migrations/0000_baseline.sluice.\n\n",
        cat.schema
    );
    let nested = (!new_workspace).then(|| objects::conventions(conv, &opts.project));
    let mut project =
        header + &objects::project(cat, conv, &opts.project, database, nested.as_deref());
    for d in &decls {
        project.push('\n');
        project.push_str(d);
    }
    let mut baseline = String::from(
        "// The state the database had when it was imported. `baseline`: sluice replays\n// these steps to check the declarations, but no build emits them and drizzle\n// never runs them. Write every later change as a new migration.\n\nmigration baseline {\n  baseline\n",
    );
    for d in &decls {
        baseline.push('\n');
        let step = format!("create {d}");
        for line in step.lines() {
            baseline.push_str(&format!("  {line}\n").replace("  \n", "\n"));
        }
    }
    for k in &kept {
        baseline.push_str(&format!("\n  // kept: {} {}\n", k.kind, k.name));
        baseline.push_str(&format!(
            "  sql {} irreversible \"kept by sluice import: the DSL cannot express this {}\"\n",
            text::dollar(&format!("\n{}\n", k.sql.trim())),
            k.kind
        ));
    }
    baseline.push_str("}\n");
    Written {
        workspace,
        project,
        baseline,
        kept,
    }
}

/// Stage the files in a hidden folder of the workspace, then rename the
/// project folder (and a new `workspace.sluice`) into place.
fn place(workspace: &Path, dir: &Path, files: &[(PathBuf, String)]) -> std::io::Result<()> {
    fs::create_dir_all(workspace)?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stage = workspace.join(format!(".{name}.sluice-import"));
    if stage.exists() {
        fs::remove_dir_all(&stage)?;
    }
    for (path, text) in files {
        let rel = path.strip_prefix(workspace).unwrap_or(path);
        let target = stage.join(rel);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&target, text)?;
    }
    let backup = workspace.join(format!(".{name}.sluice-import-old"));
    if dir.exists() {
        fs::rename(dir, &backup)?;
    }
    if let Err(e) = fs::rename(stage.join(&name), dir) {
        if backup.exists() {
            fs::rename(&backup, dir)?;
        }
        return Err(e);
    }
    let ws_file = stage.join("workspace.sluice");
    if ws_file.exists() {
        if let Err(e) = fs::rename(&ws_file, workspace.join("workspace.sluice")) {
            fs::remove_dir_all(dir)?;
            if backup.exists() {
                fs::rename(&backup, dir)?;
            }
            return Err(e);
        }
    }
    if backup.exists() {
        fs::remove_dir_all(&backup)?;
    }
    fs::remove_dir_all(&stage)
}
