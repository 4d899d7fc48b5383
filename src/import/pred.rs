//! Policy expressions, as PostgreSQL prints them, back into DSL predicates.
//!
//! Input: a deparsed `USING` / `WITH CHECK` expression and what the table
//! and project recognise (tenant column, owner column, settings). Output: a
//! predicate of `tenant`, `owner`, `role(…)`, `true`, `false` and `sql(…)`
//! joined with `and` / `or`, whose SQL PostgreSQL parses to the same tree.

use super::recognise::{setting_comparison, strip_parens};
use super::text::{is_ident, one_line};

pub struct PredCx<'a> {
    pub tenant: Option<(&'a str, &'a str)>,
    pub owner: Option<(&'a str, &'a str)>,
    pub app_roles_setting: Option<&'a str>,
}

pub fn pred(expr: &str, cx: &PredCx) -> String {
    let e = strip_parens(expr);
    let ors = split_top(e, " OR ");
    if ors.len() > 1 {
        return ors
            .iter()
            .map(|p| group(p, cx, true))
            .collect::<Vec<_>>()
            .join(" or ");
    }
    let ands = split_top(e, " AND ");
    if ands.len() > 1 {
        return ands
            .iter()
            .map(|p| group(p, cx, false))
            .collect::<Vec<_>>()
            .join(" and ");
    }
    atom(e, cx)
}

/// A part of an `or` (or `and`) list, bracketed when it is itself a list.
fn group(part: &str, cx: &PredCx, in_or: bool) -> String {
    let inner = strip_parens(part);
    let nested =
        split_top(inner, " OR ").len() > 1 || (!in_or && split_top(inner, " AND ").len() > 1);
    let p = pred(part, cx);
    if nested || (in_or && split_top(inner, " AND ").len() > 1 && p.contains(" and ")) {
        format!("({p})")
    } else {
        p
    }
}

fn atom(e: &str, cx: &PredCx) -> String {
    match e {
        "true" => return "true".into(),
        "false" => return "false".into(),
        _ => {}
    }
    if let Some((col, setting, _)) = setting_comparison(e) {
        if cx.tenant == Some((col.as_str(), setting.as_str())) {
            return "tenant".into();
        }
        if cx.owner == Some((col.as_str(), setting.as_str())) {
            return "owner".into();
        }
    }
    if let Some(roles) = cx.app_roles_setting.and_then(|s| role_check(e, s)) {
        return format!("role({})", roles.join(", "));
    }
    format!("sql({})", one_line(e))
}

/// `(NULLIF(current_setting('s'::text, true), ''::text) = ANY (ARRAY['a'::text, 'b'::text]))`
/// or `… = 'a'::text` → the role names.
fn role_check(e: &str, setting: &str) -> Option<Vec<String>> {
    let head = format!("NULLIF(current_setting('{setting}'::text, true), ''::text) = ");
    let rest = e.strip_prefix(&head)?;
    let list = match rest.strip_prefix("ANY (ARRAY[") {
        Some(r) => r.strip_suffix("])")?,
        None => rest,
    };
    let mut out = Vec::new();
    for item in list.split(", ") {
        let name = item.strip_prefix('\'')?.strip_suffix("'::text")?;
        if !is_ident(name) {
            return None;
        }
        out.push(name.to_string());
    }
    (!out.is_empty()).then_some(out)
}

/// Split at `sep` where it stands outside parentheses and quotes.
fn split_top<'a>(s: &'a str, sep: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut quoted = false;
    let mut start = 0;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => quoted = !quoted,
            b'(' if !quoted => depth += 1,
            b')' if !quoted => depth -= 1,
            _ if !quoted && depth == 0 && s[i..].starts_with(sep) => {
                out.push(&s[start..i]);
                i += sep.len();
                start = i;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(&s[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CX: PredCx = PredCx {
        tenant: Some(("org_id", "app.current_org_id")),
        owner: Some(("user_id", "app.current_user_id")),
        app_roles_setting: Some("app.current_app_role"),
    };

    #[test]
    fn sluice_predicates_read_back_as_written() {
        let owner = "(user_id = (NULLIF(current_setting('app.current_user_id'::text, true), ''::text))::uuid)";
        let roles = "(NULLIF(current_setting('app.current_app_role'::text, true), ''::text) = ANY (ARRAY['admin'::text, 'editor'::text]))";
        let one = "(NULLIF(current_setting('app.current_app_role'::text, true), ''::text) = 'admin'::text)";
        assert_eq!(
            pred(&format!("({owner} OR {roles})"), &CX),
            "owner or role(admin, editor)"
        );
        assert_eq!(pred(one, &CX), "role(admin)");
        assert_eq!(
            pred("(org_id = (NULLIF(current_setting('app.current_org_id'::text, true), ''::text))::uuid)", &CX),
            "tenant"
        );
        assert_eq!(pred("false", &CX), "false");
    }

    #[test]
    fn anything_else_is_kept_as_sql() {
        assert_eq!(
            pred("(a > 1) AND ((b = 2) OR (c = 3))", &CX),
            "sql(a > 1) and (sql(b = 2) or sql(c = 3))"
        );
        assert_eq!(
            pred("(EXISTS ( SELECT 1\n   FROM notes))", &CX),
            "sql(EXISTS (SELECT 1 FROM notes))"
        );
    }
}
