//! Migration declarations as written: phases, steps, releases, backfills.
//!
//! Part of [`crate::ast`]; produced by [`crate::parse`], read by [`crate::lower`].

use super::*;

// ─── migrations ───

#[derive(Debug, Clone, Hash)]
pub struct MigrationDecl {
    pub name: Ident,
    /// `baseline`: the objects it creates already exist; nothing is emitted.
    pub baseline: Option<Span>,
    pub after: Vec<Ident>,
    pub releases: Vec<Release>,
    pub expand: Vec<Step>,
    pub backfills: Vec<Backfill>,
    pub contract: Vec<Step>,
    pub span: Span,
}

/// `release M [together "reason"]`
#[derive(Debug, Clone, Hash)]
pub struct Release {
    pub migration: Ident,
    /// `together "reason"`: the outer option is the keyword, the inner the reason.
    pub together: Option<(Option<StrLit>, Span)>,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
pub struct Backfill {
    /// `table.column`
    pub target: Path,
    pub expr: SqlText,
    pub filter: Option<SqlText>,
    pub batch: Option<(u64, Span)>,
    pub pause: Option<Duration>,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
pub struct Step {
    pub kind: StepKind,
    /// `unsafe "reason"`: the outer option is the keyword, the inner the reason.
    pub unsafe_: Option<(Option<StrLit>, Span)>,
    pub span: Span,
}

#[derive(Debug, Clone, Hash)]
pub enum StepKind {
    CreateTable(TableDecl),
    CreateView(ViewDecl),
    CreateFunction(FunctionDecl),
    CreateEnum(EnumDecl),
    CreateExtension(ExtensionDecl),
    /// `replace view V { … }`: the view as it is from now on.
    ReplaceView(ViewDecl),
    /// `replace function F(…) returns … { … }`: same signature, new definition.
    ReplaceFunction(FunctionDecl),
    AddColumn {
        column: Path,
        def: ColumnDef,
    },
    AddIndex {
        table: Path,
        index: IndexDef,
    },
    AddForeignKey {
        table: Path,
        columns: Vec<Ident>,
        reference: Reference,
        name: Option<Ident>,
    },
    AddCheck {
        table: Path,
        check: CheckDef,
    },
    AddUnique {
        table: Path,
        unique: UniqueDef,
    },
    AddPolicy {
        table: Path,
        policy: PolicyDef,
    },
    AddEnumValue {
        value: StrLit,
        enum_name: Path,
        position: Option<(bool, StrLit)>,
    },
    SetNotNull(Path),
    DropNotNull(Path),
    SetDefault {
        column: Path,
        expr: SqlText,
    },
    DropDefault(Path),
    ChangeType {
        column: Path,
        ty: TypeName,
        using: Option<SqlText>,
    },
    RenameColumn {
        column: Path,
        to: Ident,
    },
    RenameTable {
        table: Path,
        to: Ident,
    },
    DropPolicy {
        table: Path,
        policy: Ident,
    },
    /// `drop table|column|index|view|function|constraint|enum|extension X`
    Drop {
        kind: Ident,
        target: Path,
    },
    EnableRls(Path),
    /// `classify`, `declassify`, `comment on`, `drop comment on`.
    Annotate(Annotate),
    Grant {
        grant: Grant,
        roles: Vec<Ident>,
    },
    Revoke {
        grant: Grant,
        roles: Vec<Ident>,
    },
    /// `publish TABLE to PROJECT [(col, …)]`: an existing table joins a
    /// feed, or sends other columns.
    Publish {
        table: Path,
        target: Ident,
        columns: Option<Vec<Ident>>,
    },
    /// `unpublish TABLE from PROJECT`.
    Unpublish {
        table: Path,
        target: Ident,
    },
    /// `receive SCHEMA.TABLE from PROJECT`: the receiving side of a feed
    /// creates a table `PROJECT` publishes to it.
    Receive {
        table: Path,
        source: Ident,
    },
    /// `grant reads pii to R` (`grant` true) / `revoke reads pii from R`.
    Reads {
        grant: bool,
        classifications: Vec<Ident>,
        roles: Vec<Ident>,
    },
    Sql {
        forward: SqlText,
        inverse: Inverse,
    },
}

#[derive(Debug, Clone, Hash)]
pub enum Inverse {
    Missing,
    Sql(SqlText),
    Irreversible(Option<StrLit>, Span),
}
