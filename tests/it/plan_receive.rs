//! A table published to the analytics project after that project's first
//! release: `sluice plan` writes the `receive` step in a new migration of
//! the receiving project (planning the publishing project alone is not
//! held up by it), and on the bundled workspace the build then emits the
//! table in a new analytics migration, the released one unchanged.

use std::fs;

use crate::drizzle::{text, Scratch};
use crate::fixture;

const WORKSPACE: &str = "// expect: schema-drift, schema-drift
table notes {
  tenant
  policy all tenant
  title text
  publish to analytics
}

table teams {
  tenant
  policy all tenant
  name text not null
  publish to analytics (id, org_id, name)
}
=== notes/migrations/0001_initial.sluice
migration initial {
  create table notes {
    tenant
    policy all tenant
    title text
    publish to analytics
  }
  create table teams {
    tenant
    policy all tenant
    name text not null
  }
}
=== analytics/project.sluice
project analytics {
  database analytics
  schema   reporting
}

table daily_counts {
  tenant
  policy all tenant
  day date not null
}
=== analytics/migrations/0001_initial.sluice
migration initial {
  create table daily_counts {
    tenant
    policy all tenant
    day date not null
  }
  receive public.notes from notes
}
";

fn plan_one(c: &sluice::Compilation, project: &str) -> sluice::author::Outcome {
    let out = sluice::author::plan(
        c,
        &sluice::author::Options {
            project: Some(project.into()),
            name: Some(format!("{project}_feed")),
        },
    );
    assert!(
        out.diagnostics.items.is_empty(),
        "{project}: {:?}",
        out.diagnostics.items
    );
    assert_eq!(out.files.len(), 1, "{project}");
    out
}

#[test]
fn plan_writes_the_receive_step_of_a_table_published_later() {
    let mut f = fixture::parse(WORKSPACE, "plan_receive");
    let c = fixture::compile(&f);
    let mut codes = fixture::codes(&c);
    codes.sort();
    assert_eq!(codes, f.expect, "{}", fixture::render(&c));
    // The publishing project plans its own step while the receiving one
    // still lacks its.
    let notes = plan_one(&c, "notes").files[0].text.clone();
    assert!(notes.contains("publish teams to analytics"), "{notes}");
    f.files
        .insert("notes/migrations/0002_notes_feed.sluice".into(), notes);
    let c = fixture::compile(&f);
    assert_eq!(
        fixture::codes(&c),
        ["schema-drift"],
        "{}",
        fixture::render(&c)
    );
    let text = plan_one(&c, "analytics").files[0].text.clone();
    f.files.insert(
        "analytics/migrations/0002_analytics_feed.sluice".into(),
        text.clone(),
    );
    let after = fixture::compile(&f);
    assert!(
        fixture::codes(&after).is_empty(),
        "{}\n{text}",
        fixture::render(&after)
    );
    insta::assert_snapshot!(text);
}

/// On the bundled workspace, built once: `core.orgs` joins the feed, and
/// `sluice plan` then `sluice build` leave the released analytics files as
/// they were and add a migration that creates the table.
#[test]
fn a_table_core_publishes_after_the_release_lands_in_a_new_analytics_migration() {
    let s = Scratch::new("receive");
    s.build();
    let analytics = s.out("analytics");
    let released = fs::read(analytics.join("0000_initial.sql")).expect("the released file");
    let core = s.root.join("schemas/core/core.sluice");
    let decl = fs::read_to_string(&core).expect("core.sluice");
    let anchor = "  comment  \"Tenants.";
    assert!(decl.contains(anchor), "core.orgs has moved: {decl}");
    let decl = decl.replacen(
        anchor,
        "  publish to analytics (id, plan, region)\n  comment  \"Tenants.",
        1,
    );
    fs::write(&core, decl).expect("write core.sluice");
    let o = s.sluice(&["check", "schemas"]);
    let out = format!("{}{}", text(&o.stdout), text(&o.stderr));
    assert!(
        out.contains("receive core.orgs from core"),
        "the drift names the step: {out}"
    );
    let o = s.sluice(&["plan", "schemas"]);
    let out = format!("{}{}", text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(0), "{out}");
    let o = s.sluice(&["build", "schemas", "--out", "out"]);
    let out = format!("{}{}", text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(!out.contains("released-output-changed"), "{out}");
    assert_eq!(
        fs::read(analytics.join("0000_initial.sql")).expect("the released file"),
        released,
        "the released analytics migration is unchanged"
    );
    let new = fs::read_dir(&analytics)
        .expect("the analytics folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("0001_") && n.ends_with(".sql"))
        .unwrap_or_else(|| panic!("no new analytics migration:\n{out}"));
    let sql = fs::read_to_string(analytics.join(&new)).expect("the new migration");
    assert!(sql.contains("CREATE TABLE \"core\".\"orgs\""), "{sql}");
    assert!(
        sql.contains("GRANT SELECT ON TABLE \"core\".\"orgs\" TO \"readonly_user\""),
        "{sql}"
    );
    let subscribe = fs::read_to_string(analytics.join("subscribe/sluice_from_core.sql"))
        .expect("the subscription script");
    assert!(subscribe.contains("orgs, users"), "{subscribe}");
}
