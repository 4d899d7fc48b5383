//! Objects the DSL declares only in part, kept as raw SQL: the partitions
//! of a table partitioned by range or list (the DSL declares the parent and
//! its key, not the bounds of each partition), deferrable constraints, the
//! name of a primary key not called `<table>_pkey`, row-level security
//! enabled or forced otherwise than sluice does it, and
//! default privileges that no role's grant implies.
//!
//! Input: a [`Catalog`] and its [`Conventions`]. Output: [`Kept`] objects,
//! each one statement rendered from a template.

use serde::Serialize;

use super::catalog::{Catalog, Constraint};
use super::objects::{role_lines, Kept, TABLE_PRIVILEGES};
use super::recognise::Conventions;

/// Every partition of a table partitioned other than by hash.
pub fn partitions(c: &Catalog) -> Vec<Kept> {
    #[derive(Serialize)]
    struct Ctx<'a> {
        schema: &'a str,
        name: &'a str,
        parent: &'a str,
        bound: &'a str,
    }
    let mut kept = Vec::new();
    for t in &c.tables {
        let Some(key) = &t.partition_key else {
            continue;
        };
        if key.to_ascii_uppercase().starts_with("HASH") {
            continue;
        }
        for p in c.partitions.iter().filter(|p| p.parent == t.name) {
            let ctx = Ctx {
                schema: &c.schema,
                name: &p.name,
                parent: &p.parent,
                bound: &p.bound,
            };
            kept.push(Kept {
                kind: "partition",
                name: format!("{} of {}", p.name, p.parent),
                sql: render("create_partition_of", &ctx, &p.name),
            });
        }
    }
    kept
}

/// A primary key named otherwise than `<table>_pkey`, the only name sluice
/// gives one: renamed after the table is created.
pub fn primary_key_names(c: &Catalog) -> Vec<Kept> {
    #[derive(Serialize)]
    struct Ctx<'a> {
        schema: &'a str,
        table: &'a str,
        from: String,
        to: &'a str,
    }
    let mut kept = Vec::new();
    for t in &c.tables {
        let from = format!("{}_pkey", t.name);
        for k in t
            .constraints
            .iter()
            .filter(|k| k.kind == "p" && k.name != from)
        {
            let ctx = Ctx {
                schema: &c.schema,
                table: &t.name,
                from: from.clone(),
                to: &k.name,
            };
            kept.push(Kept {
                kind: "primary key name",
                name: format!("{} on {}", k.name, t.name),
                sql: render("rename_constraint", &ctx, &k.name),
            });
        }
    }
    kept
}

/// Row-level security as the catalog has it, where it differs from what
/// sluice gives a table: enabled and forced exactly when it has policies.
pub fn row_level_security(c: &Catalog) -> Vec<Kept> {
    #[derive(Serialize)]
    struct Ctx<'a> {
        schema: &'a str,
        table: &'a str,
        mode: &'static str,
    }
    let mut kept = Vec::new();
    for t in &c.tables {
        let sluice = !t.policies.is_empty();
        let modes = [
            (t.rls != sluice).then_some(if t.rls { "ENABLE" } else { "DISABLE" }),
            (t.force_rls != sluice).then_some(if t.force_rls { "FORCE" } else { "NO FORCE" }),
        ];
        for mode in modes.into_iter().flatten() {
            let ctx = Ctx {
                schema: &c.schema,
                table: &t.name,
                mode,
            };
            kept.push(Kept {
                kind: "row level security",
                name: format!("{} on {}", mode.to_ascii_lowercase(), t.name),
                sql: render("enable_rls", &ctx, &t.name),
            });
        }
    }
    kept
}

/// Whether a constraint is deferrable: the DSL cannot say so, the table
/// declaration leaves it out and [`deferrable_constraints`] keeps it.
pub fn is_deferrable(k: &Constraint) -> bool {
    k.definition.contains(" DEFERRABLE")
}

/// Every deferrable constraint, added as the catalog defines it.
pub fn deferrable_constraints(c: &Catalog) -> Vec<Kept> {
    #[derive(Serialize)]
    struct Ctx<'a> {
        schema: &'a str,
        table: &'a str,
        name: &'a str,
        definition: &'a str,
    }
    let mut kept = Vec::new();
    for t in &c.tables {
        for k in t.constraints.iter().filter(|k| is_deferrable(k)) {
            let ctx = Ctx {
                schema: &c.schema,
                table: &t.name,
                name: &k.name,
                definition: &k.definition,
            };
            kept.push(Kept {
                kind: "deferrable constraint",
                name: format!("{} on {}", k.name, t.name),
                sql: render("add_constraint_as_defined", &ctx, &k.name),
            });
        }
    }
    kept
}

/// The default privileges that the declared roles do not imply: sluice
/// grants by default, for the schema owner, what a role's `grant … on
/// tables` or `grant execute on functions` grants.
pub fn default_privileges(c: &Catalog, conv: &Conventions) -> Vec<Kept> {
    #[derive(Serialize)]
    struct Ctx<'a> {
        owner: &'a str,
        schema: Option<&'a str>,
        privileges: Vec<String>,
        on: &'a str,
        role: &'a str,
        revoke: bool,
    }
    let implied = implied(c, conv);
    // (creator, in schema, kind, grantee) → privileges, in catalog order.
    type Group<'a> = ((&'a str, bool, &'a str, &'a str), Vec<String>);
    let mut groups: Vec<Group> = Vec::new();
    for d in &c.default_privileges {
        let entry = (
            d.creator.as_str(),
            d.object_kind.as_str(),
            d.grantee.as_str(),
            d.privilege.as_str(),
        );
        // An entry for every schema holds the creator's own privileges too:
        // those are the defaults, not grants.
        if implied.contains(&entry) || (!d.in_schema && d.creator == d.grantee) {
            continue;
        }
        let key = (
            d.creator.as_str(),
            d.in_schema,
            d.object_kind.as_str(),
            d.grantee.as_str(),
        );
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, p)) => p.push(d.privilege.to_ascii_uppercase()),
            None => groups.push((key, vec![d.privilege.to_ascii_uppercase()])),
        }
    }
    groups
        .into_iter()
        .filter_map(|((creator, in_schema, kind, grantee), privileges)| {
            let on = match kind {
                "r" => "TABLES",
                "S" => "SEQUENCES",
                "f" => "FUNCTIONS",
                "T" => "TYPES",
                "n" => "SCHEMAS",
                _ => return None,
            };
            let ctx = Ctx {
                owner: creator,
                schema: in_schema.then_some(c.schema.as_str()),
                privileges,
                on,
                role: grantee,
                revoke: false,
            };
            let scope = if in_schema {
                "in the schema"
            } else {
                "everywhere"
            };
            Some(Kept {
                kind: "default privileges",
                name: format!(
                    "on {} for {creator} to {grantee} {scope}",
                    on.to_ascii_lowercase()
                ),
                sql: render("default_privileges", &ctx, grantee),
            })
        })
        .collect()
}

/// (creator, kind, grantee, privilege) of each default privilege the
/// declarations give: `FOR ROLE` the schema owner, `IN SCHEMA` the schema.
fn implied<'a>(c: &'a Catalog, conv: &Conventions) -> Vec<(&'a str, &'a str, &'a str, &'a str)> {
    let Some(owner) = conv.schema_owner.as_deref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for d in c.default_privileges.iter().filter(|d| d.in_schema) {
        if d.creator != owner {
            continue;
        }
        let Some(r) = c.roles.iter().find(|r| r.name == d.grantee) else {
            continue;
        };
        let given = role_lines(c, r, conv).iter().any(|l| {
            match (d.object_kind.as_str(), l.strip_prefix("grant ")) {
                ("r", Some(rest)) => rest.strip_suffix(" on tables").is_some_and(|p| {
                    (p == "all" && TABLE_PRIVILEGES.contains(&d.privilege.as_str()))
                        || p.split(", ").any(|p| p == d.privilege)
                }),
                ("f", Some(rest)) => rest == "execute on functions" && d.privilege == "execute",
                _ => false,
            }
        });
        if given {
            out.push((
                d.creator.as_str(),
                d.object_kind.as_str(),
                d.grantee.as_str(),
                d.privilege.as_str(),
            ));
        }
    }
    out
}

/// One statement through its template, without the label comment.
fn render(template: &'static str, ctx: &impl Serialize, name: &str) -> String {
    let stmt = crate::plan::Stmt::new(template, "", ctx, crate::plan::Key::Other(name.to_string()));
    crate::render::statement(&stmt)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n")
}
