//! The steps by which a project receives the tables other projects
//! publish to it from another schema, when its history does not receive
//! them yet.
//!
//! Input: the workspace's projects and the receiving project (with the
//! tables its history receives, [`crate::ir::access::Access::received`]).
//! Output: `receive SCHEMA.TABLE from PROJECT` in the expand: a new table
//! breaks no running app version.

use super::{Bucket, Draft};
use crate::ir::feed::{receive_step, unreceived};
use crate::ir::Project;

pub(super) fn plan(projects: &[Project], p: &Project, out: &mut Draft) {
    for r in unreceived(projects, p) {
        out.expand(
            Bucket::CreateTable,
            receive_step(&r),
            "a table another project publishes here: a new table breaks no running app version"
                .into(),
            format!("receive_{}", r.table.name),
        );
    }
}
