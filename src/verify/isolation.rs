//! Cross-tenant probes on the fully deployed database.
//!
//! Input: a superuser connection, the project's final model (tenant tables,
//! tenancy settings), the roles to probe (every declared role that does not
//! own the schema: runtime and read roles) and the two orgs the seed rows
//! belong to. Output: the number of probes run and a diagnostic per leak.
//! Each probe runs in its own transaction, as the role (`SET LOCAL ROLE`),
//! with the request settings set by `set_config(…, true)`, and is rolled
//! back:
//! - reading each tenant table with org A set, with the org setting
//!   missing, empty, and set to an org that owns no rows: no row of another
//!   org may show;
//! - updating and deleting rows of another org: none may change;
//! - moving a row of org A to org B, and inserting a copy of an org B row:
//!   the policies must refuse (or change nothing);
//! - every view of the project,
//!   view read with org A set: no row of another org;
//! - every function whose arguments are all uuid, called with org B's id
//!   and with the id of an org that owns no rows, org A set: the two
//!   results must be equal, or the function tells the caller about org B.

use postgres::Client;

use super::sql;
use crate::diagnostic::{Code, Diagnostic};
use crate::ir::{AppRoles, Project, Role};

/// An org that owns no rows.
const STRANGER: &str = "0000000c-0000-4000-a000-00000000000c";
/// The user the probes act as.
const USER: &str = "000000a1-0000-4000-b000-0000000000a1";

pub struct Probed {
    pub probes: usize,
    pub leaks: Vec<Diagnostic>,
}

pub fn probe(
    client: &mut Client,
    p: &Project,
    roles: &[&Role],
    orgs: &[String; 2],
) -> Result<Probed, postgres::Error> {
    let mut out = Probed {
        probes: 0,
        leaks: Vec::new(),
    };
    let Some(tenancy) = &p.tenancy else {
        return Ok(out);
    };
    let column = tenancy.column.as_str();
    let schema = p.schema.as_str();
    let settings = |org: Option<&str>| {
        let mut s: Vec<(String, String)> = Vec::new();
        if let Some(org) = org {
            s.push((tenancy.org_setting.clone(), org.to_string()));
        }
        if let Some(u) = &tenancy.user_setting {
            s.push((u.clone(), USER.to_string()));
        }
        if let Some(AppRoles::Setting(r)) = &p.app_roles {
            s.push((r.clone(), "admin".to_string()));
        }
        s.into_iter()
            .map(|(name, value)| minijinja::context! { name, value })
            .collect::<Vec<_>>()
    };
    let (a, b) = (orgs[0].as_str(), orgs[1].as_str());
    let tables: Vec<&crate::ir::Table> =
        p.tables.iter().filter(|t| t.tenant).map(|t| &**t).collect();
    for role in roles {
        let r = role.name.as_str();
        let leak = |what: String, span| {
            Diagnostic::error(Code::TenantLeak, what)
                .at(span)
                .label("here")
                .help("every policy of a tenant table must confine rows to the current org; a view must be `security_invoker` or filter by the org setting, and a `security definer` function must not take the org from its caller")
        };
        for t in &tables {
            let name = t.name.as_str();
            // Reads: own org, missing, empty and foreign settings.
            let reads: [(&str, Option<&str>, Option<&str>); 4] = [
                ("with its org set", Some(a), Some(a)),
                ("with the org setting missing", None, None),
                ("with the org setting empty", Some(""), None),
                (
                    "with another org's id that owns no rows",
                    Some(STRANGER),
                    Some(STRANGER),
                ),
            ];
            for (how, set, own) in reads {
                out.probes += 1;
                let q = sql::render(
                    "probe_count",
                    minijinja::context! { schema, name, column, own, args => None::<Vec<String>> },
                );
                if let Some(n) = run_probe::<i64>(client, r, settings(set), &q)? {
                    if n > 0 {
                        out.leaks.push(leak(
                            format!("role `{r}` sees {n} rows of another org in `{name}` on select {how}"),
                            t.span,
                        ));
                    }
                }
            }
            for command in ["update", "delete", "move"] {
                out.probes += 1;
                let q = sql::render(
                    "probe_write",
                    minijinja::context! { schema, table => name, column, command, own => a, other => b },
                );
                if let Some(n) = run_probe::<i64>(client, r, settings(Some(a)), &q)? {
                    if n > 0 {
                        let what = match command {
                            "move" => format!(
                                "role `{r}` moved a row of `{name}` to another org on update"
                            ),
                            c => format!(
                                "role `{r}` changed {n} rows of another org in `{name}` on {c}"
                            ),
                        };
                        out.leaks.push(leak(what, t.span));
                    }
                }
            }
            out.probes += 1;
            if insert_admitted(client, p, name, column, r, settings(Some(a)), b)? {
                out.leaks.push(leak(
                    format!("role `{r}` inserted a row for another org into `{name}` on insert"),
                    t.span,
                ));
            }
        }
        for v in p.views.iter() {
            out.probes += 1;
            let q = sql::render(
                "probe_count",
                minijinja::context! { schema, name => &v.name, column, own => a, args => None::<Vec<String>> },
            );
            if let Some(n) = run_probe::<i64>(client, r, settings(Some(a)), &q)? {
                if n > 0 {
                    out.leaks.push(leak(
                        format!(
                            "role `{r}` sees {n} rows of another org through view `{}` on select",
                            v.name
                        ),
                        v.span,
                    ));
                }
            }
        }
        let fns: Vec<(String, String, i32)> = client
            .query(
                &sql::render("functions", minijinja::context! { column }),
                &[],
            )?
            .iter()
            .map(|row| (row.get(0), row.get(1), row.get(2)))
            .collect();
        for (fschema, fname, nargs) in fns {
            out.probes += 1;
            let call = |org: &str| {
                let args: Vec<&str> = (0..nargs).map(|_| org).collect();
                sql::render(
                    "probe_function",
                    minijinja::context! { schema => &fschema, name => &fname, args },
                )
            };
            let foreign = run_probe::<String>(client, r, settings(Some(a)), &call(b))?;
            let nobody = run_probe::<String>(client, r, settings(Some(a)), &call(STRANGER))?;
            if foreign != nobody {
                let span = p
                    .functions
                    .iter()
                    .find(|f| f.name.eq_ignore_ascii_case(&fname))
                    .map_or(p.span, |f| f.span);
                out.leaks.push(leak(
                    format!("role `{r}` calling function `{fname}` with another org's id gets that org's data (its result differs from the one for an org without rows)"),
                    span,
                ));
            }
        }
    }
    Ok(out)
}

/// The first value the probe returns, as `role` with `settings`, in a
/// transaction rolled back afterwards; `None` when the server refused the
/// probe (no privilege, a policy error): the role saw and changed nothing.
fn run_probe<T: postgres::types::FromSqlOwned>(
    client: &mut Client,
    role: &str,
    settings: Vec<minijinja::Value>,
    query: &str,
) -> Result<Option<T>, postgres::Error> {
    let mut tx = client.transaction()?;
    tx.batch_execute(&sql::render(
        "probe_setup",
        minijinja::context! { role, settings },
    ))?;
    let got = match tx.query_one(query, &[]) {
        Ok(row) => Some(row.get::<_, T>(0)),
        Err(e) if e.as_db_error().is_some() => None,
        Err(e) => return Err(e),
    };
    tx.rollback()?;
    Ok(got)
}

/// Whether `role` could write a copy of another org's row: the insert
/// succeeded, or failed only after the row-level checks passed (a unique
/// or foreign key violation).
fn insert_admitted(
    client: &mut Client,
    p: &Project,
    table: &str,
    column: &str,
    role: &str,
    settings: Vec<minijinja::Value>,
    other: &str,
) -> Result<bool, postgres::Error> {
    let schema = p.schema.as_str();
    let Some(t) = p.table(table) else {
        return Ok(false);
    };
    // The columns the app writes: no default of their own, and the org.
    let columns: Vec<&str> = t
        .columns
        .iter()
        .filter(|c| c.default.is_none() && !c.identity && c.generated.is_none())
        .filter(|c| !t.primary_key.contains(&c.name) || c.name == column)
        .map(|c| c.name.as_str())
        .collect();
    let mut tx = client.transaction()?;
    let prepare = sql::render(
        "probe_insert",
        minijinja::context! { schema, table, column, other, role, prepare => true, columns => &columns },
    );
    tx.batch_execute(&prepare)?;
    tx.batch_execute(&sql::render(
        "probe_setup",
        minijinja::context! { role, settings },
    ))?;
    let insert = sql::render(
        "probe_insert",
        minijinja::context! { schema, table, column, other, role, prepare => false, columns => &columns },
    );
    let admitted = match tx.execute(&insert, &[]) {
        Ok(n) => n > 0,
        Err(e) => e.as_db_error().is_some_and(|d| {
            let code = d.code().code();
            code == "23505" || code == "23503"
        }),
    };
    tx.rollback()?;
    Ok(admitted)
}
