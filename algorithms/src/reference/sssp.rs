//! Single-source shortest paths over edge weights (Dijkstra; Graphalytics §5.6): unreachable
//! vertices get `f64::INFINITY`.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use dgraph_datasets::Graph;

/// A negative edge weight was found (shortest paths are defined for weights >= 0 only).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NegativeWeight {
    /// Source of the edge (dense id).
    pub source: u32,
    /// Target of the edge (dense id).
    pub target: u32,
    /// Its weight.
    pub weight: f64,
}

#[derive(PartialEq)]
struct Entry(f64, u32);

impl Eq for Entry {}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0).then(other.1.cmp(&self.1))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Distance of every vertex from `source` (dense id). An unweighted graph counts every edge as
/// weight 1. `Ok(None)` if `source` is not a vertex.
pub fn sssp(g: &Graph, source: u32) -> Result<Option<Vec<f64>>, NegativeWeight> {
    let n = g.vertex_count();
    if source as usize >= n {
        return Ok(None);
    }
    let csr = g.out_edges();
    let mut dist = vec![f64::INFINITY; n];
    dist[source as usize] = 0.0;
    let mut heap = BinaryHeap::from([Entry(0.0, source)]);
    while let Some(Entry(d, u)) = heap.pop() {
        if d > dist[u as usize] {
            continue;
        }
        let weights = csr.neighbor_weights(u);
        for (i, &v) in csr.neighbors(u).iter().enumerate() {
            let w = weights.map_or(1.0, |w| w[i]);
            if w < 0.0 {
                return Err(NegativeWeight { source: u, target: v, weight: w });
            }
            if d + w < dist[v as usize] {
                dist[v as usize] = d + w;
                heap.push(Entry(d + w, v));
            }
        }
    }
    Ok(Some(dist))
}
