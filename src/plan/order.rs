//! Dependency ordering: every statement after the statements that create
//! what it needs. The graph lives in petgraph (which also detects cycles);
//! the walk is Kahn's algorithm with a priority queue on (rank, insertion
//! order), so among statements that are ready, the canonical order wins and
//! the output reads like a hand-written migration and is identical on every
//! run.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use petgraph::algo::is_cyclic_directed;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::Direction;

use super::stmt::{Key, Stmt};

/// Order statements; a dependency cycle (a planner bug) keeps canonical order.
pub(super) fn order(mut stmts: Vec<Stmt>) -> Vec<Stmt> {
    stmts.sort_by_key(|s| s.rank);
    let mut graph = DiGraph::<usize, ()>::new();
    let nodes: Vec<NodeIndex> = (0..stmts.len()).map(|i| graph.add_node(i)).collect();
    let mut creators: BTreeMap<&Key, Vec<usize>> = BTreeMap::new();
    for (i, s) in stmts.iter().enumerate() {
        creators.entry(&s.key).or_default().push(i);
    }
    for (i, s) in stmts.iter().enumerate() {
        for dep in &s.deps {
            for &j in creators.get(dep).into_iter().flatten() {
                if j != i && graph.find_edge(nodes[j], nodes[i]).is_none() {
                    graph.add_edge(nodes[j], nodes[i], ());
                }
            }
        }
    }
    if is_cyclic_directed(&graph) {
        return stmts;
    }
    let mut waiting: Vec<usize> = nodes
        .iter()
        .map(|&n| graph.neighbors_directed(n, Direction::Incoming).count())
        .collect();
    let mut ready: BinaryHeap<Reverse<(u8, usize)>> = (0..stmts.len())
        .filter(|&i| waiting[i] == 0)
        .map(|i| Reverse((stmts[i].rank, i)))
        .collect();
    let mut order = Vec::with_capacity(stmts.len());
    while let Some(Reverse((_, i))) = ready.pop() {
        order.push(i);
        for next in graph.neighbors_directed(nodes[i], Direction::Outgoing) {
            let j = graph[next];
            waiting[j] -= 1;
            if waiting[j] == 0 {
                ready.push(Reverse((stmts[j].rank, j)));
            }
        }
    }
    let mut slots: Vec<Option<Stmt>> = stmts.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}
