//! Community detection by synchronous label propagation (Graphalytics §5.4): each iteration a
//! vertex takes the most frequent label among its in- and out-neighbours counted separately,
//! the smallest label on ties; a vertex without neighbours keeps its label.

use std::collections::BTreeMap;

use dgraph_datasets::Graph;

/// Community label (an external id) of every vertex after `iterations` iterations.
pub fn cdlp(g: &Graph, iterations: u32) -> Vec<u64> {
    let n = g.vertex_count();
    let mut label: Vec<u64> = (0..n as u32).map(|v| g.ids().external(v)).collect();
    for _ in 0..iterations {
        let next: Vec<u64> = (0..n as u32)
            .map(|v| {
                let mut counts: BTreeMap<u64, u64> = BTreeMap::new();
                for &u in g.out_edges().neighbors(v) {
                    *counts.entry(label[u as usize]).or_default() += 1;
                }
                if g.is_directed() {
                    for &u in g.in_edges().neighbors(v) {
                        *counts.entry(label[u as usize]).or_default() += 1;
                    }
                }
                // Highest count; among equals the smallest label (BTreeMap iterates labels in
                // increasing order and `max_by_key` keeps the last maximum, so reverse).
                counts.iter().rev().max_by_key(|(_, &c)| c).map_or(label[v as usize], |(&l, _)| l)
            })
            .collect();
        label = next;
    }
    label
}
