//! `sluice plan` proven on PostgreSQL with generated (before, after) pairs.
//!
//! A small base project (three tables with rows) is mutated by every single
//! change kind plan supports, then by seeded random combinations of
//! changes on distinct columns. For each pair: plan `before` from empty
//! (its `0001_initial`), plan `after` on top, check is clean, the contract
//! is released, the whole history is built and applied on PostgreSQL with
//! rows in every table, scripts included; each new phase's rollback
//! restores the previous catalog; every row survives; and the catalog
//! equals a fresh database built from `after` alone (columns compared as a
//! set: `add column` appends where a fresh table declares). One cluster,
//! one pair of databases per scenario.

use std::collections::BTreeMap;
use std::path::Path;

use crate::fixture::{self, Fixture};
use crate::pg::Cluster;
use crate::pg_emit::{apply, psql};

mod mutations;

use mutations::{mutate, mutations, scenarios, Mutation, BASE};

const ORG: &str = "0000000a-0000-4000-a000-00000000000a";

const ROWS: &str = "
INSERT INTO notebooks (org_id, title, description, color)
  SELECT 'ORG', 'nb' || g, CASE WHEN g % 3 = 0 THEN NULL ELSE 'd' || g END, '#' || g
  FROM generate_series(1, 40) g;
INSERT INTO notes (org_id, notebook_id, title, body, views)
  SELECT n.org_id, n.id, n.title || '-' || g, 'b' || g, g FROM notebooks n, generate_series(1, 5) g;
INSERT INTO labels (org_id, name) SELECT 'ORG', 'l' || g FROM generate_series(1, 20) g;
";

fn workspace(decls: &str, migrations: &[(String, String)]) -> Fixture {
    let mut f = fixture::parse(&format!("// expect: nothing\n{decls}"), "scenario");
    // `// workspace: GRANT` lines are grants of the runtime role.
    let grants: Vec<&str> = decls
        .lines()
        .filter_map(|l| l.strip_prefix("// workspace: "))
        .collect();
    let ws = f
        .files
        .get_mut("workspace.sluice")
        .expect("a workspace file");
    let role = "runtime grant select, insert, update, delete on tables";
    assert!(
        ws.contains(role),
        "the base workspace's runtime role changed"
    );
    *ws = ws.replacen(role, &format!("{role} {}", grants.join(" ")), 1);
    for (name, text) in migrations {
        f.files
            .insert(format!("notes/migrations/{name}"), text.clone());
    }
    f
}

/// Plan the fixture's next migration: (file name, text).
fn plan(f: &Fixture, what: &str) -> (String, String) {
    let c = fixture::compile(f);
    let out = sluice::author::plan(&c, &sluice::author::Options::default());
    assert!(
        !out.diagnostics.has_errors(),
        "{what}: plan reports errors:\n{}",
        sluice::diagnostic::render::human(
            &out.diagnostics,
            &out.sources,
            sluice::diagnostic::render::HumanStyle::plain()
        )
    );
    assert_eq!(out.files.len(), 1, "{what}: plan writes one file");
    let f = &out.files[0];
    let name = f.display.rsplit('/').next().unwrap_or_default().to_string();
    (name, f.text.clone())
}

/// Journal files of `notes`, in order, with their rollbacks and scripts.
fn emitted(f: &Fixture, what: &str) -> (Vec<String>, BTreeMap<String, String>) {
    let c = fixture::compile(f);
    let errors = crate::pg_matrix::error_lines(&c);
    assert!(errors.is_empty(), "{what}: check is not clean: {errors:?}");
    let files = sluice::emit::workspace(&c.workspace, Some(Path::new("out"))).expect("emits");
    let root = Path::new("out/notes");
    let journal = files
        .keys()
        .filter(|p| p.parent() == Some(root) && p.extension().is_some_and(|e| e == "sql"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    let by_rel = files
        .into_iter()
        .filter_map(|(p, t)| {
            p.strip_prefix(root)
                .ok()
                .map(|r| (r.to_string_lossy().into_owned(), t))
        })
        .collect();
    (journal, by_rel)
}

/// A catalog dump with each table's column lines sorted.
fn normalized(dump: &str) -> String {
    let mut out = Vec::new();
    let mut block: Option<Vec<String>> = None;
    for line in dump.lines() {
        if let Some(b) = &mut block {
            if line.starts_with(')') {
                b.sort();
                out.append(b);
                block = None;
                out.push(line.to_string());
            } else {
                b.push(line.trim_end_matches(',').to_string());
            }
            continue;
        }
        out.push(line.to_string());
        if line.starts_with("CREATE TABLE ") && line.ends_with('(') {
            block = Some(Vec::new());
        }
    }
    out.join("\n")
}

/// The catalog of schema `public` as sorted lines: relations with their
/// RLS flags, owner and grants, columns, constraints, indexes, policies,
/// triggers, functions, views, enums and comments. One query, so a
/// rollback can be compared after every phase without a `pg_dump`.
const CATALOG: &str = "
SELECT coalesce(string_agg(line, E'\\n' ORDER BY line), '') FROM (
  SELECT format('rel %s %s rls=%s force=%s acl=%s owner=%s', c.relname, c.relkind, c.relrowsecurity,
                c.relforcerowsecurity, c.relacl::text, pg_get_userbyid(c.relowner)) AS line
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'p', 'S', 'i')
  UNION ALL
  SELECT format('col %s.%s %s notnull=%s default=%s acl=%s', c.relname, a.attname,
                format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid),
                a.attacl::text)
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'v', 'm', 'p')
  UNION ALL
  SELECT format('con %s.%s %s valid=%s', c.relname, co.conname, pg_get_constraintdef(co.oid), co.convalidated)
    FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
  UNION ALL
  SELECT format('idx %s valid=%s', pg_get_indexdef(i.indexrelid), i.indisvalid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
  UNION ALL
  SELECT format('pol %s.%s %s %s %s %s %s', tablename, policyname, permissive, roles::text, cmd, qual, with_check)
    FROM pg_policies WHERE schemaname = 'public'
  UNION ALL
  SELECT format('trg %s %s', pg_get_triggerdef(t.oid), t.tgenabled)
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND NOT t.tgisinternal
  UNION ALL
  SELECT format('fn %s', pg_get_functiondef(p.oid))
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname = 'public' AND p.prokind IN ('f', 'p')
  UNION ALL
  SELECT format('view %s %s', c.relname, pg_get_viewdef(c.oid))
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm')
  UNION ALL
  SELECT format('enum %s %s', t.typname,
                (SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid))
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
   WHERE n.nspname = 'public' AND t.typtype = 'e'
  UNION ALL
  SELECT format('comment %s %s %s', d.objoid::regclass, d.objsubid, d.description)
    FROM pg_description d JOIN pg_class c ON c.oid = d.objoid
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'public' AND d.classoid = 'pg_class'::regclass
) x";

fn catalog(pg: &Cluster, db: &str) -> String {
    pg.client(db)
        .query_one(CATALOG, &[])
        .unwrap_or_else(|e| panic!("catalog of {db}: {e}"))
        .get(0)
}

/// A journal file applied as drizzle does: in one transaction (the
/// simple-query protocol runs a multi-statement text as one).
fn apply_tx(pg: &Cluster, db: &str, what: &str, text: &str) {
    if text.contains("CONCURRENTLY") {
        return apply(pg, db, what, text);
    }
    pg.client(db).batch_execute(text).unwrap_or_else(|e| {
        panic!(
            "{what} does not apply on database {db}:\n{}",
            crate::pg::SqlError(e)
        )
    });
}

fn scalar(pg: &Cluster, db: &str, sql: &str) -> String {
    let row = pg
        .client(db)
        .query_one(&format!("SELECT ({sql})::text"), &[])
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    row.get::<_, Option<String>>(0).unwrap_or_default()
}

fn fingerprint(pg: &Cluster, db: &str, table: &str) -> String {
    scalar(
        pg,
        db,
        &format!(
            "SELECT count(*) || ':' || md5(string_agg(id::text, ',' ORDER BY id)) FROM {table}"
        ),
    )
}

/// Roles are cluster-wide: two initial migrations altering them at once
/// collide (`tuple concurrently updated`), so they take turns.
static ROLES: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn apply_initial(pg: &Cluster, db: &str, what: &str, text: &str) {
    let _turn = ROLES.lock().unwrap_or_else(|e| e.into_inner());
    apply_tx(pg, db, what, text);
}

/// The lines on one side only, for a readable failure.
fn difference(a: &str, b: &str) -> String {
    let only = |x: &str, y: &str| -> Vec<String> {
        x.lines()
            .filter(|l| !y.lines().any(|m| m == *l))
            .map(str::to_string)
            .collect()
    };
    format!(
        "history only:\n  {}\nfresh only:\n  {}",
        only(a, b).join("\n  "),
        only(b, a).join("\n  ")
    )
}

fn run(pg: &Cluster, pick: &[usize], all: &[Mutation]) {
    let what = format!("scenario {pick:?}");
    let after = mutate(pick, all);
    let initial = plan(&workspace(BASE, &[]), &format!("{what} (before)"));
    let mut history = vec![initial];
    let next = plan(&workspace(&after, &history), &what);
    let name = next
        .1
        .lines()
        .find_map(|l| l.strip_prefix("migration "))
        .and_then(|l| l.split(' ').next())
        .expect("a migration name")
        .to_string();
    history.push(next);
    history.push((
        "0003_release.sluice".into(),
        format!("migration release_{name} {{\n  release {name}\n}}\n"),
    ));
    let (journal, files) = emitted(&workspace(&after, &history), &what);
    let get = |rel: &str| files.get(rel).cloned();

    let db = pg.create_db();
    apply_initial(
        pg,
        &db,
        &format!("{what} initial"),
        &get(&format!("{}.sql", journal[0])).unwrap(),
    );
    pg.execute(&db, &ROWS.replace("ORG", ORG))
        .unwrap_or_else(|e| panic!("{what}: rows: {e}"));
    let tables = ["notebooks", "notes", "labels"];
    let before_rows: Vec<String> = tables.iter().map(|t| fingerprint(pg, &db, t)).collect();
    for tag in &journal[1..] {
        // The catalog the phase's deploy starts from: before its script
        // (whose helper checks the contract consumes) and its file.
        let before = catalog(pg, &db);
        // The script before a contract (a catch-up, an index dropped
        // concurrently); its rollback undoes it too, so it runs again
        // before the phase is applied again.
        let pre = || {
            if tag.ends_with("_contract") {
                if let Some(script) = get(&format!("backfill/{tag}.sql")) {
                    psql(pg, &db, &format!("{db}-pre.sql"), &script)
                        .unwrap_or_else(|e| panic!("{what}: the script before {tag} fails:\n{e}"));
                }
            }
        };
        pre();
        let up = get(&format!("{tag}.sql")).unwrap();
        let down = get(&format!("rollback/{tag}.sql")).unwrap();
        apply_tx(pg, &db, &format!("{what} {tag}"), &up);
        if down.contains("RAISE EXCEPTION USING MESSAGE = 'rollback of") {
            let refused = pg.client(&db).batch_execute(&down);
            assert!(
                refused.is_err(),
                "{what}: the irreversible rollback of {tag} runs"
            );
        } else {
            apply_tx(pg, &db, &format!("{what} {tag} rollback"), &down);
            let restored = catalog(pg, &db);
            assert!(
                before == restored,
                "{what}: the rollback of {tag} does not restore the catalog:\n{}",
                difference(&before, &restored)
            );
            pre();
            apply_tx(pg, &db, &format!("{what} {tag} again"), &up);
        }
        if !tag.ends_with("_contract") {
            let migration = tag[5..].trim_end_matches("_expand");
            if let Some(script) = get(&format!("backfill/{}_{migration}.sql", &tag[..4])) {
                psql(pg, &db, &format!("{db}-script.sql"), &script)
                    .unwrap_or_else(|e| panic!("{what}: the script of {tag} fails:\n{e}"));
            }
        }
    }
    for (t, rows) in tables.iter().zip(&before_rows) {
        if after.contains(&format!("table {t} {{")) {
            assert_eq!(
                &fingerprint(pg, &db, t),
                rows,
                "{what}: rows of {t} changed"
            );
        }
    }
    let history_catalog = normalized(&pg.catalog_dump(&db));

    let (fresh_journal, fresh_files) = emitted(&workspace(&after, &[]), &format!("{what} fresh"));
    let fresh = pg.create_db();
    apply_initial(
        pg,
        &fresh,
        &format!("{what} fresh"),
        &fresh_files[&format!("{}.sql", fresh_journal[0])],
    );
    let fresh_catalog = normalized(&pg.catalog_dump(&fresh));
    let (h, f) = (
        history_catalog.replace(&db, "DB"),
        fresh_catalog.replace(&fresh, "DB"),
    );
    assert!(
        h == f,
        "{what}: the history's catalog differs from a fresh build of `after`:\n{}\n{after}\n{}",
        difference(&h, &f),
        history[1].1
    );
    for d in [&db, &fresh] {
        pg.execute("postgres", &format!("DROP DATABASE \"{d}\""))
            .unwrap_or_else(|e| panic!("drop {d}: {e}"));
    }
}

#[test]
fn planned_migrations_apply_on_postgres_and_build_what_a_fresh_database_builds() {
    let all = mutations();
    // `SLUICE_PLAN_SCENARIOS=N` runs the first N only, while working on one.
    let total = std::env::var("SLUICE_PLAN_SCENARIOS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300);
    // `SLUICE_PLAN_SKIP=K` leaves out the first K of them.
    let skip: usize = std::env::var("SLUICE_PLAN_SKIP")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let list: Vec<Vec<usize>> = scenarios(total.max(1)).into_iter().take(total).collect();
    assert!(list.len() >= total, "{} scenarios", list.len());
    let list: Vec<Vec<usize>> = list.into_iter().skip(skip).collect();
    let pg = Cluster::start();
    eprintln!(
        "plan scenarios: {} on PostgreSQL {}",
        list.len(),
        pg.major()
    );
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..3 {
            scope.spawn(|| loop {
                let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(pick) = list.get(n) else { break };
                if n.is_multiple_of(25) {
                    eprintln!("plan scenarios: {n}/{}", list.len());
                }
                let result =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&pg, pick, &all)));
                if let Err(e) = result {
                    let msg = e
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    failures.lock().expect("lock").push(msg);
                }
            });
        }
    });
    let failures = failures.into_inner().expect("lock");
    assert!(
        failures.is_empty(),
        "{} of {} scenarios failed:\n{}",
        failures.len(),
        list.len(),
        failures.join("\n\n")
    );
}
