//! The registry of diagnostic codes: stable kebab-case ids, default
//! severities and one-line summaries. `sluice explain` reads it.

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($( $variant:ident = $id:literal, $sev:ident, $summary:literal; )*) => {
        /// Every diagnostic sluice can report. Ids never change once released.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant),* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $id),* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev),* }
            }

            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary),* }
            }
        }
    };
}

codes! {
    SyntaxError = "syntax-error", Error, "The file does not follow the sluice grammar.";
    UnexpectedItem = "unexpected-item", Error, "A line that its block does not accept.";
    UnknownOption = "unknown-option", Error, "A word after a column, role or step that is not one of its options.";
    SqlSyntaxError = "sql-syntax-error", Error, "An SQL fragment (default, check, predicate, view or function body) does not parse.";
    InvalidValue = "invalid-value", Error, "A setting holds a value outside its allowed set.";
    UnknownType = "unknown-type", Error, "A column type that PostgreSQL and the workspace do not define.";
    UnknownTable = "unknown-table", Error, "A reference to a table that is not declared.";
    UnknownColumn = "unknown-column", Error, "A reference to a column its table does not have.";
    UnknownRole = "unknown-role", Error, "A reference to a database role or app role that is not declared.";
    UnknownMigration = "unknown-migration", Error, "An `after` dependency that names no migration of the project.";
    UnknownRule = "unknown-rule", Error, "A lint setting or exemption that names no rule.";
    DuplicateDefinition = "duplicate-definition", Error, "Two definitions with the same name in one scope.";
    CrossProjectReference = "cross-project-reference", Error, "A reference to a table of another project (another database).";
    MisplacedDeclaration = "misplaced-declaration", Error, "A declaration in a file where it does not belong.";
    MissingProject = "missing-project", Error, "A project folder without exactly one `project` declaration.";
    MissingWorkspace = "missing-workspace", Error, "The workspace has no `workspace` declaration in `workspace.sluice`.";
    SchemaOwnership = "schema-ownership", Error, "An object declared in a schema other than its project's own.";
    ConflictingOptions = "conflicting-options", Error, "Two options that contradict each other on one object.";
    UnparsedStatement = "unparsed-statement", Warning, "A raw SQL statement that sqlparser cannot parse; it is passed through unchecked.";
    MissingTenancy = "missing-tenancy", Error, "A table uses `tenant` or `owner` but no `tenancy` block says how.";
    ExemptionWithoutReason = "exemption-without-reason", Error, "An `allow` exemption without a stated reason.";
    UnsafeWithoutReason = "unsafe-without-reason", Error, "A step forced `unsafe` without a stated reason.";
    MissingInverse = "missing-inverse", Error, "A raw SQL step with neither an `inverse` nor `irreversible`.";
    MigrationCycle = "migration-cycle", Error, "Migrations whose `after` dependencies form a cycle.";
    ParallelMigrations = "parallel-migrations", Error, "Two migrations that touch the same table without an order between them.";
    MisplacedBaseline = "misplaced-baseline", Error, "A `baseline` migration that is not the first, or that does more than create objects.";
    ImportKeptRawSql = "import-kept-raw-sql", Warning, "An object of an imported database that the DSL cannot express yet, kept as raw SQL.";
    ImportWouldOverwrite = "import-would-overwrite", Error, "`sluice import` would overwrite files that already exist.";
    SchemaDrift = "schema-drift", Error, "The declared tables differ from what the migration history builds.";
    BlockingStepOnPartitionedTable = "blocking-step-on-partitioned-table", Error, "A later migration adds an index or a foreign key to an existing partitioned table, which PostgreSQL can only do while blocking writes.";
    ViewReadsDroppedColumn = "view-reads-dropped-column", Error, "A phase of the migration history drops or renames a column that a view of the history still reads.";
    PlanNeedsBackfill = "plan-needs-backfill", Error, "`sluice plan` met a new `not null` column without a default: its existing rows need a value only you can give.";
    PlanPossibleRename = "plan-possible-rename", Error, "`sluice plan` met a column that disappears while another of the same type appears: it may be a rename.";
    PlanUnsupportedChange = "plan-unsupported-change", Error, "`sluice plan` met a change it has no safe recipe for, so it wrote nothing for the project.";
    RenameHintDone = "rename-hint-done", Warning, "A `was` rename hint whose rename the migration history already does: the hint can go.";
    CompatViewWithheldColumns = "compat-view-withheld-columns", Warning, "A table renamed online has columns withheld from a role that reads it: that role cannot read through the view under the old name until the contract.";
    ViewReadsRenamedTable = "view-reads-renamed-table", Warning, "A declared view's query names a table the migration history renamed: a database built from the declarations has no relation of that name.";
    PartitionKeyMissing = "partition-key-missing", Error, "A primary key, unique constraint or unique index of a partitioned table without every partition column.";
    ContractInSameDeploy = "contract-in-same-deploy", Error, "A contract phase released in the same deploy as its expand phase.";
    PrimaryKeyNotUuid = "primary-key-not-uuid", Error, "A table whose primary key is not the configured UUID key.";
    MissingPrimaryKey = "missing-primary-key", Warning, "A table without a primary key, in a project without a `primary_key` convention.";
    BackfillWithoutKey = "backfill-without-key", Error, "A backfill, rename or type change copy on a table without a primary key to page by.";
    MissingTimestamps = "missing-timestamps", Warning, "A table without the lifecycle timestamps the conventions require, or with the wrong type.";
    MissingAuditFields = "missing-audit-fields", Warning, "A table without the audit columns the conventions require, or with the wrong shape.";
    NamingCase = "naming-case", Warning, "A name that does not follow the naming case of the conventions.";
    IdentifierTooLong = "identifier-too-long", Error, "A name over 63 bytes, which PostgreSQL silently truncates.";
    ForeignKeyTypeMismatch = "foreign-key-type-mismatch", Error, "A foreign-key column whose type differs from the referenced column's.";
    ForeignKeyTargetNotUnique = "foreign-key-target-not-unique", Error, "A foreign key whose referenced columns are not a primary key, unique constraint or unique index of the target.";
    ForeignKeyWithoutIndex = "foreign-key-without-index", Warning, "Foreign-key columns that no index leads with.";
    TenantTableWithoutRls = "tenant-table-without-rls", Error, "A table with tenant data that is not isolated by row-level security, or lacks a policy.";
    RoleCheckNotAppScoped = "role-check-not-app-scoped", Error, "A role check in a policy that is not limited to the project's app.";
    SettingWithoutMissingOk = "setting-without-missing-ok", Error, "`current_setting('x')` without `, true` in a policy: it errors when the setting is missing.";
    PolicyAllowsAll = "policy-allows-all", Error, "A policy on a tenant table whose predicate is `true`.";
    MaterializedViewOverTenantTable = "materialized-view-over-tenant-table", Error, "A materialized view that reads a tenant table: it has no RLS, so its readers see every tenant's rows.";
    DangerousPrivilege = "dangerous-privilege", Error, "`all`, `truncate` or `trigger` on tables, or `all` on the schema, granted to a runtime role: each gets around row-level security.";
    GlobalTableWrite = "global-table-write", Warning, "A runtime role granted writes on a `global` table, which every tenant shares and no row-level security guards.";
    UnscopedTenantReference = "unscoped-tenant-reference", Error, "A foreign key between tenant tables that does not go through the tenant column, so one tenant's row can point at another's.";
    UniqueWithoutTenantColumn = "unique-without-tenant-column", Error, "A unique key of a tenant table without the tenant column: it tells one tenant whether a value exists in another.";
    RuntimeRoleOwnsTable = "runtime-role-owns-table", Error, "The runtime role owns the schema or its tables, so RLS does not apply to it.";
    UnsupportedOnTarget = "unsupported-on-target", Error, "A declaration that needs a newer PostgreSQL than the project's target version.";
    RetentionWithoutTimestamp = "retention-without-timestamp", Error, "A `retain` on a table without the timestamp its period runs from, so nothing could be purged.";
    RetentionWithoutKey = "retention-without-key", Error, "A `retain` on a table without a primary key for the purge to page by.";
    ClassifiedColumnPublished = "classified-column-published", Error, "A `publish to` column list that names a `pii` or `phi` column, which would leave the database.";
    ClassifiedColumnExposed = "classified-column-exposed", Error, "A view that runs with its owner's rights and reads a `pii` or `phi` column, so roles that do not read that classification read it through the view.";
    ReceivingTableMismatch = "receiving-table-mismatch", Error, "A table another project publishes to this one that this project cannot receive: a name two projects send, a declaration of another shape (or, received into another schema, of the same name), or an enum it lacks, declares with other values or (received into another schema) declares at all.";
    ReservedWord = "reserved-word", Warning, "A name that is a reserved word in PostgreSQL.";
    IgnoredFile = "ignored-file", Warning, "A `.sluice` file outside the workspace layout, not read.";
    InvalidUtf8 = "invalid-utf8", Error, "A source file that is not UTF-8.";
    NestingTooDeep = "nesting-too-deep", Error, "Brackets and `not`s nested deeper than sluice accepts (64 levels).";
    InternalError = "internal-error", Error, "A bug in sluice; please report it with the input.";
    // The output folder (`sluice build`, `sluice check`).
    ReleasedMigrationChanged = "released-migration-changed", Error, "A migration file already on disk (released) would now be written with different content.";
    ReleasedFileEdited = "released-file-edited", Error, "A released file on disk differs from what sluice recorded when it wrote it.";
    DrizzleV1Layout = "drizzle-v1-layout", Error, "The output folder's Drizzle layout and the one `package.json` asks for disagree.";
    UnsafeOutputFolder = "unsafe-output-folder", Error, "The output folder holds the workspace, or a file sluice did not write where it would write one.";
    OutputFolderBusy = "output-folder-busy", Error, "Another `sluice build` is writing the same output folder.";
    ReleasedOutputChanged = "released-output-changed", Warning, "This version of sluice would write a released file differently from an unchanged migration; the released bytes are kept.";
    InvalidReleaseMode = "invalid-release-mode", Error, "`SLUICE_RELEASED` is neither `git` nor `all`.";
    // Found by `sluice verify` on a live server.
    PostgresNotFound = "postgres-not-found", Error, "`sluice verify` found no PostgreSQL server programs to start its throwaway server with.";
    DatabaseNotEmpty = "database-not-empty", Error, "The database given to `sluice verify --database` already holds tables.";
    DeployFailed = "deploy-failed", Error, "A journal entry, script or rollback failed on the server during `sluice verify`.";
    SeedFailed = "seed-failed", Warning, "`sluice verify` could not fill a table with rows before a phase.";
    TenantLeak = "tenant-leak", Error, "A role saw or changed a row of another org on the deployed database.";
    RollbackMismatch = "rollback-mismatch", Error, "A rollback did not give back the catalog as it was before its phase, or the phase applied again differs.";
    InvalidIndexLeft = "invalid-index-left", Error, "The deploy left an index marked invalid.";
    NotValidConstraintLeft = "not-valid-constraint-left", Warning, "The deploy left a constraint `NOT VALID`.";
    // Safety rules on SQL (`sluice lint`, and the SQL sluice emits).
    AddingVolatileDefault = "adding-volatile-default", Error, "`ADD COLUMN … DEFAULT` with a volatile function rewrites the table under an ACCESS EXCLUSIVE lock.";
    AddingStoredGeneratedColumn = "adding-stored-generated-column", Error, "`ADD COLUMN … GENERATED ALWAYS AS (…) STORED` rewrites the table under an ACCESS EXCLUSIVE lock.";
    AddingSerialColumn = "adding-serial-column", Error, "Adding a `serial` or identity column to an existing table rewrites it under an ACCESS EXCLUSIVE lock.";
    ChangingColumnType = "changing-column-type", Error, "`ALTER COLUMN … TYPE` that is not a binary-coercible widening rewrites the table and its indexes.";
    SettingNotNull = "setting-not-null", Error, "`SET NOT NULL` without a validated `CHECK (col IS NOT NULL)` scans the table under an ACCESS EXCLUSIVE lock.";
    ConstraintMissingNotValid = "constraint-missing-not-valid", Error, "A check or foreign key added to an existing table without `NOT VALID` scans it under a strong lock.";
    ValidateInSameTransaction = "validate-in-same-transaction", Error, "`VALIDATE CONSTRAINT` in the transaction that added the constraint `NOT VALID` keeps the strong lock through the scan.";
    AddingUniqueConstraint = "adding-unique-constraint", Error, "`ADD UNIQUE` / `ADD PRIMARY KEY` without `USING INDEX` builds an index under an ACCESS EXCLUSIVE lock.";
    AddingExclusionConstraint = "adding-exclusion-constraint", Error, "`ADD … EXCLUDE` on an existing table builds and checks an index under an ACCESS EXCLUSIVE lock.";
    IndexWithoutConcurrently = "index-without-concurrently", Error, "`CREATE INDEX` on an existing table without `CONCURRENTLY` blocks writes for the whole build.";
    DropIndexWithoutConcurrently = "drop-index-without-concurrently", Error, "`DROP INDEX` without `CONCURRENTLY` takes an ACCESS EXCLUSIVE lock on the table.";
    ReindexWithoutConcurrently = "reindex-without-concurrently", Error, "`REINDEX` without `CONCURRENTLY` blocks writes and stalls reads.";
    DetachPartitionWithoutConcurrently = "detach-partition-without-concurrently", Error, "`DETACH PARTITION` without `CONCURRENTLY` locks the parent and the partition.";
    RewritingTable = "rewriting-table", Error, "`VACUUM FULL`, `CLUSTER`, `SET TABLESPACE` or `SET LOGGED/UNLOGGED` rewrites the table under an ACCESS EXCLUSIVE lock.";
    RefreshWithoutConcurrently = "refresh-without-concurrently", Error, "`REFRESH MATERIALIZED VIEW` without `CONCURRENTLY` locks out readers of the view.";
    ConcurrentlyInTransaction = "concurrently-in-transaction", Error, "A statement that cannot run inside a transaction (`CONCURRENTLY`, `VACUUM`, …) in a transaction.";
    MissingLockTimeout = "missing-lock-timeout", Error, "A file takes a strong lock before setting `lock_timeout`.";
    MissingStatementTimeout = "missing-statement-timeout", Warning, "A file takes a strong lock before setting `statement_timeout`.";
    StatementsAfterExclusiveLock = "statements-after-exclusive-lock", Warning, "More work in the transaction after an ACCESS EXCLUSIVE lock, which is held until commit.";
    DroppingColumn = "dropping-column", Error, "`DROP COLUMN` outside a contract phase breaks code that still reads the column.";
    RenamingColumn = "renaming-column", Error, "`RENAME COLUMN` breaks code that uses the old name.";
    RenamingTable = "renaming-table", Error, "`RENAME TO` breaks code that uses the old table name.";
    DroppingTable = "dropping-table", Error, "`DROP TABLE` outside a contract phase breaks code that still uses the table.";
    TruncateCascade = "truncate-cascade", Error, "`TRUNCATE … CASCADE` empties every table that references this one.";
    DroppingNotNull = "dropping-not-null", Error, "`DROP NOT NULL` outside a contract phase hands NULLs to readers that do not expect them.";
    AddingRequiredColumn = "adding-required-column", Error, "`ADD COLUMN … NOT NULL` without a default fails on a table with rows and breaks writers.";
    EnumValueWithoutPosition = "enum-value-without-position", Warning, "`ALTER TYPE … ADD VALUE` without `BEFORE` or `AFTER`.";
    AddingJsonColumn = "adding-json-column", Warning, "A `json` column, where `jsonb` is meant.";
    UncommittedTransaction = "uncommitted-transaction", Error, "A `BEGIN` without a matching `COMMIT`.";
    NestedTransaction = "nested-transaction", Error, "`BEGIN` or `COMMIT` in a file the runner already wraps in a transaction.";
    NonIdempotentOutsideTransaction = "non-idempotent-outside-transaction", Warning, "DDL outside a transaction without `IF [NOT] EXISTS`, which cannot be re-run after a partial failure.";
    PreferBigint = "prefer-bigint", Warning, "A 32- or 16-bit integer key (primary, foreign, identity or `…_id`), which can run out of values.";
    PreferIdentity = "prefer-identity", Warning, "A `serial` column, where an identity column is meant.";
    PreferText = "prefer-text", Warning, "A `varchar(n)` column, whose limit is cheaper as a check on `text`.";
    PreferTimestamptz = "prefer-timestamptz", Warning, "A `timestamp` without time zone column.";
    BanChar = "ban-char", Warning, "A `char(n)` column, which pads values with spaces.";
    RlsNotForced = "rls-not-forced", Error, "Row-level security enabled without `FORCE`, so the table owner bypasses it.";
    SecurityDefinerWithoutSearchPath = "security-definer-without-search-path", Error, "A `SECURITY DEFINER` function without `SET search_path`.";
    IgnoreWithoutReason = "ignore-without-reason", Error, "A `sluice-ignore` comment without a stated reason.";
}

impl Code {
    /// Whether a workspace may change this code's level or exempt an object
    /// from it. Codes that report invalid input are not configurable.
    pub fn is_configurable(self) -> bool {
        self.is_safety_rule()
            || matches!(
                self,
                Code::CrossProjectReference
                    | Code::SchemaOwnership
                    | Code::UnparsedStatement
                    | Code::IgnoredFile
                    | Code::PrimaryKeyNotUuid
                    | Code::MissingPrimaryKey
                    | Code::MissingTimestamps
                    | Code::MissingAuditFields
                    | Code::NamingCase
                    | Code::IdentifierTooLong
                    | Code::ForeignKeyTypeMismatch
                    | Code::ForeignKeyWithoutIndex
                    | Code::TenantTableWithoutRls
                    | Code::RoleCheckNotAppScoped
                    | Code::SettingWithoutMissingOk
                    | Code::PolicyAllowsAll
                    | Code::MaterializedViewOverTenantTable
                    | Code::RuntimeRoleOwnsTable
                    | Code::DangerousPrivilege
                    | Code::GlobalTableWrite
                    | Code::UnscopedTenantReference
                    | Code::UniqueWithoutTenantColumn
                    | Code::ReservedWord
            )
    }

    /// Whether this is a safety rule on SQL text (`sluice lint`).
    pub fn is_safety_rule(self) -> bool {
        SAFETY_RULES.contains(&self)
    }
}

/// The codes of the safety rules on SQL text, one per rule of
/// `lint::RULES` (a lint test keeps the two lists equal). The registry
/// lists them itself so that it depends on no rule.
pub const SAFETY_RULES: &[Code] = &[
    Code::AddingVolatileDefault,
    Code::AddingStoredGeneratedColumn,
    Code::AddingSerialColumn,
    Code::ChangingColumnType,
    Code::SettingNotNull,
    Code::ConstraintMissingNotValid,
    Code::ValidateInSameTransaction,
    Code::AddingUniqueConstraint,
    Code::AddingExclusionConstraint,
    Code::IndexWithoutConcurrently,
    Code::DropIndexWithoutConcurrently,
    Code::ReindexWithoutConcurrently,
    Code::DetachPartitionWithoutConcurrently,
    Code::RewritingTable,
    Code::RefreshWithoutConcurrently,
    Code::ConcurrentlyInTransaction,
    Code::MissingLockTimeout,
    Code::MissingStatementTimeout,
    Code::StatementsAfterExclusiveLock,
    Code::ForeignKeyWithoutIndex,
    Code::DroppingColumn,
    Code::RenamingColumn,
    Code::RenamingTable,
    Code::DroppingTable,
    Code::TruncateCascade,
    Code::DroppingNotNull,
    Code::AddingRequiredColumn,
    Code::EnumValueWithoutPosition,
    Code::AddingJsonColumn,
    Code::UncommittedTransaction,
    Code::NestedTransaction,
    Code::NonIdempotentOutsideTransaction,
    Code::PreferBigint,
    Code::PreferIdentity,
    Code::PreferText,
    Code::PreferTimestamptz,
    Code::BanChar,
    Code::IdentifierTooLong,
    Code::TenantTableWithoutRls,
    Code::RlsNotForced,
    Code::SettingWithoutMissingOk,
    Code::PolicyAllowsAll,
    Code::SecurityDefinerWithoutSearchPath,
    Code::RuntimeRoleOwnsTable,
];

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Code {
    type Err = ();

    fn from_str(s: &str) -> Result<Code, ()> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or(())
    }
}
