//! Weakly connected components as a partition program: a concurrent union-find over the
//! partition's edges (Afforest-style sampling when every edge is visible from both ends), each
//! local component takes the smallest label of its members, and labels merge by `min` at the
//! masters.

use std::sync::atomic::{AtomicU32, Ordering};

use rayon::prelude::*;

use crate::partition_program::{LocalGraph, PartitionProgram};

/// Vertices per rayon task.
const GRAIN: usize = 1024;

/// Neighbours linked per vertex before the largest component is guessed (Afforest).
const SAMPLE: usize = 2;

/// How many vertices ahead a pass asks for the parents it will read.
const AHEAD: u32 = 16;

/// Vertices sampled to guess the largest component.
const GUESS_SAMPLES: usize = 1024;

/// Component parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ComponentsConfig {
    /// Link each vertex to its first few neighbours, guess the largest component from a sample
    /// and skip the rest of its vertices' edges (Afforest; Sutton et al., IPDPS 2018). Used only
    /// where it is exact: when every edge of a partition is visible from both of its ends.
    pub afforest: bool,
}

impl Default for ComponentsConfig {
    fn default() -> Self {
        ComponentsConfig { afforest: true }
    }
}

/// Weakly connected components: every vertex ends with the smallest dense id of its component
/// (also the smallest external id, since dense ids follow external order). Directions are
/// ignored.
///
/// # Arguments
/// `config.afforest`: whether to use Afforest's sampling where it is exact (default yes).
///
/// # Returns
/// Per vertex the dense id of its component's smallest vertex.
///
/// # Complexity
/// O(E α(V)) per round with a lock-free union-find whose roots are always the smallest member;
/// Afforest skips most edges of the largest component. Rounds: one per partition-hop of the
/// longest chain of partitions a component spans (one with one partition).
///
/// # Example
/// ```
/// use dgraph_algorithms::partition_program::{LocalGraph, PartitionProgram};
/// use dgraph_algorithms::programs::{Components, ComponentsConfig};
/// // 0 - 1   2 - 3, undirected (both directions stored).
/// let (offsets, targets) = ([0, 1, 2, 3, 4], [1, 0, 3, 2]);
/// let g = LocalGraph { offsets: &offsets, targets: &targets, weights: None, incoming: None, symmetric: true };
/// let wcc = Components::new(ComponentsConfig::default());
/// let mut labels: Vec<u32> = (0..4).map(|v| wcc.init(v)).collect();
/// wcc.compute(&g, &mut labels, &[0, 1, 2, 3]);
/// assert_eq!(labels, [0, 0, 2, 2]);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Components {
    config: ComponentsConfig,
}

impl Components {
    /// Components with `config`.
    pub fn new(config: ComponentsConfig) -> Self {
        Components { config }
    }
}

impl PartitionProgram for Components {
    type Value = u32;

    #[inline]
    fn init(&self, v: u32) -> u32 {
        v
    }

    #[inline]
    fn initially_active(&self, _: u32) -> bool {
        true
    }

    #[inline]
    fn merge(&self, a: u32, b: u32) -> u32 {
        a.min(b)
    }

    fn compute(&self, graph: &LocalGraph<'_>, labels: &mut [u32], _active: &[u32]) {
        let n = graph.vertex_count();
        let uf = UnionFind::new(n);
        let sampled = self.config.afforest && (graph.symmetric || graph.incoming.is_some());
        let skip = if sampled { SAMPLE } else { 0 };
        if sampled {
            // The sampled neighbours' parents are random reads: each is asked for `AHEAD`
            // vertices before its union.
            blocks(n).for_each(|block| {
                for u in block.clone() {
                    if block.end - u > AHEAD {
                        graph.neighbors(u + AHEAD).iter().take(SAMPLE).for_each(|&v| uf.prefetch(v));
                    }
                    graph.neighbors(u).iter().take(SAMPLE).for_each(|&v| uf.union(u, v));
                }
            });
        }
        // No compression pass follows the sampling (GAP and the `graph` crate have one): the
        // giant-component test below finds each vertex's root anyway, halving its path, so a
        // pass that did only that would read every parent twice (kron-20, 2 threads: 3-5 ms of
        // 30).
        let giant = if sampled && n > 0 {
            // The most frequent root among evenly spread vertices (deterministic).
            let step = (n / GUESS_SAMPLES).max(1);
            let mut roots: Vec<u32> = (0..n).step_by(step).map(|u| uf.find(u as u32)).collect();
            roots.sort_unstable();
            roots.chunk_by(|a, b| a == b).max_by_key(|run| run.len()).map(|run| run[0])
        } else {
            None
        };
        // A vertex of the giant component skips its remaining edges: each such edge to another
        // component is still linked from its other end, which is not in the giant component.
        // Each vertex's grandparent (after the sampling, mostly its root) is asked for ahead.
        blocks(n).for_each(|block| {
            for u in block.clone() {
                if block.end - u > AHEAD {
                    uf.prefetch_grandparent(u + AHEAD);
                }
                if giant.is_some_and(|g| uf.find(u) == g) {
                    continue;
                }
                graph.neighbors(u).iter().skip(skip).for_each(|&v| uf.union(u, v));
                if let Some(inc) = graph.in_neighbors(u) {
                    inc.iter().for_each(|&v| uf.union(u, v));
                }
            }
        });
        // Roots are the smallest member, so when every vertex is its own label (the first
        // round, or the whole graph) the root is the label.
        if labels.par_iter().enumerate().all(|(u, &l)| l == u as u32) {
            labels.par_iter_mut().enumerate().with_min_len(GRAIN).for_each(|(u, label)| *label = uf.find(u as u32));
            return;
        }
        let best: Vec<AtomicU32> = (0..n).into_par_iter().map(|_| AtomicU32::new(u32::MAX)).collect();
        labels.par_iter().enumerate().with_min_len(GRAIN).for_each(|(u, &label)| {
            best[uf.find(u as u32) as usize].fetch_min(label, Ordering::Relaxed);
        });
        labels.par_iter_mut().enumerate().with_min_len(GRAIN).for_each(|(u, label)| {
            *label = best[uf.find(u as u32) as usize].load(Ordering::Relaxed);
        });
    }
}

/// `0..n` in ranges of [`GRAIN`] vertices, in parallel: a range's loop can read ahead within it.
fn blocks(n: usize) -> impl ParallelIterator<Item = std::ops::Range<u32>> {
    (0..n.div_ceil(GRAIN)).into_par_iter().map(move |b| (b * GRAIN) as u32..n.min((b + 1) * GRAIN) as u32)
}

/// A lock-free union-find over `0..n`: roots are always the smallest element of their set (a
/// root is only ever linked under a smaller root).
struct UnionFind {
    parent: Vec<AtomicU32>,
}

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind { parent: (0..n as u32).into_par_iter().map(AtomicU32::new).collect() }
    }

    fn find(&self, mut x: u32) -> u32 {
        loop {
            let p = self.parent[x as usize].load(Ordering::Relaxed);
            if p == x {
                return x;
            }
            let gp = self.parent[p as usize].load(Ordering::Relaxed);
            // Path halving; losing the race only skips a shortcut. When `p` is the root there
            // is nothing to shorten, and a compare-exchange would still take the cache line
            // from the other threads (on urand-20 that doubled some runs' sampling phase).
            if gp != p {
                let _ = self.parent[x as usize].compare_exchange(p, gp, Ordering::Relaxed, Ordering::Relaxed);
            }
            x = gp;
        }
    }

    /// Starts loading `x`'s parent.
    #[inline]
    fn prefetch(&self, x: u32) {
        dgraph_datasets::prefetch::prefetch(&self.parent[x as usize]);
    }

    /// Starts loading the parent of `x`'s parent.
    #[inline]
    fn prefetch_grandparent(&self, x: u32) {
        let p = self.parent[x as usize].load(Ordering::Relaxed);
        dgraph_datasets::prefetch::prefetch(&self.parent[p as usize]);
    }

    fn union(&self, a: u32, b: u32) {
        loop {
            let (ra, rb) = (self.find(a), self.find(b));
            if ra == rb {
                return;
            }
            let (high, low) = (ra.max(rb), ra.min(rb));
            if self.parent[high as usize].compare_exchange(high, low, Ordering::AcqRel, Ordering::Relaxed).is_ok() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrent_union_find_roots_are_component_minima() {
        let uf = UnionFind::new(1000);
        (0..999u32).into_par_iter().filter(|i| i % 10 != 9).for_each(|i| uf.union(i + 1, i));
        for i in 0..1000u32 {
            assert_eq!(uf.find(i), i / 10 * 10, "{i}");
        }
    }

    #[test]
    fn afforest_is_not_used_when_an_edge_is_visible_from_one_end_only() {
        // A star 0 -> 1..=8 plus a tail 9 -> 10 reached only by 8 -> 9: with Afforest on a
        // one-sided partition the giant component (rooted at 0) would skip 8 -> 9.
        let mut targets = vec![1, 2, 3, 4, 5, 6, 7, 8];
        let mut offsets = vec![0u64, 8, 8, 8, 8, 8, 8, 8, 8];
        targets.extend([0, 1, 9]);
        offsets.push(11); // vertex 8: 8 -> 0, 8 -> 1, 8 -> 9
        targets.push(10);
        offsets.push(12); // vertex 9 -> 10
        offsets.push(12); // vertex 10
        let g = LocalGraph { offsets: &offsets, targets: &targets, weights: None, incoming: None, symmetric: false };
        let wcc = Components::default();
        let mut labels: Vec<u32> = (0..11).collect();
        wcc.compute(&g, &mut labels, &[]);
        assert_eq!(labels, vec![0; 11]);
    }
}
