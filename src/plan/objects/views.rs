//! Statements for views: create and drop (in dependency order), owner and
//! comment.
//!
//! Input: the project's views. Output: the planner's statements and undos.

use serde::Serialize;

use super::super::schema::{rank, Planner};
use super::super::stmt::{Key, Stmt};
use super::super::target::Target;
use super::ends_in_comment;
use crate::ir::*;

impl Planner<'_> {
    pub(in crate::plan) fn views(&mut self) {
        let schema = self.schema_name().to_string();
        let mut deps = self.all_tables();
        deps.extend(
            self.project
                .functions
                .iter()
                .map(|f| Key::Function(f.name.clone())),
        );
        let views: Vec<&View> = self.project.views.iter().collect();
        for v in &views {
            #[derive(Serialize)]
            struct Ctx<'a> {
                schema: &'a str,
                name: &'a str,
                materialized: bool,
                security_invoker: bool,
                query: &'a str,
                /// Its last line holds a `--` comment: `;` goes on a line
                /// of its own, or the comment would swallow it.
                ends_in_comment: bool,
            }
            let ctx = Ctx {
                schema: &schema,
                name: &v.name,
                materialized: v.materialized,
                security_invoker: v.security_invoker,
                query: v.query.text.trim(),
                ends_in_comment: ends_in_comment(&v.query.text),
            };
            // A view may read views declared before it.
            let mut vdeps = deps.clone();
            let lower = v.query.text.to_ascii_lowercase();
            vdeps.extend(
                views
                    .iter()
                    .filter(|o| o.name != v.name && lower.contains(&o.name.to_ascii_lowercase()))
                    .map(|o| Key::Table(o.name.clone())),
            );
            let key = Key::Table(v.name.clone());
            self.push(
                rank::VIEW,
                Stmt::new(
                    "create_view",
                    format!("CreateView {}", v.name),
                    &ctx,
                    key.clone(),
                )
                .after(vdeps.clone()),
            );
            let kind = if v.materialized {
                "MATERIALIZED VIEW"
            } else {
                "VIEW"
            };
            self.set_owner(
                kind,
                Target::relation(&schema, &v.name),
                &v.name,
                key.clone(),
            );
            self.undo(
                rank::VIEW,
                Stmt::new("drop_view", format!("DropView {}", v.name), &ctx, key).after(vdeps),
            );
            if let Some(c) = &v.comment {
                let target = Target::relation(&schema, &v.name);
                let kind = if v.materialized {
                    "MATERIALIZED VIEW"
                } else {
                    "VIEW"
                };
                self.comment(kind, target, c.clone(), Key::Table(v.name.clone()));
            }
        }
    }
}
