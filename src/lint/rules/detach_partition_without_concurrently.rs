//! `detach-partition-without-concurrently`: `DETACH PARTITION` takes ACCESS
//! EXCLUSIVE on the parent and the partition; PG 14+ can detach
//! `CONCURRENTLY`.

use sqlparser::ast::AlterTableOperation;

use super::{existing_table_ops, nothing_at_end, Rule};
use crate::diagnostic::Code;
use crate::lint::state::State;
use crate::lint::statement::Stmt;
use crate::lint::{Finding, LintContext};

pub const RULE: Rule = Rule {
    code: Code::DetachPartitionWithoutConcurrently,
    check: partitions_detach_concurrently,
    finish: nothing_at_end,
};

fn partitions_detach_concurrently(s: &Stmt, st: &State, cx: &LintContext, out: &mut Vec<Finding>) {
    for (op, table) in existing_table_ops(s, st) {
        let blocking = matches!(
            op,
            AlterTableOperation::DetachPartitionOf { mode: None, .. }
                | AlterTableOperation::DetachPartition { .. }
        );
        if !blocking {
            continue;
        }
        let help = if cx.pg.is_at_least(14) {
            "`ALTER TABLE … DETACH PARTITION … CONCURRENTLY`, run outside a transaction"
        } else {
            "PostgreSQL 14+ can `DETACH PARTITION … CONCURRENTLY`; before that, detach in a maintenance window"
        };
        out.push(s.finding(
            RULE.code,
            s.at_words(&["DETACH", "PARTITION"]),
            format!("detaching a partition takes an ACCESS EXCLUSIVE lock on `{table}` and the partition"),
            help,
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;
    use crate::lint::testing::*;

    #[test]
    fn detach_partition_without_concurrently_err() {
        assert_flags(
            "ALTER TABLE events DETACH PARTITION events_2023;",
            Code::DetachPartitionWithoutConcurrently,
            1,
            20,
        );
    }

    #[test]
    fn detach_partition_without_concurrently_ok() {
        assert_clean_with(
            &autocommit(),
            "ALTER TABLE events DETACH PARTITION events_2023 CONCURRENTLY;",
        );
    }
}
