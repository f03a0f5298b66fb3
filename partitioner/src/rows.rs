//! The other end of every edge, found in parallel: for each entry `u -> v` of the out-CSR, the
//! position of its twin in `v`'s row (the copy `v -> u` of an undirected edge, or the in-entry
//! of a directed one). It is the transpose a counting sort makes with one cursor per vertex,
//! cut into blocks of source vertices that run in parallel, each with its own cursors.

use std::ops::Range;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use rayon::prelude::*;

use dgraph_datasets::Graph;

/// Calls `f(u, v, i, t)` for every entry `i` = `u -> v` with `u < v` (undirected) or `u != v`
/// (directed), where `t = base(v) + r` and `r` is the edge's rank among those `f` is called
/// with for `v`, by source: so with `base(v) = offsets[v]` of `graph.in_edges()`, `t` is the
/// twin's position in the undirected out-CSR, whose rows list smaller neighbours first (on a
/// directed graph, in-entries before a self-loop's position keep theirs; later ones shift by
/// the loops). Copies of a repeated edge pair up in order: both rows list them by weight.
/// Blocks of sources run in parallel, so `f` writes through shared (atomic) cells.
pub(crate) fn for_each_twin(
    graph: &Graph,
    base: impl Fn(u32) -> u64 + Sync,
    f: impl Fn(u32, u32, usize, usize) + Sync,
) {
    let (out, inc) = (graph.out_edges(), graph.in_edges());
    let (offsets, targets) = (out.offsets(), out.targets());
    let n = graph.vertex_count();
    let m = targets.len();
    let directed = graph.is_directed();
    // Blocks of about equal visited entries; each needs one cursor per vertex, so no more
    // blocks than keep the cursors within the size of the entries.
    let blocks = rayon::current_num_threads().min(m / (2 * n.max(1))).max(1);
    let starts: Vec<usize> = if blocks == 1 {
        vec![0, n]
    } else {
        // Entries visited in row u: all but self-loops (directed), those to larger ids.
        let visited = |u: u32| {
            let row = &targets[offsets[u as usize] as usize..offsets[u as usize + 1] as usize];
            let above = row.len() - row.partition_point(|&v| v <= u);
            if directed {
                above + row.partition_point(|&v| v < u)
            } else {
                above
            }
        };
        let mut ends: Vec<u64> = (0..n as u32).into_par_iter().map(|u| visited(u) as u64).collect();
        ends.iter_mut().fold(0, |sum, e| {
            *e += sum;
            *e
        });
        let total = ends.last().copied().unwrap_or(0);
        (0..=blocks)
            .map(|b| match b {
                0 => 0,
                b if b == blocks => n,
                b => ends.partition_point(|&e| e <= total * b as u64 / blocks as u64),
            })
            .collect()
    };
    // Per block, where `v`'s next twin goes: past those from the sources before the block's
    // first (self-loops aside; undirected, only sources below `v` count). Made before the
    // blocks start, each vector by all threads: a binary search per vertex and block, which
    // took 7-15 ms per block on kron-18 when each block made its own (the first block needs
    // none: nothing comes before it).
    let cursors: Vec<Vec<u64>> = starts[..starts.len() - 1]
        .iter()
        .map(|&first| {
            let first = first as u32;
            (0..n as u32)
                .into_par_iter()
                .map(|v| {
                    if first == 0 {
                        return base(v);
                    }
                    let row = inc.neighbors(v);
                    let before = if directed { first } else { first.min(v) };
                    let below = row.partition_point(|&s| s < before);
                    let loops = if directed && v < first {
                        row.partition_point(|&s| s <= v) - row.partition_point(|&s| s < v)
                    } else {
                        0
                    };
                    base(v) + (below - loops) as u64
                })
                .collect()
        })
        .collect();
    starts.par_windows(2).zip(cursors).for_each(|(w, mut cursor)| {
        let (first, end) = (w[0] as u32, w[1] as u32);
        for u in first..end {
            let (from, to) = (offsets[u as usize] as usize, offsets[u as usize + 1] as usize);
            for (i, &v) in (from..to).zip(&targets[from..to]) {
                if if directed { u != v } else { u < v } {
                    f(u, v, i, cursor[v as usize] as usize);
                    cursor[v as usize] += 1;
                }
            }
        }
    });
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
        let (n, m) = (self.offsets.len().saturating_sub(1), self.count);
        let count = count.max(1);
        let mut out = Vec::with_capacity(count);
        let mut first = 0usize;
        for b in 1..=count {
            // The first row whose edges start at or past the block's share (rows' starts rise).
            let end = if b == count {
                n
            } else {
                let (mut lo, mut hi) = (0, n);
                while lo < hi {
                    let mid = (lo + hi) / 2;
                    if self.start(mid) < m * b / count {
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

    fn twins(g: &Graph) -> Vec<(u32, u32, usize, usize)> {
        let found = Mutex::new(Vec::new());
        for_each_twin(
            g,
            |v| g.in_edges().offsets()[v as usize],
            |u, v, i, t| found.lock().expect("not poisoned").push((u, v, i, t)),
        );
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
    fn twins_pair_up_with_repeated_edges_and_loops_in_any_block_count() {
        let mut x = 5u64;
        let mut edges: Vec<(u64, u64)> = (0..600)
            .map(|_| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ((x >> 40) % 40, (x >> 20) % 40)
            })
            .collect();
        edges.extend([(3, 3), (3, 3), (7, 9), (9, 7)]);
        let weights: Vec<f64> = (0..edges.len()).map(|k| (k % 7) as f64).collect();
        for directed in [false, true] {
            let list =
                EdgeList { edges: edges.clone(), weights: Some(weights.clone()), extra_vertices: vec![], directed };
            let g = Graph::from_edge_list("twins", &list, Default::default()).expect("builds").0;
            let (out, inc) = (g.out_edges(), g.in_edges());
            let (ow, iw) = (out.weights().expect("weighted"), inc.weights().expect("weighted"));
            let mut seen = vec![false; inc.entry_count() as usize];
            let mut expected = 0;
            for u in 0..g.vertex_count() as u32 {
                for &v in out.neighbors(u) {
                    expected += usize::from(if directed { u != v } else { u < v });
                }
            }
            let found = twins(&g);
            assert_eq!(found.len(), expected);
            for &(u, v, i, t) in &found {
                assert_eq!(out.targets()[i], v);
                // Directed: positions past v's self-loops in its in-row are shifted by them.
                let loops = inc.neighbors(v).iter().filter(|&&s| s == v).count();
                let t = if directed && u > v { t + loops } else { t };
                assert!(inc.offsets()[v as usize] as usize <= t && t < inc.offsets()[v as usize + 1] as usize);
                assert_eq!((inc.targets()[t], iw[t]), (u, ow[i]), "twin of {u} -> {v}");
                assert!(!std::mem::replace(&mut seen[t], true), "twin {t} found twice");
            }
            // One block (one thread) and four find the same twins.
            for threads in [1, 4] {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
                assert_eq!(pool.install(|| twins(&g)), found, "{threads} threads");
            }
        }
    }
}
