//! The TypeScript names of a module's top-level objects (tables, enums,
//! roles, views), chosen once so that columns and tables refer to them alike.
//!
//! Input: the workspace, the project and the module being written. Output:
//! [`Names`].

use std::collections::{BTreeMap, BTreeSet};

use super::{string, Module};
use crate::drizzle::snapshot;
use crate::ir::{Project, Workspace};

/// The TypeScript names of a module's top-level objects.
pub(super) struct Names {
    pub schema: Option<String>,
    pub tables: Vec<String>,
    pub enums: BTreeMap<String, String>,
    pub roles: BTreeMap<String, String>,
    pub views: BTreeMap<String, String>,
    /// Per table, its policies as the snapshot records them.
    pub policies: BTreeMap<String, Vec<snapshot::PolicySnap>>,
}

impl Names {
    pub fn new(m: &mut Module, ws: &Workspace, p: &Project, schema: Option<&str>) -> Names {
        let policies: BTreeMap<String, Vec<snapshot::PolicySnap>> =
            snapshot::policies_by_table(ws, p)
                .into_iter()
                .map(|(t, ps)| (t, ps.into_values().collect()))
                .collect();
        let used_roles: BTreeSet<&str> = policies
            .values()
            .flatten()
            .flat_map(|ps| ps.to.iter().map(String::as_str))
            .filter(|r| ws.roles.iter().any(|x| x.name == *r))
            .collect();
        Names {
            schema: schema.map(str::to_string),
            enums: p
                .enums
                .iter()
                .map(|e| (e.name.clone(), m.top_name(&format!("{}_enum", e.name), "")))
                .collect(),
            roles: used_roles
                .into_iter()
                .map(|r| (r.to_string(), m.top_name(&format!("{r}_role"), "")))
                .collect(),
            tables: p
                .tables
                .iter()
                .map(|t| m.top_name(&t.name, "Table"))
                .collect(),
            views: p
                .views
                .iter()
                .map(|v| (v.name.clone(), m.top_name(&v.name, "View")))
                .collect(),
            policies,
        }
    }

    /// `pgRole("service_rw").existing()` for every role a policy names.
    pub fn role_decls(&self, m: &mut Module) -> Vec<String> {
        self.roles
            .iter()
            .map(|(sql, ts)| {
                format!(
                    "export const {ts} = {}({}).existing();\n",
                    m.pg("pgRole"),
                    string(sql)
                )
            })
            .collect()
    }

    pub fn enum_decls(&self, m: &mut Module, p: &Project) -> Vec<String> {
        p.enums
            .iter()
            .map(|e| {
                let values: Vec<String> = e.values.iter().map(|v| string(v)).collect();
                let ctor = match &self.schema {
                    Some(s) => format!("{s}.enum"),
                    None => m.pg("pgEnum").to_string(),
                };
                format!(
                    "export const {} = {ctor}({}, [{}]);\n",
                    self.enums[&e.name],
                    string(&e.name),
                    values.join(", ")
                )
            })
            .collect()
    }

    /// `pgTable` or `<schema>.table` (likewise for views).
    pub fn ctor(&self, m: &mut Module, public: &'static str, in_schema: &str) -> String {
        match &self.schema {
            Some(s) => format!("{s}.{in_schema}"),
            None => m.pg(public).to_string(),
        }
    }
}
