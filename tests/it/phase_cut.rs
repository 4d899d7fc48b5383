//! Every phase of a generated workspace is compared over the tables its
//! steps touch, never by planning and rendering both whole states: what
//! keeps a build's cost per phase proportional to the phase, not to the
//! schema. (Debug builds also prove each cut plan equal to the whole one.)

use crate::scale::gen;

#[test]
fn every_phase_of_a_generated_workspace_is_compared_over_the_tables_it_touches() {
    let spec = gen::Spec {
        projects: 2,
        tables: 12,
        columns: 20,
        migrations: 30,
    };
    let dir = crate::scratch::ScratchDir::new("phase-cut");
    gen::write(&dir.join("ws"), &spec).expect("the generator writes the workspace");
    let c = sluice::compile(&dir.join("ws")).expect("the generated workspace loads");
    let ws = &c.workspace;
    let render = |s: &sluice::plan::Stmt| sluice::render::statement(s).unwrap_or_default();
    let mut compared = 0;
    let mut whole = Vec::new();
    for p in &ws.projects {
        // One set of copies for the project's phases, as a build's run
        // has: a copy taken from it is compared with the whole states too.
        let mut copies = sluice::plan::TableCopies::default();
        for pair in p.phases.windows(2) {
            let (before, ph) = (&pair[0], &pair[1]);
            let m = &p.migrations[ph.migration];
            if m.baseline || ph.kind == sluice::ir::PhaseKind::Initial {
                continue;
            }
            compared += 1;
            let cut = sluice::plan::phase_touched(
                ws,
                (&before.state, &ph.state),
                (m, ph.kind),
                &render,
                &mut copies,
            );
            if cut.is_none() {
                whole.push(format!("{}: {} {:?}", p.name, m.name, ph.kind));
            }
        }
    }
    assert!(
        compared > spec.migrations,
        "only {compared} phases compared"
    );
    assert!(
        whole.is_empty(),
        "phases compared over the whole states: {whole:#?}"
    );
}
