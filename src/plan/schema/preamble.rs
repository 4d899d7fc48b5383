//! The objects a project's tables need first: its roles, its schema (and,
//! before PostgreSQL 15, `public` closed to other roles), its extensions
//! and its enums.
//!
//! Input: the [`Planner`]'s workspace and project. Output: statements
//! pushed onto it (forward and undo).

use serde::Serialize;

use super::{rank, Planner};
use crate::plan::stmt::{Key, Stmt};

impl Planner<'_> {
    pub(super) fn roles(&mut self) {
        for r in &self.ws.roles {
            #[derive(Serialize)]
            struct Ctx<'a> {
                name: &'a str,
                login: bool,
                connection_limit: i64,
            }
            let ctx = Ctx {
                name: &r.name,
                login: r.login,
                connection_limit: r.connection_limit.map_or(-1, |n| n as i64),
            };
            let key = Key::Role(r.name.clone());
            self.push(
                rank::ROLE,
                Stmt::new(
                    "create_role",
                    format!("CreateRole {}", r.name),
                    &ctx,
                    key.clone(),
                ),
            );
            self.undo(
                rank::ROLE,
                Stmt::new("drop_role", format!("DropRole {}", r.name), &ctx, key),
            );
        }
    }

    pub(super) fn schema(&mut self) {
        #[derive(Serialize)]
        struct Ctx<'a> {
            schema: &'a str,
            owner: Option<&'a str>,
            existing: bool,
            /// Before PostgreSQL 15, `public` belongs to the bootstrap
            /// superuser, not to `pg_database_owner`.
            owner_is_bootstrap: bool,
        }
        let owner = self.owner();
        let existing = self.schema_name() == "public";
        if existing && owner.is_none() {
            return;
        }
        let ctx = Ctx {
            schema: self.schema_name(),
            owner,
            existing,
            owner_is_bootstrap: self.project.postgres < 15,
        };
        let deps: Vec<Key> = owner
            .map(|o| Key::Role(o.to_string()))
            .into_iter()
            .collect();
        let label = if existing {
            "AlterSchemaOwner"
        } else {
            "CreateSchema"
        };
        let fwd = Stmt::new(
            "create_schema",
            format!("{label} {}", ctx.schema),
            &ctx,
            Key::Schema,
        )
        .after(deps.clone());
        let back = Stmt::new(
            "drop_schema",
            format!("DropSchema {}", ctx.schema),
            &ctx,
            Key::Schema,
        )
        .after(deps);
        self.push(rank::SCHEMA, fwd);
        self.undo(rank::SCHEMA, back);
        if existing && ctx.owner_is_bootstrap {
            // Before 15, every role may create objects in `public`: close
            // it, so a runtime role cannot plant tables or functions there.
            for revoke in [true, false] {
                #[derive(Serialize)]
                struct Public<'a> {
                    schema: &'a str,
                    revoke: bool,
                }
                let stmt = Stmt::new(
                    "public_create",
                    format!("PublicCreate {} {revoke}", ctx.schema),
                    Public {
                        schema: ctx.schema,
                        revoke,
                    },
                    Key::Schema,
                );
                if revoke {
                    self.push(rank::SCHEMA, stmt);
                } else {
                    self.undo(rank::SCHEMA, stmt);
                }
            }
        }
    }

    pub(super) fn extensions(&mut self) {
        for e in &self.project.extensions {
            #[derive(Serialize)]
            struct Ctx<'a> {
                name: &'a str,
                schema: Option<&'a str>,
                version: Option<&'a str>,
            }
            // Extension objects go to `public` unless said otherwise, not to
            // the first schema of the search path.
            let ctx = Ctx {
                name: &e.name,
                schema: Some(e.schema.as_deref().unwrap_or("public")),
                version: e.version.as_deref(),
            };
            let key = Key::Extension(e.name.clone());
            self.push(
                rank::EXTENSION,
                Stmt::new(
                    "create_extension",
                    format!("CreateExtension {}", e.name),
                    &ctx,
                    key.clone(),
                )
                .after([Key::Schema]),
            );
            self.undo(
                rank::EXTENSION,
                Stmt::new(
                    "drop_extension",
                    format!("DropExtension {}", e.name),
                    &ctx,
                    key,
                )
                .after([Key::Schema]),
            );
        }
    }

    pub(super) fn enums(&mut self) {
        for e in &self.project.enums {
            #[derive(Serialize)]
            struct Ctx<'a> {
                schema: &'a str,
                name: &'a str,
                values: &'a [String],
            }
            let ctx = Ctx {
                schema: self.schema_name(),
                name: &e.name,
                values: &e.values,
            };
            let key = Key::Type(e.name.clone());
            self.push(
                rank::TYPE,
                Stmt::new(
                    "create_enum",
                    format!("CreateEnum {}", e.name),
                    &ctx,
                    key.clone(),
                )
                .after([Key::Schema]),
            );
            self.undo(
                rank::TYPE,
                Stmt::new("drop_type", format!("DropEnum {}", e.name), &ctx, key)
                    .after([Key::Schema]),
            );
        }
    }
}
