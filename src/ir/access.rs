//! Extensions and role grants as a migration history carries them, and
//! the role grants a schema state holds.
//!
//! Input: the `create extension`, `drop extension`, `grant` and `revoke`
//! steps of a history (see `lower::replay_access`), and the declared roles.
//! Output: [`Access`], the extensions and grant atoms the history leaves
//! in place; [`declared_grants`], the atoms a project's declarations ask
//! for; [`carried_roles`], the workspace roles with only the grants a
//! state's history carries (and, once it names them, only the `reads`),
//! which the planner builds that state from.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use super::{GrantOn, Project, Role, RoleGrant};
use crate::span::Span;

/// One privilege of one role on one target.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GrantAtom {
    pub role: String,
    /// `tables`, `sequences`, `functions`, `schema`, or `table NAME`.
    pub on: String,
    /// Lower case; `all` stands for itself.
    pub privilege: String,
}

/// What a history leaves in place.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Access {
    /// Extensions by name, with the step that created each.
    pub extensions: BTreeMap<String, Span>,
    /// Grant atoms, with the step that last granted each.
    pub grants: BTreeMap<GrantAtom, Span>,
    /// Whether the history names its grants: its first migration has a
    /// `grant` or `revoke` step. A history whose first migration names
    /// none was written before histories carried grants; its first
    /// migration holds the declared grants, as sluice always built it.
    pub explicit_grants: bool,
    /// `reads` by role and classification name (`pii`, `phi`), with the
    /// step that last granted each (see [`super::reads`]).
    pub reads: BTreeMap<(String, String), Span>,
    /// Whether the history names its roles' `reads`: its first migration
    /// has a `grant reads` or `revoke reads` step. Otherwise the roles
    /// read what they declare in every state, as sluice always built it.
    pub explicit_reads: bool,
    /// The feed: by table and target project, the columns a `publish to`
    /// lists (`None`: every column it may send), with the step that
    /// published it last (see `lower::replay_feed`).
    pub published: BTreeMap<(String, String), Published>,
    /// The tables the history receives from other projects' feeds, by
    /// source project and table, with the `receive` step of each (see
    /// `lower::replay_receive`).
    pub received: BTreeMap<(String, String), Span>,
    /// Whether the history's first migration names a `receive` step.
    /// Otherwise it was written before histories carried them: it
    /// receives every declared feed but [`Access::received_later`].
    pub explicit_receives: bool,
    /// In a history whose first migration names no `receive` step, the
    /// tables a later `receive` step receives.
    pub received_later: BTreeSet<(String, String)>,
}

/// The columns a `publish to` lists (`None`: every column it may send),
/// and the step that published it last.
pub type Published = (Option<Vec<String>>, Span);

impl Access {
    /// Whether the state holds the table `table` that `source` publishes
    /// to its project.
    pub fn receives(&self, source: &str, table: &str) -> bool {
        let key = (source.to_string(), table.to_string());
        self.received.contains_key(&key)
            || (!self.explicit_receives && !self.received_later.contains(&key))
    }

    /// Table `from` renamed to `to`: its grants follow it, as PostgreSQL's
    /// belong to the table, not its name.
    pub fn rename_table(&mut self, from: &str, to: &str) {
        let (from, to) = (format!("table {from}"), format!("table {to}"));
        let moved: Vec<(GrantAtom, Span)> = self
            .grants
            .iter()
            .filter(|(a, _)| a.on == from)
            .map(|(a, s)| (a.clone(), *s))
            .collect();
        for (mut atom, s) in moved {
            self.grants.remove(&atom);
            atom.on = to.clone();
            self.grants.insert(atom, s);
        }
    }
}

/// The target text of a declared grant (`tables`, `table notes`, …), one
/// per table for `on table a, b`.
pub fn targets(on: &GrantOn) -> Vec<String> {
    match on {
        GrantOn::AllTables => vec!["tables".into()],
        GrantOn::AllSequences => vec!["sequences".into()],
        GrantOn::AllFunctions => vec!["functions".into()],
        GrantOn::Schema => vec!["schema".into()],
        GrantOn::Tables(ts) => ts.iter().map(|t| format!("table {t}")).collect(),
    }
}

/// The atoms the declared roles grant in project `p` (a grant on a table
/// the project lacks is another project's), each with its grant's span.
pub fn declared_grants(roles: &[Role], p: &Project) -> BTreeMap<GrantAtom, Span> {
    let mut out = BTreeMap::new();
    for r in roles {
        for g in &r.grants {
            for on in targets(&g.on) {
                let here = on
                    .strip_prefix("table ")
                    .is_none_or(|t| p.table(t).is_some());
                if !here {
                    continue;
                }
                for privilege in &g.privileges {
                    let atom = GrantAtom {
                        role: r.name.clone(),
                        on: on.clone(),
                        privilege: privilege.clone(),
                    };
                    out.entry(atom).or_insert(g.span);
                }
            }
        }
    }
    out
}

/// The roles as the state `p` holds them: without a history that names
/// its grants, as declared; otherwise each declared grant keeps only the
/// privileges (and tables) the history has granted by then, and what the
/// history grants beyond the declarations (a grant a later step revokes)
/// follows as grants of their own.
pub fn carried_roles<'a>(roles: &'a [Role], p: &Project) -> Cow<'a, [Role]> {
    let granted = carried_grants(roles, p);
    match p.replayed_access.as_ref().filter(|a| a.explicit_reads) {
        Some(access) => Cow::Owned(super::reads::carried(granted.into_owned(), &access.reads)),
        None => granted,
    }
}

/// [`carried_roles`] for the grants alone.
fn carried_grants<'a>(roles: &'a [Role], p: &Project) -> Cow<'a, [Role]> {
    let Some(access) = p.replayed_access.as_ref().filter(|a| a.explicit_grants) else {
        return Cow::Borrowed(roles);
    };
    let carried = |role: &str, on: &str, privilege: &str| {
        access.grants.contains_key(&GrantAtom {
            role: role.to_string(),
            on: on.to_string(),
            privilege: privilege.to_string(),
        })
    };
    let keep = |r: &Role, g: &RoleGrant| -> Vec<RoleGrant> {
        let all_carried = targets(&g.on)
            .iter()
            .all(|on| g.privileges.iter().all(|pr| carried(&r.name, on, pr)));
        if all_carried {
            return vec![g.clone()];
        }
        // Split per target: each keeps the privileges carried on it.
        let mut out = Vec::new();
        for on in targets(&g.on) {
            let privileges: Vec<String> = g
                .privileges
                .iter()
                .filter(|pr| carried(&r.name, &on, pr))
                .cloned()
                .collect();
            if !privileges.is_empty() {
                out.push(RoleGrant {
                    privileges,
                    on: grant_on(&on).unwrap_or_else(|| g.on.clone()),
                    ..g.clone()
                });
            }
        }
        out
    };
    let filtered: Vec<Role> = roles
        .iter()
        .map(|r| {
            let mut grants: Vec<RoleGrant> = r.grants.iter().flat_map(|g| keep(r, g)).collect();
            grants.extend(undeclared(r, access));
            Role {
                grants,
                ..r.clone()
            }
        })
        .collect();
    Cow::Owned(filtered)
}

/// What the history grants role `r` that none of its declared grants
/// names, one grant per target.
fn undeclared(r: &Role, access: &Access) -> Vec<RoleGrant> {
    let declared = |on: &str, privilege: &str| {
        r.grants.iter().any(|g| {
            g.privileges.iter().any(|p| p == privilege) && targets(&g.on).iter().any(|t| t == on)
        })
    };
    let mut by_target: BTreeMap<&str, (Vec<String>, Span)> = BTreeMap::new();
    for (a, span) in &access.grants {
        if a.role == r.name && !declared(&a.on, &a.privilege) {
            let e = by_target.entry(&a.on).or_insert((Vec::new(), *span));
            e.0.push(a.privilege.clone());
        }
    }
    by_target
        .into_iter()
        .filter_map(|(on, (privileges, span))| {
            Some(RoleGrant {
                privileges,
                on: grant_on(on)?,
                reason: None,
                span,
            })
        })
        .collect()
}

/// The declared form of a target text.
fn grant_on(on: &str) -> Option<GrantOn> {
    Some(match on {
        "tables" => GrantOn::AllTables,
        "sequences" => GrantOn::AllSequences,
        "functions" => GrantOn::AllFunctions,
        "schema" => GrantOn::Schema,
        _ => GrantOn::Tables(vec![on.strip_prefix("table ")?.to_string()]),
    })
}
