//! The order of a project's migrations: a DAG over `after` dependencies.
//!
//! A migration without `after` follows the migration before it in file
//! order (a linear history); one with `after` follows exactly what it names
//! (a branch point). Application order is a topological order of that graph
//! that keeps file order wherever the graph allows. A cycle is reported with
//! its whole path; two migrations with no path between them (branches
//! merged side by side) that touch the same table are reported as parallel.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap};

use petgraph::algo::{has_path_connecting, tarjan_scc, DfsSpace};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::Direction;

use crate::ast::{MigrationDecl, Step, StepKind};
use crate::diagnostic::{Code, Diagnostic};

/// Indexes into `migrations` in application order; `None` after a cycle.
pub(super) fn order(
    migrations: &[&MigrationDecl],
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<usize>> {
    let mut graph = DiGraph::<usize, ()>::new();
    let nodes: Vec<NodeIndex> = (0..migrations.len()).map(|i| graph.add_node(i)).collect();
    // The first migration of each name, as a linear search would find it.
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    for (i, m) in migrations.iter().enumerate() {
        by_name.entry(m.name.name.as_str()).or_insert(i);
    }
    for (i, m) in migrations.iter().enumerate() {
        let deps: Vec<usize> = m
            .after
            .iter()
            .filter_map(|dep| by_name.get(dep.name.as_str()).copied())
            .filter(|&j| j != i)
            .collect();
        // No (resolvable) `after`: the migration follows its file predecessor.
        if deps.is_empty() {
            if i > 0 {
                graph.add_edge(nodes[i - 1], nodes[i], ());
            }
            continue;
        }
        for j in deps {
            graph.add_edge(nodes[j], nodes[i], ());
        }
    }
    if report_cycles(&graph, migrations, diags) {
        return None;
    }
    report_parallel(&graph, &nodes, migrations, diags);
    let mut waiting: Vec<usize> = nodes
        .iter()
        .map(|&n| graph.neighbors_directed(n, Direction::Incoming).count())
        .collect();
    let mut ready: BinaryHeap<Reverse<usize>> = (0..migrations.len())
        .filter(|&i| waiting[i] == 0)
        .map(Reverse)
        .collect();
    let mut out = Vec::with_capacity(migrations.len());
    while let Some(Reverse(i)) = ready.pop() {
        out.push(i);
        for next in graph.neighbors_directed(nodes[i], Direction::Outgoing) {
            let j = graph[next];
            waiting[j] -= 1;
            if waiting[j] == 0 {
                ready.push(Reverse(j));
            }
        }
    }
    Some(out)
}

/// One diagnostic per cycle, naming every migration on it in order.
fn report_cycles(
    graph: &DiGraph<usize, ()>,
    migrations: &[&MigrationDecl],
    diags: &mut Vec<Diagnostic>,
) -> bool {
    let mut found = false;
    for scc in tarjan_scc(graph) {
        if scc.len() < 2 {
            continue;
        }
        found = true;
        let members: BTreeSet<NodeIndex> = scc.iter().copied().collect();
        // Walk the cycle from its first migration in file order.
        let start = *members.iter().min_by_key(|n| graph[**n]).unwrap_or(&scc[0]);
        let mut path = vec![start];
        let mut current = start;
        loop {
            // Close the cycle as soon as possible, else go to the earliest
            // migration not yet on the path.
            let next = graph
                .neighbors_directed(current, Direction::Outgoing)
                .filter(|n| members.contains(n) && (*n == start || !path.contains(n)))
                .min_by_key(|n| (*n != start, graph[*n]));
            let Some(next) = next else { break };
            if next == start || path.contains(&next) {
                path.push(next);
                break;
            }
            path.push(next);
            current = next;
        }
        let names: Vec<String> = path
            .iter()
            .map(|n| format!("`{}`", migrations[graph[*n]].name.name))
            .collect();
        let first = migrations[graph[start]];
        let mut d = Diagnostic::error(
            Code::MigrationCycle,
            format!(
                "migrations depend on each other in a cycle: {}",
                names.join(" -> ")
            ),
        )
        .at(first.name.span)
        .label("the cycle starts here");
        for n in path.iter().skip(1).take(path.len().saturating_sub(2)) {
            let m = migrations[graph[*n]];
            let span = m.after.first().map(|a| a.span).unwrap_or(m.name.span);
            d = d.with_label(span, format!("`{}` waits for this", m.name.name));
        }
        diags.push(d.help("remove one `after` of the cycle: each migration may only wait for migrations written before it"));
    }
    found
}

/// Migrations with no order between them must not touch the same table.
fn report_parallel(
    graph: &DiGraph<usize, ()>,
    nodes: &[NodeIndex],
    migrations: &[&MigrationDecl],
    diags: &mut Vec<Diagnostic>,
) {
    let touched: Vec<BTreeSet<String>> = migrations.iter().map(|m| tables_touched(m)).collect();
    // Only pairs that share a table can conflict: find them through each
    // table's migrations instead of searching paths between every pair.
    let mut by_table: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, tables) in touched.iter().enumerate() {
        for t in tables {
            by_table.entry(t.as_str()).or_default().push(i);
        }
    }
    let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    for ms in by_table.values() {
        for (k, &j) in ms.iter().enumerate() {
            pairs.extend(ms[..k].iter().map(|&i| (j, i)));
        }
    }
    let mut space = DfsSpace::new(graph);
    for (j, i) in pairs {
        let ordered = has_path_connecting(graph, nodes[i], nodes[j], Some(&mut space))
            || has_path_connecting(graph, nodes[j], nodes[i], Some(&mut space));
        if ordered {
            continue;
        }
        let shared: Vec<&String> = touched[i].intersection(&touched[j]).collect();
        let Some(table) = shared.first() else {
            continue;
        };
        let (a, b) = (migrations[i], migrations[j]);
        diags.push(
            Diagnostic::error(
                Code::ParallelMigrations,
                format!(
                    "migrations `{}` and `{}` both change table `{table}` but neither comes after the other",
                    a.name.name, b.name.name
                ),
            )
            .at(b.name.span)
            .with_label(a.name.span, "the other migration")
            .help(format!(
                "two branches were merged side by side: make one wait for the other, e.g. `after {}` in `{}`",
                a.name.name, b.name.name
            )),
        );
    }
}

/// Names of the tables a migration's steps and backfills change.
fn tables_touched(m: &MigrationDecl) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for s in m.expand.iter().chain(&m.contract) {
        if let Some(t) = step_table(s) {
            out.insert(t);
        }
    }
    for b in &m.backfills {
        if let Some(t) = b.target.parts.first() {
            out.insert(t.name.clone());
        }
    }
    out
}

fn step_table(s: &Step) -> Option<String> {
    // `[project.]table.column`: the table is the part before the column.
    let first = |p: &crate::ast::Path| {
        let n = p.parts.len();
        (n >= 2).then(|| p.parts[n - 2].name.clone())
    };
    match &s.kind {
        StepKind::CreateTable(t) => Some(t.name.last().name.clone()),
        StepKind::AddColumn { column: p, .. }
        | StepKind::SetNotNull(p)
        | StepKind::DropNotNull(p)
        | StepKind::DropDefault(p)
        | StepKind::SetDefault { column: p, .. }
        | StepKind::ChangeType { column: p, .. }
        | StepKind::RenameColumn { column: p, .. } => first(p),
        StepKind::AddIndex { table, .. }
        | StepKind::AddForeignKey { table, .. }
        | StepKind::AddCheck { table, .. }
        | StepKind::AddUnique { table, .. }
        | StepKind::AddPolicy { table, .. }
        | StepKind::DropPolicy { table, .. }
        | StepKind::RenameTable { table, .. }
        | StepKind::EnableRls(table) => Some(table.last().name.clone()),
        StepKind::Drop { kind, target } if kind.name == "table" => Some(target.last().name.clone()),
        StepKind::Drop { kind, target } if kind.name == "column" => first(target),
        _ => None,
    }
}
