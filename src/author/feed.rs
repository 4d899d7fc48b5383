//! The steps that turn the feed a project's history carries into the
//! declared one, for tables the history already has (a new table joins a
//! feed by the `publish to` of its `create table` step).
//!
//! Input: the declared tables, the tables the history builds and the feed
//! it carries ([`Access::published`]). Output: `publish TABLE to PROJECT
//! [(col, …)]` in the expand for a table that joins a feed or sends other
//! columns (a publication change breaks no running app version), and
//! `unpublish TABLE from PROJECT` in the contract for one that leaves it
//! (the receiving side may still read what it sends until then).

use super::{Bucket, Draft};
use crate::ir::access::Access;
use crate::ir::shape::Shapes;
use crate::ir::Project;

pub(super) fn plan(p: &Project, replayed: &Shapes, built: &Access, out: &mut Draft) {
    for t in p.tables.iter().filter(|t| replayed.contains_key(&t.name)) {
        for publish in &t.publish {
            let target = &publish.target.name;
            let want: Option<Vec<String>> = publish
                .columns
                .as_ref()
                .map(|c| c.iter().map(|i| i.name.clone()).collect());
            let have = built.published.get(&(t.name.clone(), target.clone()));
            if have.is_some_and(|(cols, _)| *cols == want) {
                continue;
            }
            let list = want
                .map(|c| format!(" ({})", c.join(", ")))
                .unwrap_or_default();
            let why = if have.is_some() {
                "the feed sends other columns: a publication change breaks no running app version"
            } else {
                "the table joins the feed: a publication change breaks no running app version"
            };
            out.expand(
                Bucket::Object,
                format!("publish {} to {target}{list}", t.name),
                why.into(),
                format!("publish_{}", t.name),
            );
        }
    }
    for (table, target) in built.published.keys() {
        let Some(t) = p.table(table) else { continue };
        if t.publish.iter().any(|x| x.target.name == *target) {
            continue;
        }
        out.contract(
            Bucket::DropObject,
            format!("unpublish {table} from {target}"),
            "a table leaves the feed in the contract: the receiving side may still read what it sends until then".into(),
            format!("unpublish_{table}"),
        );
    }
}
