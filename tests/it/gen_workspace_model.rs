//! The generator of the generative deploy suite: seeded, valid workspaces.
//!
//! Input: a seed. Output: a [`Generated`] workspace — the files of one
//! project `notes` (declarations, an `initial` migration creating the base
//! tables, views and functions, then migrations of every step kind, and
//! releases of their contracts) and what each contract phase is meant to
//! drop or rename, so the deploy can tell a lost value from an intended
//! one. The generator keeps a model of the tables, applies each step to it,
//! and writes the declarations from the final model, so `check` finds no
//! drift. Each column, index or constraint is touched by one migration at
//! most, so the order in which released contracts replay never matters.

use std::collections::BTreeMap;

/// A small xorshift generator: the same seed gives the same workspace.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

#[derive(Clone)]
pub struct Col {
    pub name: String,
    pub ty: String,
    pub not_null: bool,
    pub default: Option<String>,
    /// Declared on the column (`-> t.id on delete …`).
    pub reference: Option<String>,
    /// Read by a check, an index or a migration: left alone by later ones.
    pub busy: bool,
    /// Read by a view: only its type may change (the phase recreates the view).
    pub viewed: bool,
}

#[derive(Clone)]
pub struct Table {
    pub name: String,
    pub tenant: bool,
    pub owner: bool,
    pub partitioned: bool,
    /// `primary key (…)` instead of the conventional `id`.
    pub composite: Option<Vec<String>>,
    pub cols: Vec<Col>,
    /// Table-level items (`index …`, `check …`, `unique …`, `policy …`), each with its name.
    pub items: Vec<(String, String)>,
    pub policies: Vec<(String, String)>,
}

impl Table {
    pub fn has_id(&self) -> bool {
        self.composite.is_none()
    }
    pub fn col(&mut self, name: &str) -> &mut Col {
        self.cols
            .iter_mut()
            .find(|c| c.name == name)
            .expect("column")
    }
    fn render(&self, indent: &str) -> String {
        let mut s = format!("table {} {{\n", self.name);
        let i = indent;
        s.push_str(&format!(
            "{i}  {}\n",
            if self.tenant { "tenant" } else { "global" }
        ));
        if self.owner {
            s.push_str(&format!("{i}  owner user_id\n"));
        }
        for c in &self.cols {
            s.push_str(&format!("{i}  {} {}", c.name, c.ty));
            if c.not_null {
                s.push_str(" not null");
            }
            if let Some(d) = &c.default {
                s.push_str(&format!(" default {d}"));
            }
            if let Some(r) = &c.reference {
                s.push_str(&format!(" -> {r}"));
            }
            s.push('\n');
        }
        if let Some(k) = &self.composite {
            s.push_str(&format!("{i}  primary key ({})\n", k.join(", ")));
        }
        for (_, item) in self.items.iter().chain(&self.policies) {
            s.push_str(&format!("{i}  {item}\n"));
        }
        if self.partitioned {
            s.push_str(&format!("{i}  partition by hash (org_id) into 2\n"));
        }
        s.push_str(&format!("{i}}}\n"));
        s
    }
}

/// What one contract phase removes on purpose: dropped columns, and renamed ones (old → new).
#[derive(Default, Clone, Debug)]
pub struct Intent {
    pub dropped: Vec<(String, String)>,
    pub renamed: Vec<(String, String, String)>,
    /// Columns whose type changes: the contract swaps in their `_new` shadow.
    pub retyped: Vec<(String, String)>,
}

pub struct Generated {
    pub files: BTreeMap<String, String>,
    /// Migration name → what its contract removes.
    pub intents: BTreeMap<String, Intent>,
    pub tables: Vec<Table>,
    /// The step kinds used, for the tally.
    pub kinds: Vec<&'static str>,
}

const TYPES: [(&str, &str); 8] = [
    ("text", "'x'"),
    ("integer", "0"),
    ("bigint", "7"),
    ("boolean", "false"),
    ("jsonb", "'{}'::jsonb"),
    ("numeric(10, 2)", "0"),
    ("varchar(20)", "'v'"),
    ("timestamptz", "now()"),
];

fn col(name: String, ty: &str, not_null: bool, default: Option<&str>) -> Col {
    Col {
        name,
        ty: ty.to_string(),
        not_null,
        default: default.map(str::to_string),
        reference: None,
        busy: false,
        viewed: false,
    }
}

fn base_tables(rng: &mut Rng) -> Vec<Table> {
    let n = 2 + rng.below(3);
    let mut tables: Vec<Table> = Vec::new();
    for t in 0..n {
        let name = format!("t{t}");
        let tenant = t == 0 || !rng.chance(15);
        let mut tb = Table {
            name: name.clone(),
            tenant,
            owner: tenant && rng.chance(30),
            partitioned: tenant && rng.chance(30),
            composite: None,
            cols: Vec::new(),
            items: Vec::new(),
            policies: Vec::new(),
        };
        for c in 0..2 + rng.below(3) {
            let (ty, default) = TYPES[rng.below(TYPES.len())];
            let not_null = rng.chance(40);
            let default = (not_null || rng.chance(20)).then_some(default);
            tb.cols.push(col(format!("c{c}"), ty, not_null, default));
        }
        // A reference to an earlier tenant table: scoped through org_id.
        let parents: Vec<usize> = (0..t)
            .filter(|&p| tables[p].tenant && tables[p].has_id())
            .collect();
        if tenant && !parents.is_empty() && rng.chance(60) {
            let p = parents[rng.below(parents.len())];
            let (not_null, action) = if rng.chance(70) {
                (true, "on delete cascade")
            } else {
                (false, "on delete set null")
            };
            let mut c = col(format!("t{p}_id"), "uuid", not_null, None);
            c.reference = Some(format!("t{p}.id {action}"));
            c.busy = true;
            tb.cols.push(c);
        }
        if let Some(c) = tb
            .cols
            .iter_mut()
            .find(|c| c.ty == "integer" || c.ty == "bigint")
        {
            c.busy = true;
            let cname = c.name.clone();
            tb.items.push((
                format!("{name}_{cname}_chk"),
                format!("check ({cname} >= 0) as {name}_{cname}_chk"),
            ));
        }
        if rng.chance(50) {
            let c = rng.below(2);
            tb.cols[c].busy = true;
            let lead = if tenant { "org_id, " } else { "" };
            let cname = tb.cols[c].name.clone();
            tb.items.push((
                format!("{name}_{cname}_idx"),
                format!("index ({lead}{cname}) as {name}_{cname}_idx"),
            ));
        }
        tb.policies = policies(&tb);
        tables.push(tb);
    }
    // A link table with a composite primary key over two tenant tables.
    let ids: Vec<usize> = (0..tables.len())
        .filter(|&p| tables[p].tenant && tables[p].has_id())
        .collect();
    if ids.len() >= 2 && rng.chance(35) {
        let (a, b) = (ids[0], ids[1]);
        let mut ca = col(format!("t{a}_id"), "uuid", true, None);
        ca.reference = Some(format!("t{a}.id on delete cascade"));
        let mut cb = col(format!("t{b}_id"), "uuid", true, None);
        cb.reference = Some(format!("t{b}.id on delete cascade"));
        ca.busy = true;
        cb.busy = true;
        let mut link = Table {
            name: "link".into(),
            tenant: true,
            owner: false,
            partitioned: false,
            composite: Some(vec!["org_id".into(), ca.name.clone(), cb.name.clone()]),
            cols: vec![ca, cb, col("note".into(), "text", false, None)],
            items: vec![(
                "allow".into(),
                "allow primary-key-not-uuid \"a link table, keyed by the pair it links\"".into(),
            )],
            policies: Vec::new(),
        };
        link.policies = policies(&link);
        tables.push(link);
    }
    tables
}

fn policies(t: &Table) -> Vec<(String, String)> {
    if !t.tenant {
        return Vec::new();
    }
    let n = &t.name;
    if t.owner {
        vec![
            (
                format!("{n}_sel"),
                format!("policy select owner or role(admin, viewer) as {n}_sel"),
            ),
            (
                format!("{n}_ins"),
                format!("policy insert owner as {n}_ins"),
            ),
            (
                format!("{n}_upd"),
                format!("policy update owner or role(admin) as {n}_upd"),
            ),
            (
                format!("{n}_del"),
                format!("policy delete owner or role(admin) as {n}_del"),
            ),
        ]
    } else {
        vec![(
            format!("{n}_all"),
            format!("policy all role(admin, editor) as {n}_all"),
        )]
    }
}

/// Views and functions over stable columns; they stay as created.
fn extras(rng: &mut Rng, tables: &mut [Table]) -> Vec<String> {
    let mut out = Vec::new();
    for t in tables.iter_mut() {
        if !t.has_id() || !rng.chance(40) {
            continue;
        }
        let c = rng.below(t.cols.len());
        // Excluded: dropping or renaming a column a view reads. `check` does not
        // compare a view's columns with its table, so the declared view may
        // read a column the history drops, and the contract fails when it
        // creates the view again ("column does not exist").
        t.cols[c].viewed = true;
        let cname = t.cols[c].name.clone();
        let org = if t.tenant { "org_id, " } else { "" };
        out.push(format!(
            "view {n}_view {{\n  security invoker\n  as select id, {org}{cname} from {n}\n}}\n",
            n = t.name
        ));
        if t.tenant && rng.chance(50) {
            out.push(format!(
                "function {n}_count(p_org uuid) returns integer {{\n  language sql\n  stable\n  security invoker\n  set search_path = public\n  body $$ select count(*)::int from {n} where org_id = p_org $$\n}}\n",
                n = t.name
            ));
        }
    }
    out
}

const AUDIT: &str = "table audit_logs {
  tenant
  table_name text not null
  row_id     uuid
  action     text not null
  diff       jsonb
  policy select role(admin) as audit_logs_sel
  policy insert false as audit_logs_ins
  policy update, delete false as audit_logs_ud
}
";

pub fn generate(seed: u64) -> Generated {
    let mut rng = Rng::new(seed);
    let mut tables = base_tables(&mut rng);
    let extras = extras(&mut rng, &mut tables);
    let audit = rng.chance(30);
    let mut initial = String::from("migration initial {\n");
    for t in &tables {
        initial.push_str(&format!("  create {}", t.render("  ")));
    }
    if audit {
        initial.push_str(&format!(
            "  create {}",
            AUDIT.replace('\n', "\n  ").trim_end()
        ));
        initial.push('\n');
    }
    for e in &extras {
        initial.push_str(&format!("  create {}", e.replace('\n', "\n  ").trim_end()));
        initial.push('\n');
    }
    initial.push_str("}\n");
    let mut g = Generated {
        files: BTreeMap::new(),
        intents: BTreeMap::new(),
        tables: Vec::new(),
        kinds: Vec::new(),
    };
    g.files
        .insert("notes/migrations/0001_initial.sluice".into(), initial);
    let migrations = 1 + rng.below(3);
    let mut pending: Option<String> = None;
    let mut number = 2;
    for m in 0..migrations {
        let name = format!("m{}", m + 1);
        let mut mig = crate::gen_workspace_steps::Migration::default();
        let steps = 1 + rng.below(3);
        for _ in 0..steps * 3 {
            if mig.steps >= steps {
                break;
            }
            crate::gen_workspace_steps::step(&mut rng, &mut tables, &mut mig, &mut g.kinds);
        }
        let mut text = format!("migration {name} {{\n");
        if let Some(p) = pending.take() {
            text.push_str(&format!("  release {p}\n"));
            g.kinds.push("release");
        }
        text.push_str(&format!("  expand {{\n{}  }}\n", mig.expand));
        text.push_str(&mig.backfill);
        if mig.has_contract {
            text.push_str(&format!("  contract {{\n{}  }}\n", mig.contract));
            pending = Some(name.clone());
            g.intents.insert(name.clone(), mig.intent.clone());
        }
        text.push_str("}\n");
        g.files
            .insert(format!("notes/migrations/{number:04}_{name}.sluice"), text);
        number += 1;
    }
    if let Some(p) = pending {
        g.files.insert(
            format!("notes/migrations/{number:04}_release_{p}.sluice"),
            format!("migration release_{p} {{\n  release {p}\n}}\n"),
        );
        g.kinds.push("release");
    }
    let mut decls = String::new();
    for t in &tables {
        decls.push_str(&t.render(""));
        decls.push('\n');
    }
    if audit {
        decls.push_str(AUDIT);
    }
    for e in &extras {
        decls.push_str(e);
    }
    g.files.insert("notes/notes.sluice".into(), decls);
    if audit {
        g.files.insert(
            "notes/project.sluice".into(),
            "project notes {\n  database notes\n  schema public\n  app \"notes\"\n  app_roles from setting app.current_app_role\n  audit_trail audit_logs\n}\n".into(),
        );
    }
    g.tables = tables;
    g
}
