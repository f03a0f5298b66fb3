//! Neighbourhood Expansion (Zhang et al., KDD 2017): partitions are grown one after another.
//! Each keeps a core set and a boundary set; the boundary vertex with the fewest edges still
//! leading outside moves to the core, its neighbours join the boundary, and every unassigned
//! edge between a new boundary vertex and the boundary goes to the partition. A partition is
//! full at its share of the remaining edges (capped by the balance bound); the last takes the
//! rest. Replicas stay low because a partition takes whole neighbourhoods.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rayon::prelude::*;

use dgraph_datasets::Graph;

/// The canonical edges (each undirected edge once) and, per vertex, its incident edge ids.
struct Incidence {
    /// Canonical edges in out-CSR order: (u, v, out-CSR entry index).
    edges: Vec<(u32, u32, usize)>,
    offsets: Vec<u64>,
    /// `(neighbour, edge id)`, grouped by vertex.
    adjacent: Vec<(u32, u32)>,
}

impl Incidence {
    fn new(graph: &Graph) -> Incidence {
        let csr = graph.out_edges();
        let directed = graph.is_directed();
        let n = graph.vertex_count();
        let edges: Vec<(u32, u32, usize)> = (0..n as u32)
            .into_par_iter()
            .flat_map_iter(|u| {
                let start = csr.offsets()[u as usize] as usize;
                csr.neighbors(u)
                    .iter()
                    .enumerate()
                    .filter(move |(_, &v)| directed || u <= v)
                    .map(move |(k, &v)| (u, v, start + k))
            })
            .collect();
        let mut degree = vec![0u64; n + 1];
        for &(u, v, _) in &edges {
            degree[u as usize + 1] += 1;
            if u != v {
                degree[v as usize + 1] += 1;
            }
        }
        for i in 0..n {
            degree[i + 1] += degree[i];
        }
        let offsets = degree;
        let mut next = offsets.clone();
        let mut adjacent = vec![(0u32, 0u32); offsets[n] as usize];
        for (e, &(u, v, _)) in edges.iter().enumerate() {
            adjacent[next[u as usize] as usize] = (v, e as u32);
            next[u as usize] += 1;
            if u != v {
                adjacent[next[v as usize] as usize] = (u, e as u32);
                next[v as usize] += 1;
            }
        }
        Incidence { edges, offsets, adjacent }
    }

    fn around(&self, v: u32) -> &[(u32, u32)] {
        &self.adjacent[self.offsets[v as usize] as usize..self.offsets[v as usize + 1] as usize]
    }
}

const NONE: u32 = u32::MAX;

/// The state of the expansion.
struct Growth<'a> {
    inc: &'a Incidence,
    /// Partition of each canonical edge (`NONE` while unassigned).
    part_of: Vec<u32>,
    /// Unassigned incident edges per vertex.
    open: Vec<u32>,
    /// The partition whose boundary / core a vertex is in (stamps: no clearing per partition).
    boundary: Vec<u32>,
    core: Vec<u32>,
    /// Boundary vertices by open edges (lazy: stale entries are skipped when popped).
    heap: BinaryHeap<Reverse<(u32, u32)>>,
    count: u64,
}

impl Growth<'_> {
    /// `y` joins the boundary of `p`: its unassigned edges into the boundary (itself included,
    /// for self-loops) go to `p`. False when `p` reached `target`.
    fn join(&mut self, y: u32, p: u32, target: u64) -> bool {
        self.boundary[y as usize] = p;
        for &(z, f) in self.inc.around(y) {
            if self.part_of[f as usize] == NONE && self.boundary[z as usize] == p {
                self.part_of[f as usize] = p;
                self.count += 1;
                self.open[y as usize] -= 1;
                if z != y {
                    self.open[z as usize] -= 1;
                }
                if self.core[z as usize] != p {
                    self.heap.push(Reverse((self.open[z as usize], z)));
                }
                if self.count >= target {
                    return false;
                }
            }
        }
        self.heap.push(Reverse((self.open[y as usize], y)));
        true
    }

    /// The boundary vertex of `p` with the fewest (but some) open edges.
    fn pop(&mut self, p: u32) -> Option<u32> {
        while let Some(Reverse((key, x))) = self.heap.pop() {
            if key > 0 && key == self.open[x as usize] && self.core[x as usize] != p {
                return Some(x);
            }
        }
        None
    }
}

/// Places every canonical edge with at most `capacity` edges per partition; returns the
/// partition of each canonical edge's out-CSR entry as `(entry, part)` pairs.
pub(crate) fn place(graph: &Graph, parts: u32, capacity: u64) -> Vec<(usize, u32)> {
    let inc = Incidence::new(graph);
    let n = graph.vertex_count();
    let total = inc.edges.len() as u64;
    let mut g = Growth {
        inc: &inc,
        part_of: vec![NONE; inc.edges.len()],
        open: (0..n as u32).map(|v| inc.around(v).len() as u32).collect(),
        boundary: vec![NONE; n],
        core: vec![NONE; n],
        heap: BinaryHeap::new(),
        count: 0,
    };
    let mut assigned = 0u64;
    let mut seed_cursor = 0usize;
    for p in 0..parts {
        let left = parts - p;
        let share = (total - assigned).div_ceil(u64::from(left));
        let target = if left == 1 { total - assigned } else { share.min(capacity) };
        g.count = 0;
        g.heap.clear();
        'grow: while g.count < target {
            let x = match g.pop(p) {
                Some(x) => x,
                None => {
                    // A new seed: the next vertex with unassigned edges.
                    while seed_cursor < n && g.open[seed_cursor] == 0 {
                        seed_cursor += 1;
                    }
                    if seed_cursor == n {
                        break 'grow;
                    }
                    let s = seed_cursor as u32;
                    if !g.join(s, p, target) {
                        break 'grow;
                    }
                    s
                }
            };
            g.core[x as usize] = p;
            for i in 0..inc.around(x).len() {
                let (y, e) = inc.around(x)[i];
                if g.part_of[e as usize] != NONE || g.boundary[y as usize] == p {
                    continue;
                }
                if !g.join(y, p, target) {
                    break 'grow;
                }
            }
        }
        assigned += g.count;
    }
    // Anything left (possible only when every partition stopped at capacity) goes to the
    // least-loaded partitions in order.
    let mut part_of = g.part_of;
    let mut loads = vec![0u64; parts as usize];
    part_of.iter().filter(|&&p| p != NONE).for_each(|&p| loads[p as usize] += 1);
    for p in part_of.iter_mut().filter(|p| **p == NONE) {
        let q = crate::stream::least_loaded(&loads, 0..parts);
        loads[q as usize] += 1;
        *p = q;
    }
    inc.edges.iter().zip(part_of).map(|(&(_, _, entry), p)| (entry, p)).collect()
}
