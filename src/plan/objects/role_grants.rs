//! Statements for the grants of workspace roles: each grant and its revoke,
//! the default privileges for the schema owner, and the write revokes of
//! global reads.
//!
//! Input: the workspace's roles and the project's objects. Output: the
//! planner's statements and undos.

use serde::Serialize;

use super::super::grant_target::GrantTarget;
use super::super::schema::{rank, Planner};
use super::super::stmt::{Key, Stmt};
use crate::ir::*;

impl Planner<'_> {
    pub(in crate::plan) fn grants(&mut self) {
        let schema = self.schema_name().to_string();
        let owner = self.owner().map(str::to_string);
        let all_objects: Vec<Key> = self
            .project
            .tables
            .iter()
            .map(|t| Key::Table(t.name.clone()))
            .chain(
                self.project
                    .views
                    .iter()
                    .map(|v| Key::Table(v.name.clone())),
            )
            .chain(
                self.project
                    .functions
                    .iter()
                    .map(|f| Key::Function(f.name.clone())),
            )
            .chain([Key::Schema])
            .collect();
        // The grants the state's history carries (all, without one).
        let roles = crate::ir::access::carried_roles(&self.ws.roles, self.project).into_owned();
        for r in &roles {
            for g in &r.grants {
                let privileges: Vec<String> = g
                    .privileges
                    .iter()
                    .map(|p| p.to_ascii_uppercase())
                    .collect();
                let (on, default_on) = match &g.on {
                    GrantOn::AllTables => (GrantTarget::all(&schema, "tables"), Some("TABLES")),
                    GrantOn::AllSequences => {
                        (GrantTarget::all(&schema, "sequences"), Some("SEQUENCES"))
                    }
                    GrantOn::AllFunctions => {
                        (GrantTarget::all(&schema, "functions"), Some("FUNCTIONS"))
                    }
                    GrantOn::Schema => (GrantTarget::schema(&schema), None),
                    GrantOn::Tables(ts) => {
                        let here: Vec<String> = ts
                            .iter()
                            .filter(|t| self.project.table(t).is_some())
                            .cloned()
                            .collect();
                        if here.is_empty() {
                            continue;
                        }
                        (GrantTarget::tables(&schema, here), None)
                    }
                };
                self.grant(r, &privileges, &on, all_objects.clone());
                if let (Some(kind), Some(owner)) = (default_on, &owner) {
                    self.default_privileges(r, owner, &schema, &privileges, kind);
                }
            }
        }
        let relations: Vec<&str> = self
            .project
            .tables
            .iter()
            .map(|t| t.name.as_str())
            .chain(self.project.views.iter().map(|v| v.name.as_str()))
            .collect();
        for revoke in super::super::global_reads::revoke_writes(
            &roles,
            self.project,
            &relations,
            &all_objects,
        ) {
            self.push(rank::GRANT, revoke);
        }
    }

    pub(in crate::plan) fn grant(
        &mut self,
        r: &Role,
        privileges: &[String],
        on: &GrantTarget,
        deps: Vec<Key>,
    ) {
        #[derive(Serialize)]
        struct Ctx<'a> {
            privileges: &'a [String],
            on: &'a GrantTarget,
            role: &'a str,
            revoke: bool,
            /// The first word of its header comment.
            verb: &'static str,
        }
        let what = on.id();
        let key = Key::Other(format!("grant {} {what} {}", privileges.join(","), r.name));
        let mut deps = deps;
        deps.push(Key::Role(r.name.clone()));
        let fwd = Ctx {
            privileges,
            on,
            role: &r.name,
            revoke: false,
            verb: "Grant",
        };
        let back = Ctx {
            revoke: true,
            verb: "Revoke",
            ..fwd
        };
        let grant = Stmt::new(
            "grant",
            format!("{} {what} {}", fwd.verb, r.name),
            &fwd,
            key.clone(),
        )
        .headed("grant");
        self.push(rank::GRANT, grant.after(deps.clone()));
        let revoke = Stmt::new(
            "grant",
            format!("{} {what} {}", back.verb, r.name),
            &back,
            key,
        )
        .headed("grant");
        self.undo(rank::GRANT, revoke.after(deps));
    }

    fn default_privileges(
        &mut self,
        r: &Role,
        owner: &str,
        schema: &str,
        privileges: &[String],
        on: &str,
    ) {
        #[derive(Serialize)]
        struct Ctx<'a> {
            owner: &'a str,
            schema: &'a str,
            privileges: &'a [String],
            on: &'a str,
            role: &'a str,
            revoke: bool,
        }
        let ctx = Ctx {
            owner,
            schema,
            privileges,
            on,
            role: &r.name,
            revoke: false,
        };
        let key = Key::Other(format!("default privileges {on} {}", r.name));
        let deps = [
            Key::Role(r.name.clone()),
            Key::Role(owner.to_string()),
            Key::Schema,
        ];
        let label = format!("DefaultPrivileges {on} {}", r.name);
        self.push(
            rank::GRANT,
            Stmt::new("default_privileges", label, &ctx, key.clone())
                .headed("default_privileges")
                .after(deps.clone()),
        );
        let back = Ctx {
            revoke: true,
            ..ctx
        };
        self.undo(
            rank::GRANT,
            Stmt::new(
                "default_privileges",
                format!("RevokeDefaultPrivileges {on} {}", r.name),
                &back,
                key,
            )
            .headed("default_privileges")
            .after(deps),
        );
    }
}
