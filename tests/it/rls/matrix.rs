//! The caller matrix (callers × org A rows × commands, expected from the
//! IR policies, three-valued) and the check that a permissive `sql(...)`
//! policy does not get past the restrictive tenant policy.

use super::*;

impl Env<'_> {
    /// Every persona × org A row × command whose outcome the IR policies
    /// predict.
    pub(super) fn matrix(
        &mut self,
        client: &mut Client,
        role: &str,
        ti: usize,
        personas: &[Persona],
    ) {
        let p = self.p;
        let t = &p.tables[ti];
        let name = t.name.clone();
        let table = self.qualified(&t.name);
        let org = ident(&self.org_col);
        // Without an owner column the two org A rows are alike.
        let rows: Vec<Row> = self.rows[ti][..if t.owner.is_some() { B_ROW } else { 1 }].to_vec();
        for r in &rows {
            let key = self.key_of(ti, r);
            let row_owner = KINDS[r.kind].1;
            for w in personas {
                for cmd in COMMANDS {
                    let expected = match cmd {
                        Command::Insert => admits_new_owned(t, role, w, row_owner),
                        _ => admits_row(t, role, cmd, w, r),
                    };
                    let Some(allowed) = expected else { continue };
                    let stmt = match cmd {
                        Command::Select => {
                            Stmt::Count(format!("SELECT count(*) FROM {table} WHERE {key}"))
                        }
                        Command::Insert => {
                            let new = self.new_row(ti, r.kind, ORG_A, row_owner);
                            Stmt::Write(self.insert_sql(ti, &new))
                        }
                        Command::Update => {
                            Stmt::Write(format!("UPDATE {table} SET {org} = {org} WHERE {key}"))
                        }
                        Command::Delete => Stmt::Write(format!("DELETE FROM {table} WHERE {key}")),
                        Command::All => unreachable!(),
                    };
                    let verdict = if allowed { "allowed" } else { "refused" };
                    let kind = format!("matrix: {} {verdict}", cmd.as_str());
                    let probe = format!(
                        "{kind} for {} on the row owned by {}",
                        w.name,
                        if row_owner == UA { "UA" } else { "UA2" }
                    );
                    self.probes.count(&kind);
                    let got = self.run(client, &Session::of(w, Org::Id(ORG_A)), &stmt);
                    let ok = match (cmd, allowed) {
                        (Command::Insert, true) => matches!(got, Outcome::Rows(1)),
                        (Command::Insert, false) => got.rls_violation(),
                        (Command::Update, false) => {
                            matches!(got, Outcome::Rows(0)) || got.rls_violation()
                        }
                        (_, true) => matches!(got, Outcome::Rows(1)),
                        (_, false) => matches!(got, Outcome::Rows(0)),
                    };
                    if !ok {
                        let s = Session::of(w, Org::Id(ORG_A));
                        self.fail(role, &name, &probe, &s, &stmt, &got.to_string());
                    }
                    if allowed {
                        continue;
                    }
                    // Tags for the cases the issue names.
                    let predict = |p: &Persona| match cmd {
                        Command::Insert => admits_new_owned(t, role, p, row_owner),
                        _ => admits_row(t, role, cmd, p, r),
                    };
                    let owner_persona = if row_owner == UA { OWNER } else { OTHER_USER };
                    if w.role.is_none()
                        && w.grant.is_none()
                        && w.user != row_owner
                        && predict(&owner_persona) == Some(true)
                    {
                        self.probes
                            .tag("owner-only command refused to a non-owner without the role");
                    }
                    if w.name == VIEWER.name && cmd == Command::Delete {
                        self.probes.tag("viewer deletes nothing");
                    }
                    if predict(&ADMIN) == Some(true) {
                        if w.name == OTHER_APP_ADMIN.name {
                            self.probes.tag("admin of another app refused");
                        }
                        if w.name == OTHER_ORG_ADMIN.name {
                            self.probes.tag("admin of another org refused");
                        }
                    }
                }
            }
        }
    }

    /// Where a permissive `sql(...)` policy admits org B's row to a caller
    /// in org B, that caller in org A must not reach it.
    pub(super) fn sql_policies_cannot_bypass(
        &mut self,
        client: &mut Client,
        role: &str,
        ti: usize,
    ) {
        let p = self.p;
        let t = &p.tables[ti];
        let name = t.name.clone();
        let table = self.qualified(&t.name);
        let org = ident(&self.org_col);
        let b = self.rows[ti][B_ROW].clone();
        let key = self.key_of(ti, &b);
        // Users a sql(...) predicate may compare with: org B's owner, and
        // every uuid in the row (its id, its parents' ids).
        let mut users = vec![UB.to_string()];
        users.extend(b.uuids.iter().cloned());
        for cmd in [Command::Select, Command::Update, Command::Delete] {
            let has_sql = applicable(t, role, cmd)
                .any(|p| contains_sql(&p.using) || p.check.as_ref().is_some_and(contains_sql));
            if !has_sql {
                continue;
            }
            let stmt = match cmd {
                Command::Select => Stmt::Count(format!("SELECT count(*) FROM {table} WHERE {key}")),
                Command::Update => {
                    Stmt::Write(format!("UPDATE {table} SET {org} = {org} WHERE {key}"))
                }
                _ => Stmt::Write(format!("DELETE FROM {table} WHERE {key}")),
            };
            for user in &users {
                let home = Session {
                    org: Org::Id(ORG_B),
                    user: Some(user.clone()),
                    app_role: None,
                };
                if !matches!(self.run(client, &home, &stmt), Outcome::Rows(1)) {
                    continue;
                }
                // Admitted at home: the permissive policy is true for this
                // row and caller. From org A, the tenant policy must win.
                let away = Session {
                    org: Org::Id(ORG_A),
                    user: Some(user.clone()),
                    app_role: None,
                };
                self.probe(
                    client,
                    role,
                    &name,
                    "permissive sql(...) policy cannot bypass the tenant policy",
                    &away,
                    &stmt,
                    |o| matches!(o, Outcome::Rows(0)) || o.rls_violation(),
                );
            }
        }
    }
}

// ─── what the IR policies predict ───

/// The permissive policies of `t` for `cmd` that apply to `role`.
fn applicable<'t>(
    t: &'t Table,
    role: &'t str,
    cmd: Command,
) -> impl Iterator<Item = &'t sluice::ir::Policy> + 't {
    t.policies.iter().filter(move |p| {
        (p.commands.contains(&cmd) || p.commands.contains(&Command::All))
            && (p.roles.is_empty() || p.roles.iter().any(|r| r == role || r == "public"))
    })
}

fn contains_sql(p: &Pred) -> bool {
    match p {
        Pred::Or(ps, _) | Pred::And(ps, _) => ps.iter().any(contains_sql),
        Pred::Not(q, _) => contains_sql(q),
        Pred::Sql(_) => true,
        _ => false,
    }
}

/// Three-valued: `None` when a `sql(...)` predicate decides.
fn eval(p: &Pred, w: &Persona, row_owner: Option<&str>) -> Option<bool> {
    match p {
        Pred::Or(ps, _) => {
            let vs: Vec<Option<bool>> = ps.iter().map(|q| eval(q, w, row_owner)).collect();
            if vs.contains(&Some(true)) {
                Some(true)
            } else if vs.iter().all(|v| *v == Some(false)) {
                Some(false)
            } else {
                None
            }
        }
        Pred::And(ps, _) => {
            let vs: Vec<Option<bool>> = ps.iter().map(|q| eval(q, w, row_owner)).collect();
            if vs.contains(&Some(false)) {
                Some(false)
            } else if vs.iter().all(|v| *v == Some(true)) {
                Some(true)
            } else {
                None
            }
        }
        Pred::Not(q, _) => eval(q, w, row_owner).map(|v| !v),
        Pred::Role(names, _) => Some(w.role.is_some_and(|r| names.iter().any(|n| n.name == r))),
        Pred::Sql(_) => None,
        Pred::Owner(_) => Some(row_owner == Some(w.user)),
        // Probes evaluate org A rows with org A set.
        Pred::Tenant(_) => Some(true),
        Pred::Bool(b, _) => Some(*b),
    }
}

/// OR over the applicable policies (USING, or WITH CHECK).
fn any_policy(
    t: &Table,
    role: &str,
    cmd: Command,
    w: &Persona,
    owner: Option<&str>,
    check: bool,
) -> Option<bool> {
    let mut result = Some(false);
    for p in applicable(t, role, cmd) {
        let pred = if check {
            p.check.as_ref().unwrap_or(&p.using)
        } else {
            &p.using
        };
        match eval(pred, w, owner) {
            Some(true) => return Some(true),
            Some(false) => {}
            None => result = None,
        }
    }
    result
}

fn and(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

/// What PostgreSQL applies to a seeded org A row: SELECT policies for
/// every command with a WHERE clause, plus the command's own (and, for
/// `UPDATE … SET org = org`, its WITH CHECK on the unchanged row).
pub(super) fn admits_row(
    t: &Table,
    role: &str,
    cmd: Command,
    w: &Persona,
    r: &Row,
) -> Option<bool> {
    let owner = t.owner.as_ref().map(|_| KINDS[r.kind].1);
    let select = any_policy(t, role, Command::Select, w, owner, false);
    match cmd {
        Command::Select => select,
        Command::Update => and(
            select,
            and(
                any_policy(t, role, cmd, w, owner, false),
                any_policy(t, role, cmd, w, owner, true),
            ),
        ),
        Command::Delete => and(select, any_policy(t, role, cmd, w, owner, false)),
        Command::Insert | Command::All => unreachable!(),
    }
}

/// INSERT (no RETURNING) of a new org A row owned by `owner`: WITH CHECK
/// of the insert policies only.
fn admits_new_owned(t: &Table, role: &str, w: &Persona, owner: &str) -> Option<bool> {
    let owner = t.owner.as_ref().map(|_| owner);
    any_policy(t, role, Command::Insert, w, owner, true)
}

/// INSERT of a new org A row owned by the caller.
pub(super) fn admits_own_new(t: &Table, role: &str, w: &Persona) -> Option<bool> {
    admits_new_owned(t, role, w, w.user)
}
