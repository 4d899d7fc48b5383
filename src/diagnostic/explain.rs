//! Long-form explanations for `sluice explain CODE`.
//!
//! Each text has four parts, in this order: `Problem:` (what the diagnostic
//! means), `Why it matters:` (the consequence), `Fix:` (the change to make)
//! and `Example:` (a wrong snippet of the DSL and its corrected version).
//! The match has no wildcard arm, so a new code does not compile until it
//! is explained.

use super::Code;

impl Code {
    pub fn explain(self) -> &'static str {
        match self {
            Code::MisplacedBaseline | Code::ImportKeptRawSql | Code::ImportWouldOverwrite => {
                super::explain_import::explain(self)
            }
            Code::RetentionWithoutTimestamp
            | Code::RetentionWithoutKey
            | Code::ClassifiedColumnPublished
            | Code::ClassifiedColumnExposed => super::explain_compliance::explain(self),
            Code::ReceivingTableMismatch => super::explain_feed::explain(self),
            Code::CompatViewWithheldColumns | Code::ViewReadsRenamedTable => {
                super::explain_rename::explain(self)
            }
            Code::MigrationCycle
            | Code::ParallelMigrations
            | Code::SchemaDrift
            | Code::ContractInSameDeploy => super::explain_history::explain(self),
            Code::PlanNeedsBackfill
            | Code::PlanPossibleRename
            | Code::PlanUnsupportedChange
            | Code::RenameHintDone => super::explain_plan::explain(self),
            Code::ReleasedMigrationChanged
            | Code::ReleasedFileEdited
            | Code::DrizzleV1Layout
            | Code::UnsafeOutputFolder
            | Code::OutputFolderBusy => super::explain_release::explain(self),
            Code::ViewReadsDroppedColumn | Code::BlockingStepOnPartitionedTable => {
                super::explain_history_views::explain(self)
            }
            Code::ReleasedOutputChanged | Code::InvalidReleaseMode => {
                super::explain_draft::explain(self)
            }
            Code::DangerousPrivilege
            | Code::GlobalTableWrite
            | Code::UnscopedTenantReference
            | Code::UniqueWithoutTenantColumn => super::explain_tenancy::explain(self),
            Code::PostgresNotFound
            | Code::DatabaseNotEmpty
            | Code::DeployFailed
            | Code::SeedFailed
            | Code::TenantLeak
            | Code::RollbackMismatch
            | Code::InvalidIndexLeft
            | Code::NotValidConstraintLeft => super::explain_verify::explain(self),
            Code::AddingVolatileDefault
            | Code::AddingStoredGeneratedColumn
            | Code::AddingSerialColumn
            | Code::ChangingColumnType
            | Code::SettingNotNull
            | Code::ConstraintMissingNotValid
            | Code::ValidateInSameTransaction
            | Code::AddingUniqueConstraint
            | Code::AddingExclusionConstraint
            | Code::IndexWithoutConcurrently
            | Code::DropIndexWithoutConcurrently
            | Code::ReindexWithoutConcurrently
            | Code::DetachPartitionWithoutConcurrently
            | Code::RewritingTable
            | Code::RefreshWithoutConcurrently
            | Code::ConcurrentlyInTransaction
            | Code::MissingLockTimeout
            | Code::MissingStatementTimeout
            | Code::StatementsAfterExclusiveLock
            | Code::DroppingColumn
            | Code::RenamingColumn
            | Code::RenamingTable
            | Code::DroppingTable
            | Code::TruncateCascade
            | Code::DroppingNotNull
            | Code::AddingRequiredColumn
            | Code::EnumValueWithoutPosition
            | Code::AddingJsonColumn
            | Code::UncommittedTransaction
            | Code::NestedTransaction
            | Code::NonIdempotentOutsideTransaction
            | Code::PreferBigint
            | Code::PreferIdentity
            | Code::PreferText
            | Code::PreferTimestamptz
            | Code::BanChar
            | Code::RlsNotForced
            | Code::SecurityDefinerWithoutSearchPath
            | Code::IgnoreWithoutReason => super::explain_safety::explain(self),
            Code::SyntaxError
            | Code::UnexpectedItem
            | Code::UnknownOption
            | Code::SqlSyntaxError
            | Code::InvalidValue
            | Code::IgnoredFile
            | Code::NestingTooDeep
            | Code::InvalidUtf8 => super::explain_syntax::explain(self),
            Code::UnknownType
            | Code::UnknownTable
            | Code::UnknownColumn
            | Code::UnknownRole
            | Code::UnknownMigration
            | Code::UnknownRule
            | Code::DuplicateDefinition
            | Code::CrossProjectReference
            | Code::MisplacedDeclaration
            | Code::MissingProject
            | Code::MissingWorkspace
            | Code::SchemaOwnership
            | Code::ConflictingOptions
            | Code::UnparsedStatement => super::explain_names::explain(self),
            Code::MissingTenancy
            | Code::ExemptionWithoutReason
            | Code::UnsafeWithoutReason
            | Code::MissingTimestamps
            | Code::MissingAuditFields
            | Code::NamingCase
            | Code::IdentifierTooLong
            | Code::ReservedWord
            | Code::UnsupportedOnTarget
            | Code::MaterializedViewOverTenantTable => super::explain_conventions::explain(self),
            Code::MissingInverse
            | Code::PrimaryKeyNotUuid
            | Code::PartitionKeyMissing
            | Code::ForeignKeyTargetNotUnique
            | Code::MissingPrimaryKey
            | Code::BackfillWithoutKey
            | Code::ForeignKeyTypeMismatch
            | Code::ForeignKeyWithoutIndex => super::explain_keys::explain(self),
            Code::TenantTableWithoutRls
            | Code::RoleCheckNotAppScoped
            | Code::SettingWithoutMissingOk
            | Code::PolicyAllowsAll
            | Code::RuntimeRoleOwnsTable => super::explain_policies::explain(self),
            Code::InternalError => {
                r#"Problem: sluice itself failed (it panicked) while checking the workspace.
This is a bug in sluice, not a mistake in your files; `sluice check` exits
with status 2.

Why it matters: The workspace was not checked at all: neither its errors nor
its cleanliness are known, and CI counts the run as failed.

Fix: Report the bug with the smallest input that triggers it. Until it is
fixed, rewriting the construct that triggers the crash may unblock you.

Example:
    // `sluice check` prints:
    //   error[internal-error]: sluice crashed while checking this workspace
    // Copy the workspace, delete files and then lines while the crash
    // persists, and attach what is left, for example a single file:
    table notes {
      title text not null
    }
"#
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_problem_why_fix_and_example() {
        for code in Code::ALL {
            let text = code.explain();
            let mut last = 0;
            for part in ["Problem:", "Why it matters:", "Fix:", "Example:"] {
                let at = text
                    .find(part)
                    .unwrap_or_else(|| panic!("`{code}` has no `{part}`"));
                assert!(at >= last, "`{code}`: `{part}` is out of order");
                last = at;
            }
        }
    }

    #[test]
    fn explanations_fit_the_terminal() {
        for code in Code::ALL {
            let text = code.explain();
            assert!(text.lines().count() <= 30, "`{code}` is too long");
            for line in text.lines() {
                assert!(
                    line.chars().count() <= 80,
                    "`{code}`: line over 80 columns: {line}"
                );
            }
        }
    }
}
