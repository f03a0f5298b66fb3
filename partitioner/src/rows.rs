//! The graph's edges numbered ([`Canonical`]), and every end of every edge with its edge's
//! number ([`for_each_end`]), found in parallel.

use std::ops::Range;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use rayon::prelude::*;

use dgraph_datasets::Graph;

/// Calls `f(v, k, z, c)` for the `k`-th end at `v` of its edges, in order: `z` is the other
/// end and `c` the edge's number in `canon`. Undirected, `v`'s ends are its row (a self-loop is
/// one end); directed, its out-row, then its in-row without self-loops. Copies of a repeated
/// edge pair up in order: both rows list them by weight.
///
/// An end that is not its edge's canonical entry (`v -> z` with `z < v` undirected, an
/// in-entry directed) is numbered by a cursor per vertex `z`, which walks `z`'s canonical
/// entries in target order as the vertices after `z` ask for them: a counting sort's transpose
/// read from the targets' side, so each vertex's ends are written in order, in one place, and
/// only the cursors are read at random. Blocks of vertices run in parallel, each with its own
/// cursors, so `f` writes through shared (atomic) cells.
pub(crate) fn for_each_end(graph: &Graph, canon: &Canonical<'_>, f: impl Fn(u32, usize, u32, u32) + Sync) {
    let (out, inc) = (graph.out_edges(), graph.in_edges());
    let (offsets, targets) = (out.offsets(), out.targets());
    let n = graph.vertex_count();
    let directed = graph.is_directed();
    // Blocks of about equal ends; each needs one 4-byte cursor per vertex, so no more blocks
    // than keep the cursors within half the entries' size.
    let ends_before = |v: usize| offsets[v] + if directed { inc.offsets()[v] } else { 0 };
    let blocks = rayon::current_num_threads().min(targets.len() / (2 * n.max(1))).max(1);
    split(n, blocks, ends_before).into_par_iter().for_each(|rows| {
        let first = u64::from(rows.start);
        // Where each vertex's cursor is when the block starts: at its first canonical entry
        // to a vertex of the block or after (undirected: and after itself).
        let mut cursor: Vec<u32> = (0..n as u32)
            .into_par_iter()
            .map(|u| {
                let from = if directed { first } else { first.max(u64::from(u) + 1) };
                let at = offsets[u as usize] as usize + out.neighbors(u).partition_point(|&t| u64::from(t) < from);
                canon.rank(u, at) as u32
            })
            .collect();
        for v in rows {
            let (from, to) = (offsets[v as usize] as usize, offsets[v as usize + 1] as usize);
            let mut k = 0;
            for (i, &z) in (from..to).zip(&targets[from..to]) {
                let c = if directed || z >= v {
                    canon.rank(v, i) as u32
                } else {
                    let c = cursor[z as usize];
                    cursor[z as usize] += 1;
                    c
                };
                f(v, k, z, c);
                k += 1;
            }
            if directed {
                for &u in inc.neighbors(v) {
                    // A self-loop is an out-entry, and its cursor passes it here.
                    let c = cursor[u as usize];
                    cursor[u as usize] += 1;
                    if u != v {
                        f(v, k, u, c);
                        k += 1;
                    }
                }
            }
        }
    });
}

/// `0..n` cut into at most `count` ranges of about equal weight, where `before(v)` (rising)
/// is the weight of the vertices before `v`; empty ranges are left out.
fn split(n: usize, count: usize, before: impl Fn(usize) -> u64) -> Vec<Range<u32>> {
    let (count, total) = (count.max(1), before(n));
    let mut out = Vec::with_capacity(count);
    let mut first = 0usize;
    for b in 1..=count {
        // The first vertex whose weight before it reaches the block's share.
        let end = if b == count {
            n
        } else {
            let share = (u128::from(total) * b as u128 / count as u128) as u64;
            let (mut lo, mut hi) = (first, n);
            while lo < hi {
                let mid = (lo + hi) / 2;
                if before(mid) < share {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            lo
        };
        if end > first {
            out.push(first as u32..end as u32);
            first = end;
        }
    }
    out
}

/// The graph's edges, numbered: its canonical out-CSR entries (`u -> v` with `u <= v` on an
/// undirected graph, which stores every other edge twice and a self-loop once; every entry on a
/// directed graph), in CSR order. What an array with one value per edge (not per stored copy),
/// such as a partition map, is indexed by. Undirected rows are sorted, so a row's canonical
/// entries are its last ones and entry `i` of row `u` is number `i - skip[u]`, where `skip[u]`
/// counts the other entries up to the end of row `u`'s.
pub(crate) struct Canonical<'g> {
    offsets: &'g [u64],
    targets: &'g [u32],
    /// Empty on a directed graph (every entry is canonical: its number is its position).
    skip: Vec<u64>,
    /// How many canonical entries (edges) there are.
    pub(crate) count: usize,
}

impl<'g> Canonical<'g> {
    /// The numbering of `graph`'s edges.
    pub(crate) fn new(graph: &'g Graph) -> Canonical<'g> {
        let out = graph.out_edges();
        let (offsets, targets) = (out.offsets(), out.targets());
        if graph.is_directed() {
            return Canonical { offsets, targets, skip: Vec::new(), count: targets.len() };
        }
        let mut skip: Vec<u64> = (0..graph.vertex_count() as u32)
            .into_par_iter()
            .map(|u| out.neighbors(u).partition_point(|&v| v < u) as u64)
            .collect();
        let mut sum = 0;
        for s in &mut skip {
            sum += *s;
            *s = sum;
        }
        Canonical { offsets, targets, skip, count: targets.len() - sum as usize }
    }

    /// The number of the canonical entry `i`, which is in row `u`.
    #[inline]
    pub(crate) fn rank(&self, u: u32, i: usize) -> usize {
        i - self.skip.get(u as usize).map_or(0, |&s| s as usize)
    }

    /// The number of row `u`'s first canonical entry (`u` up to the vertex count: then the
    /// edge count).
    #[inline]
    pub(crate) fn start(&self, u: usize) -> usize {
        let before = match u {
            0 => 0,
            u => self.skip.get(u - 1).map_or(0, |&s| s as usize),
        };
        self.offsets[u] as usize - before
    }

    /// Row `u`'s canonical entries: their positions in the out-CSR, from the first.
    #[inline]
    pub(crate) fn entries(&self, u: u32) -> std::ops::Range<usize> {
        let end = self.offsets[u as usize + 1] as usize;
        end - (self.start(u as usize + 1) - self.start(u as usize))..end
    }

    /// Calls `f(u, v, i)` for every edge `u -> v` in number order, `i` its entry.
    pub(crate) fn for_each(&self, mut f: impl FnMut(u32, u32, usize)) {
        for u in 0..self.offsets.len().saturating_sub(1) as u32 {
            for i in self.entries(u) {
                f(u, self.targets[i], i);
            }
        }
    }

    /// About `count` blocks of whole rows with about equal edges, in order.
    pub(crate) fn row_blocks(&self, count: usize) -> Vec<Range<u32>> {
        split(self.offsets.len().saturating_sub(1), count, |u| self.start(u) as u64)
    }

    /// Cuts `data`, one value per edge, into the [`Canonical::row_blocks`]: each block's
    /// vertices and its part of `data`.
    pub(crate) fn blocks<'a, T>(&self, data: &'a mut [T], count: usize) -> Vec<(Range<u32>, &'a mut [T])> {
        let mut rest = data;
        self.row_blocks(count)
            .into_iter()
            .map(|rows| {
                let len = self.start(rows.end as usize) - self.start(rows.start as usize);
                let (block, tail) = std::mem::take(&mut rest).split_at_mut(len);
                rest = tail;
                (rows, block)
            })
            .collect()
    }
}

/// Collects atomics back into plain values (in place: the layouts are the same).
pub(crate) fn into_plain32(cells: Vec<AtomicU32>) -> Vec<u32> {
    cells.into_iter().map(AtomicU32::into_inner).collect()
}

/// Collects atomics back into plain values (in place: the layouts are the same).
pub(crate) fn into_plain64(cells: Vec<AtomicU64>) -> Vec<u64> {
    cells.into_iter().map(AtomicU64::into_inner).collect()
}

/// A `(u32, u32)` pair in one word (so that it can be written atomically).
#[inline]
pub(crate) fn pack(a: u32, b: u32) -> u64 {
    u64::from(a) << 32 | u64::from(b)
}

/// The pair [`pack`] made.
#[inline]
pub(crate) fn unpack(w: u64) -> (u32, u32) {
    ((w >> 32) as u32, w as u32)
}

/// The ordering of the atomic cells these passes fill: each cell is written by one task only,
/// and the end of the parallel pass orders the writes before any later read.
pub(crate) const RELAXED: Ordering = Ordering::Relaxed;

#[cfg(test)]
mod tests {
    use super::*;
    use dgraph_datasets::{EdgeList, Graph};
    use std::sync::Mutex;

    fn ends(g: &Graph) -> Vec<(u32, usize, u32, u32)> {
        let found = Mutex::new(Vec::new());
        for_each_end(g, &Canonical::new(g), |v, k, z, c| found.lock().expect("not poisoned").push((v, k, z, c)));
        let mut found = found.into_inner().expect("not poisoned");
        found.sort_unstable();
        found
    }

    #[test]
    fn blocks_are_whole_rows_covering_every_edge() {
        // Rows of 0, 5, 0, 0, 1, 7, 3 and 0 entries; undirected, the canonical ones are fewer.
        let rows = [0usize, 5, 0, 0, 1, 7, 3, 0];
        let mut edges = Vec::new();
        for (u, &len) in rows.iter().enumerate() {
            edges.extend((0..len).map(|k| (u as u64, ((u + k) % 8) as u64)));
        }
        // Repeated edges and loops.
        edges.extend([(3, 3), (3, 3), (7, 1), (1, 7)]);
        for directed in [true, false] {
            let list = EdgeList { edges: edges.clone(), weights: None, extra_vertices: vec![], directed };
            let g = Graph::from_edge_list("rows", &list, Default::default()).expect("builds").0;
            let canon = Canonical::new(&g);
            let out = g.out_edges();
            // The numbers are 0, 1, 2, ... over the canonical entries in CSR order, and each
            // row's start and entries agree with them.
            let mut next = 0;
            for u in 0..g.vertex_count() as u32 {
                assert_eq!(canon.start(u as usize), next);
                let own: Vec<usize> = (out.offsets()[u as usize] as usize..out.offsets()[u as usize + 1] as usize)
                    .filter(|&i| directed || out.targets()[i] >= u)
                    .collect();
                assert_eq!(canon.entries(u).collect::<Vec<_>>(), own);
                for i in own {
                    assert_eq!(canon.rank(u, i), next);
                    next += 1;
                }
            }
            assert_eq!((canon.start(g.vertex_count()), canon.count), (next, next));
            assert_eq!(next as u64, g.edge_count());
            for count in [1, 2, 3, 5, 40] {
                let mut data: Vec<usize> = (0..canon.count).collect();
                let b = canon.blocks(&mut data, count);
                assert!(b.len() <= count);
                let mut row = 0u32;
                for (vertices, block) in &b {
                    assert_eq!(vertices.start, row, "{count} blocks");
                    assert_eq!(block.len(), canon.start(vertices.end as usize) - canon.start(vertices.start as usize));
                    assert_eq!(
                        block.first().copied(),
                        (!block.is_empty()).then(|| canon.start(vertices.start as usize))
                    );
                    row = vertices.end;
                }
                assert_eq!(row as usize, g.vertex_count());
            }
        }
    }

    #[test]
    fn ends_are_numbered_by_their_edges_with_repeated_edges_and_loops_in_any_block_count() {
        let mut x = 5u64;
        let mut edges: Vec<(u64, u64)> = (0..600)
            .map(|_| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ((x >> 40) % 40, (x >> 20) % 40)
            })
            .collect();
        edges.extend([(3, 3), (3, 3), (7, 9), (9, 7), (9, 7)]);
        let weights: Vec<f64> = (0..edges.len()).map(|k| (k % 7) as f64).collect();
        for directed in [false, true] {
            let list =
                EdgeList { edges: edges.clone(), weights: Some(weights.clone()), extra_vertices: vec![], directed };
            let g = Graph::from_edge_list("ends", &list, Default::default()).expect("builds").0;
            let (out, inc) = (g.out_edges(), g.in_edges());
            let (ow, iw) = (out.weights().expect("weighted"), inc.weights().expect("weighted"));
            let canon = Canonical::new(&g);
            // Each edge's number, entry and ends.
            let mut edge = vec![(0, 0, 0); canon.count];
            canon.for_each(|u, v, i| edge[canon.rank(u, i)] = (u, v, i));
            // The ends by a plain rule: the r-th copy of `v -> z` in v's row (or of `z -> v` in
            // its in-row) is the r-th copy of the edge in z's canonical entries.
            let mut expected = Vec::new();
            for v in 0..g.vertex_count() as u32 {
                let mut row: Vec<(u32, f64, bool)> = (out.offsets()[v as usize]..out.offsets()[v as usize + 1])
                    .map(|i| (out.targets()[i as usize], ow[i as usize], true))
                    .collect();
                if directed {
                    row.extend(
                        (inc.offsets()[v as usize]..inc.offsets()[v as usize + 1])
                            .filter(|&t| inc.targets()[t as usize] != v)
                            .map(|t| (inc.targets()[t as usize], iw[t as usize], false)),
                    );
                }
                for (k, &(z, w, outgoing)) in row.iter().enumerate() {
                    let (from, to) = if (directed && outgoing) || (!directed && z >= v) { (v, z) } else { (z, v) };
                    let copy = row[..k].iter().filter(|&&(y, _, o)| y == z && o == outgoing).count();
                    let i = canon.entries(from).filter(|&i| out.targets()[i] == to).nth(copy).expect("a copy");
                    assert_eq!(ow[i], w, "the copies of {from} -> {to} pair up by weight");
                    expected.push((v, k, z, canon.rank(from, i) as u32));
                }
            }
            let found = ends(&g);
            assert_eq!(found, expected, "directed {directed}");
            // Each edge has two ends, a self-loop one.
            let mut seen = vec![0; canon.count];
            for &(v, _, z, c) in &found {
                let (a, b, _) = edge[c as usize];
                assert!((a, b) == (v, z) || (a, b) == (z, v));
                seen[c as usize] += 1;
            }
            assert!(edge.iter().zip(&seen).all(|(&(a, b, _), &s)| s == if a == b { 1 } else { 2 }));
            // One block (one thread) and four find the same ends.
            for threads in [1, 4] {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
                assert_eq!(pool.install(|| ends(&g)), found, "{threads} threads");
            }
        }
    }
}
