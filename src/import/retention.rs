//! Recognise the retention purge sluice derives from a table's `retain`.
//!
//! Input: a [`Catalog`] and one of its tables. Output: the table's
//! `retain` line (period and basis column, read back from the body of its
//! `sluice_purge_<table>` function), and which functions and policies that
//! declaration re-derives, so the writers leave them out: the purge
//! function itself (its `EXECUTE` grants follow the roles' `grant execute
//! on functions`) and the `<table>_purge_select`/`<table>_purge_delete`
//! policies for the schema owner.

use super::catalog::{Catalog, Function, Table};

/// What a table's purge function says: `retain <period> after <column>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retain {
    /// `1 year`, `24 hours`: the interval the function compares with.
    pub period: String,
    pub basis: String,
}

impl Retain {
    /// The table item, as the DSL spells it.
    pub fn line(&self) -> String {
        format!("retain {} after {}", self.period, self.basis)
    }
}

fn purge_name(table: &str) -> String {
    format!("sluice_purge_{table}")
}

/// The table's `retain`, when a purge function of sluice's shape exists
/// for it.
pub fn retain(c: &Catalog, t: &Table) -> Option<Retain> {
    let f = c.functions.iter().find(|f| f.name == purge_name(&t.name))?;
    let r = from_body(f)?;
    t.columns.iter().any(|col| col.name == r.basis).then_some(r)
}

/// Whether `f` is the purge function sluice derives for one of the tables.
pub fn is_purge_function(c: &Catalog, f: &Function) -> bool {
    c.tables
        .iter()
        .any(|t| f.name == purge_name(&t.name) && retain(c, t).is_some())
}

/// Whether policy `name` of `t` is one of the purge policies its `retain`
/// derives.
pub fn is_purge_policy(c: &Catalog, t: &Table, name: &str) -> bool {
    (name == format!("{}_purge_select", t.name) || name == format!("{}_purge_delete", t.name))
        && retain(c, t).is_some()
}

/// `e."<col>" < now() - interval '<period>'` in a `SECURITY DEFINER`
/// plpgsql body → period and column.
fn from_body(f: &Function) -> Option<Retain> {
    if !f.security_definer || f.language != "plpgsql" {
        return None;
    }
    let (before, after) = f.body.split_once(" < now() - interval '")?;
    let period: String = after.chars().take_while(|c| *c != '\'').collect();
    let col = before.rsplit_once("e.\"")?.1.strip_suffix('"')?;
    let mut words = period.split(' ');
    let amount = words.next()?;
    let unit = words.next()?;
    let units = [
        "hour", "hours", "day", "days", "week", "weeks", "month", "months", "year", "years",
    ];
    let ok = !amount.is_empty()
        && amount.chars().all(|c| c.is_ascii_digit())
        && units.contains(&unit)
        && words.next().is_none()
        && !col.is_empty()
        && !col.contains('"')
        && col.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    ok.then(|| Retain {
        period,
        basis: col.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn purge(body: &str) -> Function {
        Function {
            name: "sluice_purge_sessions".into(),
            arguments: "org uuid, batch_size integer DEFAULT 1000".into(),
            result: "integer".into(),
            language: "plpgsql".into(),
            volatility: "v".into(),
            security_definer: true,
            config: Vec::new(),
            body: body.into(),
            comment: None,
            definition: String::new(),
            kind: "f".into(),
        }
    }

    #[test]
    fn the_purge_body_reads_back_as_the_retain_line() {
        let f = purge(
            "\tWHERE e.\"org_id\" = org AND e.\"created_at\" < now() - interval '24 hours'\n",
        );
        let r = from_body(&f).expect("recognised");
        assert_eq!(r.line(), "retain 24 hours after created_at");
    }

    #[test]
    fn a_function_of_another_shape_is_no_retention() {
        assert_eq!(from_body(&purge("SELECT 1")), None);
        let f = purge("WHERE e.\"created_at\" < now() - interval '1 fortnight'");
        assert_eq!(from_body(&f), None);
        let mut f = purge("WHERE e.\"created_at\" < now() - interval '1 year'");
        f.security_definer = false;
        assert_eq!(from_body(&f), None);
    }
}
