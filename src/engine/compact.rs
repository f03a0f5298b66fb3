//! The pull's rows renumbered over the vertices that send messages: a vertex that no row lists
//! (an isolated vertex, or on a directed graph one without out-edges when pulling along
//! in-edges) is never read, yet its message slot shares cache lines with those that are. When
//! many vertices are such (38% of `kron-20`), the all-active pull keeps its messages only for
//! the listed vertices, by rank, and reads its rows from a copy of the targets renumbered to
//! those ranks: the randomly read message array shrinks by that share. The copy (4 bytes per
//! entry, about 0.14 s on `kron-20` with 2 threads, much of it first touches of the pages) is
//! made on first use by an engine and kept for its later runs. PageRank on `kron-20` (2
//! threads), measured when the row loop was unrolled: `f32` about 1.15x faster per run after
//! the first, `f64` 1.29x even in a single run. Since the loop is rolled (2026-11-27, see
//! `pull_rows`) the gain is smaller: `f64` 1.05-1.1x per run after the first, `f32` level, and a
//! single `dgraph run` level with or without it (3 alternating runs each).

use std::ops::Range;
use std::sync::OnceLock;

use rayon::prelude::*;

use dgraph_datasets::Csr;

use super::superstep::BLOCK;

/// Renumber only when at least 1/`WORTH` of the vertices are never listed.
const WORTH: usize = 8;

/// A row set's targets by rank among the listed vertices.
pub(crate) struct Compact {
    /// The vertices some row lists, increasing.
    pub(crate) members: Vec<u32>,
    /// The rows' targets, each replaced by its rank in `members`.
    pub(crate) targets: Vec<u32>,
    /// Where the members of each block of `block` vertices start in `members` (one more entry
    /// than blocks).
    block_starts: Vec<usize>,
}

impl Compact {
    /// The renumbering of `rows`, whose targets are exactly the vertices with an entry in
    /// `transpose` (the other CSR of a directed graph, the same one of an undirected graph);
    /// `None` when fewer than 1/[`WORTH`] of the vertices are missing.
    pub(crate) fn build(rows: &Csr, transpose: &Csr, block: usize) -> Option<Compact> {
        let n = transpose.vertex_count();
        let offsets = transpose.offsets();
        let listed = |v: usize| offsets[v + 1] > offsets[v];
        // Per word of 64 vertices, the listed ones as bits, and how many come before it.
        let words: Vec<u64> = (0..n.div_ceil(64))
            .into_par_iter()
            .map(|w| (w * 64..(w * 64 + 64).min(n)).filter(|&v| listed(v)).fold(0u64, |b, v| b | 1 << (v % 64)))
            .collect();
        let mut before = Vec::with_capacity(words.len() + 1);
        let mut count = 0usize;
        for w in &words {
            before.push(count);
            count += w.count_ones() as usize;
        }
        before.push(count);
        if (n - count) * WORTH < n || n == 0 {
            return None;
        }
        // Each vertex's rank among the listed ones, as a table: one load per target.
        let mut rank = vec![0u32; n];
        rank.par_chunks_mut(64).enumerate().for_each(|(w, ranks)| {
            let mut next = before[w] as u32;
            for (i, r) in ranks.iter_mut().enumerate() {
                *r = next;
                next += (words[w] >> i & 1) as u32;
            }
        });
        let members: Vec<u32> = (0..n as u32).into_par_iter().filter(|&v| listed(v as usize)).collect();
        // A copy of every target: when the memory is not there, pull without it.
        let mut targets = Vec::new();
        targets.try_reserve_exact(rows.targets().len()).ok()?;
        rows.targets().par_iter().with_min_len(1 << 14).map(|&u| rank[u as usize]).collect_into_vec(&mut targets);
        // Every target is listed, so its rank is below the count: the bound under which the
        // fused pull reads the messages unchecked. Checked here, not assumed from the graph.
        if targets.par_iter().with_min_len(1 << 14).any(|&r| r as usize >= count) {
            return None;
        }
        let block_starts =
            (0..=n.div_ceil(block)).map(|b| members.partition_point(|&m| (m as usize) < b * block)).collect();
        Some(Compact { members, targets, block_starts })
    }

    /// The ranks of the members in block `b`.
    pub(crate) fn block(&self, b: usize) -> Range<usize> {
        self.block_starts[b]..self.block_starts[b + 1]
    }
}

/// An engine's renumberings, made on first use: one for pulls along the out-CSR, one for the
/// in-CSR (an undirected graph uses the first).
#[derive(Default)]
pub(crate) struct CompactCache {
    out: OnceLock<Option<Compact>>,
    inc: OnceLock<Option<Compact>>,
}

impl CompactCache {
    /// The renumbering of `rows` (`out` or `inc`) in the pull's blocks, made now if it was not
    /// yet.
    pub(crate) fn of<'c>(&'c self, rows: &Csr, out: &Csr, inc: &Csr) -> Option<&'c Compact> {
        let (cell, transpose) = if std::ptr::eq(rows, out) { (&self.out, inc) } else { (&self.inc, out) };
        cell.get_or_init(|| Compact::build(rows, transpose, BLOCK)).as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dgraph_datasets::{BuildOptions, EdgeList, Graph};

    #[test]
    fn ranks_the_listed_vertices_and_renumbers_every_target() {
        // Vertices 0..200, edges among multiples of 3 and 199 -> 7, so most vertices are never
        // listed (on a directed graph, neither are those without out-edges); blocks of 16.
        let mut edges: Vec<(u64, u64)> = (0..60u64).map(|k| (3 * k, 3 * ((k * 7 + 1) % 60))).collect();
        edges.push((199, 7));
        for directed in [false, true] {
            let list = EdgeList { edges: edges.clone(), weights: None, extra_vertices: (0..200).collect(), directed };
            let g = Graph::from_edge_list("sparse", &list, BuildOptions::default()).expect("builds").0;
            let (out, inc) = (g.out_edges(), g.in_edges());
            let n = g.vertex_count();
            let c = Compact::build(inc, out, 16).expect("most vertices are not listed");
            let listed: Vec<u32> = (0..n as u32).filter(|&v| out.degree(v) > 0).collect();
            assert_eq!(c.members, listed);
            for (i, &t) in inc.targets().iter().enumerate() {
                assert_eq!(c.members[c.targets[i] as usize], t);
            }
            for b in 0..n.div_ceil(16) {
                let range = c.block(b);
                assert!(c.members[range].iter().all(|&m| m as usize / 16 == b));
            }
            assert_eq!(c.block(n.div_ceil(16) - 1).end, c.members.len());
        }
        // Every vertex listed: no renumbering.
        let ring = Graph::from_edges((0..50u64).map(|k| (k, (k + 1) % 50)), false).expect("builds");
        assert!(Compact::build(ring.out_edges(), ring.in_edges(), 16).is_none());
    }
}
