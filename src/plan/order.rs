//! Dependency ordering: every statement after the statements that create
//! what it needs. The walk is Kahn's algorithm with a priority queue on
//! (rank, insertion order), so among statements that are ready, the
//! canonical order wins and the output reads like a hand-written migration
//! and is identical on every run.
//!
//! The graph is built once, in time linear in its edges: creators are
//! looked up by key in a map, and each statement's predecessors are
//! deduplicated by sorting its own short list. A policy needs every table,
//! so a project of T tables would have about 4T² edges: statements that
//! need many tables share them instead, through one waypoint per distinct
//! list of tables that waits for their creators and then releases every
//! statement that named it (its other dependencies stay direct edges). The
//! planner's list of every table ([`Key::Tables`]) is one shared list,
//! found by its address; a list written out is found by its keys. A waypoint is released the moment its last
//! creator is placed, exactly when the statements would have been by
//! direct edges, so the order is the same; the graph is linear in T.
//! Its maps hash with a fixed-seed fast hasher: they are looked up, never
//! iterated, so the order cannot depend on it.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use foldhash::fast::FixedState;

use super::stmt::{Key, Stmt};

/// Statements that need at least this many tables wait for them through a
/// shared waypoint.
const SHARED_FROM: usize = 8;

/// A new node that waits for `preds` (`None` when there are none: its
/// statements need not wait for it).
fn waypoint(
    preds: &[usize],
    successors: &mut Vec<Vec<usize>>,
    waiting: &mut Vec<usize>,
) -> Option<usize> {
    (!preds.is_empty()).then(|| {
        let v = successors.len();
        successors.push(Vec::new());
        waiting.push(preds.len());
        for &j in preds {
            successors[j].push(v);
        }
        v
    })
}

/// Order statements; a dependency cycle (a planner bug) keeps canonical order.
pub(super) fn order(mut stmts: Vec<Stmt>) -> Vec<Stmt> {
    stmts.sort_by_key(|s| s.rank);
    let n = stmts.len();
    let mut creators: HashMap<&Key, Vec<usize>, FixedState> = HashMap::default();
    for (i, s) in stmts.iter().enumerate() {
        creators.entry(&s.key).or_default().push(i);
    }
    // Nodes `0..n` are the statements, nodes from `n` on the waypoints.
    let mut successors: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut waiting: Vec<usize> = vec![0; n];
    // A waypoint per distinct long list of tables; `None` when nothing
    // creates any of them (its statements need not wait for it).
    let mut waypoints: HashMap<Vec<&Key>, Option<usize>, FixedState> = HashMap::default();
    let mut preds = Vec::new();
    let collect =
        |deps: &mut dyn Iterator<Item = &Key>, own: Option<usize>, preds: &mut Vec<usize>| {
            preds.clear();
            for dep in deps {
                if let Some(js) = creators.get(dep) {
                    preds.extend(js.iter().copied().filter(|&j| Some(j) != own));
                }
            }
            preds.sort_unstable();
            preds.dedup();
        };
    let is_table = |k: &&Key| matches!(k, Key::Table(_));
    let is_shared = |k: &&Key| matches!(k, Key::Tables(_));
    // The waypoint of each shared list of every table (see
    // [`Key::Tables`]), by the list's address: one list per plan, so one
    // lookup per statement, not a hash of the list. With it, its creators.
    let mut shared: HashMap<*const Key, (Option<usize>, Vec<usize>), FixedState> =
        HashMap::default();
    for (i, s) in stmts.iter().enumerate() {
        if let Some(Key::Tables(list)) = s.deps.iter().find(is_shared) {
            let (point, creators_of) = shared.entry(list.as_ptr()).or_insert_with(|| {
                collect(&mut list.iter(), None, &mut preds);
                let point = waypoint(&preds, &mut successors, &mut waiting);
                (point, preds.clone())
            });
            if creators_of.binary_search(&i).is_ok() {
                // It creates one of the tables itself: direct edges from
                // the others (an edge also named below counts twice, and
                // is released twice: the same moment).
                for &j in creators_of.iter().filter(|&&j| j != i) {
                    waiting[i] += 1;
                    successors[j].push(i);
                }
            } else if let Some(v) = *point {
                waiting[i] += 1;
                successors[v].push(i);
            }
        }
        let tables: Vec<&Key> = s.deps.iter().filter(is_table).collect();
        // A statement that creates one of its own dependencies leaves
        // itself out of its predecessors: it keeps direct edges. A key
        // has one variant, so the creators of its tables and of its other
        // keys are disjoint: the waypoint and the direct edges together
        // count each predecessor once.
        if tables.len() >= SHARED_FROM && !s.deps.contains(&s.key) {
            let point = match waypoints.get(&tables) {
                Some(&point) => point,
                None => {
                    collect(&mut tables.iter().copied(), None, &mut preds);
                    let point = waypoint(&preds, &mut successors, &mut waiting);
                    waypoints.insert(tables, point);
                    point
                }
            };
            collect(
                &mut s.deps.iter().filter(|k| !is_table(k) && !is_shared(k)),
                None,
                &mut preds,
            );
            waiting[i] += preds.len();
            for &j in &preds {
                successors[j].push(i);
            }
            if let Some(v) = point {
                waiting[i] += 1;
                successors[v].push(i);
            }
            continue;
        }
        collect(
            &mut s.deps.iter().filter(|k| !is_shared(k)),
            Some(i),
            &mut preds,
        );
        waiting[i] += preds.len();
        for &j in &preds {
            successors[j].push(i);
        }
    }
    let mut ready: BinaryHeap<Reverse<(u8, usize)>> = (0..n)
        .filter(|&i| waiting[i] == 0)
        .map(|i| Reverse((stmts[i].rank, i)))
        .collect();
    let mut order = Vec::with_capacity(n);
    let mut released = Vec::new();
    while let Some(Reverse((_, i))) = ready.pop() {
        order.push(i);
        released.clear();
        released.push(i);
        // A waypoint whose last creator this was releases its statements
        // now, within the same step.
        while let Some(k) = released.pop() {
            for &j in &successors[k] {
                waiting[j] -= 1;
                if waiting[j] > 0 {
                    continue;
                }
                if j < n {
                    ready.push(Reverse((stmts[j].rank, j)));
                } else {
                    released.push(j);
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Kahn's walk with every edge direct: what the waypoints must equal.
    fn direct(mut stmts: Vec<Stmt>) -> Vec<String> {
        stmts.sort_by_key(|s| s.rank);
        let n = stmts.len();
        let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut waiting = vec![0; n];
        for i in 0..n {
            let needs = |k: &Key| {
                stmts[i].deps.iter().any(|d| match d {
                    Key::Tables(list) => list.contains(k),
                    d => d == k,
                })
            };
            let mut preds: Vec<usize> =
                (0..n).filter(|&j| j != i && needs(&stmts[j].key)).collect();
            preds.dedup();
            waiting[i] = preds.len();
            for j in preds {
                succ[j].push(i);
            }
        }
        let mut ready: BinaryHeap<Reverse<(u8, usize)>> = (0..n)
            .filter(|&i| waiting[i] == 0)
            .map(|i| Reverse((stmts[i].rank, i)))
            .collect();
        let mut out = Vec::new();
        while let Some(Reverse((_, i))) = ready.pop() {
            out.push(stmts[i].label.clone());
            for &j in &succ[i] {
                waiting[j] -= 1;
                if waiting[j] == 0 {
                    ready.push(Reverse((stmts[j].rank, j)));
                }
            }
        }
        out
    }

    #[test]
    fn statements_that_need_every_table_come_out_as_with_direct_edges() {
        // A small deterministic generator: tables, their indexes, and
        // policies and views that need every table (of high and low rank,
        // so that waypoints release statements of either).
        let mut seed = 7u64;
        let mut next = |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        for round in 0..40 {
            let tables = 9 + next(12) as usize;
            let mut stmts = Vec::new();
            let all: Vec<Key> = (0..tables).map(|t| Key::Table(format!("t{t}"))).collect();
            let shared: std::sync::Arc<[Key]> = all.clone().into();
            for t in 0..tables {
                let mut s = Stmt::new("x", format!("table {t}"), (), Key::Table(format!("t{t}")));
                s.rank = 4;
                if t > 0 && next(3) == 0 {
                    s.deps.push(Key::Table(format!("t{}", next(t as u64))));
                }
                stmts.push(s);
                let mut ix = Stmt::new("x", format!("index {t}"), (), Key::Other(format!("ix{t}")));
                ix.rank = 6;
                ix.deps.push(Key::Table(format!("t{t}")));
                stmts.push(ix);
            }
            for p in 0..tables {
                let mut s = Stmt::new("x", format!("policy {p}"), (), Key::Other(format!("p{p}")));
                s.rank = if next(4) == 0 { 1 } else { 10 };
                // The same long list, or one missing a table: distinct lists.
                let skip = if next(3) == 0 {
                    next(tables as u64) as usize
                } else {
                    tables
                };
                // Every table as the one shared list, or written out.
                if skip == tables && next(2) == 0 {
                    s.deps.push(Key::Tables(shared.clone()));
                } else {
                    s.deps.extend(
                        all.iter()
                            .enumerate()
                            .filter(|(i, _)| *i != skip)
                            .map(|(_, k)| k.clone()),
                    );
                }
                s.deps.push(Key::Other(format!("ix{p}")));
                stmts.push(s);
            }
            let labels = |v: Vec<Stmt>| v.into_iter().map(|s| s.label.clone()).collect::<Vec<_>>();
            assert_eq!(labels(order(stmts.clone())), direct(stmts), "round {round}");
        }
    }
}
