//! Tables: columns, then every constraint, index and policy in the table's
//! extra-config callback, each with the name the snapshot records.

use super::names::Names;
use super::{columns, string, Module};
use crate::ir::names;
use crate::ir::{FkAction, IndexKey, Project, Table};

/// `export const notes = pgTable("notes", { … }, (t) => [ … ]).enableRLS();`
pub(super) fn table(m: &mut Module, names: &Names, p: &Project, idx: usize, t: &Table) -> String {
    let keys = columns::keys(t);
    let mut out = format!(
        "export const {} = {}({}, {{\n",
        names.tables[idx],
        names.ctor(m, "pgTable", "table"),
        string(&t.name)
    );
    let single_pk = (t.primary_key.len() == 1).then(|| t.primary_key[0].as_str());
    for (c, key) in t.columns.iter().zip(&keys) {
        let builder = columns::column(m, names, p, t, c, single_pk == Some(c.name.as_str()));
        out.push_str(&format!("  {key}: {builder},\n"));
    }
    out.push('}');
    let extra = extra_config(m, names, p, idx, t, &keys);
    if !extra.is_empty() {
        let ty = m.pg("PgTableExtraConfigValue");
        out.push_str(&format!(", (t): {ty}[] => [\n"));
        for e in extra {
            out.push_str(&format!("  {e},\n"));
        }
        out.push(']');
    }
    out.push(')');
    // The planner enables (and forces) RLS exactly on these tables.
    if t.tenant || !t.policies.is_empty() {
        out.push_str(".enableRLS()");
    }
    out.push_str(";\n");
    out
}

fn extra_config(
    m: &mut Module,
    names: &Names,
    p: &Project,
    idx: usize,
    t: &Table,
    keys: &[String],
) -> Vec<String> {
    let col = |name: &str| -> String {
        let i = t.columns.iter().position(|c| c.name == name);
        format!("t.{}", i.map(|i| keys[i].as_str()).unwrap_or(name))
    };
    let cols = |list: &[String]| list.iter().map(|c| col(c)).collect::<Vec<_>>().join(", ");
    let mut out = Vec::new();
    if t.primary_key.len() > 1 {
        out.push(format!(
            "{}({{ name: {}, columns: [{}] }})",
            m.pg("primaryKey"),
            string(&names::primary_key(t)),
            cols(&t.primary_key)
        ));
    }
    for fk in &t.foreign_keys {
        let target = &p.tables[fk.table];
        let target_keys = columns::keys(target);
        let foreign: Vec<String> = fk
            .ref_columns
            .iter()
            .map(|c| {
                let i = target.columns.iter().position(|x| &x.name == c);
                let key = i.map(|i| target_keys[i].as_str()).unwrap_or(c);
                if fk.table == idx {
                    format!("t.{key}")
                } else {
                    format!("{}.{key}", names.tables[fk.table])
                }
            })
            .collect();
        let mut e = format!(
            "{}({{ name: {}, columns: [{}], foreignColumns: [{}] }})",
            m.pg("foreignKey"),
            string(&names::foreign_key(t, fk)),
            cols(&fk.columns),
            foreign.join(", ")
        );
        for (what, a) in [("onDelete", fk.on_delete), ("onUpdate", fk.on_update)] {
            if a != FkAction::NoAction {
                e.push_str(&format!(
                    ".{what}({})",
                    string(&a.as_sql().to_ascii_lowercase())
                ));
            }
        }
        out.push(e);
    }
    for u in &t.uniques {
        out.push(format!(
            "{}({}).on({})",
            m.pg("unique"),
            string(&names::unique(t, u)),
            cols(&u.columns)
        ));
    }
    for ix in t.indexes.iter() {
        let ctor = m.pg(if ix.unique { "uniqueIndex" } else { "index" });
        let elems: Vec<String> = ix
            .elems
            .iter()
            .map(|e| match &e.key {
                IndexKey::Column(c) => {
                    let mut s = col(c);
                    if let Some(op) = &e.opclass {
                        s.push_str(&format!(".op({})", string(op)));
                    }
                    if e.descending {
                        s.push_str(".desc()");
                    }
                    if e.nulls_first.unwrap_or(e.descending) {
                        s.push_str(".nullsFirst()");
                    }
                    s
                }
                IndexKey::Expr(x) => m.sql(x.trim()),
            })
            .collect();
        let on = if ix.method == "btree" {
            format!("on({})", elems.join(", "))
        } else {
            format!("using({}, {})", string(&ix.method), elems.join(", "))
        };
        let mut e = format!("{ctor}({}).{on}", string(&names::index(t, ix)));
        if let Some(w) = &ix.predicate {
            e.push_str(&format!(".where({})", m.sql(w.trim())));
        }
        out.push(e);
    }
    for c in &t.checks {
        out.push(format!(
            "{}({}, {})",
            m.pg("check"),
            string(&names::check(t, c)),
            m.sql(c.expr.text.trim())
        ));
    }
    for pol in names.policies.get(&t.name).into_iter().flatten() {
        let mut fields = vec![
            format!("as: {}", string(&pol.kind.to_ascii_lowercase())),
            format!("for: {}", string(&pol.command.to_ascii_lowercase())),
        ];
        if pol.to != ["public"] {
            let to: Vec<String> = pol
                .to
                .iter()
                .map(|r| names.roles.get(r).cloned().unwrap_or_else(|| string(r)))
                .collect();
            fields.push(format!("to: [{}]", to.join(", ")));
        }
        if let Some(u) = &pol.using {
            fields.push(format!("using: {}", m.sql(u)));
        }
        if let Some(w) = &pol.with_check {
            fields.push(format!("withCheck: {}", m.sql(w)));
        }
        out.push(format!(
            "{}({}, {{ {} }})",
            m.pg("pgPolicy"),
            string(&pol.name),
            fields.join(", ")
        ));
    }
    out
}
