//! Dependency ordering: every statement after the statements that create
//! what it needs. The walk is Kahn's algorithm with a priority queue on
//! (rank, insertion order), so among statements that are ready, the
//! canonical order wins and the output reads like a hand-written migration
//! and is identical on every run.
//!
//! The graph is built once, in time linear in its edges: creators are
//! looked up by key in a map, and each statement's predecessors are
//! deduplicated by sorting its own short list. A policy needs every table,
//! so a project of T tables has about 4T² edges; anything per edge beyond
//! a push would make the planner cubic.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use super::stmt::{Key, Stmt};

/// Order statements; a dependency cycle (a planner bug) keeps canonical order.
pub(super) fn order(mut stmts: Vec<Stmt>) -> Vec<Stmt> {
    stmts.sort_by_key(|s| s.rank);
    let n = stmts.len();
    let mut creators: HashMap<&Key, Vec<usize>> = HashMap::new();
    for (i, s) in stmts.iter().enumerate() {
        creators.entry(&s.key).or_default().push(i);
    }
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut waiting: Vec<usize> = vec![0; n];
    let mut preds = Vec::new();
    for (i, s) in stmts.iter().enumerate() {
        preds.clear();
        for dep in &s.deps {
            if let Some(js) = creators.get(dep) {
                preds.extend(js.iter().copied().filter(|&j| j != i));
            }
        }
        preds.sort_unstable();
        preds.dedup();
        waiting[i] = preds.len();
        for &j in &preds {
            successors[j].push(i);
        }
    }
    let mut ready: BinaryHeap<Reverse<(u8, usize)>> = (0..n)
        .filter(|&i| waiting[i] == 0)
        .map(|i| Reverse((stmts[i].rank, i)))
        .collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse((_, i))) = ready.pop() {
        order.push(i);
        for &j in &successors[i] {
            waiting[j] -= 1;
            if waiting[j] == 0 {
                ready.push(Reverse((stmts[j].rank, j)));
            }
        }
    }
    // Statements left waiting sit on a cycle.
    if order.len() < n {
        return stmts;
    }
    let mut slots: Vec<Option<Stmt>> = stmts.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}
